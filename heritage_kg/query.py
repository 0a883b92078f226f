"""Canned SPARQL queries (`queries/*.rq`), run with bound parameters, and result formatters by name.

Each .rq file starts with a header, the fields datasette's canned queries carry:

    # title: Events at a site
    # description: Heritage events at one site ...
    #   (an indented comment line continues the field above)
    # params: site (required) — label, alternative name or Wikidata QID of the site

`# params: none` when there are none; one `# params:` line per parameter otherwise. A parameter is
the SPARQL variable of the same name, bound as a plain string literal (never formatted into the text).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TextIO

import rdflib
from rich.console import Console
from rich.table import Table
from rich.text import Text

from heritage_kg.errors import InputError, QueryError, UnknownNameError
from heritage_kg.resources import queries_dir
from heritage_kg.store import KnowledgeStore, QueryResult

QUERY_SUFFIX = ".rq"
# Sub-folders of queries/ that are not canned queries: `wikidata` runs against Wikidata
# (heritage_kg.wikidata), `internal` holds the queries the pipeline itself runs (heritage_kg.merge).
REMOTE_QUERY_FOLDERS = frozenset({"wikidata", "internal"})

_HEADER_FIELD = re.compile(r"#\s*(title|description|params)\s*:\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")  # an indented comment line
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<flag>required|optional)\))?\s*(?:[—–-]+\s*(?P<description>.*))?"
)


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    required: bool

    def describe(self) -> str:
        flag = "required" if self.required else "optional"
        return f"{self.name} ({flag}) — {self.description}" if self.description else f"{self.name} ({flag})"


@dataclass
class StoredQuery:
    """A canned query: `name` is the file's stem, `checks/<stem>` for one in a sub-folder."""

    name: str
    title: str
    description: str
    params: list[QueryParam] = field(default_factory=list)
    text: str = ""
    path: Traversable | None = None

    def describe_params(self) -> str:
        if not self.params:
            return f"{self.name} takes no parameters"
        return f"{self.name} takes: " + "; ".join(param.describe() for param in self.params)


# --- reading queries ---


