"""Values into SPARQL text, safely. The SPARQL protocol has no parameter bindings, so a value enters a
query sent to a server only as an RDF term inside a VALUES block, and only after parsing it back has
given exactly that term: text can never leave its literal.

`serialise_terms` writes and checks the terms (the Wikidata client fills its VALUES slots with it);
`bind_values` places VALUES blocks in a query so that a remote store binds parameters as the embedded
Oxigraph store's substitutions do.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import urllib.error
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD
from rdflib.term import Literal, Node, URIRef, Variable

# rdflib's SPARQL parser (pyparsing) is not thread-safe: one parse at a time.
RDFLIB_PARSER = threading.Lock()


class UnsafeValueError(ValueError):
    """A value that cannot be written into SPARQL text safely; nothing was sent."""


def n3_term(term: URIRef | Literal) -> str:
    """rdflib's own form: a literal with a newline goes in triple quotes."""
    return term.n3()


def ntriples_term(term: URIRef | Literal) -> str:
    """N-Triples form, as pyoxigraph writes it: every literal on one line, in double quotes, with escapes."""
    try:
        if isinstance(term, URIRef):
            return str(ox.NamedNode(str(term)))
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    except ValueError as error:
        raise UnsafeValueError(f"{term!r} is not a valid RDF term ({error})") from error


def serialise_terms(terms: Sequence[Node], write: Callable[[URIRef | Literal], str] = n3_term) -> str:
    """IRIs and literals written by `write`, separated by spaces, checked by parsing them back."""
    terms = list(terms)
    checked: list[URIRef | Literal] = []
    for term in terms:
        if not isinstance(term, URIRef | Literal):
            raise UnsafeValueError(f"only IRIs and literals can be values, not {term!r}")
        checked.append(term)
    text = " ".join(write(term) for term in checked)
    # rdflib writes a literal with a newline in triple quotes, and gets some of those wrong (a value
    # ending in a backslash and a quote); and SPARQL reads \uXXXX as a character before anything else,
    # escaped backslash or not: parse the block back and insist on the very same terms.
    try:
        with RDFLIB_PARSER:
            result = rdflib.Graph().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {text} }} }}")
        parsed = [binding.get(Variable("v")) for binding in result.bindings]
    except Exception as error:  # pyparsing's errors do not share a base class with rdflib's
        raise UnsafeValueError(f"a value cannot be written safely into the query ({error})") from error
    if [_plain(term) for term in parsed] != [_plain(term) for term in checked]:
        raise UnsafeValueError("a value does not survive serialisation; not sent")
    return text


