"""The Wikidata client against real servers on 127.0.0.1: `oxigraph serve` holding a small piece of
Wikidata's shape (tests/fixtures/wikidata/sample.ttl; the `wikidata_endpoint` fixture in conftest.py),
and a scripted HTTP server for the answers
Oxigraph never gives (429, 503, empty bodies). Waits go through an injected clock and sleep, so the
recorded waits are exact and nothing really waits.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

import heritage_kg.wikidata as wikidata
from heritage_kg import __version__
from heritage_kg.cli import main
from heritage_kg.errors import HeritageKGError, InputError, UnknownNameError
from heritage_kg.namespaces import WDT
from heritage_kg.query import load_queries, parse_query
from heritage_kg.resources import queries_dir
from heritage_kg.wikidata import (
    NAMES_QUERY,
    PARTS_QUERY,
    SITES_QUERY,
    WikidataClient,
    WikidataError,
    WikidataItem,
    default_user_agent,
    fill_values,
    items_named,
    load_header,
    load_items,
    parse_point,
    retry_after_seconds,
    save_items,
    wikidata_query_text,
    world_heritage_items,
)

SAMPLE = Path(__file__).parent / "fixtures" / "wikidata" / "sample.ttl"
IDENTIFIERS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "identifiers.csv"
FICTITIOUS_FROM = 9_000_000_000
INJECTION = 'Bel" } ; DROP ALL #'

CANNED = {
    "head": {"vars": ["item", "field", "value"]},
    "results": {"bindings": [{
        "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q5747"},
        "field": {"type": "literal", "value": "label"},
        "value": {"type": "literal", "value": "Palmyra", "xml:lang": "en"},
    }]},
}
CANNED_ROWS = [{"item": "http://www.wikidata.org/entity/Q5747", "field": "label", "value": "Palmyra"}]


def item(qid: str, label: str | None, aliases: tuple[str, ...] = (), whs_id: str | None = None,
         country: tuple[str, ...] = (), located_in: tuple[str, ...] = (), part_of: tuple[str, ...] = (),
         coordinates: tuple[float, float] | None = None) -> WikidataItem:
    return WikidataItem(qid, label, aliases, whs_id, country, located_in, part_of, coordinates)


PALMYRA = item("Q5747", "Palmyra", ("Site of Palmyra", "Tadmor"), "23", ("Q858",), ("Q9000000009",),
               coordinates=(38.268, 34.551))
TEMPLE_OF_BEL = item("Q797481", "Temple of Bel", ("Temple of Baal",), country=("Q858",), part_of=("Q5747",),
                     coordinates=(38.2741, 34.5474))
ALEPPO_WHS = item("Q4115349", "Ancient City of Aleppo", whs_id="21", country=("Q858",), located_in=("Q41183",),
                  coordinates=(37.16, 36.2))
BOSRA = item("Q15727412", "Ancient City of Bosra", ("Bosra",), "22", ("Q858",), coordinates=(36.481, 32.518))
ARCH = item("Q21077991", "Monumental Arch of Palmyra", ("Arch of Triumph",), country=("Q858",), part_of=("Q5747",))
AGORA = item("Q108355868", "Agora of Palmyra", part_of=("Q5747",))
SERGIUS_PALMYRA = item("Q9000000001", "Church of Saint Sergius", ("Church of St Sergius",), country=("Q858",),
                       part_of=("Q5747",))
SERGIUS_BOSRA = item("Q9000000002", "Church of Saint Sergius", country=("Q858",), part_of=("Q15727412",))
TETRAPYLON = item("Q9000000003", "Tetrapylon", ("Tetrakionion",), part_of=("Q5747",))
NO_ENGLISH_LABEL = item("Q9000000005", None, part_of=("Q5747",))
ALEPPO_CITY = item("Q41183", "Aleppo", country=("Q858",))


# --- servers and time ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class FakeTime:
    """An injected clock and sleep: sleeping records the wait and moves the clock on."""

    now: float = 1000.0
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = json.dumps(CANNED).encode()
    content_type: str = "application/sparql-results+json"


@dataclass
class Received:
    method: str
    user_agent: str | None
    query: str | None
    params: dict[str, list[str]]


@dataclass
class ScriptedServer:
    """Answers with the scripted replies in order, then with CANNED; records every request."""

    url: str
    script: list[Reply]
    received: list[Received] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ThreadingHTTPServer] = []

    def start(*script: Reply, delay: float = 0.0) -> ScriptedServer:
        state: ScriptedServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
                pass

            def do_GET(self) -> None:
                self.answer(urllib.parse.urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self.answer(self.rfile.read(length).decode("ascii"))

            def answer(self, form: str) -> None:
                params = urllib.parse.parse_qs(form)
                with state.lock:
                    state.received.append(Received(self.command, self.headers.get("User-Agent"),
                                                   params.get("query", [None])[0], params))
                    state.in_flight += 1
                    state.most_in_flight = max(state.most_in_flight, state.in_flight)
                    reply = state.script.pop(0) if state.script else Reply()
                time.sleep(state.delay)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with state.lock:  # before the body: once it is written the client may send its next request
                    state.in_flight -= 1
                self.wfile.write(reply.body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        state = ScriptedServer(f"http://127.0.0.1:{server.server_address[1]}/sparql", list(script), delay=delay)
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def client_for(endpoint: str, cache_dir: Path, fake_time: FakeTime, **options: object) -> WikidataClient:
    return WikidataClient(endpoint, cache_dir=cache_dir, sleep=fake_time.sleep, clock=fake_time.clock,
                          **options)  # type: ignore[arg-type]


def cache_files(cache_dir: Path) -> list[str]:
    return sorted(path.name for path in cache_dir.iterdir()) if cache_dir.exists() else []


# --- the fixture itself ---


def test_fixture_uses_only_verified_or_fictitious_qids() -> None:
    graph = rdflib.Graph().parse(SAMPLE)
    qids = {str(node)[len(wikidata.ENTITY_PREFIX):] for node in graph.all_nodes()
            if isinstance(node, URIRef) and str(node).startswith(wikidata.ENTITY_PREFIX)}
    real = {qid for qid in qids if int(qid[1:]) < FICTITIOUS_FROM}
    assert real == {"Q5747", "Q797481", "Q21077991", "Q108355868", "Q858", "Q15727412", "Q41183", "Q4115349"}
    if not IDENTIFIERS.is_file():
        pytest.skip("../shared/reference/identifiers.csv is absent: the real QIDs cannot be checked here")
    with IDENTIFIERS.open(encoding="utf-8", newline="") as stream:
        verified = {row["wikidata_qid"] for row in csv.DictReader(stream)}
    assert real <= verified
    properties = {str(p).rsplit("/", 1)[1] for p in graph.predicates() if str(p).startswith(str(WDT))}
    assert properties <= verified


# --- queries ---


def test_wikidata_queries_have_headers_and_run_on_a_plain_sparql_engine() -> None:
    for name in (SITES_QUERY, PARTS_QUERY, NAMES_QUERY):
        stored = parse_query(wikidata_query_text(name), name)
        assert stored.title and stored.description
        text = fill_values(stored.text, {"name": [Literal("Palmyra", lang="en")]} if name == NAMES_QUERY else None)
        sparql = wikidata.strip_header(text)
        assert sparql.startswith("PREFIX ") and not re.search(r"^\s*#", sparql, re.MULTILINE)  # no comment sent
        assert "wikibase:label" not in sparql and "SERVICE" not in sparql
        prepareQuery(text)  # parses as plain SPARQL 1.1


def test_heritage_kg_queries_does_not_list_the_wikidata_queries() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0, result.output
    assert "wikidata" not in result.output
    assert "heritage-events" in result.output
    assert not [query.name for query in load_queries() if query.name.startswith("wikidata/")]
    assert (Path(str(queries_dir())) / "wikidata" / f"{SITES_QUERY}.rq").is_file()


def test_unknown_wikidata_query_lists_the_known_ones() -> None:
    with pytest.raises(UnknownNameError) as raised:
        wikidata_query_text("no-such-query")
    assert str(raised.value) == (
        "unknown Wikidata query 'no-such-query'; known: items-named, world-heritage-parts, world-heritage-sites"
    )


def test_fill_values_writes_n3_terms_into_the_empty_values_line_only() -> None:
    query = "# VALUES ?name { } in a comment stays as it is\nSELECT * WHERE {\n  VALUES ?name { }\n}\n"
    filled = fill_values(query, {"name": [Literal(INJECTION, lang="en"), URIRef("http://example.org/a")]})
    assert filled == (
        "# VALUES ?name { } in a comment stays as it is\nSELECT * WHERE {\n"
        '  VALUES ?name { "Bel\\" } ; DROP ALL #"@en <http://example.org/a> }\n}\n'
    )


@pytest.mark.parametrize("values, message", [
    (None, "query: no values for ?name (the query has slots for: name)"),
    ({"name": [Literal("x")], "site": [Literal("y")]},
     "query: no VALUES slot for ?site (the query has slots for: name)"),
    ({"name": [BNode("b")]}, "query: ?name: only IRIs and literals can be values, not rdflib.term.BNode('b')"),
    # rdflib's n3() writes this one (newline, then backslash and quote at the end) as broken SPARQL
    ({"name": [Literal('x\n\\"', lang="en")]}, None),
])
def test_fill_values_refuses_what_it_cannot_bind(values: dict[str, list[rdflib.term.Node]] | None,
                                                 message: str | None) -> None:
    with pytest.raises(WikidataError) as raised:
        fill_values("SELECT * WHERE {\n  VALUES ?name { }\n}", values)
    if message is not None:
        assert str(raised.value) == message
    else:
        assert str(raised.value).startswith("query: ?name: a value cannot be written safely into the query (")


# --- data from the oxigraph server ---


def test_world_heritage_items_are_the_sites_and_their_parts(wikidata_endpoint: str, tmp_path: Path,
                                                            fake_time: FakeTime) -> None:
    client = client_for(wikidata_endpoint, tmp_path, fake_time)
    assert world_heritage_items(client) == [
        PALMYRA, TEMPLE_OF_BEL, ALEPPO_WHS, BOSRA, ARCH, AGORA,
        SERGIUS_PALMYRA, SERGIUS_BOSRA, TETRAPYLON, NO_ENGLISH_LABEL,
    ]
    assert client.requests_sent == 2 and client.cache_hits == 0
    assert fake_time.waits == [1.0]  # the second query waited min_interval after the first


@pytest.mark.parametrize("names, language, expected", [
    (["Church of Saint Sergius"], "en", [SERGIUS_PALMYRA, SERGIUS_BOSRA]),  # one label, two items
    (["Tadmor"], "en", [PALMYRA]),  # by alias
    (["Arch of Triumph", "Temple of Bel", "Temple of Bel"], "en", [TEMPLE_OF_BEL, ARCH]),
    (["Aleppo"], "en", [ALEPPO_CITY]),  # any item, not only World Heritage
    (["تدمر"], "en", []),  # an Arabic label is not an English name
    (["Tadmur"], "en", []),  # nor is a German alias
    (["تدمر"], "ar", [PALMYRA]),  # looked up in Arabic, described in English
    (["معبد"], "ar", [NO_ENGLISH_LABEL]),
    (["palmyra", "Palmyra "], "en", []),  # exact names only
])
def test_items_named(wikidata_endpoint: str, tmp_path: Path, fake_time: FakeTime, names: list[str], language: str,
                     expected: list[WikidataItem]) -> None:
    assert items_named(client_for(wikidata_endpoint, tmp_path, fake_time), names, language) == expected


def test_a_name_with_quotes_backslashes_and_newlines_stays_a_literal(wikidata_endpoint: str, tmp_path: Path,
                                                                     fake_time: FakeTime) -> None:
    client = client_for(wikidata_endpoint, tmp_path, fake_time)
    names = [INJECTION, "Temple of Bel\\", "Temple of Bel\n", 'Palmyra" . } UNION { ?item ?p ?name } #', "\\\n\""]
    assert items_named(client, names) == []
    assert client.requests_sent == 1
    # the query sent (the cache keeps it) carries the names as literals, and SPARQL reads them back unchanged
    (entry,) = [json.loads(path.read_text()) for path in tmp_path.iterdir()]
    values = re.search(r"\n +VALUES \?name \{ (.*?) \}\n +\{ \?item rdfs:label", entry["query"], re.DOTALL)
    assert values is not None
    parsed = rdflib.Graph().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {values.group(1)} }} }}")
    assert sorted(str(row[0]) for row in parsed) == sorted(names)  # type: ignore[index]
    assert items_named(client, ["Palmyra"]) == [PALMYRA]  # and the store still answers


def test_a_header_mentioning_an_update_keyword_is_still_sent_as_a_select(
        wikidata_endpoint: str, tmp_path: Path, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPARQLWrapper kept every other comment line when guessing the query form: "address" made it ADD."""
    comments = "\n# Comment lines in the body\n# at this address\nSELECT"
    text = wikidata_query_text(SITES_QUERY).replace("\nSELECT", comments)
    assert "# at this address\nSELECT" in text
    monkeypatch.setattr(wikidata, "wikidata_query_text", lambda name: text)
    assert len(client_for(wikidata_endpoint, tmp_path, fake_time).select(SITES_QUERY)) > 10