def parse_query(text: str, name: str, path: Traversable | None = None) -> StoredQuery:
    """Read the header comments at the top of an .rq file into a StoredQuery."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "params": []}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends with the first line of SPARQL
            continue
        if header := _HEADER_FIELD.fullmatch(stripped):
            key, value = header.groups()
            current = fields[key]
            current.append(value.strip())
        elif current is not None and (more := _CONTINUATION.fullmatch(stripped)):
            current[-1] = f"{current[-1]} {more.group(1)}"
        else:
            current = None  # a blank "#" line or free comment ends the field
    where = str(path) if path is not None else name
    return StoredQuery(
        name=name,
        title=" ".join(fields["title"]) or name,
        description=" ".join(fields["description"]),
        params=[_parse_param(value, where) for value in fields["params"] if value.lower() != "none"],
        text=text,
        path=path,
    )


def _parse_param(value: str, where: str) -> QueryParam:
    match = _PARAM.fullmatch(value.strip())
    if not match:
        raise InputError(f"cannot read the parameter {value!r}; write `name (required) — description`", where)
    return QueryParam(
        name=match["name"],
        description=(match["description"] or "").strip(),
        required=match["flag"] == "required",
    )


def load_queries() -> list[StoredQuery]:
    """Every shipped query by name: `queries/*.rq`, and `<folder>/<stem>` for `queries/<folder>/*.rq`.

    The folders in REMOTE_QUERY_FOLDERS are left out: their queries are not for the local store.
    """
    queries: list[StoredQuery] = []
    for entry in sorted(queries_dir().iterdir(), key=lambda item: item.name):
        if entry.is_file() and entry.name.endswith(QUERY_SUFFIX):
            queries.append(_read_query(entry, _stem(entry.name)))
        elif entry.is_dir() and entry.name not in REMOTE_QUERY_FOLDERS:
            for inner in sorted(entry.iterdir(), key=lambda item: item.name):
                if inner.is_file() and inner.name.endswith(QUERY_SUFFIX):
                    queries.append(_read_query(inner, f"{entry.name}/{_stem(inner.name)}"))
    return sorted(queries, key=lambda query: query.name)


def resolve_query(name_or_file: str | Path) -> StoredQuery:
    """A shipped query by name, or an .rq file by path; an unknown name lists the known ones."""
    queries = {query.name: query for query in load_queries()}
    name = str(name_or_file)
    if name in queries:
        return queries[name]
    path = Path(name_or_file)
    if path.suffix == QUERY_SUFFIX or path.is_file():
        if not path.is_file():
            raise InputError("no such query file", where=name)
        return _read_query(path, str(path))
    known = ", ".join(sorted(queries))
    raise UnknownNameError(f"unknown query {name!r}; known queries: {known} (or give the path of an .rq file)")


def internal_query(stem: str) -> StoredQuery:
    """A query the pipeline itself runs, from queries/internal/ (not a canned query)."""
    return _read_query(queries_dir() / "internal" / f"{stem}{QUERY_SUFFIX}", f"internal/{stem}")


def _read_query(path: Traversable, name: str) -> StoredQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the query: {error}", where=str(path)) from error
    return parse_query(text, name, path)


def _stem(filename: str) -> str:
    return filename[: -len(QUERY_SUFFIX)]


# --- running queries ---


def run_query(store: KnowledgeStore, query: StoredQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Check the parameters against the query's header, bind them as string literals, run the query."""
    given = dict(params or {})
    declared = {param.name for param in query.params}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise InputError(f"unknown parameter {', '.join(unknown)}; {query.describe_params()}", where=query.name)
    missing = [param.name for param in query.params if param.required and not str(given.get(param.name, "")).strip()]
    if missing:
        raise InputError(f"missing parameter {', '.join(missing)}; {query.describe_params()}", where=query.name)
    bindings = {name: rdflib.Literal(value) for name, value in given.items()}
    try:
        return store.query(query.text, bindings)
    except QueryError as error:
        raise type(error)(error.message, where=error.where or query.name) from error


# --- formatting results ---


def _cells(row: tuple[str | None, ...]) -> list[str]:
    return ["" if cell is None else cell for cell in row]


def format_table(result: QueryResult, stream: TextIO) -> None:
    """A rich table; rich drops colours and styles by itself when the stream is not a terminal."""
    table = Table(*result.variables, caption=f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}")
    for row in result.rows:
        table.add_row(*(Text(cell) for cell in _cells(row)))  # Text: a "[" in a quote is not markup
    Console(file=stream, highlight=False, width=_table_width(result, stream)).print(table)


def _table_width(result: QueryResult, stream: TextIO) -> int | None:
    """None (the terminal's width) on a terminal; elsewhere wide enough that no cell is cut short."""
    if _is_terminal(stream):
        return None
    widths = [len(name) for name in result.variables]
    for row in result.rows:
        for column, cell in enumerate(_cells(row)):
            widths[column] = max([widths[column], *(len(line) for line in cell.splitlines())])
    return max(80, sum(widths) + 3 * len(widths) + 1)  # "│ " before each cell, " " after, a last "│"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_csv(result: QueryResult, stream: TextIO) -> None:
    """RFC 4180: a header row with the query's variables in order, CRLF line ends, "" for unbound."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows(_cells(row) for row in result.rows)


def format_json(result: QueryResult, stream: TextIO) -> None:
    """A list of objects, one per row, keyed by the query's variables (null for unbound)."""
    records = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    json.dump(records, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


FORMATS: dict[str, Callable[[QueryResult, TextIO], None]] = {
    "table": format_table,
    "csv": format_csv,
    "json": format_json,
}


def format_result(result: QueryResult, fmt: str, stream: TextIO) -> None:
    try:
        formatter = FORMATS[fmt.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UnknownNameError(f"unknown format {fmt!r}; known formats: {known}") from None
    formatter(result, stream)
