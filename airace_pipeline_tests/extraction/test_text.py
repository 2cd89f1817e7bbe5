from __future__ import annotations

import pytest

from airace_pipeline.extraction.text import is_boilerplate_line, split_sentences


def test_offsets_index_the_original_text() -> None:
    text = (
        "The U.S. Department of Commerce said Inc. results were fine. OpenAI raised $6.6 billion on Oct. 2, "
        "2024, about 3.5 times more.\n\nDr. Smith of No. 10 agreed. In the U.S. The end."
    )
    sentences = split_sentences(text)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.text for s in sentences] == [
        "The U.S. Department of Commerce said Inc. results were fine.",
        "OpenAI raised $6.6 billion on Oct. 2, 2024, about 3.5 times more.",
        "Dr. Smith of No. 10 agreed.",
        "In the U.S.",
        "The end.",
    ]
    assert sentences[1].paragraph != sentences[2].paragraph


def test_list_items_and_headings_are_their_own_sentences() -> None:
    text = "# Title\n\nIntro line here.\n- first item is here\n- second item"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Title", "Intro line here.", "first item is here", "second item"]
    assert sentences[0].is_heading and not sentences[1].is_heading


def test_bold_run_in_label_is_a_heading() -> None:
    [label, body] = split_sentences("**Japan and South Korea.** Japan and South Korea agreed.")
    assert label.is_heading and not body.is_heading


@pytest.mark.parametrize(
    "line",
    [
        "Home | World | Business | Tech",
        "Subscribe to our newsletter",
        "Advertisement",
        "We use cookies to improve your experience on our site. [Accept] [Manage settings]",
        "Our partners: Google Microsoft Nvidia Amazon",
        "Google Microsoft Nvidia Amazon Meta",
        "Copyright 2025. All rights reserved.",
        "Log in | Sign up | Subscribe to our newsletter",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


def test_content_is_not_boilerplate() -> None:
    assert not is_boilerplate_line("SoftBank, OpenAI, Oracle and MGX will be the first equity investors.")


def test_related_block_and_repeated_lines_are_skipped() -> None:
    text = (
        "Real news: OpenAI raised money today.\n\nRelated stories\n- Trump signs executive orders\n"
        "- Oracle shares climb\n\nShare this story with friends\nMore real news here today.\n"
        "Share this story with friends\n"
    )
    texts = [s.text for s in split_sentences(text)]
    assert texts == ["Real news: OpenAI raised money today.", "More real news here today."]


def test_a_lede_repeated_as_the_summary_is_read_once() -> None:
    lede = "Quorvane, a Lisbon maker of chip testers, raised $14 million in a Series A round."
    text = f"{lede}\nSubscribe to our newsletter\n\n{lede}\nSubscribe to our newsletter\nIt plans to hire.\n"
    texts = [s.text for s in split_sentences(text)]
    # The sentence stays once; the short repeated furniture line never does.
    assert texts == [lede, "It plans to hire."]


def test_empty_and_junk() -> None:
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []
    split_sentences("\x00\x01\x02 ÿÿ " * 1000)  # must not raise


def test_a_sentence_glued_to_the_next_is_split() -> None:
    text = "The ministry backs chip design (CD).The fund opens in May. See example.com and Inc.The end."
    assert [s.text for s in split_sentences(text)] == [
        "The ministry backs chip design (CD).",
        "The fund opens in May.",
        "See example.com and Inc.The end.",
    ]
