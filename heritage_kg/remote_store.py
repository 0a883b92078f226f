"""The knowledge store on a SPARQL 1.1 server (`open_store(endpoint=...)`, `heritage-kg --endpoint URL`).

`SparqlStore` offers what the embedded store offers (`store.KnowledgeStore`), through SPARQLWrapper:

- Queries go to the query endpoint. Each is first parsed by pyoxigraph, as the embedded store parses it
  (same errors, same columns); parameters are bound by VALUES blocks of checked terms
  (`sparql_terms.bind_values`), never formatted into the text. The server must query the union of its
  named graphs as its default graph (`oxigraph serve --union-default-graph`); this is checked when the
  store opens and before the first write to a server that held nothing.
- `replace_graphs` is all or nothing: the quads go into fresh staging graphs (INSERT DATA requests of a
  few MB), then one SPARQL Update request, one transaction on the server, moves them onto their
  targets; if anything fails, the staging graphs are dropped and the targets never changed.
- `quads` and `dump` stream: the whole dataset as N-Quads from the Graph Store Protocol endpoint when
  the server offers it, else each graph in pages of a SELECT.

For `oxigraph serve` (and Fuseki), whose query endpoint ends in `/query`, the update and Graph Store
endpoints default to `/update` and `/store` beside it. Credentials come from the environment only.
"""

from __future__ import annotations

import ast
import base64
import codecs
import hashlib
import http.client
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

import pyoxigraph as ox
import rdflib
from SPARQLWrapper import ASK, BASIC, CONSTRUCT, DIGEST, INSERT, POST, POSTDIRECTLY, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from heritage_kg import __version__
from heritage_kg import store as store_module
from heritage_kg.errors import InputError, QueryError, QuerySyntaxError, StoreError, UnknownNameError
from heritage_kg.namespaces import PREFIXES
from heritage_kg.sparql_terms import (
    UnsafeValueError,
    bind_values,
    describe_connection_error,
    ntriples_term,
    serialise_terms,
)
from heritage_kg.store import (
    DUMP_FORMATS,
    STAGING_GRAPHS,
    TRIPLE_COUNT_QUERY,
    BindingValue,
    QueryResult,
    count_of,
    store_stats,
    term_text,
    to_oxigraph_term,
)

USER_ENV_VAR = "HERITAGE_KG_SPARQL_USER"
PASSWORD_ENV_VAR = "HERITAGE_KG_SPARQL_PASSWORD"
AUTH_ENV_VAR = "HERITAGE_KG_SPARQL_AUTH"  # basic (the default) or digest
USER_AGENT = f"heritage-kg/{__version__} (remote store)"

DEFAULT_TIMEOUT = 300.0  # seconds for one request
UPLOAD_BYTES = 4_000_000  # of N-Triples text per INSERT DATA request
PAGE_SIZE = 5_000  # rows per page when reading a graph by SELECT (Virtuoso answers at most 10,000 by default)
STALE_STAGING_SECONDS = 3_600  # staging graphs older than this were left by a writer that died

_HTTP_STATUS_OF = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414,
                   EndPointInternalError: 500}
