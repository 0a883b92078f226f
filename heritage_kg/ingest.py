"""Read article files (header + body, see README "Article files") into Article records.

Every problem with an input file is an InputError naming the file, raised before anything is stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from .errors import InputError
from .model import Article

HEADER_FIELDS = ("source", "title", "published", "publisher")
_HEADER_LINE = re.compile(r"^([A-Za-z_-]+):\s*(.*)$")
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ARTICLE_SUFFIXES = (".txt",)


def article_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files given by name, and the article files (*.txt) inside folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
            if not found:
                raise InputError("folder holds no article files (*.txt)", where=str(path))
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InputError("no such file or folder", where=str(path))


def read_article(path: Path) -> Article:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", where=str(path)) from err
    return parse_article(raw, name=path.name, where=str(path))


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
    published = header.get("published")
    if published is not None and published.lower() in ("", "unknown"):
        published = None
    if published is not None and not (_PUBLISHED.match(published) and _real_date(published)):
        raise InputError(f"published: expected YYYY-MM-DD, YYYY-MM, YYYY or unknown, got {published!r}", where)
    return Article(
        source_id=header.get("source") or name,
        body=body,
        content_hash="sha256:" + hashlib.sha256(raw).hexdigest(),
        title=header.get("title") or None,
        published=published,
        publisher=header.get("publisher") or None,
        path=where,
    )


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
