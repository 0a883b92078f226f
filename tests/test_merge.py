"""One event per real event: reports of the same event in different articles merge (heritage_kg/merge.py)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import open_test_store, store_args

from heritage_kg.cli import main
from heritage_kg.ingest import read_article
from heritage_kg.merge import Report, cluster_reports, merge_events
from heritage_kg.pipeline import ingest_articles
from heritage_kg.query import resolve_query, run_query

ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "palmyra-2017-03-01.txt"
HKGD = "https://w3id.org/heritage-kg/id/"


def report(iri: str, article: str, earliest: str | None, latest: str | None, perpetrators: tuple[str, ...] = (),
           asset: str = "tetrapylon", event_type: str = "destroyed") -> Report:
    return Report(iri=iri, asset=asset, event_type=event_type, site=None, status="reported", article=article,
                  source_id=article, published=None, earliest=date.fromisoformat(earliest) if earliest else None,
                  latest=date.fromisoformat(latest) if latest else None, perpetrators=perpetrators)


def ids(clusters) -> list[list[str]]:
    return [[member.iri for member in members] for members in clusters]


def test_reports_with_overlapping_dates_merge_and_distant_ones_do_not():
    clusters = cluster_reports([
        report("a1", "A", "2016-12-01", "2017-03-01"),
        report("b1", "B", "2017-01-01", "2017-01-31"),
        report("c1", "C", "2015-05-01", "2015-05-31"),  # an earlier, different happening
        report("d1", "D", None, None),  # undated: compatible with the first
        report("e1", "E", "2017-01-10", "2017-01-10", asset="arch"),  # another monument
        report("f1", "F", "2017-01-10", "2017-01-10", event_type="damaged"),  # another kind of event
    ])
    # reports are taken by earliest date, undated last: the undated one joins the first it fits
    assert ids(clusters) == [["c1", "d1"], ["a1", "b1"]]


def test_the_same_article_never_merges_with_itself_and_order_does_not_matter():
    reports = [report("a1", "A", "2017-01-01", "2017-01-31"), report("a2", "A", "2017-01-05", "2017-01-06"),
               report("b1", "B", "2017-01-01", "2017-12-31")]
    assert ids(cluster_reports(reports)) == ids(cluster_reports(list(reversed(reports)))) == [["a1", "b1"]]


SECOND = """source: https://example.org/tetrapylon
title: Palmyra's Tetrapylon lies in ruins
published: 2017-01-22
publisher: Example News
---
Islamic State militants blew up the Tetrapylon in Palmyra last week, Syrian officials said.
"""

OTHER_SIDE = """source: https://example.org/tetrapylon-blame
published: 2017-01-25
---
Government shelling destroyed the Tetrapylon in Palmyra in January, the militants claimed.
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def query_rows(store: Path, *query: str) -> list[dict[str, str]]:
    result = run("query", *query, *store_args(store), "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def heritage_events(store: Path) -> list[dict[str, str]]:
    return query_rows(store, "heritage-events")


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    second = tmp_path / "tetrapylon.txt"
    second.write_text(SECOND)
    store = tmp_path / "kg"
    with open_test_store(store) as opened:
        ingest_articles((read_article(path) for path in (SEED, second)), opened)
        merge_events(opened)
    return store


def test_seed_and_a_second_report_of_the_tetrapylon_give_one_event_with_two_sources(two_articles: Path):
    rows = [row for row in heritage_events(two_articles) if row["monument"] == "Tetrapylon"]
    assert [(row["article"], row["event_type"], row["perpetrator"], row["date"], row["earliest"], row["latest"],
             row["status"], row["sources"]) for row in rows] == [
        # the second article was published first, so its report is the one quoted; the seed's bounds
        # (Dec 2016 to 1 Mar 2017) and the second's ("last week" before 22 Jan 2017) narrow to both
        ("https://example.org/tetrapylon", "destroyed", "Islamic State", "2017-01-15/2017-01-22", "2017-01-15",
         "2017-01-22", "reported", "2"),
    ]
    others = [row["sources"] for row in heritage_events(two_articles) if row["monument"] != "Tetrapylon"]
    assert others == ["1", "1"]  # the arch and the facade: the seed alone


def test_sources_of_the_merged_event_list_both_articles(two_articles: Path):
    result = run("query", "sources-of-event", "--param", "event=Tetrapylon", *store_args(two_articles),
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["article"], row["publisher"], row["quote"], row["status"]) for row in rows] == [
        ("https://example.org/tetrapylon", "Example News",
         "Islamic State militants blew up the Tetrapylon in Palmyra last week, Syrian officials said.", "reported"),
        ("palmyra-2017-03-01.txt", "Reuters",
         "Most recently, Islamic State has razed the landmark Tetrapylon and the facade of Palmyra's Roman Theater.",
         "reported"),
    ]
    assert len({row["event_iri"] for row in rows}) == 1 and rows[0]["event_iri"].startswith(HKGD + "event/merged/")