def _plain(term: Node | None) -> Node | None:
    """RDF 1.1: "x" and "x"^^xsd:string are one literal (N-Triples writes the first)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


# --- placing VALUES blocks in a query ---

# SPARQL tokens, as far as finding group braces needs: strings, IRIs and comments are skipped whole (a
# brace in them is text), variables are named, and `\'` inside a prefixed name is not a quote.
_TOKEN = re.compile(
    "|".join([
        r"(?P<space>\s+)",
        r"(?P<comment>#[^\r\n]*)",
        r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
        r"|'(?:[^'\\\r\n]|\\.)*'|\"(?:[^\"\\\r\n]|\\.)*\")",
        r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
        r"(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)",
        r"(?P<word>(?:[^\W\d]|[_:])(?:[\w\-.:%\u00B7]|\\.)*)",
        r"(?P<punct>[{}()])",
        r"(?P<other>.)",
    ]),
    re.DOTALL,
)
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    def is_(self, text: str) -> bool:
        return self.kind in ("punct", "word") and self.text.upper() == text


def _tokens(query: str) -> list[_Token]:
    found = (_Token(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(query))
    return [token for token in found if token.kind not in ("space", "comment")]


def _closing(tokens: Sequence[_Token], opening: int) -> int:
    """The index of the "}" that closes the "{" at `opening`."""
    depth = 0
    for index in range(opening, len(tokens)):
        if tokens[index].is_("{"):
            depth += 1
        elif tokens[index].is_("}"):
            depth -= 1
            if depth == 0:
                return index
    raise UnsafeValueError("unbalanced braces")


def _walk_group(tokens: Sequence[_Token], opening: int, groups: list[int]) -> int:
    """Record where the group opened at `opening`, and each group inside it, starts (the offset after its
    "{"); return the index of its "}". A sub-query is not a group of this query: its variables are its own."""
    if tokens[opening + 1].is_("SELECT"):
        return _closing(tokens, opening)
    groups.append(tokens[opening].end)
    index = opening + 1
    after_values = False
    while not tokens[index].is_("}"):
        token = tokens[index]
        if token.is_("VALUES"):
            after_values = True
        elif token.is_("{") and after_values:  # the data block of VALUES: terms, not a group
            index = _closing(tokens, index)
            after_values = False
        elif token.is_("{"):
            index = _walk_group(tokens, index, groups)
        index += 1
    return index


def _where_groups(query: str) -> list[int]:
    """Where the WHERE clause's group and the groups inside it start; none when it cannot take a VALUES
    block (`CONSTRUCT WHERE { triples }`, `DESCRIBE <iri>`, a WHERE clause that is only a sub-query)."""
    tokens = _tokens(query)
    form = next((n for n, token in enumerate(tokens) if token.kind == "word" and token.text.upper() in _QUERY_FORMS),
                None)
    if form is None:
        raise UnsafeValueError("no SELECT, CONSTRUCT, DESCRIBE or ASK")
    index = form + 1
    if tokens[form].is_("CONSTRUCT"):
        if index >= len(tokens) or not tokens[index].is_("{"):
            return []  # the short form: its WHERE clause holds triples only
        index = _closing(tokens, index) + 1  # past the template
    depth = 0  # parentheses: a "{" inside the SELECT clause belongs to an EXISTS expression
    while index < len(tokens) and not (depth == 0 and tokens[index].is_("{")):
        depth += tokens[index].is_("(") - tokens[index].is_(")")
        index += 1
    if index == len(tokens):
        return []
    groups: list[int] = []
    _walk_group(tokens, index, groups)
    return groups


def bind_values(query: str, values: Mapping[str, Node]) -> str:
    """`query` with each variable of `values` bound to its term, as the embedded store's substitutions
    bind it (Oxigraph follows SEP-0007: the value is seen everywhere in the WHERE clause, sub-queries
    excepted). A VALUES block opens the WHERE clause's group and every group inside it, so that each
    FILTER, OPTIONAL, MINUS, UNION branch and EXISTS sees the value; a trailing VALUES clause would be
    joined only after the WHERE clause, and its FILTERs would never see it. A query whose WHERE clause
    cannot take a block gets a trailing VALUES clause all the same.

    Raises UnsafeValueError when a term cannot be written safely or the query cannot be read.
    """
    if not values:
        return query
    blocks = " ".join(f"VALUES ?{name} {{ {serialise_terms([term], ntriples_term)} }}"
                      for name, term in values.items())
    try:
        groups = _where_groups(query)
    except IndexError:
        raise UnsafeValueError("cannot find where the query's WHERE clause starts") from None
    if not groups:
        variables = " ".join(f"?{name}" for name in values)
        terms = " ".join(serialise_terms([term], ntriples_term) for term in values.values())
        return f"{query.rstrip()}\nVALUES ({variables}) {{ ({terms}) }}\n"
    text = query
    for offset in sorted(groups, reverse=True):
        text = f"{text[:offset]} {blocks} {text[offset:]}"
    return text


def describe_connection_error(error: BaseException, endpoint: str, timeout: float) -> str:
    """Why a request to a SPARQL endpoint failed to connect or complete, in a few words."""
    reason: object = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host name {urllib.parse.urlsplit(endpoint).hostname or endpoint}"
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionError | http.client.RemoteDisconnected | http.client.IncompleteRead):
        return "the connection was closed before the answer was complete"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__
