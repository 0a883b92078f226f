"""An Extraction -> the RDF of its article's named graph (see docs/data-model.md).

IRIs are deterministic: the same article read by the same extractor gives the same triples, so
re-ingesting replaces a graph with an identical one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from typing import cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier

from . import __version__
from .extract import EXTRACTOR_NAME
from .gazetteer import Gazetteer, load_gazetteer
from .model import Article, ControlChange, EntityRef, Extraction, HeritageEvent, Quote, Statement, TimeBounds
from .namespaces import EDTF, GRAPH, HKG, HKGD, HKGV, OA, SCHEMA, bind_prefixes
from .store import to_oxigraph_term

EVENT_CLASSES = {
    "destroyed": HKG.DestructionEvent, "damaged": HKG.DamageEvent, "looted": HKG.LootingEvent,
    "threatened": HKG.ThreatEvent, "restored": HKG.RestorationEvent,
}
CONTEXT_CHARS = 32  # characters of prefix and suffix kept beside a quote
EXTRACTOR = HKGD[f"agent/heritage-kg-{__version__}"]


def article_key(article: Article) -> str:
    return hashlib.sha256(article.source_id.encode("utf-8")).hexdigest()[:16]


def article_graph_iri(article: Article) -> URIRef:
    return GRAPH[f"article/{article_key(article)}"]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


Triple = tuple[URIRef, URIRef, URIRef | Literal]


def build_graph(extraction: Extraction, gazetteer: Gazetteer | None = None,
                describe_known_entities: bool = True) -> Graph:
    """All triples of one article: the article, its facts with provenance, and the things they name.

    With `describe_known_entities=False` the gazetteer's entities are only referred to; the pipeline
    writes their descriptions once, into the shared entities graph (see `known_entity_descriptions`).
    """
    graph = Graph()
    bind_prefixes(graph)
    for triple in build_triples(extraction, gazetteer, describe_known_entities):
        graph.add(triple)
    return graph


def build_triples(extraction: Extraction, gazetteer: Gazetteer | None = None,
                  describe_known_entities: bool = True) -> set[Triple]:
    """The triples of `build_graph` as a plain set: what the ingest job writes, without an rdflib Graph."""
    gazetteer = gazetteer or load_gazetteer()
    builder = _Builder(extraction, gazetteer, describe_known_entities)
    builder.article()
    for event in extraction.events:
        builder.event(event)
    for change in extraction.control_changes:
        builder.control_change(change)
    for statement in extraction.statements:
        builder.statement(statement)
    for name in extraction.names:
        builder.entity(name.entity)
        builder.add(HKGD[name.entity.key], SKOS.altLabel, Literal(name.name, lang="en"))
    return builder.triples


class _Builder:
    def __init__(self, extraction: Extraction, gazetteer: Gazetteer, describe_known_entities: bool) -> None:
        self.describe_known_entities = describe_known_entities
        self.extraction = extraction
        self.article_ = extraction.article
        self.gazetteer = gazetteer
        self.key = article_key(self.article_)
        self.article_iri = HKGD[f"article/{self.key}"]
        self.activity = HKGD[f"activity/{self.key}"]
        self.triples: set[Triple] = set()
        self._described: set[str] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.add((s, p, o))

    # ------------------------------------------------------------------ article and provenance
    def article(self) -> None:
        a, article = self.article_iri, self.article_
        self.add(a, RDF.type, HKG.Article)
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, HKG.sourceId, Literal(article.source_id))
        self.add(a, HKG.contentHash, Literal(article.content_hash))
        if article.url:
            self.add(a, SCHEMA.url, URIRef(article.url))
        if article.title:
            self.add(a, SCHEMA.headline, Literal(article.title))
        if article.published:
            self.add(a, SCHEMA.datePublished, _published_literal(article.published))
        if self.extraction.publisher is not None:
            self.entity(self.extraction.publisher)
            self.add(a, SCHEMA.publisher, HKGD[self.extraction.publisher.key])
        self.add(self.activity, RDF.type, HKG.ExtractionActivity)
        self.add(self.activity, PROV.used, a)
        self.add(self.activity, PROV.wasAssociatedWith, EXTRACTOR)
        self.add(EXTRACTOR, RDF.type, HKG.Extractor)
        self.add(EXTRACTOR, RDFS.label, Literal(EXTRACTOR_NAME, lang="en"))
        self.add(EXTRACTOR, SCHEMA.softwareVersion, Literal(__version__))

    def provenance(self, fact: URIRef, quote: Quote) -> None:
        self.add(fact, PROV.wasDerivedFrom, self.article_iri)
        self.add(fact, PROV.wasGeneratedBy, self.activity)
        evidence = HKGD[f"evidence/{self.key}/{quote.start}-{quote.end}"]
        self.add(fact, HKG.evidence, evidence)
        if (evidence, RDF.type, HKG.Evidence) not in self.triples:
            target = URIRef(f"{evidence}/target")
            quote_selector, position = URIRef(f"{evidence}/quote"), URIRef(f"{evidence}/position")
            body = self.article_.body
            self.add(evidence, RDF.type, HKG.Evidence)
            self.add(evidence, RDF.type, OA.Annotation)
            self.add(evidence, OA.hasTarget, target)
            self.add(target, RDF.type, OA.SpecificResource)
            self.add(target, OA.hasSource, self.article_iri)
            self.add(target, OA.hasSelector, quote_selector)
            self.add(target, OA.hasSelector, position)
            self.add(quote_selector, RDF.type, OA.TextQuoteSelector)
            self.add(quote_selector, OA.exact, Literal(quote.text))
            self.add(quote_selector, OA.prefix, Literal(body[max(0, quote.start - CONTEXT_CHARS) : quote.start]))
            self.add(quote_selector, OA.suffix, Literal(body[quote.end : quote.end + CONTEXT_CHARS]))
            self.add(position, RDF.type, OA.TextPositionSelector)
            # xsd:integer: Oxigraph would store xsd:nonNegativeInteger as xsd:integer anyway.
            self.add(position, OA.start, Literal(quote.start, datatype=XSD.integer))
            self.add(position, OA.end, Literal(quote.end, datatype=XSD.integer))
        self.add(evidence, OA.hasBody, fact)

    def time(self, fact: URIRef, when: TimeBounds | None) -> None:
        if when is None:
            return
        self.add(fact, HKG.date, Literal(when.edtf, datatype=URIRef(EDTF)))
        self.add(fact, HKG.earliest, Literal(when.earliest.isoformat(), datatype=XSD.date))
        self.add(fact, HKG.latest, Literal(when.latest.isoformat(), datatype=XSD.date))
        if when.text:
            self.add(fact, HKG.dateText, Literal(when.text))

    # ------------------------------------------------------------------ things
    def entity(self, ref: EntityRef) -> URIRef:
        """The thing's IRI; its description goes into this article's graph once."""
        iri = HKGD[ref.key]
        if ref.key in self._described:
            return iri
        self._described.add(ref.key)
        if ref.in_gazetteer:
            if self.describe_known_entities:
                for triple in known_entity_descriptions(self.gazetteer, [ref.key]):
                    self.triples.add(triple)  # type: ignore[arg-type]
            return iri  # the gazetteer says what it is part of
        else:
            self.add(iri, RDF.type, HKG[ref.kind])
            self.add(iri, RDFS.label, Literal(ref.label, lang="en"))
        if ref.part_of is not None:
            whole = self.entity(ref.part_of)
            self.add(iri, HKG.partOf, whole)
            self.add(whole, HKG.hasPart, iri)
        if ref.located_in is not None:
            self.add(iri, HKG.locatedIn, self.entity(ref.located_in))
        return iri

    # ------------------------------------------------------------------ facts
    def event(self, event: HeritageEvent) -> None:
        iri = HKGD[f"event/{_hash(self.key, event.asset.key, event.event_type, str(event.evidence.start))}"]
        self.add(iri, RDF.type, HKG.HeritageEvent)
        self.add(iri, RDF.type, EVENT_CLASSES[event.event_type])
        self.add(iri, HKG.eventType, HKGV[event.event_type])
        self.add(iri, HKG.affected, self.entity(event.asset))
        self.add(iri, HKG.mentionedAs, Literal(event.mention))
        if event.site is not None:
            self.add(iri, HKG.atSite, self.entity(event.site))
        for actor in event.perpetrators:
            self.add(iri, HKG.perpetrator, self.entity(actor))
        for actor in event.supporters:
            self.add(iri, HKG.supporter, self.entity(actor))
        for actor in event.reported_by:
            self.add(iri, HKG.reportedBy, self.entity(actor))
        self.add(iri, HKG.reportingStatus, HKGV[event.status])
        if event.hedge:
            self.add(iri, HKG.hedge, Literal(event.hedge))
        if event.phase:
            self.add(iri, HKG.restorationPhase, Literal(event.phase))
        self.time(iri, event.when)
        self.provenance(iri, event.evidence)
        for claim in event.claims:
            parts = (str(iri), claim.perpetrator.key, claim.claimed_by.key if claim.claimed_by else "")
            claim_iri = HKGD[f"claim/{_hash(self.key, *parts)}"]
            self.add(claim_iri, RDF.type, HKG.PerpetratorClaim)
            self.add(claim_iri, HKG.claimAbout, iri)
            self.add(claim_iri, HKG.claimedPerpetrator, self.entity(claim.perpetrator))
            if claim.claimed_by is not None:
                self.add(claim_iri, HKG.claimedBy, self.entity(claim.claimed_by))
            self.add(claim_iri, HKG.reportingStatus, HKGV[event.status])
            if event.hedge:
                self.add(claim_iri, HKG.hedge, Literal(event.hedge))
            self.provenance(claim_iri, event.evidence)

    def control_change(self, change: ControlChange) -> None:
        parts = (change.place.key, change.gained_by.key if change.gained_by else "",
                 change.lost_by.key if change.lost_by else "", str(change.evidence.start))
        iri = HKGD[f"control/{_hash(self.key, *parts)}"]
        self.add(iri, RDF.type, HKG.ControlChange)
        self.add(iri, HKG.controlOf, self.entity(change.place))
        if change.gained_by is not None:
            self.add(iri, HKG.gainedBy, self.entity(change.gained_by))
        if change.lost_by is not None:
            self.add(iri, HKG.lostBy, self.entity(change.lost_by))
        for actor in change.supporters:
            self.add(iri, HKG.supporter, self.entity(actor))
        self.time(iri, change.when)
        self.provenance(iri, change.evidence)

    def statement(self, statement: Statement) -> None:
        parts = (statement.actor.key, statement.speech_act, str(statement.evidence.start))
        iri = HKGD[f"statement/{_hash(self.key, *parts)}"]
        self.add(iri, RDF.type, HKG.Statement)
        self.add(iri, HKG.statedBy, self.entity(statement.actor))
        self.add(iri, HKG.speechAct, Literal(statement.speech_act))
        self.add(iri, HKG.content, Literal(statement.content))
        for thing in statement.about:
            self.add(iri, HKG.about, self.entity(thing))
        self.provenance(iri, statement.evidence)


def known_entities(extraction: Extraction) -> set[str]:
    """Keys of the gazetteer entries an extraction refers to, with the wholes they are part of."""
    refs: list[EntityRef] = []
    for event in extraction.events:
        refs += [event.asset, *event.perpetrators, *event.supporters, *event.reported_by]
        refs += [ref for claim in event.claims for ref in (claim.perpetrator, claim.claimed_by) if ref]
        if event.site is not None:
            refs.append(event.site)
    for change in extraction.control_changes:
        refs += [r for r in (change.place, change.gained_by, change.lost_by) if r] + list(change.supporters)
    for statement in extraction.statements:
        refs += [statement.actor, *statement.about]
    refs += [name.entity for name in extraction.names]
    if extraction.publisher is not None:
        refs.append(extraction.publisher)
    keys: set[str] = set()
    pending = list(refs)
    while pending:
        node = pending.pop()
        if node.in_gazetteer:
            keys.add(node.key)
        pending += [other for other in (node.part_of, node.located_in) if other is not None]
    return keys


def known_entity_descriptions(gazetteer: Gazetteer, keys: Iterable[str]) -> Graph:
    """The gazetteer's descriptions of entries, with the entries they point to (part-of, country)."""
    out = Graph()
    pending, seen = list(keys), set()
    while pending:
        key = pending.pop()
        if key in seen or key not in gazetteer.entries:
            continue
        seen.add(key)
        description = gazetteer.description(key)
        for triple in description:
            out.add(triple)
        for linked in description.objects(HKGD[key], None):
            linked_key = str(linked).removeprefix(str(HKGD))
            if linked_key in gazetteer.entries:
                pending.append(linked_key)
    return out


def _published_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


__all__ = ["article_graph_iri", "article_key", "build_graph"]


def oxigraph_quads(graph: Graph | Iterable[Triple], graph_iri: URIRef) -> Iterator[ox.Quad]:
    """Triples (an rdflib Graph or plain tuples) as pyoxigraph Quads in the named graph `graph_iri`."""
    name = ox.NamedNode(str(graph_iri))
    for s, p, o in graph:
        subject = to_oxigraph_term(cast(Identifier, s))
        if isinstance(subject, ox.Literal):
            raise TypeError(f"a literal cannot be a subject: {s!r}")
        yield ox.Quad(subject, ox.NamedNode(str(p)), to_oxigraph_term(cast(Identifier, o)), name)
