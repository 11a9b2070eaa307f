"""Inquiry classification from the pack's recognition data.

For each language the pack gives, per inquiry type, trigger phrases (with
weights), example posts and negative cues. A post is scored per type by

* the triggers it contains (matched by stem; misspelt words of 5+ letters are
  first corrected to the nearest recognition word with rapidfuzz),
* minus the negative cues,
* plus its TF-IDF cosine similarity to the type's example posts,
* plus, for `provocation`, the escalation signals (see `signals.py`),

and the scores become probabilities (softmax), so `candidates` says both
which type wins and what came close.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..models import Recognition, Trigger
from ..text.phrases import PhraseIndex, compile_phrase
from ..text.tokens import Token, tokenize
from ..vocabulary import INQUIRY_TYPES

EXAMPLE_WEIGHT = 10.0
TEMPERATURE = 1.3
FUZZY_CUTOFF = 86
MULTIWORD_BONUS = 0.0


@dataclass
class Scored:
    scores: dict[str, float]  # probabilities, summing to 1
    raw: dict[str, float]
    matched: dict[str, list[str]] = field(default_factory=dict)


class LanguageModel:
    """Recognition data of one language, compiled for fast scoring."""

    def __init__(self, lang: str, recognition: dict[str, Recognition]):
        self.lang = lang
        self.types = [t for t in INQUIRY_TYPES if t in recognition]
        self.triggers: PhraseIndex = PhraseIndex()
        self.negatives: PhraseIndex = PhraseIndex()
        vocab: set[str] = set()
        docs: dict[str, Counter] = {}
        for itype, rec in recognition.items():
            for item in rec.triggers:
                phrase, weight = _phrase(item)
                tests = compile_phrase(phrase, lang)
                n_words = sum(1 for k, _ in tests if k != "any")
                if self.triggers.add(tests, (itype, weight * (1 + MULTIWORD_BONUS * (n_words - 1)), phrase)):
                    vocab.update(v for k, v in tests if k == "stem" and len(v) >= 4)
            for item in rec.negative:
                phrase, weight = _phrase(item)
                self.negatives.add(compile_phrase(phrase, lang), (itype, weight, phrase))
            bag: Counter = Counter()
            for example in rec.examples:
                stems = {t.stem for t in tokenize(example, lang) if len(t.text) >= 3 and not t.text.isdigit()}
                bag.update(sorted(stems))  # a set's order follows the hash seed: sums would differ between processes
                vocab.update(s for s in stems if len(s) >= 4)
            docs[itype] = bag
        # IDF over types: a stem typical of one type weighs more than one in all.
        df: Counter = Counter()
        for bag in docs.values():
            df.update(bag.keys())
        n = max(len(docs), 1)
        self.idf = {s: math.log(1 + n / c) for s, c in df.items()}
        self.centroids: dict[str, dict[str, float]] = {}
        for itype, bag in docs.items():
            vec = {s: c * self.idf[s] for s, c in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.centroids[itype] = {s: v / norm for s, v in vec.items()}
        self.by_stem: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for itype, vec in self.centroids.items():
            for s, v in vec.items():
                self.by_stem[s].append((itype, v))
        self.vocab_by_initial: dict[str, list[str]] = defaultdict(list)
        for s in sorted(vocab):  # the fuzzy correction takes the first of equal scores: the same in every process
            self.vocab_by_initial[s[0]].append(s)
        self.vocab = frozenset(vocab)

    def _corrected(self, tokens: list[Token]) -> list[Token]:
        out = []
        for tok in tokens:
            if len(tok.text) >= 5 and tok.stem not in self.vocab and not tok.text.isdigit():
                choices = self.vocab_by_initial.get(tok.stem[0], ())
                best = process.extractOne(tok.stem, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF) \
                    if choices else None
                if best is not None:
                    tok = Token(tok.text, tok.start, tok.end, best[0])
            out.append(tok)
        return out

    def score(self, text: str, extra: dict[str, float] | None = None, tokens: list[Token] | None = None) -> Scored:
        """`tokens`: tokenize(text, lang) when the caller has it already."""
        tokens = self._corrected(tokenize(text, self.lang) if tokens is None else tokens)
        raw = {t: 0.0 for t in self.types}
        matched: dict[str, list[str]] = defaultdict(list)
        # Several triggers of one type often cover the same words ("verhuizen",
        # "verhuis*"): per type, a word counts once, for its strongest trigger.
        by_type: dict[str, list] = defaultdict(list)
        for m in self.triggers.finditer(tokens):
            by_type[m.payload[0]].append(m)
        for itype, found in by_type.items():
            taken: set[int] = set()
            seen: set[str] = set()
            for m in sorted(found, key=lambda m: (-m.payload[1], m.first)):
                _, weight, phrase = m.payload
                span = set(range(m.first, m.last + 1))
                if phrase in seen or span & taken:
                    continue
                seen.add(phrase)
                taken |= span
                raw[itype] += weight
                matched[itype].append(phrase)
        counted: set[tuple[str, str]] = set()
        for m in self.negatives.finditer(tokens):
            itype, weight, phrase = m.payload
            if (itype, phrase) not in counted:
                counted.add((itype, phrase))
                raw[itype] -= weight
        # Cosine to each type's examples (post vector weighted by the same IDF).
        # Sorted: a set's order follows the hash seed, and sums in another order differ in the last bits.
        post = sorted({t.stem for t in tokens if t.stem in self.idf})
        if post:
            norm = math.sqrt(sum(self.idf[s] ** 2 for s in post)) or 1.0
            sims: dict[str, float] = defaultdict(float)
            for s in post:
                w = self.idf[s] / norm
                for itype, v in self.by_stem.get(s, ()):
                    sims[itype] += w * v
            for itype, sim in sims.items():
                raw[itype] += EXAMPLE_WEIGHT * sim
        for itype, bonus in (extra or {}).items():
            if itype in raw:
                raw[itype] += bonus
        return Scored(_softmax(raw), raw, dict(matched))


def _phrase(item: str | Trigger) -> tuple[str, float]:
    if isinstance(item, Trigger):
        return item.phrase, item.weight
    return item, 1.0


def _softmax(raw: dict[str, float]) -> dict[str, float]:
    if not raw:
        return {}
    top = max(raw.values())
    exps = {t: math.exp((v - top) / TEMPERATURE) for t, v in raw.items()}
    total = sum(exps.values())
    return {t: e / total for t, e in exps.items()}
