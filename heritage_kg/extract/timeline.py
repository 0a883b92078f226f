"""The article's own timeline: who held a place when, and the dates it gives undated events.

"During its first period in control of the site, the jihadists destroyed ..." is dated by the control
changes the same article reports: from Islamic State's first capture to the government's recapture.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..gazetteer import Gazetteer
from ..model import ControlChange, EntityRef, HeritageEvent, PerpetratorClaim, TimeBounds
from . import lexicon
from .clauses import DraftEvent
from .dates import interval, year_bounds
from .entities import head_noun, plural_label


def fill_retaken_from(changes: list[tuple[ControlChange, str]]) -> list[ControlChange]:
    """A recapture's loser is whoever took the place before it, when the article says so."""
    out: list[ControlChange] = []
    for change, lemma in changes:
        if change.lost_by is None and lemma in lexicon.RETAKING_VERBS and change.gained_by is not None:
            earlier = [c for c in _by_time([c for c, _ in changes]) if c.place.key == change.place.key
                       and c.gained_by is not None and c.gained_by.key != change.gained_by.key
                       and c.when is not None and change.when is not None and c.when.latest <= change.when.earliest]
            if earlier:
                change = replace(change, lost_by=earlier[-1].gained_by)
        out.append(change)
    return out


def dedupe_control_changes(changes: list[ControlChange]) -> list[ControlChange]:
    """Drop a change that repeats another with less detail ("The government lost Palmyra" after the dated loss)."""
    kept: list[ControlChange] = []
    for change in changes:
        if any(_covers(other, change) for other in changes if other is not change and _detail(other) > _detail(change)):
            continue
        if any(_same(other, change) for other in kept):
            continue
        kept.append(change)
    return kept


def _detail(change: ControlChange) -> int:
    return sum(x is not None for x in (change.gained_by, change.lost_by, change.when)) + len(change.supporters)


def _covers(full: ControlChange, partial: ControlChange) -> bool:
    if full.place.key != partial.place.key:
        return False
    for mine, theirs in ((full.gained_by, partial.gained_by), (full.lost_by, partial.lost_by)):
        if theirs is not None and (mine is None or mine.key != theirs.key):
            return False
    if partial.when is not None and (full.when is None or full.when.edtf != partial.when.edtf):
        return False
    return True


def _same(a: ControlChange, b: ControlChange) -> bool:
    return _covers(a, b) and _covers(b, a)


def _by_time(changes: list[ControlChange]) -> list[ControlChange]:
    return sorted((c for c in changes if c.when is not None), key=lambda c: (c.when.earliest, c.when.latest))  # type: ignore[union-attr]


def control_periods(actor: EntityRef, place: EntityRef, changes: list[ControlChange],
                    published: date | None) -> list[TimeBounds]:
    """The periods the article says `actor` held `place`: from a gain to the next change of hands."""
    timeline = [c for c in _by_time(changes) if c.place.key == place.key]
    periods = []
    for index, change in enumerate(timeline):
        if change.gained_by is None or change.gained_by.key != actor.key or change.when is None:
            continue
        end = next((c.when for c in timeline[index + 1 :] if c.when is not None and (
            (c.gained_by is not None and c.gained_by.key != actor.key) or
            (c.lost_by is not None and c.lost_by.key == actor.key))), None)
        if end is None:
            if published is None:
                continue
            end = TimeBounds(published.isoformat(), published, published)
        periods.append(interval(change.when, end))
    return periods


def date_events(drafts: list[DraftEvent], changes: list[ControlChange], published: date | None) -> list[HeritageEvent]:
    out = []
    for draft in drafts:
        event = draft.event
        if event.when is None:
            event = replace(event, when=_undated_event_time(draft, changes, published))
        out.append(event)
    return out


def _undated_event_time(draft: DraftEvent, changes: list[ControlChange], published: date | None) -> TimeBounds | None:
    event = draft.event
    if event.site is not None:
        for actor in event.perpetrators:
            periods = control_periods(actor, event.site, changes, published)
            if not periods:
                continue
            if draft.period_cue == "first":
                return periods[0]
            if draft.period_cue == "latest" or len(periods) == 1:
                return periods[-1]
    if published is not None:
        # Reported as news with no time of its own: the year of the report, not after it.
        year = year_bounds(published.year)
        return TimeBounds(year.edtf, year.earliest, min(year.latest, published))
    return None