# --- the disk cache ---


def test_a_second_client_answers_from_the_cache(wikidata_endpoint: str, tmp_path: Path, fake_time: FakeTime) -> None:
    first = client_for(wikidata_endpoint, tmp_path, fake_time)
    items = world_heritage_items(first)
    assert first.requests_sent == 2
    expected_files = sorted(
        hashlib.sha256(f"{wikidata_endpoint}\n{wikidata.strip_header(wikidata_query_text(name))}".encode()).hexdigest()
        + ".json"
        for name in (SITES_QUERY, PARTS_QUERY)
    )
    assert cache_files(tmp_path) == expected_files  # one file per query, no temporary file left behind

    second = client_for(wikidata_endpoint, tmp_path, fake_time)
    assert world_heritage_items(second) == items
    assert (second.requests_sent, second.cache_hits) == (0, 2)
    assert second.oldest_retrieval == first.oldest_retrieval

    refreshing = client_for(wikidata_endpoint, tmp_path, fake_time, refresh=True)
    assert world_heritage_items(refreshing) == items
    assert (refreshing.requests_sent, refreshing.cache_hits) == (2, 0)


def test_zero_rows_is_an_answer_and_is_cached(wikidata_endpoint: str, tmp_path: Path, fake_time: FakeTime) -> None:
    assert items_named(client_for(wikidata_endpoint, tmp_path, fake_time), ["No such place"]) == []
    again = client_for(wikidata_endpoint, tmp_path, fake_time)
    assert items_named(again, ["No such place"]) == []
    assert (again.requests_sent, again.cache_hits) == (0, 1)


