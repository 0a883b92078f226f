"""The whole path, as a user runs it: ingest the seed article, query, export, and bad input."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyshacl
import pytest
from click.testing import CliRunner
from conftest import embedded_only, store_args
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from heritage_kg import resources
from heritage_kg.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "palmyra-2017-03-01.txt"
SHARED = ROOT.parent / "shared"
HKGD = "https://w3id.org/heritage-kg/id/"
HKG = "https://w3id.org/heritage-kg/ontology#"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("kg") / "store"
    result = run("ingest", str(EXAMPLE), *store_args(store))
    assert result.exit_code == 0, result.output
    return store


def query_rows(store: Path, name: str, *params: str) -> list[dict[str, str]]:
    args = ["query", name, *store_args(store), "--format", "csv"]
    for param in params:
        args += ["--param", param]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_heritage_events_on_the_seed_article(seed_store):
    rows = query_rows(seed_store, "heritage-events")
    assert [(r["monument"], r["mention"], r["site"], r["event_type"], r["perpetrator"], r["date"], r["earliest"],
             r["latest"], r["status"], r["monument_wikidata"], r["site_wikidata"], r["perpetrator_wikidata"])
            for r in rows] == [
        ("Monumental Arch", "monumental arch", "Palmyra", "destroyed", "Islamic State", "2015/2016-03",
         "2015-01-01", "2016-03-31", "reported", "Q21077991", "Q5747", "Q2429253"),
        ("Facade of the Roman Theatre", "facade of Palmyra's Roman Theater", "Palmyra", "destroyed",
         "Islamic State", "2016-12/2017-03-01", "2016-12-01", "2017-03-01", "reported", "", "Q5747", "Q2429253"),
        ("Tetrapylon", "Tetrapylon", "Palmyra", "destroyed", "Islamic State", "2016-12/2017-03-01",
         "2016-12-01", "2017-03-01", "reported", "", "Q5747", "Q2429253"),
    ]
    assert {r["article"] for r in rows} == {"palmyra-2017-03-01.txt"}
    assert rows[0]["evidence"] == ("During its first period in control of the site, the jihadists destroyed "
                                   "monuments including a 1,800-year-old monumental arch.")
    assert list(rows[0]) == ["article", "monument", "mention", "site", "event_type", "perpetrator", "date",
                             "earliest", "latest", "status", "evidence", "monument_wikidata", "site_wikidata",
                             "perpetrator_wikidata", "sources"]
    assert [r["sources"] for r in rows] == ["1", "1", "1"]


def test_control_timeline_on_the_seed_article(seed_store):
    rows = query_rows(seed_store, "control-timeline")
    assert [(r["place"], r["gained_by"], r["lost_by"], r["supported_by"], r["date"]) for r in rows] == [
        ("Palmyra", "Islamic State", "Syrian government", "", "2015"),
        ("Palmyra", "Syrian government", "Islamic State", "Russia", "2016-03"),
        ("Palmyra", "Islamic State", "Syrian government", "", "2016-12"),
        ("Palmyra triangle", "Syrian Arab Army", "", "", "2017-03-01"),
        ("eastern Aleppo", "", "rebel groups", "", "2016-12"),
    ]


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared (scorer and seed gold) is absent")
def test_seed_scores_perfectly_with_the_shared_scorer(seed_store, tmp_path):
    pytest.importorskip("yaml")
    events = tmp_path / "events.csv"
    events.write_text(run("query", "heritage-events", *store_args(seed_store), "--format", "csv").stdout)
    scored = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "seed" / "gold.yaml"),
         "--pred", str(events)], capture_output=True, text=True, check=True)
    lines = scored.stdout.strip().splitlines()
    assert lines[-1] == "event F1 = 1.000 (P 1.000, R 1.000)"
    assert "perpetrator accuracy 1.0 of 3; date accuracy 1.0 of 3" in lines[-2]


def test_reingesting_leaves_the_triple_count_unchanged(tmp_path):
    store = tmp_path / "kg"
    assert run("ingest", str(EXAMPLE), *store_args(store)).exit_code == 0
    first = run("stats", *store_args(store)).stdout
    assert run("ingest", str(EXAMPLE), *store_args(store)).exit_code == 0
    assert run("stats", *store_args(store)).stdout == first


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file: no article text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not article text"),
        (b"caf\xe9", "not UTF-8 text (invalid byte 0xe9 at offset 3)"),
    ],
)
def test_bad_file_is_named_and_the_store_keeps_what_it_had(tmp_path, content, message):
    store = tmp_path / "kg"
    assert run("ingest", str(EXAMPLE), *store_args(store)).exit_code == 0
    before = run("stats", *store_args(store)).stdout
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("ingest", str(EXAMPLE), str(bad), *store_args(store))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}: {message}\n"
    assert run("stats", *store_args(store)).stdout == before


def test_unknown_query_lists_the_known_ones(seed_store):
    result = run("query", "no-such-query", *store_args(seed_store))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown query 'no-such-query'; known queries: ")
    assert "heritage-events" in result.stderr and "control-timeline" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_events_at_site_binds_its_parameter(seed_store):
    rows = query_rows(seed_store, "events-at-site", "site=Tadmur")
    assert sorted(r["monument"] for r in rows) == ["Facade of the Roman Theatre", "Monumental Arch", "Tetrapylon"]
    assert query_rows(seed_store, "events-at-site", 'site=x" } ; DROP ALL ; #') == []
    assert len(query_rows(seed_store, "heritage-events")) == 3


def export(store: Path, fmt: str, path: Path) -> Path:
    result = run("export", "--format", fmt, "--output", str(path), *store_args(store))
    assert result.exit_code == 0, result.output
    return path


def test_turtle_export_links_identifiers_and_conforms_to_the_shapes(seed_store, tmp_path):
    path = export(seed_store, "turtle", tmp_path / "kg.ttl")
    text = path.read_text()
    assert "ns1:" not in text and "@prefix hkg: <https://w3id.org/heritage-kg/ontology#>" in text
    graph = Graph().parse(path, format="turtle")
    palmyra = URIRef(HKGD + "site/palmyra")
    assert (palmyra, URIRef(HKG + "wikidata"), URIRef("http://www.wikidata.org/entity/Q5747")) in graph
    assert (palmyra, URIRef(HKG + "whsId"), Literal("23")) in graph
    assert (palmyra, SKOS.altLabel, Literal("Tadmur", lang="en")) in graph
    assert (URIRef(HKGD + "actor/islamic-state"), URIRef(HKG + "wikidata"),
            URIRef("http://www.wikidata.org/entity/Q2429253")) in graph
    assert (URIRef(HKGD + "monument/palmyra/monumental-arch"), URIRef(HKG + "wikidata"),
            URIRef("http://www.wikidata.org/entity/Q21077991")) in graph
    assert list(graph.objects(URIRef(HKGD + "monument/palmyra/roman-theatre"), URIRef(HKG + "wikidata"))) == [
        URIRef("http://www.wikidata.org/entity/Q555201")]
    assert list(graph.objects(URIRef(HKGD + "monument/palmyra/tetrapylon"), URIRef(HKG + "wikidata"))) == []
    shapes = Graph().parse(resources.shapes_file().open("rb"), format="turtle")
    ontology = Graph().parse(resources.ontology_file().open("rb"), format="turtle")
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, report


@pytest.mark.parametrize("fmt", ["jsonld", "nquads", "trig"])
def test_dataset_exports_round_trip(seed_store, tmp_path, fmt):
    nquads = Dataset()
    nquads.parse(export(seed_store, "nquads", tmp_path / "reference.nq"), format="nquads")
    other = Dataset()
    other.parse(export(seed_store, fmt, tmp_path / f"kg.{fmt}"), format={"jsonld": "json-ld"}.get(fmt, fmt))
    graphs = {str(g.identifier): g for g in nquads.graphs() if len(g)}
    again = {str(g.identifier): g for g in other.graphs() if len(g)}
    assert graphs.keys() == again.keys()
    for name, graph in graphs.items():
        assert isomorphic(graph, again[name]), name
    if fmt == "jsonld":
        assert "@context" in json.loads((tmp_path / "kg.jsonld").read_text())


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed")
@pytest.mark.parametrize(("fmt", "rapper_syntax"), [("turtle", "turtle"), ("nquads", "nquads"), ("trig", "trig")])
def test_rapper_reads_every_export_with_rdflibs_count(seed_store, tmp_path, fmt, rapper_syntax):
    path = export(seed_store, fmt, tmp_path / f"kg.{fmt}")
    counted = subprocess.run(["rapper", "-i", rapper_syntax, "-c", str(path)], capture_output=True, text=True,
                             check=True)
    if fmt == "turtle":
        expected = len(Graph().parse(path, format="turtle"))
    else:
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        expected = sum(len(g) for g in dataset.graphs())
    assert f"returned {expected} triples" in counted.stderr


def test_no_traceback_without_debug(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = run("ingest", str(bad), *store_args(tmp_path / "kg"))
    assert "Traceback" not in result.output
    with pytest.raises(Exception, match="empty file"):
        CliRunner().invoke(main, ["--debug", "ingest", str(bad), *store_args(tmp_path / "kg")],
                           catch_exceptions=False)


def test_debug_also_works_after_the_command(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    with pytest.raises(Exception, match="empty file"):
        CliRunner().invoke(main, ["ingest", str(bad), *store_args(tmp_path / "kg"), "--debug"],
                           catch_exceptions=False)


def test_a_query_file_that_does_not_parse_is_bad_input(seed_store, tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?x WHERE { ?x ")
    result = run("query", str(broken), *store_args(seed_store))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}: invalid SPARQL: error at 1:")
    assert len(result.stderr) < 260
    assert len(result.stderr.strip().splitlines()) == 1


@embedded_only
def test_reading_a_store_that_does_not_exist_is_an_error_and_creates_nothing(tmp_path):
    missing = tmp_path / "no-such-store"
    for command in (["stats"], ["query", "heritage-events"], ["export", "--format", "nquads"]):
        result = run(*command, *store_args(missing))
        assert result.exit_code == 1
        assert result.stderr == (f"Error: {missing}: no store here yet; ingest articles into it first "
                                 "(heritage-kg ingest PATH --store DIR)\n")
    assert not missing.exists()


@embedded_only
def test_a_file_given_as_the_store_is_one_line(tmp_path):
    not_a_store = tmp_path / "file.txt"
    not_a_store.write_text("x")
    result = run("stats", *store_args(not_a_store))
    assert (result.exit_code, result.stderr) == (1, f"Error: {not_a_store}: is a file, not a store directory\n")


def test_naming_the_same_article_twice_reads_it_once(tmp_path):
    result = run("ingest", str(EXAMPLE), str(EXAMPLE), str(EXAMPLE.parent), *store_args(tmp_path / "kg"))
    assert result.exit_code == 0, result.output
    assert "Ingested 1 article:" in result.stderr
