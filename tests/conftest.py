"""Shared fixtures: an empty store in a temporary directory, stores loaded from TriG files, and a local
SPARQL server in Wikidata's shape."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from heritage_kg.store import OxigraphStore

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


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    with OxigraphStore(tmp_path / "store") as store:
        yield store


@pytest.fixture
def loaded_store(tmp_path: Path) -> Iterator[Callable[[Path], OxigraphStore]]:
    """`loaded_store(path_to_trig)`: a new store in tmp_path holding that file's named graphs."""
    opened: list[OxigraphStore] = []

    def load(path_to_trig: Path) -> OxigraphStore:
        store = OxigraphStore(tmp_path / f"loaded-{len(opened)}")
        opened.append(store)
        store.replace_graphs(quads_by_graph(path_to_trig))
        return store

    yield load
    for store in opened:
        store.close()


WIKIDATA_FIXTURE = FIXTURES / "wikidata" / "sample.ttl"


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real SPARQL server (`oxigraph serve`, loopback only) holding a small piece of Wikidata-shaped data;
    yields its query endpoint."""
    location = tmp_path_factory.mktemp("wikidata-store")
    oxigraph = Path(sys.executable).parent / "oxigraph"
    subprocess.run([str(oxigraph), "load", "--location", str(location), "--file", str(WIKIDATA_FIXTURE)],
                   check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(oxigraph), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stderr.read() if server.stderr else b""
                    raise RuntimeError(f"oxigraph serve did not start: {output!r}") from error
                time.sleep(0.05)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