def test_a_damaged_cache_file_is_asked_again_and_replaced(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                                          fake_time: FakeTime) -> None:
    server = scripted()
    client_for(server.url, tmp_path, fake_time).select(SITES_QUERY)
    (path,) = tmp_path.iterdir()
    path.write_text('{"format": "heritage-kg/wikidata-result", "results": {"hea', encoding="utf-8")
    again = client_for(server.url, tmp_path, fake_time)
    assert again.select(SITES_QUERY) == CANNED_ROWS
    assert again.requests_sent == 1
    assert json.loads(path.read_text(encoding="utf-8"))["results"] == CANNED


# --- politeness ---


def test_the_server_receives_the_user_agent_and_long_queries_go_by_post(
        scripted: Callable[..., ScriptedServer], tmp_path: Path, fake_time: FakeTime) -> None:
    server = scripted()
    client = client_for(server.url, tmp_path, fake_time, contact="heritage-team@example.org")
    client.select(SITES_QUERY)
    items_named(client, [f"Monument number {number}" for number in range(150)])
    expected = (f"heritage-kg/{__version__} (https://github.com/heritage-kg/heritage-kg; "
                f"contact: heritage-team@example.org) SPARQLWrapper/2.0.0")
    assert default_user_agent("heritage-team@example.org") == expected
    assert [(request.method, request.user_agent) for request in server.received] == [("GET", expected),
                                                                                    ("POST", expected)]
    assert server.received[0].query == wikidata.strip_header(wikidata_query_text(SITES_QUERY))
    assert 'VALUES ?name { "Monument number 0"@en "Monument number 1"@en ' in (server.received[1].query or "")
    assert all(set(request.params) == {"query"} for request in server.received)  # no format=/output= extras


