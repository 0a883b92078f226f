"""Bulk ingest: articles per second with 1 and 2 worker processes, peak memory at 1k and 10k articles, and
an interrupted ingest resumed.

    .venv/bin/python bench/bulk_ingest.py [--sizes 1000 10000] [--workers 1 2] [--resume 10000]
    .venv/bin/python bench/bulk_ingest.py --write-corpus 10000 news.jsonl   # the corpus alone

The corpus is ingest_throughput.py's (the example articles repeated under distinct sources), written as
one JSON Lines file. Each measurement runs in a fresh process and does what `heritage-kg ingest` does:
check every article, extract and write them into a new store, merge the reports of one event, count the
triples. It reports the time, articles per second, the peak memory of the writer process and of the
largest worker (each worker holds its own spaCy pipeline), and the ratios between worker counts and
between corpus sizes.

Wall-clock rates depend on what else the machine runs, so each measurement also reports the CPU time
of the writer and of the workers, the load average while it ran, and the rate the CPU time allows on
idle cores: articles / CPU seconds with one process; with N workers, articles / the largest of the
writer's CPU time, the workers' CPU time divided by N, and all the CPU time divided by the machine's cores.

`--resume N` runs the acceptance check: `heritage-kg ingest` of N articles with 2 workers on a terminal
(a pseudo-terminal, so the progress bar shows), killed (SIGKILL, the whole process group) half way through,
then run again: it must finish with every article once and the same triple count as a clean run.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ingest_throughput import generated

from heritage_kg.merge import merge_events
from heritage_kg.pipeline import check_inputs, ingest_articles, read_inputs
from heritage_kg.store import open_store

CLI = Path(sys.executable).parent / "heritage-kg"


def write_corpus(size: int, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for article in generated(size):
            record = {"source": article.source_id, "published": article.published or "unknown", "text": article.body}
            out.write(json.dumps(record) + "\n")
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(corpus: Path, workers: int) -> dict[str, float]:
    """One ingest in this process (a fresh one): what `heritage-kg ingest --workers N` does."""
    with tempfile.TemporaryDirectory() as directory:
        started, load = time.perf_counter(), os.getloadavg()[0]
        checked = check_inputs([corpus])
        with open_store(Path(directory) / "store") as store:
            report = ingest_articles(read_inputs(checked.files), store, workers=workers)
            merging, ingest_mb = time.perf_counter(), peak_mb()
            merge_events(store)
            merging, merge_mb = time.perf_counter() - merging, peak_mb()
            counting = time.perf_counter()
            triples = store.triple_count()
            counting = time.perf_counter() - counting
        seconds, load = time.perf_counter() - started, (load + os.getloadavg()[0]) / 2
    writer, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    writer_cpu, workers_cpu = writer.ru_utime + writer.ru_stime, children.ru_utime + children.ru_stime
    cores = os.cpu_count() or 1
    cpu_bound = writer_cpu if workers == 1 else max(writer_cpu, workers_cpu / workers,
                                                    (writer_cpu + workers_cpu) / cores)
    return {
        "articles": report.articles, "seconds": seconds, "per_second": report.articles / seconds,
        "triples": triples, "merge_seconds": merging, "count_seconds": counting, "load": load,
        "writer_cpu": writer_cpu, "workers_cpu": workers_cpu,
        "idle_per_second": report.articles / cpu_bound,
        "writer_mb": writer.ru_maxrss / 1024, "ingest_mb": ingest_mb, "merge_mb": merge_mb,
        "worker_mb": children.ru_maxrss / 1024 if workers > 1 else 0.0,
    }


def measured(corpus: Path, workers: int) -> dict[str, float]:
    output = subprocess.run([sys.executable, __file__, "--measure", str(corpus), str(workers)],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def describe(size: int, workers: int, result: dict[str, float]) -> str:
    text = (f"{size:>6} articles, {workers} worker{'s' if workers > 1 else ' '}: {result['seconds']:7.1f} s, "
            f"{result['per_second']:5.1f} articles/s (load average {result['load']:.1f}); CPU: writer "
            f"{result['writer_cpu']:.0f} s")
    if workers > 1:
        text += f", workers {result['workers_cpu']:.0f} s"
    text += (f", {result['idle_per_second']:.1f} articles/s on idle cores; peak memory: writer "
             f"{result['ingest_mb']:.0f} MB after the ingest, {result['merge_mb']:.0f} MB after the merge, "
             f"{result['writer_mb']:.0f} MB after counting the triples")
    if workers > 1:
        text += f", each worker up to {result['worker_mb']:.0f} MB"
    return text + (f"; {result['triples']:.0f} triples (merge {result['merge_seconds']:.0f} s, "
                   f"count {result['count_seconds']:.0f} s)")


def throughput(sizes: list[int], worker_counts: list[int], folder: Path) -> dict[int, int]:
    results: dict[tuple[int, int], dict[str, float]] = {}
    for size in sizes:
        corpus = write_corpus(size, folder / f"corpus-{size}.jsonl")
        for workers in worker_counts:
            result = results[size, workers] = measured(corpus, workers)
            print(describe(size, workers, result), flush=True)
    base = worker_counts[0]
    for size in sizes:
        for workers in worker_counts[1:]:
            ratio = results[size, workers]["per_second"] / results[size, base]["per_second"]
            idle = results[size, workers]["idle_per_second"] / results[size, base]["idle_per_second"]
            print(f"{size} articles: {workers} workers / {base}: {ratio:.2f}x the articles per second "
                  f"({idle:.2f}x on idle cores)")
    for workers in worker_counts:
        small, large = results[sizes[0], workers], results[sizes[-1], workers]
        print(f"{workers} worker(s): writer's peak memory at {sizes[-1]} / at {sizes[0]}: after the ingest "
              f"{large['ingest_mb'] / small['ingest_mb']:.2f}, after the merge "
              f"{large['merge_mb'] / small['merge_mb']:.2f}, after counting "
              f"{large['writer_mb'] / small['writer_mb']:.2f}"
              + (f", worker {large['worker_mb'] / small['worker_mb']:.2f}" if workers > 1 else ""))
    return {size: int(results[size, base]["triples"]) for size in sizes}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True)


def resume_check(size: int, folder: Path, clean_triples: int | None) -> bool:
    corpus = write_corpus(size, folder / f"corpus-{size}.jsonl")
    if clean_triples is None:
        cli("ingest", str(corpus), "--workers", "2", "--store", str(folder / "clean"))
        clean_triples = int(store_stats(folder / "clean")["triples"])
    store = folder / "resumed"
    # On a pseudo-terminal, so that the progress bar is drawn; killed once it shows half the articles done.
    controller, terminal = pty.openpty()
    run = subprocess.Popen([str(CLI), "ingest", str(corpus), "--workers", "2", "--store", str(store)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal,
                           start_new_session=True)
    os.close(terminal)
    screen = bytearray()
    done = 0
    half = threading.Event()

    def watch() -> None:
        nonlocal done
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)
            counts = re.findall(rb"(\d+)/%d" % size, bytes(screen[-4096:]))
            if counts:
                done = int(counts[-1])
                if done >= size // 2:
                    half.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    half.wait()
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    last_frame = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", bytes(screen)).decode("utf-8", "replace")
    last_frame = [line for line in re.split(r"[\r\n]+", last_frame) if "/" in line][-1].strip()
    print(f"killed (SIGKILL) at: {last_frame}")
    rerun = cli("ingest", str(corpus), "--workers", "2", "--store", str(store))
    print(f"rerun: {rerun.stderr.strip()}")
    again = cli("ingest", str(corpus), "--store", str(store))
    print(f"unchanged rerun: {again.stderr.strip()}")
    stats = store_stats(store)
    triples, articles = int(stats["triples"]), int(stats["articles"])
    doubled = cli("query", str(write_doubles_query(folder)), "--store", str(store), "--format", "csv")
    doubles = doubled.stdout.strip().splitlines()[1:]
    ok = (rerun.returncode == 0 and triples == clean_triples and articles == size and not doubles
          and f"skipped {size} unchanged" in again.stderr)
    print(f"after the rerun: {articles} articles (expected {size}), {len(doubles)} graphs with more than one "
          f"article or hash, {triples} triples (a clean run: {clean_triples}): {'PASS' if ok else 'FAIL'}")
    return ok


def store_stats(store: Path) -> dict[str, str]:
    """`heritage-kg stats`, as a dict."""
    lines = cli("stats", "--store", str(store)).stdout.splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def write_doubles_query(folder: Path) -> Path:
    path = folder / "doubles.rq"
    path.write_text(
        "PREFIX hkg: <https://w3id.org/heritage-kg/ontology#>\n"
        "SELECT ?g (COUNT(DISTINCT ?a) AS ?articles) (COUNT(DISTINCT ?h) AS ?hashes) WHERE {\n"
        "  GRAPH ?g { ?a a hkg:Article ; hkg:contentHash ?h } } GROUP BY ?g\n"
        "HAVING (COUNT(DISTINCT ?a) > 1 || COUNT(DISTINCT ?h) > 1)\n"
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--resume", type=int, default=None, help="articles for the kill-and-resume check")
    parser.add_argument("--write-corpus", nargs=2, metavar=("N", "FILE"),
                        help="only write the corpus of N articles as JSON Lines to FILE, to try by hand")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_corpus:
        size, path = int(args.write_corpus[0]), Path(args.write_corpus[1])
        print(f"{size} articles written to {write_corpus(size, path)}")
        return 0
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), int(args.measure[1]))))
        return 0
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        triples = throughput(args.sizes, args.workers, folder) if args.sizes else {}
        if args.resume is not None and not resume_check(args.resume, folder, triples.get(args.resume)):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
