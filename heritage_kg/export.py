"""Write the store out as RDF files, formats chosen by name (`EXPORT_FORMATS`).

`turtle` merges every graph into one; `trig`, `nquads` and `jsonld` keep the named graphs. rdflib
serialises; only the project's prefixes (`namespaces.PREFIXES`) are used, and JSON-LD embeds them as
its `@context`, so reading it back needs no network.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer
from rdflib.term import Node

from heritage_kg.errors import HeritageKGError, StoreError, UnknownNameError
from heritage_kg.namespaces import PREFIXES, bind_prefixes
from heritage_kg.store import KnowledgeStore

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# --- pyoxigraph terms to rdflib terms ---


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # RDF 1.1: "x" and "x"^^xsd:string are one literal; rdflib parsers give the plain form.
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"cannot export the RDF-star triple term {term}")


def dataset_from_quads(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset holding the quads, named graphs kept, with the project's prefixes bound."""
    dataset = Dataset()
    bind_prefixes(dataset)
    graphs: dict[str, Graph] = {}
    for quad in quads:
        graph = _graph_for(dataset, graphs, quad.graph_name)
        graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return dataset


def _graph_for(
    dataset: Dataset, graphs: dict[str, Graph], name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
) -> Graph:
    key = str(name)
    if key not in graphs:
        if isinstance(name, ox.DefaultGraph):
            graphs[key] = dataset.default_graph
        else:
            graphs[key] = dataset.graph(URIRef(name.value) if isinstance(name, ox.NamedNode) else BNode(name.value))
    return graphs[key]


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every graph in one graph (a triple that several graphs hold appears once)."""
    union = Graph(bind_namespaces="none")
    bind_prefixes(union)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    return union


# --- serialisers that never invent a prefix ---


class _ProjectPrefixesTurtle(TurtleSerializer):
    """Turtle with only bound prefixes: an IRI outside them is written in full, never as `ns1:`."""

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        return super().get_pname(uri, gen_prefix=False)


class _ProjectPrefixesTrig(TrigSerializer):
    """TriG with only bound prefixes (see _ProjectPrefixesTurtle)."""

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        return super().get_pname(uri, gen_prefix=False)


def _serialize(serializer: Serializer, **options: Any) -> str:
    buffer = io.BytesIO()
    serializer.serialize(buffer, encoding="utf-8", **options)
    return buffer.getvalue().decode("utf-8")


# --- the formats ---


def export_turtle(dataset: Dataset) -> str:
    return _serialize(_ProjectPrefixesTurtle(union_graph(dataset)))


def export_trig(dataset: Dataset) -> str:
    return _serialize(_ProjectPrefixesTrig(dataset))


def export_nquads(dataset: Dataset) -> str:
    # Sorted lines: the same store always gives the same file (rdflib's order is arbitrary).
    lines = dataset.serialize(format="nquads").splitlines(keepends=True)
    return "".join(sorted(line for line in lines if line.strip()))


def export_jsonld(dataset: Dataset) -> str:
    # An embedded context: a remote one would be fetched (and fail offline) by every reader.
    return dataset.serialize(format="json-ld", context=dict(PREFIXES), indent=2)


EXPORT_FORMATS: dict[str, Callable[[Dataset], str]] = {
    "turtle": export_turtle,
    "jsonld": export_jsonld,
    "nquads": export_nquads,
    "trig": export_trig,
}

# File extensions, for callers that name the output after the format.
def export_store(store: KnowledgeStore, fmt: str, destination: Path | TextIO) -> None:
    """Write the store's content in format `fmt` to a file path or a text stream."""
    try:
        serialize = EXPORT_FORMATS[fmt.lower()]
    except KeyError:
        known = ", ".join(sorted(EXPORT_FORMATS))
        raise UnknownNameError(f"unknown export format {fmt!r}; known formats: {known}") from None
    with warnings.catch_warnings():
        # rdflib's own dataset serializers call Dataset methods that rdflib has deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        text = serialize(dataset_from_quads(store.quads()))
    if isinstance(destination, Path):
        try:
            destination.write_text(text, encoding="utf-8")
        except OSError as error:
            raise HeritageKGError(
                f"cannot write the export: {error.strerror or error}", where=str(destination)
            ) from error
    else:
        destination.write(text)
