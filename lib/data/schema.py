"""Column specifications and vocabularies for the three tables, declared once.

The README documents every column listed here; ``tests/test_schema_docs.py`` fails when one is
missing, so the documentation cannot drift from the loaders.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str


EVENT_TYPES: dict[str, str] = {
    "clash": "fighting between forces, reported without one side's claim attached",
    "attack": "an assault or attempted advance by one side",
    "casualty_claim": "a figure of dead, wounded or captured, as claimed by someone",
    "territorial_claim": "a claim to have taken, held or surrounded ground",
    "denial": "a rebuttal of another claim",
    "statement": "a declaration, appeal, threat or vow",
    "negotiation": "talks, offers of talks, or their failure",
    "political": "government formation, withdrawal, leadership moves",
    "civilian_harm": "harm to civilians or to their communications and supplies",
    "preparation": "training, fortification, gathering of forces",
}

STATUSES: dict[str, str] = {
    "reported": "stated by the article or its sources as fact, not attributed to a party",
    "claimed": "asserted by a party to the conflict, not verified",
    "denied": "a party's denial of another claim",
    "disputed": "claimed by one side and contradicted by another or by other reporting",
    "confirmed": "independently confirmed by the reporting",
}

DATE_PRECISIONS: dict[str, str] = {
    "day": "the article fixes the day (a date, or a weekday read against a known publication day)",
    "approximate": "within a day or two ('yesterday' in an article whose day is uncertain, 'this week', 'last week')",
    "undated": "the text gives no date: the row is context, true by its date, which is the latest "
    "day the text allows (often the article's earliest publication day); date_basis says what "
    "the text does support",
}

#: Review states of an event, in the order a row moves through them. Only approved rows reach
#: readers (the map, the exports, the edition): ``lib.data.events.for_readers``.
REVIEW_STATES: dict[str, str] = {
    "draft": "not yet checked against the article (rows made by Add article start here)",
    "ready": "checked by its editor and waiting for someone to approve it",
    "approved": "approved for readers: shown on the reader map, in the exports and the edition",
}

# 'casualties' is for claims that do not tell dead from wounded ("their casualties are high").
CASUALTY_KINDS = ("killed", "wounded", "captured", "casualties")
CASUALTY_SIDES = ("taliban", "nrf", "civilians", "both", "unknown")
# Words the reporting uses instead of numbers; kept as claimed.
CASUALTY_WORDS = (
    "few",
    "several",
    "dozens",
    "scores",
    "hundreds",
    "heavy",
    "high",
    "catastrophic",
    "large-numbers",
)

PLACE_KINDS: dict[str, str] = {
    "city": "a city",
    "town": "a town or village",
    "district": "an administrative district",
    "valley": "a valley",
    "province": "a province",
    "pass": "a mountain pass",
    "country": "a country",
}

PRECISIONS: dict[str, str] = {
    "point": "an exact point (a pass summit, a building): drawn as a pin",
    "town": "the centre of a town: drawn as a pin",
    "district": "somewhere in a district: drawn as a circle of uncertainty_km",
    "valley": "somewhere along a valley: drawn as a circle of uncertainty_km",
    "province": "somewhere in a province: drawn as a circle of uncertainty_km",
    "country": "somewhere in a country: drawn as a circle of uncertainty_km",
    "approximate": "no sourced point exists; placed near one, with uncertainty_km saying how near",
}

#: Precisions drawn as a pin; all others are areas.
PIN_PRECISIONS = frozenset({"point", "town"})

EVENT_COLUMNS = [
    Column("id", True, "stable identifier, letters, digits, '-' and '_' (e.g. E012)"),
    Column("date", True, "ISO date YYYY-MM-DD of the happening (not of the article)"),
    Column("date_precision", True, "one of: " + ", ".join(DATE_PRECISIONS)),
    Column("date_basis", False, "how the date was read from the article ('late Monday' = 30 Aug)"),
    Column("places", True, "gazetteer id(s) separated by ';' (e.g. shotul; jabal_saraj)"),
    Column("event_type", True, "one of: " + ", ".join(EVENT_TYPES)),
    Column("actors", False, "who acted, separated by ';' (e.g. Taliban; NRF)"),
    Column("claimant", False, "who makes the claim (required unless status is reported/confirmed)"),
    Column("status", True, "one of: " + ", ".join(STATUSES)),
    Column(
        "casualties",
        False,
        "figures as claimed, ';'-separated '<count> <kind> <side>' "
        "(count N, N-M, N+ or a word such as dozens or heavy, as the quote has it; kind "
        "killed/wounded/captured/casualties; "
        "side taliban/nrf/civilians/both/unknown), e.g. '34 killed taliban; 65 wounded taliban'",
    ),
    Column("summary", True, "one line, at most 200 characters"),
    Column("articles", True, "article id(s) separated by ';'; the quote comes from the first"),
    Column("quote", True, "verbatim words from the first article that support the row"),
    Column("contests", False, "ids of events this one contradicts, separated by ';'"),
    Column(
        "place_basis",
        False,
        "how the place was decided when the quote names none of the row's places "
        "(e.g. 'the Khawak front of the two-front attack, named earlier in the article')",
    ),
    Column(
        "acknowledged",
        False,
        "codes of warnings an editor has read and accepts for this row, ';'-separated "
        "(e.g. duplicate-quote); see Checks",
    ),
    Column(
        "review",
        False,
        "one of: " + ", ".join(REVIEW_STATES) + "; an empty cell is a draft; who approved a "
        "row and when comes from the edit history",
    ),
]

PLACE_COLUMNS = [
    Column("id", True, "stable identifier, lower-case letters, digits and '_' (e.g. jabal_saraj)"),
    Column("name", True, "canonical name shown on the map"),
    Column(
        "variants", False, "other spellings separated by ';' (the reporting's and standard ones)"
    ),
    Column("kind", True, "one of: " + ", ".join(PLACE_KINDS)),
    Column("lat", True, "latitude in decimal degrees, WGS84"),
    Column("lon", True, "longitude in decimal degrees, WGS84"),
    Column("precision", True, "one of: " + ", ".join(PRECISIONS)),
    Column("uncertainty_km", True, "radius in km within which the place lies around lat/lon"),
    Column("country", True, "ISO 3166-1 alpha-2 code (AF)"),
    Column("admin1", False, "province, by ISO 3166-2 code (AF-PAN)"),
    Column("area_ref", False, "shapeISO of the outline in geodata/boundaries that this place is"),
    Column("source", True, "where the coordinate comes from, with its licence"),
    Column("geonames_id", False, "GeoNames id when the coordinate comes from GeoNames"),
    Column("not_in", False, "phrases containing the name that are not mentions of the place, ';'"),
    Column("note", False, "anything an editor should know (false friends, disagreements)"),
]

ARTICLE_COLUMNS = [
    Column("id", True, "stable identifier, lower-case letters, digits and '-'"),
    Column("file", True, "the text file in articles/ (first line: the headline)"),
    Column("outlet", False, "the publisher, only when the text itself identifies it"),
    Column("outlet_evidence", False, "the words in the text that identify the outlet"),
    Column("published_from", False, "earliest possible publication date, YYYY-MM-DD"),
    Column("published_to", False, "latest possible publication date (same as from when known)"),
    Column(
        "date_inferred", True, "yes if the date was inferred from the text, no if it is printed"
    ),
    Column("date_reasoning", False, "how the publication date was inferred"),
    Column("seed_file", False, "the file the text was taken from, for provenance"),
    Column("notes", False, "disagreements with other reporting, scraping artefacts"),
    Column(
        "title",
        False,
        "the headline to show when the text's first line is not this article's "
        "(the text file stays verbatim)",
    ),
    Column(
        "boilerplate",
        False,
        "line ranges of the text that are not the article (captions, photo tags, newsletter "
        "boxes, related links), ';'-separated, lines counted from 1: e.g. '5-11;35'",
    ),
    Column(
        "captions",
        False,
        "line ranges of the text that are photo captions: reporting, kept in the passages "
        "and labelled as captions (same form as boilerplate, e.g. '10;32-33')",
    ),
    Column("url", False, "the article's address on the web (http or https), where it is known"),
    Column(
        "archive_url",
        False,
        "an archived copy (Wayback Machine or archive.today), e.g. from `python -m lib archive`",
    ),
    Column(
        "retrieved_at",
        False,
        "when the text was retrieved, ISO date or UTC time (2021-09-04 or 2021-09-04T10:15:00Z)",
    ),
    Column("language", False, "the text's language, as a BCP 47 tag (en, fa, ps, en-GB)"),
    Column(
        "sha256",
        False,
        "SHA-256 of the text file's bytes when retrieved (64 hex digits, as sha256sum prints it); "
        "`python -m lib check` reports a text changed since",
    ),
]

CLAIMANT_COLUMNS = [
    Column("id", True, "stable identifier, lower-case letters, digits and '_' (e.g. nrf)"),
    Column("name", True, "the party's usual name (e.g. National Resistance Front)"),
    Column(
        "aliases",
        False,
        "other names that stand for the party in a claimant cell, ';'-separated: spellings, "
        "abbreviations, its spokespeople and leaders (e.g. NRF; Northern Alliance; Fahim Dashti)",
    ),
    Column("note", False, "anything an editor should know (why a person counts for the party)"),
]
