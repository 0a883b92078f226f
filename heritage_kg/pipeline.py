"""The main job: article files -> extraction -> RDF -> transactional writes to the store.

Every input file is read and checked before anything is extracted or written, so bad input never
changes the store. Articles are then written in batches (`batch_size` articles per transaction): each
article's graph is written whole or not at all, and memory stays flat however large the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import resources
from .build import article_graph_iri, build_triples, known_entities, known_entity_descriptions, oxigraph_quads
from .errors import InputError
from .extract import extract
from .gazetteer import load_gazetteer
from .ingest import article_paths, read_article
from .model import Article
from .namespaces import ENTITIES_GRAPH, VOCABULARY_GRAPH
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
