"""The shipped gazetteer: every identifier has a source, and agrees with the shared reference list."""

import csv
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from heritage_kg.gazetteer import load_gazetteer
from heritage_kg.namespaces import CRM, HKG, HKGD, WD

SHARED = Path(__file__).parent.parent.parent / "shared"
REFERENCE = SHARED / "reference" / "identifiers.csv"
UNESCO_TABLE = SHARED / "data" / "unesco_enriched_cleaned_all.csv"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_every_identifier_has_an_attestation_with_a_source(gazetteer):
    graph = gazetteer.graph
    for prop in (HKG.wikidata, HKG.whsId, HKG.inDangerSince):
        for entity, value in graph.subject_objects(prop):
            attestations = [
                a for a in graph.subjects(CRM.P140_assigned_attribute_to, entity)
                if (a, CRM.P177_assigned_property_of_type, prop) in graph and (a, CRM.P141_assigned, value) in graph
            ]
            assert attestations, f"{entity} {prop} {value} has no attestation"
            assert all(str(graph.value(a, DCTERMS.source) or "").strip() for a in attestations), entity


def test_unverified_monuments_stay_unlinked(gazetteer):
    for key in ("monument/palmyra/tetrapylon",):
        assert gazetteer.graph.value(HKGD[key], HKG.wikidata) is None


def test_seed_identifiers(gazetteer):
    graph = gazetteer.graph
    assert graph.value(HKGD["site/palmyra"], HKG.wikidata) == WD.Q5747
    assert graph.value(HKGD["site/palmyra"], HKG.whsId) == Literal("23")
    assert graph.value(HKGD["site/palmyra"], HKG.whsPage) == URIRef("https://whc.unesco.org/en/list/23")
    assert graph.value(HKGD["actor/islamic-state"], HKG.wikidata) == WD.Q2429253
    assert graph.value(HKGD["monument/palmyra/monumental-arch"], HKG.wikidata) == WD.Q21077991
    assert graph.value(HKGD["monument/palmyra/roman-theatre"], HKG.wikidata) == WD.Q555201
    assert (HKGD["site/palmyra"], RDF.type, HKG.WorldHeritageSite) in graph


def test_names_and_demonyms(gazetteer):
    assert [e.key for e in gazetteer.lookup("Tadmur")] == ["site/palmyra"]
    assert [e.key for e in gazetteer.lookup("the Islamic State of Iraq and the Levant")] == ["actor/islamic-state"]
    assert [e.key for e in gazetteer.by_demonym("Russian")] == ["actor/russia"]
    facade_site = gazetteer.site_of(gazetteer.entries["monument/palmyra/roman-theatre"])
    assert facade_site is not None and facade_site.key == "site/palmyra"


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference/identifiers.csv is absent")
def test_identifiers_agree_with_the_reference_list(gazetteer):
    """Where the reference list names the same thing (the same QID, or the same World Heritage id), the
    gazetteer agrees with it; ids the list lacks come from the other sources their attestations name."""
    graph = gazetteer.graph
    whs_of_qid: dict[str, str] = {}
    qid_of_whs: dict[str, str] = {}
    with REFERENCE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["wikidata_qid"].startswith("Q"):
                whs_of_qid[row["wikidata_qid"]] = row["unesco_whs_id"]
                if row["unesco_whs_id"]:
                    qid_of_whs[row["unesco_whs_id"]] = row["wikidata_qid"]
    checked = 0
    for entity, qid_iri in graph.subject_objects(HKG.wikidata):
        qid = str(qid_iri).removeprefix(str(WD))
        whs = graph.value(entity, HKG.whsId)
        if qid in whs_of_qid:
            checked += 1
            assert (str(whs) if whs is not None else "") == whs_of_qid[qid] or not whs_of_qid[qid], entity
        if whs is not None and str(whs) in qid_of_whs:
            checked += 1
            assert qid == qid_of_whs[str(whs)], f"{entity}: WHS {whs} is {qid_of_whs[str(whs)]} in the list"
    for entity, whs in graph.subject_objects(HKG.whsId):
        if str(whs) in qid_of_whs:
            assert graph.value(entity, HKG.wikidata) == WD[qid_of_whs[str(whs)]], entity
    assert checked >= 30  # most of the list is in the gazetteer


@pytest.mark.skipif(not UNESCO_TABLE.exists(), reason="../shared/data/unesco_enriched_cleaned_all.csv is absent")
def test_world_heritage_ids_agree_with_the_unesco_table(gazetteer):
    """Every World Heritage id in the gazetteer is a row of the UNESCO/Wikidata table, with the same page
    and, where the table gives one, that QID."""
    with UNESCO_TABLE.open(encoding="utf-8") as stream:
        rows = {row["id_number 1"]: row for row in csv.DictReader(stream)}
    graph = gazetteer.graph
    for entity, whs in graph.subject_objects(HKG.whsId):
        assert str(whs) in rows, f"{entity}: WHS id {whs} is not in the table"
        assert graph.value(entity, HKG.whsPage) == URIRef(f"https://whc.unesco.org/en/list/{whs}"), entity
        table_qid = rows[str(whs)]["wikidata_URI"].rsplit("/", 1)[-1]
        if table_qid.startswith("Q"):  # linked wherever an item carries the id
            assert graph.value(entity, HKG.wikidata) == WD[table_qid], f"{entity}: the table says {table_qid}"


def test_every_in_danger_year_has_a_source(gazetteer):
    graph = gazetteer.graph
    years = list(graph.subject_objects(HKG.inDangerSince))
    assert (HKGD["site/palmyra"], Literal("2013", datatype=XSD.gYear)) in years
    for entity, year in years:
        assert (entity, RDF.type, HKG.WorldHeritageSite) in graph, entity
        sources = [graph.value(a, DCTERMS.source) for a in graph.subjects(CRM.P140_assigned_attribute_to, entity)
                   if (a, CRM.P177_assigned_property_of_type, HKG.inDangerSince) in graph
                   and (a, CRM.P141_assigned, year) in graph]
        assert sources and all(str(source or "").strip() for source in sources), entity


def test_every_file_conforms_to_the_shapes(gazetteer):
    from pyshacl import validate

    from heritage_kg import resources

    shapes = Graph()
    with resources.shapes_file().open("rb") as stream:
        shapes.parse(stream, format="turtle")
    ontology = Graph()
    with resources.ontology_file().open("rb") as stream:
        ontology.parse(stream, format="turtle")
    conforms, _graph, text = validate(gazetteer.graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert conforms, text
