"""Synthetic but realistic data sets for the benchmarks, in the repository's layout.

``python -m bench.generate --events 10000 --out bench/out/data-10000`` writes
``articles/*.txt`` + ``articles/articles.csv``, ``geodata/gazetteer.csv`` and ``events.csv``,
valid under ``python -m lib check --root DIR`` (no errors; small sets get warnings for places
that no article names).

What makes it realistic enough to measure with:

- 500 to 2,000 invented places (``default_places``) in the box lat 33.5-37, lon 67.5-71.5,
  clustered around valley-like centres, with every precision of ``lib.data.schema.PRECISIONS`` in a
  plausible mix and an ``uncertainty_km`` to match; pronounceable names that are unique as
  ``lib.data.text.name_key``, about a quarter with a variant spelling that the articles also use.
- Events over 60 days (1 Aug - 29 Sep 2021), intensity rising with a few bursts; places drawn
  from a long-tailed (Zipf-like) distribution, some events at two places; every event type,
  statuses and claimants consistent with the schema, casualty figures in the schema's grammar,
  and about 4% of claims answered by a denial that ``contests`` them.
- Articles of about 3 KB (the curated ones are 2.5-11 KB), one paragraph per line, about nine
  events each, published 0-3 days after what they report. Each event's quote is a verbatim
  sentence of its first article; some events cite a second article that restates them. Articles
  also name places in passing (what the mention index finds besides the events) and use curly
  quotes and dashes, as scraped news text does.

Deterministic: the same ``--events``, ``--places`` and ``--seed`` give byte-identical files.
Every place is invented, and its ``source`` says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio
from lib.data.schema import ARTICLE_COLUMNS, EVENT_COLUMNS, EVENT_TYPES, PLACE_COLUMNS
from lib.data.text import name_key

#: Bump when the output changes, so cached data sets in bench/out/ are rebuilt.
VERSION = 2  # 2: every denial answers a claim that contests it back
SEED = 20210815
OUT = Path(__file__).resolve().parent / "out"
START = dt.date(2021, 8, 1)
DAYS = 60
LAT = (33.5, 37.0)
LON = (67.5, 71.5)
SOURCE = "synthetic, invented by bench.generate (not a real place)"

# --- names --------------------------------------------------------------------------------------

_ONSETS = "b d f g gh h j k kh l m n p q r s sh t w y z ch".split()
_VOWELS = "a a a i i u o e".split()
_CODAS = ["", "", "", "n", "r", "l", "m", "z", "sh", "b", "d", "k", "st"]
_TOWN_SUFFIXES = ["abad", "khel", "zai", "dara", "bagh", "kot", "gul", "pur", "shahr", "ak"]
_TOWN_PREFIXES = ["Deh {}", "Qala-i-{}", "Pul-i-{}", "Bagh-e {}", "Dasht-i-{}"]
# Spelling changes seen between transliterations; applied to make variant spellings.
_VARIANT_RULES = [
    ("q", "k"),
    ("-i-", "-e-"),
    ("kh", "k"),
    ("abad", "abaad"),
    ("u", "oo"),
    ("i", "ee"),
    ("w", "v"),
    ("z", "s"),
    ("o", "u"),
    ("sh", "ch"),
]


def _stem(rng: random.Random) -> str:
    # Open syllables with at most one closing consonant at the end read easily: "Bikenak".
    syllables = 2 if rng.random() < 0.75 else 3
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    if rng.random() < 0.5:
        word += rng.choice(_CODAS[3:])
    return word.capitalize()


def _variant(rng: random.Random, name: str) -> str | None:
    rules = [r for r in _VARIANT_RULES if r[0] in name.lower()]
    rng.shuffle(rules)
    for old, new in rules[:2]:
        # Replace case-insensitively once, keeping a capital first letter.
        index = name.lower().find(old)
        if index < 0:
            continue
        replaced = name[:index] + new + name[index + len(old) :]
        if index == 0:
            replaced = replaced[0].upper() + replaced[1:]
        if name_key(replaced) != name_key(name):
            return replaced
    return None


# --- the gazetteer ------------------------------------------------------------------------------


@dataclass
class Place:
    id: str
    name: str
    kind: str
    precision: str
    lat: float
    lon: float
    uncertainty_km: float
    variants: list[str] = field(default_factory=list)
    mention: str = ""  # how articles write it in running text ("Sangan district")
    note: str = ""

    def spellings(self) -> list[str]:
        return [self.mention or self.name, *self.variants]

    def row(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "variants": "; ".join(self.variants),
            "kind": self.kind,
            "lat": f"{self.lat:.5f}",
            "lon": f"{self.lon:.5f}",
            "precision": self.precision,
            "uncertainty_km": f"{self.uncertainty_km:g}",
            "country": "AF",
            "source": SOURCE,
            "note": self.note,
        }


def default_places(events: int) -> int:
    """Places for a data set of ``events``: 500 up to 10,000 events, rising to 2,000 at 100,000."""
    return max(500, min(2000, events // 50))


# (kind, precision, share of places, uncertainty_km range). Shares sum to 1 after the
# fixed country and provinces.
_MIX = [
    ("city", "town", 0.04, (5, 10)),
    ("town", "town", 0.56, (1, 6)),
    ("pass", "point", 0.06, (0.3, 1.5)),
    ("town", "point", 0.02, (0.1, 0.5)),  # a building or a base
    ("district", "district", 0.14, (8, 25)),
    ("valley", "valley", 0.07, (10, 35)),
    ("town", "approximate", 0.11, (3, 15)),
]
_PROVINCES = 8


def make_places(rng: random.Random, count: int, reserved: set[str]) -> list[Place]:
    """``count`` places with unique name keys, none equal to a word of the article templates."""
    used: set[str] = set(reserved)

    def stem() -> str:
        # A fresh invented word: unique, and no word the templates use ("Shops", "Roads").
        while True:
            word = _stem(rng)
            if name_key(word) not in used:
                used.add(name_key(word))
                return word

    def unique(make) -> str:
        while True:
            name = make()
            if name_key(name) not in used:
                used.add(name_key(name))
                return name

    def slug(name: str) -> str:
        return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:64]

    def town() -> str:
        base = stem()
        roll = rng.random()
        if roll < 0.35:
            return base + rng.choice(_TOWN_SUFFIXES)
        if roll < 0.5:
            return rng.choice(_TOWN_PREFIXES).format(base)
        return base

    centres = [(rng.uniform(*LAT), rng.uniform(*LON)) for _ in range(max(12, count // 25))]

    def near(spread: float) -> tuple[float, float]:
        lat, lon = rng.choice(centres)
        lat = min(max(rng.gauss(lat, spread), LAT[0]), LAT[1])
        lon = min(max(rng.gauss(lon, spread * 1.2), LON[0]), LON[1])
        return lat, lon

    country = unique(lambda: stem() + "istan")
    places: list[Place] = [
        Place(
            slug(country),
            country,
            "country",
            "country",
            sum(LAT) / 2,
            sum(LON) / 2,
            400,
            note="the whole (invented) country, for events the reporting does not place",
        )
    ]
    for i in range(_PROVINCES):
        name = stem()
        lat = LAT[0] + (LAT[1] - LAT[0]) * (0.25 + 0.5 * (i % 2))
        lon = LON[0] + (LON[1] - LON[0]) * (0.125 + 0.25 * (i // 2))
        places.append(
            Place(
                slug(name + " province"),
                f"{name} Province",
                "province",
                "province",
                round(lat + rng.uniform(-0.2, 0.2), 5),
                round(lon + rng.uniform(-0.2, 0.2), 5),
                round(rng.uniform(40, 80)),
                mention=f"{name} province",
            )
        )
    remaining = count - len(places)
    quotas = [max(1, round(share * remaining)) for _, _, share, _ in _MIX]
    quotas[1] += remaining - sum(quotas)  # towns absorb the rounding
    for (kind, precision, _, (low, high)), quota in zip(_MIX, quotas, strict=True):
        for _ in range(quota):
            if kind == "pass":
                name = unique(
                    lambda: f"Kotal-e {stem()}" if rng.random() < 0.5 else f"{stem()} Pass"
                )
                mention = name
            elif kind in ("valley", "district"):
                base = stem()
                name, mention = f"{base} {kind.capitalize()}", f"{base} {kind}"
                used.add(name_key(name))
            else:
                name = mention = unique(town)
            lat, lon = near(0.35 if kind in ("district", "valley") else 0.15)
            place = Place(
                slug(name),
                name,
                kind,
                precision,
                round(lat, 5),
                round(lon, 5),
                round(rng.uniform(low, high), 1),
                mention=mention,
            )
            if precision == "approximate":
                place.note = "no sourced point; placed near the nearest named village"
            if kind in ("town", "city", "pass") and rng.random() < 0.28:
                variant = _variant(rng, name)
                if variant and name_key(variant) not in used:
                    used.add(name_key(variant))
                    place.variants.append(variant)
            places.append(place)
    ids = [p.id for p in places]
    assert len(set(ids)) == len(ids), "place ids must be unique"
    return places


# --- events and their sentences -----------------------------------------------------------------

ACTORS = ["Taliban", "NRF"]
SIDE_WORDS = {
    "taliban": "Taliban fighters",
    "nrf": "resistance fighters",
    "civilians": "civilians",
    "both": "fighters on both sides",
    "unknown": "people",
}
# claimant (as stored) -> (sentence start, mid-sentence) forms, and the side it speaks for.
CLAIMANTS = {
    "Taliban spokesman": ("A Taliban spokesman", "a Taliban spokesman", "Taliban"),
    "NRF spokesman": ("An NRF spokesman", "an NRF spokesman", "NRF"),
    "Taliban commander": ("A Taliban commander", "a Taliban commander", "Taliban"),
    "NRF commander": ("An NRF commander", "an NRF commander", "NRF"),
    "provincial officials": ("Provincial officials", "provincial officials", ""),
    "local elders": ("Local elders", "local elders", ""),
    "hospital staff": ("Hospital staff", "hospital staff", ""),
}
TYPE_WEIGHTS = {
    "clash": 20,
    "attack": 15,
    "casualty_claim": 15,
    "territorial_claim": 10,
    "denial": 0,  # denials are made below, each answering a claim (lib.data.checks wants a rival)
    "statement": 10,
    "negotiation": 4,
    "political": 4,
    "civilian_harm": 12,
    "preparation": 8,
}
assert set(TYPE_WEIGHTS) == set(EVENT_TYPES)
STATUS_WEIGHTS = {
    "clash": {"reported": 70, "confirmed": 10, "claimed": 20},
    "attack": {"claimed": 50, "reported": 40, "confirmed": 10},
    "casualty_claim": {"claimed": 80, "disputed": 10, "reported": 10},
    "territorial_claim": {"claimed": 85, "disputed": 15},
    "denial": {"denied": 100},
    "statement": {"claimed": 60, "reported": 40},
    "negotiation": {"reported": 70, "claimed": 30},
    "political": {"reported": 80, "confirmed": 20},
    "civilian_harm": {"reported": 60, "claimed": 30, "confirmed": 10},
    "preparation": {"reported": 50, "claimed": 50},
}
# {P} place(s), {W} when, {A}/{B} actors, {C}/{c} claimant (start / mid), {F} figures clause.
TEMPLATES = {
    "clash": [
        "Heavy fighting broke out between {A} and {B} fighters near {P} {W}, residents said.",
        "Clashes were reported in {P} {W} as {A} forces pushed against {B} positions.",
        "Gunfire and explosions were heard around {P} {W}, according to people in the area.",
    ],
    "attack": [
        "{A} fighters launched an assault on {P} {W}, according to {c}.",
        "An attack on {B} positions in {P} was carried out {W}.",
        "{A} units tried to advance on {P} {W} but were pushed back, a witness said.",
    ],
    "casualty_claim": [
        "{C} said {F} in fighting around {P} {W}.",
        "According to {c}, {F} near {P} {W}.",
    ],
    "territorial_claim": [
        "{C} claimed {W} that its fighters had taken control of {P}.",
        "{C} said {W} that {P} had been surrounded and its roads cut.",
    ],
    "denial": [
        "{C} denied {W} that {P} had fallen, calling the claim “pure propaganda”.",
        "{C} rejected the reports about {P} as false {W}.",
    ],
    "statement": [
        "{C} vowed {W} to defend {P} “to the last drop of blood”.",
        "In a video message {W}, {c} called on people in {P} to stay in their homes.",
    ],
    "negotiation": [
        "Talks between elders from {P} and {A} representatives {W} ended without agreement.",
        "A delegation travelled to {P} {W} to offer negotiations, {c} said.",
    ],
    "political": [
        "The {A} named a new administrator for {P} {W}.",
        "Officials in {P} announced {W} that the local administration had changed hands.",
    ],
    "civilian_harm": [
        "Residents of {P} said {W} that telephone and internet services had been cut.",
        "Shelling damaged homes in {P} {W}, and families fled toward safer villages.",
        "{C} said {F} in {P} {W}.",
    ],
    "preparation": [
        "{A} fighters were seen digging trenches and gathering weapons in {P} {W}.",
        "Hundreds of {A} reinforcements arrived in {P} {W}, witnesses said.",
    ],
}
RESTATEMENTS = [
    "Separately, reports from {P} spoke of {what}.",
    "Earlier reports from {P} had described {what}.",
]
WHAT = {
    "clash": "heavy fighting",
    "attack": "an assault",
    "casualty_claim": "casualties",
    "territorial_claim": "a change of control",
    "denial": "a denial of earlier claims",
    "statement": "a public appeal",
    "negotiation": "talks",
    "political": "a change of administrators",
    "civilian_harm": "harm to civilians",
    "preparation": "fighters gathering",
}
SUMMARIES = {
    "clash": "Fighting between {A} and {B} at {P}.",
    "attack": "{A} assault on {P}.",
    "casualty_claim": "{claimant} claims casualties ({casualties}) at {P}.",
    "territorial_claim": "{claimant} claims control of {P}.",
    "denial": "{claimant} denies the fall of {P}.",
    "statement": "{claimant} vows to defend {P}.",
    "negotiation": "Talks over {P} fail.",
    "political": "Change of administration at {P}.",
    "civilian_harm": "Civilians harmed at {P}.",
    "preparation": "{A} fighters gather at {P}.",
}
PASSING = [
    "Families from {P} were reported to be moving toward {Q}.",
    "The road between {P} and {Q} remained closed to traffic.",
    "Shops in {P} stayed shut, a trader who fled to {Q} said by phone.",
    "Elders in {P} said they had heard nothing from relatives in {Q} for days.",
]
FILLER = [
    "The situation on the ground could not be independently verified.",
    "Communications in the area have been largely cut off, making reports hard to confirm.",
    "Aid agencies warned of shortages of food, fuel and medicine.",
    "Both sides have made claims in recent days that proved impossible to check.",
    "The mountains have long made the area difficult to reach in any season.",
    "Thousands of people are thought to have left their homes since the fighting began.",
    "Neither side gave details of its own losses.",
    "A spokesman for the United Nations said the organisation was “deeply concerned”.",
    "Prices of flour and cooking oil have doubled in local markets — traders blame the closed roads.",
    "Foreign governments have called on all sides to protect civilians.",
    "Roads into the area were blocked with boulders and checkpoints.",
    "Witnesses described long queues at the few bakeries still open.",
    "It was not clear how many fighters each side could call on.",
    "Phone lines went down late in the evening and had not been restored by morning.",
    "The reports could not be reconciled with accounts given by the other side.",
    "Analysts said the coming weeks would decide whether the resistance could hold out.",
    "Hospitals in the region said they were running short of blood and bandages.",
    "Some residents said they had been told to stay indoors after dark.",
    "The last road open to the outside world was closed on orders from local commanders, travellers said.",
    "Fighters from both sides have used the narrow side valleys to move supplies at night.",
    "Officials in the capital gave no figures, saying only that operations were “proceeding as planned”.",
    "Several aid convoys were turned back at checkpoints, according to two aid workers.",
    "Electricity supplies, already patchy, failed across much of the area for a second day.",
    "Photographs shared on social media could not be verified and some appeared to be old.",
    "A former government minister said on social media that the resistance had enough food for the winter.",
    "Local journalists said they had been warned not to report on troop movements.",
    "The terrain favours defenders, military analysts said, but supplies may become the deciding factor.",
    "People who reached safer districts described walking for two days across the mountains.",
    "A ceasefire proposed by religious scholars earlier in the month was never put into effect.",
    "Mobile networks have been patchy for weeks, and satellite phones are scarce.",
    "Neither account could be squared with what residents described.",
    "Prices of petrol at roadside stalls rose to three times their level a month ago.",
    "Doctors said most of the wounded they treated were young men, but some were children.",
    "The fighting has drawn comparisons with the sieges of earlier decades — and the same families are fleeing again.",
    "It was the third day in a row that such claims had been made.",
    "Diplomats said they were watching events closely but had few ways to influence them.",
]
HEADLINES = [
    "Fighting spreads around {P} as both sides claim gains",
    "Residents flee {P} amid reports of clashes",
    "Resistance vows to hold {P} as pressure mounts",
    "Conflicting claims over {P} as communications cut",
    "Talks falter while fighting continues near {P}",
]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def reserved_words() -> set[str]:
    """Name keys of every word the article text uses outside place names (kept off names)."""
    texts = [*FILLER, *PASSING, *HEADLINES, *RESTATEMENTS, *WHAT.values(), *SUMMARIES.values()]
    texts += [t for group in TEMPLATES.values() for t in group]
    texts += [w for forms in CLAIMANTS.values() for w in forms] + list(SIDE_WORDS.values())
    texts += WEEKDAYS + ACTORS + ["district", "valley", "province", "pass", "late", "night"]
    words = {name_key(w) for text in texts for w in re.split(r"[^\w]+", text)}
    return {w for w in words if w}


@dataclass
class Event:
    id: str
    date: dt.date
    places: list[Place]
    event_type: str
    status: str
    actors: list[str]
    claimant: str
    casualties: str
    figures: str
    published: dt.date
    approximate: bool
    contests: str = ""
    sentence: str = ""
    articles: list[str] = field(default_factory=list)


#: Types whose claims come from officials, elders or doctors rather than from a fighting side.
NEUTRAL_TYPES = ("civilian_harm", "negotiation", "political")


def _claimants(event_type: str, side: str) -> list[str]:
    """Who plausibly makes a claim of this type: a side's spokesman or commander, else officials."""
    if event_type in NEUTRAL_TYPES:
        return ["provincial officials", "local elders", "hospital staff"][
            : 3 if event_type == "civilian_harm" else 2
        ]
    return [c for c, forms in CLAIMANTS.items() if forms[2] == side]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _figures(rng: random.Random, sides: list[str]) -> tuple[str, str]:
    """``(casualties cell, clause for the sentence)``, e.g. ('12 killed taliban', '12 Taliban fighters were killed')."""
    cells, clauses = [], []
    for side in sides:
        kind = rng.choices(["killed", "wounded", "captured"], weights=[6, 3, 1])[0]
        roll = rng.random()
        if roll < 0.65:
            low = rng.randint(1, 60)
            count, spoken = str(low), str(low)
        elif roll < 0.85:
            low = rng.randint(2, 30)
            high = low + rng.randint(1, 10)
            count, spoken = f"{low}-{high}", f"between {low} and {high}"
        else:
            count = rng.choice(["several", "dozens", "scores"])
            spoken = {"several": "several", "dozens": "dozens of", "scores": "scores of"}[count]
        cells.append(f"{count} {kind} {side}")
        clauses.append(f"{spoken} {SIDE_WORDS[side]} were {kind}")
    return "; ".join(cells), " and ".join(clauses)