def _explicit(when: TimeBounds | None) -> bool:
    return when is not None and when.text is not None


DAMAGE_STRENGTH = {"destroyed": 2, "damaged": 1}


def dedupe_events(events: list[HeritageEvent], title: str | None = None,
                  gazetteer: Gazetteer | None = None) -> list[HeritageEvent]:
    """One event per asset and happening in an article.

    - "an ancient monastery" (a generic name) is the monastery the article names, when it names one;
    - "destroyed" and "damaged" reports of one asset at compatible times are one happening: the body's
      strongest word wins over the headline's;
    - later mentions add the perpetrators and the explicit date that the first lacked.
    """
    events = _generic_into_named(events, gazetteer)
    told_in: dict[tuple[str, str], set[int]] = {}  # the sentences each asset's reports came from
    body_types: dict[str, set[str]] = {}  # the damage words the body (not a heading) uses of each asset
    for event in events:
        told_in.setdefault((event.asset.key, event.event_type), set()).add(event.evidence.start)
        if event.event_type in DAMAGE_STRENGTH and not _is_headline(event, title):
            body_types.setdefault(event.asset.key, set()).add(event.event_type)
    events = _merge_same_type(events, title)  # first, so each report knows its perpetrators
    events = _one_damage_per_asset(events, told_in, body_types)
    events = _headlines_told_again(events, title)
    return _threats_carried_out(_merge_same_type(events, title))


def _threats_carried_out(events: list[HeritageEvent]) -> list[HeritageEvent]:
    """Explosives planted in a temple that the article says was blown up are part of its destruction."""
    return [e for e in events if e.event_type != "threatened" or not any(
        o.asset.key == e.asset.key and o.event_type in DAMAGE_STRENGTH and _compatible(o.when, e.when)
        for o in events)]


def _headlines_told_again(events: list[HeritageEvent], title: str | None) -> list[HeritageEvent]:
    """A headline or sub-heading ("Relics ransacked") that the body tells again, maybe under a fuller
    name ("valuable Islamic relics ransacked"), is the body's event, not another one."""
    body = [e for e in events if not _is_headline(e, title)]
    kept = []
    for event in events:
        if _is_headline(event, title) and any(
                b.event_type == event.event_type and (b.asset.key == event.asset.key or
                                                      head_noun(b.asset.label) == head_noun(event.asset.label))
                for b in body):
            continue
        kept.append(event)
    return kept


def _kinds(asset: EntityRef, gazetteer: Gazetteer | None) -> set[str | None]:
    """The kinds of thing an asset's names say it is: "al-Shaab al-Dahmani Mosque", also called "shrine of
    al-Shaab al-Dahmani", is a mosque and a shrine."""
    entry = gazetteer.entries.get(asset.key) if gazetteer is not None and asset.in_gazetteer else None
    return {head_noun(name) for name in (entry.names if entry is not None else (asset.label,))}


def _whereabouts(asset: EntityRef) -> set[str]:
    """The sites, wholes and towns an asset stands in, following part-of and located-in."""
    found: set[str] = set()
    pending = [ref for ref in (asset.part_of, asset.located_in) if ref is not None]
    while pending:
        ref = pending.pop()
        if ref.key not in found:
            found.add(ref.key)
            pending += [other for other in (ref.part_of, ref.located_in) if other is not None]
    return found


def _may_stand_together(generic: EntityRef, named: EntityRef) -> bool:
    """"A shrine in Tripoli" is not the shrine the article names in Zlitan."""
    here, there = _whereabouts(generic), _whereabouts(named)
    return not here or not there or bool(here & there)


