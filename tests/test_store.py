"""The store: atomic graph replacement, bound queries, counts, clear errors. Tests that take a store
from the fixtures run over the store under test (conftest: the embedded store, or a SPARQL server);
those about opening a directory test the embedded store."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import QUERIES_FIXTURE, REMOTE, all_graph_names, quads_by_graph

from heritage_kg import store as store_module
from heritage_kg.errors import QueryError, StoreError, UnknownNameError
from heritage_kg.store import STAGING_GRAPHS, STORES, KnowledgeStore, OxigraphStore, QueryResult, open_store

GRAPH_A = "https://w3id.org/heritage-kg/graph/article/aaaaaaaaaaaaaaaa"
GRAPH_B = "https://w3id.org/heritage-kg/graph/article/bbbbbbbbbbbbbbbb"
EX = "https://w3id.org/heritage-kg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LABEL = ox.NamedNode(RDFS_LABEL)
# An update that does not parse: pyoxigraph raises SyntaxError; a SPARQL server answers HTTP 400.
BAD_UPDATE_ERROR = StoreError if REMOTE else SyntaxError


def label_quad(subject: str, label: str, graph: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + subject), LABEL, ox.Literal(label, language="en"), ox.NamedNode(graph))


def contents(store: KnowledgeStore) -> set[ox.Quad]:
    return set(store.quads())


def raw_graph_names(directory: Path) -> list[str]:
    """Every named graph in the directory, staging ones included, read without OxigraphStore."""
    raw = ox.Store(str(directory))
    names = [g.value for g in raw.named_graphs() if isinstance(g, ox.NamedNode)]
    del raw  # releases the lock
    return names


@pytest.fixture
def two_graph_store(tmp_store: KnowledgeStore) -> KnowledgeStore:
    tmp_store.replace_graphs(
        {
            GRAPH_A: [
                label_quad("site/palmyra", "Palmyra", GRAPH_A),
                label_quad("site/nimrud", "Nimrud", GRAPH_A),
            ],
            GRAPH_B: [label_quad("site/palmyra", "Palmyra", GRAPH_B)],
        }
    )
    return tmp_store


# --- opening ---


def test_open_store_defaults_to_heritage_kg_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HERITAGE_KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    with open_store(None) as store:
        assert isinstance(store, OxigraphStore)
        assert store.directory == tmp_path / ".heritage-kg"
    assert (tmp_path / ".heritage-kg" / "CURRENT").is_file()


def test_open_store_takes_the_location_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERITAGE_KG_STORE", str(tmp_path / "from-env"))
    with open_store() as store:
        assert isinstance(store, OxigraphStore)
        assert store.directory == tmp_path / "from-env"


def test_open_store_creates_missing_parent_directories(tmp_path: Path) -> None:
    with open_store(tmp_path / "a" / "b" / "store") as store:
        assert store.graph_names() == []


def test_unknown_store_kind_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError) as raised:
        open_store(tmp_path / "s", kind="virtuoso")
    assert "virtuoso" in str(raised.value)
    for kind in STORES:
        assert kind in str(raised.value)


def test_a_directory_holding_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a store")
    with pytest.raises(StoreError) as raised:
        OxigraphStore(tmp_path)
    message = str(raised.value)
    assert str(tmp_path) in message and "not an Oxigraph store" in message
    assert "\n" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no database files written


def test_a_file_is_refused_as_a_store(tmp_path: Path) -> None:
    path = tmp_path / "store.txt"
    path.write_text("x")
    with pytest.raises(StoreError, match="not a store directory") as raised:
        OxigraphStore(path)
    assert str(path) in str(raised.value)


HOLD_THE_LOCK = "; ".join(
    [
        "import sys, pyoxigraph",
        "store = pyoxigraph.Store(sys.argv[1])",
        "print('ready', flush=True)",
        "sys.stdin.read()",
    ]
)


def test_a_store_locked_by_another_process_gives_one_line_naming_the_directory(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    OxigraphStore(directory).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(directory)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError) as raised:
            OxigraphStore(directory)
        message = str(raised.value)
        assert message.startswith(f"{directory}: the store is locked")
        assert "\n" not in message
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with OxigraphStore(directory) as reopened:  # the lock went with the other process
        assert reopened.graph_names() == []


def test_a_closed_store_can_be_reopened_in_the_same_process(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.replace_graphs({GRAPH_A: [label_quad("site/palmyra", "Palmyra", GRAPH_A)]})
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.quad_count()
    with OxigraphStore(tmp_path / "s") as again:
        assert again.quad_count() == 1


# --- replace_graphs ---


def test_replace_graphs_writes_each_graph(two_graph_store: KnowledgeStore) -> None:
    assert two_graph_store.graph_names() == [GRAPH_A, GRAPH_B]
    assert two_graph_store.quad_count() == 3
    # Palmyra's label is in both graphs: one distinct triple in the union.
    assert two_graph_store.triple_count() == 2


def test_replacing_a_graph_again_does_not_duplicate_it(two_graph_store: KnowledgeStore) -> None:
    before = contents(two_graph_store)
    two_graph_store.replace_graphs({GRAPH_A: [label_quad("site/palmyra", "Palmyra", GRAPH_A),
                                              label_quad("site/nimrud", "Nimrud", GRAPH_A)]})  # fmt: skip
    assert contents(two_graph_store) == before
    assert two_graph_store.quad_count() == 3


def test_replacing_a_graph_drops_what_it_no_longer_says(two_graph_store: KnowledgeStore) -> None:
    two_graph_store.replace_graphs({GRAPH_A: [label_quad("site/hatra", "Hatra", GRAPH_A)]})
    assert contents(two_graph_store) == {label_quad("site/hatra", "Hatra", GRAPH_A),
                                         label_quad("site/palmyra", "Palmyra", GRAPH_B)}  # fmt: skip


def test_replacing_a_graph_with_nothing_removes_it(two_graph_store: KnowledgeStore) -> None:
    two_graph_store.replace_graphs({GRAPH_A: []})
    assert two_graph_store.graph_names() == [GRAPH_B]
    assert two_graph_store.quad_count() == 1


def test_quads_in_the_default_graph_go_to_the_named_target(tmp_store: KnowledgeStore) -> None:
    quad = ox.Quad(ox.NamedNode(EX + "site/palmyra"), LABEL, ox.Literal("Palmyra"))
    tmp_store.replace_graphs({GRAPH_A: [quad]})
    assert contents(tmp_store) == {ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(GRAPH_A))}


def test_a_failure_half_way_leaves_the_store_exactly_as_it_was(two_graph_store: KnowledgeStore) -> None:
    before, triples_before = contents(two_graph_store), two_graph_store.triple_count()

    def fails_half_way() -> Iterator[ox.Quad]:
        yield label_quad("site/hatra", "Hatra", GRAPH_B)
        raise RuntimeError("extraction crashed")

    with pytest.raises(RuntimeError, match="extraction crashed"):
        # Graph A would be fully written first: all or nothing means it must not be.
        two_graph_store.replace_graphs({GRAPH_A: [label_quad("site/mari", "Mari", GRAPH_A)], GRAPH_B: fails_half_way()})
    assert contents(two_graph_store) == before
    assert two_graph_store.triple_count() == triples_before
    assert two_graph_store.graph_names() == [GRAPH_A, GRAPH_B]
    assert all_graph_names(two_graph_store) == [GRAPH_A, GRAPH_B]  # no staging graph left


@pytest.mark.parametrize(
    "bad_item",
    [
        "not a quad",
        ox.Triple(ox.NamedNode(EX + "a"), LABEL, ox.Literal("a")),
        ox.Quad(ox.NamedNode(EX + "a"), LABEL, ox.Literal("a"), ox.NamedNode(GRAPH_B)),  # another graph
    ],
    ids=["string", "triple", "quad-of-another-graph"],
)
def test_a_bad_quad_is_refused_and_changes_nothing(two_graph_store: KnowledgeStore, bad_item: object) -> None:
    before = contents(two_graph_store)
    with pytest.raises(StoreError):
        two_graph_store.replace_graphs({GRAPH_A: [label_quad("site/mari", "Mari", GRAPH_A), bad_item]})  # type: ignore[list-item]
    assert contents(two_graph_store) == before


@pytest.mark.parametrize("graph_name", ["article/relative", "not an iri", STAGING_GRAPHS + "x"])
def test_graph_names_must_be_absolute_iris_outside_staging(two_graph_store: KnowledgeStore, graph_name: str) -> None:
    before = contents(two_graph_store)
    with pytest.raises(StoreError, match="graph name"):
        two_graph_store.replace_graphs({graph_name: []})
    assert contents(two_graph_store) == before


def test_a_failed_move_drops_the_staged_quads(two_graph_store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    before = contents(two_graph_store)
    monkeypatch.setattr(store_module, "_replacement_update", lambda *args: "THIS IS NOT SPARQL")
    with pytest.raises(BAD_UPDATE_ERROR):
        two_graph_store.replace_graphs({GRAPH_A: [label_quad("site/mari", "Mari", GRAPH_A)]})
    assert contents(two_graph_store) == before


def test_staging_graphs_left_by_a_crash_are_dropped_when_the_store_opens(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    raw = ox.Store(str(directory))
    raw.add(label_quad("site/palmyra", "Palmyra", STAGING_GRAPHS + "crashed/0"))
    raw.add(label_quad("site/palmyra", "Palmyra", GRAPH_A))
    del raw
    with OxigraphStore(directory) as store:
        assert store.graph_names() == [GRAPH_A]
        assert store.quad_count() == 1
    assert raw_graph_names(directory) == [GRAPH_A]


# --- query ---


def test_select_rows_are_strings_with_none_for_unbound(two_graph_store: KnowledgeStore) -> None:
    result = two_graph_store.query(f"SELECT ?site ?name ?nothing WHERE {{ ?site <{RDFS_LABEL}> ?name }} ORDER BY ?name")
    # The union of graphs repeats Palmyra's label (one per graph): oxigraph does not merge them.
    assert result == QueryResult(
        ["site", "name", "nothing"],
        [(EX + "site/nimrud", "Nimrud", None), (EX + "site/palmyra", "Palmyra", None),
         (EX + "site/palmyra", "Palmyra", None)],
    )  # fmt: skip


def test_bindings_are_substituted_as_terms(two_graph_store: KnowledgeStore) -> None:
    sparql = f"SELECT DISTINCT ?site ?name WHERE {{ ?site <{RDFS_LABEL}> ?name }}"
    by_rdflib = two_graph_store.query(sparql, {"name": rdflib.Literal("Nimrud", lang="en")})
    by_oxigraph = two_graph_store.query(sparql, {"site": ox.NamedNode(EX + "site/palmyra")})
    assert by_rdflib.rows == [(EX + "site/nimrud", "Nimrud")]
    assert by_oxigraph.rows == [(EX + "site/palmyra", "Palmyra")]


def test_a_binding_full_of_sparql_is_only_a_literal(two_graph_store: KnowledgeStore) -> None:
    before = contents(two_graph_store)
    sparql = f"SELECT ?name WHERE {{ ?site <{RDFS_LABEL}> ?label FILTER(STR(?label) = ?name) }}"
    result = two_graph_store.query(sparql, {"name": 'x" } ; DROP ALL ; #'})
    assert result.rows == []
    assert contents(two_graph_store) == before


def test_ask_gives_a_boolean_and_construct_gives_triples(two_graph_store: KnowledgeStore) -> None:
    asked = two_graph_store.query("ASK { ?s ?p 'Palmyra'@en }")
    assert asked.boolean is True and asked.rows == [("true",)]
    built = two_graph_store.query(
        "CONSTRUCT { ?s <http://schema.org/name> ?o } WHERE { ?s ?p 'Nimrud'@en . BIND('N' AS ?o) }"
    )
    assert built.variables == ["subject", "predicate", "object"]
    assert built.rows == [(EX + "site/nimrud", "http://schema.org/name", "N")]
    assert len(built.triples) == 1


def test_invalid_sparql_is_a_one_line_query_error(tmp_store: KnowledgeStore) -> None:
    with pytest.raises(QueryError) as raised:
        tmp_store.query("SELECT ?x WHERE { ?x ?p }")
    assert str(raised.value).startswith("invalid SPARQL") and "\n" not in str(raised.value)


# --- reading everything back ---


def test_counts_and_stats_of_the_query_fixture(loaded_store: Callable[[Path], KnowledgeStore]) -> None:
    store = loaded_store(QUERIES_FIXTURE)
    quads = [quad for graph in quads_by_graph(QUERIES_FIXTURE).values() for quad in graph]
    distinct_triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert store.stats() == {
        "graphs": 3,
        "quads": len(quads),
        "triples": len(distinct_triples),
        "articles": 2,
        "events": 7,  # 3 in the seed article, 4 in the second
        "control_changes": 5,
        "statements": 1,
        "sites": 2,  # Palmyra (in both articles) and Nimrud
        "monuments": 6,
        "objects": 1,
    }
    assert len(distinct_triples) < len(quads)  # the articles share entity descriptions


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dump_round_trips_to_a_path_and_a_text_stream(
    loaded_store: Callable[[Path], KnowledgeStore], tmp_path: Path, fmt: str
) -> None:
    store = loaded_store(QUERIES_FIXTURE)
    rdf_format = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
    path = tmp_path / f"dump.{fmt}"
    store.dump(path, fmt)
    text = io.StringIO()
    store.dump(text, fmt)
    assert set(ox.parse(path=path, format=rdf_format)) == contents(store)
    assert set(ox.parse(text.getvalue(), format=rdf_format)) == contents(store)


def test_unknown_dump_format_lists_the_known_ones(tmp_store: KnowledgeStore, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="known formats: nquads, trig"):
        tmp_store.dump(tmp_path / "x", "rdfxml")


GRAPH_NEW = "https://w3id.org/heritage-kg/graph/article/cccccccccccccccc"
ENTITIES = "https://w3id.org/heritage-kg/graph/entities"


def test_a_failed_move_also_undoes_new_graphs_and_additions(
    two_graph_store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(two_graph_store)
    monkeypatch.setattr(store_module, "_replacement_update", lambda *args: "THIS IS NOT SPARQL")
    with pytest.raises(BAD_UPDATE_ERROR):
        two_graph_store.replace_graphs(
            {
                GRAPH_A: [label_quad("site/mari", "Mari", GRAPH_A)],
                GRAPH_NEW: [label_quad("site/ebla", "Ebla", GRAPH_NEW)],
            }
        )
    assert contents(two_graph_store) == before


def test_additions_are_written_with_the_graphs_and_never_doubled(two_graph_store: KnowledgeStore) -> None:
    addition = label_quad("site/hatra", "Hatra", ENTITIES)
    for _ in range(2):
        two_graph_store.replace_graphs({GRAPH_NEW: [label_quad("site/ebla", "Ebla", GRAPH_NEW)]}, additions=[addition])
    assert addition in contents(two_graph_store)
    assert two_graph_store.graph_names() == sorted([GRAPH_A, GRAPH_B, GRAPH_NEW, ENTITIES])
    assert two_graph_store.quad_count() == 5