def _when(event: Event) -> tuple[str, str]:
    """``(phrase in the sentence, date_basis)`` for an event reported on ``event.published``."""
    published = f"{WEEKDAYS[event.published.weekday()]} {event.published:%-d %b}"
    if event.approximate:
        phrase = "earlier this week" if event.published != event.date else "in recent days"
        return (
            phrase,
            f"'{phrase}' in an article published {published}; placed on the likeliest day",
        )
    day = WEEKDAYS[event.date.weekday()]
    lag = (event.published - event.date).days
    phrase = f"late on {day}" if lag and event.date.toordinal() % 3 == 0 else f"on {day}"
    return phrase, f"'{phrase}' in an article published {published}"


def make_events(rng: random.Random, places: list[Place], count: int) -> list[Event]:
    """``count`` events (denials included), sorted by publication day."""
    order = places[:]
    rng.shuffle(order)
    # Long tail: a few places carry many events. Areas are named less often than towns.
    weights = [
        (1.0 / (rank + 1) ** 0.8) * (0.4 if p.kind in ("country", "province") else 1.0)
        for rank, p in enumerate(order)
    ]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    areas = [p for p in places if p.kind in ("district", "valley", "province")]
    bursts = rng.sample(range(10, DAYS), 3)
    day_weights = [
        (1 + 2 * d / (DAYS - 1)) * (3 if d in bursts or d - 1 in bursts else 1) for d in range(DAYS)
    ]
    denials = round(count * 0.04)
    base = count - denials
    days = rng.choices(range(DAYS), weights=day_weights, k=base)
    chosen = rng.choices(order, cum_weights=cumulative, k=base)
    events: list[Event] = []
    claims: list[Event] = []
    for i in range(base):
        event_type = _weighted(rng, TYPE_WEIGHTS)
        status = _weighted(rng, STATUS_WEIGHTS[event_type])
        where = [chosen[i]]
        if rng.random() < 0.08:
            # A town and the area around it, e.g. "Zarmabad and Sangan district".
            other = min(
                rng.sample(areas, 5),
                key=lambda a: (a.lat - where[0].lat) ** 2 + (a.lon - where[0].lon) ** 2,
            )
            if other is not where[0]:
                where.append(other)
        actors = ACTORS[:] if rng.random() < 0.5 else ACTORS[::-1]
        claimant = ""
        if status in ("claimed", "denied", "disputed") or event_type == "casualty_claim":
            claimant = rng.choice(_claimants(event_type, actors[0]))
        elif status == "confirmed" and event_type in NEUTRAL_TYPES:
            claimant = rng.choice(_claimants(event_type, actors[0]))
        casualties = figures = ""
        if event_type == "casualty_claim" or (event_type == "civilian_harm" and rng.random() < 0.3):
            sides = (
                ["civilians"]
                if event_type == "civilian_harm"
                else rng.sample(["taliban", "nrf", "both", "unknown"], rng.choice([1, 1, 2]))
            )
            casualties, figures = _figures(rng, sides)
        date = START + dt.timedelta(days=days[i])
        lag = rng.choices([0, 1, 2, 3], weights=[40, 45, 10, 5])[0]
        event = Event(
            id="",
            date=date,
            places=where,
            event_type=event_type,
            status=status,
            actors=actors,
            claimant=claimant,
            casualties=casualties,
            figures=figures,
            published=date + dt.timedelta(days=lag),
            approximate=lag > 0 and rng.random() < 0.15,
        )
        events.append(event)
        if event_type in ("casualty_claim", "territorial_claim") and status == "claimed":
            claims.append(event)
    answered = rng.sample(claims, min(denials, len(claims)))
    for claim in answered:
        other_side = claim.actors[::-1]
        events.append(
            denial := Event(
                id="",
                date=claim.date,
                places=claim.places[:1],
                event_type="denial",
                status="denied",
                actors=other_side,
                claimant=rng.choice(_claimants("denial", other_side[0])),
                casualties="",
                figures="",
                published=claim.published,
                approximate=claim.approximate,
                contests=claim,  # type: ignore[arg-type]  # resolved to an id below
            )
        )
        claim.contests = denial  # type: ignore[assignment]  # a contradiction runs both ways
    while len(events) < count:  # fewer claims than denials wanted (tiny sets): pad with clashes
        events.append(
            Event("", START, [order[0]], "clash", "reported", ACTORS[:], "", "", "", START, False)
        )
    # Ids in date order, as an editor would number them.
    events.sort(key=lambda e: (e.date, e.published))
    width = max(4, len(str(count)))
    for number, event in enumerate(events, start=1):
        event.id = f"E{number:0{width}d}"
    for event in events:
        if isinstance(event.contests, Event):
            event.contests = event.contests.id
    return events


