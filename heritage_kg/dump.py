"""Dump and load: the whole store as N-Quads or TriG, and back, streaming.

    dump_store(store, path, format)
    load_dump(store, path) -> LoadReport

A dump keeps every named graph. Loading reads the file twice, streaming: once to check it (a file that
does not parse, or a quad outside a named graph, is bad input and nothing is written), then to write it
in batches of about BATCH_QUADS quads, one transaction each. Each graph of the file replaces the store's
graph of that name, so loading the same dump again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .store import DUMP_FORMATS, KnowledgeStore

BATCH_QUADS = 200_000
_SUFFIXES = {".nq": "nquads", ".nquads": "nquads", ".trig": "trig"}


@dataclass(frozen=True)
class LoadReport:
    quads: int
    graphs: int
    triples: int  # distinct triples in the store afterwards


def dump_format(path: Path, given: str | None) -> str:
    fmt = (given or _SUFFIXES.get(path.suffix.lower(), "")).lower()
    if fmt not in DUMP_FORMATS:
        known = ", ".join(sorted(DUMP_FORMATS))
        raise InputError(f"cannot tell the format; give --format ({known}) or name the file .nq or .trig",
                         where=str(path))
    return fmt


def dump_store(store: KnowledgeStore, path: Path, fmt: str | None = None) -> None:
    store.dump(path, dump_format(path, fmt))


def load_dump(store: KnowledgeStore, path: Path, fmt: str | None = None) -> LoadReport:
    rdf_format = DUMP_FORMATS[dump_format(path, fmt)]
    graphs: set[str] = set()
    count = 0
    for quad in _quads(path, rdf_format):  # first pass: check everything before writing anything
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError(f"a quad outside a named graph ({quad.subject} {quad.predicate} …): a dump names the "
                             "graph of every quad", where=str(path))
        graphs.add(quad.graph_name.value)
        count += 1
    written: set[str] = set()  # graphs replaced already: more of their quads further on are added to them
    batch: dict[str, list[ox.Quad]] = {}
    additions: list[ox.Quad] = []
    buffered = 0
    for quad in _quads(path, rdf_format):
        name = quad.graph_name.value  # type: ignore[union-attr]
        if name in written:
            additions.append(quad)
        else:
            batch.setdefault(name, []).append(quad)
        buffered += 1
        if buffered >= BATCH_QUADS:
            store.replace_graphs(batch, additions=additions)
            written.update(batch)
            batch, additions, buffered = {}, [], 0
    if batch or additions:
        store.replace_graphs(batch, additions=additions)
    return LoadReport(quads=count, graphs=len(graphs), triples=store.triple_count())


def _quads(path: Path, rdf_format: ox.RdfFormat) -> Iterator[ox.Quad]:
    try:
        yield from ox.parse(path=str(path), format=rdf_format)
    except SyntaxError as error:
        raise InputError(f"not valid {rdf_format.name}: {' '.join(str(error).split())}", where=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", where=str(path)) from None
