"""The shipped gazetteer (data/gazetteer/*.ttl): known sites, monuments, places and actors with their names."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import resources
from .model import EntityRef
from .namespaces import HKG, HKGD

ASSET_KINDS = ("WorldHeritageSite", "HeritageSite", "Monument", "HeritageObject")
ACTOR_KINDS = ("ArmedGroup", "ArmedForces", "State", "InternationalOrganisation", "NewsOrganisation",
               "Organisation", "Person", "Actor")
# Most specific first: an entry typed HeritageSite and WorldHeritageSite is a WorldHeritageSite.
_KIND_ORDER = ASSET_KINDS + ("Place",) + ACTOR_KINDS


@dataclass(frozen=True)
class Entry:
    iri: URIRef
    key: str  # IRI path below the data namespace
    label: str
    names: tuple[str, ...]  # label first, then alternative names
    kind: str
    part_of: str | None  # key of the whole
    demonyms: tuple[str, ...]
    country: str | None = None  # key of the country place
    located_in: str | None = None  # key of the town or city place (hkg:locatedIn)

    @property
    def is_actor(self) -> bool:
        return self.kind in ACTOR_KINDS

    @property
    def is_asset(self) -> bool:
        return self.kind in ASSET_KINDS

    @property
    def is_site(self) -> bool:
        return self.kind in ("WorldHeritageSite", "HeritageSite")


def normalise_name(text: str) -> str:
    """Lower case, no accents, typographic quotes folded, a leading article and possessive 's dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-")
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


class Gazetteer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.entries: dict[str, Entry] = {}
        self._by_name: dict[str, list[Entry]] = defaultdict(list)
        self._by_demonym: dict[str, list[Entry]] = defaultdict(list)
        for subject in sorted(set(graph.subjects(RDFS.label, None)), key=str):  # the same order in every run
            entry = self._entry(graph, URIRef(str(subject)))
            if entry is None:
                continue
            self.entries[entry.key] = entry
            for name in entry.names:
                self._by_name[normalise_name(name)].append(entry)
            for demonym in entry.demonyms:
                self._by_demonym[demonym.lower()].append(entry)
        self.countries = {entry.country for entry in self.entries.values() if entry.country}
        # What the linker compares spelling variants against (normalised names of heritage assets).
        self.asset_names = sorted({normalise_name(n) for e in self.entries.values() if e.is_asset for n in e.names})
        # Nodes that belong to an entry (geometry, attestations) sit below its IRI: <entry>/geometry.
        self._own_nodes: dict[str, list[URIRef]] = defaultdict(list)
        for node in set(graph.subjects()):
            key = str(node).removeprefix(str(HKGD))
            if key in self.entries or not isinstance(node, URIRef):
                continue
            owner = key
            while "/" in owner and owner not in self.entries:
                owner = owner.rsplit("/", 1)[0]
            if owner in self.entries:
                self._own_nodes[owner].append(node)

    @staticmethod
    def _entry(graph: Graph, iri: URIRef) -> Entry | None:
        types = {str(t).removeprefix(str(HKG)) for t in graph.objects(iri, RDF.type)}
        kind = next((k for k in _KIND_ORDER if k in types), None)
        if kind is None or not str(iri).startswith(str(HKGD)):
            return None
        label = str(graph.value(iri, RDFS.label))
        alt = sorted(str(n) for n in graph.objects(iri, SKOS.altLabel))
        whole = graph.value(iri, HKG.partOf)
        return Entry(
            iri=iri,
            key=str(iri).removeprefix(str(HKGD)),
            label=label,
            names=(label, *alt),
            kind=kind,
            part_of=str(whole).removeprefix(str(HKGD)) if whole is not None else None,
            demonyms=tuple(sorted(str(d) for d in graph.objects(iri, HKG.demonym))),
            country=str(country).removeprefix(str(HKGD)) if (country := graph.value(iri, HKG.country)) else None,
            located_in=str(town).removeprefix(str(HKGD)) if (town := graph.value(iri, HKG.locatedIn)) else None,
        )

    def national_actor(self, country_key: str, kinds: tuple[str, ...]) -> Entry | None:
        """The state (or its forces) of a country: "the government" in an article about Syria."""
        for kind in kinds:
            for entry in self.entries.values():
                if entry.kind == kind and entry.country == country_key:
                    return entry
        return None

    def lookup(self, name: str) -> list[Entry]:
        return list(self._by_name.get(normalise_name(name), ()))

    def by_demonym(self, word: str) -> list[Entry]:
        return list(self._by_demonym.get(word.lower(), ()))

    def names(self) -> list[tuple[str, Entry]]:
        return [(name, entry) for entry in self.entries.values() for name in entry.names]

    def ref(self, entry: Entry) -> EntityRef:
        whole = self.entries.get(entry.part_of) if entry.part_of else None
        town = self.entries.get(entry.located_in) if entry.located_in else None
        return EntityRef(
            key=entry.key,
            label=entry.label,
            kind=entry.kind,
            part_of=self.ref(whole) if whole is not None else None,
            in_gazetteer=True,
            located_in=self.ref(town) if town is not None else None,
        )

    def site_of(self, entry: Entry) -> Entry | None:
        """The heritage site an entry belongs to (itself, for a site), following part-of."""
        seen = set()
        current: Entry | None = entry
        while current is not None and current.key not in seen:
            if current.is_site:
                return current
            seen.add(current.key)
            current = self.entries.get(current.part_of) if current.part_of else None
        return None

    def description(self, key: str) -> Graph:
        """The triples describing one entry and its own nodes (geometry, identifier attestations)."""
        iri = HKGD[key]
        out = Graph()
        for triple in self.graph.triples((iri, None, None)):
            out.add(triple)
        for node in self._own_nodes.get(key, ()):
            for triple in self.graph.triples((node, None, None)):
                out.add(triple)
        return out


@cache
def load_gazetteer() -> Gazetteer:
    graph = Graph()
    for file in resources.gazetteer_files():
        with file.open("rb") as stream:
            graph.parse(stream, format="turtle", publicID=str(HKGD))
    return Gazetteer(graph)
