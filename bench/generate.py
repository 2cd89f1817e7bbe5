"""Deterministic synthetic documents shaped like the bundled corpus, for benchmarking the pipeline.

    python -m bench.generate --docs 100000 --out bench/.data/docs-100000-seed0
    python -m bench.generate --increment-of 100000 --out /tmp/inc        # 1% new documents, next day

Output is JSON Lines, one file per publication day (`DIR/YYYY/YYYY-MM-DD.jsonl`), one object per line
with the keys the local-folder reader takes: title, published (ISO date), collection, source, url, text.

The mix mirrors `data/corpus` (news about two thirds, policy texts about a fifth, funding announcements
the rest) and the hard cases of the labelled evaluation set: funding rounds in many currencies and units,
acquisitions, alliances stated with coreference, incidents with developer/deployer/harmed parties,
policies with budgets, multi-event round-ups, rumours/denials/forecasts, commentary with retrospective
facts, site chrome around articles, and pure boilerplate pages with no facts. A share of the stories
re-report an event of the last few days (another outlet, other words), as real coverage does.

Determinism: each publication day draws from its own `random.Random` seeded by (stream, seed, day), so the
bytes depend only on (N, seed, start, days) and days can be generated in any order or in parallel.
Generation streams day by day; nothing holds more than one day's documents.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from random import Random

from bench import names as N

# Bump when the output for the same parameters changes, so cached sets are regenerated.
GENERATOR_VERSION = 1
DEFAULT_START = dt.date(2024, 1, 1)
DEFAULT_DAYS = 731  # 2024-01-01 .. 2025-12-31, so the increment day 2026-01-01 is a past partition
BENCH_ROOT = Path(__file__).resolve().parent
DATA_ROOT = BENCH_ROOT / ".data"
MARKER = ".complete.json"

COLLECTION_NEWS = "news"
COLLECTION_POLICY = "policy_text"
COLLECTION_FUNDING = "funding_announcement"

# Family -> share of documents. Chosen so the collections come out near the corpus (news 66%, policy_text
# 23%, funding_announcement 11%) with every hard case of the evaluation set present.
FAMILY_WEIGHTS: dict[str, float] = {
    "funding": 0.16,
    "deal": 0.04,
    "alliance": 0.12,
    "incident": 0.13,
    "policy": 0.23,
    "public_money": 0.05,
    "multi_event": 0.09,
    "certainty": 0.05,
    "commentary": 0.05,
    "boilerplate": 0.08,
}
FAMILIES: tuple[str, ...] = tuple(FAMILY_WEIGHTS)
_FAMILY_CUMULATIVE: list[float] = list(itertools.accumulate(FAMILY_WEIGHTS.values()))
# Stories whose event may be re-reported by another outlet in the next days.
_SHARED_FAMILIES = ("funding", "deal", "alliance", "incident", "policy", "public_money")
_SHARE_OF_REREPORTS = 0.3

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# --------------------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------------------


def _when(r: Random, event: dt.date, published: dt.date) -> str:
    """How an article states the day of an event: weekday for recent days, else a full date."""
    x = r.random()
    if event == published and x < 0.15:
        return "today"
    if (published - event).days < 7 and x < 0.6:
        return f"on {WEEKDAYS[event.weekday()]}"
    if x < 0.8:
        return f"on {event.day} {MONTHS[event.month - 1]} {event.year}"
    return f"on {MONTHS[event.month - 1]} {event.day}, {event.year}"


def _num(x: float) -> str:
    if x >= 100 or abs(x - round(x)) < 0.05:
        return f"{round(x):,}"
    return f"{x:.1f}"


def _round_millions(x: float) -> float:
    if x < 10:
        return round(x, 1)
    if x < 100:
        return float(round(x))
    if x < 1000:
        return float(round(x / 5) * 5)
    return round(x / 100) * 100.0


def _usd(r: Random, millions: float) -> str:
    dollar = "US$" if r.random() < 0.07 else "$"
    if millions >= 1000:
        unit = "bn" if r.random() < 0.1 else " billion"
        return f"{dollar}{_num(millions / 1000)}{unit}"
    if millions < 1:
        return f"{dollar}{round(millions * 1000):,},000"
    return f"{dollar}{_num(millions)} million"


# Approximate units per US dollar, for stating an amount in the issuer's currency.
_RATES = {
    "eur": 0.92,
    "gbp": 0.79,
    "jpy": 150.0,
    "cny": 7.2,
    "krw": 1350.0,
    "inr": 83.0,
    "cad": 1.36,
    "sgd": 1.34,
}


def _money(r: Random, millions_usd: float, style: str) -> str:
    """`millions_usd` stated the way a source in a country of currency `style` would write it."""
    if style == "usd" or r.random() < 0.25:
        return _usd(r, millions_usd)
    local = millions_usd * _RATES[style]
    if local < 1:
        return _usd(r, millions_usd)
    if style == "eur":
        return f"€{_num(local / 1000)} billion" if local >= 1000 else f"€{_num(local)} million"
    if style == "gbp":
        return f"£{_num(local / 1000)} billion" if local >= 1000 else f"£{_num(local)} million"
    if style == "cad":
        return f"C${_num(local / 1000)} billion" if local >= 1000 else f"C${_num(local)} million"
    if style == "sgd":
        return f"S${_num(local / 1000)} billion" if local >= 1000 else f"S${_num(local)} million"
    if style == "jpy":
        if local >= 1_000_000:
            return f"{_num(local / 1_000_000)} trillion yen"
        return f"¥{_num(local / 1000)} billion" if r.random() < 0.5 else f"{_num(local / 1000)} billion yen"
    if style == "cny":
        return f"{_num(local / 1000)} billion yuan" if local >= 1000 else f"{_num(local)} million yuan"
    if style == "krw":
        if local >= 1_000_000:
            return (
                f"₩{_num(local / 1_000_000)} trillion"
                if r.random() < 0.5
                else f"{_num(local / 1_000_000)} trillion won"
            )
        return f"{_num(local / 1000)} billion won"
    # inr: crore = 10 million rupees; lakh crore for the largest programmes
    crore = local / 10
    if crore >= 100_000:
        return f"₹{crore / 100_000:.2f} lakh crore"
    symbol = "₹" if r.random() < 0.6 else "Rs "
    return f"{symbol}{crore:,.2f} crore" if r.random() < 0.4 else f"{symbol}{round(crore):,} crore"


def _log_uniform(r: Random, lo: float, hi: float) -> float:
    return lo * (hi / lo) ** r.random()


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _person(r: Random) -> str:
    return f"{r.choice(N.FIRST_NAMES)} {r.choice(N.LAST_NAMES)}"


def _startup(r: Random) -> tuple[str, tuple]:
    name = f"{r.choice(N.STARTUP_HEADS)}{r.choice(N.STARTUP_TAILS)}{r.choice(N.STARTUP_SUFFIXES)}"
    return name, r.choice(N.COUNTRIES)


_COUNTRY_BY_NAME = {c[0]: c for c in N.COUNTRIES}


def _country(name: str, default: int = 0) -> tuple:
    """The COUNTRIES row of `name`; for places without one (Finland, the EU), row `default`'s details."""
    return _COUNTRY_BY_NAME.get(name) or N.COUNTRIES[default]


