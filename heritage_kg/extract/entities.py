"""Noun phrases -> the things they name: heritage assets, places and actors, with the article's context.

The context remembers what the article has named so far, so "the group", "the jihadists", "the site"
and "it" can point back to a named actor or place, and an unlisted monument gets the site the article
is about. Nothing is guessed from outside the text: a description with no earlier named antecedent
resolves to nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from .. import link
from ..gazetteer import ACTOR_KINDS, Entry, Gazetteer
from ..link import Whereabouts
from ..model import EntityRef
from . import lexicon

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
SAME_PASSAGE = 400  # characters: how far back "the sites" may point to a group of things
MAIN_SITE_MENTIONS = 3  # a site named this often is what an article is about


def in_direct_quote(doc: Doc, sentence_start: int, char: int) -> bool:
    """Whether a character of the sentence stands inside quotation marks opened before it."""
    before = doc.text[sentence_start:char]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-") or "unnamed"


@dataclass
class Mention:
    span: Span
    entries: list[Entry]


@dataclass
class ArticleContext:
    """What the article has named so far, in reading order."""

    gazetteer: Gazetteer
    whereabouts: Whereabouts = field(default_factory=Whereabouts)  # what the whole article names
    main_town: EntityRef | None = None  # the town (gazetteer place) the article names most
    main_other_place: str | None = None  # slug of the place the gazetteer lacks that the article names most
    actors: list[tuple[int, EntityRef]] = field(default_factory=list)  # (char offset, actor)
    places: list[tuple[int, EntityRef]] = field(default_factory=list)  # sites and places
    site_counts: dict[str, int] = field(default_factory=dict)
    assets: list[tuple[int, EntityRef]] = field(default_factory=list)  # named heritage assets
    country_counts: dict[str, int] = field(default_factory=dict)

    def remember_asset(self, offset: int, ref: EntityRef) -> None:
        self.assets.append((offset, ref))

    instruments: list[tuple[int, EntityRef]] = field(default_factory=list)  # "an Israeli airstrike" -> Israel

    def remember_instrument(self, offset: int, ref: EntityRef) -> None:
        self.instruments.append((offset, ref))

    def recent_instrument(self, before: int) -> EntityRef | None:
        earlier = [ref for offset, ref in self.instruments if offset < before]
        return earlier[-1] if earlier else None

    def recent_group(self, before: int, within: int) -> EntityRef | None:
        """The latest asset named in the plural ("shrines in Timbuktu") at most `within` characters back."""
        for offset, ref in reversed(self.assets):
            if before - within <= offset < before and plural_label(ref.label):
                return ref
        return None

    def topic_monument(self, before: int) -> EntityRef | None:
        """The monument the article has named most so far (the latest of equals)."""
        counts: dict[str, int] = {}
        last_seen: dict[str, tuple[int, EntityRef]] = {}
        for position, (offset, ref) in enumerate(self.assets):
            if offset < before and ref.kind == "Monument" and (ref.part_of is None or ref.part_of.kind != "Monument"):
                counts[ref.key] = counts.get(ref.key, 0) + 1
                last_seen[ref.key] = (position, ref)
        if not counts:
            return None
        best = max(counts, key=lambda key: (counts[key], last_seen[key][0]))
        return last_seen[best][1]

    def last_asset(self, before: int, plural: bool | None = None) -> EntityRef | None:
        """The latest asset named before `before`; with `plural`, one named in that number ("it"/"them")."""
        earlier = [ref for offset, ref in self.assets if offset < before
                   and (plural is None or plural_label(ref.label) == plural)]
        return earlier[-1] if earlier else None

    def recent_asset_named(self, before: int, name: str, any_kind: bool = False) -> EntityRef | None:
        """An asset named before whose distinctive words include this name's: "Nuri mosque" after
        "Grand al-Nuri Mosque"."""
        words, kind = _distinctive_words(name), head_noun(name)
        if not words:
            return None
        for offset, ref in reversed(self.assets):
            same_kind = any_kind or kind == head_noun(ref.label)
            if offset < before and words <= _distinctive_words(ref.label) and same_kind:
                return ref
        return None

    def recent_asset(self, before: int, noun: str) -> EntityRef | None:
        """The latest named asset whose name holds the noun: "the temple" -> "Temple of Baalshamin"."""
        stem = noun.lower().rstrip("s")
        earlier = [ref for offset, ref in reversed(self.assets) if offset < before]
        # The kind of thing first ("the monastery" is not "Bells of the ... Monastery"), by any of its
        # names ("the castle" after "Qal'at al-Madiq", also called "Kalat el-Mudik castle"), then any mention.
        for ref in earlier:
            if stem in {head_noun(name) for name in self._names_of(ref)}:
                return ref
        for ref in earlier:
            if re.search(rf"\b{re.escape(stem)}", ref.label, re.I) and head_noun(ref.label) is None:
                return ref
        return None

    def _names_of(self, ref: EntityRef) -> list[str]:
        entry = self.gazetteer.entries.get(ref.key) if ref.in_gazetteer else None
        return list(entry.names) if entry is not None else [ref.label]

    def remember_actor(self, offset: int, ref: EntityRef) -> None:
        self.actors.append((offset, ref))

    def remember_place(self, offset: int, ref: EntityRef) -> None:
        self.places.append((offset, ref))
        if ref.kind in ("HeritageSite", "WorldHeritageSite"):
            self.site_counts[ref.key] = self.site_counts.get(ref.key, 0) + 1
        entry = self.gazetteer.entries.get(ref.key)
        country = ref.key if ref.key in self.gazetteer.countries else (entry.country if entry else None)
        if country is not None:
            self.country_counts[country] = self.country_counts.get(country, 0) + 1

    def main_country(self) -> str | None:
        """The country the article is about: the one its places lie in most often."""
        return max(self.country_counts, key=self.country_counts.__getitem__) if self.country_counts else None

    def recent_actor(self, before: int, kinds: tuple[str, ...] | None, word: str | None = None) -> EntityRef | None:
        """The latest actor named before `before` of the preferred kinds; one whose name holds the
        describing word comes first ("the government" -> "Syrian government", not "Russia")."""
        earlier = [ref for offset, ref in self.actors if offset < before]
        if kinds is None:
            return earlier[-1] if earlier else None
        if word is not None:
            for ref in reversed(earlier):
                if ref.kind in kinds and re.search(rf"\b{re.escape(word.rstrip('s'))}", ref.label, re.I):
                    return ref
        for kind in kinds:  # the preferred kind first, the most recent mention of it
            for ref in reversed(earlier):
                if ref.kind == kind:
                    return ref
        return None

    def recent_place(self, before: int, sites_only: bool = False) -> EntityRef | None:
        for offset, ref in reversed(self.places):
            if offset < before and (not sites_only or ref.kind in ("HeritageSite", "WorldHeritageSite")):
                return ref
        return None

    def main_site(self, at_least: int = 1) -> EntityRef | None:
        """The site the article names most, if it names it at least `at_least` times."""
        if not self.site_counts:
            return None
        key = max(self.site_counts, key=lambda k: self.site_counts[k])
        if self.site_counts[key] < at_least:
            return None
        return next(ref for _, ref in self.places if ref.key == key)

    def place_offset(self, ref: EntityRef) -> int:
        return max(offset for offset, place in self.places if place.key == ref.key)


class EntityResolver:
    """Resolves the noun phrases of one parsed paragraph (a Doc) against the gazetteer and the context."""

    def __init__(self, doc: Doc, base: int, mentions: list[Mention], context: ArticleContext) -> None:
        self.doc = doc
        self.base = base  # offset of the Doc in the article body
        self.context = context
        self.gazetteer = context.gazetteer
        self._mention_at: dict[int, Mention] = {}
        for mention in mentions:
            for i in range(mention.span.start, mention.span.end):
                self._mention_at[i] = mention

    # ------------------------------------------------------------------ gazetteer mentions
    def mention_of(self, token: Token) -> Mention | None:
        """The gazetteer mention a token heads, unless the name only modifies another noun
        ("the Palmyra museum", "the "Palmyra triangle"": a different thing, named after it)."""
        mention = self._mention_at.get(token.i)
        if mention is None:
            return None
        root = mention.span.root
        if root.dep_ == "compound" and root.head.i >= mention.span.end and root.head.pos_ in ("NOUN", "PROPN") \
                and not self._names_its_own_kind(mention, root.head):
            return None
        after = mention.span.end
        if after < len(self.doc) and self.doc[after].pos_ == "PROPN" and self.doc[after].is_title \
                and not self.doc[after].ent_type_ == "DATE":
            return None  # "the UNESCO World Heritage Site": the name is part of a longer one
        return mention

    @staticmethod
    def _names_its_own_kind(mention: Mention, noun: Token) -> bool:
        """ "the Kalat el-Mudik castle": a monument's name before the kind of thing it is, not a part of it
        (a minaret) or a thing named after a place ("the Palmyra museum")."""
        lemma = noun.lemma_.lower()
        return all(entry.kind == "Monument" for entry in mention.entries) and lemma in lexicon.HERITAGE_NOUNS \
            and lemma not in lexicon.PART_NOUNS and noun.tag_ not in ("NNS", "NNPS")

    def entity_mentions(self, span: Span, modifiers: bool = False) -> list[tuple[Mention, Entry]]:
        """Gazetteer mentions inside a span, each with its best entry for this article's context;
        with `modifiers`, also names that modify a noun ("Islamic State militants")."""
        out = []
        seen: set[int] = set()
        for token in span:
            mention = self._mention_at.get(token.i) if modifiers else self.mention_of(token)
            if mention is None or mention.span.start in seen:
                continue
            seen.add(mention.span.start)
            entry = self.choose(mention.entries, token)
            if entry is not None:
                out.append((mention, entry))
        return out

    def choose(self, entries: list[Entry], token: Token) -> Entry | None:
        """One entry among those a name matched: the one that stands where the article is (link.py)."""
        if len(entries) == 1 and not entries[0].is_asset:
            return entries[0]
        mention = self._mention_at.get(token.i)
        return link.choose(self.gazetteer, entries, self.where(token), mention.span.text if mention else None)

    def where(self, token: Token) -> Whereabouts:
        """The article's whereabouts, with the site or town this phrase is at."""
        here = self.site_context(token) or self.town_context(token)
        return replace(self.context.whereabouts, here=here.key if here is not None else None)

    def town_context(self, token: Token) -> EntityRef | None:
        """The town a phrase is in, when no heritage site is: one named in the sentence, else earlier in
        the paragraph, else the town the article names most."""
        for candidate in token.sent:
            mention = self._mention_at.get(candidate.i)
            if mention is not None and len(mention.entries) == 1 and self._is_town(mention.entries[0]):
                return self.gazetteer.ref(mention.entries[0])
        for offset, ref in reversed(self.context.places):
            if self.base <= offset < self.base + token.idx and self._is_town(self.gazetteer.entries.get(ref.key)):
                return ref
        return self.context.main_town

    def _is_town(self, entry: Entry | None) -> bool:
        return entry is not None and entry.kind == "Place" and entry.key not in self.gazetteer.countries

    # ------------------------------------------------------------------ noun phrases
    @staticmethod
    def phrase(head: Token) -> Span:
        """The noun phrase a head token stands for: its modifiers and `of` complements, not its clauses."""
        left = head.i
        for child in head.lefts:
            if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "quantmod", "nmod", "advmod",
                              "punct", "npadvmod", "case", "predet"):
                left = min(left, child.left_edge.i)
        right = head.i
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                right = max(right, child.right_edge.i)
            elif child.dep_ in ("compound", "punct", "nummod", "case") and child.i == right + 1:
                right = child.i
        span = head.doc[left : right + 1]
        while len(span) > 1 and span[-1].is_punct:
            span = span[:-1]
        while len(span) > 1 and (span[0].is_punct or span[0].dep_ == "cc"):
            span = span[1:]
        return span

    @staticmethod
    def name_text(span: Span) -> str:
        """The phrase as a name: determiners, possessives and descriptive words dropped."""
        words = []
        skip: set[int] = set()
        for token in span:
            if token.dep_ == "poss" and not token.is_punct:  # (a hyphen the parser took for a possessive)
                skip.update(t.i for t in token.subtree)
        dropped: set[int] = set()
        for token in span:
            if token.i in skip or token.dep_ in ("det", "predet", "case") or token.is_punct and token.text != "-":
                dropped.add(token.i)
            elif token.lower_ in lexicon.DESCRIPTIVE_WORDS or token.like_num or token.lower_ in lexicon.AGE_WORDS \
                    or (token.lower_ in lexicon.QUANTITY_WORDS and token.i < span.root.i) \
                    or re.fullmatch(r"\d+(?:st|nd|rd|th)", token.lower_):
                dropped.add(token.i)
        for token in span:
            if token.i in dropped or (token.text == "-" and ({token.i - 1, token.i + 1} & dropped)):
                continue
            words.append(token.text)
        text = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-")
        text = re.sub(r"(^|\s)-+", r"\1", text)  # what is left of "15th-Century" and "1,800-year-old"
        return text.strip(" -\"'“”")

    @staticmethod
    def written(span: Span) -> str:
        """A phrase as the article writes it, without a leading determiner."""
        while len(span) > 1 and span[0].dep_ in ("det", "predet"):
            span = span[1:]
        return span.text

    @staticmethod
    def conjuncts(head: Token) -> list[Token]:
        """A head and the heads coordinated with it: "the Tetrapylon and the facade of ..."."""
        out = [head]
        for token in head.conjuncts:
            if token not in out:
                out.append(token)
        return sorted(out, key=lambda t: t.i)

    # ------------------------------------------------------------------ sites and places
    def site_context(self, token: Token) -> EntityRef | None:
        """The heritage site a phrase is at: named in the phrase, in the sentence, or the article's."""
        for candidate in token.subtree:
            mention = self._mention_at.get(candidate.i)
            if mention is not None:
                # one site, or none: "the Umayyad Mosque" of no named city could be Aleppo's or Damascus's
                named = {s.key: s for e in self._standing_here(mention) if (s := self.gazetteer.site_of(e)) is not None}
                if len(named) == 1:
                    return self.gazetteer.ref(next(iter(named.values())))
        for mention in (self._mention_at.get(t.i) for t in token.sent):
            if mention is None:
                continue
            sites = {s.key: s for e in self._standing_here(mention) if (s := self.gazetteer.site_of(e)) is not None}
            if len(sites) == 1:
                return self.gazetteer.ref(next(iter(sites.values())))
        nearby = self.context.recent_place(self.base + token.idx, sites_only=True)
        if nearby is not None and self.context.place_offset(nearby) >= self.base:
            return nearby  # named earlier in this paragraph
        return self.context.main_site(at_least=MAIN_SITE_MENTIONS)  # else none: better unplaced than wrong

    def _standing_here(self, mention: Mention) -> list[Entry]:
        """A mention's entries that can be meant in this article ("Roman theatre" in Bosra is not Palmyra's)."""
        return [e for e in mention.entries
                if link.stands_here(self.gazetteer, e, self.context.whereabouts, mention.span.text)]

    def place(self, head: Token) -> EntityRef | None:
        """The place a control change is about."""
        offset = self.base + head.idx
        if head.lower_ in ("it", "there") or (head.lemma_ in ("city", "town", "site", "area") and
                                              any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)):
            return self.context.recent_place(offset)
        named = self._named_as(head)
        if named is not None:
            return EntityRef(key=f"place/{slugify(named)}", label=named, kind="Place")
        mention = self.mention_of(head)
        if mention is not None:
            entry = self.choose(mention.entries, head)
            if entry is not None and not entry.is_actor:
                phrase = self.phrase(head)
                extra = [t for t in phrase if t.i not in range(mention.span.start, mention.span.end)
                         and t.dep_ not in ("det", "poss", "case") and not t.is_punct]
                if extra:  # "eastern Aleppo": a part of the place, named as written
                    label = self.name_text(phrase)
                    return EntityRef(key=f"place/{slugify(label)}", label=label, kind="Place")
                return self.gazetteer.ref(entry)
        if head.pos_ == "PROPN" or head.ent_type_ in ("GPE", "LOC", "FAC"):
            label = self.name_text(self.phrase(head))
            if label:
                return EntityRef(key=f"place/{slugify(label)}", label=label, kind="Place")
        return None

    @staticmethod
    def _named_as(head: Token) -> str | None:
        """'an area known as the "Palmyra triangle"' -> 'Palmyra triangle'."""
        for child in head.children:
            if child.dep_ == "acl" and child.lemma_ in ("know", "call", "name", "dub"):
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == "as":
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                return EntityResolver.name_text(EntityResolver.phrase(obj)) or None
                for obj in child.children:
                    if obj.dep_ in ("oprd", "attr", "dobj") and obj.pos_ == "PROPN":
                        return EntityResolver.name_text(EntityResolver.phrase(obj)) or None
        return None

    # ------------------------------------------------------------------ heritage assets
    def asset(self, head: Token) -> tuple[EntityRef, str] | str | None:
        """The heritage asset a phrase names, with the name as written; "generic" for a class of things
        ("ancient monuments"); None when the phrase names no heritage."""
        phrase = self.phrase(head)
        mention = self.mention_of(head)
        if mention is not None:
            entry = self.choose(mention.entries, head)
            if entry is not None and (entry.is_asset or entry.kind == "Place"):
                if entry.kind == "Place":
                    return None  # a city as such is not a heritage asset
                return self.gazetteer.ref(entry), mention.span.text
        lemma = head.lemma_.lower()
        if lemma in lexicon.HERITAGE_NOUNS and (name := self.name_text(phrase)):
            known = link.link_asset(self.gazetteer, name, self.where(head))
            if known is not None:  # a spelling variant, or a kind of thing read with the article's places:
                return self.gazetteer.ref(known), self.written(phrase)  # "Buddha statues" in Bamian
        appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if appos is not None and lemma in lexicon.HERITAGE_NOUNS and head.tag_ not in ("NNS", "NNPS"):
            return self.named_asset(appos, lemma)  # "the monument 'House of State Industry'"
        if lemma in lexicon.CONTAINER_NOUNS or head.lower_ in lexicon.CONTAINER_NOUNS:
            contained = self._of_object(head)
            if contained is not None:  # "the ruins of the castle", "the ancient city of Nimrud"
                found = self.asset(contained)
                if isinstance(found, tuple):
                    return found[0], self.written(phrase)
        is_objects = lemma in lexicon.OBJECT_NOUNS and head.tag_ in ("NNS", "NNPS") and (
            self._of_object(head) is not None or any(c.dep_ == "poss" for c in head.children))
        if lemma in lexicon.PART_NOUNS or is_objects:  # "the facade of ...", "relics of the mosque"
            whole = self._whole_of(head)
            if whole is not None:
                part_name = head.text.lower() if head.text.lower() != "façade" else "facade"
                ref = EntityRef(
                    key=f"{whole.key}/{slugify(part_name)}",
                    label=f"{part_name.capitalize()} of the {whole.label}",
                    kind="HeritageObject" if is_objects else "Monument",
                    part_of=whole,
                )
                return ref, self.written(phrase)
        if head.pos_ == "PRON" and head.lower_ in ("it", "them"):
            # "fired at the minaret until it was destroyed": a monument earlier in the sentence, else the
            # monument the article named last
            for token in reversed(head.sent[: head.i - head.sent.start]):
                if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in lexicon.HERITAGE_NOUNS \
                        and token.dep_ != "compound":
                    while token.dep_ == "pobj" and token.head.lower_ == "of" and (
                            token.head.head.lemma_.lower() in lexicon.HERITAGE_NOUNS | lexicon.PART_NOUNS):
                        token = token.head.head  # "the minaret of the mosque ... it": the minaret
                    found = self.asset(token)
                    if isinstance(found, tuple):
                        return found[0], head.text
            if head.lower_ == "it" and head.dep_ in ("nsubj", "nsubjpass") and head.i == head.sent.start:
                # "It was originally built in the 8th century ...": what the article is about
                topic = self.context.topic_monument(self.base + head.idx)
                if topic is not None:
                    return topic, head.text
            last = self.context.last_asset(self.base + head.idx, plural=head.lower_ == "them")
            return (last, head.text) if last is not None else None
        names_heritage = head.pos_ == "PROPN" and any(
            t.lemma_.lower() in lexicon.HERITAGE_NOUNS and t.i > head.i for t in phrase)  # "the Lion of Al-lat statue"
        if lemma not in lexicon.HERITAGE_NOUNS and head.lower_ not in lexicon.HERITAGE_NOUNS and not names_heritage:
            return None
        if lemma in lexicon.CLASS_NOUNS and head.tag_ in ("NNS", "NNPS") and self._definite(phrase, head):
            # "the Sufi sites", right after "shrines in Timbuktu": the group just reported
            earlier = self.context.recent_group(self.base + head.idx, within=SAME_PASSAGE)
            if earlier is not None:
                return earlier, self.written(phrase)
        # A proper name that is not itself a kind of thing: "Buddha statues" names no particular statues.
        # (a place in the phrase names where it is, not what it is: "the tomb of a scholar in Zlitan")
        where_words = {t.i for p in phrase if p.dep_ == "prep" and p.lower_ in ("in", "at", "near", "inside")
                       for t in p.subtree}
        has_name = any(t.pos_ == "PROPN" and t.dep_ != "poss" and not self._in_poss(t, phrase)
                       and t.lemma_.lower() not in lexicon.HERITAGE_NOUNS and t.i not in where_words
                       and t.ent_type_ != "NORP" for t in phrase)  # "Sufi", "Assyrian": kinds, not names
        counted = any(t.dep_ == "nummod" and t.head.i == head.i for t in phrase)  # "eight other statues"
        plural = head.tag_ in ("NNS", "NNPS")
        designation = all(t.lower_ in lexicon.DESIGNATION_WORDS or t.dep_ == "det" or t.is_punct for t in phrase)
        if lemma in lexicon.SITE_DESCRIPTORS and (not has_name or designation) and not plural \
                and self._definite(phrase, head):
            site = self.context.recent_place(self.base + head.idx, sites_only=True)
            if site is not None:  # "the Unesco World Heritage site": the site the article is about
                return site, self.written(phrase)
        if lemma in lexicon.WEAK_HERITAGE_NOUNS and not has_name:
            return "generic" if lemma in lexicon.SITE_DESCRIPTORS or plural else None
        if not has_name and not counted and self._definite(phrase, head):
            earlier = self.context.recent_asset(self.base + head.idx, lemma)
            if earlier is not None:  # "the temple", "the monastery": the one named before
                return earlier, self.written(phrase)
            topic = self.context.topic_monument(self.base + head.idx)
            bare = not any(c.dep_ == "prep" for c in head.children)  # not "the tomb of a Sufi scholar"
            if not plural and bare and topic is not None and lemma not in lexicon.CONTAINER_NOUNS \
                    and lemma not in lexicon.WEAK_HERITAGE_NOUNS and self._whole_of(head) is None:
                # "the shrine" in a report on a monastery, with no shrine named: the monastery's shrine
                noun = self.name_text(phrase) or head.text
                label = f"{noun[0].upper()}{noun[1:]} of the {topic.label}"
                ref = EntityRef(key=f"{topic.key}/{slugify(noun)}", label=label, kind="Monument", part_of=topic)
                return ref, self.written(phrase)
        # "artifacts at the Mosul Museum", "shrines in Timbuktu", "a church inside the monastery";
        # "monuments in Palmyra" stays a class of things
        located = self._located_in(head, sites=plural) if not has_name and lemma not in lexicon.CLASS_NOUNS else None
        if located is not None:
            whole, preposition = located
            noun = self.name_text(phrase) or head.text
            known = link.link_asset(self.gazetteer, noun, self.where(head))
            if known is not None:  # "Buddha statues in Bamian province": the Buddha statues of Bamian
                return self.gazetteer.ref(known), self.written(self._with_location(head, phrase))
            article = "the " if whole.kind == "Monument" else ""
            label = f"{noun[0].upper()}{noun[1:]} {preposition} {article}{whole.label}"
            kind = "HeritageObject" if lemma in lexicon.OBJECT_NOUNS else "Monument"
            ref = EntityRef(key=f"{whole.key}/{slugify(noun)}", label=label, kind=kind, part_of=whole)
            return ref, self.written(self._with_location(head, phrase))
        if plural and not has_name and not counted and (whole := self._whole_of(head)) is not None:
            noun = self.name_text(phrase) or head.text  # "the church bells": the church's bells
            for child in head.children:
                if child.dep_ == "compound" and noun.lower().startswith(child.lower_ + " "):
                    noun = noun[len(child.text) + 1 :]
            label = f"{noun[0].upper()}{noun[1:]} of the {whole.label}"
            kind = "HeritageObject" if lemma in lexicon.OBJECT_NOUNS else "Monument"
            return EntityRef(key=f"{whole.key}/{slugify(noun)}", label=label, kind=kind, part_of=whole), \
                self.written(phrase)
        if plural and not has_name and lemma in lexicon.OBJECT_NOUNS | {"relic", "artefact", "artifact"}:
            topic = self.context.topic_monument(self.base + head.idx)
            if topic is not None:  # "valuable relics ransacked" in a report on a mosque: the mosque's relics
                noun = self.name_text(phrase) or head.text
                label = f"{noun[0].upper()}{noun[1:]} of the {topic.label}"
                return EntityRef(key=f"{topic.key}/{slugify(noun)}", label=label, kind="HeritageObject",
                                 part_of=topic), self.written(phrase)
        if plural and not has_name and not counted:
            return "generic"
        name = self.name_text(phrase)
        if not name:
            return None
        written = self.written(phrase)
        if has_name:
            earlier = self.context.recent_asset_named(self.base + head.idx, name)
            if earlier is not None:
                return earlier, written
        entry = link.link_asset(self.gazetteer, name, self.where(head))
        if entry is not None:
            return self.gazetteer.ref(entry), written
        return self._mint(name, head, has_name, specific=has_name or counted), written

    def _mint(self, name: str, head: Token, has_name: bool, specific: bool = True) -> EntityRef:
        """A monument the gazetteer does not know, identified by where it stands and its name: its site,
        else its town, else the place the article names most that the gazetteer does not know."""
        site = self.site_context(head)
        town = self.town_context(head) if site is None else None
        where = site or town
        home = where.key.rsplit("/", 1)[-1] if where is not None else self.context.main_other_place
        label = name[0].upper() + name[1:]
        if not has_name and where is not None:
            label = f"{label}, {where.label}"  # "Mausoleums, Timbuktu": a bare "Mausoleums" names nothing
        # `specific`: a named thing, or a counted group ("seven tombs"), never merged into another
        return EntityRef(key=link.mint_key(name, home), label=label, kind="Monument", part_of=site,
                         located_in=town, named=specific)

    def named_asset(self, name_head: Token, kind_noun: str) -> tuple[EntityRef, str]:
        """A heritage asset named by a proper name in apposition: "mausoleums -- Sidi Mahmoud, ..."."""
        phrase = self.phrase(name_head)
        name = self.name_text(phrase)
        if not any(t.lemma_.lower() in lexicon.HERITAGE_NOUNS for t in phrase) and " of " not in f" {name} ":
            name = f"{kind_noun} of {name}"  # a saint's name stands for the saint's mausoleum
        entry = link.link_asset(self.gazetteer, name, self.where(name_head))
        if entry is not None:
            return self.gazetteer.ref(entry), phrase.text
        earlier = self.context.recent_asset_named(self.base + name_head.idx, name)
        return earlier or self._mint(name, name_head, True), phrase.text

    @staticmethod
    def _definite(phrase: Span, head: Token) -> bool:
        """'the temple', 'this ancient mosque', 'its minaret': a thing the reader already knows."""
        return any(t.dep_ in ("det", "poss") and t.lower_ in ("the", "this", "that", "these", "those", "its", "their")
                   for t in phrase if t.head.i == head.i)

    def _located_in(self, head: Token, sites: bool = False) -> tuple[EntityRef, str] | None:
        """The monument (or, with `sites`, the named site) a thing is in, with the preposition: "tombs at
        the Djingareyber mosque", "a church inside the monastery", also when the place hangs on the verb
        ("destroying statues at the Mosul Museum")."""
        holders = [head, head.head] if head.dep_ == "dobj" else [head]
        for child in (c for holder in holders for c in holder.children):
            if child.dep_ == "prep" and child.lower_ in ("at", "in", "inside", "from", "within"):
                for obj in child.children:
                    if obj.dep_ != "pobj" or obj.lemma_.lower() in lexicon.CONTAINER_NOUNS:
                        continue
                    found = self.asset(obj)
                    if not isinstance(found, tuple):
                        continue
                    is_site = found[0].kind in ("HeritageSite", "WorldHeritageSite")
                    if found[0].kind == "Monument" or (sites and is_site):
                        return found[0], child.lower_
        return None

    @staticmethod
    def _with_location(head: Token, phrase: Span) -> Span:
        end = max((c.right_edge.i for c in head.children if c.dep_ == "prep"
                   and c.lower_ in ("at", "in", "inside", "from", "within")), default=phrase.end - 1)
        return head.doc[phrase.start : max(end, phrase.end - 1) + 1]

    @staticmethod
    def _of_object(head: Token) -> Token | None:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return next((o for o in child.children if o.dep_ == "pobj"), None)
        return None

    def _whole_of(self, head: Token) -> EntityRef | None:
        for child in head.children:  # "its famous leaning minaret": the monument just named
            if child.dep_ == "poss" and child.lower_ in ("its", "their"):
                for token in reversed(head.sent[: child.i - head.sent.start]):
                    if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in lexicon.HERITAGE_NOUNS \
                            and token.dep_ != "compound" and token.i != head.i:
                        found = self.asset(token)
                        if isinstance(found, tuple):
                            return found[0]
        for child in head.children:  # "the monument's windows"
            if child.dep_ == "poss" and child.pos_ in ("NOUN", "PROPN") and child.lower_ not in ("its", "their"):
                found = self.asset(child)
                if isinstance(found, tuple) and found[0].kind != "Place":
                    return found[0]
                if child.pos_ == "PROPN":  # "the Derzhprom's windows" after "the Derzhprom building"
                    earlier = self.context.recent_asset_named(self.base + child.idx, child.text, any_kind=True)
                    if earlier is not None:
                        return earlier
        for child in head.children:  # "the church walls": the church named before, or a new one
            if child.dep_ == "compound" and child.pos_ == "NOUN" and child.lemma_.lower() in lexicon.HERITAGE_NOUNS:
                earlier = self.context.recent_asset(self.base + head.idx, child.lemma_)
                if earlier is not None:
                    return earlier
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "at"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.asset(obj)
                        if isinstance(found, tuple):
                            return found[0]
        return None

    @staticmethod
    def _in_poss(token: Token, phrase: Span) -> bool:
        node = token
        while node.i != node.head.i and node.i in range(phrase.start, phrase.end):
            if node.dep_ == "poss":
                return True
            node = node.head
        return False

    # ------------------------------------------------------------------ actors
    def actor(self, head: Token) -> EntityRef | None:
        """The actor a phrase names or points back to; None when the text names none."""
        offset = self.base + head.idx
        phrase = self.phrase(head)
        for _mention, entry in self.entity_mentions(phrase, modifiers=True):
            if entry.is_actor:
                return self.gazetteer.ref(entry)
        lemma = head.lemma_.lower()
        if lemma not in lexicon.ACTOR_DESCRIPTORS and lemma.rstrip("s") in lexicon.ACTOR_DESCRIPTORS:
            lemma = lemma.rstrip("s")  # a proper-noun plural keeps its "s" as lemma: "Islamists"
        if lemma in lexicon.MEMBER_NOUNS:  # "members of the group", "fighters from Ansar Dine"
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                    for obj in child.children:
                        if obj.dep_ == "pobj" and (owner := self.actor(obj)) is not None:
                            return owner
        if lemma in lexicon.INSTRUMENT_NOUNS or lemma in lexicon.ACTOR_DESCRIPTORS:
            by_demonym = self._demonym_actor(phrase)
            if by_demonym is not None:
                return by_demonym
        if lemma in lexicon.INSTRUMENT_NOUNS:
            for child in head.children:  # "a strike carried out by the United States"
                if child.dep_ == "acl":
                    for agent in child.children:
                        if agent.dep_ == "agent":
                            doer = next((o for o in agent.children if o.dep_ == "pobj"), None)
                            if doer is not None and (by := self.actor(doer)) is not None:
                                return by
            for child in head.children:  # "shelling by government forces", "missiles of the army"
                if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "of", "from"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return self.actor(obj)
            for child in head.children:
                if child.dep_ == "poss":
                    return self.actor(child)
                # "government shelling": the government the article is about (the parser may take the
                # modifier for a subject when it reads "shelling" as a verb)
                if child.dep_ in ("compound", "amod", "nsubj") and child.lemma_.lower() in lexicon.ACTOR_DESCRIPTORS:
                    return self.actor(child)
            if self._definite(phrase, head):  # "the strike": the one whose side was named before
                return self.context.recent_instrument(offset)
            return None
        if lemma in lexicon.ACTOR_DESCRIPTORS:
            for child in head.children:  # "the group's fighters"
                if child.dep_ == "poss":
                    owner = self.actor(child)
                    if owner is not None:
                        return owner
            qualifiers = [t for t in phrase if t.i != head.i and t.dep_ in ("compound", "amod", "nmod")
                          and t.lower_ not in lexicon.DESCRIPTIVE_WORDS and t.lower_ not in lexicon.GROUP_ADJECTIVES
                          and not t.is_punct and t.head.dep_ != "amod"]
            several_groups = lemma == "group" and head.tag_ == "NNS"
            if qualifiers or several_groups:  # "the rebel groups": others, not the group named before
                label = self.name_text(phrase)
                return EntityRef(key=f"actor/{slugify(label)}", label=label, kind="ArmedGroup") if label else None
            earlier = self.context.recent_actor(offset, lexicon.ACTOR_DESCRIPTORS[lemma], head.lower_)
            if earlier is None and lemma in lexicon.NATIONAL_DESCRIPTORS and (country := self.context.main_country()):
                # "government shelling" in an article about Syria: the Syrian government
                national = self.gazetteer.national_actor(country, lexicon.ACTOR_DESCRIPTORS[lemma])
                if national is not None:
                    return self.gazetteer.ref(national)
            described = [t for t in phrase if t.i != head.i and t.dep_ in ("amod", "compound")
                         and t.lower_ not in lexicon.DESCRIPTIVE_WORDS]
            if earlier is None and described and lemma in lexicon.GROUP_DESCRIPTORS:
                label = self.name_text(phrase)  # "Islamic fundamentalists": the text's own description
                return EntityRef(key=f"actor/{slugify(label)}", label=label, kind="ArmedGroup") if label else None
            return earlier
        if head.lower_ in lexicon.PRONOUNS:
            speaker = self._speaker_of_clause(head)
            if speaker is not None:
                return speaker
            return self.context.recent_actor(offset, ACTOR_KINDS)
        if head.ent_type_ in ("ORG", "NORP") or (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "DATE")):
            label = self.name_text(phrase)
            if not label:
                return None
            kind = "ArmedGroup" if re.search(r"\b(army|brigade|militia|front|forces|battalion|group)\b", label, re.I) \
                else ("Person" if head.ent_type_ == "PERSON" else "Organisation")
            return EntityRef(key=f"actor/{slugify(label)}", label=label, kind=kind)
        return None

    def attacker_of(self, instrument: Token) -> EntityRef | None:
        """'The Israeli army reported conducting an airstrike': who carried the attack out."""
        verb = instrument.head
        if instrument.dep_ != "dobj" or verb.lemma_ not in ("conduct", "launch", "carry", "fire", "drop", "stage"):
            return None
        node = verb
        for _ in range(3):
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return self.actor(subject)
            if node.dep_ not in ("xcomp", "conj", "advcl") or node.head.i == node.i:
                return None
            node = node.head
        return None

    def instrument_actor(self, head: Token) -> EntityRef | None:
        """The side an attack is attributed to in its own phrase: "an Israeli airstrike" -> Israel."""
        return self._demonym_actor(self.phrase(head))

    def _demonym_actor(self, phrase: Span) -> EntityRef | None:
        for token in phrase:
            if token.dep_ in ("amod", "compound", "nmod") or token.ent_type_ == "NORP":
                for entry in self.gazetteer.by_demonym(token.text.split("-")[0]):
                    return self.gazetteer.ref(entry)
        return None

    def _speaker_of_clause(self, pronoun: Token) -> EntityRef | None:
        """'The army said it had captured ...': "it" is whoever said so."""
        verb = pronoun.head
        if in_direct_quote(pronoun.doc, pronoun.sent.start_char, pronoun.idx):
            return None  # in a direct quote, "they" is not the one quoted (who would say "we")
        if verb.dep_ == "ccomp" and verb.head.lemma_ in lexicon.SPEECH_VERBS:
            for child in verb.head.children:
                if child.dep_ in SUBJECTS and child.i != pronoun.i:
                    return self.actor(child)
        return None

    def norp_supporter(self, token: Token) -> EntityRef | None:
        """'Russian' in "Russian air support" / "Russian-backed" -> Russia."""
        word = token.text.split("-")[0]
        by_demonym = self.gazetteer.by_demonym(word)
        if by_demonym:
            return self.gazetteer.ref(by_demonym[0])
        mention = self.mention_of(token)
        chosen = self.choose(mention.entries, token) if mention is not None else None
        return self.gazetteer.ref(chosen) if chosen is not None and chosen.is_actor else None