def test_the_contact_is_kept_on_one_line() -> None:
    assert default_user_agent("ops@example.org\r\nX-Evil: 1") == (
        f"heritage-kg/{__version__} (https://github.com/heritage-kg/heritage-kg; contact: ops@example.org X-Evil: 1) "
        "SPARQLWrapper/2.0.0"
    )
    assert default_user_agent(None).startswith(f"heritage-kg/{__version__} (https://github.com/heritage-kg/heritage-kg)")


def test_requests_keep_min_interval_apart(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                          fake_time: FakeTime) -> None:
    client = client_for(scripted().url, tmp_path, fake_time, min_interval=1.5)
    client.select(SITES_QUERY)  # the first request does not wait
    fake_time.now += 0.5  # half a second of work
    client.select(PARTS_QUERY)
    client.select(SITES_QUERY)  # cached: no request, no wait
    assert fake_time.waits == [1.0]
    assert (client.requests_sent, client.cache_hits) == (2, 1)


def test_one_request_at_a_time(scripted: Callable[..., ScriptedServer], tmp_path: Path, fake_time: FakeTime) -> None:
    server = scripted(delay=0.05)
    client = client_for(server.url, tmp_path, fake_time)
    names = [[f"name {number}"] for number in range(6)]
    threads = [threading.Thread(target=items_named, args=(client, batch)) for batch in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.received) == 6
    assert server.most_in_flight == 1
    assert fake_time.waits == [1.0] * 5


