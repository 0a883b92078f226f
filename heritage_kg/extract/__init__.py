"""Extraction: an Article in, an Extraction (events, control changes, statements, names) out.

    extract(article) -> Extraction

Stages: keep the article's own paragraphs (boilerplate out), parse them with spaCy, find gazetteer
names, read each sentence's clauses (clauses.py), then date what the text leaves undated from the
article's own timeline of control (timeline.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer, load_gazetteer
from ..link import Whereabouts
from ..model import Article, EntityRef, Extraction, PerpetratorClaim
from . import lexicon
from .boilerplate import article_paragraphs
from .clauses import Attribution, DraftEvent, SentenceReader
from .dates import parse_published
from .entities import ArticleContext, EntityResolver, Mention, slugify
from .nlp import load_pipeline, name_matcher, unshout
from .timeline import date_events, dedupe_control_changes, dedupe_events, fill_retaken_from

EXTRACTOR_NAME = "heritage-kg extractor"

__all__ = ["EXTRACTOR_NAME", "extract"]


def extract(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    gazetteer = gazetteer or load_gazetteer()
    nlp = load_pipeline()
    matcher = name_matcher(gazetteer)
    published = parse_published(article.published)
    context = ArticleContext(gazetteer)
    extraction = Extraction(article=article, publisher=_publisher(article, gazetteer))
    drafts: list[DraftEvent] = []
    changes = []
    attributions: list[Attribution] = []
    paragraphs = article_paragraphs(article.body)
    docs = list(nlp.pipe(unshout(text) for _, text in paragraphs))
    all_mentions = [[Mention(span, entries) for span, entries in matcher.matches(doc)] for doc in docs]
    _survey_places(docs, all_mentions, context)
    for (base, _text), doc, mentions in zip(paragraphs, docs, all_mentions, strict=True):
        resolver = EntityResolver(doc, base, mentions, context)
        sentences = list(doc.sents)
        for index, sent in enumerate(sentences):
            _remember_names(sent, resolver, context)
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            facts = SentenceReader(sent, resolver, published, following).read()
            drafts.extend(facts.events)
            changes.extend(facts.control_changes)
            attributions.extend(facts.attributions)
            extraction.statements.extend(facts.statements)
            extraction.names.extend(facts.names)
            for event in facts.events:
                context.remember_asset(base + sent.end_char, event.event.asset)
                for actor in event.event.perpetrators:
                    context.remember_actor(base + sent.end_char, actor)
            for change, _lemma in facts.control_changes:
                context.remember_place(base + sent.end_char, change.place)
    drafts = [_contested(draft, attributions) for draft in drafts]
    control = dedupe_control_changes(fill_retaken_from(changes))
    extraction.control_changes = control
    extraction.events = dedupe_events(date_events(drafts, control, published), article.title, gazetteer)
    return extraction


def _survey_places(docs: list[Doc], mentions: list[list[Mention]], context: ArticleContext) -> None:
    """Before reading: the sites and places the whole article names, which the linker needs to tell
    Palmyra's Roman theatre from Bosra's."""
    gazetteer = context.gazetteer
    named: set[str] = set()
    towns: Counter[str] = Counter()
    for doc_mentions in mentions:
        for mention in doc_mentions:
            places = [e for e in mention.entries if e.is_site or e.kind == "Place"]
            if len(places) == 1 and len(mention.entries) == 1:
                named.add(places[0].key)
                if places[0].kind == "Place" and places[0].key not in gazetteer.countries:
                    towns[places[0].key] += 1
    others: Counter[str] = Counter()
    for doc, doc_mentions in zip(docs, mentions, strict=True):
        covered = {i for mention in doc_mentions for i in range(mention.span.start, mention.span.end)}
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC") and covered.isdisjoint(range(ent.start, ent.end)):
                others[slugify(ent.text)] += 1
        for token in doc:  # "in Jerash", which the tagger may take for a person
            if token.dep_ == "pobj" and token.head.lower_ in ("in", "near") and token.pos_ == "PROPN" \
                    and token.ent_type_ not in ("GPE", "LOC", "DATE", "NORP") and token.i not in covered:
                others[slugify(token.text)] += 1
    context.whereabouts = Whereabouts(named=frozenset(named), other_places=frozenset(others))
    if towns:
        context.main_town = gazetteer.ref(gazetteer.entries[max(sorted(towns), key=towns.__getitem__)])
    if others:
        context.main_other_place = max(sorted(others), key=others.__getitem__)


def _remember_names(sent: Span, resolver: EntityResolver, context: ArticleContext) -> None:
    """Record the actors and places a sentence names, at their offsets, before reading it."""
    for mention, entry in resolver.entity_mentions(sent, modifiers=True):
        if entry.is_actor:  # also as a modifier: "Ansar Dine fighters" names Ansar Dine
            context.remember_actor(resolver.base + mention.span.start_char, resolver.gazetteer.ref(entry))
    for mention, entry in resolver.entity_mentions(sent):
        offset = resolver.base + mention.span.start_char
        ref = resolver.gazetteer.ref(entry)
        if entry.is_actor:
            continue
        elif entry.is_site or entry.kind == "Place":
            context.remember_place(offset, ref)
        elif entry.is_asset and (site := resolver.gazetteer.site_of(entry)) is not None:
            context.remember_place(offset, resolver.gazetteer.ref(site))
        if entry.is_asset:
            context.remember_asset(offset, ref)
    for token in sent:
        if token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.INSTRUMENT_NOUNS:
            side = resolver.instrument_actor(token) or resolver.attacker_of(token)
            if side is not None:
                context.remember_instrument(resolver.base + token.idx, side)
    for token in sent:  # named monuments the gazetteer does not know: "the Saint Elian Monastery"
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in lexicon.HERITAGE_NOUNS \
                and resolver.mention_of(token) is None:
            phrase = resolver.phrase(token)
            if any(t.pos_ == "PROPN" for t in phrase):
                found = resolver.asset(token)
                if isinstance(found, tuple):
                    context.remember_asset(resolver.base + phrase.start_char, found[0])


# How far back (in characters) "the destruction" of a later blame can reach.
ATTRIBUTION_REACH = 1200


def _contested(draft: DraftEvent, attributions: list[Attribution]) -> DraftEvent:
    """An event that a later sentence blames on someone else is disputed: each side's account becomes a
    perpetrator claim, and the graph states no perpetrator as fact."""
    event = draft.event
    if event.event_type not in ("destroyed", "damaged", "looted"):
        return draft
    for attribution in attributions:
        distance = attribution.offset - event.evidence.start
        accused_already = {p.key for p in event.perpetrators} == {attribution.accused.key}
        # before the blame: the destruction it is about; after it, within the same story: later
        # mentions that still name the side the blame contradicts
        reach = 0 < distance <= ATTRIBUTION_REACH or (
            -ATTRIBUTION_REACH <= distance < 0 and bool(event.perpetrators) and not accused_already)
        same_asset = attribution.asset is None or attribution.asset.key == event.asset.key
        if not (reach and same_asset) or accused_already:
            continue
        source = event.reported_by[0] if event.reported_by else None
        claims = tuple(PerpetratorClaim(p, source) for p in event.perpetrators)
        claims += (PerpetratorClaim(attribution.accused, attribution.claimant),)
        event = replace(event, status="disputed", hedge=event.hedge or "blamed", perpetrators=(),
                        claims=event.claims + claims)
        return DraftEvent(event, draft.period_cue)
    return draft


def _publisher(article: Article, gazetteer: Gazetteer) -> EntityRef | None:
    if not article.publisher:
        return None
    for entry in gazetteer.lookup(article.publisher):
        if entry.is_actor:
            return gazetteer.ref(entry)
    return EntityRef(key=f"actor/{slugify(article.publisher)}", label=article.publisher, kind="NewsOrganisation")