def _render_sentence(rng: random.Random, event: Event) -> tuple[str, str]:
    """The sentence reporting ``event`` (its quote) and its date_basis."""
    names = []
    for place in event.places:
        spellings = place.spellings()
        names.append(spellings[1] if len(spellings) > 1 and rng.random() < 0.4 else spellings[0])
    where = " and ".join(names)
    when, basis = _when(event)
    templates = TEMPLATES[event.event_type]
    if event.event_type == "civilian_harm":
        templates = templates[2:] if event.figures else templates[:2]
    elif event.event_type == "casualty_claim" or not event.claimant:
        templates = [t for t in templates if "{C}" not in t or event.figures] or templates
    template = rng.choice(templates)
    forms = CLAIMANTS.get(event.claimant, ("Local officials", "local officials", ""))
    text = template.format(
        P=where,
        W=when,
        A=event.actors[0],
        B=event.actors[1],
        C=forms[0],
        c=forms[1],
        F=event.figures,
    )
    return text[0].upper() + text[1:], basis


def _summary(event: Event) -> str:
    text = SUMMARIES[event.event_type].format(
        A=event.actors[0],
        B=event.actors[1],
        P=" and ".join(p.name for p in event.places),
        claimant=event.claimant.capitalize() if event.claimant else "A party",
        casualties=event.casualties,
    )
    return text[:200]


