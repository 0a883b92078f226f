"""Every IRI prefix the project uses, declared once."""

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = ["DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD"]  # re-exported for other modules

HKG = Namespace("https://w3id.org/heritage-kg/ontology#")
HKGD = Namespace("https://w3id.org/heritage-kg/id/")
HKGV = Namespace("https://w3id.org/heritage-kg/vocab/")
GRAPH = Namespace("https://w3id.org/heritage-kg/graph/")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
CRMSCI = Namespace("http://www.ics.forth.gr/isl/CRMsci/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
WHC_LIST = "https://whc.unesco.org/en/list/"

VOCABULARY_GRAPH = GRAPH["vocabulary"]
ENTITIES_GRAPH = GRAPH["entities"]  # descriptions of the gazetteer's sites, monuments and actors
LINKS_GRAPH = GRAPH["links"]  # QIDs found by `heritage-kg link`, with their attestations; replaced per run
INFERRED_GRAPH = GRAPH["inferred"]  # facts `heritage-kg reason` infers (HermiT); replaced per run

# Prefixes bound in every serialisation and prepended to every canned query.
PREFIXES: dict[str, str] = {
    "hkg": str(HKG),
    "hkgd": str(HKGD),
    "hkgv": str(HKGV),
    "crm": str(CRM),
    "crmsci": str(CRMSCI),
    "sem": str(SEM),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "geo": str(GEO),
    "wd": str(WD),
    "wdt": str(WDT),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
}


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing rdflib's defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def compact(iri: str) -> str:
    """An IRI written with the project's longest matching prefix (`hkgd:actor/islamic-state`), for messages
    people read; an IRI outside them is written in full, in angle brackets."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(name for name, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"
