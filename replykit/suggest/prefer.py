"""Which reply of an inquiry type wins a post: PR's `prefer:` data, then the pack's order.

Recognition data decides the inquiry type; within a type, several replies
(unplanned outage vs planned maintenance) used to tie and were ordered by id,
so a newly added reply could take over every post of its type. Now each
variant may say which posts it fits (`prefer: {triggers, examples}`): the
weights of its matched trigger phrases (by stem, as recognition matches them)
plus, when the post shares most of the content words of one of its example
posts (by stem: at least EXAMPLE_MIN_SHARE of them), that share
(x EXAMPLE_WEIGHT). Replies that score the same keep the order of
`replies.yaml` (base pack first, then the brand's additions): a reply without
`prefer:` never overtakes one listed before it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Trigger
from ..pack.templates import TemplatePack
from ..text.phrases import PhraseIndex, compile_phrase
from ..text.tokens import Token, tokenize

EXAMPLE_WEIGHT = 3.0
EXAMPLE_MIN_SHARE = 0.6  # share of an example's content words (4+ letters) the post must have
CONTENT_WORD = 4


@dataclass(frozen=True)
class Preference:
    score: float
    matched: tuple[str, ...]  # phrases matched, and "example: ..." for a similar example post


NO_PREFERENCE = Preference(0.0, ())


class Preferences:
    """One language's `prefer:` data of every reply, compiled once."""

    def __init__(self, pack: TemplatePack, lang: str):
        self.lang = lang
        self.order = {rid: i for i, rid in enumerate(pack.replies)}
        self.index: PhraseIndex = PhraseIndex()
        self.examples: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for (rid, vlang), cv in pack.variants.items():
            if vlang != lang:
                continue
            for item in cv.variant.prefer.triggers:
                phrase, weight = (item.phrase, item.weight) if isinstance(item, Trigger) else (item, 1.0)
                self.index.add(compile_phrase(phrase, lang), (rid, weight, phrase))
            if cv.variant.prefer.examples:
                self.examples[rid] = [(ex, self._stems(ex)) for ex in cv.variant.prefer.examples]

    def _stems(self, text: str) -> frozenset[str]:
        return frozenset(t.stem for t in tokenize(text, self.lang) if len(t.text) >= CONTENT_WORD)

    def scores(self, text: str, tokens: list[Token] | None = None) -> dict[str, Preference]:
        """Reply id -> its preference for this (normalised) post; replies with none are left out.
        `tokens`: tokenize(text, lang) when the caller has it already."""
        if not self.index.size and not self.examples:
            return {}
        score: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        if tokens is None:
            tokens = tokenize(text, self.lang)
        for m in self.index.finditer(tokens):
            rid, weight, phrase = m.payload
            if phrase not in matched.setdefault(rid, []):
                matched[rid].append(phrase)
                score[rid] = score.get(rid, 0.0) + weight
        if self.examples:
            post = {t.stem for t in tokens if len(t.text) >= CONTENT_WORD}
            for rid, examples in self.examples.items():
                best = max(((len(stems & post) / len(stems), ex) for ex, stems in examples if stems), default=None)
                if best and best[0] >= EXAMPLE_MIN_SHARE:
                    score[rid] = score.get(rid, 0.0) + EXAMPLE_WEIGHT * best[0]
                    matched.setdefault(rid, []).append(f"example: {best[1][:60]}")
        return {rid: Preference(round(s, 4), tuple(matched.get(rid, ()))) for rid, s in score.items()}

    def key(self, reply_id: str, prefs: dict[str, Preference]) -> tuple[float, int]:
        """Sort key within one type and fit: stronger preference first, then the pack's order."""
        return (-prefs.get(reply_id, NO_PREFERENCE).score, self.order.get(reply_id, len(self.order)))
