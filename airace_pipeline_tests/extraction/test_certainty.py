from __future__ import annotations

import pytest

from airace_pipeline.extraction.certainty import classify_certainty


@pytest.mark.parametrize(
    ("sentence", "certainty"),
    [
        ("OpenAI raised $6.6 billion.", "reported"),
        ("Apple is reportedly in talks to form a partnership with Google.", "rumoured"),
        ("The fund is said to be worth $40 billion, sources say.", "rumoured"),
        ("Alibaba planned to take a stake in DeepSeek.", "rumoured"),
        ("Alibaba denied reports that it would invest in DeepSeek.", "denied"),
        ("The company dismissed reports of a deal.", "denied"),
        ("Spending could reach $1 trillion by 2029.", "forecast"),
        ("The market is expected to reach $500 billion.", "forecast"),
        ("Capacity will double by 2030.", "forecast"),
        ("The deal was announced in May 2024.", "reported"),
    ],
)
def test_certainty(sentence: str, certainty: str) -> None:
    assert classify_certainty(sentence) == certainty


def test_modal_far_from_the_trigger_is_not_a_forecast() -> None:
    sentence = "The Commission said it was checking whether the investment could be reviewed under the rules."
    assert classify_certainty(sentence, focus=sentence.index("checking")) == "reported"


def test_negated_denial_is_not_a_denial() -> None:
    assert classify_certainty("Meta did not deny that the model had leaked.") == "reported"