def _generic_into_named(events: list[HeritageEvent], gazetteer: Gazetteer | None = None) -> list[HeritageEvent]:
    named = [e.asset for e in events if e.asset.in_gazetteer or e.asset.named]
    out = []
    for event in events:
        asset = event.asset
        if not asset.in_gazetteer and not asset.named:
            kind = head_noun(asset.label.split(",")[0])
            same_kind = {a.key: a for a in named if kind is not None and kind in _kinds(a, gazetteer)
                         and plural_label(a.label) == plural_label(asset.label) and _may_stand_together(asset, a)}
            if len(same_kind) == 1:
                event = replace(event, asset=next(iter(same_kind.values())))
        out.append(event)
    return out


def _one_damage_per_asset(events: list[HeritageEvent], told_in: dict[tuple[str, str], set[int]],
                          body_types: dict[str, set[str]]) -> list[HeritageEvent]:
    out: list[HeritageEvent] = []
    for event in events:
        other = next((o for o in out if o.asset.key == event.asset.key and o.event_type in DAMAGE_STRENGTH
                      and event.event_type in DAMAGE_STRENGTH and o.event_type != event.event_type
                      and (_compatible(o.when, event.when)
                           or event.evidence.start in told_in.get((o.asset.key, o.event_type), set()))
                      and _same_hands(o, event)), None)
        if other is None:
            out.append(event)
            continue
        # The body's strongest word wins; a headline's only when the body has none for this asset.
        said = body_types.get(event.asset.key, set())
        strongest = max(said, key=DAMAGE_STRENGTH.__getitem__) if said else None
        pair = [e for e in (other, event) if strongest is None or e.event_type == strongest]
        winner = max(pair or [other, event], key=lambda e: DAMAGE_STRENGTH[e.event_type])
        out[out.index(other)] = replace(winner, perpetrators=winner.perpetrators or other.perpetrators
                                        or event.perpetrators)
    return out


def _same_hands(a: HeritageEvent, b: HeritageEvent) -> bool:
    """Reports that blame different actors are different happenings (shelling, then demolition)."""
    if not (a.perpetrators and b.perpetrators):
        return True
    return {p.key for p in a.perpetrators} == {p.key for p in b.perpetrators}


def _is_headline(event: HeritageEvent, title: str | None) -> bool:
    """The title repeated, or a line that ends without a full stop (a heading, a sub-heading)."""
    text = event.evidence.text.strip()
    return (title is not None and text == title.strip()) or not text.endswith((".", "!", "?", '"', "”", "'", "’", ")"))


def _compatible(a: TimeBounds | None, b: TimeBounds | None) -> bool:
    if a is None or b is None:
        return True
    return a.earliest <= b.latest and b.earliest <= a.latest


def _merge_same_type(events: list[HeritageEvent], title: str | None = None) -> list[HeritageEvent]:
    merged: dict[tuple[str, str, int], HeritageEvent] = {}
    for event in events:
        # Explicitly dated reports that cannot overlap are different happenings ("destroyed in the 8th
        # century", "destroyed on Wednesday"); all else about one asset and type is one.
        era = next((k[2] for k, e in merged.items() if k[:2] == (event.asset.key, event.event_type)
                    and _compatible(e.when, event.when)), len(merged))
        key = (event.asset.key, event.event_type, era)
        first = merged.get(key)
        if first is None:
            merged[key] = event
        elif event.status == "reported" and first.status in ("disputed", "denied") and _explicit(event.when) \
                and not _explicit(first.when):
            # A dated report of the act itself beats an undated, contested mention ("denied earlier
            # reports ...; then, yesterday, they blew it up").
            merged[key] = replace(event, perpetrators=event.perpetrators or first.perpetrators)
        else:
            if first.status == "disputed" and event.perpetrators:
                extra = tuple(PerpetratorClaim(p, event.reported_by[0] if event.reported_by else None)
                              for p in event.perpetrators)
                first = replace(first, claims=first.claims + tuple(c for c in extra if c not in first.claims))
            elif not first.perpetrators and event.perpetrators:
                first = replace(first, perpetrators=event.perpetrators)
            if _explicit(event.when) and not _explicit(first.when):
                first = replace(first, when=event.when)  # "blown up on Sunday" beats the report's year
            if _is_headline(first, title) and not _is_headline(event, title):
                first = replace(first, evidence=event.evidence, mention=event.mention)  # quote the body
            merged[key] = first
    return list(merged.values())
