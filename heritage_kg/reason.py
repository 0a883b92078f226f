"""OWL reasoning over the store with HermiT (through owlready2): is the data consistent with the
ontology, and what do the ontology's defined terms conclude from it?

    load_schema() -> Schema
    reasoner_input(schema, quads) -> ReasonerInput
    split(data) -> list[ReasonerInput]
    infer(schema, data) -> InferredFacts                  (raises InconsistentDataError)
    explain_inconsistency(schema, data) -> list[Conflict]
    reason_store(store) -> ReasonReport

The reasoner gets what it needs and nothing else: the ontology's own axioms (the alignments to CIDOC-CRM,
SEM and the others declare terms that carry no axioms of their own), and of the data the hkg: types and
property values that an axiom can act on: a class or property in a disjointness axiom, a domain or range
that reaches one, or a term of a defined class or property chain. Provenance, quotes, identifiers and
dates are left out (EDTF and xsd:date are not OWL 2 datatypes: HermiT would refuse them).

HermiT's time grows faster than the data, so a large store is reasoned over in parts (`split`), each
closed under the property values of what it holds. HermiT decides whether each part is consistent.
owlready2 gives no explanation, so this module finds the individuals typed with two disjoint classes,
asserted or through the domain or range of a property, and names the axiom they break; over the whole
data, this also finds the conflicts between facts that two parts hold (the ontology's only negative
axioms are disjointness axioms). The facts written back are those of the ontology's defined terms
(classes with owl:equivalentClass, properties with owl:propertyChainAxiom), into …/graph/inferred,
replaced as a whole on each run: heritage-events and the other queries read the asserted terms and are
unchanged by them.
"""

from __future__ import annotations

import io
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from heritage_kg import resources
from heritage_kg.errors import HeritageKGError
from heritage_kg.namespaces import HKG, INFERRED_GRAPH, compact
from heritage_kg.store import KnowledgeStore

