"""How long `heritage-kg reason` takes on stores of 1,000 and 10,000 heritage events.

    .venv/bin/python bench/reason_time.py [--events 1000 10000]

The stores are made from the seed article: it is ingested once (examples/), and its graph, with the
gazetteer's descriptions of what it names, is copied under new IRIs until the store holds the number
of events asked for (3 events, 5 changes of control and 6 statements per copy). Each copy gets its own
article, events, evidence and monuments; ten copies share a site, and all share the actors, so the
reasoner sees what a real store holds: many events per site, a few perpetrators. Reports, per size,
the time to read the store, to reason (owlready2 and HermiT) and to write the inferred graph, with the
facts inferred.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from heritage_kg.ingest import read_article
from heritage_kg.namespaces import GRAPH, HKGD, VOCABULARY_GRAPH
from heritage_kg.pipeline import ingest_articles
from heritage_kg.reason import PART_SIZE, load_schema, reason_store
from heritage_kg.store import KnowledgeStore, open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = EXAMPLES / "palmyra-2017-03-01.txt"
# Path segments of the IRIs that belong to one article: each copy gets its own key for them.
ARTICLE_SCOPED = {"article", "activity", "evidence", "event", "control", "statement", "claim"}
COPIES_PER_SITE = 10
WRITE_BATCH = 200


def seed_quads(directory: Path) -> list[ox.Quad]:
    with open_store(directory / "seed") as store:
        ingest_articles([read_article(SEED)], store)
        return list(store.quads())


def _renamed(iri: str, copy: int) -> str:
    for base in (str(HKGD), str(GRAPH)):
        if not iri.startswith(base):
            continue
        parts = iri[len(base):].split("/")
        if parts[0] in ARTICLE_SCOPED and len(parts) > 1:
            parts[1] = hashlib.sha256(f"{copy}/{parts[1]}".encode()).hexdigest()[:16]
        elif parts[:2] == ["monument", "palmyra"]:
            parts[1:2] = [f"palmyra-{copy // COPIES_PER_SITE}", f"copy-{copy}"]
        elif parts[:2] == ["site", "palmyra"]:
            parts[1] = f"palmyra-{copy // COPIES_PER_SITE}"
        return base + "/".join(parts)
    return iri


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, copy: int):  # type: ignore[no-untyped-def]
    return ox.NamedNode(_renamed(term.value, copy)) if isinstance(term, ox.NamedNode) else term


def copies(seed: list[ox.Quad], numbers: Iterable[int]) -> Iterator[ox.Quad]:
    for copy in numbers:
        for quad in seed:
            if quad.graph_name == ox.NamedNode(str(VOCABULARY_GRAPH)) and copy:
                continue
            yield ox.Quad(_term(quad.subject, copy), quad.predicate, _term(quad.object, copy),
                          _term(quad.graph_name, copy))


def write_copies(store: KnowledgeStore, seed: list[ox.Quad], numbers: Iterable[int]) -> None:
    """The copies' article graphs replaced; what they add to the shared graphs (entities) added."""
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    shared: list[ox.Quad] = []
    for quad in copies(seed, numbers):
        name = quad.graph_name.value  # type: ignore[union-attr]
        if name.startswith(str(GRAPH["article/"])):
            graphs[name].append(quad)
        else:
            shared.append(quad)
    store.replace_graphs(graphs, additions=shared)


def events_per_copy(seed: list[ox.Quad]) -> int:
    event_class = ox.NamedNode("https://w3id.org/heritage-kg/ontology#HeritageEvent")
    return len({quad.subject for quad in seed if quad.object == event_class})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--part-size", type=int, default=PART_SIZE,
                        help="individuals HermiT reasons over at a time (see heritage_kg.reason.split)")
    args = parser.parse_args()
    schema = load_schema()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        seed = seed_quads(directory)
        per_copy = events_per_copy(seed)
        for events in args.events:
            count = -(-events // per_copy)
            with open_store(directory / f"events-{events}") as store:
                for first in range(0, count, WRITE_BATCH):  # as ingest writes: a batch of articles at a time
                    write_copies(store, seed, range(first, min(first + WRITE_BATCH, count)))
                quads = store.quad_count()
                started = time.perf_counter()
                report = reason_store(store, schema, args.part_size)
                seconds = time.perf_counter() - started
            kinds = ", ".join(f"{n} {kind.rsplit('#', 1)[-1]}" for kind, n in sorted(report.facts.items()))
            print(f"{count * per_copy} events ({quads} quads; {report.asserted} facts about {report.individuals} "
                  f"individuals given to HermiT in {report.parts} parts): {seconds:.1f} s (read "
                  f"{report.seconds_reading:.1f} s, reason {report.seconds_reasoning:.1f} s, write "
                  f"{report.seconds_writing:.1f} s); inferred {kinds}", flush=True)


if __name__ == "__main__":
    main()
