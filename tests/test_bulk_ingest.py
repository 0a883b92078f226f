"""Bulk ingest: JSON Lines files, saved HTML pages, glob patterns, worker processes, resuming by content hash
and the progress bar."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import open_test_store, store_args

from heritage_kg.cli import _progress, main
from heritage_kg.errors import IngestInterrupted, InputError
from heritage_kg.ingest import article_paths, parse_html_article, parse_json_article
from heritage_kg.model import Article
from heritage_kg.pipeline import ingest_articles
from heritage_kg.store import KnowledgeStore

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "palmyra-2017-03-01.txt"
HKG = "https://w3id.org/heritage-kg/ontology#"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def events(store: Path) -> list[tuple[str, ...]]:
    """(article, monument, site, event type, perpetrator, date, evidence) of each heritage event, sorted."""
    result = run("query", "heritage-events", "--format", "csv", *store_args(store))
    assert result.exit_code == 0, result.output
    return sorted((row["article"], row["monument"], row["site"], row["event_type"], row["perpetrator"], row["date"],
                   row["evidence"]) for row in csv.DictReader(io.StringIO(result.stdout)))


def stats(store: Path) -> str:
    result = run("stats", *store_args(store))
    assert result.exit_code == 0, result.output
    return result.stdout


def jsonl(*records: dict[str, str]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


BEL = {"source": "https://example.org/bel", "title": "Temple of Bel blown up", "published": "2015-08-31",
       "publisher": "Example News", "text": "Islamic State militants blew up the Temple of Bel in Palmyra on Sunday."}
LION = {"published": "2015-07-02",
        "text": "On 27 June 2015, Islamic State demolished the Lion of Al-lat statue in Palmyra."}


# --- JSON Lines ---


def test_a_jsonl_file_gives_one_article_a_line(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text(jsonl(BEL) + "\n" + jsonl(LION))  # a blank line between: skipped
    result = run("ingest", str(news), *store_args(tmp_path / "kg"))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Ingested 2 articles: 2 heritage events, ")
    assert events(tmp_path / "kg") == [
        ("https://example.org/bel", "Temple of Bel", "Palmyra", "destroyed", "Islamic State", "2015-08-30",
         "Islamic State militants blew up the Temple of Bel in Palmyra on Sunday."),
        ("news.jsonl:3", "Lion of Al-lat statue", "Palmyra", "destroyed", "Islamic State", "2015-06-27",
         "On 27 June 2015, Islamic State demolished the Lion of Al-lat statue in Palmyra."),
    ]


def test_a_json_record_keeps_its_fields_and_hashes_its_line():
    raw = json.dumps(BEL).encode()
    article = parse_json_article(raw, name="news.jsonl:1")
    assert (article.source_id, article.title, article.published, article.publisher, article.body) == (
        "https://example.org/bel", "Temple of Bel blown up", "2015-08-31", "Example News", BEL["text"])
    assert article.content_hash == parse_json_article(raw, name="other.jsonl:9").content_hash
    assert parse_json_article(b'{"text": "A.", "published": "unknown"}', name="n.jsonl:1").published is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "Militants blew up the Temple of Bel."', "not valid JSON: Expecting ',' delimiter at column 48"),
        ('["Militants blew up the Temple of Bel."]', "expected a JSON object, got an array"),
        ('{"text": "The Temple of Bel.", "author": "A. Reporter"}',
         "unknown key 'author' (known: source, title, published, publisher, text)"),
        ('{"title": "No text"}', "no article text: 'text' is missing or empty"),
        ('{"text": "  "}', "no article text: 'text' is missing or empty"),
        ('{"text": "The Temple of Bel.", "published": 2015}', "published: expected a string, got a number"),
        ('{"text": "The Temple of Bel.", "published": "31 August 2015"}',
         "published: expected YYYY-MM-DD, YYYY-MM, YYYY or unknown, got '31 August 2015'"),
        ('{"text": "The Temple of Bel.", "source": "https://example.org/bel"}',
         "same source as {news}:1: 'https://example.org/bel'"),
    ],
)
def test_a_bad_jsonl_line_is_named_by_its_line_and_nothing_is_written(tmp_path, line, message):
    store = tmp_path / "kg"
    assert run("ingest", str(EXAMPLE), *store_args(store)).exit_code == 0
    before = stats(store)
    news = tmp_path / "news.jsonl"
    news.write_text(jsonl(BEL) + "\n" + line + "\n" + jsonl(LION))
    other = tmp_path / "other.jsonl"
    other.write_text(jsonl(LION | {"source": "other"}))
    result = run("ingest", str(other), str(news), *store_args(store))
    assert (result.exit_code, result.stderr) == (2, f"Error: {news}:3: {message.format(news=news)}\n")
    assert stats(store) == before  # not even the good file given before it was written


def test_a_jsonl_line_that_is_not_utf8_is_named():
    with pytest.raises(InputError) as caught:
        parse_json_article(b'{"text": "caf\xe9"}', name="news.jsonl:4")
    assert str(caught.value) == "news.jsonl:4: not UTF-8 text (invalid byte 0xe9 at offset 13)"


# --- saved HTML pages ---

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Islamic State blows up Mosul mosque | Example News</title>
<link rel="canonical" href="https://news.example.org/2017/06/mosul-mosque">
<meta property="og:title" content="Islamic State blows up Mosul mosque">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2017-06-22T09:30:00Z">
</head><body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/2015/08/bel">Islamic State militants blew up the Temple of Bel in Palmyra</a></li>
</ul></nav></header>
<main><article>
<h1>Islamic State blows up Mosul mosque</h1>
<p>Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday, the Iraqi military said.</p>
<p>The mosque had stood in the old city for more than eight centuries, and its minaret was a landmark.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/2015/03/nimrud">Militants bulldozed the ancient city of Nimrud</a></li>
</ul></aside>
<footer><p>Copyright 2017 Example News. Islamic State destroyed the Lion of Al-lat statue in Palmyra, our archive
shows.</p></footer>
</body></html>
"""

