"""Shared fixtures: an empty store, stores loaded from TriG files, and a local SPARQL server in Wikidata's
shape.

The suite runs over either store: the embedded Oxigraph store (the default), or with
HERITAGE_KG_TEST_STORE=sparql a SparqlStore on a real `oxigraph serve --union-default-graph` on
127.0.0.1, one in-memory server per store, started in a few milliseconds. Tests get their stores from
`tmp_store`, `loaded_store` or `open_test_store(path)`, and give commands `store_args(path)`
(`--store DIR` or `--endpoint URL`); `embedded_only` marks the tests about the embedded store's directory.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from heritage_kg.remote_store import SparqlStore
from heritage_kg.store import KnowledgeStore, OxigraphStore

TEST_STORE = os.environ.get("HERITAGE_KG_TEST_STORE", "oxigraph")
if TEST_STORE not in ("oxigraph", "sparql"):
    raise RuntimeError(f"HERITAGE_KG_TEST_STORE must be oxigraph or sparql, not {TEST_STORE!r}")
REMOTE = TEST_STORE == "sparql"
embedded_only = pytest.mark.skipif(REMOTE, reason="about the embedded store's directory")
OXIGRAPH = Path(sys.executable).parent / "oxigraph"

FIXTURES = Path(__file__).parent / "fixtures"
QUERIES_FIXTURE = FIXTURES / "queries.trig"
QUERIES_BAD_FIXTURE = FIXTURES / "queries-bad.trig"
KITCHEN_SINK_FIXTURE = FIXTURES / "kitchen-sink.trig"


def quads_by_graph(path_to_trig: Path) -> dict[str, list[ox.Quad]]:
    """The named graphs of a TriG file, as `replace_graphs` takes them."""
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=path_to_trig, format=ox.RdfFormat.TRIG):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise ValueError(f"{path_to_trig}: every triple of a fixture belongs in a named graph: {quad}")
        graphs[quad.graph_name.value].append(quad)
    return dict(graphs)


# --- the store under test ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(server: subprocess.Popen[bytes], port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError as error:
            if server.poll() is not None or time.monotonic() > deadline:
                output = server.stderr.read() if server.stderr else b""
                raise RuntimeError(f"oxigraph serve did not start: {output!r}") from error
            time.sleep(0.005)


class SparqlServer:
    """`oxigraph serve --union-default-graph` in memory on 127.0.0.1 (loopback only)."""

    def __init__(self) -> None:
        port = free_port()
        self.process = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--union-default-graph", "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{port}"
        self.endpoint = f"{self.base}/query"
        try:
            wait_for_port(self.process, port)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()


_SERVERS: dict[Path, SparqlServer] = {}  # store location -> the server that holds it, in sparql mode


def sparql_server_for(location: Path) -> SparqlServer:
    """The server standing in for the store at `location` (started at the first use); stopped when the test
    that started it ends, or with the session for a store of a module or session fixture."""
    key = Path(location).resolve()
    if key not in _SERVERS:
        _SERVERS[key] = SparqlServer()
    return _SERVERS[key]


def store_args(location: Path) -> list[str]:
    """The options that point a command at the test store for `location`."""
    if REMOTE:
        return ["--endpoint", sparql_server_for(location).endpoint]
    return ["--store", str(location)]


def open_test_store(location: Path) -> KnowledgeStore:
    """The test store for `location`: the embedded store in that directory, or a SparqlStore on its server."""
    if REMOTE:
        return SparqlStore(sparql_server_for(location).endpoint)
    return OxigraphStore(location)


@pytest.fixture(autouse=True)
def _stop_the_servers_a_test_started() -> Iterator[None]:
    before = set(_SERVERS)
    yield
    for key in set(_SERVERS) - before:
        _SERVERS.pop(key).stop()


@pytest.fixture(autouse=True, scope="session")
def _no_store_settings_from_the_environment() -> Iterator[None]:
    """The tests choose their stores; a store or server configured in the caller's shell must not leak in."""
    names = [name for name in os.environ if name.startswith("HERITAGE_KG_") and name != "HERITAGE_KG_TEST_STORE"]
    saved = {name: os.environ.pop(name) for name in names}
    yield
    for server in _SERVERS.values():
        server.stop()
    _SERVERS.clear()
    os.environ.update(saved)


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    with open_test_store(tmp_path / "store") as store:
        yield store


@pytest.fixture
def loaded_store(tmp_path: Path) -> Iterator[Callable[[Path], KnowledgeStore]]:
    """`loaded_store(path_to_trig)`: a new store in tmp_path holding that file's named graphs."""
    opened: list[KnowledgeStore] = []

    def load(path_to_trig: Path) -> KnowledgeStore:
        store = open_test_store(tmp_path / f"loaded-{len(opened)}")
        opened.append(store)
        store.replace_graphs(quads_by_graph(path_to_trig))
        return store

    yield load
    for store in opened:
        store.close()


def all_graph_names(store: KnowledgeStore) -> list[str]:
    """Every named graph of a store, staging graphs included (graph_names() leaves them out)."""
    return sorted(row[0] or "" for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").rows)


WIKIDATA_FIXTURE = FIXTURES / "wikidata" / "sample.ttl"


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real SPARQL server (`oxigraph serve`, loopback only) holding a small piece of Wikidata-shaped data;
    yields its query endpoint."""
    location = tmp_path_factory.mktemp("wikidata-store")
    subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(WIKIDATA_FIXTURE)],
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        wait_for_port(server, port)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
