"""Turning entity mentions into participants with roles, and the small text tests role rules need."""

from __future__ import annotations

import re
from collections.abc import Iterable

from airace_pipeline.extraction.entities import DESCRIBING_PARTICIPLE, EntityMention
from airace_pipeline.extraction.model import Participant
from airace_pipeline.reference.countries import is_demonym
from airace_pipeline.reference.patterns import lazy_compile

_GOVERNMENT_KINDS = frozenset({"government", "military", "intergovernmental"})
_LIST_GLUE = lazy_compile(
    r"^(?:,\s*|\s+and\s+|,\s*and\s+|\s*&\s*|\s*,\s*as\s+well\s+as\s+|\s+as\s+well\s+as\s+)$"
)


def participant(entity: EntityMention, role: str, country_name: str | None = None) -> Participant:
    if entity.is_country:
        return Participant(
            name=country_name or entity.name, role=role, country_code=entity.country_code, is_country=True
        )
    return Participant(
        name=entity.name, role=role, organisation_id=entity.organisation_id, country_code=entity.country_code
    )


def is_government(entity: EntityMention) -> bool:
    return entity.kind in _GOVERNMENT_KINDS


_LOCATION_BEFORE = lazy_compile(
    r"\b(?:in|at|across|throughout|within|inside|outside|based\s+in|headquartered\s+in|near|to|into)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# "U.S. officials", "US state", "U.S. effort": a country name used as an adjective.
_ADJECTIVAL_AFTER = lazy_compile(
    r"^\s+(?:officials?|national|security|government|authorities|regulators?|lawmakers|president|"
    r"prime|minister|ministry|chip|chips|company|companies|firms?|startups?|market|markets|economy|military|"
    r"troops|forces|users|citizens|consumers|army|navy|science|technology|tech|state|states|effort|efforts|"
    r"push|policy|policies|rules|restrictions|exports?|sanctions|side|delegation|counterparts|administration|"
    r"investors|components|goods|persons|licen[cs]e|approval|soil|territory|dollars?|intelligence)\b"
)
_LEADER_AFTER = lazy_compile(
    r"^(?:'s|’s)?\s+(?:President|Prime\s+Minister|Premier|Chancellor|King|Crown\s+Prince|Emir|leader|"
    r"Foreign\s+Minister)\b"
)
_VENUE_BEFORE = lazy_compile(r"\bat\s+(?:the\s+)?$")
_ACTOR_AFTER = lazy_compile(
    r"^(?:'s|’s)?\s+(?:[a-z-]+\s+){0,3}?(?:regulators?|authorit(?:y|ies)|watchdogs?|officials|government|"
    r"prosecutors|courts?|commission|ministry|agency)\b"
)


def is_location(text: str, entity: EntityMention, entities: list[EntityMention] | None = None) -> bool:
    """A place where something happens ("data centres in the United States", "at the White House")."""
    before = text[max(0, entity.start - 30) : entity.start]
    if entity.is_country:
        if _LOCATION_BEFORE.search(before) is not None or text[entity.end : entity.end + 6] == "-based":
            return True
        # "at Bletchley Park, United Kingdom," / "in Vilnius, Lithuania." (but not "Australia, Brazil,")
        place = re.search(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s*$", before)
        if place is None or not re.match(r"^\s*(?:[,.;)]|$)", text[entity.end : entity.end + 2]):
            return False
        place_start = entity.start - len(before) + place.start()
        return not any(
            (other.start <= place_start < other.end and not is_location(text, other))
            or other.end == place_start + len(place.group().rstrip(", "))
            for other in (entities or [])
        )
    return entity.kind == "government" and _VENUE_BEFORE.search(before) is not None and "House" in entity.name


def acting_through(text: str, entity: EntityMention) -> bool:
    """A country named as the owner of a public actor ("the EU's antitrust regulators", "Italy's watchdog")."""
    return entity.is_country and _ACTOR_AFTER.match(text[entity.end : entity.end + 60]) is not None


def names_currency(text: str, country_end: int) -> bool:
    """ "34 billion U.S. dollars": the country names a currency, it is not a party."""
    return _DOLLARS_AFTER.match(text, country_end) is not None


_OWNED_INSTITUTE = lazy_compile(
    r"(?:'s|’s)\s+(?:National\s+)?(?:Institute|Centre|Center|University|Academy|Laboratory|Council)\b"
)
_DOLLARS_AFTER = lazy_compile(r"\s*dollars?\b")


def is_modifier(text: str, entity: EntityMention, entities: list[EntityMention]) -> bool:
    """A country that only qualifies something else: "Abu Dhabi's MGX", "a French startup", "U.S. officials"."""
    if is_location(text, entity, entities):
        return True
    if entity.is_country and _LEADER_AFTER.match(text[entity.end : entity.end + 30]):
        return False  # "Chinese President Xi Jinping" acts for China
    if not entity.is_country:
        # "Alphabet's Google": the owner names whose Google, it does not act.
        following = [other for other in entities if other.start >= entity.end]
        return (
            bool(following)
            and re.fullmatch(r"(?:'s|’s)\s+", text[entity.end : following[0].start]) is not None
        )
    if is_demonym(entity.name):
        return True
    after = text[entity.end : entity.end + 40]
    if names_currency(text, entity.end):
        return True
    for other in entities:
        if other is entity or other.start < entity.end:
            continue
        gap = text[entity.end : other.start]
        if re.fullmatch(
            r"(?:'s|’s)?\s*(?:(?!and\b|or\b|with\b|to\b|in\b|on\b|for\b)[a-z-]+\s+){0,3}", gap
        ) and (other.start - entity.end <= 30):
            return not other.is_country
        break
    # "U.S. officials", "China's military", "the U.S.-India initiative"
    if re.match(r"^(?:'s|’s)\s+[a-z]", after) or re.match(r"^-[A-Z]", after):
        return True
    if _OWNED_INSTITUTE.match(after):
        return True  # "France’s Institute for Research in ...": the institute is the party
    return _ADJECTIVAL_AFTER.match(after) is not None


def list_after(text: str, entities: list[EntityMention], position: int) -> list[EntityMention]:
    """Entities forming a list that starts right after `position` ("led by A, B and C")."""
    following = [entity for entity in entities if entity.start >= position]
    if not following:
        return []
    first = following[0]
    if not re.fullmatch(r"\s*(?:the\s+|its\s+)?(?:[a-z-]+\s+){0,3}", text[position : first.start]):
        return []
    result = [first]
    for entity in following[1:]:
        gap = text[result[-1].end : entity.start]
        if _LIST_GLUE.match(gap) or re.fullmatch(
            # ", with participation from B" starts another list, of other roles.
            r"(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?(?!with\b|alongside\b|including\b|plus\b)"
            r"(?:[a-z-]+\s+){0,4}",
            gap,
        ):
            result.append(entity)
        else:
            break
    return result


def list_before(text: str, entities: list[EntityMention], position: int) -> list[EntityMention]:
    """Entities forming a list that ends right before `position` ("A, B and C signed ...")."""
    preceding = [entity for entity in entities if entity.end <= position]
    if not preceding:
        return []
    last = preceding[-1]
    if not re.fullmatch(
        r"(?:'s|’s)?\s*(?:\([^)]*\)\s*)?(?:(?:has|have|had|is|are|was|were|will|would|also|"
        r"jointly|together|on\s+\w+|said\s+it|said\s+they|formally|officially|,)\s*){0,4}",
        text[last.end : position],
    ):
        return []
    result = [last]
    for entity in reversed(preceding[:-1]):
        gap = text[entity.end : result[0].start]
        if _LIST_GLUE.match(gap) or re.fullmatch(
            r"(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?(?:[a-z-]+\s+){0,4}", gap
        ):
            result.insert(0, entity)
        else:
            break
    return result


_SUBJECT_GAP = lazy_compile(
    r"(?:'s|’s)?(?:\s*\([^)]{0,40}\))?(?:\s*,[^,;:]{0,160},)?(?:\s*,)?"
    r"(?:\s+(?!by\b|from\b|with\b|including\b|alongside\b|and\b|or\b|led\b|than\b|of\b)"
    r"[$€£¥₹₩]?[\w.'’-]+,?){0,14}\s*$"
)


_APPOSITIVE_OPEN = lazy_compile(rf"\s*(?:a|an|the|which|who|{DESCRIBING_PARTICIPLE})\s[^,;:()]{{0,80}}$")
_APPOSITIVE_CLOSE = lazy_compile(r"[^,;:()]{0,80},")


def _inside_appositive(clause: str, gap: str) -> bool:
    """The entity sits between the commas of "X, a/an/the ..., verb": a description, not the actor."""
    return _APPOSITIVE_OPEN.match(clause) is not None and _APPOSITIVE_CLOSE.match(gap) is not None


# "Quorvia – a robotics startup founded in 2019 – received": an appositive set off by dashes, which
# describes the subject standing before it (any name inside it is not the actor).
_DASH_APPOSITIVE = lazy_compile(r"\s[–—-]\s+(?:a|an|the)\s[^–—;:()]{1,120}?\s[–—-]\s*$")


def subject_before(text: str, entities: list[EntityMention], position: int) -> EntityMention | None:
    """The actor of a verb at `position`: the nearest entity before it, across an appositive and a few
    words ("Sarvam AI, a Bengaluru-based startup, said on Thursday it has raised")."""
    dashed = _DASH_APPOSITIVE.search(text, 0, position)
    if dashed is not None:
        position = dashed.start()
    preceding = [entity for entity in entities if entity.end <= position]
    for index in range(len(preceding) - 1, -1, -1):
        entity = preceding[index]
        gap = text[entity.end : position]
        clause_start = text.rfind(",", 0, entity.start)
        clause = text[clause_start + 1 : entity.start] if clause_start >= 0 else ""
        if _inside_appositive(clause, gap):
            # "Quorvia, a Berlin maker of robots, has raised", "Quorvia, founded by former Amazon engineers,
            # has raised": Berlin and Amazon only describe the subject, which stands before the comma.
            if index == 0:
                return None
            position = clause_start
            continue
        if not _SUBJECT_GAP.fullmatch(gap):
            return None
        if clause_start >= 0 and re.match(r"\s*(?:a|an|the)\s", clause):
            # "Liquid AI, a spin-off from MIT, raised": MIT sits in an appositive; look further back.
            if index == 0:
                return None
            position = clause_start
            continue
        return entity
    return None


def dedupe(participants: Iterable[Participant]) -> tuple[Participant, ...]:
    """Keep the first role given to each organisation or country."""
    seen: set[tuple[str | None, str | None, str]] = set()
    out: list[Participant] = []
    for item in participants:
        if item.organisation_id is not None:
            key: tuple[str | None, str | None, str] = (item.organisation_id, None, "")
        elif item.is_country:
            key = (None, item.country_code, "")
        else:
            key = (None, None, item.name)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return tuple(out)