# --- articles -----------------------------------------------------------------------------------


@dataclass
class Article:
    id: str
    published: dt.date
    uncertain: bool
    events: list[Event] = field(default_factory=list)
    restated: list[Event] = field(default_factory=list)


def make_articles(rng: random.Random, events: list[Event]) -> list[Article]:
    """Group events by publication day into articles of 3-15 events; some get a second source."""
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.published, []).append(event)
    articles: list[Article] = []
    for day in sorted(by_day):
        todo = by_day[day][:]
        rng.shuffle(todo)
        # A denial goes into the article of the claim it answers (the same day's reporting).
        claims = {e.id: e for e in todo}
        denials = [
            e for e in todo if e.event_type == "denial" and e.contests and e.contests in claims
        ]
        todo = [e for e in todo if e not in denials]
        answers: dict[str, list[Event]] = {}
        for denial in denials:
            answers.setdefault(denial.contests, []).append(denial)
        day_articles: list[Article] = []
        while todo:
            size = rng.randint(3, 15)
            chunk, todo = todo[:size], todo[size:]
            article = Article(
                f"syn-{day:%Y-%m-%d}-{len(day_articles) + 1:04d}", day, rng.random() < 0.2
            )
            for event in chunk:
                article.events.append(event)
                article.events.extend(answers.get(event.id, []))
            day_articles.append(article)
        if len(day_articles) > 1:
            for article in day_articles:
                for event in article.events:
                    if rng.random() < 0.15:
                        other = rng.choice(day_articles)
                        if other is not article:
                            other.restated.append(event)
        articles.extend(day_articles)
    for article in articles:
        for event in article.events:
            event.articles.insert(0, article.id)
        for event in article.restated:
            event.articles.append(article.id)
    return articles


