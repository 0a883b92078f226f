"""Is the graph well formed? SHACL (ontology/shapes.ttl, with pySHACL) and the quality checks
(queries/checks/*.rq, each of which must return no rows), over a store or over RDF files.

    load_files(paths) -> pyoxigraph.Store          (every file read, or InputError naming the bad one)
    validate_store(store) -> ValidationReport
    validate_files(paths) -> ValidationReport
    format_report(report, fmt, stream)              text, turtle or json

pySHACL runs on an in-memory rdflib copy of the data (on a store-backed graph it is some 50 times slower),
with the ontology as its ontology graph (so that sh:class follows rdfs:subClassOf) and no inference.
The checks run where the data is: on the store itself, or on an in-memory Oxigraph store holding the
files with the union of their graphs as the default graph, as the embedded store reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from heritage_kg import resources
from heritage_kg.errors import InputError, UnknownNameError
from heritage_kg.export import to_rdflib_term
from heritage_kg.namespaces import bind_prefixes, compact
from heritage_kg.query import StoredQuery, load_queries
from heritage_kg.store import KnowledgeStore, QueryResult, term_text

CHECKS_FOLDER = "checks"
# A check's results in a SHACL report name the check by this IRI and its file's stem.
CHECK_IRI = "https://w3id.org/heritage-kg/checks/"

# RDF files by extension; the dataset formats keep their named graphs.
RDF_FILE_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Violation:
    """One failing node: which shape or check it fails (`kind` "shape" or "check"), and why."""

    node: str  # an IRI, or _:id for a blank node
    kind: str
    name: str  # the shape's sh:name (or its IRI), or the check's name (checks/<file stem>)
    message: str
    path: str | None = None  # the property a shape checked
    value: str | None = None  # the value that failed it
    severity: str = "Violation"

    def describe(self) -> str:
        shown = self.message
        if self.value is not None and self.value.strip('"') not in shown:
            shown += f" (value: {self.value})"
        severity = "" if self.severity == "Violation" else f"{self.severity.lower()}, "
        return f"{_node_text(self.node)}: [{severity}{self.kind} {self.name}] {shown}"


@dataclass
class ValidationReport:
    violations: list[Violation]
    triples: int  # distinct triples validated
    checks: list[str]  # names of the checks run
    shacl_results: Graph  # pySHACL's report graph (the checks' results are added by `report_graph`)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        if self.conforms:
            return (f"No violations: {self.triples} triples conform to the SHACL shapes and pass the "
                    f"{len(self.checks)} checks.")
        shapes = sum(1 for v in self.violations if v.kind == "shape")
        checks = len(self.violations) - shapes
        count = len(self.violations)
        return (f"{count} violation{'s' if count != 1 else ''} in {self.triples} triples: {shapes} of the SHACL "
                f"shapes, {checks} of the checks.")


# --- reading the data ---


def load_files(paths: Sequence[Path]) -> ox.Store:
    """Every file read into one in-memory store (graphs kept); a file that is missing, has an unknown
    extension or is not RDF is an InputError naming it, and nothing else is read."""
    store = ox.Store()
    for path in paths:
        rdf_format = RDF_FILE_FORMATS.get(path.suffix.lower())
        if rdf_format is None:
            known = ", ".join(sorted(RDF_FILE_FORMATS))
            raise InputError(f"cannot tell its RDF format from the extension; known extensions: {known}",
                             where=str(path))
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else "is not a file", where=str(path))
        try:
            store.bulk_extend(ox.parse(path=str(path), format=rdf_format))
        except SyntaxError as error:
            raise InputError(f"not valid {rdf_format.name}: {_one_line(error)}", where=str(path)) from error
        except (OSError, ValueError) as error:
            raise InputError(f"cannot read it: {_one_line(error)}", where=str(path)) from error
    return store


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:200].rsplit(" ", 1)[0] + " …"


def rdflib_union(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of every graph in one in-memory rdflib Graph, for pySHACL."""
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    for quad in quads:
        graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return graph


# --- SHACL ---


def _turtle(name: str) -> Graph:
    return Graph().parse(data=resources.ontology_file(name).read_text(encoding="utf-8"), format="turtle")


def shacl_violations(data: Graph) -> tuple[list[Violation], Graph]:
    """pySHACL against ontology/shapes.ttl, the ontology as ont_graph, no inference."""
    import pyshacl

    shapes = _turtle("shapes.ttl")
    _, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=_turtle("heritage-kg.ttl"), inference="none", allow_warnings=False
    )
    assert isinstance(results, Graph)
    violations = [_violation(results, shapes, result) for result in results.subjects(RDF.type, SH.ValidationResult)]
    return violations, results


def _violation(results: Graph, shapes: Graph, result: Node) -> Violation:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    component = results.value(result, SH.sourceConstraintComponent)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        node=_term_text(focus),
        kind="shape",
        name=_shape_name(shapes, shape),
        message=" ".join(messages) or (f"fails {compact(str(component))}" if component else "fails the shape"),
        path=_path_text(path),
        value=None if value is None else _value_text(value),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
    )


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """The shape's sh:name; for a property shape written inside one node shape, "node shape › name"."""
    if shape is None:
        return "(unknown shape)"
    name = shapes.value(shape, SH.name)
    if name is None:
        return compact(str(shape)) if isinstance(shape, URIRef) else "(unnamed shape)"
    if isinstance(shape, BNode):
        parents = [p for p in shapes.subjects(SH.property, shape) if shapes.value(p, SH.name) is not None]
        if len(parents) == 1:
            return f"{shapes.value(parents[0], SH.name)} › {name}"
    return str(name)


