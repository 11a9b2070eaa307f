"""Which of the pack's languages a short, informal post is written in.

py3langid (restricted to the pack's languages plus a few look-alike outsiders:
English, Swedish, German) gives confidences; the pack's own typical words
(`detection.words` in each `_lang.yaml`) and a character model of the pack's
own texts then correct it. Danish versus Norwegian is the hard pair: letters alone (æ, ø, å) do not separate them,
function words do ("igen"/"igjen", "mig"/"meg", "hvad"/"hva").

A post in a language the pack lacks gets the pack's default language with
`detected=False` and a low confidence, never an exception.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import Iterable

from .tokens import word_texts

QUICK_SAMPLE = 2000  # characters detect_quick reads
_CYRILLIC_BLOCK = re.compile("[\u0400-\u04ff]")
# The block's letters (all but U+0482-0489, signs and combining marks), in runs: detect_quick counts
# them by the runs' lengths, a few calls per word rather than one per character.
_CYRILLIC_LETTERS = re.compile("[\u0400-\u0481\u048a-\u04ff]+")
# Chosen on the pack's labelled posts and drafts (a plateau: 0.8-1.5 and 0.3-0.5 are within 3 texts
# of 9,448); docs/language-detection.md has the comparison with Lingua.
WORD_WEIGHT = 0.4
NGRAM_WEIGHT = 1.0
LIBRARY_WEIGHT = 1.0
NGRAM_SHARPNESS = 8.0

OUTSIDERS = ("en", "sv", "de")


@dataclass(frozen=True)
class LanguageGuess:
    lang: str
    detected: bool
    confidence: float


class _LibraryModel:
    """py3langid's naive-Bayes byte n-gram model, restricted to the pack's languages and the outsiders.

    Chosen over Lingua (100 MB installed, for 75 languages) and CLD2: 4.5 MB on numpy, which replykit
    needs anyway, and its model is an LZMA-packed .npz read without pickle. Unpacking it takes ~0.8 s, so
    it is loaded on the first post that the words do not decide, once per detector, and the restricted
    model is kept in the pack cache (langid_model).
    """

    def __init__(self, latin_languages: Iterable[str]):
        from .langid_model import load_identifier

        codes = set(latin_languages) | set(OUTSIDERS)
        if "no" in codes:
            codes.add("nn")  # Nynorsk is written Norwegian too
        self._identifier = load_identifier(codes)

    def confidences(self, text: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for code, value in self._identifier.rank(text):
            # Bokmål and Nynorsk split Norwegian's share: take the larger, not the sum,
            # or Norwegian wins every close call against Danish.
            code = "no" if code == "nn" else code
            out[code] = max(out.get(code, 0.0), float(value))
        return out


# Everyday words of the look-alike outsiders, so a clear English, Swedish or
# German post is recognised without loading the library's model.
OUTSIDER_WORDS = {
    "en": frozenset("the and is are you your my not have has what why this that with for was it's can't don't "
                    "please thanks".split()),
    # Only words Danish and Norwegian do not share ("på", "mitt", "igen" are theirs too).
    "sv": frozenset("och inte jag är att för vad varför också fungerar tack hallå".split()),
    "de": frozenset("und ist nicht ich das die der mit für was warum mein auch bitte danke".split()),
}
# Clear word evidence decides alone: at least this many typical words, and
# this many more than the runner-up.
DECISIVE_HITS = 3
DECISIVE_MARGIN = 2


class _CharModel:
    """Character trigrams of the pack's own texts (examples, replies) per language.

    Telecom posts share a vocabulary that general-purpose models see rarely;
    a naive-Bayes trigram model of the pack's texts is a cheap, well-matched
    second opinion for the close calls (Danish versus Norwegian above all).
    """

    def __init__(self, texts_by_lang: dict[str, Iterable[str]]):
        self.logp: dict[str, dict[str, float]] = {}
        self.floor: dict[str, float] = {}
        for lang, texts in texts_by_lang.items():
            counts: dict[str, int] = {}
            for text in texts:
                for gram in _grams(text):
                    counts[gram] = counts.get(gram, 0) + 1
            total = sum(counts.values()) + len(counts) + 1
            self.logp[lang] = {g: math.log((c + 1) / total) for g, c in counts.items()}
            self.floor[lang] = math.log(1 / total)

    def posterior(self, text: str, langs: list[str]) -> dict[str, float]:
        grams = _grams(text[:500])
        langs = [lang for lang in langs if lang in self.logp]
        if not grams or not langs:
            return {}
        ll = {lang: sum(self.logp[lang].get(g, self.floor[lang]) for g in grams) / len(grams) for lang in langs}
        top = max(ll.values())
        exps = {lang: math.exp((v - top) * NGRAM_SHARPNESS) for lang, v in ll.items()}
        total = sum(exps.values())
        return {lang: e / total for lang, e in exps.items()}


def _grams(text: str) -> list[str]:
    clean = " " + " ".join(w for w in word_texts(text) if not w.isdigit()) + " "
    return [clean[i:i + 3] for i in range(len(clean) - 2)]


class LanguageDetector:
    def __init__(self, languages: Iterable[str], default: str, words_by_lang: dict[str, Iterable[str]],
                 texts_by_lang: dict[str, Iterable[str]] | None = None):
        self.languages = tuple(languages)
        self.default = default
        self.words = {lang: frozenset(w.lower() for w in ws) for lang, ws in words_by_lang.items()}
        self._texts = texts_by_lang or {}
        self._model: _CharModel | None = None
        self._library: _LibraryModel | None = None  # loaded on first need, per detector (no module-level state)
        self._library_lock = threading.Lock()

    @property
    def chars(self) -> _CharModel:
        if self._model is None:  # built on first need; a race builds it twice, harmlessly
            self._model = _CharModel(self._texts)
        return self._model

    def library(self) -> _LibraryModel:
        with self._library_lock:
            if self._library is None:
                self._library = _LibraryModel(lang for lang in self.languages if lang != "ru")
            return self._library

    def detect_quick(self, text: str, text_words: list[str] | None = None) -> LanguageGuess | None:
        """The script and the language's typical words alone (microseconds); None when they do not decide.
        `text_words`: the lower-cased words of `text[:QUICK_SAMPLE]` when the caller has them already."""
        # Counted with C-level loops (map over str methods, a regex for the Cyrillic block): this runs
        # twice per check (draft and post), and per-character Python loops were a tenth of a check.
        sample = text[:QUICK_SAMPLE]
        if _CYRILLIC_BLOCK.search(sample) is None:
            alpha = filter(str.isalpha, sample)  # two letters are enough to go on: no count of them all
            if next(alpha, None) is None or next(alpha, None) is None:
                return None
            cyrillic = 0.0
        else:
            letters = sum(map(str.isalpha, sample))
            if letters < 2:
                return None
            cyrillic = sum(map(len, _CYRILLIC_LETTERS.findall(sample))) / letters
        if cyrillic > 0.5:
            return LanguageGuess("ru", True, 1.0) if "ru" in self.languages else None
        if cyrillic > 0.1:
            return None
        tokens = text_words if text_words is not None else word_texts(sample)
        hits = sorted(((sum(map(ws.__contains__, tokens)), lang) for lang, ws in self.words.items()
                       if lang != "ru"), reverse=True)
        if len(hits) >= 2 and hits[0][0] >= DECISIVE_HITS and hits[0][0] - hits[1][0] >= DECISIVE_MARGIN:
            return LanguageGuess(hits[0][1], True, round(hits[0][0] / (hits[0][0] + hits[1][0]), 3))
        return None

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
        tokens = word_texts(sample)
        hits = {lang: sum(1 for t in tokens if t in self.words.get(lang, ())) for lang in latin_langs}
        outside = {lang: sum(1 for t in tokens if t in ws) for lang, ws in OUTSIDER_WORDS.items()}
        ranked = sorted(list(hits.items()) + [(k, v) for k, v in outside.items()], key=lambda kv: -kv[1])
        (top_lang, top_hits), (_, second_hits) = ranked[0], ranked[1]
        if top_hits >= DECISIVE_HITS and top_hits - second_hits >= DECISIVE_MARGIN:
            if top_lang in hits:
                return LanguageGuess(top_lang, True, round(top_hits / max(1, top_hits + second_hits), 3))
            return LanguageGuess(self.default, False, 0.1)
        confidences = self.library().confidences(sample)
        # The char model only ranks the pack's languages against each other: its vote counts as far as the
        # library believes the text is in one of them, the rest goes to the outsiders.
        outsider_mass = sum(confidences.get(lang, 0.0) for lang in OUTSIDERS)
        posterior = self.chars.posterior(sample, latin_langs)
        scores = {lang: LIBRARY_WEIGHT * confidences.get(lang, 0.0) + WORD_WEIGHT * hits[lang]
                  + NGRAM_WEIGHT * (1 - outsider_mass) * posterior.get(lang, 0.0) for lang in latin_langs}
        best = max(scores, key=lambda k: scores[k])
        outsider = (LIBRARY_WEIGHT * max(confidences.get(lang, 0.0) for lang in OUTSIDERS)
                    + NGRAM_WEIGHT * outsider_mass + WORD_WEIGHT * max(outside.values()))
        if outsider > scores[best]:
            return LanguageGuess(self.default, False, round(max(0.0, 1 - outsider), 3))
        total = sum(scores.values()) or 1.0
        return LanguageGuess(best, True, round(min(1.0, scores[best] / total), 3))