def test_429_with_retry_after_is_waited_for(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                            fake_time: FakeTime) -> None:
    busy = Reply(429, {"Retry-After": "1"}, b"Too many requests", "text/plain")
    server = scripted(busy, busy)
    client = client_for(server.url, tmp_path, fake_time)
    assert client.select(SITES_QUERY) == CANNED_ROWS
    assert fake_time.waits == [1.0, 1.0]  # each 1 s wait also keeps min_interval (1 s): no more waiting
    assert client.requests_sent == len(server.received) == 3


def test_retry_after_as_an_http_date(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                     fake_time: FakeTime) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    client = client_for(scripted(Reply(503, {"Retry-After": later}, b"", "text/plain")).url, tmp_path, fake_time)
    assert client.select(SITES_QUERY) == CANNED_ROWS
    (wait,) = fake_time.waits
    assert 117 <= wait <= 120


def test_503_without_retry_after_backs_off_exponentially(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                                         fake_time: FakeTime) -> None:
    unavailable = Reply(503, {}, b"<html>Service Unavailable</html>", "text/html")
    client = client_for(scripted(unavailable, unavailable, unavailable).url, tmp_path, fake_time, min_interval=0)
    assert client.select(SITES_QUERY) == CANNED_ROWS
    assert fake_time.waits == [1.0, 2.0, 4.0]


def test_too_many_429s_give_up(scripted: Callable[..., ScriptedServer], tmp_path: Path, fake_time: FakeTime) -> None:
    server = scripted(*[Reply(429, {"Retry-After": "1"}, b"slow down", "text/plain")] * 3)
    client = client_for(server.url, tmp_path, fake_time, max_retries=2)
    with pytest.raises(WikidataError) as raised:
        client.select(SITES_QUERY)
    assert str(raised.value) == (
        f"the Wikidata endpoint {server.url} answered HTTP 429 (Too Many Requests) 3 times to world-heritage-sites; "
        "gave up after 2 retries (try again later)"
    )
    assert raised.value.exit_code == 1
    assert fake_time.waits == [1.0, 1.0]
    assert client.requests_sent == 3
    assert cache_files(tmp_path) == []


def test_a_retry_after_beyond_reason_is_not_waited_for(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                                       fake_time: FakeTime) -> None:
    server = scripted(Reply(429, {"Retry-After": "3600"}, b"", "text/plain"))
    with pytest.raises(WikidataError) as raised:
        client_for(server.url, tmp_path, fake_time).select(SITES_QUERY)
    assert str(raised.value) == (
        f"the Wikidata endpoint {server.url} answered HTTP 429 (Too Many Requests) to world-heritage-sites "
        "and asks to wait 3600 s; try again later"
    )
    assert fake_time.waits == []


@pytest.mark.parametrize("value, seconds", [("1", 1.0), (" 30 ", 30.0), ("0", 0.0), ("soon", None), (None, None),
                                            ("-5", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 60.0)])
def test_retry_after_seconds(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=datetime(2015, 10, 21, 7, 27, tzinfo=UTC)) == seconds


# --- failures are errors, never empty answers ---


def test_connection_refused(tmp_path: Path, fake_time: FakeTime) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(WikidataError) as raised:
        client_for(endpoint, tmp_path, fake_time).select(SITES_QUERY)
    assert str(raised.value) == (
        f"cannot reach the Wikidata endpoint {endpoint}: connection refused (check the network, or --wikidata-endpoint)"
    )
    assert isinstance(raised.value, HeritageKGError) and raised.value.exit_code == 1


