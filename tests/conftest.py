"""Shared fixtures: an empty store in a temporary directory, and stores loaded from TriG files."""

from __future__ import annotations

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
