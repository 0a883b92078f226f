"""Extraction records -> RDF: exact triples for a small hand-made extraction."""

from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from heritage_kg.build import article_graph_iri, article_key, build_graph, oxigraph_quads
from heritage_kg.ingest import parse_article
from heritage_kg.model import EntityRef, Extraction, HeritageEvent, Quote, TimeBounds
from heritage_kg.namespaces import EDTF, HKG, HKGD, HKGV, OA

BODY = "Islamic State blew up the Temple of Bel. Nothing else happened."
ARTICLE = parse_article(f"source: https://example.org/bel\npublished: 2015-08-31\n---\n{BODY}".encode(), "bel.txt")
PALMYRA = EntityRef("site/palmyra", "Palmyra", "WorldHeritageSite", in_gazetteer=True)
BEL = EntityRef("monument/palmyra/temple-of-bel", "Temple of Bel", "Monument", PALMYRA, in_gazetteer=True)
IS = EntityRef("actor/islamic-state", "Islamic State", "ArmedGroup", in_gazetteer=True)
NABU = EntityRef("monument/palmyra/temple-of-nabu", "Temple of Nabu", "Monument", PALMYRA)


def event(asset: EntityRef = BEL) -> HeritageEvent:
    return HeritageEvent(
        event_type="destroyed", asset=asset, mention="Temple of Bel", site=PALMYRA,
        evidence=Quote(0, 40, BODY[:40]), perpetrators=(IS,),
        when=TimeBounds("2015-08", date(2015, 8, 1), date(2015, 8, 31), "in August"),
    )


def test_event_triples():
    graph = build_graph(Extraction(article=ARTICLE, events=[event()]))
    (iri,) = graph.subjects(RDF.type, HKG.HeritageEvent)
    key = article_key(ARTICLE)
    evidence = HKGD[f"evidence/{key}/0-40"]
    assert set(graph.predicate_objects(iri)) == {
        (RDF.type, HKG.HeritageEvent), (RDF.type, HKG.DestructionEvent), (HKG.eventType, HKGV.destroyed),
        (HKG.affected, HKGD["monument/palmyra/temple-of-bel"]), (HKG.atSite, HKGD["site/palmyra"]),
        (HKG.mentionedAs, Literal("Temple of Bel")), (HKG.perpetrator, HKGD["actor/islamic-state"]),
        (HKG.reportingStatus, HKGV.reported),
        (HKG.date, Literal("2015-08", datatype=URIRef(EDTF))),
        (HKG.earliest, Literal("2015-08-01", datatype=XSD.date)),
        (HKG.latest, Literal("2015-08-31", datatype=XSD.date)),
        (HKG.dateText, Literal("in August")),
        (PROV.wasDerivedFrom, HKGD[f"article/{key}"]), (PROV.wasGeneratedBy, HKGD[f"activity/{key}"]),
        (HKG.evidence, evidence),
    }
    quote = URIRef(f"{evidence}/quote")
    position = URIRef(f"{evidence}/position")
    assert graph.value(quote, OA.exact) == Literal("Islamic State blew up the Temple of Bel.")
    assert graph.value(quote, OA.suffix) == Literal(" Nothing else happened.")
    assert (graph.value(position, OA.start), graph.value(position, OA.end)) == (
        Literal(0, datatype=XSD.integer), Literal(40, datatype=XSD.integer))
    assert (evidence, OA.hasBody, iri) in graph


def test_gazetteer_descriptions_travel_with_the_article():
    graph = build_graph(Extraction(article=ARTICLE, events=[event()]))
    assert graph.value(HKGD["monument/palmyra/temple-of-bel"], HKG.wikidata) == URIRef(
        "http://www.wikidata.org/entity/Q797481")
    assert graph.value(HKGD["site/palmyra"], HKG.country) == HKGD["place/syria"]
    assert (HKGD["place/syria"], RDF.type, HKG.Place) in graph  # the country is described too


def test_minted_monument_is_typed_labelled_and_part_of_its_site():
    graph = build_graph(Extraction(article=ARTICLE, events=[event(NABU)]))
    nabu = HKGD["monument/palmyra/temple-of-nabu"]
    assert (nabu, RDF.type, HKG.Monument) in graph
    assert (nabu, HKG.partOf, HKGD["site/palmyra"]) in graph
    assert graph.value(nabu, HKG.wikidata) is None


def test_building_twice_gives_identical_graphs():
    extraction = Extraction(article=ARTICLE, events=[event()])
    assert set(build_graph(extraction)) == set(build_graph(extraction))


def test_quads_go_into_the_article_graph():
    iri = article_graph_iri(ARTICLE)
    quads = list(oxigraph_quads(build_graph(Extraction(article=ARTICLE)), iri))
    assert quads and {q.graph_name.value for q in quads} == {str(iri)}