@pytest.mark.parametrize("endpoint", ["query.wikidata.org/sparql", "ftp://127.0.0.1/sparql", ""])
def test_an_endpoint_that_is_not_an_http_address_is_bad_input(tmp_path: Path, endpoint: str) -> None:
    with pytest.raises(InputError) as raised:
        WikidataClient(endpoint, cache_dir=tmp_path)
    assert str(raised.value) == f"the Wikidata endpoint must be an http:// or https:// address, not {endpoint!r}"
    assert raised.value.exit_code == 2


def test_no_answer_within_the_timeout(tmp_path: Path, fake_time: FakeTime) -> None:
    """A fractional timeout holds (SPARQLWrapper's setTimeout would make 0.3 s into none at all)."""
    with socket.socket() as silent:  # accepts connections (the backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(WikidataError) as raised:
            client_for(endpoint, tmp_path, fake_time, timeout=0.3).select(SITES_QUERY)
    assert str(raised.value) == (
        f"cannot reach the Wikidata endpoint {endpoint}: no answer within 0.3 s "
        "(check the network, or --wikidata-endpoint)"
    )


def test_a_host_name_that_does_not_resolve(tmp_path: Path, fake_time: FakeTime) -> None:
    endpoint = "http://no-such-host.invalid/sparql"  # .invalid never resolves (RFC 2606)
    with pytest.raises(WikidataError) as raised:
        client_for(endpoint, tmp_path, fake_time, timeout=2).select(SITES_QUERY)
    assert str(raised.value) == (
        f"cannot reach the Wikidata endpoint {endpoint}: cannot resolve the host name no-such-host.invalid "
        "(check the network, or --wikidata-endpoint)"
    )


def test_200_with_an_empty_body_is_an_error_and_not_cached(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                                           fake_time: FakeTime) -> None:
    server = scripted(Reply(200, {}, b""), Reply(200, {}, b""))
    client = client_for(server.url, tmp_path, fake_time)
    for _ in range(2):  # not cached: the second call asks again
        with pytest.raises(WikidataError) as raised:
            client.select(SITES_QUERY)
        assert str(raised.value) == (
            f"the Wikidata endpoint {server.url} answered 200 with an empty body to world-heritage-sites; "
            "nothing was cached"
        )
    assert client.requests_sent == 2
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize("body, content_type, shown", [
    (b"<html><body>Maintenance</body></html>", "text/html", "text/html: '<html><body>Maintenance</body></html>'"),
    (b'{"head": {"vars": []}}', "application/sparql-results+json",
     "application/sparql-results+json: '{\"head\": {\"vars\": []}}'"),
    (b"[]", "application/json", "application/json: '[]'"),
])
def test_200_with_a_body_that_is_not_sparql_json_is_an_error(scripted: Callable[..., ScriptedServer], tmp_path: Path,
                                                             fake_time: FakeTime, body: bytes, content_type: str,
                                                             shown: str) -> None:
    server = scripted(Reply(200, {}, body, content_type))
    with pytest.raises(WikidataError) as raised:
        client_for(server.url, tmp_path, fake_time).select(SITES_QUERY)
    assert str(raised.value) == (
        f"the Wikidata endpoint {server.url} answered 200 with a body that is not SPARQL JSON results to "
        f"world-heritage-sites ({shown}); nothing was cached"
    )
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize("status, message", [
    (400, "rejected the query world-heritage-sites as malformed (HTTP 400)"),
    (500, "failed on the query world-heritage-sites (HTTP 500: a server error, or the query ran out of time)"),
    (403, "answered HTTP 403 (Forbidden) to world-heritage-sites"),
])
def test_other_http_errors(scripted: Callable[..., ScriptedServer], tmp_path: Path, fake_time: FakeTime,
                           status: int, message: str) -> None:
    server = scripted(Reply(status, {}, b"nope", "text/plain"))
    client = client_for(server.url, tmp_path, fake_time)
    with pytest.raises(WikidataError) as raised:
        client.select(SITES_QUERY)
    assert str(raised.value) == f"the Wikidata endpoint {server.url} {message}"
    assert client.requests_sent == 1 and fake_time.waits == []


# --- items and the gazetteer cache ---


@pytest.mark.parametrize("wkt, point", [
    ("Point(38.268 34.551)", (38.268, 34.551)),
    ("  Point( -0.5   51.25 ) ", (-0.5, 51.25)),
    ("<http://www.wikidata.org/entity/Q2> Point(1 2)", (1.0, 2.0)),
    ("<http://www.wikidata.org/entity/Q405> Point(1 2)", None),  # on the Moon
    ("POINT(1e1 2)", (10.0, 2.0)),
    ("Point(1)", None),
    ("Point(nan 2)", None),
    ("LINESTRING(1 2, 3 4)", None),
])
def test_parse_point(wkt: str, point: tuple[float, float] | None) -> None:
    assert parse_point(wkt) == point


