#!/usr/bin/env python3
"""How the extractor links the monuments of a gold-annotated corpus: to the gazetteer entry, or minted.

Usage:
  python eval/link_report.py --gold ../shared/corpus/gold.yaml --articles ../shared/corpus/articles \\
      --scorer ../shared/eval/score.py

For each gold event, the gazetteer entry the gold monument stands for is found by the linker itself
(link.link_asset on the gold name and each alternative in its parentheses, placed by the gold site); the
extracted event it corresponds to is the one whose monument name the shared scorer matches best. A gold
monument the gazetteer lists counts as linked when that event's monument is that entry (or, counted
apart, a part of it: the walls of a listed church). Printed last: `gold monuments the gazetteer lists: N;
linked to that entry: L; to a part of it: P`, after the minted count.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import yaml

from heritage_kg.extract import extract
from heritage_kg.gazetteer import Entry, Gazetteer, load_gazetteer
from heritage_kg.ingest import read_article
from heritage_kg.link import Whereabouts, link_asset
from heritage_kg.model import EntityRef, HeritageEvent


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot load the scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_whereabouts(gazetteer: Gazetteer, site: str, scorer: ModuleType) -> Whereabouts:
    """The gazetteer sites and places a gold `site` field names ("Aleppo (Old City)", "Mosul / Nineveh")."""
    named: set[str] = set()
    for alias in scorer.aliases(site or ""):
        for part in re.split(r"\s*/\s*", alias):
            for entry in gazetteer.lookup(part):
                if entry.is_site or entry.kind == "Place":
                    named.add(entry.key)
                    if entry.country:
                        named.add(entry.country)
    return Whereabouts(named=frozenset(named))


def listed_entry(gazetteer: Gazetteer, monument: str, where: Whereabouts, scorer: ModuleType) -> Entry | None:
    for alias in scorer.aliases(monument):
        entry = link_asset(gazetteer, alias, where)
        if entry is not None:
            return entry
    return None


def best_event(gold_name: str, events: list[HeritageEvent], scorer: ModuleType) -> HeritageEvent | None:
    scored = [(max(scorer.monument_match(gold_name, e.asset.label), scorer.monument_match(gold_name, e.mention)), e)
              for e in events]
    scored = [(score, event) for score, event in scored if score > 0]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def _wholes(ref: EntityRef) -> set[str]:
    wholes: set[str] = set()
    while ref.part_of is not None:
        ref = ref.part_of
        wholes.add(ref.key)
    return wholes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--scorer", type=Path, required=True, help="the shared score.py (its name matching)")
    args = parser.parse_args()
    scorer = load_scorer(args.scorer)
    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    gazetteer = load_gazetteer()
    listed = linked = as_part = minted = unlisted = 0
    problems: list[str] = []
    for article_id, entry in sorted(gold.items()):
        path = args.articles / f"{article_id}.txt"
        if not path.exists() or not entry.get("events"):
            continue
        events = extract(read_article(path)).events
        for event in entry["events"]:
            where = gold_whereabouts(gazetteer, event.get("site") or "", scorer)
            expected = listed_entry(gazetteer, event["monument"], where, scorer)
            found = best_event(event["monument"], events, scorer)
            if expected is not None:
                listed += 1
                if found is not None and found.asset.key == expected.key:
                    linked += 1
                elif found is not None and expected.key in _wholes(found.asset):
                    as_part += 1
                    problems.append(f"{article_id}: {event['monument']!r} is {expected.key}; extracted as its "
                                    f"part {found.asset.key}")
                else:
                    got = found.asset.key if found is not None else "no event extracted"
                    problems.append(f"{article_id}: {event['monument']!r} is {expected.key}; extracted as {got}")
            else:
                unlisted += 1
                if found is not None and not found.asset.in_gazetteer:
                    minted += 1
    for line in problems:
        print(line)
    print(f"gold monuments not in the gazetteer: {unlisted}; extracted and minted: {minted}")
    print(f"gold monuments the gazetteer lists: {listed}; linked to that entry: {linked}; "
          f"to a part of it: {as_part}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
