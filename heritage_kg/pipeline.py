"""The main jobs: article files -> extraction -> RDF -> transactional writes to the store (ingest);
unlinked nodes in the store -> Wikidata items -> QIDs with their sources (link_store).

Every input file is read and checked before anything is extracted or written, so bad input never
changes the store. Articles are then written in batches (`batch_size` articles per transaction): each
article's graph is written whole or not at all, and memory stays flat however large the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from . import resources
from .build import article_graph_iri, build_triples, known_entities, known_entity_descriptions, oxigraph_quads
from .errors import InputError
from .extract import extract
from .gazetteer import load_gazetteer, normalise_name
from .ingest import article_paths, read_article
from .link import UnlinkedNode, WikidataCandidate, WikidataLink, lookup_names, parse_wkt_point, pick_wikidata_item
from .model import Article
from .namespaces import CRM, DCTERMS, ENTITIES_GRAPH, HKG, LINKS_GRAPH, VOCABULARY_GRAPH, WD
from .query import resolve_query, run_query
from .store import KnowledgeStore

BATCH_SIZE = 200


@dataclass(frozen=True)
class IngestReport:
    articles: int
    events: int
    control_changes: int
    statements: int
    triples: int  # distinct triples in the store afterwards


def checked_article_paths(paths: Iterable[Path]) -> list[Path]:
    """The article files named by `paths`, each read and checked once; the first bad one raises."""
    sources: dict[str, Path] = {}
    seen: set[Path] = set()
    for path in article_paths(paths):
        if path.resolve() in seen:
            continue  # named twice ("a.txt a.txt", or a folder and a file in it): read once
        seen.add(path.resolve())
        article = read_article(path)
        if article.source_id in sources:
            raise InputError(f"same source as {sources[article.source_id]}: {article.source_id!r}", where=str(path))
        sources[article.source_id] = path
    return list(sources.values())


def vocabulary_graph() -> Graph:
    graph = Graph()
    with resources.vocabulary_file().open("rb") as stream:
        graph.parse(stream, format="turtle")
    return graph


def ingest_articles(articles: Iterable[Article], store: KnowledgeStore,
                    on_article: Callable[[Article], None] | None = None,
                    batch_size: int = BATCH_SIZE) -> IngestReport:
    """Extract each article and write the graphs, `batch_size` articles per transaction."""
    gazetteer = load_gazetteer()
    graphs: dict[str, list[ox.Quad]] = {
        str(VOCABULARY_GRAPH): list(oxigraph_quads(vocabulary_graph(), VOCABULARY_GRAPH))
    }
    mentioned: set[str] = set()
    count = events = changes = statements = 0

    def write_batch() -> None:
        # Known sites, monuments and actors are described once, in a graph that grows with what is mentioned.
        descriptions: Iterator[ox.Quad] = oxigraph_quads(known_entity_descriptions(gazetteer, mentioned),
                                                         ENTITIES_GRAPH)
        store.replace_graphs(graphs, additions=descriptions)
        graphs.clear()
        mentioned.clear()

    for article in articles:
        extraction = extract(article, gazetteer)
        count += 1
        events += len(extraction.events)
        changes += len(extraction.control_changes)
        statements += len(extraction.statements)
        mentioned.update(known_entities(extraction))
        iri = article_graph_iri(article)
        triples = build_triples(extraction, gazetteer, describe_known_entities=False)
        graphs[str(iri)] = list(oxigraph_quads(triples, iri))
        if on_article is not None:
            on_article(article)
        if count % batch_size == 0:
            write_batch()
    if graphs:
        write_batch()
    return IngestReport(count, events, changes, statements, store.triple_count())


@dataclass(frozen=True)
class LinkReport:
    looked_up: int  # unlinked nodes with a name worth looking up
    links: list[WikidataLink]


def unlinked_nodes(store: KnowledgeStore) -> list[UnlinkedNode]:
    """The heritage assets in the store with no QID (queries/unlinked-entities.rq)."""
    result = run_query(store, resolve_query("unlinked-entities"))
    return [
        UnlinkedNode(iri=row["entity"] or "", label=row["label"] or "", kind=row["kind"] or "",
                     site_qid=row["site_wikidata"] or None, town_qid=row["town_wikidata"] or None,
                     country_qid=row["country_wikidata"] or None, point=parse_wkt_point(row["wkt"]),
                     where_names=tuple(sorted(set((row["place_names"] or "").split("|")) - {""})))
        for row in (dict(zip(result.variables, values, strict=True)) for values in result.rows)
    ]


def link_store(store: KnowledgeStore, find_items: Callable[[list[str]], Iterable[WikidataCandidate]],
               source: str) -> LinkReport:
    """Give each unlinked node the QID of the one Wikidata item that carries its name and stands where
    it does; `find_items` answers names with candidate items, `source` says where they came from.

    The links, each with an hkg:IdentifierAttestation naming its source, replace the graph
    …/graph/links in one transaction: a rerun decides every link afresh."""
    nodes = [node for node in unlinked_nodes(store) if lookup_names(node)]
    names = sorted({name for node in nodes for name in lookup_names(node)})
    by_name: dict[str, list[WikidataCandidate]] = {}
    for item in find_items(names) if names else ():
        for name in {normalise_name(n) for n in (item.label, *item.aliases) if n}:
            by_name.setdefault(name, []).append(item)
    links = []
    for node in nodes:
        candidates = [item for name in {normalise_name(n) for n in lookup_names(node)}
                      for item in by_name.get(name, ())]
        link = pick_wikidata_item(node, candidates)
        if link is not None:
            links.append(link)
    store.replace_graphs({str(LINKS_GRAPH): list(oxigraph_quads(links_graph(links, source), LINKS_GRAPH))})
    return LinkReport(looked_up=len(nodes), links=links)


def links_graph(links: Iterable[WikidataLink], source: str) -> Graph:
    graph = Graph()
    for link in links:
        node, qid = URIRef(link.node.iri), WD[link.qid]
        attestation = URIRef(f"{link.node.iri}/attestation/wikidata")
        graph.add((node, HKG.wikidata, qid))
        graph.add((attestation, RDF.type, HKG.IdentifierAttestation))
        graph.add((attestation, CRM.P140_assigned_attribute_to, node))
        graph.add((attestation, CRM.P177_assigned_property_of_type, HKG.wikidata))
        graph.add((attestation, CRM.P141_assigned, qid))
        graph.add((attestation, DCTERMS.source,
                   Literal(f"{source}; label or alias {link.matched_name!r}; {link.reason}")))
    return graph