ONTOLOGY_IRI = "https://w3id.org/heritage-kg/ontology"
# Where owlready2 puts what HermiT concludes (kept apart from the loaded ontology and data).
_CONCLUSIONS_IRI = "https://w3id.org/heritage-kg/reasoner/conclusions#"
# Namespaces whose terms the reasoner reads: the project's own and OWL's building blocks.
_REASONED_NAMESPACES = (
    str(HKG),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
# Literals HermiT accepts among the values of the data properties it is given.
_STRING_DATATYPES = {str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_MAX_CONFLICTS_SHOWN = 10


class InconsistentDataError(HeritageKGError):
    """The data is inconsistent with the ontology; the message names what conflicts."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        if conflicts:
            shown = "; ".join(conflict.describe() for conflict in conflicts[:_MAX_CONFLICTS_SHOWN])
            more = len(conflicts) - _MAX_CONFLICTS_SHOWN
            details = shown + (f"; and {more} more" if more > 0 else "")
        else:
            details = ("no individual is typed with two disjoint classes, asserted or through the domain or "
                       "range of a property; another axiom of the ontology rules the data out")
        super().__init__(f"the data is inconsistent with the ontology: {details}")


# --- the ontology, as the reasoner and the explanations read it ---


@dataclass(frozen=True)
class Schema:
    """The ontology's axioms (`axioms`, the graph HermiT is given) and the tables read out of them."""

    axioms: Graph
    classes: frozenset[str]
    object_properties: frozenset[str]
    data_properties: frozenset[str]
    superclasses: dict[str, frozenset[str]]  # reflexive and transitive, named classes only
    domains: dict[str, frozenset[str]]  # of each property, its superproperties' included
    ranges: dict[str, frozenset[str]]
    disjoint: dict[frozenset[str], str]  # a pair of disjoint classes -> the axiom that says so
    defined_classes: frozenset[str]  # with owl:equivalentClass: what `reason` writes out
    chain_properties: frozenset[str]  # with owl:propertyChainAxiom: likewise
    relevant_classes: frozenset[str]  # types the reasoner needs to see
    relevant_properties: frozenset[str]  # property values it needs to see


def load_schema(ontology: Graph | None = None) -> Schema:
    """Read the ontology (ontology/heritage-kg.ttl unless given) into a Schema."""
    if ontology is None:
        ontology = Graph().parse(data=resources.ontology_file().read_text(encoding="utf-8"), format="turtle")
    axioms = Graph()
    for triple in ontology:
        if all(not isinstance(node, URIRef) or str(node).startswith(_REASONED_NAMESPACES) for node in triple):
            axioms.add(triple)

    def named(kind: URIRef) -> frozenset[str]:
        return frozenset(str(s) for s in axioms.subjects(RDF.type, kind) if _is_hkg(s))

    classes = named(OWL.Class)
    object_properties = named(OWL.ObjectProperty)
    data_properties = named(OWL.DatatypeProperty)
    superclasses = {cls: _closure(axioms, cls, RDFS.subClassOf) for cls in classes}
    properties = object_properties | data_properties
    superproperties = {prop: _closure(axioms, prop, RDFS.subPropertyOf) for prop in properties}

    def declared(prop: str, predicate: URIRef) -> frozenset[str]:
        return frozenset(
            str(value) for ancestor in superproperties[prop]
            for value in axioms.objects(URIRef(ancestor), predicate) if _is_hkg(value)
        )

    domains = {prop: declared(prop, RDFS.domain) for prop in properties}
    ranges = {prop: declared(prop, RDFS.range) for prop in properties}
    disjoint = _disjoint_pairs(axioms)
    in_disjointness = {cls for pair in disjoint for cls in pair}
    defined_classes = frozenset(str(s) for s in axioms.subjects(OWL.equivalentClass, None) if _is_hkg(s))
    chain_properties = frozenset(str(s) for s in axioms.subjects(OWL.propertyChainAxiom, None) if _is_hkg(s))
    in_definitions = _terms_in_definitions(axioms)

    relevant_classes = frozenset(
        cls for cls in classes if superclasses[cls] & (in_disjointness | in_definitions)
    )

    def reaches_a_relevant_class(values: frozenset[str]) -> bool:
        return any(value in relevant_classes for value in values)

    relevant_properties = frozenset(
        prop for prop in properties
        if prop in in_definitions or superproperties[prop] & in_definitions
        or reaches_a_relevant_class(domains[prop])
        or (prop in object_properties and reaches_a_relevant_class(ranges[prop]))
    )
    return Schema(
        axioms=axioms, classes=classes, object_properties=object_properties, data_properties=data_properties,
        superclasses=superclasses, domains=domains, ranges=ranges, disjoint=disjoint,
        defined_classes=defined_classes, chain_properties=chain_properties,
        relevant_classes=relevant_classes, relevant_properties=relevant_properties,
    )


def _is_hkg(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(HKG))


def _closure(graph: Graph, start: str, predicate: URIRef) -> frozenset[str]:
    return frozenset(str(node) for node in graph.transitive_objects(URIRef(start), predicate) if _is_hkg(node))


def _disjoint_pairs(axioms: Graph) -> dict[frozenset[str], str]:
    pairs: dict[frozenset[str], str] = {}
    for first, second in sorted(axioms.subject_objects(OWL.disjointWith)):
        if _is_hkg(first) and _is_hkg(second):
            pairs.setdefault(frozenset((str(first), str(second))),
                             f"{compact(str(first))} owl:disjointWith {compact(str(second))}")
    for axiom in axioms.subjects(RDF.type, OWL.AllDisjointClasses):
        head = axioms.value(axiom, OWL.members)
        members = [str(m) for m in Collection(axioms, head)] if head is not None else []
        text = "owl:AllDisjointClasses (" + " ".join(compact(m) for m in members) + ")"
        for one, other in itertools.combinations(members, 2):
            pairs.setdefault(frozenset((one, other)), text)
    return pairs


def _terms_in_definitions(axioms: Graph) -> set[str]:
    """Every hkg: term inside a class definition (owl:equivalentClass) or a property chain."""
    terms: set[str] = set()
    pending = [*axioms.objects(None, OWL.equivalentClass), *axioms.objects(None, OWL.propertyChainAxiom)]
    seen: set[object] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        if _is_hkg(node):
            terms.add(str(node))
        elif isinstance(node, BNode):
            pending.extend(axioms.objects(node, None))
    return terms


# --- what the reasoner is given ---


@dataclass
class ReasonerInput:
    """The part of the data the reasoner needs: hkg: types, and property values (subject, property, object)."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    values: set[tuple[str, str, ox.NamedNode | ox.Literal]] = field(default_factory=set)

    @property
    def individuals(self) -> set[str]:
        found = set(self.types)
        for subject, _, obj in self.values:
            found.add(subject)
            if isinstance(obj, ox.NamedNode):
                found.add(obj.value)
        return found

    def __len__(self) -> int:
        return sum(len(classes) for classes in self.types.values()) + len(self.values)

    def ntriples(self) -> Iterator[str]:
        for individual in sorted(self.individuals):
            yield f"<{individual}> <{RDF.type}> <{OWL.NamedIndividual}> .\n"
        for individual, classes in self.types.items():
            for cls in classes:
                yield f"<{individual}> <{RDF.type}> <{cls}> .\n"
        for subject, prop, obj in self.values:
            yield f"<{subject}> <{prop}> {obj} .\n"


def reasoner_input(schema: Schema, quads: Iterable[ox.Quad]) -> ReasonerInput:
    """What the reasoner needs of the quads (those of …/graph/inferred are left out: a rerun starts afresh)."""
    data = ReasonerInput()
    rdf_type = str(RDF.type)
    inferred = str(INFERRED_GRAPH)
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if not isinstance(subject, ox.NamedNode) or quad.graph_name == ox.NamedNode(inferred):
            continue
        if predicate == rdf_type:
            if isinstance(obj, ox.NamedNode) and obj.value in schema.relevant_classes:
                data.types[subject.value].add(obj.value)
        elif predicate in schema.relevant_properties:
            if predicate in schema.object_properties:
                if isinstance(obj, ox.NamedNode):
                    data.values.add((subject.value, predicate, obj))
            elif isinstance(obj, ox.Literal) and obj.datatype.value in _STRING_DATATYPES:
                data.values.add((subject.value, predicate, obj))
    return data


# --- reasoning ---


@dataclass
class InferredFacts:
    triples: set[tuple[str, str, str]]
    individuals: int
    parts: int  # how many parts HermiT reasoned over, one at a time
    seconds: float  # loading into owlready2 and running HermiT


# HermiT's time grows faster than the data (realising each individual against the defined classes is a
# test over the whole ABox): a store is reasoned over in parts of about this many individuals.
PART_SIZE = 5000


def infer(schema: Schema, data: ReasonerInput, part_size: int = PART_SIZE) -> InferredFacts:
    """Run HermiT over the ontology and the data, in parts (`split`); return the new facts of the
    defined terms.

    Raises InconsistentDataError (with the conflicts found) when HermiT finds a part inconsistent, or when
    two parts hold facts about one individual that contradict each other (two properties whose ranges
    are disjoint classes, say), which no part shows HermiT alone.
    """
    started = time.perf_counter()
    triples: set[tuple[str, str, str]] = set()
    parts = split(data, part_size)
    for part in parts:
        if not _reason_over(schema, part, triples):
            raise InconsistentDataError(explain_inconsistency(schema, data))
    if len(parts) > 1:
        conflicts = explain_inconsistency(schema, data)
        if conflicts:
            raise InconsistentDataError(conflicts)
    return InferredFacts(triples, len(data.individuals), len(parts), time.perf_counter() - started)


def _reason_over(schema: Schema, data: ReasonerInput, triples: set[tuple[str, str, str]]) -> bool:
    """HermiT over the ontology and one part of the data: add what the defined terms conclude to
    `triples`; False when the part is inconsistent."""
    import owlready2

    world = owlready2.World()
    document = schema.axioms.serialize(format="nt", encoding="utf-8") + "".join(data.ntriples()).encode("utf-8")
    try:
        world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(document), format="ntriples")
        with world.get_ontology(_CONCLUSIONS_IRI):
            owlready2.sync_reasoner(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        return False
    except owlready2.OwlReadyJavaError as error:
        raise HeritageKGError(f"HermiT failed: {_last_line(str(error))}") from error
    except OSError as error:  # no Java
        raise HeritageKGError(f"cannot run HermiT (it needs Java 8 or later on the PATH): {error}") from error

    asserted_values = {(subject, prop, obj.value) for subject, prop, obj in data.values}
    for cls in schema.defined_classes:
        entity = world[cls]
        for individual in entity.instances() if entity is not None else ():
            if cls not in data.types.get(individual.iri, ()):
                triples.add((individual.iri, str(RDF.type), cls))
    for prop in schema.chain_properties:
        entity = world[prop]
        for subject, obj in entity.get_relations() if entity is not None else ():
            if hasattr(obj, "iri") and (subject.iri, prop, obj.iri) not in asserted_values:
                triples.add((subject.iri, prop, obj.iri))
    world.close()
    return True


def split(data: ReasonerInput, size: int = PART_SIZE) -> list[ReasonerInput]:
    """The data in parts of about `size` individuals, each closed under the property values of what it
    holds: an event comes with its assets and what they are part of, its site, its actors and what they
    reach, with their types and values.

    Every conclusion of the ontology's defined terms follows from one individual and what it reaches
    (an actor is a Perpetrator because of an event that names it; a site is damaged because of an event
    whose asset is part of it), so reasoning part by part concludes what reasoning over the whole does.
    Small stores are one part.
    """
    reaches: dict[str, set[str]] = defaultdict(set)
    values_of: dict[str, list[tuple[str, str, ox.NamedNode | ox.Literal]]] = defaultdict(list)
    pointed_at: set[str] = set()
    for value in data.values:
        subject, _, obj = value
        values_of[subject].append(value)
        if isinstance(obj, ox.NamedNode):
            reaches[subject].add(obj.value)
            pointed_at.add(obj.value)
    individuals = sorted(data.individuals)
    if len(individuals) <= size:
        return [data]

    def closure(start: str) -> set[str]:
        found = {start}
        pending = [start]
        while pending:
            for reached in reaches.get(pending.pop(), ()):
                if reached not in found:
                    found.add(reached)
                    pending.append(reached)
        return found

    parts: list[ReasonerInput] = []
    covered: set[str] = set()
    current: set[str] = set()

    def close_part() -> None:
        part = ReasonerInput()
        for individual in current:
            if individual in data.types:
                part.types[individual] = data.types[individual]
            part.values.update(values_of.get(individual, ()))
        parts.append(part)
        covered.update(current)
        current.clear()

    # Individuals nothing points at first (events, changes of control, statements, merged events), then
    # whatever they did not reach (a cycle of parts that no event names).
    starts = [i for i in individuals if i not in pointed_at] + [i for i in individuals if i in pointed_at]
    for start in starts:
        if start in covered or start in current:
            continue
        current.update(closure(start))
        if len(current) >= size:
            close_part()
    if current:
        close_part()
    return parts


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


# --- explaining an inconsistency ---


@dataclass(frozen=True)
class TypeReason:
    """Why an individual is of a class: asserted, or the domain or range of a property it has."""

    cls: str
    asserted: bool
    text: str


@dataclass(frozen=True)
class Conflict:
    individual: str
    first: TypeReason
    second: TypeReason
    axiom: str

    def describe(self) -> str:
        who = compact(self.individual)
        if self.first.asserted and self.second.asserted:
            what = f"is typed both {compact(self.first.cls)} and {compact(self.second.cls)}"
        else:
            what = f"{self.first.text} and {self.second.text}"
        return f"{who} {what}, which are disjoint ({self.axiom})"


def explain_inconsistency(schema: Schema, data: ReasonerInput) -> list[Conflict]:
    """The individuals of the data that belong to two disjoint classes, each with the reasons it is of
    them and the disjointness axiom; empty when the inconsistency has another cause."""
    reasons: dict[str, list[TypeReason]] = defaultdict(list)
    for individual, classes in data.types.items():
        for cls in sorted(classes):
            reasons[individual].append(TypeReason(cls, True, f"is typed {compact(cls)}"))
    for subject, prop, obj in sorted(data.values, key=lambda value: (value[0], value[1], str(value[2]))):
        for cls in sorted(schema.domains.get(prop, ())):
            about = f" {compact(obj.value)}" if isinstance(obj, ox.NamedNode) else ""
            reasons[subject].append(TypeReason(cls, False, f"has {compact(prop)}{about} (domain {compact(cls)})"))
        if isinstance(obj, ox.NamedNode):
            for cls in sorted(schema.ranges.get(prop, ())):
                reasons[obj.value].append(
                    TypeReason(cls, False, f"is the {compact(prop)} of {compact(subject)} (range {compact(cls)})")
                )

    conflicts: list[Conflict] = []
    for individual in sorted(reasons):
        found: set[str] = set()  # one conflict per individual and axiom
        # the first reason for each class: an actor named by 10,000 events has one class from them all
        first_reasons: dict[str, TypeReason] = {}
        for reason in reasons[individual]:
            first_reasons.setdefault(reason.cls, reason)
        for first, second in itertools.combinations(first_reasons.values(), 2):
            axiom = _disjointness(schema, first.cls, second.cls)
            if axiom is not None and axiom not in found:
                found.add(axiom)
                conflicts.append(Conflict(individual, first, second, axiom))
    return conflicts


def _disjointness(schema: Schema, first: str, second: str) -> str | None:
    for a, b in itertools.product(sorted(schema.superclasses.get(first, {first})),
                                  sorted(schema.superclasses.get(second, {second}))):
        axiom = schema.disjoint.get(frozenset((a, b)))
        if axiom is not None and a != b:
            return axiom
    return None


# --- the store ---


@dataclass
class ReasonReport:
    facts: Counter[str]  # how many inferred facts of each kind: a class, or a property
    asserted: int  # facts given to the reasoner
    individuals: int
    parts: int
    seconds_reading: float
    seconds_reasoning: float
    seconds_writing: float

    @property
    def total(self) -> int:
        return sum(self.facts.values())

    @property
    def seconds(self) -> float:
        return self.seconds_reading + self.seconds_reasoning + self.seconds_writing


def reason_store(store: KnowledgeStore, schema: Schema | None = None, part_size: int = PART_SIZE) -> ReasonReport:
    """Reason over the store's data and replace the graph …/graph/inferred with what HermiT concludes.

    An inconsistent store raises InconsistentDataError and is left as it was.
    """
    started = time.perf_counter()
    schema = schema or load_schema()
    data = reasoner_input(schema, store.quads())
    read = time.perf_counter()
    inferred = infer(schema, data, part_size)
    reasoned = time.perf_counter()
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    quads = [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), graph) for s, p, o in sorted(inferred.triples)]
    store.replace_graphs({str(INFERRED_GRAPH): quads})
    written = time.perf_counter()
    kinds = Counter(o if p == str(RDF.type) else p for _, p, o in inferred.triples)
    return ReasonReport(kinds, len(data), inferred.individuals, inferred.parts, read - started, reasoned - read,
                        written - reasoned)
