"""A polite client for Wikidata's SPARQL endpoint, and the items the gazetteer takes from it.

The queries live in `queries/wikidata/*.rq` (headers as in `queries/*.rq`). The remote SPARQL protocol
has no parameter bindings, so values enter a query only through an empty `VALUES ?var { }` line that
`fill_values` fills with rdflib terms serialised by `term.n3()`, then checks by parsing them back.

Politeness, as Wikimedia's policies ask: a User-Agent that names the tool, its version and a contact;
one request at a time, at least `min_interval` seconds apart; HTTP 429 and 503 answered by waiting
`Retry-After` (seconds or an HTTP date), or by exponential back-off when it is absent; and a disk
cache, so that the same query is sent once. A result is cached only when it is valid SPARQL JSON
(zero rows is a real answer); an empty or foreign body is an error, never "no match".
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import math
import os
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import SPARQLWrapper as sparqlwrapper_package
from rdflib.term import Literal, Node
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from heritage_kg import __version__
from heritage_kg.errors import HeritageKGError, InputError, UnknownNameError
from heritage_kg.namespaces import WD
from heritage_kg.resources import queries_dir
from heritage_kg.sparql_terms import UnsafeValueError, describe_connection_error, serialise_terms

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
PROJECT_URL = "https://github.com/heritage-kg/heritage-kg"
ENTITY_PREFIX = str(WD)  # http://www.wikidata.org/entity/
QUERY_FOLDER = "wikidata"

SITES_QUERY = "world-heritage-sites"
PARTS_QUERY = "world-heritage-parts"
NAMES_QUERY = "items-named"
NAMES_PER_QUERY = 200  # names per items-named request: long VALUES lists go by POST, but stay moderate

MAX_GET_URL = 2000  # longer queries go by POST (GET answers are cached by Wikidata's front end)
MAX_RETRY_AFTER = 600.0  # a server asking for a longer wait than this is not waited for
RETRY_STATUSES = {429: "Too Many Requests", 503: "Service Unavailable"}
HTTP_STATUS_OF = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414,
                  EndPointInternalError: 500}

CACHE_FORMAT = "heritage-kg/wikidata-result"
GAZETTEER_FORMAT = "heritage-kg/wikidata-gazetteer"
GAZETTEER_VERSION = 1

_QID = re.compile(r"Q[1-9][0-9]*")
_POINT = re.compile(
    r"\s*(?:<(?P<globe>[^>]*)>\s*)?Point\s*\(\s*(?P<lon>[-+0-9.eE]+)\s+(?P<lat>[-+0-9.eE]+)\s*\)\s*", re.IGNORECASE
)
EARTH = ENTITY_PREFIX + "Q2"
# A line that is only an empty VALUES block: the one place where values may enter a query.
_VALUES_SLOT = re.compile(r"^(?P<indent>[ \t]*)VALUES[ \t]+\?(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\{[ \t]*\}[ \t]*$",
                          re.MULTILINE)


class WikidataError(HeritageKGError):
    """The Wikidata endpoint could not be reached or gave no usable answer, or the local cache is unreadable."""


# --- the items ---


@dataclass(frozen=True)
class WikidataItem:
    """One Wikidata item as the gazetteer needs it; tuples are sorted, QIDs by number."""

    qid: str  # "Q5747"
    label: str | None  # English label
    aliases: tuple[str, ...]  # English skos:altLabel, sorted
    whs_id: str | None  # P757 (the lowest, when an item has several)
    country: tuple[str, ...]  # P17 QIDs
    located_in: tuple[str, ...]  # P131 QIDs
    part_of: tuple[str, ...]  # P361 QIDs, plus the World Heritage Sites that list the item with P527
    coordinates: tuple[float, float] | None  # (longitude, latitude) from P625 "Point(lon lat)"

    @property
    def iri(self) -> str:
        return ENTITY_PREFIX + self.qid


def qid_key(qid: str) -> int:
    """Sort key for QIDs: by number (Q858 before Q5747)."""
    return int(qid[1:])


def qid_of(value: str | None) -> str | None:
    """The QID of a Wikidata entity IRI; None for anything else (a property, a blank node, a literal)."""
    if value is None or not value.startswith(ENTITY_PREFIX):
        return None
    local = value[len(ENTITY_PREFIX):]
    return local if _QID.fullmatch(local) else None


def parse_point(wkt: str) -> tuple[float, float] | None:
    """(longitude, latitude) from Wikidata's P625 WKT, "Point(lon lat)"; None if not on Earth or unreadable."""
    match = _POINT.fullmatch(wkt)
    if not match or (match["globe"] and match["globe"] != EARTH):
        return None
    try:
        longitude, latitude = float(match["lon"]), float(match["lat"])
    except ValueError:
        return None
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        return None
    return longitude, latitude


