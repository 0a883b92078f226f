"""Linking: which real-world thing a name in an article stands for.

    link_asset(gazetteer, name, where) -> Entry | None
    choose(gazetteer, entries, where) -> Entry | None
    mint_key(name, home) -> str

A name links to a gazetteer entry when it matches one of the entry's names (exactly, or as a spelling
variant: rapidfuzz) and the entry stands where the article is. "The Roman theatre" in an article about
Bosra is not Palmyra's, and "the Great Mosque" in Aleppo is not Mosul's: a monument of a site or a town
links only when the article names that site or town. A name that links to nothing gets an IRI minted
from where it stands and its normalised name, so two articles naming the same unlisted monument give
one node, and two different "Roman theatres" give two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .gazetteer import Entry, Gazetteer, normalise_name

# Spelling variants closer than this (rapidfuzz token_sort_ratio, 0-100) name the same thing:
# "Baal Shamin" ~ "Baalshamin", "Temple of Baalshamin" ~ "Baalshamin Temple"; "Temple of Bel" and
# "Temple of Nabu" (74) stay apart.
FUZZY_CUTOFF = 90
# Short names differ by a letter from other short names ("Mari", "Mali"): exact matches only.
FUZZY_MIN_LENGTH = 8

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


def stands_here(gazetteer: Gazetteer, entry: Entry, where: Whereabouts) -> bool:
    """Whether an entry can be what an article about these places means.

    Sites, places and actors stand anywhere. A monument stands here when the article names its site or
    town; an article that names no place below a country at all may still mean a monument of its country.
    """
    own = homes(gazetteer, entry)
    if not entry.is_asset or entry.is_site or not own:
        return True
    if own & where.named:
        return True
    towns_named = {key for key in where.named if key not in gazetteer.countries}
    if towns_named or where.other_places:
        return False
    return entry.country is None or not where.named or entry.country in where.named


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


def choose(gazetteer: Gazetteer, entries: Sequence[Entry], where: Whereabouts) -> Entry | None:
    """One entry among those a name matched: the one that stands where the article is; when several
    do, the one at the site or town the passage is about; None when that still leaves a choice."""
    placed = [entry for entry in entries if stands_here(gazetteer, entry, where)]
    if len(placed) == 1:
        return placed[0]
    if where.here is not None:
        at_here = [entry for entry in placed if entry.key == where.here or where.here in homes(gazetteer, entry)]
        if len(at_here) == 1:
            return at_here[0]
    return None  # ambiguous or elsewhere: better unlinked than wrong


def link_asset(gazetteer: Gazetteer, name: str, where: Whereabouts) -> Entry | None:
    """The gazetteer asset a name stands for in an article, or None.

    A generic name is tried with each place the article names: "the Great Mosque" in an article that
    names Aleppo is "the Great Mosque of Aleppo"."""
    assets = [entry for entry in candidates(gazetteer, name) if entry.is_asset]
    chosen = choose(gazetteer, assets, where)
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
    return choose(gazetteer, qualified, where)


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
