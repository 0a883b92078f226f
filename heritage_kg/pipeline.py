"""The main jobs: article files -> extraction -> RDF -> transactional writes to the store (ingest);
unlinked nodes in the store -> Wikidata items -> QIDs with their sources (link_store).

Every input is read and checked before anything is extracted or written, so bad input never changes
the store; the check streams, keeping only each article's source. Articles whose graph the store
already holds with the same content hash are skipped, so a rerun of an interrupted ingest resumes
where it stopped. Extraction runs in this process or in `workers` processes; this process alone
writes, in batches (`batch_size` articles per transaction): each article's graph is written whole or
not at all, and memory stays flat however large the corpus.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from . import resources
from .build import article_graph_iri, build_triples, known_entities, known_entity_descriptions, oxigraph_quads
from .errors import IngestInterrupted, InputError
from .extract import extract
from .extract.nlp import load_pipeline
from .gazetteer import Gazetteer, load_gazetteer, normalise_name
from .ingest import article_paths, read_articles
from .link import UnlinkedNode, WikidataCandidate, WikidataLink, lookup_names, parse_wkt_point, pick_wikidata_item
from .model import Article
from .namespaces import CRM, DCTERMS, ENTITIES_GRAPH, HKG, LINKS_GRAPH, VOCABULARY_GRAPH, WD
from .query import internal_query, resolve_query, run_query
from .store import KnowledgeStore

BATCH_SIZE = 200
IN_FLIGHT_PER_WORKER = 4  # articles handed to each worker ahead of the writer: enough to keep it busy


@dataclass(frozen=True)
class IngestReport:
    articles: int  # articles extracted and written
    events: int
    control_changes: int
    statements: int
    skipped: int = 0  # articles the store already held with the same content hash
    # No triple count: counting the distinct triples of the whole store takes memory in proportion to it
    # (0.5 GB at 3 M triples); the caller counts once, when everything (the merge too) is written.


@dataclass(frozen=True)
class CheckedInputs:
    files: list[Path]  # each input file once, in the order given
    articles: int


def check_inputs(paths: Iterable[Path]) -> CheckedInputs:
    """Read and check every article of every input file (folders and patterns expanded), one article at a
    time; the first bad one, or a second article with the same source, raises. A file named twice
    ("a.txt a.txt", or a folder and a file in it) is read once."""
    sources: dict[str, str] = {}
    seen: set[Path] = set()
    files: list[Path] = []
    for path in article_paths(paths):
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        files.append(path)
        for article in read_articles(path):
            where = article.path or str(path)
            if article.source_id in sources:
                raise InputError(f"same source as {sources[article.source_id]}: {article.source_id!r}", where=where)
            sources[article.source_id] = where
    return CheckedInputs(files, len(sources))


def read_inputs(files: Iterable[Path]) -> Iterator[Article]:
    """The articles of the input files, one at a time."""
    for path in files:
        yield from read_articles(path)


def vocabulary_graph() -> Graph:
    graph = Graph()
    with resources.vocabulary_file().open("rb") as stream:
        graph.parse(stream, format="turtle")
    return graph


def stored_content_hashes(store: KnowledgeStore) -> dict[str, str]:
    """Article graph IRI -> the content hash of the input its article was read from (one query)."""
    rows = run_query(store, internal_query("article-hashes")).rows
    return {graph: digest for graph, digest in rows if graph and digest}


@dataclass(frozen=True)
class ExtractedArticle:
    """What the writer needs of one article: its graph's quads, the gazetteer entries it mentions, and counts."""

    graph: str
    nquads: bytes  # the graph's quads as N-Quads: a tenth of the time of pickled Quads to send back
    entities: frozenset[str]
    events: int
    control_changes: int
    statements: int

    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS))


def extract_article(article: Article, gazetteer: Gazetteer | None = None) -> ExtractedArticle:
    """Extraction and graph building for one article: the work a worker process does."""
    gazetteer = gazetteer or load_gazetteer()
    extraction = extract(article, gazetteer)
    iri = article_graph_iri(article)
    triples = build_triples(extraction, gazetteer, describe_known_entities=False)
    nquads = ox.serialize(oxigraph_quads(triples, iri), format=ox.RdfFormat.N_QUADS) or b""
    return ExtractedArticle(str(iri), nquads, frozenset(known_entities(extraction)),
                            len(extraction.events), len(extraction.control_changes), len(extraction.statements))


def _start_worker() -> None:
    # Ctrl-C is the writer's to handle: it stops handing out work and shuts the workers down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_gazetteer()
    load_pipeline()


def extracted_articles(articles: Iterable[Article], workers: int = 1) -> Iterator[tuple[Article, ExtractedArticle]]:
    """Each article with its extraction, in input order. With more than one worker, extraction runs in
    that many processes, with at most `IN_FLIGHT_PER_WORKER` articles per worker waiting or in work."""
    if workers <= 1:
        gazetteer = load_gazetteer()
        for article in articles:
            yield article, extract_article(article, gazetteer)
        return
    # spawn, not fork: the writer holds the open store (and its threads), which a child must not inherit.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
    in_flight: deque[tuple[Article, Future[ExtractedArticle]]] = deque()
    try:
        for article in articles:
            in_flight.append((article, pool.submit(extract_article, article)))
            if len(in_flight) >= workers * IN_FLIGHT_PER_WORKER:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_articles(articles: Iterable[Article], store: KnowledgeStore,
                    on_article: Callable[[Article, bool], None] | None = None,
                    batch_size: int = BATCH_SIZE, workers: int = 1) -> IngestReport:
    """Extract each article (in `workers` processes) and write the graphs, `batch_size` articles per
    transaction. An article whose graph the store holds with the same content hash is skipped;
    `on_article(article, skipped)` is called for every article, skipped or written."""
    gazetteer = load_gazetteer()
    stored = stored_content_hashes(store)
    graphs: dict[str, list[ox.Quad]] = {
        str(VOCABULARY_GRAPH): list(oxigraph_quads(vocabulary_graph(), VOCABULARY_GRAPH))
    }
    mentioned: set[str] = set()
    count = events = changes = statements = skipped = 0

    def changed(articles: Iterable[Article]) -> Iterator[Article]:
        nonlocal skipped
        for article in articles:
            if stored.get(str(article_graph_iri(article))) == article.content_hash:
                skipped += 1
                if on_article is not None:
                    on_article(article, True)
            else:
                yield article

    def write_batch() -> None:
        # Known sites, monuments and actors are described once, in a graph that grows with what is mentioned.
        descriptions: Iterator[ox.Quad] = oxigraph_quads(known_entity_descriptions(gazetteer, mentioned),
                                                         ENTITIES_GRAPH)
        store.replace_graphs(graphs, additions=descriptions)
        graphs.clear()
        mentioned.clear()

    try:
        for article, result in extracted_articles(changed(articles), workers):
            count += 1
            events += result.events
            changes += result.control_changes
            statements += result.statements
            mentioned.update(result.entities)
            graphs[result.graph] = result.quads()
            if on_article is not None:
                on_article(article, False)
            if count % batch_size == 0:
                write_batch()
    except KeyboardInterrupt:
        # Ctrl-C: keep the articles already extracted (each one whole), so that a rerun goes on after them;
        # once that batch is written, every article counted is stored.
        if graphs:
            write_batch()
        raise IngestInterrupted(count, skipped) from None
    if graphs:
        write_batch()
    return IngestReport(count, events, changes, statements, skipped)


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
