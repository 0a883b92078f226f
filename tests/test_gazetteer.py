"""The shipped gazetteer: every identifier has a source, and agrees with the shared reference list."""

import csv
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from heritage_kg.gazetteer import load_gazetteer
from heritage_kg.namespaces import CRM, HKG, HKGD, WD

REFERENCE = Path(__file__).parent.parent.parent / "shared" / "reference" / "identifiers.csv"


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_every_identifier_has_an_attestation_with_a_source(gazetteer):
    graph = gazetteer.graph
    for prop in (HKG.wikidata, HKG.whsId):
        for entity, value in graph.subject_objects(prop):
            attestations = [
                a for a in graph.subjects(CRM.P140_assigned_attribute_to, entity)
                if (a, CRM.P177_assigned_property_of_type, prop) in graph and (a, CRM.P141_assigned, value) in graph
            ]
            assert attestations, f"{entity} {prop} {value} has no attestation"
            assert all(str(graph.value(a, DCTERMS.source) or "").strip() for a in attestations), entity


def test_unverified_monuments_stay_unlinked(gazetteer):
    for key in ("monument/palmyra/tetrapylon", "monument/palmyra/roman-theatre"):
        assert gazetteer.graph.value(HKGD[key], HKG.wikidata) is None


def test_seed_identifiers(gazetteer):
    graph = gazetteer.graph
    assert graph.value(HKGD["site/palmyra"], HKG.wikidata) == WD.Q5747
    assert graph.value(HKGD["site/palmyra"], HKG.whsId) == Literal("23")
    assert graph.value(HKGD["site/palmyra"], HKG.whsPage) == URIRef("https://whc.unesco.org/en/list/23")
    assert graph.value(HKGD["actor/islamic-state"], HKG.wikidata) == WD.Q2429253
    assert graph.value(HKGD["monument/palmyra/monumental-arch"], HKG.wikidata) == WD.Q21077991
    assert (HKGD["site/palmyra"], RDF.type, HKG.WorldHeritageSite) in graph


def test_names_and_demonyms(gazetteer):
    assert [e.key for e in gazetteer.lookup("Tadmur")] == ["site/palmyra"]
    assert [e.key for e in gazetteer.lookup("the Islamic State of Iraq and the Levant")] == ["actor/islamic-state"]
    assert [e.key for e in gazetteer.by_demonym("Russian")] == ["actor/russia"]
    facade_site = gazetteer.site_of(gazetteer.entries["monument/palmyra/roman-theatre"])
    assert facade_site is not None and facade_site.key == "site/palmyra"


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference/identifiers.csv is absent")
def test_identifiers_agree_with_the_reference_list(gazetteer):
    graph = gazetteer.graph
    reference_qids = {}
    with REFERENCE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["wikidata_qid"].startswith("Q"):
                reference_qids[row["wikidata_qid"]] = row["unesco_whs_id"]
    for entity, qid_iri in graph.subject_objects(HKG.wikidata):
        qid = str(qid_iri).removeprefix(str(WD))
        assert qid in reference_qids, f"{entity}: {qid} is not in the reference list"
        whs = graph.value(entity, HKG.whsId)
        if whs is not None:
            assert str(whs) == reference_qids[qid], f"{entity}: WHS id {whs} != {reference_qids[qid]}"
