"""Merging: the reports of one real event in different articles become one event node.

    read_reports(store) -> list[Report]
    cluster_reports(reports) -> list[list[Report]]
    merged_graph(clusters) -> Graph
    merge_events(store) -> MergeReport

Each article keeps its own event nodes (reports), each with its quote, status and source. Reports of the
same asset and event type from different articles whose dates are compatible (their bounds overlap) are
one real event: a node in the graph …/graph/merged that names every report (hkg:hasReport), narrows the
dates to what all of them allow, and states a perpetrator only when every report that names one names
the same; otherwise each report's perpetrator becomes an hkg:PerpetratorClaim with its source. The whole
merged graph is recomputed and replaced in one transaction, so the merge is deterministic and running
it again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .build import EVENT_CLASSES, oxigraph_quads
from .namespaces import EDTF, GRAPH, HKG, HKGD, HKGV, PROV
from .query import internal_query, run_query
from .store import KnowledgeStore

MERGED_GRAPH = GRAPH["merged"]

# How sure each report is, strongest first: a merged event is as sure as its surest report.
_STATUS_ORDER = ("reported", "unverified", "disputed", "denied")


@dataclass(frozen=True)
class Report:
    """One article's event, as the store holds it."""

    iri: str
    asset: str
    event_type: str  # notation: destroyed, damaged, ...
    site: str | None
    status: str  # notation: reported, unverified, ...
    article: str
    source_id: str
    published: str | None
    earliest: date | None
    latest: date | None
    perpetrators: tuple[str, ...]
    publisher: str | None = None
    evidence: str | None = None
    activity: str | None = None


@dataclass(frozen=True)
class MergeReport:
    reports: int
    events: int  # merged events written
    merged_reports: int  # reports that are part of a merged event


def read_reports(store: KnowledgeStore) -> list[Report]:
    result = run_query(store, internal_query("event-reports"))
    reports = []
    for values in result.rows:
        row = dict(zip(result.variables, values, strict=True))
        reports.append(Report(
            iri=row["report"] or "",
            asset=row["asset"] or "",
            event_type=(row["event_type"] or "").removeprefix(str(HKGV)),
            site=row["site"],
            status=(row["status"] or "").removeprefix(str(HKGV)),
            article=row["article"] or "",
            source_id=row["source_id"] or "",
            published=row["published"],
            earliest=_date(row["earliest"]),
            latest=_date(row["latest"]),
            perpetrators=tuple(sorted((row["perpetrators"] or "").split())),
            publisher=row["publisher"],
            evidence=row["evidence"],
            activity=row["activity"],
        ))
    return reports


def cluster_reports(reports: Iterable[Report]) -> list[list[Report]]:
    """Reports of one real event, in clusters of two or more from different articles.

    Within one asset and event type, reports are taken in order of their earliest date (undated last);
    each joins the first cluster whose narrowed dates it overlaps and that has no report from its
    article yet (an article's own events are already one per happening), else starts a cluster."""
    groups: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in reports:
        groups[(report.asset, report.event_type)].append(report)
    clusters: list[list[Report]] = []
    for key in sorted(groups):
        open_clusters: list[tuple[list[Report], date | None, date | None]] = []
        for report in sorted(groups[key], key=_report_order):
            for index, (members, low, high) in enumerate(open_clusters):
                if any(m.article == report.article for m in members):
                    continue
                narrowed = _intersect(low, high, report.earliest, report.latest)
                if narrowed is not None:
                    open_clusters[index] = (members + [report], *narrowed)
                    break
            else:
                open_clusters.append(([report], report.earliest, report.latest))
        clusters += [members for members, _low, _high in open_clusters if len(members) > 1]
    return clusters


