"""Read the inputs into Article records: article files (header + body, see README "Article files"),
JSON Lines files (one article a line) and saved HTML pages (main text extracted with trafilatura).

Every problem with an input is an InputError naming the file (and the line of a JSON Lines file),
raised before anything is stored.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Article

HEADER_FIELDS = ("source", "title", "published", "publisher")
JSON_FIELDS = (*HEADER_FIELDS, "text")
_HEADER_LINE = re.compile(r"^([A-Za-z_-]+):\s*(.*)$")
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
JSONL_SUFFIXES = (".jsonl",)
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (".txt", *JSONL_SUFFIXES, *HTML_SUFFIXES)
_GLOB_CHARACTERS = re.compile(r"[*?[]")


def article_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files given by name, the input files inside folders (*.txt, *.jsonl, *.html, *.htm, recursively)
    and the files a glob pattern the shell left unexpanded matches ('news/**/*.txt'), in a stable order."""
    for path in paths:
        if path.is_dir():
            found = _files_in(path)
            if not found:
                raise InputError(f"folder holds no article files ({_suffix_list()})", where=str(path))
            yield from found
        elif path.is_file():
            yield path
        elif _GLOB_CHARACTERS.search(str(path)):
            matched = [Path(m) for m in sorted(glob.glob(str(path), recursive=True))]
            found = [file for m in matched for file in (_files_in(m) if m.is_dir() else [m] if m.is_file() else [])]
            if not found:
                raise InputError("no file matches this pattern", where=str(path))
            yield from found
        else:
            raise InputError("no such file or folder", where=str(path))


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def _suffix_list() -> str:
    return ", ".join(f"*{suffix}" for suffix in ARTICLE_SUFFIXES)


def read_articles(path: Path) -> Iterator[Article]:
    """The articles of one input file, one at a time: a JSON Lines file holds one a line, an HTML page
    or an article file one."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_articles(path)
    elif suffix in HTML_SUFFIXES:
        yield read_html_article(path)
    else:
        yield read_article(path)


def read_article(path: Path) -> Article:
    return parse_article(_read_bytes(path), name=path.name, where=str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", where=str(path)) from err


def parse_article(raw: bytes, name: str, where: str | None = None) -> Article:
    """Decode and split one article file; `name` stands in for a missing `source:` header."""
    where = where or name
    if not raw.strip():
        raise InputError("empty file: no article text", where=where)
    if b"\x00" in raw:
        raise InputError("binary file, not article text", where=where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{raw[err.start]:02x} at offset {err.start})", where=where
        ) from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header, body = _split_header(text, where)
    if not body.strip():
        raise InputError("empty file: the header has no article text after it", where=where)
    return Article(
        source_id=header.get("source") or name,
        body=body,
        content_hash=content_hash(raw),
        title=header.get("title") or None,
        published=_checked_published(header.get("published"), where),
        publisher=header.get("publisher") or None,
        path=where,
    )


def content_hash(raw: bytes) -> str:
    """What `hkg:contentHash` records: the SHA-256 of the input's bytes (a file, or a JSON Lines line)."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _checked_published(published: str | None, where: str) -> str | None:
    if published is None or published.strip().lower() in ("", "unknown"):
        return None
    if not (_PUBLISHED.match(published) and _real_date(published)):
        raise InputError(f"published: expected YYYY-MM-DD, YYYY-MM, YYYY or unknown, got {published!r}", where)
    return published


def _real_date(value: str) -> bool:
    """'2017-02-30' and '2017-13' match the pattern but name no day or month."""
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _split_header(text: str, where: str) -> tuple[dict[str, str], str]:
    """The header is the `key: value` lines before a line `---`; a file without that line is all body."""
    lines = text.split("\n")
    try:
        rule = next(i for i, line in enumerate(lines) if line.strip() == "---")
    except StopIteration:
        return {}, text
    fields = [_HEADER_LINE.match(line.strip()) for line in lines[:rule] if line.strip()]
    if not fields or any(match is None for match in fields):
        return {}, text  # not a header after all: a `---` rule inside an article without one
    header: dict[str, str] = {}
    for match in fields:
        assert match is not None
        key = match.group(1).lower()
        if key not in HEADER_FIELDS:
            raise InputError(f"unknown header field {match.group(1)!r} (known: {', '.join(HEADER_FIELDS)})", where)
        header[key] = match.group(2).strip()
    return header, "\n".join(lines[rule + 1 :])


# --- JSON Lines: one article a line ---


def read_jsonl_articles(path: Path) -> Iterator[Article]:
    """The articles of a JSON Lines file, read one line at a time; blank lines are skipped. An article
    without `source` is named by the file name and its line number ("news.jsonl:17")."""
    try:
        stream = path.open("rb")
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", where=str(path)) from err
    found = False
    with stream:
        for number, line in enumerate(stream, start=1):
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
            if not line.strip():
                continue
            found = True
            yield parse_json_article(line.rstrip(b"\r\n"), name=f"{path.name}:{number}", where=f"{path}:{number}")
    if not found:
        raise InputError("empty file: no articles (expected one JSON object a line)", where=str(path))


def parse_json_article(raw: bytes, name: str, where: str | None = None) -> Article:
    """One JSON Lines record: an object with `text` and optionally `source`, `title`, `published` and
    `publisher`, all strings (or null); `name` stands in for a missing `source`."""
    where = where or name
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{raw[err.start]:02x} at offset {err.start})", where=where
        ) from err
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg} at column {err.colno}", where=where) from err
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {_json_type(record)}", where=where)
    for key, value in record.items():
        if key not in JSON_FIELDS:
            raise InputError(f"unknown key {key!r} (known: {', '.join(JSON_FIELDS)})", where=where)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{key}: expected a string, got {_json_type(value)}", where=where)
    text = record.get("text")
    if not text or not text.strip():
        raise InputError("no article text: 'text' is missing or empty", where=where)
    return Article(
        source_id=record.get("source") or name,
        body=text.replace("\r\n", "\n").replace("\r", "\n"),
        content_hash=content_hash(raw),
        title=record.get("title") or None,
        published=_checked_published(record.get("published"), where),
        publisher=record.get("publisher") or None,
        path=where,
    )


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return "null"


# --- saved HTML pages ---


def read_html_article(path: Path) -> Article:
    return parse_html_article(_read_bytes(path), name=path.name, where=str(path))


def parse_html_article(raw: bytes, name: str, where: str | None = None) -> Article:
    """A saved web page: its main text, without navigation, sidebars and footers, as trafilatura extracts
    it (one paragraph a line) is the body that offsets count into; title, date, site name and canonical
    URL come from the page's metadata where it has them. `name` stands in for a missing URL."""
    import trafilatura  # imported here: only HTML input needs it, and it takes a while to load

    where = where or name
    if not raw.strip():
        raise InputError("empty file: no page", where=where)
    document = trafilatura.bare_extraction(raw, with_metadata=True, favor_precision=True,
                                           include_comments=False, include_images=False)
    page: dict[str, Any] = {} if document is None else document if isinstance(document, dict) else document.as_dict()
    text = page.get("text") or ""
    if not text.strip():
        raise InputError("no main text found in the page", where=where)
    published = page.get("date") or None
    if published is not None and not (_PUBLISHED.match(published) and _real_date(published)):
        published = None  # a date the page's metadata gives in another form is left out, not guessed at
    return Article(
        source_id=page.get("url") or name,
        body=text,
        content_hash=content_hash(raw),
        title=page.get("title") or None,
        published=published,
        publisher=page.get("sitename") or None,
        path=where,
    )