def article_text(rng: random.Random, article: Article, places: list[Place]) -> tuple[str, dict]:
    """The article's text and the date_basis of each of its events (by event id)."""
    sentences: list[str] = []
    bases: dict[str, str] = {}
    for event in article.events:
        sentence, basis = _render_sentence(rng, event)
        event.sentence = sentence
        bases[event.id] = basis
        sentences.append(sentence)
    for event in article.restated:
        sentences.append(
            rng.choice(RESTATEMENTS).format(
                P=event.places[0].spellings()[0], what=WHAT[event.event_type]
            )
        )
    for _ in range(rng.randint(2, 4)):
        p, q = rng.sample(places, 2)
        sentences.append(rng.choice(PASSING).format(P=p.spellings()[0], Q=q.spellings()[0]))
    first = sentences[0]
    rest = sentences[1:]
    rest.extend(rng.sample(FILLER, rng.randint(14, 22)))
    rng.shuffle(rest)
    headline = rng.choice(HEADLINES).format(P=article.events[0].places[0].name)
    # One paragraph per line, one to three sentences each, as the scraped articles are.
    lines = [headline, first]
    while rest:
        take = rng.choice([1, 2, 2, 3])
        lines.append(" ".join(rest[:take]))
        rest = rest[take:]
    return "\n".join(lines) + "\n", bases