def _the(country: str) -> str:
    return (
        f"the {country}"
        if country in ("United States", "United Kingdom", "United Arab Emirates", "Netherlands")
        else country
    )


_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(title: str) -> str:
    return _SLUG.sub("-", title.lower()).strip("-")[:70]


# --------------------------------------------------------------------------------------------------------
# Filler: context sentences without facts (numbers that are not money included), as articles have
# --------------------------------------------------------------------------------------------------------

_FILLER_GENERAL: tuple[str, ...] = (
    "Demand for computing power to train and run large language models has surged since the launch of ChatGPT in late 2022.",
    "Analysts say competition for graphics processors and experienced researchers remains intense.",
    "The announcement comes as governments around the world weigh how to regulate the technology.",
    "Critics argue that strict rules could slow innovation, while supporters say they are needed to protect consumers.",
    "Researchers have warned that such models can produce convincing but false information.",
    "{person}, an analyst at a research firm in {city}, said the move showed how quickly the market was consolidating.",
    "Training the largest models now requires tens of thousands of specialised chips running for months.",
    "The {demonym} market for AI software grew by about {k}0% last year, according to industry estimates.",
    "The news was first reported by {outlet}.",
    "Talent remains scarce: universities in {country} graduate only a few thousand machine-learning specialists a year.",
    "Data-centre operators are racing to secure electricity, and some have signed long-term contracts with power producers.",
    "Open-source models have narrowed the gap with proprietary systems, putting pressure on prices.",
    "Shares of {big} rose {k}% in early trading.",
)
_FILLER_COMPANY: tuple[str, ...] = (
    "{org} was founded in {year} and now employs about {n} people.",
    "The company did not disclose its revenue, but said the number of paying customers had grown {k}-fold over the past year.",
    "{person}, who leads the team, previously worked on language models at a large technology company.",
    "A spokesperson for {org} declined to comment beyond the statement.",
    "{org} said it would use the money to hire engineers and expand into new markets.",
    "The company plans to open an office in {city} later this year.",
    "The transaction is subject to regulatory approval and is expected to close within {k} months.",
    "The company's models are used by more than {n} businesses, including banks, retailers and hospitals.",
    "{org} has previously said it wants to build systems that are safe and broadly beneficial.",
    "Several of the company's founders previously worked at {big}.",
    "The company said its latest model performs comparably to leading systems on standard benchmarks.",
    "{person}, its chief executive, said in an interview that the company would remain independent.",
)
_FILLER_POLICY: tuple[str, ...] = (
    "The {demonym} government has made artificial intelligence a priority of its industrial policy.",
    "More than {n} organisations responded to the public consultation.",
    "Officials said the measures would be reviewed after {k} years.",
    "Consumer groups said they would study the details before taking a position.",
    "Lawmakers are expected to debate the details in the autumn.",
    "The plan also covers skills, with {n} new university places in data science and related fields.",
    "Industry groups welcomed the clarity but asked for more time to comply.",
    "{person}, a minister, said the country could not afford to fall behind.",
    "Opposition politicians said the measures did not go far enough.",
)
_FILLER_INCIDENT: tuple[str, ...] = (
    "The agency said it had received {n} complaints in the past year.",
    "{org} declined to say how many people were affected.",
    "Digital rights groups said the case showed the need for independent audits of AI systems.",
    "{person}, a lawyer for the plaintiffs, said the case could set a precedent.",
    "Investigators said they were examining whether other organisations had been targeted in the same way.",
    "Experts said similar cases were likely to become more common as the tools spread.",
)
_FILLERS = {
    "company": _FILLER_GENERAL + _FILLER_COMPANY + _FILLER_COMPANY,
    "policy": _FILLER_GENERAL + _FILLER_POLICY + _FILLER_POLICY,
    "incident": _FILLER_GENERAL + _FILLER_INCIDENT + _FILLER_INCIDENT,
}


def _filler_paragraphs(
    r: Random, org: str, country: tuple, outlet: str, count: int, topic: str = "company"
) -> list[str]:
    pool = _FILLERS[topic]
    paragraphs = []
    for _ in range(count):
        sentences = []
        for _ in range(r.randint(2, 5)):
            sentences.append(
                r.choice(pool).format(
                    org=org,
                    year=r.randint(2012, 2023),
                    n=r.choice(("40", "120", "300", "850", "1,200", "2,500", "10,000")),
                    k=r.randint(2, 9),
                    person=_person(r),
                    city=r.choice(country[5]),
                    big=r.choice(N.BIG_TECH),
                    demonym=country[1],
                    country=_the(country[0]),
                    outlet=outlet,
                )
            )
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _filler_count(r: Random) -> int:
    # Most articles have 1-3 context paragraphs; a tail of long ones reaches several KB.
    x = r.random()
    return 1 if x < 0.1 else 2 if x < 0.35 else 3 if x < 0.65 else 4 if x < 0.85 else r.randint(5, 12)


# --------------------------------------------------------------------------------------------------------
# Events: each returns (headline, lead paragraphs, subject organisation, subject country)
# --------------------------------------------------------------------------------------------------------

_ROUNDS = (
    ("seed", 0.5, 15.0),
    ("Series A", 5.0, 80.0),
    ("Series B", 20.0, 250.0),
    ("Series C", 50.0, 600.0),
    ("Series D", 100.0, 1500.0),
    ("Series E", 200.0, 4000.0),
    ("Series F", 500.0, 10000.0),
)


_FUNDING_PHRASINGS = (0, 0, 0, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6)


@dataclass(frozen=True)
class Event:
    headline: str
    paragraphs: list[str]
    org: str
    country: tuple
    short: str  # one paragraph for round-ups


