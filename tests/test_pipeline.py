"""The ingest job: batches, shared entity descriptions, and what a failure leaves behind."""

from pathlib import Path

import pytest
from conftest import open_test_store

from heritage_kg import pipeline
from heritage_kg.ingest import parse_article
from heritage_kg.namespaces import ENTITIES_GRAPH, VOCABULARY_GRAPH
from heritage_kg.pipeline import ingest_articles

BODY = "Islamic State militants blew up the Temple of Bel in Palmyra on Sunday."


def articles(count: int):
    for i in range(count):
        yield parse_article(f"source: test-{i}\npublished: 2015-08-31\n---\n{BODY}".encode(), f"test-{i}.txt")


def test_batches_write_every_article_and_describe_known_entities_once(tmp_path: Path):
    with open_test_store(tmp_path / "kg") as store:
        report = ingest_articles(articles(5), store, batch_size=2)
        assert (report.articles, report.events) == (5, 5)
        names = store.graph_names()
        assert len([n for n in names if "/graph/article/" in n]) == 5
        assert str(ENTITIES_GRAPH) in names and str(VOCABULARY_GRAPH) in names
        labels = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <https://w3id.org/heritage-kg/id/site/palmyra> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }").rows
        assert labels == [("1",)]  # Palmyra's description is stored once, not once per article


def test_a_failing_article_leaves_whole_batches_and_nothing_of_its_own(tmp_path: Path, monkeypatch):
    real_extract = pipeline.extract
    calls = {"n": 0}

    def extract_failing_on_the_fourth(article, gazetteer=None):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("extractor bug")
        return real_extract(article, gazetteer)

    monkeypatch.setattr(pipeline, "extract", extract_failing_on_the_fourth)
    with open_test_store(tmp_path / "kg") as store:
        with pytest.raises(RuntimeError, match="extractor bug"):
            ingest_articles(articles(5), store, batch_size=2)
        article_graphs = [n for n in store.graph_names() if "/graph/article/" in n]
        assert len(article_graphs) == 2  # the first batch; the third article's batch never reached the store