PAGE_BODY = ("Islamic State blows up Mosul mosque\n"
             "Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday, the Iraqi military said.\n"
             "The mosque had stood in the old city for more than eight centuries, and its minaret was a landmark.")


def test_an_html_page_is_its_main_text_with_the_metadata_of_the_page():
    article = parse_html_article(PAGE.encode(), name="mosul.html")
    assert article.body == PAGE_BODY  # no navigation, sidebar or footer
    assert (article.source_id, article.title, article.published, article.publisher) == (
        "https://news.example.org/2017/06/mosul-mosque", "Islamic State blows up Mosul mosque", "2017-06-22",
        "Example News")


def test_an_html_page_gives_the_events_of_its_body_only(tmp_path):
    page = tmp_path / "mosul.html"
    page.write_text(PAGE)
    result = run("ingest", str(page), *store_args(tmp_path / "kg"))
    assert result.exit_code == 0, result.output
    assert events(tmp_path / "kg") == [
        ("https://news.example.org/2017/06/mosul-mosque", "Grand al-Nuri Mosque", "", "destroyed", "Islamic State",
         "2017-06-21", PAGE_BODY.split("\n")[1]),
    ]
    offsets = run("query", "sources-of-event", "--format", "json", *store_args(tmp_path / "kg"))
    assert offsets.exit_code == 0, offsets.output
    quotes = [(row["quote"], int(row["start"]), int(row["end"])) for row in json.loads(offsets.stdout)]
    assert quotes == [(PAGE_BODY.split("\n")[1], 36, 130)]
    assert PAGE_BODY[36:130] == quotes[0][0]  # offsets count into the body: the page's main text


def test_a_page_without_main_text_is_bad_input(tmp_path):
    page = tmp_path / "empty.htm"
    page.write_text("<html><head><title>Nothing here</title></head><body><img src='x.png'>"
                    "<script>var x = 1;</script></body></html>")
    result = run("ingest", str(page), *store_args(tmp_path / "kg"))
    assert (result.exit_code, result.stderr) == (2, f"Error: {page}: no main text found in the page\n")


# --- folders and glob patterns ---