# --- writing ------------------------------------------------------------------------------------


def generate(
    events: int, out: Path, *, places: int | None = None, seed: int = SEED
) -> dict[str, object]:
    """Write a data set of ``events`` events into ``out`` (replaced); returns its summary."""
    started = time.perf_counter()
    places = places or default_places(events)
    place_rng = random.Random(seed * 7919 + places)
    gazetteer = make_places(place_rng, places, reserved_words())
    rng = random.Random(seed * 104729 + events)
    made = make_events(rng, gazetteer, events)
    articles = make_articles(rng, made)

    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "articles").mkdir(parents=True)
    (out / "geodata").mkdir()
    article_rows = []
    bases: dict[str, str] = {}
    for article in articles:
        text, basis = article_text(rng, article, gazetteer)
        bases.update(basis)
        (out / "articles" / f"{article.id}.txt").write_text(text, encoding="utf-8")
        latest = article.published + dt.timedelta(days=1 if article.uncertain else 0)
        article_rows.append(
            {
                "id": article.id,
                "file": f"{article.id}.txt",
                "published_from": article.published.isoformat(),
                "published_to": latest.isoformat(),
                "date_inferred": "yes" if article.uncertain else "no",
                "date_reasoning": "synthetic: dated the day it reports or the next"
                if article.uncertain
                else "",
                "notes": "synthetic article written by bench.generate",
            }
        )
    event_rows = [
        {
            "id": e.id,
            "date": e.date.isoformat(),
            "date_precision": "approximate" if e.approximate else "day",
            "date_basis": bases[e.id],
            "places": "; ".join(p.id for p in e.places),
            "event_type": e.event_type,
            "actors": "; ".join(e.actors),
            "claimant": e.claimant,
            "status": e.status,
            "casualties": e.casualties,
            "summary": _summary(e),
            "articles": "; ".join(e.articles),
            "quote": e.sentence,
            "contests": e.contests,
            # Published rows: the benchmarks measure what readers load.
            "review": "approved",
        }
        for e in made
    ]
    (out / "articles" / "articles.csv").write_text(
        csvio.write([c.name for c in ARTICLE_COLUMNS], article_rows), encoding="utf-8"
    )
    (out / "geodata" / "gazetteer.csv").write_text(
        csvio.write([c.name for c in PLACE_COLUMNS], [p.row() for p in gazetteer]),
        encoding="utf-8",
    )
    (out / "events.csv").write_text(
        csvio.write([c.name for c in EVENT_COLUMNS], event_rows), encoding="utf-8"
    )
    summary = {
        "version": VERSION,
        "seed": seed,
        "events": len(event_rows),
        "places": len(gazetteer),
        "places_with_variants": sum(1 for p in gazetteer if p.variants),
        "articles": len(articles),
        "article_bytes_mean": round(
            sum((out / "articles" / r["file"]).stat().st_size for r in article_rows)
            / max(1, len(article_rows))
        ),
        "first_day": min(e.date for e in made).isoformat(),
        "last_day": max(e.date for e in made).isoformat(),
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "GENERATED.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def ensure(events: int, root: Path = OUT) -> Path:
    """The data set for ``events`` under ``root`` (``data-<events>``), generated if missing or stale."""
    out = Path(root) / f"data-{events}"
    stamp = out / "GENERATED.json"
    if stamp.exists():
        try:
            info = json.loads(stamp.read_text(encoding="utf-8"))
        except ValueError:
            info = {}
        if info.get("version") == VERSION and info.get("events") == events:
            return out
    generate(events, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--events", type=int, required=True, help="number of events, e.g. 10000")
    parser.add_argument(
        "--out", type=Path, default=None, help="data directory (default: bench/out/data-<events>)"
    )
    parser.add_argument(
        "--places", type=int, default=None, help="number of places (default: 500-2,000 by size)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    out = args.out or OUT / f"data-{args.events}"
    summary = generate(args.events, out, places=args.places, seed=args.seed)
    print(f"{out}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
