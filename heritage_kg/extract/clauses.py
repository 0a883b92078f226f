"""One sentence's dependency parse -> heritage events, control changes, statements and other names.

A damage verb ("razed", "was blown up by") with a heritage object is an event; its subject (or its
"by" agent) is the perpetrator; a verb under "threatened to" is a threat; a negated, modal or intended
act ("was not damaged", "will enter", "seek to win back") is not an event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Span, Token

from ..model import (
    AlternativeName,
    ControlChange,
    EntityRef,
    HeritageEvent,
    PerpetratorClaim,
    Quote,
    Statement,
    TimeBounds,
)
from . import lexicon
from .dates import resolve_date
from .entities import SUBJECTS, EntityResolver, in_direct_quote

_PERIOD_FIRST = re.compile(
    r"\b(first|earlier|previous|initial)\b[\w\s,'’-]{0,30}\b(period|spell|stint|occupation|rule|control|time|reign)\b",
    re.I,
)
_PERIOD_LATEST = re.compile(r"\b(most recently|recently|latest|second|current|this time)\b", re.I)
_HEDGES = [re.compile(p, re.I) for p in lexicon.HEDGE_PATTERNS]
_SPEAKERS_DAY = re.compile(r"\b(today|tonight|yesterday|this (?:morning|afternoon|evening|week)|last night)\b", re.I)
_DISPUTES = [re.compile(p, re.I) for p in lexicon.DISPUTE_PATTERNS]
_RECIPROCAL_BLAME = [re.compile(p, re.I) for p in lexicon.RECIPROCAL_BLAME_PATTERNS]
_DOUBTING = re.compile(lexicon.DOUBTING_SENTENCE, re.I)


@dataclass(frozen=True)
class DraftEvent:
    """An event before the article's timeline dates it: `period_cue` says which control period it fell in."""

    event: HeritageEvent
    period_cue: str | None  # "first" | "latest" | None


@dataclass
class SentenceFacts:
    events: list[DraftEvent]
    control_changes: list[tuple[ControlChange, str]]  # with the verb's lemma
    statements: list[Statement]
    names: list[AlternativeName]
    attributions: list[Attribution]


@dataclass(frozen=True)
class Attribution:
    """'The group blamed a US strike for the destruction': one side's account of who did it."""

    accused: EntityRef
    claimant: EntityRef | None
    asset: EntityRef | None  # when the sentence names what was destroyed
    offset: int


def quote_of(sent: Span, base: int) -> Quote:
    start = base + sent.start_char
    text = sent.text.rstrip()
    return Quote(start, start + len(text), text)


