"""End-to-end ingest throughput against the NLP pipeline's own, measured in the same run.

    .venv/bin/python bench/ingest_throughput.py [--articles 1000] [--memory-sizes 250 1000]

The corpus is the example articles repeated under distinct `source:` headers. Reports words and
articles per second for spaCy alone (the same paragraphs through `nlp.pipe`) and for the whole ingest
(extraction, graph building and transactional store writes), their ratio, and the peak memory of a
whole ingest at each of the `--memory-sizes` (each in a fresh process, so the peaks compare).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from heritage_kg.extract.boilerplate import article_paragraphs
from heritage_kg.extract.nlp import load_pipeline
from heritage_kg.ingest import parse_article, read_article
from heritage_kg.model import Article
from heritage_kg.pipeline import ingest_articles
from heritage_kg.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def corpus(size: int) -> list[Article]:
    templates = [read_article(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    articles = []
    for i in range(size):
        base = templates[i % len(templates)]
        raw = f"source: bench-{i}\npublished: {base.published or 'unknown'}\n---\n{base.body}".encode()
        articles.append(parse_article(raw, name=f"bench-{i}.txt"))
    return articles


def generated(size: int):  # type: ignore[no-untyped-def]
    """The same corpus, made one article at a time (what a streaming ingest of files sees)."""
    templates = [read_article(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    for i in range(size):
        base = templates[i % len(templates)]
        raw = f"source: bench-{i}\npublished: {base.published or 'unknown'}\n---\n{base.body}".encode()
        yield parse_article(raw, name=f"bench-{i}.txt")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(size: int) -> None:
    articles = corpus(size)
    words = sum(len(a.body.split()) for a in articles)
    nlp = load_pipeline()
    nlp("warm up")

    started = time.perf_counter()
    for article in articles:
        for _doc in nlp.pipe(text for _, text in article_paragraphs(article.body)):
            pass
    nlp_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as directory, open_store(Path(directory) / "store") as store:
        started = time.perf_counter()
        report = ingest_articles(articles, store)
        triples = store.triple_count()
        ingest_seconds = time.perf_counter() - started

    per_second = len(articles) / ingest_seconds
    print(f"articles: {report.articles}, words: {words}, triples stored: {triples}")
    print(f"NLP pipeline alone: {words / nlp_seconds:,.0f} words/s, {len(articles) / nlp_seconds:,.1f} articles/s")
    print(f"end-to-end ingest:  {words / ingest_seconds:,.0f} words/s, {per_second:,.1f} articles/s")
    print(f"ratio (ingest / NLP alone): {nlp_seconds / ingest_seconds:.2f}")


def memory_only(size: int) -> None:
    with tempfile.TemporaryDirectory() as directory, open_store(Path(directory) / "store") as store:
        ingest_articles(generated(size), store)
    print(f"{peak_mb():.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[250, 1000])
    parser.add_argument("--memory-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:
        memory_only(args.memory_only)
        return 0
    throughput(args.articles)
    for size in args.memory_sizes:
        peak = subprocess.run([sys.executable, __file__, "--memory-only", str(size)], capture_output=True,
                              text=True, check=True).stdout.strip()
        print(f"peak memory of an ingest of {size} articles: {peak} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
