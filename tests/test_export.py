"""Exports read back as the same RDF, with the project's prefixes only, in rdflib and in Raptor."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import QUERIES_FIXTURE
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic

from heritage_kg.errors import UnknownNameError
from heritage_kg.export import EXPORT_FORMATS, export_store
from heritage_kg.namespaces import PREFIXES
from heritage_kg.store import KnowledgeStore

# rdflib's own parsers call Dataset methods that rdflib has deprecated.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "nquads": "nquads", "trig": "trig"}
DATASET_FORMATS = ["jsonld", "nquads", "trig"]
RAPPER = shutil.which("rapper")


@pytest.fixture
def fixture_store(loaded_store: Callable[[Path], KnowledgeStore]) -> KnowledgeStore:
    return loaded_store(QUERIES_FIXTURE)


def exported(store: KnowledgeStore, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"export.{fmt}"
    export_store(store, fmt, path)
    return path


def graphs_of(dataset: Dataset) -> dict[str, Graph]:
    """Named graphs by IRI; rdflib's empty default graph is left out."""
    return {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}


def expected_graphs() -> dict[str, Graph]:
    """The fixture as rdflib reads it: independent of the store and of export.py."""
    dataset = Dataset()
    dataset.parse(QUERIES_FIXTURE, format="trig")
    return graphs_of(dataset)


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(actual, expected)
        pytest.fail(
            f"only in the export:\n{only_actual.serialize(format='nt')}\n"
            f"only in the fixture:\n{only_expected.serialize(format='nt')}"
        )


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_exports_round_trip_graph_by_graph(fixture_store: KnowledgeStore, tmp_path: Path, fmt: str) -> None:
    dataset = Dataset()
    dataset.parse(exported(fixture_store, fmt, tmp_path), format=RDFLIB_FORMATS[fmt])
    actual, expected = graphs_of(dataset), expected_graphs()
    assert sorted(actual) == sorted(expected) == fixture_store.graph_names()
    for name, graph in expected.items():
        assert_isomorphic(actual[name], graph)


def test_turtle_is_the_union_of_all_graphs(fixture_store: KnowledgeStore, tmp_path: Path) -> None:
    graph = Graph()
    graph.parse(exported(fixture_store, "turtle", tmp_path), format="turtle")
    union = Graph()
    for part in expected_graphs().values():
        for triple in part:
            union.add(triple)
    assert_isomorphic(graph, union)
    assert len(graph) == fixture_store.triple_count()


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_only_the_project_prefixes_are_declared(fixture_store: KnowledgeStore, tmp_path: Path, fmt: str) -> None:
    text = exported(fixture_store, fmt, tmp_path).read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", text, flags=re.MULTILINE))
    assert declared, "no prefixes at all"
    assert {prefix: PREFIXES.get(prefix) for prefix in declared} == declared
    assert "ns1:" not in text


def test_an_unknown_namespace_is_written_in_full_not_as_ns1(tmp_store: KnowledgeStore, tmp_path: Path) -> None:
    graph = "https://w3id.org/heritage-kg/graph/article/0000000000000000"
    tmp_store.replace_graphs(
        {graph: [ox.Quad(ox.NamedNode("https://w3id.org/heritage-kg/id/x"), ox.NamedNode("http://example.org/v#p"),
                         ox.Literal("1"), ox.NamedNode(graph))]}
    )  # fmt: skip
    for fmt in ("turtle", "trig"):
        text = exported(tmp_store, fmt, tmp_path).read_text(encoding="utf-8")
        assert "<http://example.org/v#p>" in text and "ns1" not in text


def test_jsonld_embeds_its_context(fixture_store: KnowledgeStore, tmp_path: Path) -> None:
    document = json.loads(exported(fixture_store, "jsonld", tmp_path).read_text(encoding="utf-8"))
    assert document["@context"] == PREFIXES  # a dictionary, not the address of a remote context


def test_nquads_export_is_reproducible(fixture_store: KnowledgeStore, tmp_path: Path) -> None:
    first = exported(fixture_store, "nquads", tmp_path).read_text(encoding="utf-8")
    second = io.StringIO()
    export_store(fixture_store, "nquads", second)
    assert first == second.getvalue()
    assert first.splitlines() == sorted(first.splitlines())


def test_unknown_export_format_lists_the_known_ones(fixture_store: KnowledgeStore) -> None:
    with pytest.raises(
        UnknownNameError, match="unknown export format 'rdfxml'; known formats: jsonld, nquads, trig, turtle"
    ):
        export_store(fixture_store, "rdfxml", io.StringIO())


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_an_empty_store_exports_something_readable(tmp_store: KnowledgeStore, tmp_path: Path, fmt: str) -> None:
    dataset = Dataset()
    dataset.parse(exported(tmp_store, fmt, tmp_path), format=RDFLIB_FORMATS[fmt])
    assert len(dataset) == 0


# --- a second, independent parser ---

RAPPER_PARSERS = {"turtle": "turtle", "nquads": "nquads", "trig": "trig"}


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_rapper_reads_the_export_and_counts_what_rdflib_counts(
    fixture_store: KnowledgeStore, tmp_path: Path, fmt: str
) -> None:
    if RAPPER is None:
        pytest.skip("rapper (Raptor) is not installed")
    if fmt not in RAPPER_PARSERS:
        pytest.skip(f"rapper has no parser for {fmt} (JSON-LD)")
    path = exported(fixture_store, fmt, tmp_path)
    done = subprocess.run(
        [RAPPER, "-i", RAPPER_PARSERS[fmt], "-c", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    counted = re.search(r"returned (\d+) triples", done.stderr)
    assert counted, done.stderr
    parsed = Dataset() if fmt in DATASET_FORMATS else rdflib.Graph()
    parsed.parse(path, format=RDFLIB_FORMATS[fmt])
    rdflib_count = len(list(parsed.quads((None, None, None, None)))) if isinstance(parsed, Dataset) else len(parsed)
    assert int(counted.group(1)) == rdflib_count
    assert rdflib_count == (fixture_store.quad_count() if fmt in DATASET_FORMATS else fixture_store.triple_count())