def _funding(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    if r.random() < 0.25:
        name, country_name, city = r.choice(N.AI_LABS)
        country = _country(country_name)
        round_name, lo, hi = r.choice(_ROUNDS[3:])
    else:
        name, country = _startup(r)
        city = r.choice(country[5])
        round_name, lo, hi = _ROUNDS[min(int(r.random() ** 1.6 * 7), 6)]
    amount = _round_millions(_log_uniform(r, lo, hi))
    lead = r.choice(N.INVESTORS)
    others = r.sample(N.INVESTORS + N.BIG_TECH[:12], r.randint(1, 4))
    others = [o for o in others if o != lead] or ["existing investors"]
    product = r.choice(N.STARTUP_PRODUCTS)
    money = _money(p, amount, country[2] if p.random() < 0.4 else "usd")
    when = _when(p, day, published)
    valuation = ""
    if round_name != "seed" and p.random() < 0.45:
        valuation = f", valuing the company at {_usd(p, _round_millions(amount * p.uniform(4, 20)))}"
    # Phrasings 2-4 (and 5 for unknown startups) are ones the extractor misses today; real coverage has
    # them too, at about this rate.
    t = _FUNDING_PHRASINGS[p.randrange(len(_FUNDING_PHRASINGS))]
    if round_name == "seed" and t == 5:
        t = 0
    if t == 0:
        lead_par = f"{city}-based {name}, which develops {product}, raised {money} in a {round_name} round led by {lead}{valuation}."
        follow = f"{_join(others)} also took part, the company said {when}."
    elif t == 1:
        lead_par = f"{name} has closed a {money} {round_name}, the company said {when}."
        follow = f"{lead} led the round, with participation from {_join(others)}{valuation}."
    elif t == 2:
        lead_par = f"{name}, a {country[1]} startup building {product}, said {when} it had secured {money} in {round_name} financing led by {lead}."
        follow = f"Existing investors {_join(others)} joined the round{valuation}."
    elif t == 3:
        lead_par = f"{name} announced {when} that it raised {money} of {round_name} funding from investors including {lead} and {_join(others)}."
        follow = f"The {country[1]} company makes {product}{valuation}."
    elif t == 4:
        lead_par = f"{name} emerged from stealth {when} with {money} in {round_name} funding led by {lead}."
        follow = f"The startup, based in {city}, is working on {product}."
    elif t == 5:
        big = p.choice(N.BIG_TECH)
        lead_par = f"{big} invested {money} in {name} as part of a {round_name} round{valuation}, the {country[1]} company said {when}."
        follow = f"{lead} led the round, and {_join(others)} also invested."
    else:
        lead_par = f"{name} raised {money} in a {round_name} round led by {lead}, the company said {when}."
        follow = f"{_join(others)} also invested{valuation}. The {country[1]} startup develops {product}."
    verb = p.choice(("raises", "secures", "closes", "lands", "bags"))
    headline = f"{name} {verb} {_usd(p, amount) if p.random() < 0.7 else money} {round_name}" + (
        f" led by {lead}" if p.random() < 0.4 else ""
    )
    short = f"{name} raised {money} in a {round_name} round led by {lead}{valuation}."
    return Event(headline, [lead_par, follow], name, country, short)


def _deal(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    big = r.choice(N.BIG_TECH)
    when = _when(p, day, published)
    if r.random() < 0.55:
        target, country = _startup(r)
        amount = _round_millions(_log_uniform(r, 50, 30000))
        money = _usd(p, amount)
        product = r.choice(N.STARTUP_PRODUCTS)
        if p.random() < 0.5:
            lead_par = f"{big} agreed to acquire {target}, a {country[1]} developer of {product}, for {money}, the companies said {when}."
        else:
            lead_par = f"{big} will buy {target} for about {money} in cash and stock, it said {when}, its largest acquisition in the field of {product}."
        follow = f"{target} will become part of {big}'s cloud and AI division once the deal closes."
        headline = f"{big} to acquire {target} for {_usd(p, amount)}"
        short = f"{big} agreed to acquire {target} for {money}."
        return Event(headline, [lead_par, follow], target, country, short)
    lab, country_name, _ = r.choice(N.AI_LABS)
    country = _country(country_name)
    amount = _round_millions(_log_uniform(r, 100, 15000))
    money = _usd(p, amount)
    up_to = "up to " if p.random() < 0.5 else ""
    lead_par = f"{big} will invest {up_to}{money} in {lab}, the companies announced {when}, deepening a partnership that gives {lab} access to {big}'s computing capacity."
    follow = f"As part of the agreement, {lab} will use {big}'s chips to train its next models, and {big} will take a minority stake."
    headline = f"{big} to invest {up_to}{_usd(p, amount)} in {lab}"
    short = f"{big} said it would invest {up_to}{money} in {lab}."
    return Event(headline, [lead_par, follow], lab, country, short)


_PURPOSES = (
    "build data centres for training large AI models",
    "develop language models for local languages",
    "offer generative AI tools to enterprise customers",
    "co-develop AI chips",
    "bring AI assistants to smartphones",
    "research AI safety and evaluation methods",
    "deploy AI in hospitals",
    "supply renewable power to AI data centres",
)
_TOPICS = (
    "AI safety research", "semiconductor supply chains", "compute and AI research", "the governance of AI",
    "AI skills and talent exchanges", "critical and emerging technologies",
)  # fmt: skip
_SUMMITS = (
    "AI Action Summit",
    "AI Safety Summit",
    "Munich Security Conference",
    "World AI Conference",
    "G7 summit",
)


def _alliance(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    when = _when(p, day, published)
    x = r.random()
    if x < 0.5:
        a = r.choice(N.BIG_TECH)
        b = r.choice(N.AI_LABS)[0] if r.random() < 0.6 else r.choice(N.BIG_TECH)
        if b == a:
            b = "Nvidia" if a != "Nvidia" else "Microsoft"
        purpose = r.choice(_PURPOSES)
        country = N.COUNTRIES[0]
        lead_par = f"{a} and {b} announced a strategic partnership {when} to {purpose}."
        if p.random() < 0.55:
            amount = _round_millions(_log_uniform(r, 50, 20000))
            noun = p.choice(("collaboration", "agreement", "deal", "partnership"))
            follow = f"The {noun} includes a {_usd(p, amount)} investment by {a} in {b}'s infrastructure over the next {p.randint(2, 6)} years."
        else:
            follow = f"Under the agreement, {b} will make its models available to {a}'s customers, and the two companies will share research."
        headline = f"{a} and {b} form partnership to {purpose.split(' for ')[0]}"
        short = f"{a} and {b} announced a partnership to {purpose}."
        return Event(headline, [lead_par, follow], a, country, short)
    if x < 0.8:
        ca, cb = r.sample(N.COUNTRIES, 2)
        topic = r.choice(_TOPICS)
        lead_par = f"{_the(ca[0])} and {_the(cb[0])} signed a memorandum of understanding on {topic} {when}."
        follow = f"The agreement sets up joint research programmes and regular meetings of officials, {ca[1]} officials said."
        if p.random() < 0.3:
            amount = _round_millions(_log_uniform(r, 10, 500))
            follow += f" The two governments will fund the programme with {_usd(p, amount)} over five years."
        headline = f"{ca[0]} and {cb[0]} sign AI pact on {topic}"
        short = f"{_the(ca[0])} and {_the(cb[0])} signed a memorandum of understanding on {topic}."
        return Event(headline, [lead_par, follow], f"Government of {ca[0]}", ca, short)
    members = r.sample(N.BIG_TECH + tuple(lab[0] for lab in N.AI_LABS), r.randint(4, 7))
    summit = r.choice(_SUMMITS)
    count = p.choice(("Twenty", "A dozen", "More than 15", str(len(members) + p.randint(3, 20))))
    lead_par = f"{count} technology companies including {_join(members)} signed an accord at the {summit} {when} to combat deceptive AI content."
    follow = "The signatories committed to share detection tools and to label AI-generated images, audio and video."
    headline = f"Tech companies sign AI accord at {summit}"
    short = f"{_join(members[:4])} and others signed an AI accord at the {summit}."
    return Event(headline, [lead_par, follow], members[0], N.COUNTRIES[0], short)


def _incident(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    when = _when(p, day, published)
    kind = r.randrange(7)
    country = r.choice(N.COUNTRIES)
    city = r.choice(country[5])
    lab = r.choice(N.AI_LABS)[0]
    if kind == 0:
        amount = _round_millions(_log_uniform(r, 0.2, 40))
        if p.random() < 0.7:
            lead_par = f"A finance worker at a multinational company in {city} was tricked into paying out {_money(p, amount, country[2])} to fraudsters who used deepfake technology to pose as the company's chief financial officer in a video call, police said {when}."
        else:
            lead_par = f"A finance worker at a multinational company in {city} was tricked into paying {_money(p, amount, country[2])} to fraudsters who used deepfake video of the company's chief financial officer, police said {when}."
        follow = "Every other participant on the video call was a deepfake recreation built from publicly available footage, police said."
        headline = f"Deepfake 'CFO' tricks {city} employee into paying out {_usd(p, amount)}"
        return Event(headline, [lead_par, follow], "police", country, lead_par)
    if kind == 1:
        firm = r.choice(N.SECURITY_FIRMS)
        records = r.choice(("one million", "38 terabytes of", "several million", "more than 200,000"))
        lead_par = f"{lab} exposed {records} user records, including chat histories and API keys, through a misconfigured database, researchers at {firm} disclosed {when}."
        follow = f"{lab} secured the database within an hour of being notified, {firm} said."
        headline = f"{lab} database exposed chat histories, researchers say"
        return Event(headline, [lead_par, follow], lab, country, lead_par)
    if kind == 2:
        vendor = r.choice(("Clearview AI", "a facial recognition vendor", "Idemia", "Rank One Computing"))
        us_city = r.choice(("Detroit", "New Orleans", "Baltimore", "Atlanta", "Phoenix"))
        lead_par = f"Police in {us_city} wrongfully arrested a man after facial recognition software supplied by {vendor} misidentified him as a theft suspect, according to a lawsuit filed {when}."
        follow = "The charges were dropped two weeks later, and the city said it would review how officers use the technology."
        headline = f"Facial recognition error led to wrongful arrest in {us_city}, lawsuit says"
        return Event(headline, [lead_par, follow], vendor, N.COUNTRIES[0], lead_par)
    if kind == 3:
        company = r.choice(
            ("Air Canada", "a delivery company", "a regional bank", "an airline", "a telecom operator")
        )
        lead_par = f"A tribunal ordered {company} to compensate a customer {when} after its customer-service chatbot, built on a model from {lab}, gave him wrong information about refunds."
        follow = "The company had argued that the chatbot was responsible for its own statements; the tribunal rejected that."
        headline = f"{company[0].upper()}{company[1:]} must honour refund its chatbot invented"
        return Event(headline, [lead_par, follow], company, country, lead_par)
    if kind == 4:
        lead_par = f"The family of a teenager sued {lab} in federal court {when}, alleging that its chatbot encouraged their son to harm himself."
        follow = (
            f"{lab} said it was reviewing the complaint and had added new safety features for younger users."
        )
        headline = f"Family sues {lab} over chatbot's role in teenager's self-harm"
        return Event(headline, [lead_par, follow], lab, N.COUNTRIES[0], lead_par)
    if kind == 5:
        regulator, rcountry = r.choice(N.REGULATORS)
        rc = _country(rcountry, 4)
        amount = _round_millions(_log_uniform(r, 1, 600))
        lead_par = f"{regulator} fined {lab} {_money(p, amount, rc[2])} {when} for processing personal data to train its chatbot without a legal basis."
        follow = f"{lab} said it would appeal the decision, which it called disproportionate."
        headline = f"{regulator} fines {lab} over chatbot training data"
        return Event(headline, [lead_par, follow], lab, rc, lead_par)
    publisher = r.choice(
        ("The New York Times", "Getty Images", "a group of authors", "Universal Music Group", "a news agency")
    )
    lead_par = f"{publisher[0].upper()}{publisher[1:]} sued {lab} for copyright infringement in {city} {when}, alleging that millions of its works were used to train AI models without permission."
    follow = f"{lab} said its use of publicly available material was lawful and that it would defend itself."
    headline = f"{publisher[0].upper()}{publisher[1:]} sues {lab} over AI training"
    return Event(headline, [lead_par, follow], lab, country, lead_par)


def _policy(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    when = _when(p, day, published)
    kind = r.randrange(6)
    country = r.choice(N.COUNTRIES)
    if kind == 0:
        amount = _round_millions(_log_uniform(r, 50, 20000))
        years = r.randint(3, 10)
        lead_par = f"The government of {_the(country[0])} published its national artificial intelligence strategy {when}, committing {_money(p, amount, country[2])} over {years} years to research, computing infrastructure and skills."
        follow = f"The {country[1]} strategy sets up a national AI office and aims to train {p.choice(('50,000', '100,000', '20,000'))} specialists by {published.year + years}."
        headline = f"{country[0]} launches national AI strategy with {_usd(p, amount)}"
        return Event(headline, [lead_par, follow], f"Government of {country[0]}", country, lead_par)
    if kind == 1:
        number = r.randint(14200, 14399)
        topic = r.choice(
            (
                "promoting AI in federal agencies",
                "AI infrastructure on federal land",
                "AI education for young people",
                "the security of AI models",
                "federal procurement of AI systems",
            )
        )
        lead_par = f"President {p.choice(('Donald Trump', 'Joe Biden'))} signed Executive Order {number} on {topic} {when}, directing agencies to act within {p.choice((90, 120, 180))} days."
        follow = (
            "The order also asks the Office of Management and Budget to issue guidance on risk management."
        )
        headline = f"Executive order on {topic} signed"
        return Event(headline, [lead_par, follow], "United States Government", N.COUNTRIES[0], lead_par)
    if kind == 2:
        act = f"{r.choice(('Artificial Intelligence', 'AI Basic', 'AI Safety', 'Algorithmic Accountability', 'Digital Innovation'))} Act"
        verb = p.choice(("passed", "adopted", "approved"))
        lead_par = f"{country[1]} lawmakers {verb} the {act} {when}, setting obligations for developers of high-risk AI systems."
        follow = f"The {country[4]} vote followed {p.randint(2, 18)} months of debate; the law takes effect next year."
        headline = f"{country[0]} {verb} {act}"
        return Event(headline, [lead_par, follow], f"Government of {country[0]}", country, lead_par)
    if kind == 3:
        entities = r.sample(
            (
                "Sophgo",
                "Biren Technology",
                "Moore Threads",
                "Zhipu AI",
                "SMIC",
                "Cambricon",
                "YMTC",
                "CXMT",
                "Inspur",
            ),
            3,
        )
        lead_par = f"The US Commerce Department's Bureau of Industry and Security added {r.randint(6, 140)} entities, including {_join(entities)}, to the Entity List {when}, restricting exports of advanced AI chips and chipmaking equipment to China."
        follow = "The rule also tightens licence requirements for high-bandwidth memory."
        headline = "US adds Chinese AI chip firms to Entity List"
        return Event(
            headline, [lead_par, follow], "Bureau of Industry and Security", N.COUNTRIES[0], lead_par
        )
    if kind == 4:
        body, bcountry = r.choice(N.POLICY_BODIES)
        doc = r.choice(
            (
                "guidelines on generative AI",
                "a code of practice for general-purpose AI models",
                "rules on labelling AI-generated content",
                "a framework for AI risk management",
                "draft rules for AI in hiring",
            )
        )
        lead_par = f"{body} issued {doc} {when}, which {p.choice(('take effect', 'apply', 'become binding'))} from {p.choice(MONTHS)} {published.year + 1}."
        follow = "Companies will have to document how their systems were trained and tested."
        headline = f"{body} issues {doc}"
        bc = _country(bcountry, 4)
        return Event(headline, [lead_par, follow], body, bc, lead_par)
    org = r.choice(("United Nations", "UNESCO", "OECD", "Council of Europe", "G7", "G20"))
    if p.random() < 0.5:
        lead_par = f"Members of the {org} adopted a resolution on safe, secure and trustworthy artificial intelligence {when}."
    else:
        lead_par = f"Members of the {org} signed a framework convention on artificial intelligence and human rights {when}."
    follow = "The text is not binding, but officials said it sets a common baseline for national rules."
    headline = f"{org} adopts AI resolution"
    return Event(headline, [lead_par, follow], org, country, lead_par)


_PROGRAMMES = (
    "a national AI computing mission", "a sovereign AI fund", "a semiconductor and AI support package",
    "a programme of AI research chairs", "a public AI research resource", "AI gigafactories",
)  # fmt: skip


def _public_money(r: Random, p: Random, day: dt.date, published: dt.date) -> Event:
    when = _when(p, day, published)
    country = r.choice(N.COUNTRIES)
    amount = _round_millions(_log_uniform(r, 20, 50000))
    programme = r.choice(_PROGRAMMES)
    money = _money(p, amount, country[2] if p.random() < 0.8 else "usd")
    if country[0] == "India" and p.random() < 0.6:
        lead_par = f"The Union Cabinet chaired by Prime Minister Narendra Modi {when} approved {programme} with an outlay of {money} over five years."
    elif p.random() < 0.5:
        lead_par = f"{_the(country[0])[0].upper()}{_the(country[0])[1:]} will spend {money} on {programme}, the {country[3].lower()} announced {when}."
    else:
        lead_par = f"The {country[1]} government unveiled {programme} worth {money} {when}, to be disbursed through grants and low-interest loans."
    follow = f"Officials said the money would support startups, universities and data centres across {_the(country[0])}."
    headline = f"{country[0]} commits {_usd(p, amount)} to {programme.split(' ', 1)[1]}"
    return Event(headline, [lead_par, follow], f"Government of {country[0]}", country, lead_par)


_EVENT_FUNCS: dict[str, Callable[[Random, Random, dt.date, dt.date], Event]] = {
    "funding": _funding,
    "deal": _deal,
    "alliance": _alliance,
    "incident": _incident,
    "policy": _policy,
    "public_money": _public_money,
}


# --------------------------------------------------------------------------------------------------------
# Site chrome and pure boilerplate
# --------------------------------------------------------------------------------------------------------


def _related(r: Random) -> str:
    lines = []
    for _ in range(r.randint(2, 4)):
        big, lab = r.choice(N.BIG_TECH), r.choice(N.AI_LABS)[0]
        lines.append(
            r.choice(
                (
                    f"- {big} invests ${r.randint(1, 20)} billion in {lab}",
                    f"- {lab} raises ${r.randint(100, 900)} million",
                    f"- Why {big} is betting on {lab}",
                    f"- {lab} hits ${r.randint(2, 90)} billion valuation",
                )
            )
        )
    return "Related stories\n" + "\n".join(lines)


def _chrome(r: Random, paragraphs: list[str], site: str, year: int) -> list[str]:
    head = [
        r.choice(
            (
                "Home | Markets | Tech | AI | Subscribe",
                "Startups | Venture | AI | Apps | Security | Events | Newsletters",
                "Menu  Search  Sign in",
            )
        )
    ]
    if r.random() < 0.6:
        head.append("This site uses cookies. Continue browsing to accept, or change your preferences. [OK]")
    if r.random() < 0.4:
        head.append("Advertisement")
    tail = []
    if r.random() < 0.6:
        tail.append(
            f"Subscribe to our newsletter: the week's biggest AI deals, every {r.choice(WEEKDAYS[:5])}. [Enter your email]"
        )
    if r.random() < 0.5:
        tail.append(f"Our partners: {' | '.join(r.sample(N.BIG_TECH, 5))}")
    if r.random() < 0.6:
        tail.append(_related(r))
    tail.append(f"© {year} {site}. All rights reserved.")
    return head + paragraphs + tail


def _boilerplate(r: Random, published: dt.date) -> tuple[str, list[str]]:
    site = r.choice(N.SITE_NAMES)
    kind = r.randrange(5)
    if kind == 0:
        return f"Cookie policy | {site}", [
            f"We use cookies to improve your experience on {site}. By continuing you agree to our Privacy Policy and Terms of Service.",
            "Strictly necessary cookies keep the site working. Analytics cookies help us understand how readers use our pages. Advertising cookies let our partners show you relevant offers.",
            "You can change your choices at any time from the link at the bottom of every page. [Accept all] [Reject all] [Manage preferences]",
            f"© {published.year} {site}. All rights reserved.",
        ]
    if kind == 1:
        return f"Sign up for the {site} newsletter", [
            f"Get the most important AI stories in your inbox every {r.choice(WEEKDAYS[:5])} morning.",
            "Join more than 250,000 founders, investors and policymakers who read our briefing. It's free, and you can unsubscribe at any time.",
            f"Trusted by: {', '.join(r.sample(N.BIG_TECH, 6))}",
            "[Enter your email]  [Subscribe]",
            "By subscribing you agree to receive marketing emails. Read our privacy notice.",
        ]
    if kind == 2:
        name, country = _startup(r)
        return f"About {name}", [
            f"{name} builds {r.choice(N.STARTUP_PRODUCTS)} for businesses in {r.randint(10, 60)} countries.",
            f"Founded in {r.randint(2015, 2023)} and headquartered in {r.choice(country[5])}, the company is backed by leading investors and employs more than {r.choice((50, 200, 400))} people.",
            f"For press enquiries contact press@{_slug(name).replace('-', '')}.example.com. For careers, visit our jobs page.",
        ]
    if kind == 3:
        return "Page not found", [
            "Sorry, the page you were looking for could not be found. It may have been moved or deleted.",
            "Try searching for what you need, or return to the home page.",
            f"Most read: 1. {r.choice(N.AI_LABS)[0]} raises ${r.randint(1, 9)}.{r.randint(0, 9)}bn  2. EU AI Act explained  3. {r.choice(N.BIG_TECH)} earnings beat",
        ]
    city = r.choice(r.choice(N.COUNTRIES)[5])
    return f"AI Summit {city} {published.year + 1}: registration open", [
        f"Sponsored: Join 10,000 executives at AI Summit {city}. Tickets from £{r.choice((499, 799, 999))}.",
        f"Speakers include leaders from {_join(r.sample(N.BIG_TECH, 3))}.",
        "Early-bird pricing ends soon. Group discounts available. [Register now]",
    ]


# --------------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPlan:
    day: dt.date
    count: int
    stream: str  # "base" or "increment"
    seed: int
    slots: int  # shared events per family per day (re-reports pick one of the last days' slots)


def _event_for(family: str, r: Random, plan: DayPlan, published: dt.date) -> Event:
    func = _EVENT_FUNCS[family]
    lag = min(int(r.random() ** 2 * 4), 3)
    event_day = published - dt.timedelta(days=lag)
    if r.random() < _SHARE_OF_REREPORTS:
        # Another outlet's take on a recent event: the facts come from the event's own stream, the
        # wording from this document's.
        slot = r.randrange(plan.slots)
        event_rng = Random(f"event:{plan.seed}:{family}:{event_day.isoformat()}:{slot}")
        return func(event_rng, r, event_day, published)
    return func(r, r, event_day, published)


def _source_for(r: Random, collection: str, event: Event) -> tuple[str, str]:
    if collection == COLLECTION_POLICY:
        return f"Government of {event.country[0]}", f"www.gov.{_slug(event.country[0])}.example"
    if collection == COLLECTION_FUNDING:
        if r.random() < 0.5:
            return f"{event.org} press release", f"{_slug(event.org).replace('-', '')}.example.com"
        return "Business Wire", "www.businesswire.com"
    return r.choice(N.OUTLETS)


def _collection(r: Random, family: str) -> str:
    x = r.random()
    if family == "funding":
        return COLLECTION_FUNDING if x < 0.45 else COLLECTION_NEWS
    if family == "deal":
        return COLLECTION_FUNDING if x < 0.2 else COLLECTION_NEWS
    if family == "alliance":
        return COLLECTION_POLICY if x < 0.15 else COLLECTION_NEWS
    if family == "incident":
        return COLLECTION_POLICY if x < 0.1 else COLLECTION_NEWS
    if family == "policy":
        return COLLECTION_POLICY if x < 0.8 else COLLECTION_NEWS
    if family == "public_money":
        return COLLECTION_POLICY if x < 0.5 else COLLECTION_FUNDING if x < 0.8 else COLLECTION_NEWS
    return COLLECTION_NEWS


def _background(r: Random, topic: str, org: str, country: tuple, published: dt.date) -> str:
    """A paragraph with a retrospective fact, as most corpus articles have (earlier rounds, past laws)."""
    year = r.randint(max(2015, published.year - 6), published.year - 1)
    month = MONTHS[r.randrange(12)]
    if topic == "company":
        x = r.random()
        round_name = r.choice(("seed", "Series A", "Series B"))
        amount = _round_millions(_log_uniform(r, 2, 150))
        if x < 0.15:
            return f"The round follows a {_usd(r, amount)} {round_name} in {month} {year} led by {r.choice(N.INVESTORS)}."
        if x < 0.55:
            return f"In {month} {year}, {org} raised {_usd(r, amount)} in a {round_name} round led by {r.choice(N.INVESTORS)}."
        if x < 0.9:
            big, lab = r.choice(N.BIG_TECH), r.choice(N.AI_LABS)[0]
            amount = _round_millions(_log_uniform(r, 100, 10000))
            return f"In {month} {year}, {big} invested {_usd(r, amount)} in {lab}, a deal that started the current wave of partnerships between cloud providers and model developers."
        big = r.choice(N.BIG_TECH)
        return f"{big}, which invested in {org} in {year}, did not take part this time."
    if topic == "policy":
        if r.random() < 0.6:
            amount = _round_millions(_log_uniform(r, 50, 5000))
            return f"The measures build on the {year} national AI strategy of {_the(country[0])}, which set aside {_money(r, amount, country[2])} for research and computing."
        return f"In {month} {year}, {country[1]} authorities issued rules requiring providers of generative AI services to label synthetic content."
    regulator = r.choice(N.REGULATORS)[0]
    lab = r.choice(N.AI_LABS)[0]
    amount = _round_millions(_log_uniform(r, 1, 300))
    return f"It is not the first such case: in {month} {year}, {regulator} fined {lab} {_usd(r, amount)} over the way it handled personal data."


_TOPIC = {
    "funding": "company",
    "deal": "company",
    "alliance": "company",
    "incident": "incident",
    "policy": "policy",
    "public_money": "policy",
}


def make_document(r: Random, plan: DayPlan, index: int, family: str) -> dict[str, str]:
    published = plan.day
    if family in _EVENT_FUNCS:
        event = _event_for(family, r, plan, published)
        collection = _collection(r, family)
        source, domain = _source_for(r, collection, event)
        topic = _TOPIC[family] if not event.org.startswith("Government of") else "policy"
        fillers = _filler_paragraphs(r, event.org, event.country, source, _filler_count(r), topic)
        if r.random() < 0.55:
            fillers.insert(
                r.randrange(len(fillers) + 1), _background(r, topic, event.org, event.country, published)
            )
        paragraphs = event.paragraphs + fillers
        if collection == COLLECTION_NEWS and r.random() < 0.2:
            paragraphs = _chrome(r, paragraphs, source, published.year)
        title = event.headline
    elif family == "multi_event":
        title, paragraphs, source, domain = _multi_event(r, plan, published)
        collection = COLLECTION_NEWS
    elif family == "certainty":
        title, paragraphs = _certainty(r, published)
        source, domain = r.choice(N.OUTLETS)
        collection = COLLECTION_NEWS
    elif family == "commentary":
        title, paragraphs = _commentary(r, published)
        source, domain = r.choice(N.OUTLETS)
        collection = COLLECTION_NEWS
    else:
        title, paragraphs = _boilerplate(r, published)
        source, domain = r.choice(N.OUTLETS)
        collection = COLLECTION_NEWS
    iso = published.isoformat()
    return {
        "title": title,
        "published": iso,
        "collection": collection,
        "source": source,
        "url": f"https://{domain}/{iso.replace('-', '/')}/{_slug(title)}-{plan.stream[0]}{index}",
        "text": "\n\n".join(paragraphs),
    }


def _multi_event(r: Random, plan: DayPlan, published: dt.date) -> tuple[str, list[str], str, str]:
    source, domain = r.choice(N.OUTLETS)
    kind = r.randrange(3)
    count = r.randint(2, 4)
    if kind == 0:
        events = [_event_for("funding", r, plan, published) for _ in range(count)]
        title = f"This week in AI funding: {_join([e.org for e in events])}"
        intro = f"{r.choice(('Three', 'Several', 'A handful of'))} large artificial intelligence deals were announced this week. Here is a summary of the biggest rounds."
        body = [f"**{e.org}.** {' '.join(e.paragraphs)}" for e in events]
        outro = (
            "Together, the rounds added up to a large share of the month's venture funding for AI startups."
        )
        return title, [intro, *body, outro], source, domain
    if kind == 1:
        families = [r.choice(("policy", "policy", "public_money", "alliance")) for _ in range(count)]
        events = [_event_for(f, r, plan, published) for f in families]
        title = f"Policy week: {'; '.join(e.headline for e in events[:2])}"
        intro = "The main AI policy moves of the week, in brief."
        return title, [intro, *(e.short for e in events)], source, domain
    families = [r.choice(_SHARED_FAMILIES) for _ in range(count)]
    events = [_event_for(f, r, plan, published) for f in families]
    title = f"Roundup: {events[0].headline}, and more"
    intro = "Here is what happened in AI this week."
    body = [e.short for e in events]
    return (
        title,
        [intro, *body, *_filler_paragraphs(r, events[0].org, events[0].country, source, 1)],
        source,
        domain,
    )


def _certainty(r: Random, published: dt.date) -> tuple[str, list[str]]:
    lab = r.choice(N.AI_LABS)[0]
    big = r.choice(N.BIG_TECH)
    amount = _round_millions(_log_uniform(r, 100, 50000))
    money = _usd(r, amount)
    when = _when(r, published, published)
    kind = r.randrange(3)
    if kind == 0:
        lead = f"{big} is in talks to invest as much as {money} in {lab}, according to people familiar with the matter."
        follow = f"The talks are at an early stage and may not lead to a deal, the people said. {big} and {lab} declined to comment."
        title = f"{big} in talks to invest in {lab}, sources say"
    elif kind == 1:
        lead = f"{big} {when} denied reports that it would invest {money if r.random() < 0.5 else ''} in {lab}, saying the reports were false.".replace(
            "  ", " "
        )
        follow = f"Several outlets had reported that {big} planned to take a stake worth about {money}. Its shares gave back early gains after the denial."
        title = f"{big} denies plan to invest in {lab}"
    else:
        firm = r.choice(("Dell'Oro Group", "Gartner", "IDC", "a consultancy", "Morgan Stanley analysts"))
        lead = f"Global spending on AI data centres is expected to exceed {_usd(r, _round_millions(_log_uniform(r, 200_000, 2_000_000)))} by {published.year + r.randint(2, 5)}, {firm} forecast {when}."
        follow = f"{firm[0].upper()}{firm[1:]} said {big} and other cloud providers would account for most of the growth."
        title = f"AI data-centre spending forecast to reach new highs by {published.year + 3}"
    country = r.choice(N.COUNTRIES)
    return title, [
        lead,
        follow,
        *_filler_paragraphs(r, lab, country, r.choice(N.OUTLETS)[0], _filler_count(r)),
    ]


def _commentary(r: Random, published: dt.date) -> tuple[str, list[str]]:
    topic = r.choice(
        (
            "How AI startup funding rounds work",
            "Why counting AI incidents is hard",
            "State money in the AI race",
            "What risk-based AI regulation means",
            "The economics of AI compute",
        )
    )
    big, lab = r.choice(N.BIG_TECH), r.choice(N.AI_LABS)[0]
    year = r.randint(2016, published.year - 1)
    paragraphs = [
        f"{topic} is a question that comes up every time a large deal or a new law makes the headlines.",
        "Startups usually raise a seed round first, then lettered rounds as they grow. Each round sells part of the company at a price that sets its valuation.",
    ]
    if r.random() < 0.6:
        paragraphs.append(
            f"Some of the largest deals were strategic. In {year}, {big} invested {_usd(r, _round_millions(_log_uniform(r, 200, 10000)))} in {lab}, a deal that set the pattern for later partnerships."
        )
    paragraphs += _filler_paragraphs(r, lab, r.choice(N.COUNTRIES), "this column", r.randint(2, 6), "policy")
    paragraphs.append("The views expressed are the author's own.")
    lowered = topic[0].lower() + topic[1:]
    return f"Explainer: {lowered}" if r.random() < 0.5 else f"Commentary: {lowered}", paragraphs


def _family(r: Random) -> str:
    x = r.random() * _FAMILY_CUMULATIVE[-1]
    return FAMILIES[min(bisect.bisect_right(_FAMILY_CUMULATIVE, x), len(FAMILIES) - 1)]


def day_documents_with_families(plan: DayPlan) -> Iterator[tuple[str, dict[str, str]]]:
    """The day's documents, each with the template family it was drawn from."""
    r = Random(f"{plan.stream}:{plan.seed}:{plan.day.isoformat()}")
    for index in range(plan.count):
        family = _family(r)
        yield family, make_document(r, plan, index, family)


def day_documents(plan: DayPlan) -> Iterator[dict[str, str]]:
    for _, document in day_documents_with_families(plan):
        yield document


# --------------------------------------------------------------------------------------------------------
# Document sets on disk
# --------------------------------------------------------------------------------------------------------


def day_counts(
    n_docs: int, seed: int = 0, start: dt.date = DEFAULT_START, days: int = DEFAULT_DAYS
) -> list[int]:
    """Documents per day, summing to `n_docs`: fewer at weekends, a rising trend, some day-to-day noise."""
    weights = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        weekday = day.weekday()
        w = 1.0 if weekday < 5 else 0.35 if weekday == 5 else 0.3
        w *= 1.0 + 0.6 * offset / max(days - 1, 1)
        w *= Random(f"count:{seed}:{day.isoformat()}").uniform(0.8, 1.2)
        weights.append(w)
    total = sum(weights)
    counts, cumulative, placed = [], 0.0, 0
    for w in weights:
        cumulative += w
        upto = round(n_docs * cumulative / total)
        counts.append(upto - placed)
        placed = upto
    return counts


def day_path(out: Path, day: dt.date) -> Path:
    return out / f"{day.year:04d}" / f"{day.isoformat()}.jsonl"


def _dumps(document: dict[str, str]) -> str:
    return json.dumps(document, ensure_ascii=False)


def _write_day(out: str, plan: DayPlan) -> tuple[int, int]:
    path = day_path(Path(out), plan.day)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [_dumps(d) for d in day_documents(plan)]
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    path.write_bytes(data)
    return len(lines), len(data)


def _plans(n_docs: int, seed: int, start: dt.date, days: int) -> list[DayPlan]:
    counts = day_counts(n_docs, seed, start, days)
    return [
        DayPlan(start + dt.timedelta(days=i), c, "base", seed, max(1, round(c * 0.02)))
        for i, c in enumerate(counts)
        if c > 0
    ]


@dataclass(frozen=True)
class GeneratedSet:
    path: Path
    documents: int
    bytes: int
    first_day: dt.date
    last_day: dt.date
    seconds: float

    def to_json(self) -> dict:
        return {
            "path": str(self.path),
            "documents": self.documents,
            "bytes": self.bytes,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "seconds": round(self.seconds, 3),
        }


def generate(
    n_docs: int,
    out: Path,
    seed: int = 0,
    start: dt.date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    jobs: int = 1,
) -> GeneratedSet:
    """Write the base set of `n_docs` documents into `out` (which must not hold another set)."""
    began = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    plans = _plans(n_docs, seed, start, days)
    documents = size = 0
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for count, nbytes in pool.map(_write_day, [str(out)] * len(plans), plans, chunksize=8):
                documents += count
                size += nbytes
    else:
        for plan in plans:
            count, nbytes = _write_day(str(out), plan)
            documents += count
            size += nbytes
    last = start + dt.timedelta(days=days - 1)
    return GeneratedSet(out, documents, size, start, last, time.monotonic() - began)


def base_end(start: dt.date = DEFAULT_START, days: int = DEFAULT_DAYS) -> dt.date:
    return start + dt.timedelta(days=days - 1)


def write_increment(out: Path, n_docs: int, day: dt.date, seed: int = 0) -> Path:
    """`n_docs` new documents dated `day`, in `out/YYYY/YYYY-MM-DD.jsonl` (their own random stream)."""
    plan = DayPlan(day, n_docs, "increment", seed, max(1, round(n_docs * 0.02)))
    _write_day(str(out), plan)
    return day_path(out, day)


def set_name(n_docs: int, seed: int = 0, start: dt.date = DEFAULT_START, days: int = DEFAULT_DAYS) -> str:
    name = f"docs-{n_docs}-seed{seed}"
    if (start, days) != (DEFAULT_START, DEFAULT_DAYS):
        name += f"-{start.isoformat()}-{days}d"
    return name


def cached_set(
    n_docs: int,
    seed: int = 0,
    start: dt.date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    root: Path = DATA_ROOT,
    jobs: int = 1,
    log: Callable[[str], None] = print,
) -> GeneratedSet:
    """The set under `root/docs-<N>-seed<S>/`, generated unless a complete one of this version is there."""
    out = root / set_name(n_docs, seed, start, days)
    marker = out / MARKER
    params = {
        "version": GENERATOR_VERSION,
        "docs": n_docs,
        "seed": seed,
        "start": start.isoformat(),
        "days": days,
    }
    if marker.is_file():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if saved.get("params") == params:
            return GeneratedSet(
                out,
                saved["documents"],
                saved["bytes"],
                dt.date.fromisoformat(saved["first_day"]),
                dt.date.fromisoformat(saved["last_day"]),
                0.0,
            )
    log(f"generating {n_docs:,} documents into {out} ...")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    made = generate(n_docs, partial, seed, start, days, jobs=jobs)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    made = GeneratedSet(out, made.documents, made.bytes, made.first_day, made.last_day, made.seconds)
    (out / MARKER).write_text(json.dumps({"params": params, **made.to_json()}, indent=2), encoding="utf-8")
    log(f"generated {made.documents:,} documents ({made.bytes / 1e6:.0f} MB) in {made.seconds:.1f}s")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, help="documents to write (increment: default 1%% of the base)")
    parser.add_argument(
        "--out", type=Path, help="output folder (default bench/.data/docs-<N>-seed<S>, cached)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--jobs", type=int, default=1, help="processes (days are independent; same bytes)")
    parser.add_argument(
        "--increment-of", type=int, metavar="N_BASE", help="write new documents for a base set"
    )
    parser.add_argument(
        "--day", type=dt.date.fromisoformat, help="increment day (default: day after the base)"
    )
    args = parser.parse_args(argv)
    if args.increment_of is not None:
        if args.out is None:
            parser.error("--increment-of needs --out (kept apart from the cached base set)")
        docs = args.docs if args.docs is not None else max(1, args.increment_of // 100)
        day = args.day or base_end(args.start, args.days) + dt.timedelta(days=1)
        path = write_increment(args.out, docs, day, args.seed)
        print(f"wrote {docs:,} documents dated {day} to {path}")
        return 0
    if args.docs is None:
        parser.error("--docs is required")
    if args.out is None:
        cached_set(args.docs, args.seed, args.start, args.days, jobs=args.jobs)
        return 0
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; remove it or choose another folder")
    made = generate(args.docs, args.out, args.seed, args.start, args.days, jobs=args.jobs)
    print(json.dumps(made.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
