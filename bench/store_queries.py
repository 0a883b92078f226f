"""The canned queries on a store of a million triples: the embedded Oxigraph store against rdflib's
in-memory Dataset, measured in the same run, plus the store's bulk load rate, disk size and peak memory.

    .venv/bin/python bench/store_queries.py [--triples 1000000] [--rdflib-timeout 300]

The store is made of the example article's graph, copied under distinct article keys and sources until
it holds `--triples` triples (the gazetteer's entity descriptions are shared, as in a real store; one copy
in four reports its events as unverified, "reportedly", as a monitor's store mixes confirmed and
unconfirmed reports, so that `unverified-claims` has rows to find), and
written through the store's own transactional path (`replace_graphs`, 200 articles per transaction)
in a fresh process, whose peak memory is reported. Each canned query is then timed on the store (best
of 3) and on an rdflib Dataset holding the same quads with the union as default graph (one run; a run
longer than `--rdflib-timeout` seconds is stopped and reported as "more than"), and the ratio printed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal

from heritage_kg.build import (
    article_graph_iri,
    build_triples,
    known_entities,
    known_entity_descriptions,
    oxigraph_quads,
)
from heritage_kg.extract import extract
from heritage_kg.gazetteer import load_gazetteer
from heritage_kg.ingest import read_article
from heritage_kg.namespaces import ENTITIES_GRAPH
from heritage_kg.query import load_queries, run_query
from heritage_kg.store import open_store

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "palmyra-2017-03-01.txt"
BATCH = 200
UNVERIFIED_EVERY = 4  # one copy in four reports its events as unverified
PARAMS = {"events-at-site": {"site": "Palmyra"}, "sources-of-event": {"event": "Tetrapylon"}}


def article_copies(count: int):  # type: ignore[no-untyped-def]
    """(graph IRI, quads) of `count` copies of the example article's graph, each as its own article
    (its own source, hence its own graph, event, evidence and activity IRIs); every `UNVERIFIED_EVERY`th
    copy reports its events as unverified."""
    extraction = extract(read_article(EXAMPLE))
    gazetteer = load_gazetteer()
    unverified = [replace(event, status="unverified", hedge="reportedly") for event in extraction.events]
    for index in range(count):
        article = replace(extraction.article, source_id=f"bench-{index}", content_hash=f"sha256:{index:064x}")
        copy = replace(extraction, article=article)
        if index % UNVERIFIED_EVERY == UNVERIFIED_EVERY - 1:
            copy = replace(copy, events=unverified)
        graph_iri = article_graph_iri(article)
        yield graph_iri, list(oxigraph_quads(build_triples(copy, gazetteer, describe_known_entities=False),
                                             graph_iri))


def load(directory: str, triples_wanted: int) -> None:
    """In a fresh process: write copies until the store holds the triples wanted; print the figures."""
    per_article = len(next(article_copies(1))[1])
    count = max(1, triples_wanted // per_article)
    extraction = extract(read_article(EXAMPLE))
    descriptions = list(oxigraph_quads(known_entity_descriptions(load_gazetteer(), known_entities(extraction)),
                                       ENTITIES_GRAPH))
    with open_store(directory) as store:
        started = time.perf_counter()
        batch: dict[str, list[ox.Quad]] = {}
        for graph_iri, quads in article_copies(count):
            batch[str(graph_iri)] = quads
            if len(batch) == BATCH:
                store.replace_graphs(batch, additions=descriptions)
                batch = {}
        if batch:
            store.replace_graphs(batch, additions=descriptions)
        seconds = time.perf_counter() - started
        triples = store.triple_count()
        quads = store.quad_count()
    disk = sum(f.stat().st_size for f in Path(directory).rglob("*") if f.is_file())
    print(json.dumps({"articles": count, "triples": triples, "quads": quads, "seconds": seconds,
                      "disk_mb": disk / 2**20, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _rdflib_worker(path: str, queries: list[tuple[str, str, dict[str, str]]], queue) -> None:  # type: ignore[no-untyped-def]
    """Parse the dump into an rdflib Dataset once, then time each query; report through the queue."""
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    queue.put(("loaded", time.perf_counter() - started, len(dataset)))
    for name, text, bindings in queries:
        started = time.perf_counter()
        rows = len(list(dataset.query(text, initBindings={k: Literal(v) for k, v in bindings.items()})))
        queue.put((name, time.perf_counter() - started, rows))


def rdflib_timings(dump: str, queries: list[tuple[str, str, dict[str, str]]],
                   timeout: float) -> dict[str, tuple[float, int] | None]:
    """Seconds and rows per query on rdflib (None: stopped after `timeout` s; the worker restarts for the rest)."""
    results: dict[str, tuple[float, int] | None] = {}
    pending = list(queries)
    while pending:
        queue: multiprocessing.Queue = multiprocessing.Queue()
        worker = multiprocessing.Process(target=_rdflib_worker, args=(dump, pending, queue), daemon=True)
        worker.start()
        _loaded, load_seconds, triples = queue.get(timeout=3600)
        if "loaded" not in results:
            print(f"rdflib: the same {triples:,} triples parsed into memory in {load_seconds:.1f} s")
            results["loaded"] = (load_seconds, triples)
        while pending:
            name = pending[0][0]
            try:
                _name, seconds, rows = queue.get(timeout=timeout)
                results[name] = (seconds, rows)
                pending.pop(0)
            except Exception:  # queue.Empty: too slow; stop and go on with the next query
                results[name] = None
                pending.pop(0)
                worker.terminate()
                break
        worker.join(timeout=5)
    results.pop("loaded", None)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rdflib-timeout", type=float, default=300.0)
    parser.add_argument("--load-only", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:
        load(args.load_only, args.triples)
        return
    with tempfile.TemporaryDirectory() as directory:
        store_dir = str(Path(directory) / "store")
        loaded = subprocess.run([sys.executable, __file__, "--load-only", store_dir, "--triples", str(args.triples)],
                                check=True, capture_output=True, text=True)
        figures = json.loads(loaded.stdout.strip().splitlines()[-1])
        print(f"store: {figures['articles']:,} article graphs, {figures['triples']:,} triples "
              f"({figures['quads']:,} quads); written in {figures['seconds']:.1f} s "
              f"({figures['quads'] / figures['seconds']:,.0f} quads/s through replace_graphs); "
              f"{figures['disk_mb']:.0f} MB on disk; peak memory of the loading process {figures['peak_mb']:.0f} MB")
        dump = Path(directory) / "all.nq"
        with open_store(store_dir) as store:
            store.dump(str(dump), "nquads")
            queries = load_queries()
            ours: dict[str, tuple[float, int]] = {}
            for stored in queries:
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    result = run_query(store, stored, PARAMS.get(stored.name, {}))
                    timings.append(time.perf_counter() - started)
                ours[stored.name] = (min(timings), len(result.rows))
        theirs = rdflib_timings(str(dump), [(q.name, re.sub(r"(?m)^#.*\n", "", q.text), PARAMS.get(q.name, {}))
                                            for q in queries], args.rdflib_timeout)
        print(f"{'query':<36} {'rows':>7} {'Oxigraph s':>11} {'rdflib s':>10} {'ratio':>8}")
        for name, (seconds, rows) in ours.items():
            other = theirs.get(name)
            if other is None:
                print(f"{name:<36} {rows:>7} {seconds:>11.3f} {'>' + format(args.rdflib_timeout, '.0f'):>10} "
                      f"{'>' + format(args.rdflib_timeout / seconds, ',.0f'):>8}")
            else:
                note = "" if other[1] == rows else f"  (rdflib: {other[1]} rows)"
                print(f"{name:<36} {rows:>7} {seconds:>11.3f} {other[0]:>10.3f} {other[0] / seconds:>8,.1f}{note}")


if __name__ == "__main__":
    main()