_QUAD_MEDIA_TYPES = {"application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}
_GRAPH_MEDIA_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS_MEDIA_TYPE = "application/sparql-results+json"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    scheme: str = "basic"  # or "digest"


def credentials_from_environment() -> Credentials | None:
    """$HERITAGE_KG_SPARQL_USER and $HERITAGE_KG_SPARQL_PASSWORD (never the command line, where other
    users of the machine could read them), and $HERITAGE_KG_SPARQL_AUTH: basic (default) or digest."""
    user, password = os.environ.get(USER_ENV_VAR), os.environ.get(PASSWORD_ENV_VAR)
    scheme = (os.environ.get(AUTH_ENV_VAR) or "basic").strip().lower()
    if scheme not in ("basic", "digest"):
        raise InputError(f"${AUTH_ENV_VAR} must be basic or digest, not {scheme!r}")
    if not user and not password:
        return None
    if not user or not password:
        given, missing = (USER_ENV_VAR, PASSWORD_ENV_VAR) if user else (PASSWORD_ENV_VAR, USER_ENV_VAR)
        raise InputError(f"${given} is set but ${missing} is not; set both to send credentials")
    return Credentials(user, password, scheme)


def derived_endpoint(query_endpoint: str, name: str) -> str | None:
    """`oxigraph serve` answers queries at …/query, updates at …/update and the Graph Store Protocol at
    …/store; Fuseki likewise at /<dataset>/query and /<dataset>/update. None for other layouts."""
    parts = urllib.parse.urlsplit(query_endpoint)
    head, slash, last = parts.path.rpartition("/")
    if not slash or last != "query":
        return None
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/{name}"))


def _checked_url(url: str, option: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"the SPARQL endpoint must be an http:// or https:// address, not {url!r}", where=option)
    return url


class SparqlStore(store_module.ClosingStore):
    """The knowledge graph on a SPARQL 1.1 server; see the module's description."""

    def __init__(self, endpoint: str, update_endpoint: str | None = None, store_endpoint: str | None = None, *,
                 credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.endpoint = _checked_url(endpoint, "--endpoint")
        given_update = update_endpoint and _checked_url(update_endpoint, "--update-endpoint")
        given_store = store_endpoint and _checked_url(store_endpoint, "--store-endpoint")
        self.update_endpoint = given_update or derived_endpoint(endpoint, "update")
        self.store_endpoint = given_store or derived_endpoint(endpoint, "store")
        self.credentials = credentials
        self.timeout = timeout
        self._closed = False
        self._union_checked = False
        self._staging_swept = False
        self._check_union_default_graph()  # also shows at once whether the server can be reached

    def __repr__(self) -> str:
        return f"SparqlStore({self.endpoint!r})"

    def close(self) -> None:
        """Nothing is held open between requests; a closed store refuses further use, as the embedded one does."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed", where=self.endpoint)

    # --- writing ---

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]],
                       additions: Iterable[ox.Quad] = ()) -> None:
        """Replace each named graph with the given quads, all or nothing; `additions` are quads added
        (not replacing anything) in the same write, such as shared descriptions of known entities.

        Every quad goes first into a staging graph of this write (…/graph/staging/<time>-<id>/<n>); one
        SPARQL Update request then moves each staging graph onto its target (or drops a target given
        no quads) and adds the staged additions to their graphs. If anything fails, the staging graphs
        are dropped and the targets are as they were. A quad may name its target graph or the default
        graph; any other graph is an error.
        """
        targets = {iri: store_module._graph_node(iri) for iri in graphs}
        if not targets:
            additions = list(additions)
            if not additions:
                return
        self._check_open()
        self.require_update_endpoint()
        self._sweep_stale_staging_graphs()
        run = f"{STAGING_GRAPHS}{int(time.time())}-{uuid.uuid4().hex}/"
        staging = {iri: ox.NamedNode(f"{run}{n}") for n, iri in enumerate(graphs)}
        added: dict[ox.NamedNode | ox.DefaultGraph, ox.NamedNode] = {}  # target graph of additions -> staging
        filled: set[str] = set()
        upload = _Upload(self._update)
        try:
            for iri, quads in graphs.items():
                for quad in quads:
                    upload.add(store_module._restage(quad, targets[iri], staging[iri]))
                    filled.add(iri)
            for quad in additions:
                if not isinstance(quad, ox.Quad):
                    raise StoreError(f"not a pyoxigraph Quad: {quad!r}")
                if isinstance(quad.graph_name, ox.BlankNode):
                    raise StoreError(f"quad {quad} names its graph by a blank node")
                destination = added.setdefault(quad.graph_name, ox.NamedNode(f"{run}added/{len(added)}"))
                upload.add(ox.Quad(quad.subject, quad.predicate, quad.object, destination))
            upload.finish()
            if not self._union_checked and upload.probe is not None:
                self._check_union_default_graph(upload.probe)
            operations = [store_module._replacement_update(targets, staging, filled)] if targets else []
            for graph, staged in added.items():
                target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
                operations.append(f"ADD GRAPH {staged} TO {target} ;\nDROP GRAPH {staged}")
            self._update(" ;\n".join(operations))
        except BaseException:
            # Cleanup must not hide the failure; what it leaves is swept by a later write.
            self._drop_graphs_quietly([*staging.values(), *added.values()])
            raise

    def require_update_endpoint(self) -> str:
        if self.update_endpoint is None:
            raise StoreError("no update endpoint to write to: give --update-endpoint URL "
                             "(or set $HERITAGE_KG_UPDATE_ENDPOINT)", where=self.endpoint)
        return self.update_endpoint

    def _drop_graphs_quietly(self, names: Iterable[ox.NamedNode]) -> None:
        drops = [f"DROP SILENT GRAPH {name}" for name in names]
        if drops:
            try:
                self._update(" ;\n".join(drops))
            except StoreError:
                pass

    def _sweep_stale_staging_graphs(self) -> None:
        """Drop staging graphs that a writer which died left behind (once per store, before its first write).
        Another writer's staging graphs are left alone while they may still be in use."""
        if self._staging_swept:
            return
        now = time.time()
        stale = [ox.NamedNode(name) for name in self._all_graph_names()
                 if store_module._is_staging(name) and now - _staging_time(name) > STALE_STAGING_SECONDS]
        if stale:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {name}" for name in stale))
        self._staging_swept = True

    # --- reading ---

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; `bindings` bind variables by name, as the
        embedded store's substitutions do (only variables that the SELECT clause projects)."""
        self._check_open()
        try:
            substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
                ox.Variable(name): to_oxigraph_term(value) for name, value in (bindings or {}).items()
            }
        except ValueError as error:
            raise QueryError(f"bad parameter name: {store_module._one_line(error)}") from error
        form, variables = _query_form(sparql, substitutions)
        text = self._bound(sparql, substitutions) if substitutions else sparql
        if form == SELECT:
            return _select_result(self._query_json(text, form), variables, self.endpoint)
        if form == ASK:
            value = _ask_result(self._query_json(text, form), self.endpoint)
            return QueryResult(["result"], [("true" if value else "false",)], boolean=value)
        triples = self._query_triples(text)
        rows: list[tuple[str | None, ...]] = [
            (term_text(t.subject), term_text(t.predicate), term_text(t.object)) for t in triples
        ]
        return QueryResult(["subject", "predicate", "object"], rows, triples=triples)

    def _bound(self, sparql: str, substitutions: Mapping[ox.Variable, Any]) -> str:
        values = {}
        for variable, term in substitutions.items():
            if isinstance(term, ox.BlankNode):
                raise QueryError(f"?{variable.value}: a blank node cannot be sent to a SPARQL server as a value")
            values[variable.value] = _to_rdflib(term)
        try:
            text = bind_values(sparql, values)
        except UnsafeValueError as error:
            raise QueryError(f"cannot bind the parameters for the SPARQL server: {error}") from error
        try:  # the VALUES blocks must leave a query that parses, as the one given did
            ox.Store().query(text, use_default_graph_as_union=True)
        except SyntaxError as error:
            names = ", ".join(f"?{variable.value}" for variable in substitutions)
            raise QueryError(f"cannot bind {names} for the SPARQL server: the query assigns it itself "
                             f"({store_module._first_words(store_module._one_line(error))})") from error
        return text

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the dataset (staging graphs left out), streamed."""
        self._check_open()
        response = self._dataset_response()
        if response is None:
            return self._paged_quads()
        return self._streamed_quads(response)

    def _streamed_quads(self, response: http.client.HTTPResponse) -> Iterator[ox.Quad]:
        rdf_format = _QUAD_MEDIA_TYPES[_media_type(response)]
        try:
            for quad in ox.parse(cast(BinaryIO, response), format=rdf_format):
                if not (isinstance(quad.graph_name, ox.NamedNode) and store_module._is_staging(quad.graph_name.value)):
                    yield quad
        except (OSError, http.client.HTTPException) as error:
            raise StoreError(f"the dataset could not be read to the end: {self._describe(error)}",
                             where=self.store_endpoint) from error
        except SyntaxError as error:
            raise StoreError(f"the server sent a dataset that does not parse: {store_module._one_line(error)}",
                             where=self.store_endpoint) from error
        finally:
            response.close()

    def _paged_quads(self) -> Iterator[ox.Quad]:
        """Each named graph in pages of a SELECT, in a fixed order (a server may cap the rows of one answer)."""
        for name in self.graph_names():
            graph = ox.NamedNode(name)
            offset = 0
            while True:
                page = self._query_json(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} "
                                        f"ORDER BY ?s ?p ?o LIMIT {PAGE_SIZE} OFFSET {offset}", SELECT)
                bindings = _bindings(page, self.endpoint)
                for row in bindings:
                    yield ox.Quad(cast(Any, _json_term(row["s"])), cast(ox.NamedNode, _json_term(row["p"])),
                                  cast(Any, _json_term(row["o"])), graph)
                if len(bindings) < PAGE_SIZE:
                    break
                offset += PAGE_SIZE

    def dump(self, destination: str | Path | BinaryIO | TextIO, format: str = "nquads") -> None:
        """Write the whole dataset (graphs kept) as N-Quads or TriG to a path or a stream, as it arrives."""
        try:
            rdf_format = DUMP_FORMATS[format]
        except KeyError:
            known = ", ".join(sorted(DUMP_FORMATS))
            raise UnknownNameError(f"unknown dump format {format!r}; known formats: {known}") from None
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.TRIG else None
        quads = self.quads()
        if isinstance(destination, io.TextIOBase):
            sink = _TextSink(cast(TextIO, destination))
            ox.serialize(quads, cast(BinaryIO, sink), rdf_format, prefixes=prefixes)
            sink.finish()
        elif isinstance(destination, str | Path):
            with open(destination, "wb") as stream:
                ox.serialize(quads, stream, rdf_format, prefixes=prefixes)
        else:
            ox.serialize(quads, cast(BinaryIO, destination), rdf_format, prefixes=prefixes)

    def quad_count(self) -> int:
        """Quads in the named graphs (staging graphs left out)."""
        staging = ox.Literal(STAGING_GRAPHS)
        return count_of(self, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                              f"FILTER(!STRSTARTS(STR(?g), {staging})) }}")

    def triple_count(self) -> int:
        """Distinct triples in the union of all graphs (an entity described by two articles counts once)."""
        return count_of(self, TRIPLE_COUNT_QUERY)

    def graph_names(self) -> list[str]:
        return sorted(name for name in self._all_graph_names() if not store_module._is_staging(name))

    def _all_graph_names(self) -> list[str]:
        answer = self._query_json("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", SELECT)
        return [row["g"]["value"] for row in _bindings(answer, self.endpoint)
                if "g" in row and row["g"].get("type") == "uri"]

    def stats(self) -> dict[str, int]:
        return store_stats(self)

    # --- the server's setup ---

    def _check_union_default_graph(self, probe: ox.Triple | None = None) -> None:
        """The canned queries read the union of all graphs as the default graph: a triple of a named
        graph must be visible without GRAPH. Checked on a triple the server holds, or on one just staged."""
        if probe is None:
            found = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && isIRI(?o)) } "
                               "LIMIT 1").triples
            if not found:
                return  # nothing to look for yet: checked at the first write
            probe = found[0]
        visible = self.query("ASK { ?s ?p ?o }", {"s": cast(BindingValue, probe.subject),
                                                  "p": probe.predicate, "o": cast(BindingValue, probe.object)})
        if not visible.boolean:
            raise StoreError("the server does not query the union of its named graphs as its default graph, so "
                             "queries would see none of the articles; start it with `oxigraph serve "
                             "--union-default-graph` (see the README, Remote stores)", where=self.endpoint)
        self._union_checked = True

    # --- HTTP ---

    def _wrapper(self, update: bool = False) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint if update else None,
                                agent=USER_AGENT)
        wrapper.setMethod(POST)  # queries can be long; POST has no URL length limit
        wrapper.setOnlyConneg(True)  # the Accept header only; no format=/output= parameters
        if self.credentials is not None:
            wrapper.setCredentials(self.credentials.user, self.credentials.password)
            wrapper.setHTTPAuth(DIGEST if self.credentials.scheme == "digest" else BASIC)
        # setTimeout() truncates to whole seconds (0.5 becomes 0, which means no timeout at all).
        wrapper.timeout = self.timeout  # type: ignore[assignment]
        return wrapper

    def _query_response(self, text: str, form: str, accept: str) -> http.client.HTTPResponse:
        wrapper = self._wrapper()
        # Set directly: setQuery() guesses the form from the text, and guesses wrong after some comments.
        wrapper.queryString = text
        wrapper.queryType = form
        wrapper.addCustomHttpHeader("Accept", accept)
        return self._send(lambda: wrapper.query().response, self.endpoint, "query")

    def _query_json(self, text: str, form: str) -> dict[str, Any]:
        response = self._query_response(text, form, _RESULTS_MEDIA_TYPE)
        body = self._read(response, self.endpoint)
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            answer = None
        if not isinstance(answer, dict):
            start = body[:60].decode("utf-8", "replace").split("\n", 1)[0]
            raise QueryError(f"the SPARQL server {self.endpoint} did not answer with SPARQL JSON results "
                             f"({_media_type(response) or 'no content type'}: {start!r})")
        return answer

    def _query_triples(self, text: str) -> list[ox.Triple]:
        response = self._query_response(text, CONSTRUCT, _GRAPH_MEDIA_TYPES)
        body = self._read(response, self.endpoint)
        rdf_format = ox.RdfFormat.from_media_type(_media_type(response) or "application/n-triples")
        if rdf_format is None:
            raise QueryError(f"the SPARQL server {self.endpoint} answered a CONSTRUCT query with "
                             f"{_media_type(response)!r}, not RDF")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf_format)]
        except SyntaxError as error:
            raise QueryError(f"the SPARQL server {self.endpoint} answered with RDF that does not parse: "
                             f"{store_module._one_line(error)}") from error

    def _update(self, text: str) -> None:
        url = self.require_update_endpoint()
        wrapper = self._wrapper(update=True)
        wrapper.queryString = text
        wrapper.queryType = INSERT  # any update form: SPARQLWrapper sends it to the update endpoint
        wrapper.setRequestMethod(POSTDIRECTLY)  # the body is the update itself, not form-encoded
        response = self._send(lambda: wrapper.query().response, url, "update")
        self._read(response, url)

    def _dataset_response(self) -> http.client.HTTPResponse | None:
        """The whole dataset from the Graph Store Protocol endpoint, as N-Quads or TriG; None when the
        server offers no such thing there (then graphs are read by SELECT)."""
        if self.store_endpoint is None:
            return None
        request = urllib.request.Request(self.store_endpoint, headers={
            "Accept": "application/n-quads, application/trig;q=0.9", "User-Agent": USER_AGENT})
        handlers: list[urllib.request.BaseHandler] = []
        if self.credentials is not None and self.credentials.scheme == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.store_endpoint, self.credentials.user, self.credentials.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        elif self.credentials is not None:
            token = base64.b64encode(f"{self.credentials.user}:{self.credentials.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        opener = urllib.request.build_opener(*handlers)
        try:
            response = opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
            if status in (401, 403):
                raise self._http_error(status, b"", self.store_endpoint, "read") from None
            return None  # no dataset here (404, 405, 406 ...): read graph by graph
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise StoreError(f"cannot reach the SPARQL server: {self._describe(error)}",
                             where=self.store_endpoint) from None
        if _media_type(response) not in _QUAD_MEDIA_TYPES:
            response.close()  # a default graph, an HTML page ...: not the dataset
            return None
        return cast(http.client.HTTPResponse, response)

    def _send(self, send: Callable[[], Any], url: str, action: str) -> http.client.HTTPResponse:
        try:
            return cast(http.client.HTTPResponse, send())
        except urllib.error.HTTPError as error:  # SPARQLWrapper passes on the statuses it has no class for
            status, body = error.code, error.read()
            error.close()
        except SPARQLWrapperException as error:
            status = next((code for kind, code in _HTTP_STATUS_OF.items() if isinstance(error, kind)), 500)
            body = _response_body(error)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise StoreError(f"cannot reach the SPARQL server: {self._describe(error)}", where=url) from None
        raise self._http_error(status, body, url, action) from None

    def _read(self, response: http.client.HTTPResponse, url: str) -> bytes:
        try:
            return response.read()
        except (OSError, http.client.HTTPException) as error:
            raise StoreError(f"the SPARQL server's answer was cut short: {self._describe(error)}", where=url) from None
        finally:
            response.close()

    def _http_error(self, status: int, body: bytes, url: str, action: str) -> StoreError | QueryError:
        """One line for an HTTP error: a query's own failure is a QueryError, anything else a StoreError."""
        reason = http.client.responses.get(status, "error")
        said = store_module._first_words(" ".join(body.decode("utf-8", "replace").split()))
        detail = f": {said}" if said else ""
        if status in (401, 403):
            hint = (f"set ${USER_ENV_VAR} and ${PASSWORD_ENV_VAR}" if self.credentials is None
                    else "check the credentials in the environment")
            return StoreError(f"the SPARQL server refused access (HTTP {status} {reason}); {hint}", where=url)
        if status == 404:
            return StoreError(f"no SPARQL {action} service at this address (HTTP 404 Not Found)", where=url)
        if action == "query" and status == 400:
            return QueryError(f"the SPARQL server {url} rejected the query (HTTP 400){detail}")
        if action == "query" and status >= 500:
            return QueryError(f"the SPARQL server {url} failed on the query (HTTP {status} {reason}){detail}")
        return StoreError(f"the SPARQL server answered HTTP {status} ({reason}) to the {action}{detail}", where=url)

    def _describe(self, error: BaseException) -> str:
        """Why a connection failed, in a few words."""
        described = describe_connection_error(error, self.endpoint, self.timeout)
        return f"{described} (is the server running? check --endpoint)" if described == "connection refused" \
            else described


# --- writing in chunks ---


class _Upload:
    """Staged quads as INSERT DATA requests of at most UPLOAD_BYTES each.

    A blank node label names one node within one request only, so quads with blank nodes are kept back
    and sent together in the last request. Each request is first run on an empty in-memory pyoxigraph
    store and must give exactly its quads: the text says what was meant and nothing else.
    """

    def __init__(self, send: Callable[[str], None]) -> None:
        self._send = send
        self._quads: list[ox.Quad] = []
        self._size = 0
        self._with_blank_nodes: list[ox.Quad] = []
        self._probes: list[ox.Triple] = []  # staged triples without blank nodes, to check the server's setup

    def add(self, quad: ox.Quad) -> None:
        if _has_blank_node(quad):
            self._with_blank_nodes.append(quad)
            return
        if len(self._probes) < 10 or (isinstance(quad.object, ox.NamedNode)
                                      and not isinstance(self._probes[0].object, ox.NamedNode)):
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if isinstance(quad.object, ox.NamedNode):  # IRIs first: the plainest thing to look for
                self._probes.insert(0, triple)
            elif isinstance(quad.object, ox.Literal):
                self._probes.append(triple)
        self._quads.append(quad)
        self._size += len(str(quad))
        if self._size >= UPLOAD_BYTES:
            self._flush(self._quads)
            self._quads, self._size = [], 0

    @property
    def probe(self) -> ox.Triple | None:
        """A staged triple that can be looked for with a bound query (a literal that survives serialisation)."""
        for triple in self._probes:
            try:
                serialise_terms([_to_rdflib(cast(ox.NamedNode | ox.Literal, triple.object))], ntriples_term)
            except UnsafeValueError:
                continue
            return triple
        return None

    def finish(self) -> None:
        self._flush(self._quads)
        self._flush(self._with_blank_nodes)
        self._quads, self._size, self._with_blank_nodes = [], 0, []

    def _flush(self, quads: list[ox.Quad]) -> None:
        if not quads:
            return
        by_graph: dict[str, list[str]] = defaultdict(list)
        for quad in quads:  # pyoxigraph writes each term in N-Triples form, which SPARQL reads alike
            by_graph[str(quad.graph_name)].append(f"{quad.subject} {quad.predicate} {quad.object} .")
        text = "INSERT DATA {\n" + "".join(
            f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}\n" for graph, lines in by_graph.items()) + "}"
        check = ox.Store()
        check.update(text)
        expected = set(quads)
        if len(check) != len(expected) or (quads is not self._with_blank_nodes and set(check) != expected):
            raise StoreError("the quads do not survive serialisation into SPARQL; nothing was written")
        self._send(text)