def _distinctive_words(name: str) -> set[str]:
    """The words of a name that tell it apart: no articles, no generic heritage nouns, no "al-"."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name).lower())
    return {w for w in words if w not in lexicon.HERITAGE_NOUNS and w not in lexicon.DESCRIPTIVE_WORDS
            and w not in ("the", "of", "al", "el", "a", "an", "and", "grand", "great", "s")}


def head_noun(name: str) -> str | None:
    """The kind of thing a name names: "Minaret of the Umayyad Mosque" -> minaret, "Nuri mosque" -> mosque."""
    before_of = re.split(r"\s+(?:of|inside|in|at|within|near)\s+", name.lower(), maxsplit=1)[0]
    nouns = [w.rstrip("s") for w in re.findall(r"[a-z]+", before_of) if w in lexicon.HERITAGE_NOUNS
             or w.rstrip("s") in lexicon.HERITAGE_NOUNS]
    return nouns[-1] if nouns else None


def plural_label(label: str) -> bool:
    """Whether a label names several things: "Shrines in Timbuktu", "Bells of the church"."""
    head = re.split(r"\s+(?:of|inside|in|at|within|near)\s+|,", label.lower(), maxsplit=1)[0].split()
    return bool(head) and head[-1].endswith("s") and not head[-1].endswith("ss")
