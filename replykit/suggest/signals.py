"""Escalation signals: what the MTS guide says marks a troll or a crisis.

Emotionally loaded text, obscene language, calls to spread the post,
references to the criminal code or threats to sue, threats to safety. The
cue lists live in the pack (`templates/<lang>/_signals.yaml`); this module
matches them and turns them into escalation flags for the integration to
route (PR, legal, security) and into evidence for `provocation`.
"""
from __future__ import annotations

import regex

from ..models import SignalsFile
from ..results import Escalation
from ..text.phrases import PhraseIndex, compile_phrase
from ..text.tokens import Token, tokenize

FLAGS = ("legal_threat", "media", "regulator", "safety", "spread", "profanity", "churn")
# Which flags speak for provocation, and how strongly (rules-only classification; a trained model learns its own).
PROVOCATION_WEIGHT = {"profanity": 1.6, "spread": 1.6, "legal_threat": 1.0, "safety": 1.0, "media": 0.5,
                      "regulator": 0.3, "churn": 0.0}
# A customer leaving for a competitor is not asking us for an order ("jeg skifter til Telia"):
# the order_request share of such a post is cut to this and the rest renormalised.
CHURN_ORDER_SHARE = 0.1
_SHOUT = regex.compile(r"\b\p{Lu}{3,}\b")


class SignalMatcher:
    def __init__(self, lang: str, signals: SignalsFile):
        self.lang = lang
        self.index: PhraseIndex = PhraseIndex()
        for flag in FLAGS:
            for phrase in getattr(signals, flag):
                self.index.add(compile_phrase(phrase, lang), flag)

    def escalations(self, text: str, tokens: list[Token] | None = None) -> list[Escalation]:
        """`tokens`: tokenize(text, lang) when the caller has it already."""
        found: dict[str, str] = {}
        for m in self.index.finditer(tokenize(text, self.lang) if tokens is None else tokens):
            found.setdefault(m.payload, text[m.start:m.end])
        return [Escalation(flag=f, evidence=found[f]) for f in FLAGS if f in found]

    @staticmethod
    def not_an_order(scores: dict[str, float], escalations: list[Escalation]) -> dict[str, float]:
        if "order_request" not in scores or not any(e.flag == "churn" for e in escalations):
            return scores
        cut = {t: p * CHURN_ORDER_SHARE if t == "order_request" else p for t, p in scores.items()}
        total = sum(cut.values()) or 1.0
        return {t: p / total for t, p in cut.items()}

    @staticmethod
    def provocation_bonus(text: str, escalations: list[Escalation]) -> float:
        bonus = sum(PROVOCATION_WEIGHT[e.flag] for e in escalations)
        shouted = len(_SHOUT.findall(text))
        if shouted >= 2 or "!!!" in text:
            bonus += 0.4
        return bonus
