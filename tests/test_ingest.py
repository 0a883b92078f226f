"""Reading article files: header, body, and one clear error per kind of bad input."""

from pathlib import Path

import pytest

from heritage_kg.errors import InputError
from heritage_kg.ingest import article_paths, parse_article, read_article

EXAMPLE = Path(__file__).parent.parent / "examples" / "palmyra-2017-03-01.txt"


def test_seed_article_header_and_body():
    article = read_article(EXAMPLE)
    assert article.source_id == "palmyra-2017-03-01.txt"  # no source: header -> the file name
    assert article.title == 'Syrian army to enter Islamic State-held Palmyra "very soon": source'
    assert article.publisher == "Reuters"
    assert article.published == "2017-03-01"
    assert article.body.startswith("BEIRUT (Reuters) - Russian-backed")
    assert article.content_hash.startswith("sha256:") and len(article.content_hash) == 71


def test_source_header_names_the_article():
    article = parse_article(b"source: https://example.org/a\npublished: 2015-08\n---\nText.", name="a.txt")
    assert article.source_id == "https://example.org/a"
    assert article.url == "https://example.org/a"
    assert article.published == "2015-08"


def test_file_without_rule_is_all_body():
    article = parse_article(b"title: not a header\nJust text.", name="b.txt")
    assert article.body == "title: not a header\nJust text."
    assert article.title is None


def test_published_unknown_is_none():
    assert parse_article(b"published: unknown\n---\nText.", name="c.txt").published is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "x.txt: empty file: no article text"),
        (b"  \n\n", "x.txt: empty file: no article text"),
        (b"title: t\n---\n\n", "x.txt: empty file: the header has no article text after it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt: binary file, not article text"),
        (b"caf\xe9 in Latin-1", "x.txt: not UTF-8 text (invalid byte 0xe9 at offset 3)"),
        (b"published: March 2017\n---\nText.",
         "x.txt: published: expected YYYY-MM-DD, YYYY-MM, YYYY or unknown, got 'March 2017'"),
    ],
)
def test_bad_input_gives_one_clear_error(raw, message):
    with pytest.raises(InputError) as caught:
        parse_article(raw, name="x.txt")
    assert str(caught.value) == message
    assert caught.value.exit_code == 2


def test_folder_lists_txt_files_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("B")
    (tmp_path / "a.txt").write_text("A")
    (tmp_path / "notes.md").write_text("not an article")
    assert [p.name for p in article_paths([tmp_path])] == ["a.txt", "b.txt"]


def test_missing_path_is_named(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(article_paths([tmp_path / "nope.txt"]))


@pytest.mark.parametrize("value", ["2017-02-30", "2017-13-45", "2017-00"])
def test_a_date_no_calendar_has_is_bad_input(value):
    with pytest.raises(InputError) as caught:
        parse_article(f"published: {value}\n---\nText.".encode(), name="x.txt")
    assert str(caught.value) == f"x.txt: published: expected YYYY-MM-DD, YYYY-MM, YYYY or unknown, got {value!r}"


def test_a_misspelled_header_field_is_bad_input():
    with pytest.raises(InputError) as caught:
        parse_article(b"publised: 2017-03-01\n---\nText.", name="x.txt")
    assert str(caught.value) == "x.txt: unknown header field 'publised' (known: source, title, published, publisher)"