_ITEM_FIELDS = ("whs_id", "label", "alias", "country", "located_in", "part_of", "coordinates")


def items_from_rows(rows: Iterable[Mapping[str, str]]) -> list[WikidataItem]:
    """Rows of (?item, ?field, ?value), as the queries in queries/wikidata/ give them, merged per QID."""
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        qid, field, value = qid_of(row.get("item")), row.get("field"), row.get("value")
        if qid is not None and field in _ITEM_FIELDS and value is not None:
            facts[qid][field].add(value)
    return sorted((_item(qid, fields) for qid, fields in facts.items()), key=lambda item: qid_key(item.qid))


def _item(qid: str, fields: Mapping[str, set[str]]) -> WikidataItem:
    def qids(field: str) -> tuple[str, ...]:
        found = {q for value in fields.get(field, ()) if (q := qid_of(value)) is not None}
        return tuple(sorted(found, key=qid_key))

    points = [point for wkt in fields.get("coordinates", ()) if (point := parse_point(wkt)) is not None]
    whs_ids = fields.get("whs_id", set())
    labels = fields.get("label", set())
    return WikidataItem(
        qid=qid,
        label=min(labels) if labels else None,
        aliases=tuple(sorted(fields.get("alias", ()))),
        whs_id=min(whs_ids, key=lambda whs: (len(whs), whs)) if whs_ids else None,
        country=qids("country"),
        located_in=qids("located_in"),
        part_of=qids("part_of"),
        coordinates=min(points) if points else None,
    )


# --- queries and values ---


def wikidata_query_text(query_name: str) -> str:
    """The text of queries/wikidata/<query_name>.rq; an unknown name lists the known ones."""
    folder = queries_dir() / QUERY_FOLDER
    known = sorted(entry.name[: -len(".rq")] for entry in folder.iterdir() if entry.name.endswith(".rq"))
    if query_name not in known:
        raise UnknownNameError(f"unknown Wikidata query {query_name!r}; known: {', '.join(known)}")
    return (folder / f"{query_name}.rq").read_text(encoding="utf-8")


