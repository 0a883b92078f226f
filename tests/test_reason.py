"""`heritage-kg reason`: HermiT over the store, the exact facts it infers into …/graph/inferred, and the
words it finds for an inconsistency."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, KITCHEN_SINK_FIXTURE, open_test_store, quads_by_graph, store_args
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic

from heritage_kg.cli import main
from heritage_kg.export import to_rdflib_term
from heritage_kg.namespaces import INFERRED_GRAPH
from heritage_kg.reason import (
    InconsistentDataError,
    infer,
    load_schema,
    reason_store,
    reasoner_input,
    split,
)
from heritage_kg.store import KnowledgeStore

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "palmyra-2017-03-01.txt"
INCONSISTENT_FIXTURE = FIXTURES / "inconsistent.trig"
HKG = "https://w3id.org/heritage-kg/ontology#"
HKGD = "https://w3id.org/heritage-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

INCONSISTENCY = (
    "Error: the data is inconsistent with the ontology: "
    "hkgd:actor/confused is typed both hkg:ArmedGroup and hkg:Monument, which are disjoint "
    "(hkg:Actor owl:disjointWith hkg:HeritageAsset); "
    "hkgd:actor/islamic-state is typed hkg:ArmedGroup and is the hkg:affected of "
    "hkgd:event/2222222222222222/islamic-state-destroyed (range hkg:HeritageAsset), which are disjoint "
    "(hkg:Actor owl:disjointWith hkg:HeritageAsset); "
    "hkgd:event/2222222222222222/islamic-state-destroyed is typed both hkg:DestructionEvent and "
    "hkg:RestorationEvent, which are disjoint (owl:AllDisjointClasses (hkg:DestructionEvent hkg:DamageEvent "
    "hkg:LootingEvent hkg:ThreatEvent hkg:RestorationEvent))"
)

# What each inferred fact on the seed article says, with the events named by the monument they affected.
INFERRED_ON_THE_SEED = {
    ("actor/islamic-state", "a", "Perpetrator"),
    ("site/palmyra", "a", "DamagedWorldHeritageSite"),
    ("event of Tetrapylon", "affectedPartOf", "site/palmyra"),
    ("event of Monumental Arch", "affectedPartOf", "site/palmyra"),
    ("event of Facade of the Roman Theatre", "affectedPartOf", "site/palmyra"),
    ("event of Facade of the Roman Theatre", "affectedPartOf", "monument/palmyra/roman-theatre"),
}
SUMMARY = re.compile(
    r"Inferred 6 facts into https://w3id\.org/heritage-kg/graph/inferred in [0-9.]+ s "
    r"\(HermiT over [0-9]+ facts about [0-9]+ individuals: [0-9.]+ s\)"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def inferred_graph(store: KnowledgeStore) -> Graph:
    graph = Graph()
    for quad in store.quads():
        if quad.graph_name == ox.NamedNode(str(INFERRED_GRAPH)):
            graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return graph


def readable_facts(store: KnowledgeStore) -> set[tuple[str, str, str]]:
    """The inferred facts, each event named by the label of the monument it affected."""
    rows = store.query(
        f"""SELECT ?s ?p ?o (SAMPLE(?label) AS ?affected) WHERE {{
              GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }}
              OPTIONAL {{ ?s <{HKG}affected>/<http://www.w3.org/2000/01/rdf-schema#label> ?label }}
            }} GROUP BY ?s ?p ?o"""
    ).rows
    facts = set()
    for subject, predicate, obj, affected in rows:
        assert subject and predicate and obj
        who = f"event of {affected}" if affected else subject.removeprefix(HKGD)
        if predicate == RDF_TYPE:
            facts.add((who, "a", obj.removeprefix(HKG)))
        else:
            facts.add((who, predicate.removeprefix(HKG), obj.removeprefix(HKGD)))
    return facts


# --- the demo: the seed article ingested ---


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("kg") / "store"
    result = run("ingest", str(EXAMPLE), *store_args(store))
    assert result.exit_code == 0, result.output
    return store


def test_reason_on_the_seed_adds_the_perpetrator_and_the_affected_site(seed_store: Path) -> None:
    validated = run("validate", *store_args(seed_store))
    assert (validated.exit_code, validated.stdout.splitlines()[-1]) == (
        0, "No violations: 558 triples conform to the SHACL shapes and pass the 5 checks."), validated.output
    before = run("query", "heritage-events", "--format", "csv", *store_args(seed_store))
    assert before.exit_code == 0, before.output

    result = run("reason", *store_args(seed_store))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert SUMMARY.fullmatch(lines[0]), lines[0]
    assert lines[1:] == [
        "       4  hkg:affectedPartOf",
        "       1  hkg:DamagedWorldHeritageSite",
        "       1  hkg:Perpetrator",
    ]
    with open_test_store(seed_store) as store:
        assert readable_facts(store) == INFERRED_ON_THE_SEED
        # Queries read the inferred graph too
        perpetrators = store.query(f"SELECT ?actor WHERE {{ ?actor a <{HKG}Perpetrator> }}").rows
        assert perpetrators == [(HKGD + "actor/islamic-state",)]
    # ... but heritage-events is the same, row for row
    after = run("query", "heritage-events", "--format", "csv", *store_args(seed_store))
    assert after.stdout == before.stdout

    # A rerun replaces the graph: the same facts, once
    again = run("reason", *store_args(seed_store))
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[1:] == lines[1:]
    with open_test_store(seed_store) as store:
        assert readable_facts(store) == INFERRED_ON_THE_SEED
        assert len(inferred_graph(store)) == 6

    # and the store still validates, inferred facts and all
    validated = run("validate", *store_args(seed_store))
    assert (validated.exit_code, validated.stdout.splitlines()[-1]) == (
        0, "No violations: 564 triples conform to the SHACL shapes and pass the 5 checks."), validated.output


# --- the kitchen sink: every fact exactly ---


def test_the_kitchen_sinks_inferred_graph_is_what_hermit_concludes(
    loaded_store: Callable[[Path], KnowledgeStore],
) -> None:
    expected_dataset = Dataset()
    expected_dataset.parse(KITCHEN_SINK_FIXTURE, format="trig")
    expected = Graph()
    for triple in expected_dataset.graph(URIRef(str(INFERRED_GRAPH))):
        expected.add(triple)
    assert len(expected) == 11

    store = loaded_store(KITCHEN_SINK_FIXTURE)
    report = reason_store(store)

    found = inferred_graph(store)
    if not isomorphic(found, expected):
        _, only_found, only_expected = graph_diff(found, expected)
        pytest.fail(f"inferred but not in the fixture:\n{only_found.serialize(format='nt')}\n"
                    f"in the fixture but not inferred:\n{only_expected.serialize(format='nt')}")
    assert dict(report.facts) == {HKG + "Perpetrator": 1, HKG + "DamagedWorldHeritageSite": 1,
                                  HKG + "affectedPartOf": 9}


def test_a_rerun_drops_what_no_longer_follows(loaded_store: Callable[[Path], KnowledgeStore]) -> None:
    graphs = quads_by_graph(KITCHEN_SINK_FIXTURE)
    stale = ox.Quad(ox.NamedNode(HKGD + "actor/russia"), ox.NamedNode(RDF_TYPE), ox.NamedNode(HKG + "Perpetrator"),
                    ox.NamedNode(str(INFERRED_GRAPH)))
    graphs[str(INFERRED_GRAPH)] = [stale]
    store = loaded_store(KITCHEN_SINK_FIXTURE)
    store.replace_graphs(graphs)
    assert stale in set(store.quads())

    reason_store(store)

    assert stale not in set(store.quads())
    assert len(inferred_graph(store)) == 11


def test_the_reasoner_gets_only_what_it_needs() -> None:
    schema = load_schema()
    data = reasoner_input(schema, ox.parse(path=KITCHEN_SINK_FIXTURE, format=ox.RdfFormat.TRIG))
    predicates = {prop.removeprefix(HKG) for _, prop, _ in data.values}
    # no provenance, quotes, identifiers or dates (EDTF and xsd:date are not OWL 2 datatypes)
    assert predicates == {
        "affected", "atSite", "claimAbout", "claimedBy", "claimedPerpetrator", "controlOf", "country",
        "demonym", "eventType", "forceOf", "gainedBy", "hasPart", "hasReport", "locatedIn", "lostBy", "partOf",
        "perpetrator", "primaryReport", "reportedBy", "restorationPhase", "statedBy", "supporter", "whsId", "whsPage",
    }  # fmt: skip
    types = {cls.removeprefix(HKG) for classes in data.types.values() for cls in classes}
    assert "Evidence" not in types and "Article" not in types and "HeritageEvent" in types
    # what a previous run inferred is not given back to the reasoner
    assert not any(HKG + "Perpetrator" in classes for classes in data.types.values())


def test_reasoning_in_parts_concludes_what_reasoning_over_the_whole_does() -> None:
    schema = load_schema()
    data = reasoner_input(schema, ox.parse(path=KITCHEN_SINK_FIXTURE, format=ox.RdfFormat.TRIG))
    parts = split(data, size=10)
    assert len(parts) > 3
    # every fact is in some part, and every part holds all the values of what it holds
    assert set().union(*(part.values for part in parts)) == data.values
    for part in parts:
        assert {obj.value for _, _, obj in part.values if isinstance(obj, ox.NamedNode)} <= part.individuals
    whole = infer(schema, data)
    in_parts = infer(schema, data, part_size=10)
    assert (whole.parts, in_parts.parts) == (1, len(parts))
    assert in_parts.triples == whole.triples
    assert len(whole.triples) == 11


def test_a_conflict_between_two_parts_is_found() -> None:
    # Two events far apart: one names the thing as the asset it affected, the other as its perpetrator.
    data = "@prefix hkg: <https://w3id.org/heritage-kg/ontology#> .\n" + "".join(
        f"<{HKGD}event/{n}> a hkg:DamageEvent ; hkg:{prop} <{HKGD}thing> .\n"
        for n, prop in ((1, "affected"), (2, "perpetrator"))
    ) + "".join(f"<{HKGD}event/{n}> a hkg:ThreatEvent ; hkg:affected <{HKGD}monument/{n}> .\n" for n in range(3, 40))
    schema = load_schema()
    given = reasoner_input(schema, ox.parse(data, format=ox.RdfFormat.TURTLE))
    parts = split(given, size=4)
    assert not any({f"{HKGD}event/1", f"{HKGD}event/2"} <= part.individuals for part in parts)
    with pytest.raises(InconsistentDataError) as raised:
        infer(schema, given, part_size=4)
    assert [conflict.describe() for conflict in raised.value.conflicts] == [
        "hkgd:thing is the hkg:affected of hkgd:event/1 (range hkg:HeritageAsset) and is the hkg:perpetrator of "
        "hkgd:event/2 (range hkg:Actor), which are disjoint (hkg:Actor owl:disjointWith hkg:HeritageAsset)",
    ]


# --- inconsistency ---


def test_an_inconsistent_store_exits_1_and_names_what_conflicts(
    loaded_store: Callable[[Path], KnowledgeStore], tmp_path: Path
) -> None:
    loaded_store(INCONSISTENT_FIXTURE).close()
    location = tmp_path / "loaded-0"

    result = run("reason", *store_args(location))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == INCONSISTENCY + "\n"
    with open_test_store(location) as store:  # nothing written
        assert str(INFERRED_GRAPH) not in store.graph_names()


def test_an_inconsistency_keeps_the_previous_inferred_graph(loaded_store: Callable[[Path], KnowledgeStore]) -> None:
    article = "https://w3id.org/heritage-kg/graph/article/0123456789abcdef"
    quads = quads_by_graph(KITCHEN_SINK_FIXTURE)[article]
    quads.append(ox.Quad(ox.NamedNode(HKGD + "actor/islamic-state"), ox.NamedNode(RDF_TYPE),
                         ox.NamedNode(HKG + "Monument"), ox.NamedNode(article)))
    store = loaded_store(KITCHEN_SINK_FIXTURE)
    store.replace_graphs({article: quads})
    before = set(store.quads())
    with pytest.raises(InconsistentDataError) as raised:
        reason_store(store)
    assert [conflict.describe() for conflict in raised.value.conflicts] == [
        "hkgd:actor/islamic-state is typed both hkg:ArmedGroup and hkg:Monument, which are disjoint "
        "(hkg:Actor owl:disjointWith hkg:HeritageAsset)",
    ]
    assert set(store.quads()) == before  # the fixture's inferred graph is still there
    assert len(inferred_graph(store)) == 11


def test_a_domain_conflict_is_explained() -> None:
    data = (
        "@prefix hkg: <https://w3id.org/heritage-kg/ontology#> .\n"
        "<https://w3id.org/heritage-kg/id/monument/m> a hkg:Monument ; hkg:perpetrator "
        "<https://w3id.org/heritage-kg/id/actor/a> .\n"
        "<https://w3id.org/heritage-kg/id/actor/a> a hkg:State .\n"
    )
    schema = load_schema()
    with pytest.raises(InconsistentDataError) as raised:
        infer(schema, reasoner_input(schema, ox.parse(data, format=ox.RdfFormat.TURTLE)))
    assert [conflict.describe() for conflict in raised.value.conflicts] == [
        "hkgd:monument/m is typed hkg:Monument and has hkg:perpetrator hkgd:actor/a (domain hkg:HeritageEvent), "
        "which are disjoint (hkg:HeritageEvent owl:disjointWith hkg:HeritageAsset)",
    ]


def test_an_inconsistency_of_another_kind_says_so() -> None:
    assert str(InconsistentDataError([])) == (
        "the data is inconsistent with the ontology: no individual is typed with two disjoint "
        "classes, asserted or through the domain or range of a property; another axiom of the ontology rules "
        "the data out"
    )


def test_reason_needs_a_store(tmp_path: Path) -> None:
    result = run("reason", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert "no store here yet" in result.stderr
