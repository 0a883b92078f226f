"""Where the knowledge graph lives: stores chosen by name, each holding one named graph per article.

`open_store()` picks a store from `STORES`: the embedded `oxigraph` store in a directory (the default),
or `sparql`, a SPARQL 1.1 server (`heritage_kg.remote_store`) when an endpoint is given. Every store
offers the same small API: `replace_graphs` (atomic), `query` (over the union of all graphs, parameters
bound, never formatted into the text), `quads`, `dump`, counts and `stats`.
"""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol, Self, TextIO, cast

import pyoxigraph as ox
import rdflib

from heritage_kg.errors import InputError, QueryError, QuerySyntaxError, StoreError, UnknownNameError
from heritage_kg.namespaces import GRAPH, HKG, PREFIXES

STORE_ENV_VAR = "HERITAGE_KG_STORE"
DEFAULT_STORE_DIRNAME = ".heritage-kg"

# Quads are written here first, then moved onto their target graphs in one update.
STAGING_GRAPHS = str(GRAPH["staging/"])

# A term a caller may bind to a query variable.
BindingValue = ox.NamedNode | ox.BlankNode | ox.Literal | rdflib.term.Identifier | str

DUMP_FORMATS: dict[str, ox.RdfFormat] = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


@dataclass
class QueryResult:
    """A query's answer as plain strings: literal lexical forms, IRIs, None where unbound.

    SELECT fills `variables` and `rows`; ASK also sets `boolean` (one row, column `result`);
    CONSTRUCT/DESCRIBE also keep the `triples` (rows are subject, predicate, object).
    """

    variables: list[str]
    rows: list[tuple[str | None, ...]]
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


class KnowledgeStore(Protocol):
    """What the CLI, the ingest pipeline, queries and exports need from a store."""

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], additions: Iterable[ox.Quad] = ()) -> None: ...

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult: ...

    def quads(self) -> Iterator[ox.Quad]: ...

    def dump(self, destination: str | Path | BinaryIO | TextIO, format: str = "nquads") -> None: ...

    def triple_count(self) -> int: ...

    def quad_count(self) -> int: ...

    def graph_names(self) -> list[str]: ...

    def stats(self) -> dict[str, int]: ...

    def close(self) -> None: ...

    def __enter__(self) -> KnowledgeStore: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...


def default_store_location() -> Path:
    """$HERITAGE_KG_STORE, else `.heritage-kg` in the current directory."""
    configured = os.environ.get(STORE_ENV_VAR)
    return Path(configured) if configured else Path.cwd() / DEFAULT_STORE_DIRNAME


@dataclass(frozen=True)
class StoreConfig:
    """Where a store is: a directory (embedded) or the endpoints of a SPARQL server (remote)."""

    location: str | Path | None = None
    create: bool = True  # False when reading: an embedded store that does not exist yet is an error
    endpoint: str | None = None  # SPARQL query endpoint
    update_endpoint: str | None = None  # SPARQL Update endpoint; derived from `endpoint` for oxigraph serve
    store_endpoint: str | None = None  # Graph Store Protocol endpoint; likewise


def open_store(location: str | Path | None = None, kind: str | None = None, create: bool = True, *,
               endpoint: str | None = None, update_endpoint: str | None = None,
               store_endpoint: str | None = None) -> KnowledgeStore:
    """Open a store: the embedded store at `location` (see `default_store_location`), or with `endpoint`
    a SPARQL 1.1 server (kind `sparql`; credentials from $HERITAGE_KG_SPARQL_USER and
    $HERITAGE_KG_SPARQL_PASSWORD). With `create=False` (reading), an embedded store that does not exist
    yet is an error, not a new empty store."""
    kind = kind or ("sparql" if endpoint else "oxigraph")
    try:
        opener = STORES[kind]
    except KeyError:
        known = ", ".join(sorted(STORES))
        raise UnknownNameError(f"unknown store kind {kind!r}; known kinds: {known}") from None
    if endpoint and location is not None:
        raise InputError("give a store directory or a SPARQL endpoint, not both")
    return opener(StoreConfig(location, create, endpoint, update_endpoint, store_endpoint))