def _response_body(error: SPARQLWrapperException) -> bytes:
    """The server's answer, which SPARQLWrapper keeps only inside its message, as the repr of the bytes."""
    _, found, shown = str(error).partition("\n\nResponse:\n")
    try:
        body = ast.literal_eval(shown) if found else b""
    except (ValueError, SyntaxError):
        return b""
    return body if isinstance(body, bytes) else b""


def _has_blank_node(quad: ox.Quad) -> bool:
    def blank(term: object) -> bool:
        if isinstance(term, ox.Triple):
            return blank(term.subject) or blank(term.object)
        return isinstance(term, ox.BlankNode)

    return blank(quad.subject) or blank(quad.object)


def _staging_time(name: str) -> float:
    """When a staging graph's write began (…/staging/<unix time>-<id>/<n>); 0 when the name does not say."""
    stamp = name[len(STAGING_GRAPHS):].split("-", 1)[0]
    return float(stamp) if stamp.isdigit() else 0.0


# --- reading answers ---


def _query_form(sparql: str, substitutions: Mapping[ox.Variable, Any]) -> tuple[str, list[str]]:
    """Parse the query as the embedded store does (same errors); return its form and its columns.

    The query runs on an empty in-memory store, which also checks the bindings as the embedded store
    does (only projected variables); a SELECT is not evaluated until its rows are read, and none are.
    """
    try:
        answer = ox.Store().query(sparql, use_default_graph_as_union=True, substitutions=dict(substitutions) or None)
    except SyntaxError as error:
        raise QuerySyntaxError(f"invalid SPARQL: {store_module._first_words(store_module._one_line(error))}") from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(store_module._one_line(error)) from error
    if isinstance(answer, ox.QueryBoolean):
        return ASK, ["result"]
    if isinstance(answer, ox.QueryTriples):
        return CONSTRUCT, ["subject", "predicate", "object"]
    return SELECT, [variable.value for variable in answer.variables]


