"""The main job: article files -> extraction -> RDF -> one transactional write to the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import resources
from .build import article_graph_iri, build_graph, known_entities, known_entity_descriptions, oxigraph_quads
from .errors import InputError
from .extract import extract
from .gazetteer import load_gazetteer
from .ingest import article_paths, read_article
from .model import Article
from .namespaces import ENTITIES_GRAPH, VOCABULARY_GRAPH
from .store import KnowledgeStore


@dataclass(frozen=True)
class IngestReport:
    articles: int
    events: int
    control_changes: int
    statements: int
    triples: int  # distinct triples in the store afterwards


def read_articles(paths: Iterable[Path]) -> list[Article]:
    """Every input read and checked before anything is extracted or stored."""
    articles: dict[str, Article] = {}
    for path in article_paths(paths):
        article = read_article(path)
        if article.source_id in articles:
            raise InputError(f"same source as {articles[article.source_id].path}: {article.source_id!r}",
                             where=str(path))
        articles[article.source_id] = article
    return list(articles.values())


def vocabulary_graph() -> Graph:
    graph = Graph()
    with resources.vocabulary_file().open("rb") as stream:
        graph.parse(stream, format="turtle")
    return graph


def ingest(paths: Iterable[Path], store: KnowledgeStore,
           on_article: Callable[[Article], None] | None = None) -> IngestReport:
    return ingest_articles(read_articles(paths), store, on_article)


def ingest_articles(articles: list[Article], store: KnowledgeStore,
                    on_article: Callable[[Article], None] | None = None) -> IngestReport:
    """Extract every article, then write all their graphs in one transaction."""
    gazetteer = load_gazetteer()
    graphs = {str(VOCABULARY_GRAPH): list(oxigraph_quads(vocabulary_graph(), VOCABULARY_GRAPH))}
    events = changes = statements = 0
    mentioned: set[str] = set()
    for article in articles:
        extraction = extract(article, gazetteer)
        events += len(extraction.events)
        changes += len(extraction.control_changes)
        statements += len(extraction.statements)
        mentioned |= known_entities(extraction)
        iri = article_graph_iri(article)
        graphs[str(iri)] = list(oxigraph_quads(build_graph(extraction, gazetteer, describe_known_entities=False), iri))
        if on_article is not None:
            on_article(article)
    # Known sites, monuments and actors are described once, in a graph that grows with what is mentioned.
    descriptions = oxigraph_quads(known_entity_descriptions(gazetteer, mentioned), ENTITIES_GRAPH)
    store.replace_graphs(graphs, additions=descriptions)
    return IngestReport(len(articles), events, changes, statements, store.triple_count())