def _open_oxigraph(config: StoreConfig) -> KnowledgeStore:
    if config.endpoint:
        raise InputError("the oxigraph store is a directory; a SPARQL endpoint is the sparql store")
    directory = Path(config.location) if config.location is not None else default_store_location()
    if not config.create and not directory.exists():
        raise StoreError("no store here yet; ingest articles into it first (heritage-kg ingest PATH --store DIR)",
                         where=str(directory))
    return OxigraphStore(directory)


def _open_sparql(config: StoreConfig) -> KnowledgeStore:
    from heritage_kg.remote_store import SparqlStore, credentials_from_environment

    if not config.endpoint:
        raise InputError("the sparql store needs the address of a SPARQL endpoint (--endpoint URL)")
    if config.location is not None:
        raise InputError("give a store directory or a SPARQL endpoint, not both")
    store = SparqlStore(config.endpoint, config.update_endpoint, config.store_endpoint,
                        credentials=credentials_from_environment())
    if config.create:  # opened to write: say now, not after the work, that there is nowhere to write
        store.require_update_endpoint()
    return store


def to_oxigraph_term(value: BindingValue) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term (or a plain string, taken as a string literal) to a pyoxigraph term, keeping
    its lexical form, language and datatype: for query bindings and for the quads the pipeline writes."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, str):
        return ox.Literal(value)
    raise QueryError(f"cannot bind {value!r}: not an RDF term or a string")


def term_text(term: object) -> str | None:
    """A result cell as text: a literal's lexical form, an IRI, `_:id` for a blank node."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _first_words(message: str, limit: int = 160) -> str:
    """Oxigraph lists every token it expected; the place of the error is what a reader needs."""
    return message if len(message) <= limit else message[:limit].rsplit(" ", 1)[0] + " …"


class ClosingStore:
    """`with store:` closes the store on the way out, whatever happened; each store defines close()."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError


class OxigraphStore(ClosingStore):
    """A persistent pyoxigraph (RocksDB) store in a directory; one process may open it at a time."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        _refuse_foreign_directory(self.directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._store: ox.Store | None = ox.Store(str(self.directory))
        except OSError as error:
            raise StoreError(_describe_open_error(error), where=str(self.directory)) from error
        self._drop_staging_graphs()

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.directory)!r})"

    def close(self) -> None:
        """Flush and release the directory lock (the lock goes with the last reference to the store)."""
        if self._store is not None:
            self._store.flush()
            self._store = None

    @property
    def _open(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed", where=str(self.directory))
        return self._store

    # --- writing ---

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]],
                       additions: Iterable[ox.Quad] = ()) -> None:
        """Replace each named graph with the given quads, all or nothing; `additions` are quads added
        (not replacing anything) in the same write, such as shared descriptions of known entities.

        Graphs the store does not hold yet are written directly; graphs it holds are written into
        fresh staging graphs and then moved onto their targets by one SPARQL update. Both steps are
        transactions; if the second fails, the first is undone, so the store keeps what it had.
        A quad may name its target graph or the default graph; any other graph is an error.
        """
        targets = {iri: _graph_node(iri) for iri in graphs}
        if not targets:
            additions = list(additions)
            if not additions:
                return
        store = self._open
        existing = {iri for iri, node in targets.items() if store.contains_named_graph(node)}
        run = uuid.uuid4().hex
        staging = {iri: ox.NamedNode(f"{STAGING_GRAPHS}{run}/{n}") for n, iri in enumerate(graphs)
                   if iri in existing}
        filled: set[str] = set()

        def staged_quads() -> Iterator[ox.Quad]:
            for iri, quads in graphs.items():
                destination = staging.get(iri, targets[iri])
                for quad in quads:
                    yield _restage(quad, targets[iri], destination)
                    filled.add(iri)
            yield from additions

        created = [node for iri, node in targets.items() if iri not in existing]
        try:
            store.extend(staged_quads())
            replaced = {iri: targets[iri] for iri in existing}
            if replaced:
                store.update(_replacement_update(replaced, staging, filled))
        except OSError as error:
            self._drop_graphs_quietly([*staging.values(), *created])
            raise StoreError(f"could not write the graphs: {_one_line(error)}", where=str(self.directory)) from error
        except BaseException:
            self._drop_graphs_quietly([*staging.values(), *created])
            raise
        # Written (committed) now. RocksDB keeps writes in a buffer per index (11 of up to 128 MB each) until
        # they are flushed: without this, an ingest of 10,000 articles grows to 2.4 GB; with it, memory stays
        # flat (bench/bulk_ingest.py).
        try:
            store.flush()
        except OSError as error:
            raise StoreError(f"could not flush the writes to disk: {_one_line(error)}",
                             where=str(self.directory)) from error

    def _drop_graphs(self, names: Iterable[ox.NamedNode]) -> None:
        store = self._open
        for name in names:
            if store.contains_named_graph(name):
                store.remove_graph(name)

    def _drop_graphs_quietly(self, names: Iterable[ox.NamedNode]) -> None:
        # Cleanup after a failure must not hide the failure; leftovers are dropped at the next open.
        with contextlib.suppress(OSError):
            self._drop_graphs(names)

    def _drop_staging_graphs(self) -> None:
        """Remove staging graphs a crashed process left behind."""
        stale = [g for g in self._open.named_graphs() if isinstance(g, ox.NamedNode) and _is_staging(g.value)]
        self._drop_graphs(stale)

    # --- reading ---

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; `bindings` substitute variables by name.

        Oxigraph only substitutes variables that the SELECT clause projects.
        """
        try:
            substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
                ox.Variable(name): to_oxigraph_term(value) for name, value in (bindings or {}).items()
            }
        except ValueError as error:
            raise QueryError(f"bad parameter name: {_one_line(error)}") from error
        try:
            answer = self._open.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
            return _query_result(answer)
        except SyntaxError as error:
            raise QuerySyntaxError(f"invalid SPARQL: {_first_words(_one_line(error))}") from error
        except (OSError, RuntimeError, ValueError) as error:
            raise QueryError(_one_line(error)) from error

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._open.quads_for_pattern(None, None, None, None))

    def dump(self, destination: str | Path | BinaryIO | TextIO, format: str = "nquads") -> None:
        """Write the whole dataset (graphs kept) as N-Quads or TriG to a path or a stream."""
        try:
            rdf_format = DUMP_FORMATS[format]
        except KeyError:
            known = ", ".join(sorted(DUMP_FORMATS))
            raise UnknownNameError(f"unknown dump format {format!r}; known formats: {known}") from None
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.TRIG else None
        store = self._open
        if isinstance(destination, io.TextIOBase):
            serialized = store.dump(format=rdf_format, prefixes=prefixes) or b""
            destination.write(serialized.decode("utf-8"))
        elif isinstance(destination, str | Path):
            store.dump(str(destination), rdf_format, prefixes=prefixes)
        else:
            store.dump(cast(BinaryIO, destination), rdf_format, prefixes=prefixes)

    def quad_count(self) -> int:
        return len(self._open)

    def triple_count(self) -> int:
        """Distinct triples in the union of all graphs (an entity described by two articles counts once)."""
        return count_of(self, TRIPLE_COUNT_QUERY)

    def graph_names(self) -> list[str]:
        names = (g.value for g in self._open.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(name for name in names if not _is_staging(name))

    def stats(self) -> dict[str, int]:
        return store_stats(self)


def store_stats(store: KnowledgeStore) -> dict[str, int]:
    """Counts for `heritage-kg stats`: storage first, then the things the articles describe."""
    counts = {
        "graphs": len(store.graph_names()),
        "quads": store.quad_count(),
        "triples": store.triple_count(),
    }
    per_class = {cls: int(n or 0) for cls, n in store.query(_CLASS_COUNT_QUERY).rows if cls is not None}
    counts.update({key: per_class.get(str(cls), 0) for key, cls in _COUNTED_CLASSES.items()})
    return counts


def count_of(store: KnowledgeStore, sparql: str) -> int:
    """The number a one-cell COUNT query gives (0 when it gives no row)."""
    rows = store.query(sparql).rows
    return int(rows[0][0] or 0) if rows else 0


TRIPLE_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


_COUNTED_CLASSES = {
    "articles": HKG.Article,
    "events": HKG.HeritageEvent,
    "control_changes": HKG.ControlChange,
    "statements": HKG.Statement,
    "sites": HKG.HeritageSite,
    "monuments": HKG.Monument,
    "objects": HKG.HeritageObject,
}

# DISTINCT because the union repeats an entity once per article graph that describes it.
_CLASS_COUNT_QUERY = (
    "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?class { "
    + " ".join(f"<{cls}>" for cls in _COUNTED_CLASSES.values())
    + " } ?x a ?class } GROUP BY ?class"
)


STORES: dict[str, Callable[[StoreConfig], KnowledgeStore]] = {"oxigraph": _open_oxigraph, "sparql": _open_sparql}


# --- helpers ---


def _refuse_foreign_directory(directory: Path) -> None:
    """Oxigraph would turn any directory into a database: refuse one that holds something else."""
    if directory.exists() and not directory.is_dir():
        raise StoreError("is a file, not a store directory", where=str(directory))
    if directory.is_dir() and any(directory.iterdir()) and not (directory / "CURRENT").is_file():
        raise StoreError(
            "is not an Oxigraph store (it holds other files); use an empty or new directory",
            where=str(directory),
        )


def _describe_open_error(error: OSError) -> str:
    message = _one_line(error)
    if "lock" in message.lower():
        return "the store is locked: another heritage-kg command or an Oxigraph server is using it"
    return f"cannot open the Oxigraph store: {message}"


def _graph_node(iri: str) -> ox.NamedNode:
    if not isinstance(iri, str) or ":" not in iri:
        raise StoreError(f"graph name {iri!r} is not an absolute IRI")
    try:
        node = ox.NamedNode(iri)
    except ValueError as error:
        raise StoreError(f"graph name {iri!r} is not an absolute IRI: {_one_line(error)}") from error
    if _is_staging(iri):
        raise StoreError(f"graph name {iri!r} is reserved for staging")
    return node


def _is_staging(iri: str) -> bool:
    return iri.startswith(STAGING_GRAPHS)


def _restage(quad: object, target: ox.NamedNode, staging: ox.NamedNode) -> ox.Quad:
    if not isinstance(quad, ox.Quad):
        raise StoreError(f"not a pyoxigraph Quad: {quad!r}")
    if not isinstance(quad.graph_name, ox.DefaultGraph) and quad.graph_name != target:
        raise StoreError(f"quad {quad} belongs to another graph than {target}")
    if quad.graph_name == staging:
        return quad
    return ox.Quad(quad.subject, quad.predicate, quad.object, staging)


def _replacement_update(
    targets: Mapping[str, ox.NamedNode], staging: Mapping[str, ox.NamedNode], filled: set[str]
) -> str:
    """One SPARQL update (so one transaction): move each staged graph onto its target.

    The IRIs were validated by pyoxigraph (`str(NamedNode)` is its N-Triples form); no user text.
    """
    operations = [
        f"MOVE SILENT GRAPH {staging[iri]} TO {target}" if iri in filled else f"DROP SILENT GRAPH {target}"
        for iri, target in targets.items()
    ]
    return " ;\n".join(operations)


def _query_result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        value = bool(answer)
        return QueryResult(["result"], [("true" if value else "false",)], boolean=value)
    if isinstance(answer, ox.QueryTriples):
        triples = list(answer)
        spo: list[tuple[str | None, ...]] = [
            (term_text(t.subject), term_text(t.predicate), term_text(t.object)) for t in triples
        ]
        return QueryResult(["subject", "predicate", "object"], spo, triples=triples)
    variables = [variable.value for variable in answer.variables]
    rows: list[tuple[str | None, ...]] = [
        tuple(term_text(solution[i]) for i in range(len(variables))) for solution in answer
    ]
    return QueryResult(variables, rows)