def test_folders_take_every_kind_of_input_and_patterns_the_files_they_match(tmp_path):
    for name in ("news/b/2.txt", "news/a/1.txt", "news/a/3.jsonl", "news/c/4.html", "news/c/5.htm", "news/notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    names = [p.relative_to(tmp_path / "news").as_posix() for p in article_paths([tmp_path / "news"])]
    assert names == ["a/1.txt", "a/3.jsonl", "b/2.txt", "c/4.html", "c/5.htm"]
    pattern = tmp_path / "news" / "**" / "*.txt"
    assert [p.name for p in article_paths([pattern])] == ["1.txt", "2.txt"]


def test_a_glob_pattern_is_ingested_and_one_that_matches_nothing_is_bad_input(tmp_path):
    (tmp_path / "news" / "2015").mkdir(parents=True)
    (tmp_path / "news" / "2015" / "bel.txt").write_text(f"source: bel\npublished: 2015-08-31\n---\n{BEL['text']}")
    (tmp_path / "news" / "lion.txt").write_text(f"source: lion\npublished: 2015-07-02\n---\n{LION['text']}")
    result = run("ingest", str(tmp_path / "news" / "**" / "*.txt"), *store_args(tmp_path / "kg"))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Ingested 2 articles: 2 heritage events, ")
    nothing = tmp_path / "news" / "**" / "*.jsonl"
    result = run("ingest", str(nothing), *store_args(tmp_path / "kg"))
    assert (result.exit_code, result.stderr) == (2, f"Error: {nothing}: no file matches this pattern\n")


# --- worker processes ---

SENTENCES = [
    ("2015-08-31", "Islamic State militants blew up the Temple of Bel in Palmyra on Sunday."),
    ("2015-08-26", "Islamic State militants demolished the Temple of Bel and the Temple of Baalshamin in Palmyra."),
    ("2016-02", "Looters have damaged the ruins of Apamea, satellite images show."),
    ("2015-07-02", "On 27 June 2015, Islamic State demolished the Lion of Al-lat statue in Palmyra."),
    ("2017-06-22", "Islamic State blew up the Grand al-Nuri Mosque in Mosul on Wednesday. Iraqi officials said "
                   "the group had destroyed its leaning minaret."),
    ("2012-07-02", "Ansar Dine seized Timbuktu in April. On June 30, members of the group desecrated the "
                   "mausoleum of Sidi Mahmoud."),
    ("2015-08-21", "Militants wrecked a church inside the Saint Elian Monastery near Homs."),
    ("2017-03-01", "The Syrian army recaptured Palmyra from Islamic State with Russian air support on Thursday."),
    ("2016-03-27", "Islamic State threatened to destroy the Temple of Bel in Palmyra on Sunday."),
    ("2015-05-21", "Islamic State seized Palmyra in May, sparking fears the group might demolish the ancient site."),
]


def corpus_records() -> list[dict[str, str]]:
    return [{"source": f"test-{i}", "published": published, "text": text}
            for i, (published, text) in enumerate(SENTENCES)]


def test_two_workers_store_exactly_what_one_does(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text(jsonl(*corpus_records()))
    dumps = []
    for workers in ("1", "2"):
        store = tmp_path / f"kg-{workers}"
        result = run("ingest", str(news), str(EXAMPLE), "--workers", workers, *store_args(store))
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("Ingested 11 articles: ")
        dump = tmp_path / f"kg-{workers}.nq"
        assert run("export", "--format", "nquads", "--output", str(dump), *store_args(store)).exit_code == 0
        dumps.append(set(dump.read_text().splitlines()))
    assert len(dumps[0]) > 1000
    assert dumps[0] == dumps[1]


# --- resuming by content hash ---


def corpus() -> list[Article]:
    return [parse_json_article(json.dumps(record).encode(), name=f"news.jsonl:{i + 1}")
            for i, record in enumerate(corpus_records())]


class Interrupted(Exception):
    pass


def article_counts(store: KnowledgeStore) -> list[tuple[str | None, ...]]:
    """(source, number of articles in its graph, number of content hashes) for each article graph."""
    return sorted(store.query(
        f"SELECT ?source (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?hash) AS ?hashes) "
        f"WHERE {{ GRAPH ?g {{ ?article a <{HKG}Article> ; <{HKG}sourceId> ?source ; <{HKG}contentHash> ?hash }} }} "
        f"GROUP BY ?source").rows)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_ingest_resumes_where_it_stopped(tmp_path, workers):
    with open_test_store(tmp_path / "clean") as clean:
        ingest_articles(corpus(), clean, batch_size=4)
        clean_quads, clean_triples = set(clean.quads()), clean.triple_count()

    def stop_after_the_first_batch(article: Article, skipped: bool) -> None:
        if article.source_id == "test-5":
            raise Interrupted()

    with open_test_store(tmp_path / "kg") as store:
        with pytest.raises(Interrupted):
            ingest_articles(corpus(), store, batch_size=4, workers=workers, on_article=stop_after_the_first_batch)
        assert [row[0] for row in article_counts(store)] == ["test-0", "test-1", "test-2", "test-3"]

        seen: list[tuple[str, bool]] = []
        report = ingest_articles(corpus(), store, batch_size=4, workers=workers,
                                 on_article=lambda article, skipped: seen.append((article.source_id, skipped)))
        assert (report.skipped, report.articles) == (4, 6)
        assert seen == [(f"test-{i}", i < 4) for i in range(10)]
        assert article_counts(store) == sorted((f"test-{i}", "1", "1") for i in range(10))
        assert (store.triple_count(), set(store.quads())) == (clean_triples, clean_quads)


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_writes_the_articles_already_extracted_and_says_how_to_go_on(tmp_path, workers):
    def ctrl_c_at_the_sixth(article: Article, skipped: bool) -> None:
        if article.source_id == "test-5":
            raise KeyboardInterrupt

    with open_test_store(tmp_path / "kg") as store:
        with pytest.raises(IngestInterrupted) as interrupted:
            ingest_articles(corpus(), store, batch_size=4, workers=workers, on_article=ctrl_c_at_the_sixth)
        # test-0 .. test-3 written in the first batch; test-4 and test-5, extracted when Ctrl-C came, on the way out
        assert article_counts(store) == [(f"test-{i}", "1", "1") for i in range(6)]
        assert (interrupted.value.exit_code, str(interrupted.value)) == (
            130, "interrupted: 6 articles written; run the same command again to go on from there")
        report = ingest_articles(corpus(), store, batch_size=4, workers=workers)
        assert (report.skipped, report.articles) == (6, 4)


def test_an_unchanged_rerun_skips_everything_and_says_so(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text(jsonl(BEL, LION))
    store = tmp_path / "kg"
    first = run("ingest", str(news), *store_args(store))
    assert first.exit_code == 0, first.output
    triples = first.stderr.rsplit("the store holds ", 1)[1]
    again = run("ingest", str(news), *store_args(store))
    assert (again.exit_code, again.stderr) == (
        0, f"Ingested 0 articles, skipped 2 unchanged: 0 heritage events, 0 control changes, 0 statements; "
           f"the store holds {triples}")


def test_a_changed_article_is_extracted_again_and_replaces_its_graph(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text(jsonl(BEL, LION))
    store = tmp_path / "kg"
    assert run("ingest", str(news), *store_args(store)).exit_code == 0
    news.write_text(jsonl(BEL | {"text": "Islamic State militants blew up the Temple of Baalshamin in Palmyra on "
                                         "Sunday."}, LION))
    result = run("ingest", str(news), *store_args(store))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Ingested 1 article, skipped 1 unchanged: 1 heritage events, ")
    assert [(row[0], row[1]) for row in events(store)] == [
        ("https://example.org/bel", "Temple of Baalshamin"), ("news.jsonl:2", "Lion of Al-lat statue")]


# --- the progress bar ---


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_counts_articles_and_skipped_ones_on_a_terminal(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress(3) as advance:
        advance(True)
        advance(False)
        advance(False)
    assert "3/3" in terminal.getvalue() and "1 unchanged, skipped" in terminal.getvalue()


def test_the_progress_bar_is_silent_in_a_pipe(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    with _progress(3) as advance:
        advance(True)
        advance(False)
    assert pipe.getvalue() == ""
