"""`heritage-kg gazetteer update` and `heritage-kg link`, against a real SPARQL server on 127.0.0.1 holding
Wikidata-shaped data (tests/fixtures/wikidata/sample.ttl; QIDs from Q9000000001 up are fictitious)."""

import csv
import io
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import store_args

from heritage_kg.cli import main

PALMYRA = """source: https://example.org/palmyra
published: 2017-01-20
---
Islamic State militants destroyed the Tetrapylon and the Church of Saint Sergius in Palmyra.
"""
BOSRA = """source: https://example.org/bosra
published: 2016-01-20
---
Government shelling damaged the Church of Saint Sergius in Bosra.
"""

LINKED_3_OF_3 = "Linked 3 of 3 sites and monuments without a QID"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "palmyra.txt").write_text(PALMYRA)
    (tmp_path / "bosra.txt").write_text(BOSRA)
    location = tmp_path / "kg"
    result = run("ingest", str(tmp_path / "palmyra.txt"), str(tmp_path / "bosra.txt"), *store_args(location))
    assert result.exit_code == 0, result.output
    return location


def events(store: Path) -> list[tuple[str, str, str, str]]:
    result = run("query", "heritage-events", *store_args(store), "--format", "csv")
    assert result.exit_code == 0, result.output
    return sorted((row["monument"], row["site"], row["monument_wikidata"], row["site_wikidata"])
                  for row in csv.DictReader(io.StringIO(result.stdout)))


def test_link_online_gives_each_same_named_church_its_own_item_and_a_rerun_asks_nothing(
        store: Path, tmp_path: Path, wikidata_endpoint: str) -> None:
    before = events(store)
    link = ["link", "--online", "--wikidata-endpoint", wikidata_endpoint, "--cache", str(tmp_path / "cache"),
            *store_args(store)]
    first = run(*link)
    assert first.exit_code == 0, first.output
    assert first.stderr == f"{LINKED_3_OF_3}; 1 requests sent, 0 answered from the cache.\n"
    assert sorted(first.stdout.splitlines()) == [
        "Church of Saint Sergius -> Q9000000001 (part of Q5747 (P361))",
        "Church of Saint Sergius -> Q9000000002 (part of Q15727412 (P361))",
        "Tetrapylon -> Q9000000003 (part of Q5747 (P361))",
    ]
    assert [row[:2] + row[3:] for row in events(store)] == [row[:2] + row[3:] for row in before]
    assert events(store) == [
        ("Church of Saint Sergius", "Ancient City of Bosra", "Q9000000002", "Q15727412"),
        ("Church of Saint Sergius", "Palmyra", "Q9000000001", "Q5747"),
        ("Tetrapylon", "Palmyra", "Q9000000003", "Q5747"),
    ]
    second = run(*link)
    assert second.exit_code == 0, second.output
    assert second.stderr == f"{LINKED_3_OF_3}; 0 requests sent, 1 answered from the cache.\n"
    assert events(store)[2] == ("Tetrapylon", "Palmyra", "Q9000000003", "Q5747")


def test_each_link_carries_its_source(store: Path, tmp_path: Path, wikidata_endpoint: str) -> None:
    assert run("link", "--online", "--wikidata-endpoint", wikidata_endpoint, "--cache", str(tmp_path / "cache"),
               *store_args(store)).exit_code == 0
    query = tmp_path / "sources.rq"
    query.write_text(
        "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?qid ?source WHERE { GRAPH <https://w3id.org/heritage-kg/graph/links> {\n"
        "  ?a crm:P140_assigned_attribute_to <https://w3id.org/heritage-kg/id/monument/palmyra/tetrapylon> ;\n"
        "     crm:P141_assigned ?qid ; dcterms:source ?source } }\n")
    result = run("query", str(query), *store_args(store), "--format", "csv")
    assert list(csv.DictReader(io.StringIO(result.stdout))) == [{
        "qid": "http://www.wikidata.org/entity/Q9000000003",
        "source": f"Wikidata SPARQL endpoint {wikidata_endpoint} (query wikidata/items-named); "
                  "label or alias 'Tetrapylon'; part of Q5747 (P361)",
    }]


def test_gazetteer_update_then_link_offline_from_the_local_gazetteer(
        store: Path, tmp_path: Path, wikidata_endpoint: str) -> None:
    cache = tmp_path / "cache"
    update = ["gazetteer", "update", "--wikidata-endpoint", wikidata_endpoint, "--cache", str(cache)]
    first = run(*update)
    assert first.exit_code == 0, first.output
    saved = json.loads((cache / "wikidata-gazetteer.json").read_text())
    qids = [item["qid"] for item in saved["items"]]
    assert saved["header"]["endpoint"] == wikidata_endpoint
    assert {"Q5747", "Q15727412", "Q4115349", "Q797481", "Q9000000001", "Q9000000002"} <= set(qids)
    assert first.stderr.endswith("; 2 requests sent, 0 answered from the cache.\n")
    second = run(*update)
    assert second.stderr.endswith("; 0 requests sent, 2 answered from the cache.\n")
    linked = run("link", "--cache", str(cache), *store_args(store))  # no --online: the local gazetteer only
    assert linked.exit_code == 0, linked.output
    assert linked.stderr.startswith("Linked 3 of 3 sites and monuments without a QID; 0 requests sent")
    # Bosra's church, Palmyra's, the Tetrapylon
    assert [row[2] for row in events(store)] == ["Q9000000002", "Q9000000001", "Q9000000003"]


def test_link_without_a_local_gazetteer_or_online_says_what_to_do(store: Path, tmp_path: Path) -> None:
    result = run("link", "--cache", str(tmp_path / "empty"), *store_args(store))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no local Wikidata gazetteer at {tmp_path / 'empty' / 'wikidata-gazetteer.json'}: "
                             "run `heritage-kg gazetteer update` first, or `heritage-kg link --online`\n")


def test_link_online_when_the_endpoint_is_unreachable_is_one_line_and_changes_nothing(
        store: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = events(store)
    result = run("link", "--online", "--wikidata-endpoint", f"http://127.0.0.1:{port}/query", "--cache",
                 str(tmp_path / "cache"), *store_args(store))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: cannot reach the Wikidata endpoint http://127.0.0.1:{port}/query")
    assert events(store) == before
