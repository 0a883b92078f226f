"""Linking names to gazetteer entries (link.py), on a small gazetteer written for these tests and on
articles written for them, read by the real extractor."""

from pathlib import Path

import pytest
from conftest import open_test_store
from rdflib import Graph

from heritage_kg import link
from heritage_kg.extract import extract
from heritage_kg.gazetteer import Gazetteer
from heritage_kg.ingest import parse_article, read_article
from heritage_kg.link import Whereabouts
from heritage_kg.pipeline import ingest_articles

# Two "Great Mosques" and one "Roman Theatre"; no identifiers: linking is by name and place alone.
FIXTURE = """
@prefix hkg: <https://w3id.org/heritage-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <https://w3id.org/heritage-kg/id/> .
<place/syria> a hkg:Place ; rdfs:label "Syria"@en .
<place/iraq> a hkg:Place ; rdfs:label "Iraq"@en .
<place/aleppo> a hkg:Place ; rdfs:label "Aleppo"@en ; hkg:country <place/syria> .
<place/mosul> a hkg:Place ; rdfs:label "Mosul"@en ; hkg:country <place/iraq> .
<site/palmyra> a hkg:HeritageSite ; rdfs:label "Palmyra"@en ; hkg:country <place/syria> .
<site/bosra> a hkg:HeritageSite ; rdfs:label "Bosra"@en ; hkg:country <place/syria> .
<site/old-aleppo> a hkg:HeritageSite ; rdfs:label "Ancient City of Aleppo"@en ; hkg:locatedIn <place/aleppo> ;
    hkg:country <place/syria> .
<monument/palmyra/roman-theatre> a hkg:Monument ; rdfs:label "Roman Theatre"@en ; hkg:partOf <site/palmyra> ;
    hkg:country <place/syria> .
<monument/palmyra/temple-of-baalshamin> a hkg:Monument ; rdfs:label "Temple of Baalshamin"@en ;
    hkg:partOf <site/palmyra> .
<monument/old-aleppo/umayyad-mosque> a hkg:Monument ; rdfs:label "Umayyad Mosque of Aleppo"@en ;
    skos:altLabel "Great Mosque of Aleppo"@en, "Umayyad Mosque"@en ; hkg:partOf <site/old-aleppo> .
<monument/mosul/great-mosque-of-al-nuri> a hkg:Monument ; rdfs:label "Great Mosque of al-Nuri"@en ;
    skos:altLabel "Great Mosque of Mosul"@en ; hkg:locatedIn <place/mosul> .
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(Graph().parse(data=FIXTURE, format="turtle"))


def where(*named: str, here: str | None = None, others: tuple[str, ...] = ()) -> Whereabouts:
    return Whereabouts(named=frozenset(named), other_places=frozenset(others), here=here)


def keys(entries) -> list[str]:
    return [entry.key for entry in entries]


def test_spelling_variants_link_and_near_names_do_not(gazetteer):
    assert keys(link.candidates(gazetteer, "the Temple of Baal Shamin")) == ["monument/palmyra/temple-of-baalshamin"]
    assert keys(link.candidates(gazetteer, "Baalshamin Temple")) == ["monument/palmyra/temple-of-baalshamin"]
    assert keys(link.candidates(gazetteer, "Roman Theater")) == ["monument/palmyra/roman-theatre"]
    assert link.candidates(gazetteer, "Temple of Nabu") == []
    assert link.candidates(gazetteer, "Bosr") == []  # too short to guess at


def test_a_monument_links_only_where_the_article_is(gazetteer):
    theatre = gazetteer.entries["monument/palmyra/roman-theatre"]
    assert link.link_asset(gazetteer, "the Roman theatre", where("site/palmyra", "place/syria")) == theatre
    # an article about Bosra: not Palmyra's theatre
    assert link.link_asset(gazetteer, "the Roman theatre", where("site/bosra", "place/syria")) is None
    # an article naming a town the gazetteer lacks (Jerash): not Palmyra's either
    assert link.link_asset(gazetteer, "the Roman theatre", where(others=("jerash",))) is None
    # an article naming its country and no place below it may mean its country's monument; naming
    # nothing at all, or another country, it does not
    assert link.link_asset(gazetteer, "the Roman theatre", where("place/syria")) == theatre
    assert link.link_asset(gazetteer, "the Roman theatre", where("place/iraq")) is None
    assert link.link_asset(gazetteer, "the Roman theatre", where()) is None


def test_a_generic_name_is_read_with_the_places_the_article_names(gazetteer):
    aleppo = link.link_asset(gazetteer, "the Great Mosque", where("place/aleppo", "place/syria"))
    mosul = link.link_asset(gazetteer, "the Great Mosque", where("place/mosul", "place/iraq"))
    assert aleppo is not None and aleppo.key == "monument/old-aleppo/umayyad-mosque"
    assert mosul is not None and mosul.key == "monument/mosul/great-mosque-of-al-nuri"
    assert link.link_asset(gazetteer, "the Great Mosque", where("place/syria")) is None
    # named both: the passage's town decides, and with none, nothing is guessed
    both = ("place/aleppo", "place/mosul")
    assert link.link_asset(gazetteer, "the Great Mosque", where(*both)) is None
    chosen = link.link_asset(gazetteer, "the Great Mosque", where(*both, here="place/mosul"))
    assert chosen is not None and chosen.key == "monument/mosul/great-mosque-of-al-nuri"


def test_minted_keys_fold_case_articles_and_spelling():
    assert link.mint_key("the Roman Theater", "bosra") == "monument/bosra/roman-theatre"
    assert link.mint_key("Roman theatre", "bosra") == "monument/bosra/roman-theatre"
    assert link.mint_key("Mar Elián Monastery", None) == "monument/unplaced/mar-elian-monastery"


def article(source: str, body: str) -> bytes:
    return f"source: {source}\npublished: 2016-05-01\n---\n{body}".encode()


def read(source: str, body: str):
    return extract(parse_article(article(source, body), name=f"{source}.txt"))


def affected(extraction) -> list[str]:
    return sorted({event.asset.key for event in extraction.events})


def test_roman_theatres_of_different_places_are_different_things():
    palmyra = read("p", "Islamic State militants blew up the Roman theatre in Palmyra on Tuesday.")
    bosra = read("b", "Government shelling damaged the Roman theatre in Bosra on Tuesday.")
    jerash = read("j", "Looters damaged the Roman theatre in Jerash on Tuesday.")  # a town the gazetteer lacks
    nowhere = read("n", "The Roman theatre was damaged on Tuesday.")
    assert affected(palmyra) == ["monument/palmyra/roman-theatre"]
    assert len(affected(bosra)) == 1 and affected(bosra)[0].startswith("monument/ancient-city-of-bosra/")
    assert affected(jerash) == ["monument/jerash/roman-theatre"]
    assert affected(nowhere) == ["monument/unplaced/roman-theatre"]


def test_a_proper_name_links_even_where_the_article_names_another_town(gazetteer):
    temple = gazetteer.entries["monument/palmyra/temple-of-baalshamin"]
    assert link.link_asset(gazetteer, "Temple of Baalshamin", where("place/aleppo")) == temple
    assert link.is_generic("the Great Mosque") and link.is_generic("Roman theatres")
    assert not link.is_generic("Temple of Bel") and not link.is_generic("Saint Elian Monastery")


def test_one_unlisted_monument_named_by_two_articles_is_one_node(tmp_path: Path):
    first = tmp_path / "first.txt"
    second = tmp_path / "second.txt"
    first.write_bytes(article("first", "Islamic State militants destroyed the Temple of Nabu in Palmyra."))
    second.write_bytes(article("second", "In Palmyra, the Temple of Nabu was destroyed by Islamic State."))
    store = open_test_store(tmp_path / "store")
    ingest_articles((read_article(path) for path in (first, second)), store)
    rows = store.query(
        "PREFIX hkg: <https://w3id.org/heritage-kg/ontology#> "
        "SELECT DISTINCT ?monument WHERE { ?event hkg:affected ?monument }"
    ).rows
    assert rows == [("https://w3id.org/heritage-kg/id/monument/palmyra/temple-of-nabu",)]
    events = store.query(
        "PREFIX hkg: <https://w3id.org/heritage-kg/ontology#> SELECT (COUNT(DISTINCT ?e) AS ?n) "
        "WHERE { ?e hkg:affected <https://w3id.org/heritage-kg/id/monument/palmyra/temple-of-nabu> }"
    ).rows
    assert events == [("2",)]


def test_a_monument_in_a_town_is_minted_under_the_town():
    mosul = read("m", "Islamic State militants blew up the Mosul Museum's library in Mosul in 2015.")
    keys_ = affected(mosul)
    assert keys_ and all(key.startswith("monument/mosul/") for key in keys_)


def test_headlines_in_capitals_are_read_as_words_with_offsets_unchanged():
    from heritage_kg.extract.nlp import unshout

    headline = "AFGHANISTAN: TALIBAN DESTROYED BUDDHA STATUES, SAY EYEWITNESSES. IS and the UN agree."
    assert unshout(headline) == "Afghanistan: taliban destroyed buddha statues, SAY eyewitnesses. IS and the UN agree."
    assert unshout("The UNESCO site") == "The UNESCO site"  # one word in capitals is an acronym, not a headline


def test_a_kind_of_thing_read_with_the_article_place_links_to_the_listed_monument():
    extraction = read("b", "Taliban soldiers blew up the Buddha statues in Bamiyan in March 2001.")
    assert affected(extraction) == ["monument/bamiyan-valley/buddhas-of-bamiyan"]


def test_the_castle_is_the_listed_castle_named_before_under_another_spelling():
    extraction = read("a", "The Kalat el-Mudik castle stands above Apamea. The ruins of the castle have been "
                           "damaged by looters.")
    assert affected(extraction) == ["monument/apamea/qalat-al-madiq"]


def test_a_shrine_in_one_town_is_not_the_named_shrine_of_another():
    extraction = read("t", "A shrine in Tripoli was partly destroyed. Hardliners also damaged the shrine of "
                           "Abdel Salam al-Asmar in Zlitan.")
    assert affected(extraction) == ["monument/tripoli/shrine", "monument/zlitan/sidi-abdel-salam-al-asmar-mosque/tomb"]
