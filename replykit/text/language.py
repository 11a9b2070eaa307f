"""Which of the pack's languages a short, informal post is written in.

Lingua (restricted to the pack's languages plus a few look-alike outsiders:
English, Swedish, German) gives confidences; the pack's own typical words
(`detection.words` in each `_lang.yaml`) then correct it. Danish versus
Norwegian is the hard pair: letters alone (æ, ø, å) do not separate them,
function words do ("igen"/"igjen", "mig"/"meg", "hvad"/"hva").

A post in a language the pack lacks gets the pack's default language with
`detected=False` and a low confidence, never an exception.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Iterable

from .tokens import words

_lock = threading.Lock()
_detector = None
WORD_WEIGHT = 0.12


@dataclass(frozen=True)
class LanguageGuess:
    lang: str
    detected: bool
    confidence: float


def _lingua():
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = LanguageDetectorBuilder.from_languages(
                Language.DANISH, Language.BOKMAL, Language.NYNORSK, Language.DUTCH,
                Language.ENGLISH, Language.SWEDISH, Language.GERMAN,
            ).build()
        return _detector


_LINGUA_CODES = {"DANISH": "da", "BOKMAL": "no", "NYNORSK": "no", "DUTCH": "nl"}

# Everyday words of the look-alike outsiders, so a clear English, Swedish or
# German post is recognised without loading Lingua's models.
OUTSIDER_WORDS = {
    "en": frozenset("the and is are you your my not have has what why this that with for was it's can't don't "
                    "please thanks".split()),
    "sv": frozenset("och inte jag är har det att med för som på vad varför mitt min också fungerar kan inte "
                    "hej tack igen".split()) - frozenset(["igen", "hej", "det", "med", "har", "som", "min", "kan"]),
    "de": frozenset("und ist nicht ich das die der mit für was warum mein auch bitte danke".split()),
}
# Clear word evidence decides alone: at least this many typical words, and
# this many more than the runner-up.
DECISIVE_HITS = 3
DECISIVE_MARGIN = 2


class LanguageDetector:
    def __init__(self, languages: Iterable[str], default: str, words_by_lang: dict[str, Iterable[str]]):
        self.languages = tuple(languages)
        self.default = default
        self.words = {lang: frozenset(w.lower() for w in ws) for lang, ws in words_by_lang.items()}

    def detect(self, text: str) -> LanguageGuess:
        letters = [c for c in text if c.isalpha()]
        if len(letters) < 2:
            return LanguageGuess(self.default, False, 0.0)
        cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters)
        if cyrillic > 0.5:
            if "ru" in self.languages:
                return LanguageGuess("ru", True, round(min(1.0, 0.5 + cyrillic / 2), 3))
            return LanguageGuess(self.default, False, 0.1)
        latin_langs = [lang for lang in self.languages if lang != "ru"]
        if not latin_langs:
            return LanguageGuess(self.default, False, 0.1)
        sample = text[:2000]
        tokens = [w for w, _, _ in words(sample)]
        hits = {lang: sum(1 for t in tokens if t in self.words.get(lang, ())) for lang in latin_langs}
        outside = {lang: sum(1 for t in tokens if t in ws) for lang, ws in OUTSIDER_WORDS.items()}
        ranked = sorted(list(hits.items()) + [(k, v) for k, v in outside.items()], key=lambda kv: -kv[1])
        (top_lang, top_hits), (_, second_hits) = ranked[0], ranked[1]
        if top_hits >= DECISIVE_HITS and top_hits - second_hits >= DECISIVE_MARGIN:
            if top_lang in hits:
                return LanguageGuess(top_lang, True, round(top_hits / max(1, top_hits + second_hits), 3))
            return LanguageGuess(self.default, False, 0.1)
        scores = {lang: 0.0 for lang in latin_langs}
        outsider = 0.0
        for cv in _lingua().compute_language_confidence_values(sample):
            code = _LINGUA_CODES.get(cv.language.name)
            if code in scores:
                # Bokmål and Nynorsk split Norwegian's share: take the larger, not the sum,
                # or Norwegian wins every close call against Danish.
                scores[code] = max(scores[code], cv.value)
            elif code is None:
                outsider = max(outsider, cv.value)
        for lang in latin_langs:
            scores[lang] += WORD_WEIGHT * hits[lang]
        best = max(scores, key=lambda k: scores[k])
        outsider += WORD_WEIGHT * max(outside.values())
        if outsider > scores[best]:
            return LanguageGuess(self.default, False, round(max(0.0, 1 - outsider), 3))
        total = sum(scores.values()) or 1.0
        return LanguageGuess(best, True, round(min(1.0, scores[best] / total), 3))