def test_items_from_rows_merges_per_qid_and_keeps_only_qids() -> None:
    entity = wikidata.ENTITY_PREFIX
    rows = [
        {"item": entity + "Q5747", "field": "whs_id", "value": "123"},
        {"item": entity + "Q5747", "field": "whs_id", "value": "23"},
        {"item": entity + "Q5747", "field": "country", "value": entity + "Q858"},
        {"item": entity + "Q5747", "field": "located_in", "value": "http://www.wikidata.org/.well-known/genid/abc"},
        {"item": entity + "Q5747", "field": "part_of", "value": entity + "Q9000000002"},
        {"item": entity + "Q5747", "field": "part_of", "value": entity + "Q41183"},
        {"item": entity + "Q5747", "field": "coordinates", "value": "Point(40 30)"},
        {"item": entity + "Q5747", "field": "coordinates", "value": "Point(38 34)"},
        {"item": entity + "Q5747", "field": "unknown", "value": "x"},
        {"item": "http://www.wikidata.org/prop/direct/P17", "field": "label", "value": "country"},
        {"item": entity + "Q858", "field": "label"},
    ]
    assert wikidata.items_from_rows(rows) == [
        item("Q5747", None, whs_id="23", country=("Q858",), part_of=("Q41183", "Q9000000002"), coordinates=(38, 34)),
    ]


def test_saved_items_load_back_and_the_file_is_stable(tmp_path: Path) -> None:
    items = [PALMYRA, TEMPLE_OF_BEL, NO_ENGLISH_LABEL, ALEPPO_WHS]
    retrieved = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save_items(items, first, endpoint="http://127.0.0.1:1/sparql", retrieved=retrieved)
    save_items(list(reversed(items)) + [PALMYRA], second, endpoint="http://127.0.0.1:1/sparql", retrieved=retrieved)
    assert first.read_bytes() == second.read_bytes()
    assert load_items(first) == [PALMYRA, TEMPLE_OF_BEL, ALEPPO_WHS, NO_ENGLISH_LABEL]
    assert load_header(first) == wikidata.GazetteerHeader("http://127.0.0.1:1/sparql", retrieved, 4)
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["header"] == {"format": "heritage-kg/wikidata-gazetteer", "version": 1,
                                  "endpoint": "http://127.0.0.1:1/sparql", "retrieved": "2025-01-02T03:04:05Z",
                                  "items": 4}
    assert document["items"][0] == {"qid": "Q5747", "label": "Palmyra", "aliases": ["Site of Palmyra", "Tadmor"],
                                    "whs_id": "23", "country": ["Q858"], "located_in": ["Q9000000009"],
                                    "part_of": [], "coordinates": [38.268, 34.551]}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.json", "second.json"]


@pytest.mark.parametrize("content, message", [
    (None, "no Wikidata gazetteer here; run `heritage-kg gazetteer update` first"),
    ("{", "not a heritage-kg Wikidata gazetteer file: Expecting property name enclosed in double quotes: "
          "line 1 column 2 (char 1)"),
    ('{"items": []}', "not a heritage-kg Wikidata gazetteer file"),
    ('{"header": {"format": "heritage-kg/wikidata-gazetteer", "version": 9}, "items": []}',
     "gazetteer file version 9, this heritage-kg reads version 1; run `heritage-kg gazetteer update`"),
    ('{"header": {"format": "heritage-kg/wikidata-gazetteer", "version": 1}, "items": [{"qid": "Bel"}]}',
     "not a heritage-kg Wikidata gazetteer file: bad item ('Bel' is not a QID)"),
    ('{"header": {"format": "heritage-kg/wikidata-gazetteer", "version": 1}, "items": [{"qid": "Q1", "label": null, '
     '"aliases": "Bel", "whs_id": null, "country": [], "located_in": [], "part_of": [], "coordinates": null}]}',
     "not a heritage-kg Wikidata gazetteer file: bad item ('Bel' is not a list)"),
])
def test_load_items_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "wikidata.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(WikidataError) as raised:
        load_items(path)
    assert str(raised.value) == f"{path}: {message}"
