"""Plain records passed between pipeline stages: ingest -> extract -> link -> build."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One news article as read from disk: header fields and the body that offsets count into."""

    source_id: str  # the `source:` header, or the file name when there is none
    body: str
    content_hash: str  # "sha256:<hex>" of the file's bytes
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY; None when unknown
    publisher: str | None = None
    path: str | None = None

    @property
    def url(self) -> str | None:
        return self.source_id if self.source_id.startswith(("http://", "https://")) else None


@dataclass(frozen=True)
class Quote:
    """An exact span of the article body: body[start:end] == text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TimeBounds:
    """A best date in EDTF (YYYY, YYYY-MM, YYYY-MM-DD or A/B) with its inclusive xsd:date bounds."""

    edtf: str
    earliest: date
    latest: date
    text: str | None = None  # the words the date was read from


@dataclass(frozen=True)
class EntityRef:
    """A thing a fact is about: a gazetteer entry, or a thing minted from its name and context."""

    key: str  # IRI path below the data namespace: "site/palmyra", "monument/palmyra/tetrapylon"
    label: str
    kind: str  # ontology class local name: HeritageSite, Monument, Place, ArmedGroup, State ...
    part_of: EntityRef | None = None
    in_gazetteer: bool = False
    located_in: EntityRef | None = None  # the town of a monument that is part of no known site
    named: bool = True  # False for a thing known only by its kind ("an ancient monastery")


@dataclass(frozen=True)
class PerpetratorClaim:
    """One side's attribution of an event when the text reports competing accounts."""

    perpetrator: EntityRef
    claimed_by: EntityRef | None = None


@dataclass(frozen=True)
class HeritageEvent:
    event_type: str  # destroyed | damaged | looted | threatened | restored
    asset: EntityRef
    mention: str  # the asset's name as the article writes it
    site: EntityRef | None
    evidence: Quote
    perpetrators: tuple[EntityRef, ...] = ()
    supporters: tuple[EntityRef, ...] = ()
    reported_by: tuple[EntityRef, ...] = ()
    when: TimeBounds | None = None
    status: str = "reported"  # reported | unverified | disputed | denied
    hedge: str | None = None
    claims: tuple[PerpetratorClaim, ...] = ()  # competing attributions, when the status is disputed
    phase: str | None = None  # restorations: planned | started | ongoing | completed


@dataclass(frozen=True)
class ControlChange:
    place: EntityRef
    evidence: Quote
    gained_by: EntityRef | None = None
    lost_by: EntityRef | None = None
    supporters: tuple[EntityRef, ...] = ()
    when: TimeBounds | None = None


@dataclass(frozen=True)
class Statement:
    actor: EntityRef
    speech_act: str  # "condemn", "say", "could not verify" ...
    content: str
    evidence: Quote
    about: tuple[EntityRef, ...] = ()


@dataclass(frozen=True)
class AlternativeName:
    """A name the article gives a thing ("Palmyra, known in Arabic as Tadmur")."""

    entity: EntityRef
    name: str
    evidence: Quote


@dataclass
class Extraction:
    article: Article
    events: list[HeritageEvent] = field(default_factory=list)
    control_changes: list[ControlChange] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    names: list[AlternativeName] = field(default_factory=list)
    publisher: EntityRef | None = None
