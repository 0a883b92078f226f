"""Linking: which real-world thing a name in an article stands for.

    link_asset(gazetteer, name, where) -> Entry | None
    choose(gazetteer, entries, where) -> Entry | None
    mint_key(name, home) -> str
    pick_wikidata_item(node, items) -> WikidataLink | None

A name links to a gazetteer entry when it matches one of the entry's names (exactly, or as a spelling
variant: rapidfuzz) and the entry stands where the article is. "The Roman theatre" in an article about
Bosra is not Palmyra's, and "the Great Mosque" in Aleppo is not Mosul's: a monument of a site or a town
links only when the article names that site or town. A name that links to nothing gets an IRI minted
from where it stands and its normalised name, so two articles naming the same unlisted monument give
one node, and two different "Roman theatres" give two.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from rapidfuzz import fuzz, process

from .gazetteer import Entry, Gazetteer, normalise_name

# Spelling variants closer than this (rapidfuzz token_sort_ratio, 0-100) name the same thing:
# "Baal Shamin" ~ "Baalshamin", "Temple of Baalshamin" ~ "Baalshamin Temple"; "Temple of Bel" and
# "Temple of Nabu" (74) stay apart.
FUZZY_CUTOFF = 90
# Short names differ by a letter from other short names ("Mari", "Mali"): exact matches only.
FUZZY_MIN_LENGTH = 8

# Words that say what kind of thing, not which one: with only these, a name needs its place named.
_JOINING_WORDS = {"of", "the", "al", "el", "in", "at", "and"}
_GENERIC_MODIFIERS = {
    "roman", "greek", "byzantine", "ottoman", "islamic", "christian", "great", "grand", "old", "ancient", "main",
    "national", "central", "new", "holy", "historic", "historical", "archaeological", "city", "cultural",
    "orthodox", "catholic", "friday", "congregational", "royal", "municipal", "public",
}

# British and American spellings, folded so that both mint the same IRI.
_SPELLINGS = {"theater": "theatre", "center": "centre", "artifact": "artefact", "artifacts": "artefacts"}


@dataclass(frozen=True)
class Whereabouts:
    """Where an article is: what it names, in plain data.

    named: gazetteer keys of the heritage sites and places (towns, countries) the article names.
    other_places: places the gazetteer does not know (named entities), normalised.
    here: the key of the site or town the passage being read is about, when known.
    """

    named: frozenset[str] = frozenset()
    other_places: frozenset[str] = frozenset()
    here: str | None = None


def homes(gazetteer: Gazetteer, entry: Entry) -> set[str]:
    """The sites and towns an entry stands in: its wholes (hkg:partOf, at any depth) and their towns."""
    found: set[str] = set()
    current: Entry | None = entry
    while current is not None and current.key not in found:
        if current is not entry:
            found.add(current.key)
        if current.located_in:
            found.add(current.located_in)
        current = gazetteer.entries.get(current.part_of) if current.part_of else None
    return found


def is_generic(name: str) -> bool:
    """Whether a name says only what kind of thing it is ("the Roman theatre", "the Great Mosque", "the
    National Museum"): many places have one. "Saint Elian Monastery" and "Temple of Bel" are proper names."""
    words = [w for w in re.split(r"[^a-z0-9]+", normalise_name(name)) if w and w not in _JOINING_WORDS]
    generic = _generic_words()
    return all(w in generic or w.rstrip("s") in generic for w in words)


@cache
def _generic_words() -> frozenset[str]:
    from .extract import lexicon  # here, not at the top: the extractor imports this module

    return frozenset(lexicon.HERITAGE_NOUNS | lexicon.PART_NOUNS | lexicon.CLASS_NOUNS | _GENERIC_MODIFIERS)


def stands_here(gazetteer: Gazetteer, entry: Entry, where: Whereabouts, name: str | None = None) -> bool:
    """Whether an entry can be what an article about these places means by `name`.

    Sites, places and actors stand anywhere, and so does a monument named by a proper name. A monument
    named generically ("the Roman theatre") stands here only when the article names its site or town, or
    names its country and no place below a country at all.
    """
    own = homes(gazetteer, entry)
    if not entry.is_asset or entry.is_site or not own:
        return True
    if own & where.named or (name is not None and not is_generic(name)):
        return True
    towns_named = {key for key in where.named if key not in gazetteer.countries}
    if towns_named or where.other_places:
        return False
    return entry.country is not None and entry.country in where.named


def candidates(gazetteer: Gazetteer, name: str) -> list[Entry]:
    """Entries carrying this name: exactly (case, accents and a leading article aside), else as a
    spelling variant."""
    exact = gazetteer.lookup(name)
    if exact:
        return exact
    wanted = normalise_name(name)
    if len(wanted) < FUZZY_MIN_LENGTH:
        return []
    names = gazetteer.asset_names
    found: list[Entry] = []
    for _choice, _score, index in process.extract(wanted, names, scorer=_spelling_similarity,
                                                  score_cutoff=FUZZY_CUTOFF, limit=None):
        for entry in gazetteer.lookup(names[index]):
            if entry not in found:
                found.append(entry)
    return found


def _spelling_similarity(name: str, other: str, **_: object) -> float:
    """How alike two names are as spellings of one name: word order aside ("Baalshamin Temple"), or
    with spaces and hyphens aside ("Baal Shamin", "Baal-Shamin")."""
    squashed = fuzz.ratio(re.sub(r"[\s'-]+", "", name), re.sub(r"[\s'-]+", "", other))
    return max(fuzz.token_sort_ratio(name, other), squashed)


def choose(gazetteer: Gazetteer, entries: Sequence[Entry], where: Whereabouts, name: str | None = None) -> Entry | None:
    """One entry among those `name` matched: the one that stands where the article is; when several do,
    the one whose site or town the article names, then the one at the site or town of the passage;
    None when that still leaves a choice."""
    placed = [entry for entry in entries if stands_here(gazetteer, entry, where, name)]
    if len(placed) > 1:
        named_home = [entry for entry in placed if homes(gazetteer, entry) & where.named]
        placed = named_home or placed
    if len(placed) > 1 and where.here is not None:
        placed = [entry for entry in placed if entry.key == where.here or where.here in homes(gazetteer, entry)]
    return placed[0] if len(placed) == 1 else None  # ambiguous or elsewhere: better unlinked than wrong


def link_asset(gazetteer: Gazetteer, name: str, where: Whereabouts) -> Entry | None:
    """The gazetteer asset a name stands for in an article, or None.

    A generic name is tried with each place the article names: "the Great Mosque" in an article that
    names Aleppo is "the Great Mosque of Aleppo"."""
    assets = [entry for entry in candidates(gazetteer, name) if entry.is_asset]
    chosen = choose(gazetteer, assets, where, name)
    if chosen is not None:
        return chosen
    qualified: list[Entry] = []
    for key in sorted(where.named, key=lambda k: (k != where.here, k)):
        place = gazetteer.entries.get(key)
        if place is None or key in gazetteer.countries:
            continue
        for place_name in place.names:
            for variant in (f"{name} of {place_name}", f"{place_name} {name}", f"{place_name}'s {name}"):
                for entry in gazetteer.lookup(variant):
                    if entry.is_asset and entry not in qualified:
                        qualified.append(entry)
    return choose(gazetteer, qualified, where)  # a qualified name is no longer generic: it names the place


def normalised_slug(text: str) -> str:
    """A name as an IRI path segment: lower case, ASCII, hyphens, one spelling of each word."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    words = re.split(r"[^a-z0-9]+", text.replace("'", "").replace("’", ""))
    return "-".join(_SPELLINGS.get(word, word) for word in words if word) or "unnamed"


def mint_key(name: str, home: str | None) -> str:
    """The key of a monument the gazetteer does not know: where it stands (the slug of its site or town,
    or "unplaced") and its normalised name."""
    return f"monument/{home or 'unplaced'}/{normalised_slug(name)}"


# ---------------------------------------------------------------------------------------------------------
# Wikidata: a stored node with no QID, and the items whose label or alias it carries


class WikidataCandidate(Protocol):
    """What the linker reads of a Wikidata item (wikidata.WikidataItem)."""

    @property
    def qid(self) -> str: ...
    @property
    def label(self) -> str | None: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def country(self) -> tuple[str, ...]: ...
    @property
    def located_in(self) -> tuple[str, ...]: ...
    @property
    def part_of(self) -> tuple[str, ...]: ...
    @property
    def coordinates(self) -> tuple[float, float] | None: ...


# A candidate this close to the site or town (great-circle distance) stands there.
NEAR_KM = 5.0


@dataclass(frozen=True)
class UnlinkedNode:
    """A heritage asset in the store with no QID, and where it stands (QIDs of its site, town, country;
    the coordinates, longitude first, of the nearest of those that has them)."""

    iri: str
    label: str
    kind: str
    site_qid: str | None = None
    town_qid: str | None = None
    country_qid: str | None = None
    point: tuple[float, float] | None = None
    where_names: tuple[str, ...] = ()  # labels of its site and town


@dataclass(frozen=True)
class WikidataLink:
    node: UnlinkedNode
    qid: str
    matched_name: str
    reason: str  # why its place matches: "part of Q5747 (P361)", "2.1 km from the site"


def lookup_names(node: UnlinkedNode) -> list[str]:
    """The names to look a node up by, as Wikidata writes labels: as stored, and with capitals.
    A label that names a thing only by its kind and place ("Mausoleums, Timbuktu") is not looked up."""
    if "," in node.label:
        return []
    name = re.sub(r"^(the|a|an)\s+", "", node.label.strip(), flags=re.I)
    names = [name]
    for place in node.where_names:  # "Roman Theatre of Bosra" is Wikidata's "Roman Theatre" part of Bosra
        for joint in (" of ", " in ", " at "):
            if name.lower().endswith(f"{joint}{place}".lower()) and len(name) > len(joint + place):
                names.append(name[: -len(joint + place)])
    out = []
    for each in names:
        capitalised = " ".join(w if w.lower() in ("of", "the", "al", "el") or not w else w[0].upper() + w[1:]
                               for w in each.split(" "))
        out += [each, capitalised, each[0].upper() + each[1:]]
    return list(dict.fromkeys(out))


def place_matches(node: UnlinkedNode, item: WikidataCandidate) -> str | None:
    """Why a candidate stands where the node does (None if it does not): part of the node's site
    (P361), located in its site or town (P131), near its site or town (P625), or, for a node placed no
    closer than its country, in that country (P17)."""
    if node.site_qid and node.site_qid in item.part_of:
        return f"part of {node.site_qid} (P361)"
    for qid in (node.site_qid, node.town_qid):
        if qid and qid in item.located_in:
            return f"located in {qid} (P131)"
    if node.point is not None and item.coordinates is not None:
        distance = great_circle_km(node.point, item.coordinates)
        if distance <= NEAR_KM:
            return f"{distance:.1f} km from its site or town (P625)"
    if not (node.site_qid or node.town_qid or node.point) and node.country_qid and node.country_qid in item.country:
        return f"in {node.country_qid} (P17), the closest place known"
    return None


def pick_wikidata_item(node: UnlinkedNode, items: Sequence[WikidataCandidate]) -> WikidataLink | None:
    """The one item that carries one of the node's names and stands where it does; None when no item,
    or more than one, does: a wrong QID is worse than none."""
    wanted = {normalise_name(name) for name in lookup_names(node)}
    accepted: dict[str, WikidataLink] = {}
    for item in items:
        names = [name for name in (item.label, *item.aliases) if name and normalise_name(name) in wanted]
        reason = place_matches(node, item) if names else None
        if reason is not None and item.qid not in accepted:
            accepted[item.qid] = WikidataLink(node, item.qid, names[0], reason)
    return next(iter(accepted.values())) if len(accepted) == 1 else None


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km between two (longitude, latitude) points (haversine, mean Earth radius)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def parse_wkt_point(wkt: str | None) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT point such as "POINT(38.27 34.55)" (Wikidata writes "Point(…)")."""
    match = re.fullmatch(r"\s*(?:<[^>]*>\s*)?point\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*", wkt or "", re.I)
    return (float(match.group(1)), float(match.group(2))) if match else None