def _bindings(answer: Mapping[str, Any], endpoint: str) -> list[dict[str, Any]]:
    results = answer.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list) or not all(isinstance(row, dict) for row in bindings):
        raise QueryError(f"the SPARQL server {endpoint} answered a SELECT query without result rows")
    return bindings


def _select_result(answer: Mapping[str, Any], variables: list[str], endpoint: str) -> QueryResult:
    rows: list[tuple[str | None, ...]] = [
        tuple(term_text(_json_term(row[name])) if name in row else None for name in variables)
        for row in _bindings(answer, endpoint)
    ]
    return QueryResult(variables, rows)


def _ask_result(answer: Mapping[str, Any], endpoint: str) -> bool:
    value = answer.get("boolean")
    if not isinstance(value, bool):
        raise QueryError(f"the SPARQL server {endpoint} answered an ASK query without a boolean")
    return value


def _json_term(cell: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """A term of SPARQL JSON results (RDF-star triples included)."""
    kind, value = cell.get("type"), cell.get("value")
    try:
        if kind == "triple" and isinstance(value, dict):
            subject, predicate = _json_term(value["subject"]), _json_term(value["predicate"])
            return ox.Triple(cast(Any, subject), cast(ox.NamedNode, predicate), _json_term(value["object"]))
        if not isinstance(value, str):
            raise TypeError("no value")
        if kind == "uri":
            return ox.NamedNode(value)
        if kind == "bnode":  # Virtuoso's labels (nodeID://b1) are not valid labels here: keep them apart
            return ox.BlankNode(value if value.isalnum() else hashlib.sha256(value.encode()).hexdigest()[:32])
        if kind in ("literal", "typed-literal"):
            if cell.get("xml:lang"):
                return ox.Literal(value, language=cell["xml:lang"])
            if cell.get("datatype"):
                return ox.Literal(value, datatype=ox.NamedNode(cell["datatype"]))
            return ox.Literal(value)
    except (ValueError, TypeError, KeyError) as error:
        raise QueryError(f"the SPARQL server sent a term that is not RDF: {cell!r} ({error})") from None
    raise QueryError(f"the SPARQL server sent a term of unknown type: {cell!r}")


def _media_type(response: Any) -> str:
    return str(response.headers.get("Content-Type", "")).split(";", 1)[0].strip().lower()


def _to_rdflib(term: ox.NamedNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(rdflib.XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise QueryError(f"{term}: an RDF-star triple cannot be sent to a SPARQL server as a value")


class _TextSink:
    """A binary stream over a text stream, for pyoxigraph's serialiser (UTF-8 split anywhere)."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self._text.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        pass  # a character split between two writes is written with the second

    def finish(self) -> None:
        self._text.write(self._decoder.decode(b"", final=True))