class SentenceReader:
    def __init__(self, sent: Span, resolver: EntityResolver, published: date | None,
                 next_sentence: Span | None = None) -> None:
        self.sent = sent
        self.resolver = resolver
        self.published = published
        self.next_sentence = next_sentence
        self.quote = quote_of(sent, resolver.base)
        self._dates = self._date_owners()

    def read(self) -> SentenceFacts:
        triggers = [t for t in self.sent if self._damage_type(t) is not None]
        control = [t for t in self.sent if self._is_control_verb(t)]
        return SentenceFacts(
            events=[e for t in triggers for e in self._events(t)],
            control_changes=[c for t in control if (c := self._control_change(t)) is not None],
            statements=[s for t in self.sent if (s := self._statement(t)) is not None],
            names=self._alternative_names(),
            attributions=[a for t in self.sent if (a := self._attribution(t)) is not None],
        )

    def _attribution(self, verb: Token) -> Attribution | None:
        """'X blamed Y for the destruction', 'X blamed the destruction on Y', 'X accused Y of destroying'."""
        if verb.pos_ != "VERB" or verb.lemma_ not in ("blame", "accuse") or self._negated(verb):
            return None
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        preps = self._prep_objects(verb)
        # "for the destruction" may hang on the object's own clause: "blamed a strike carried out by X for ..."
        deed_of = next((t for t in verb.subtree if t.dep_ == "pobj" and t.head.lower_ in ("for", "of")), None)
        if "on" in preps and objects:  # blamed the destruction on Y
            accused_head, deed = preps["on"], objects[0]
        elif objects and deed_of is not None:  # blamed Y for the destruction
            accused_head, deed = objects[0], deed_of
        else:
            return None
        if deed is None or (deed.lemma_ not in lexicon.DAMAGE_NOUNS and deed.lemma_ not in lexicon.DAMAGE_VERBS
                            and deed.lemma_ not in ("attack", "devastation", "blast", "explosion")):
            return None
        accused = self.resolver.actor(accused_head)
        if accused is None:
            return None
        subject = self._subject(verb)
        claimant = self.resolver.actor(subject) if subject is not None else None
        target = self.resolver._of_object(deed)
        asset = self.resolver.asset(target) if target is not None else None
        return Attribution(accused, claimant, asset[0] if isinstance(asset, tuple) else None,
                           self.resolver.base + verb.idx)

    # ------------------------------------------------------------------ damage events
    def _damage_type(self, token: Token) -> str | None:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and lemma in lexicon.DAMAGE_VERBS):
            particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
            if particle and (lemma, particle) in lexicon.PHRASAL_DAMAGE:
                return lexicon.PHRASAL_DAMAGE[(lemma, particle)]
            if token.dep_ == "amod":
                return None  # "the destroyed temple": a description, not a report
            if lemma in lexicon.DIGGING_VERBS and self._about_looting():
                return "looted"  # "holes dug by looters", "illegal excavations"
            if lemma in lexicon.EXPLOSIVE_VERBS and self._with_explosives(token):
                return "threatened"  # "planted explosives at the temple", "rigged the site with mines"
            return lexicon.DAMAGE_VERBS.get(lemma)
        if token.pos_ == "NOUN" and lemma in lexicon.DIGGING_NOUNS and self._about_looting():
            return "looted"
        if token.pos_ == "NOUN" and lemma in lexicon.DAMAGE_NOUNS:
            return lexicon.DAMAGE_NOUNS[lemma]
        return None

    def _about_looting(self) -> bool:
        return any(t.lemma_.lower() in ("loot", "looter", "looting", "illegal", "illicit", "clandestine",
                                        "plunder", "plunderer") for t in self.sent)

    @staticmethod
    def _with_explosives(verb: Token) -> bool:
        return any(t.lemma_.lower() in lexicon.EXPLOSIVE_NOUNS for c in verb.children
                   if c.dep_ in ("dobj", "prep", "nsubjpass") for t in c.subtree)

    def _events(self, trigger: Token) -> list[DraftEvent]:
        event_type = self._damage_type(trigger)
        if event_type is None or self._negated(trigger):
            return []
        governed = self._governing_mode(trigger)
        phase = self._restoration_phase(trigger, governed) if event_type == "restored" else None
        if governed == "skip" and phase != "planned":
            return []
        if governed == "threat" and event_type != "restored":
            event_type = "threatened"
        if event_type == "destroyed" and any(c.lower_ in lexicon.PARTIAL_ADVERBS for c in trigger.children):
            event_type = "damaged"
        patients, agent, named_in_apposition = self._patients_and_agent(trigger)
        if trigger.lemma_.lower() in lexicon.DIGGING_VERBS | lexicon.DIGGING_NOUNS | lexicon.EXPLOSIVE_VERBS:
            # what was dug into or mined is named by a place phrase: "holes at Apamea", "explosives in the temple"
            patients = [p for p in patients if p.lemma_.lower() not in lexicon.EXPLOSIVE_NOUNS
                        and p.lemma_.lower() not in ("hole", "pit", "trench", "tunnel")]
            holders = [trigger, *[c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]]
            holders += [o for c in trigger.children if c.dep_ == "agent" for o in c.children]  # "by looters at X"
            if trigger.dep_ == "acl":  # "holes dug by looters at Apamea"
                holders.append(trigger.head)
            patients += [o for h in holders for c in h.children if c.dep_ == "prep"
                         and c.lower_ in ("at", "in", "inside", "around", "under", "across", "on")
                         for o in c.children if o.dep_ == "pobj"]
        assets = []
        for head in patients:
            if head.i in named_in_apposition:
                assets.append(self.resolver.named_asset(head, named_in_apposition[head.i]))
                continue
            found = self.resolver.asset(head)
            if isinstance(found, tuple):
                assets.append(found)
        if not assets:
            return []
        perpetrators = self._perpetrators(trigger, agent)
        if event_type == "threatened" and governed == "threat":
            perpetrators = self._perpetrators(self._governor(trigger) or trigger, None) or perpetrators
        status, hedge = self._status(trigger)
        when = self._date_for(trigger)
        reported_by = self._reported_by(trigger)
        cue = None
        if when is None:
            if _PERIOD_FIRST.search(self.sent.text):
                cue = "first"
            elif _PERIOD_LATEST.search(self.sent.text) or self._present_perfect(trigger):
                cue = "latest"
        claims: tuple[PerpetratorClaim, ...] = ()
        if status == "disputed":
            # Competing accounts: who did it is a claim by its source, not a fact of the graph.
            source = reported_by[0] if reported_by else None
            claims = tuple(PerpetratorClaim(p, source) for p in perpetrators)
            perpetrators = []
        site_of = self.resolver.site_context
        events = []
        for asset, mention in assets:
            is_site = asset.kind in ("HeritageSite", "WorldHeritageSite")
            site = asset if is_site else _site_above(asset) or site_of(trigger)
            event = HeritageEvent(
                event_type=event_type, asset=asset, mention=mention, site=site, evidence=self.quote,
                perpetrators=tuple(perpetrators), reported_by=tuple(reported_by), when=when,
                status=status, hedge=hedge, claims=claims, phase=phase,
            )
            events.append(DraftEvent(event, cue))
        return events

    def _restoration_phase(self, trigger: Token, governed: str | None) -> str:
        """'plans to restore' -> planned, 'began restoring' -> started, 'is being restored' / 'work is
        underway' -> ongoing, 'finished restoring' / 'restored' -> completed."""
        governor = trigger.head.lemma_.lower() if trigger.dep_ in ("xcomp", "pcomp", "ccomp") else ""
        if governed in ("threat", "skip"):
            return "planned"
        if governor in ("begin", "start", "launch", "commence"):
            return "started"
        if governor in ("finish", "complete", "end"):
            return "completed"
        progressive = (trigger.tag_ == "VBG" and any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "be"
                                                     for c in trigger.children)) \
            or any(c.dep_ == "auxpass" and c.tag_ == "VBG" for c in trigger.children)  # "is being restored"
        if progressive or governor in ("continue", "keep") or "underway" in self.sent.text.lower():
            return "ongoing"
        return "completed"

    def _patients_and_agent(self, trigger: Token) -> tuple[list[Token], Token | None, dict[int, str]]:
        """What the act was done to, who did it (if the clause says), and the names listed in apposition
        to a class ("mausoleums -- Sidi Mahmoud, ..."), each with the kind of thing it names."""
        patients: list[Token] = []
        agent: Token | None = None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        for child in trigger.children:
            if child.dep_ == "dobj" or (child.dep_ == "nsubjpass"):
                patients.extend(self.resolver.conjuncts(child))
            elif child.dep_ == "nsubj" and (passive or trigger.lemma_ in ("collapse",) or
                                            (trigger.pos_ == "VERB" and not self._has_object(trigger)
                                             and (trigger.lemma_ in ("burn",) or self._thing_not_actor(child)))):
                # "the museum burned"; "relics ransacked and artefacts looted" (a passive with its
                # auxiliary left out): the subject is what suffered
                patients.extend(self.resolver.conjuncts(child))
            elif child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ == "prep" and trigger.pos_ == "NOUN" and child.lower_ in ("of", "to", "at"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        patients.extend(self.resolver.conjuncts(obj))
            elif child.dep_ == "prep" and trigger.pos_ == "NOUN" and child.lower_ == "by":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ == "poss" and trigger.pos_ == "NOUN":
                agent = child
        flat = list(patients)
        if trigger.pos_ == "NOUN" and agent is None and trigger.dep_ == "dobj" and \
                trigger.head.lemma_ in ("cause", "inflict", "do", "wreak"):
            agent = next((c for c in trigger.head.children if c.dep_ == "nsubj"), None)  # "the strike caused damage"
        node = trigger
        while not flat and node.dep_ == "conj" and node.tag_ in ("VBN", "VB") and not self._has_object(node):
            # "was built ..., destroyed and then rebuilt": the coordinated passive's subject
            node = node.head
            flat.extend(c for c in node.children if c.dep_ == "nsubjpass")
        if trigger.dep_ == "acl" and trigger.tag_ == "VBG" and agent is None:
            agent = trigger.head  # "a video showing militants destroying statues"
        if trigger.dep_ == "acl" and trigger.tag_ == "VBN":  # "the temple, destroyed by IS in 2015"
            flat.extend(self.resolver.conjuncts(trigger.head))
        # "monuments including a monumental arch": the named examples, not the class
        expanded: list[Token] = []
        named_in_apposition: dict[int, str] = {}
        for head in list(flat):
            appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if appos is not None and head.tag_ in ("NNS", "NNPS"):  # "mausoleums -- Sidi Mahmoud, ..."
                for name in self.resolver.conjuncts(appos):
                    if name.pos_ == "PROPN":
                        named_in_apposition[name.i] = head.lemma_.lower()
                    flat.append(name)
                flat.remove(head)  # the names are the events, not the class they are listed under
        for head in flat:
            examples = [o for c in head.children if c.lower_ in ("including", "like", "notably", "especially")
                        or (c.dep_ == "prep" and c.lower_ == "as")
                        for o in c.children if o.dep_ in ("pobj", "dobj")]
            expanded.append(head)
            for example in examples:
                expanded.extend(self.resolver.conjuncts(example))
        return expanded, agent, named_in_apposition

    def _blamed_on(self, trigger: Token) -> list[EntityRef]:
        """'... partly destroyed - the latest in a series of attacks blamed on Salafi Islamists': whom the
        text blames (the status says it is only blamed)."""
        for token in self.sent:
            if token.lemma_ == "blame" and self._in_scope(self.sent.doc[token.i : token.i + 1], trigger):
                on = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "on"
                           for o in c.children if o.dep_ == "pobj"), None)
                if on is not None and (actor := self.resolver.actor(on)) is not None:
                    return [actor]
        return []

    def _thing_not_actor(self, subject: Token) -> bool:
        lemma = subject.lemma_.lower()
        return (lemma in lexicon.HERITAGE_NOUNS or lemma in lexicon.PART_NOUNS) and self.resolver.actor(subject) is None

    @staticmethod
    def _has_object(trigger: Token) -> bool:
        return any(c.dep_ == "dobj" for c in trigger.children)

    def _perpetrators(self, trigger: Token, agent: Token | None) -> list[EntityRef]:
        if agent is not None:
            found = [self.resolver.actor(a) for a in self.resolver.conjuncts(agent)]
            return _unique(a for a in found if a is not None)
        if trigger.dep_ == "acl" and trigger.tag_ == "VBG":
            return []
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children) or trigger.pos_ == "NOUN":
            return self._blamed_on(trigger)  # passive without "by": nobody, unless the text blames someone
        subject_here = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
        if subject_here is not None and not self._has_object(trigger) and self._thing_not_actor(subject_here):
            return []  # "relics ransacked": a passive without its auxiliary names nobody either
        subject = self._subject(trigger)
        if subject is None or trigger.lemma_ in ("collapse", "burn") and not self._has_object(trigger):
            return self._blamed_on(trigger)
        found = [self.resolver.actor(s) for s in self.resolver.conjuncts(subject)]
        return _unique(a for a in found if a is not None)

    def _subject(self, verb: Token) -> Token | None:
        """The verb's subject, carried over from the verb it is coordinated with or depends on."""
        node = verb
        for _ in range(4):
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
            if subject is not None:
                if subject.dep_ == "nsubj" and subject.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
                    return node.head
                return subject
            if node.dep_ == "ccomp" and node.head.lemma_ in lexicon.SPEECH_VERBS:
                return None  # '"... then blew it up," the antiquities chief said': the speaker did not
            if node.dep_ in ("conj", "xcomp", "advcl", "ccomp") and node.head.i != node.i:
                node = node.head
            elif node.dep_ == "pcomp" and node.head.lower_ == "of" and node.head.head.lemma_ in (
                    "accuse", "suspect", "charge", "convict"):
                # "hardliners were accused of damaging the tomb": the accused (the status says so)
                return next((c for c in node.head.head.children if c.dep_ in ("nsubjpass", "dobj")), None)
            else:
                return None
        return None

    def _negated(self, trigger: Token) -> bool:
        if any(c.dep_ == "neg" for c in trigger.children):
            return True
        if trigger.pos_ == "NOUN":
            return any(c.lower_ in ("no", "without") for c in trigger.children) or trigger.head.lower_ == "without"
        return any(c.dep_ == "neg" for c in trigger.head.children) and trigger.dep_ in ("xcomp",)

    def _governor(self, trigger: Token) -> Token | None:
        node = trigger
        while node.dep_ in ("xcomp", "ccomp", "conj") and node.head.i != node.i:
            node = node.head
            if node.pos_ in ("VERB", "AUX", "NOUN"):
                return node
        return None

    def _governing_mode(self, trigger: Token) -> str | None:
        """'threat' under "threatened to", 'skip' under a modal or an intention, else None."""
        if any(a.lemma_.lower() in lexicon.THREAT_NOUNS and a.pos_ == "NOUN" for a in list(trigger.ancestors)[:3]):
            return "threat"  # "sparking fears the group might demolish the site"
        if any(c.dep_ == "aux" and c.lower_ in lexicon.MODAL_AUX for c in trigger.children):
            return "skip"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in trigger.children):
            return "skip"
        node = trigger
        for _ in range(3):
            if node.dep_ not in ("xcomp", "ccomp", "acl", "pobj", "prep", "advcl") or node.head.i == node.i:
                break
            node = node.head
            lemma = node.lemma_.lower()
            if trigger.pos_ == "NOUN" and lemma in lexicon.THREAT_NOUNS:
                return "threat"
            if lemma in lexicon.THREAT_GOVERNORS and node.pos_ == "VERB" and trigger.dep_ == "xcomp":
                return "threat"
            if lemma in lexicon.NON_EVENT_GOVERNORS and trigger.dep_ in ("xcomp", "pobj"):
                return "skip"
            modal = any(c.dep_ == "aux" and c.lower_ in lexicon.MODAL_AUX for c in node.children)
            if modal and trigger.dep_ == "xcomp":
                return "skip"
        return None

    @staticmethod
    def _present_perfect(trigger: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in trigger.children)

    # ------------------------------------------------------------------ status and sources
    def _status(self, trigger: Token) -> tuple[str, str | None]:
        denial = self._denied_report(trigger)
        if denial is not None:
            return "denied", denial
        text = self.sent.text
        for pattern in _RECIPROCAL_BLAME:
            if match := pattern.search(text):
                return "disputed", match.group(0)
        for status, patterns in (("disputed", _DISPUTES), ("unverified", _HEDGES)):
            for pattern in patterns:
                for match in pattern.finditer(text):
                    cue = self.sent.char_span(match.start(), match.end(), alignment_mode="expand")
                    if cue is not None and self._in_scope(cue, trigger):
                        return status, match.group(0)
        node = trigger
        while node.dep_ in ("xcomp",) and node.head.i != node.i:
            node = node.head
            if node.lemma_ in lexicon.HEDGE_GOVERNORS:
                return "unverified", lexicon.HEDGE_GOVERNORS[node.lemma_]
        if self.next_sentence is not None and (doubt := _DOUBTING.search(self.next_sentence.text)):
            doubted = {t.lower_ for t in self.next_sentence}
            if doubted & lexicon.DOUBTED_THINGS:
                return "unverified", doubt.group(0)
        return "reported", None

    @staticmethod
    def _denied_report(trigger: Token) -> str | None:
        """'Officials denied reports that IS had destroyed the temple', 'Reports that ... were untrue'."""
        node = trigger
        for _ in range(3):
            if node.head.i == node.i:
                return None
            node = node.head
            if node.lemma_.lower() in lexicon.REPORT_NOUNS and node.pos_ == "NOUN":
                governor = node.head
                if node.dep_ == "dobj" and governor.lemma_ in lexicon.DENYING_VERBS:
                    return governor.text
                if node.dep_ in ("nsubj", "nsubjpass"):
                    said = [c for c in governor.children if c.dep_ in ("acomp", "attr")
                            and c.lower_ in lexicon.UNTRUE_WORDS]
                    if said:
                        return said[0].text
                    if governor.lemma_ in lexicon.DENYING_VERBS:
                        return governor.text
                return None
        return None

    @staticmethod
    def _in_scope(cue: Span, trigger: Token) -> bool:
        """Whether a hedge or dispute bears on the trigger's clause: it sits on the trigger's chain of
        governing words, or hangs below the trigger, but not across coordinated clauses ("ISIS denied
        the reports; then they blew it up")."""
        def crosses_clause(token: Token) -> bool:
            if token.dep_ == "parataxis":  # "..., state media say, with both sides blaming each other"
                return token.lemma_ not in lexicon.SPEECH_VERBS
            return token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")

        chain = [trigger]
        node = trigger
        while node.head.i != node.i and not crosses_clause(node):
            node = node.head
            chain.append(node)
        chain_ids = {t.i for t in chain}
        for token in cue:
            anchor = token.head if token.dep_ in ("advmod", "aux", "neg", "auxpass", "prep", "agent") else token
            if anchor.i in chain_ids or token.i in chain_ids:
                return True
            node = anchor  # the cue below the trigger: "destroyed ..., with both sides blaming each other"
            while node.head.i != node.i and not crosses_clause(node):
                node = node.head
                if node.i == trigger.i:
                    return True
        return False

    def _reported_by(self, trigger: Token) -> list[EntityRef]:
        found: list[EntityRef] = []
        node = trigger
        for _ in range(4):
            if node.head.i == node.i:
                break
            if node.dep_ in ("ccomp", "conj", "advcl") and node.head.lemma_ in lexicon.REPORTING_VERBS:
                subject = next((c for c in node.head.children if c.dep_ in SUBJECTS), None)
                if subject is not None and (actor := self.resolver.actor(subject)) is not None:
                    found.append(actor)
                break
            node = node.head
        for token in self.sent:  # "according to the Syrian Observatory"
            if token.lower_ == "according" and token.nbor(1).lower_ == "to" if token.i + 1 < len(token.doc) else False:
                for obj in token.nbor(1).children:
                    if obj.dep_ == "pobj" and (actor := self.resolver.actor(obj)) is not None:
                        found.append(actor)
        return _unique(found)

    # ------------------------------------------------------------------ dates
    def _date_owners(self) -> list[tuple[Token, TimeBounds]]:
        """Each date in the sentence with the verb (or damage noun) it modifies."""
        out = []
        for ent in self.sent.ents:
            if ent.label_ != "DATE":
                continue
            if in_direct_quote(self.sent.doc, self.sent.start_char, ent.start_char) and _SPEAKERS_DAY.search(ent.text):
                continue  # '"... today," he said': the day the speaker spoke, which the text does not give
            when = resolve_date(ent.text, self.published)
            if when is None:
                continue
            node = ent.root
            while node.head.i != node.i and not (node.pos_ in ("VERB", "AUX") or self._damage_type(node)):
                node = node.head
            out.append((node, when))
        return out

    def _date_for(self, trigger: Token) -> TimeBounds | None:
        node = trigger
        for _ in range(5):
            for owner, when in self._dates:
                if owner.i == node.i:
                    return when
            if node.head.i == node.i:
                break
            node = node.head
        return None

    # ------------------------------------------------------------------ control of territory
    def _is_control_verb(self, token: Token) -> bool:
        if token.pos_ not in ("VERB",):
            return False
        lemma = token.lemma_.lower()
        if lemma in ("take", "win"):
            return any(c.lower_ in ("control", "over", "back") for c in token.children)
        return lemma in (lexicon.CONTROL_GAIN_VERBS | lexicon.CONTROL_LOSS_VERBS | lexicon.CONTROL_FALL_VERBS
                         | lexicon.CONTROL_EXPEL_VERBS)

    def _control_change(self, verb: Token) -> tuple[ControlChange, str] | None:
        if self._negated(verb) or self._governing_mode(verb) is not None:
            return None
        if verb.lemma_ in ("storm",) or (verb.dep_ == "xcomp"):
            return None  # "expected to storm": an expectation
        lemma = verb.lemma_.lower()
        objects = self._objects(verb)
        preps = self._prep_objects(verb)
        subject = self._subject(verb)
        agent = next((o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"), None)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        gained = lost = place = None
        if lemma in lexicon.CONTROL_LOSS_VERBS:
            if not objects or objects[0].lemma_ not in ("control",) and not self._is_placey(objects[0]):
                return None
            place = self._control_place(objects[0])
            lost = self.resolver.actor(subject) if subject is not None else None
            gained = self.resolver.actor(preps["to"]) if "to" in preps else None
        elif lemma in lexicon.CONTROL_FALL_VERBS:
            if subject is None or "to" not in preps:
                return None
            place = self.resolver.place(subject)
            gained = self.resolver.actor(preps["to"])
        elif lemma in lexicon.CONTROL_EXPEL_VERBS:
            target = passive_subject if passive else (objects[0] if objects else None)
            if target is None or "from" not in preps:
                return None
            lost = self.resolver.actor(target)
            place = self.resolver.place(preps["from"])
            gained = self.resolver.actor(agent) if agent is not None else (
                self.resolver.actor(subject) if subject is not None and not passive else None)
        else:
            target = passive_subject if passive else (objects[0] if objects else None)
            if target is None:
                return None
            place = self._control_place(target)
            gained = self.resolver.actor(agent) if agent is not None else (
                self.resolver.actor(subject) if subject is not None and not passive else None)
            lost = self.resolver.actor(preps["from"]) if "from" in preps else None
        if place is None or (gained is None and lost is None):
            return None
        change = ControlChange(
            place=place, evidence=self.quote, gained_by=gained, lost_by=lost,
            supporters=tuple(self._supporters(verb, subject)), when=self._date_for(verb),
        )
        return change, lemma

    def _control_place(self, token: Token) -> EntityRef | None:
        if token.lemma_ == "control":
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    obj = next((o for o in child.children if o.dep_ == "pobj"), None)
                    return self.resolver.place(obj) if obj is not None else None
            return None
        return self.resolver.place(token)

    def _is_placey(self, token: Token) -> bool:
        return token.pos_ == "PROPN" or token.lower_ in ("it", "city", "town") or self.resolver.place(token) is not None

    @staticmethod
    def _objects(verb: Token) -> list[Token]:
        out = [c for c in verb.children if c.dep_ == "dobj"]
        for c in verb.children:  # "took control of X", "took over X"
            if c.dep_ == "prt" and c.lower_ in ("over", "back"):
                out += [o for o in verb.children if o.dep_ == "dobj" and o not in out]
        return out

    @staticmethod
    def _prep_objects(verb: Token) -> dict[str, Token]:
        out: dict[str, Token] = {}
        for child in verb.children:
            if child.dep_ == "prep":
                obj = next((o for o in child.children if o.dep_ == "pobj"), None)
                if obj is not None:
                    out.setdefault(child.lower_, obj)
        return out

    def _supporters(self, verb: Token, subject: Token | None) -> list[EntityRef]:
        found: list[EntityRef] = []
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "with":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.lemma_ in lexicon.SUPPORT_NOUNS:
                        found += [a for t in obj.subtree if t.i != obj.i and (a := self.resolver.norp_supporter(t))]
            if child.dep_ in ("advcl", "prep") and child.lemma_ in ("back", "support", "aid", "help"):
                agent_heads = [o for c in child.children if c.dep_ in ("agent", "prep") for o in c.children
                               if o.dep_ == "pobj"]
                for head in agent_heads:
                    actor = self.resolver.actor(head) or self.resolver.norp_supporter(head)
                    if actor is None:
                        actor = next((a for t in head.subtree if (a := self.resolver.norp_supporter(t))), None)
                    if actor is not None:
                        found.append(actor)
        if subject is not None:  # "Russian-backed government forces"
            for token in subject.subtree:
                if token.text.lower().endswith(("-backed", "-supported")) or (
                        token.lower_ in ("backed", "supported") and token.i > 0 and token.nbor(-1).text == "-"):
                    word = token.text.split("-")[0] if "-" in token.text else token.nbor(-2).text
                    for entry in self.resolver.gazetteer.by_demonym(word):
                        found.append(self.resolver.gazetteer.ref(entry))
        return _unique(found)

    # ------------------------------------------------------------------ statements and names
    def _statement(self, verb: Token) -> Statement | None:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in lexicon.SPEECH_VERBS:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return None
        actor = self.resolver.actor(subject)
        if actor is None:
            return None
        content_head = None
        if lemma in lexicon.CHARACTERISING_VERBS:
            content_head = next((o for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                                 for o in c.children if o.dep_ == "pobj"), None)
        if content_head is None:
            content_head = next((c for c in verb.children if c.dep_ in ("ccomp", "dobj", "xcomp")), None)
        if content_head is None:
            return None
        content_span = self.sent.doc[content_head.left_edge.i : content_head.right_edge.i + 1]
        negated = any(c.dep_ == "neg" for c in verb.children)
        modal = next((c.lower_ for c in verb.children if c.dep_ == "aux" and c.lower_ in lexicon.MODAL_AUX), None)
        act = lemma if not negated else f"{modal + ' ' if modal else ''}not {lemma}"
        about = []
        for token in self.sent:
            if subject.left_edge.i <= token.i <= subject.right_edge.i:
                continue
            mention = self.resolver.mention_of(token)
            if mention is not None and mention.span.start == token.i:
                entry = self.resolver.choose(mention.entries, token)
                if entry is not None:
                    about.append(self.resolver.gazetteer.ref(entry))
            elif token.lemma_ in lexicon.ACTOR_DESCRIPTORS and token.pos_ == "NOUN" and token.dep_ != "compound":
                if (ref := self.resolver.actor(token)) is not None:
                    about.append(ref)
            elif token.lemma_.lower() in lexicon.SITE_DESCRIPTORS and token.pos_ in ("NOUN", "PROPN") and \
                    token.dep_ != "compound":
                if (site := self.resolver.site_context(token)) is not None:
                    about.append(site)
        about = [a for a in _unique(about) if a.key != actor.key]
        return Statement(actor=actor, speech_act=act, content=content_span.text.strip(" ,."),
                         evidence=self.quote, about=tuple(about))

    def _alternative_names(self) -> list[AlternativeName]:
        out = []
        for token in self.sent:
            if token.dep_ == "acl" and token.lemma_ in ("know", "call"):
                named = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "as"
                              for o in c.children if o.dep_ == "pobj" and o.pos_ == "PROPN"), None)
                mention = self.resolver.mention_of(token.head)
                if named is None or mention is None:
                    continue
                entry = self.resolver.choose(mention.entries, token.head)
                if entry is None:
                    continue
                name = self.resolver.name_text(self.resolver.phrase(named))
                if name:
                    out.append(AlternativeName(self.resolver.gazetteer.ref(entry), name, self.quote))
        return out


def _site_above(asset: EntityRef) -> EntityRef | None:
    node = asset.part_of
    while node is not None:
        if node.kind in ("HeritageSite", "WorldHeritageSite"):
            return node
        node = node.part_of
    return None


def _unique(refs: Iterable[EntityRef]) -> list[EntityRef]:
    seen: dict[str, EntityRef] = {}
    for ref in refs:
        seen.setdefault(ref.key, ref)
    return list(seen.values())