def test_merging_again_changes_nothing(two_articles: Path):
    with open_test_store(two_articles) as store:
        before = sorted(str(quad) for quad in store.quads())
        again = merge_events(store)
        after = sorted(str(quad) for quad in store.quads())
    assert (again.events, again.merged_reports) == (1, 2)
    assert after == before


def test_conflicting_perpetrators_stay_claims_with_their_sources(tmp_path: Path):
    paths = []
    for name, text in (("a.txt", SECOND), ("b.txt", OTHER_SIDE)):
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    with open_test_store(tmp_path / "kg") as store:
        ingest_articles((read_article(path) for path in paths), store)
        merge_events(store)
        rows = run_query(store, resolve_query("heritage-events")).rows
        claims = store.query(
            "PREFIX hkg: <https://w3id.org/heritage-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "SELECT DISTINCT ?who ?source WHERE { GRAPH <https://w3id.org/heritage-kg/graph/merged> { "
            "?claim a hkg:PerpetratorClaim ; hkg:claimedPerpetrator ?actor ; prov:wasDerivedFrom ?article } "
            "?actor rdfs:label ?who . ?article hkg:sourceId ?source } ORDER BY ?who").rows
    assert [(row[1], row[5], row[9], row[-1]) for row in rows] == [("Tetrapylon", "", "disputed", "2")]
    assert claims == [("Islamic State", "https://example.org/tetrapylon"),
                      ("Syrian government", "https://example.org/tetrapylon-blame")]


def test_merged_events_and_their_claims_conform_to_the_shapes(tmp_path: Path):
    import pyshacl
    from rdflib import Graph

    from heritage_kg import resources

    paths = [SEED]
    for name, text in (("a.txt", SECOND), ("b.txt", OTHER_SIDE)):
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    with open_test_store(tmp_path / "kg") as store:
        ingest_articles((read_article(path) for path in paths), store)
        merge_events(store)
    exported = tmp_path / "kg.ttl"
    assert run("export", "--format", "turtle", "-o", str(exported), *store_args(tmp_path / "kg")).exit_code == 0
    graph = Graph().parse(exported, format="turtle")
    shapes = Graph().parse(resources.shapes_file().open("rb"), format="turtle")
    ontology = Graph().parse(resources.ontology_file().open("rb"), format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, text


def test_ingest_merges_by_itself_and_a_rerun_changes_nothing(tmp_path: Path):
    second = tmp_path / "tetrapylon.txt"
    second.write_text(SECOND)
    store = tmp_path / "kg"
    first = run("ingest", str(SEED), str(second), *store_args(store))
    assert first.exit_code == 0, first.output
    assert "; 1 event reported by several articles (2 reports) merged; the store holds " in first.stderr
    before = heritage_events(store)
    assert [(row["event_type"], row["sources"]) for row in before if row["monument"] == "Tetrapylon"] == [
        ("destroyed", "2")]
    again = run("ingest", str(SEED), str(second), *store_args(store))
    assert again.stderr.split("; the store holds ")[1] == first.stderr.split("; the store holds ")[1]
    assert heritage_events(store) == before and len(before) == 3


def test_events_by_perpetrator_counts_a_merged_event_once(two_articles: Path):
    # four reports (the seed's three, the second article's Tetrapylon) of three real events
    assert query_rows(two_articles, "events-by-perpetrator") == [{
        "perpetrator": "Islamic State", "perpetrator_wikidata": "Q2429253", "events": "3",
        "monuments": "Facade of the Roman Theatre; Monumental Arch; Tetrapylon"}]


def test_events_at_site_lists_each_articles_report_and_not_the_merged_node(two_articles: Path):
    rows = query_rows(two_articles, "events-at-site", "--param", "site=Palmyra")
    assert sorted((row["article"], row["monument"]) for row in rows) == [
        ("https://example.org/tetrapylon", "Tetrapylon"),
        ("palmyra-2017-03-01.txt", "Facade of the Roman Theatre"),
        ("palmyra-2017-03-01.txt", "Monumental Arch"),
        ("palmyra-2017-03-01.txt", "Tetrapylon"),
    ]


def test_unverified_claims_shows_a_disputed_merged_event_through_its_primary_report_and_both_sides(tmp_path: Path):
    other = tmp_path / "blame.txt"
    other.write_text(OTHER_SIDE)
    store = tmp_path / "kg"
    assert run("ingest", str(SEED), str(other), *store_args(store)).exit_code == 0
    assert query_rows(store, "unverified-claims") == [{
        "article": "https://example.org/tetrapylon-blame", "monument": "Tetrapylon", "mention": "Tetrapylon",
        "event_type": "destroyed", "status": "disputed", "hedge": "", "reported_by": "",
        "perpetrator": "Islamic State; Syrian government", "date": "2017-01-01/2017-01-31",
        "evidence": "Government shelling destroyed the Tetrapylon in Palmyra in January, the militants claimed.",
    }]
