"""End-to-end ingest throughput against the NLP pipeline's own, measured in the same run.

    .venv/bin/python bench/ingest_throughput.py [--articles 1000]

The corpus is the example articles repeated under distinct `source:` headers. Reports words and
articles per second for spaCy alone (the same paragraphs through `nlp.pipe`) and for the whole ingest
(extraction, graph building and one transactional store write), their ratio, and peak memory.
"""

from __future__ import annotations

import argparse
import resource
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    articles = corpus(args.articles)
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
        ingest_seconds = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {len(articles)}, words: {words}, triples stored: {report.triples}")
    print(f"NLP pipeline alone: {words / nlp_seconds:,.0f} words/s, {len(articles) / nlp_seconds:,.1f} articles/s")
    per_second = len(articles) / ingest_seconds
    print(f"end-to-end ingest:  {words / ingest_seconds:,.0f} words/s, {per_second:,.1f} articles/s")
    print(f"ratio (ingest / NLP alone): {nlp_seconds / ingest_seconds:.2f}")
    print(f"peak memory: {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
