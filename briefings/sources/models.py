"""Typed models of every paper source. Parsed at the door; past here, code trusts them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]*$"
PSEUDONYM = r"^P\d{2,3}$"
COMPANY_CODE = r"^C\d{2,3}$"

# Each list of values is one Literal (what the models accept); its tuple is derived from it.
Section = Literal[
    "executive-summary",
    "introduction",
    "regulatory-context",
    "findings",
    "recommendations",
    "conclusion",
    "methodology",
    "references",
    "appendix-instruments",
]
SECTIONS: tuple[Section, ...] = get_args(Section)
PROSE_SECTIONS: tuple[Section, ...] = (
    "executive-summary",
    "introduction",
    "conclusion",
    "methodology",
)
Audience = Literal["companies", "policymakers", "civil-society", "investors", "standard-setters"]
AUDIENCES: tuple[Audience, ...] = get_args(Audience)
InstrumentType = Literal[
    "regulation",
    "directive",
    "statute",
    "bill",
    "treaty",
    "soft-law",
    "executive-order",
    "rule",
]
# Where an instrument's status is read from: an official source (briefings.refresh has an
# adapter for each), or "manual" (curated in the registry, never fetched).
OfficialSource = Literal["federal_register", "cellar", "legislation_gov_uk", "uk_bills"]
TrackingSource = Literal[OfficialSource, "manual"]
OFFICIAL_SOURCES: tuple[OfficialSource, ...] = get_args(OfficialSource)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- regulation registry -------------------------------------------------------------------


class Identifiers(Model):
    """Official identifiers; give every one the instrument has."""

    celex: str | None = Field(None, pattern=r"^[0-9]{5}[A-Z]{1,2}[0-9]{4}$")
    eli: str | None = None
    act_number: str | None = None  # e.g. "2023 c. 50", "LOV-2021-06-18-99", "Loi n° 2017-399"
    fr_document_number: str | None = None  # US Federal Register document number
    rin: str | None = None  # US Regulation Identifier Number
    docket: str | None = None
    legislation_gov_uk: str | None = None  # path such as "ukpga/2023/50"
    uk_bill_id: int | None = None
    other: str | None = None
    url: str | None = None  # official page


class KeyDate(Model):
    label: str
    date: dt.date
    unverified: bool = False


class Tracking(Model):
    """Which official source keeps this instrument current, and by which identifier."""

    source: TrackingSource
    key: str | None = None  # CELEX, legislation.gov.uk path, bill id, docket/RIN
    terms: str | None = None  # Federal Register search terms, where no docket/RIN fits


class RegulationEntry(Model):
    id: str = Field(pattern=SLUG)
    title: str
    # Language of the official title when it is not the paper's (BCP 47: "de", "fr", "nb").
    title_lang: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    short_name: str
    jurisdiction: str
    type: InstrumentType
    identifiers: Identifiers
    status: str
    status_unverified: bool = False
    key_dates: list[KeyDate] = Field(min_length=1)
    summary: str
    human_rights_relevance: str
    ict_company_asks: list[str] = Field(min_length=1)
    themes: list[str] = []
    citations: list[str] = []
    as_of: dt.date
    tracking: Tracking = Tracking(source="manual")


# --- paper ---------------------------------------------------------------------------------


class QuotePolicy(Model):
    per_participant: int = Field(2, ge=1)  # per paper
    per_participant_per_section: int = Field(1, ge=1)
    per_theme: int = Field(2, ge=0)
    min_words: int = Field(6, ge=1)
    max_words: int = Field(70, ge=5)
    pinned: list[str] = []  # excerpt ids always quoted (if consented)
    excluded: list[str] = []  # excerpt ids never quoted


# Fields of paper.yaml that PaperSettings reads too: one definition each.
InstrumentIds = Annotated[list[str], Field(min_length=1)]
Allowlist = list[str]  # roster words that are also common words


class PaperSettings(BaseModel):
    """What the refresh (instruments) and review (allowlist) read of paper.yaml, validated
    without gathering the rest of the paper."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    instruments: InstrumentIds
    allowlist: Allowlist = []


class Paper(Model):
    id: str = Field(pattern=SLUG)
    title: str
    subtitle: str | None = None
    series: str
    theme: str
    date: dt.date
    organisation: str
    language: str = Field("en-GB", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    instruments: InstrumentIds
    sections: list[Section] = list(SECTIONS)
    status_as_of: dt.date
    k_anonymity: int = Field(3, ge=1)
    quotes: QuotePolicy = QuotePolicy()
    allowlist: Allowlist = []
    # a file name in templates/csl/ (no folders: pandoc reads it), or None for the house style
    csl: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.csl$")

    @field_validator("sections")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        dupes = sorted({s for s in value if value.count(s) > 1})
        if dupes:
            raise ValueError(f"listed twice: {', '.join(dupes)}")
        return value


# --- interviews ----------------------------------------------------------------------------


class Theme(Model):
    id: str = Field(pattern=SLUG)
    label: str
    kind: Literal["challenge", "opportunity"]
    description: str
    parent: str | None = None  # id of the theme this is a sub-theme of
    finding: str | None = None  # one sentence on what participants said, for the summary


class Codebook(Model):
    themes: list[Theme] = Field(min_length=1)


class Descriptors(Model):
    sector: str
    size_band: Literal["small", "medium", "large", "very large"]
    role_type: str
    region: str


class InterviewExcerpt(Model):
    id: str = Field(pattern=r"^P\d{2,3}-\d{2}$")
    text: str = Field(min_length=1)
    themes: list[str] = Field(min_length=1)
    consent_to_quote: bool
    primary: str | None = None  # the theme it illustrates when quoted (default: the first)

    @model_validator(mode="after")
    def _primary_is_one_of_its_themes(self) -> InterviewExcerpt:
        if self.primary is not None and self.primary not in self.themes:
            raise ValueError(f"primary theme {self.primary!r} is not one of its themes")
        return self

    @property
    def primary_theme(self) -> str:
        """The theme a quote of this excerpt illustrates: `primary`, else the first listed."""
        return self.primary or self.themes[0]


class Interview(Model):
    participant: str = Field(pattern=PSEUDONYM)
    company: str = Field(pattern=COMPANY_CODE)  # pseudonymous company code; the roster has the name
    fictional: bool = False
    interviewed: dt.date
    descriptors: Descriptors
    excerpts: list[InterviewExcerpt] = Field(min_length=1)


class RosterEntry(Model):
    participant: str = Field(pattern=PSEUDONYM)
    name: str = Field(min_length=1)
    company: str = Field(min_length=1)
    aliases: list[str] = []


# --- recommendations -----------------------------------------------------------------------


class Evidence(Model):
    themes: list[str] = []
    regulations: list[str] = []


class Recommendation(Model):
    id: str = Field(pattern=r"^rec-\d{2}$")
    audience: Audience
    text: str
    rationale: str
    evidence: Evidence

    @field_validator("evidence")
    @classmethod
    def _some_evidence(cls, value: Evidence) -> Evidence:
        if not value.themes and not value.regulations:
            raise ValueError("cite at least one theme or regulation")
        return value