def strip_header(query: str) -> str:
    """The query without its header comment block: the header documents the file, the endpoint needs none
    (and a short query can go by GET, which Wikidata's front end caches)."""
    lines = query.splitlines(keepends=True)
    start = next((number for number, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
                 len(lines))
    return "".join(lines[start:])


def fill_values(query: str, values: Mapping[str, Sequence[Node]] | None, where: str = "query") -> str:
    """Fill each empty `VALUES ?var { }` line with the terms given for ?var, serialised by `term.n3()`.

    Only IRIs and literals are accepted, and the serialised block is parsed back (by rdflib's SPARQL
    parser) and must give exactly the terms given: text can never leave its literal. Every slot must
    be filled and every given variable must have a slot.
    """
    given = dict(values or {})
    slots = {match["var"] for match in _VALUES_SLOT.finditer(query)}
    unknown, missing = sorted(set(given) - slots), sorted(slots - set(given))
    if unknown or missing:
        problem = f"no VALUES slot for ?{', ?'.join(unknown)}" if unknown else f"no values for ?{', ?'.join(missing)}"
        raise WikidataError(f"{problem} (the query has slots for: {', '.join(sorted(slots)) or 'none'})", where)
    serialised = {name: _serialise_terms(name, terms, where) for name, terms in given.items()}

    def fill(match: re.Match[str]) -> str:
        return f"{match['indent']}VALUES ?{match['var']} {{ {serialised[match['var']]} }}"

    return _VALUES_SLOT.sub(fill, query)


def _serialise_terms(name: str, terms: Sequence[Node], where: str) -> str:
    try:
        return serialise_terms(terms)
    except UnsafeValueError as error:
        raise WikidataError(f"?{name}: {error}", where) from error


# --- the client ---


def default_user_agent(contact: str | None = None) -> str:
    """`heritage-kg/<version> (<project>; contact: <contact>) SPARQLWrapper/<version>`, one line."""
    details = PROJECT_URL
    if contact and (contact := " ".join(contact.split())):  # one line: no header injection
        details += f"; contact: {contact}"
    return f"heritage-kg/{__version__} ({details}) SPARQLWrapper/{sparqlwrapper_package.__version__}"


def cache_key(endpoint: str, query: str) -> str:
    return hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header in seconds: an integer, or an HTTP date from now; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class WikidataClient:
    """SELECT queries from queries/wikidata/ against a SPARQL endpoint, one at a time, with a disk cache.

    `sleep` and `clock` are injectable so that tests need not wait; every wait goes through `sleep`.
    `refresh=True` sends every query even when a cached answer exists (and caches the new answer).
    """

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        *,
        user_agent: str | None = None,
        contact: str | None = None,
        cache_dir: Path,
        timeout: float = 60,
        max_retries: int = 5,
        min_interval: float = 1.0,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
            raise InputError(f"the Wikidata endpoint must be an http:// or https:// address, not {endpoint!r}")
        self.endpoint = endpoint
        self.user_agent = user_agent or default_user_agent(contact)
        self.cache_dir = Path(cache_dir)
        self.timeout = timeout
        self.max_retries = max_retries
        self.min_interval = min_interval
        self.refresh = refresh
        self.requests_sent = 0  # HTTP requests sent (or tried, when the endpoint is unreachable), retries included
        self.cache_hits = 0
        self.oldest_retrieval: datetime | None = None  # of the results returned so far, cached or fresh
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._last_request: float | None = None

    # --- public ---

    def select(self, query_name: str, values: Mapping[str, Sequence[Node]] | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT query in queries/wikidata/, each {variable: value} (unbound variables left out)."""
        query = fill_values(strip_header(wikidata_query_text(query_name)), values, where=f"{QUERY_FOLDER}/{query_name}")
        with self._lock:
            cached = None if self.refresh else self._read_cache(query)
            if cached is not None:
                self.cache_hits += 1
                results, retrieved = cached
            else:
                results = self._fetch(query_name, query)
                retrieved = datetime.now(UTC).replace(microsecond=0)
                self._write_cache(query_name, query, results, retrieved)
            if self.oldest_retrieval is None or retrieved < self.oldest_retrieval:
                self.oldest_retrieval = retrieved
        return [{name: cell["value"] for name, cell in binding.items()} for binding in results["results"]["bindings"]]

    # --- the network ---

    def _fetch(self, query_name: str, query: str) -> dict[str, Any]:
        retries = 0
        while True:
            self._keep_interval()
            self.requests_sent += 1
            self._last_request = self._clock()
            try:
                status, body, content_type = self._send(query)
            except urllib.error.HTTPError as error:  # SPARQLWrapper passes on the statuses it has no class for
                status, retry_after = error.code, error.headers.get("Retry-After")
                error.close()
                if status not in RETRY_STATUSES:
                    raise WikidataError(self._status_message(status, query_name)) from None
                if retries >= self.max_retries:
                    raise WikidataError(
                        f"the Wikidata endpoint {self.endpoint} answered HTTP {status} ({RETRY_STATUSES[status]}) "
                        f"{retries + 1} times to {query_name}; gave up after {retries} retries (try again later)"
                    ) from None
                wait = retry_after_seconds(retry_after)
                if wait is None:
                    wait = float(2**retries)  # 1, 2, 4, 8, 16 s
                elif wait > MAX_RETRY_AFTER:
                    raise WikidataError(
                        f"the Wikidata endpoint {self.endpoint} answered HTTP {status} ({RETRY_STATUSES[status]}) "
                        f"to {query_name} and asks to wait {wait:.0f} s; try again later"
                    ) from None
                retries += 1
                self._sleep(wait)
                continue
            except SPARQLWrapperException as error:
                status = next((code for kind, code in HTTP_STATUS_OF.items() if isinstance(error, kind)), 500)
                raise WikidataError(self._status_message(status, query_name)) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                raise WikidataError(
                    f"cannot reach the Wikidata endpoint {self.endpoint}: {self._describe(error)} "
                    f"(check the network, or --wikidata-endpoint)"
                ) from None
            return self._results(status, body, content_type, query_name)

    def _send(self, query: str) -> tuple[int, bytes, str]:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.user_agent)
        wrapper.setQuery(query)
        # SPARQLWrapper guesses the query form from the first keyword it finds after dropping comment
        # lines, but it drops only every other line of a comment block, so a header that mentions
        # "address" made it an ADD update sent as `update=`. Every query here is a SELECT.
        wrapper.queryType = SELECT
        wrapper.setReturnFormat(JSON)
        wrapper.setOnlyConneg(True)  # the Accept header only; no format=/output=/results= parameters
        if len(self.endpoint) + len(urllib.parse.urlencode({"query": query})) > MAX_GET_URL:
            wrapper.setMethod(POST)  # form-encoded `query=`
        # setTimeout() truncates to whole seconds (0.5 becomes 0, which means no timeout at all).
        wrapper.timeout = self.timeout  # type: ignore[assignment]
        response = wrapper.query().response
        try:
            return response.status, response.read(), response.headers.get("Content-Type", "")
        finally:
            response.close()

    def _keep_interval(self) -> None:
        if self._last_request is None:
            return
        wait = self.min_interval - (self._clock() - self._last_request)
        if wait > 0:
            self._sleep(wait)

    def _status_message(self, status: int, query_name: str) -> str:
        if status == 400:
            return f"the Wikidata endpoint {self.endpoint} rejected the query {query_name} as malformed (HTTP 400)"
        if status == 500:
            return (f"the Wikidata endpoint {self.endpoint} failed on the query {query_name} (HTTP 500: a server "
                    f"error, or the query ran out of time)")
        reason = http.client.responses.get(status, "error")
        return f"the Wikidata endpoint {self.endpoint} answered HTTP {status} ({reason}) to {query_name}"

    def _describe(self, error: BaseException) -> str:
        """Why a connection failed, in a few words."""
        return describe_connection_error(error, self.endpoint, self.timeout)

    def _results(self, status: int, body: bytes, content_type: str, query_name: str) -> dict[str, Any]:
        """The SPARQL JSON results of a SELECT; anything else is an error, never an empty answer."""
        where = f"the Wikidata endpoint {self.endpoint}"
        if not body.strip():
            raise WikidataError(f"{where} answered {status} with an empty body to {query_name}; nothing was cached")
        try:
            results = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            results = None
        if not _is_select_results(results):
            start = body[:60].decode("utf-8", "replace").split("\n", 1)[0]
            raise WikidataError(
                f"{where} answered {status} with a body that is not SPARQL JSON results to {query_name} "
                f"({content_type or 'no content type'}: {start!r}); nothing was cached"
            )
        assert isinstance(results, dict)
        return results

    # --- the cache ---

    def _cache_path(self, query: str) -> Path:
        return self.cache_dir / f"{cache_key(self.endpoint, query)}.json"

    def _read_cache(self, query: str) -> tuple[dict[str, Any], datetime] | None:
        """A cached answer to exactly this query at this endpoint; None when there is none or it is unreadable."""
        path = self._cache_path(query)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if (entry.get("format") != CACHE_FORMAT or entry.get("endpoint") != self.endpoint
                    or entry.get("query") != query or not _is_select_results(entry.get("results"))):
                return None
            return entry["results"], datetime.fromisoformat(entry["retrieved"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # no entry, or a damaged one: ask again and overwrite it

    def _write_cache(self, query_name: str, query: str, results: dict[str, Any], retrieved: datetime) -> None:
        entry = {
            "format": CACHE_FORMAT,
            "endpoint": self.endpoint,
            "query_name": query_name,
            "retrieved": _iso(retrieved),
            "query": query,
            "results": results,
        }
        path = self._cache_path(query)
        try:
            write_atomically(path, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            raise WikidataError(f"cannot write the cache: {error.strerror or error}", str(path)) from error


def _is_select_results(results: object) -> bool:
    if not isinstance(results, dict):
        return False
    head, body = results.get("head"), results.get("results")
    if not (isinstance(head, dict) and isinstance(head.get("vars"), list)):
        return False
    if not (isinstance(body, dict) and isinstance(body.get("bindings"), list)):
        return False
    return all(
        isinstance(binding, dict)
        and all(isinstance(cell, dict) and isinstance(cell.get("value"), str) for cell in binding.values())
        for binding in body["bindings"]
    )


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file next to `path`, then rename it over `path`: readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- what the gazetteer asks for ---


def world_heritage_items(client: WikidataClient) -> list[WikidataItem]:
    """Every item with a World Heritage Site ID (P757) and their parts (P361 / P527), merged per QID."""
    rows = client.select(SITES_QUERY) + client.select(PARTS_QUERY)
    return items_from_rows(rows)


def items_named(client: WikidataClient, names: Sequence[str], language: str = "en") -> list[WikidataItem]:
    """Items whose rdfs:label or skos:altLabel is one of `names` in `language` (labels returned are English).

    Names are deduplicated and sorted (the same set gives the same requests, hence cache hits) and sent
    NAMES_PER_QUERY at a time.
    """
    unique = sorted({name for name in names if name.strip()})
    rows: list[dict[str, str]] = []
    for start in range(0, len(unique), NAMES_PER_QUERY):
        batch = [Literal(name, lang=language) for name in unique[start:start + NAMES_PER_QUERY]]
        rows.extend(client.select(NAMES_QUERY, {"name": batch}))
    return items_from_rows(rows)


# --- the local gazetteer cache ---


@dataclass(frozen=True)
class GazetteerHeader:
    endpoint: str
    retrieved: datetime
    items: int


def save_items(items: Iterable[WikidataItem], path: Path, *, endpoint: str, retrieved: datetime) -> None:
    """Write items as JSON, sorted by QID, with the endpoint and retrieval time in a header; atomically."""
    ordered = sorted(set(items), key=lambda item: qid_key(item.qid))
    document = {
        "header": {
            "format": GAZETTEER_FORMAT,
            "version": GAZETTEER_VERSION,
            "endpoint": endpoint,
            "retrieved": _iso(retrieved),
            "items": len(ordered),
        },
        "items": [
            {
                "qid": item.qid,
                "label": item.label,
                "aliases": sorted(item.aliases),
                "whs_id": item.whs_id,
                "country": sorted(item.country, key=qid_key),
                "located_in": sorted(item.located_in, key=qid_key),
                "part_of": sorted(item.part_of, key=qid_key),
                "coordinates": list(item.coordinates) if item.coordinates is not None else None,
            }
            for item in ordered
        ],
    }
    try:
        write_atomically(Path(path), json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        raise WikidataError(f"cannot write the gazetteer cache: {error.strerror or error}", str(path)) from error


def load_header(path: Path) -> GazetteerHeader:
    header = _read_gazetteer(path)[0]
    try:
        return GazetteerHeader(str(header["endpoint"]), datetime.fromisoformat(header["retrieved"]),
                               int(header["items"]))
    except (KeyError, TypeError, ValueError) as error:
        raise WikidataError(f"not a heritage-kg Wikidata gazetteer file: bad header ({error})", str(path)) from None


def load_items(path: Path) -> list[WikidataItem]:
    """The items saved by save_items, in QID order."""
    records = _read_gazetteer(path)[1]
    try:
        return [
            WikidataItem(
                qid=_checked_qid(record["qid"]),
                label=_checked_text(record["label"]),
                aliases=tuple(_text(alias) for alias in _list(record["aliases"])),
                whs_id=_checked_text(record["whs_id"]),
                country=tuple(_checked_qid(q) for q in _list(record["country"])),
                located_in=tuple(_checked_qid(q) for q in _list(record["located_in"])),
                part_of=tuple(_checked_qid(q) for q in _list(record["part_of"])),
                coordinates=(float(record["coordinates"][0]), float(record["coordinates"][1]))
                if record["coordinates"] is not None else None,
            )
            for record in records
        ]
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise WikidataError(f"not a heritage-kg Wikidata gazetteer file: bad item ({error})", str(path)) from None


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{value!r} is not a list")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    return value


def _checked_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _checked_qid(value: object) -> str:
    if not isinstance(value, str) or not _QID.fullmatch(value):
        raise ValueError(f"{value!r} is not a QID")
    return value


def _read_gazetteer(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WikidataError("no Wikidata gazetteer here; run `heritage-kg gazetteer update` first", str(path)) from None
    except OSError as error:
        raise WikidataError(f"cannot read the gazetteer cache: {error.strerror or error}", str(path)) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise WikidataError(f"not a heritage-kg Wikidata gazetteer file: {error}", str(path)) from None
    header = document.get("header") if isinstance(document, dict) else None
    records = document.get("items") if isinstance(document, dict) else None
    if not isinstance(header, dict) or header.get("format") != GAZETTEER_FORMAT or not isinstance(records, list):
        raise WikidataError("not a heritage-kg Wikidata gazetteer file", str(path))
    if header.get("version") != GAZETTEER_VERSION:
        raise WikidataError(
            f"gazetteer file version {header.get('version')!r}, this heritage-kg reads version {GAZETTEER_VERSION}; "
            "run `heritage-kg gazetteer update`",
            str(path),
        )
    return header, records