def merged_graph(clusters: Sequence[Sequence[Report]]) -> Graph:
    graph = Graph()
    for members in clusters:
        first = min(members, key=_primary_order)
        iri = HKGD[f"event/merged/{_hash(first.asset, first.event_type, *sorted(m.iri for m in members))}"]
        graph.add((iri, RDF.type, HKG.HeritageEvent))
        graph.add((iri, RDF.type, EVENT_CLASSES[first.event_type]))
        graph.add((iri, HKG.eventType, HKGV[first.event_type]))
        graph.add((iri, HKG.affected, URIRef(first.asset)))
        site = next((m.site for m in sorted(members, key=_primary_order) if m.site), None)
        if site is not None:
            graph.add((iri, HKG.atSite, URIRef(site)))
        low, high = _narrowest(members)
        if low is not None:
            graph.add((iri, HKG.earliest, Literal(low.isoformat(), datatype=XSD.date)))
        if high is not None:
            graph.add((iri, HKG.latest, Literal(high.isoformat(), datatype=XSD.date)))
        if low is not None or high is not None:
            edtf = low.isoformat() if low == high and low is not None else \
                f"{low.isoformat() if low else '..'}/{high.isoformat() if high else '..'}"
            graph.add((iri, HKG.date, Literal(edtf, datatype=URIRef(EDTF))))
        named = {m.perpetrators for m in members if m.perpetrators}
        status = min((m.status for m in members), key=_STATUS_ORDER.index)
        if len(named) == 1:
            for actor in next(iter(named)):
                graph.add((iri, HKG.perpetrator, URIRef(actor)))
        elif len(named) > 1:  # the sources disagree on who: each one's account is a claim
            status = "disputed"
            for member in members:
                for actor in member.perpetrators:
                    claim = HKGD[f"claim/merged/{_hash(str(iri), actor, member.iri)}"]
                    graph.add((claim, RDF.type, HKG.PerpetratorClaim))
                    graph.add((claim, HKG.claimAbout, iri))
                    graph.add((claim, HKG.claimedPerpetrator, URIRef(actor)))
                    if member.publisher:
                        graph.add((claim, HKG.claimedBy, URIRef(member.publisher)))
                    graph.add((claim, HKG.reportingStatus, HKGV["disputed"]))
                    # the claim's provenance is its report's: the same article, quote and extraction
                    graph.add((claim, PROV.wasDerivedFrom, URIRef(member.article)))
                    if member.evidence:
                        graph.add((claim, HKG.evidence, URIRef(member.evidence)))
                    if member.activity:
                        graph.add((claim, PROV.wasGeneratedBy, URIRef(member.activity)))
        graph.add((iri, HKG.reportingStatus, HKGV[status]))
        graph.add((iri, HKG.primaryReport, URIRef(first.iri)))
        for member in members:
            graph.add((iri, HKG.hasReport, URIRef(member.iri)))
    return graph


def merge_events(store: KnowledgeStore) -> MergeReport:
    """Recompute the merged graph from every report in the store and replace it, all or nothing."""
    reports = read_reports(store)
    clusters = cluster_reports(reports)
    store.replace_graphs({str(MERGED_GRAPH): list(oxigraph_quads(merged_graph(clusters), MERGED_GRAPH))})
    return MergeReport(reports=len(reports), events=len(clusters),
                       merged_reports=sum(len(members) for members in clusters))


def _report_order(report: Report) -> tuple[bool, date, str]:
    return (report.earliest is None, report.earliest or date.min, report.iri)


def _primary_order(report: Report) -> tuple[bool, str, str]:
    """The earliest published first (undated last), then the lowest source identifier."""
    return (report.published is None, report.published or "", report.source_id)


def _intersect(low: date | None, high: date | None, other_low: date | None,
               other_high: date | None) -> tuple[date | None, date | None] | None:
    """The overlap of two date ranges (None: open), or None when they do not overlap."""
    lows = [d for d in (low, other_low) if d is not None]
    highs = [d for d in (high, other_high) if d is not None]
    new_low, new_high = (max(lows) if lows else None), (min(highs) if highs else None)
    if new_low is not None and new_high is not None and new_low > new_high:
        return None
    return new_low, new_high


def _narrowest(members: Sequence[Report]) -> tuple[date | None, date | None]:
    low: date | None = None
    high: date | None = None
    for member in members:
        narrowed = _intersect(low, high, member.earliest, member.latest)
        if narrowed is not None:  # clustering guarantees it; kept total for safety
            low, high = narrowed
    return low, high


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