def _term_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _node_text(node: str) -> str:
    return node if node.startswith("_:") or "://" not in node else compact(node)


def _path_text(path: Node | None) -> str | None:
    if path is None:
        return None
    return compact(str(path)) if isinstance(path, URIRef) else "(a complex path)"


def _value_text(value: Node) -> str:
    if isinstance(value, Literal):
        return f'"{value}"'
    if isinstance(value, URIRef):
        return compact(str(value))
    return f"_:{value}"


# --- the checks ---


def check_queries() -> list[StoredQuery]:
    return [query for query in load_queries() if query.name.startswith(f"{CHECKS_FOLDER}/")]


def check_violations(select: Callable[[str], QueryResult], checks: list[StoredQuery]) -> list[Violation]:
    """Run each check; every row is a violation: its first column names the failing node, its
    `problem` column says what is wrong (else the other columns do)."""
    violations = []
    for check in checks:
        result = select(check.text)
        for row in result.rows:
            cells = dict(zip(result.variables, row, strict=True))
            node = row[0] or ""
            problem = cells.get("problem")
            if problem is None:
                rest = ", ".join(f"{name} {cell}" for name, cell in list(cells.items())[1:] if cell is not None)
                problem = f"{check.title}: {rest}" if rest else check.title
            violations.append(Violation(node=node, kind="check", name=check.name, message=problem))
    return violations


def _select_in(store: ox.Store) -> Callable[[str], QueryResult]:
    def select(sparql: str) -> QueryResult:
        answer = store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QuerySolutions), "a check is a SELECT query"
        variables = [variable.value for variable in answer.variables]
        rows = [tuple(term_text(solution[i]) for i in range(len(variables))) for solution in answer]
        return QueryResult(variables, rows)

    return select


# --- validating ---


def _validate(data: Graph, select: Callable[[str], QueryResult]) -> ValidationReport:
    shape_violations, results = shacl_violations(data)
    checks = check_queries()
    # one node's problems together, whether a shape or a check found them
    violations = sorted(set(shape_violations) | set(check_violations(select, checks)), key=_order)
    return ValidationReport(violations, len(data), [check.name for check in checks], results)


def _order(violation: Violation) -> tuple[str, ...]:
    return (violation.node, violation.kind, violation.name, violation.message, violation.path or "",
            violation.value or "")


def validate_store(store: KnowledgeStore) -> ValidationReport:
    """Validate everything the store holds (the union of its graphs)."""
    # The copy is made before pySHACL runs: no frame it might keep (in a cycle) holds the store's iterator,
    # which would keep the embedded store locked after it is closed.
    data = rdflib_union(store.quads())
    return _validate(data, store.query)


def validate_files(paths: Sequence[Path]) -> ValidationReport:
    """Validate RDF files (Turtle, TriG, N-Quads, N-Triples, JSON-LD or RDF/XML, by extension) together."""
    files = load_files(paths)
    data = rdflib_union(files.quads_for_pattern(None, None, None, None))
    return _validate(data, _select_in(files))


# --- reports ---


def report_graph(report: ValidationReport) -> Graph:
    """A SHACL validation report: pySHACL's results, and one sh:ValidationResult per row of a check
    (sh:sourceConstraint names the check, <https://w3id.org/heritage-kg/checks/STEM>)."""
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    for triple in report.shacl_results:
        graph.add(triple)
    shacl_report = graph.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    if shacl_report is None:
        shacl_report = BNode()
        graph.add((shacl_report, RDF.type, SH.ValidationReport))
    graph.set((shacl_report, SH.conforms, Literal(report.conforms)))
    for name in report.checks:
        check = URIRef(CHECK_IRI + name.split("/", 1)[1])
        graph.add((check, RDFS.label, Literal(name)))
    for violation in report.violations:
        if violation.kind != "check":
            continue
        result = BNode()
        graph.add((shacl_report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        focus = BNode(violation.node[2:]) if violation.node.startswith("_:") else URIRef(violation.node)
        graph.add((result, SH.focusNode, focus))
        graph.add((result, SH.resultSeverity, SH.Violation))
        graph.add((result, SH.resultMessage, Literal(violation.message)))
        graph.add((result, SH.sourceConstraint, URIRef(CHECK_IRI + violation.name.split("/", 1)[1])))
        graph.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    return graph


def format_text(report: ValidationReport, stream: TextIO) -> None:
    for violation in report.violations:
        stream.write(violation.describe() + "\n")
    stream.write(report.summary() + "\n")


def format_turtle(report: ValidationReport, stream: TextIO) -> None:
    stream.write(report_graph(report).serialize(format="turtle"))


def format_json(report: ValidationReport, stream: TextIO) -> None:
    json.dump([asdict(violation) for violation in report.violations], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


REPORT_FORMATS: dict[str, Callable[[ValidationReport, TextIO], None]] = {
    "text": format_text,
    "turtle": format_turtle,
    "json": format_json,
}


def format_report(report: ValidationReport, fmt: str, stream: TextIO) -> None:
    try:
        formatter = REPORT_FORMATS[fmt.lower()]
    except KeyError:
        known = ", ".join(sorted(REPORT_FORMATS))
        raise UnknownNameError(f"unknown format {fmt!r}; known formats: {known}") from None
    formatter(report, stream)
