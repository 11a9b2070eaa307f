"""Masking personal data before anything is written to the feedback store.

Posts, drafts and sent replies are personal data. Before a text is stored its
national IDs, phone numbers, e-mails, bank accounts, card numbers, street
addresses, account numbers and the names given as variables are replaced by
placeholders ([cpr], [phone], [email], [iban], [card], [address], [account],
[name]); what is left of any longer digit run becomes [number]. The detectors
are replykit's own (check/detectors/pii.py and the pack's pii rules), run
without allow-lists: masking too much is safe, too little is not.

A `Masked` text keeps where each replacement sits, so offsets in the original
(finding spans, a reviewer's span) can be moved onto the stored text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from ..check.detectors.pii import PersonalDataDetector
from ..check.engine import make_context, run_rules
from ..check.ruleset import RuleSet
from ..results import Finding

NATIONAL_ID = {"da": "[cpr]", "no": "[fnr]", "nl": "[bsn]", "ru": "[id]"}
DETECTOR_KINDS = (("national_id", None), ("card", "[card]"), ("iban", "[iban]"), ("email", "[email]"),
                  ("phone", "[phone]"))
# Rules of the pack whose spans are personal data (a finding of common.pii.* or <lang>.pii.*);
# the "ask_public" rules flag a request for data, not data, and are left out.
RULE_PLACEHOLDERS = {"pii.address": "[address]", "pii.account_number": "[account]", "pii.national_id": None,
                     "pii.contact": "[contact]"}
PII_CATEGORY = "forbidden.personal_data"
_DIGITS = re.compile(r"\d(?:[ .\-/]?\d){5,}")
NAME_KEYS = ("customer_name", "agent_name")


@dataclass(frozen=True)
class Masked:
    text: str
    # (original start, original end, masked start, masked end) of each replacement, in order
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def offset(self, original: int, end: bool = False) -> int:
        """Where an offset of the original text lands in the masked text (a masked span as a whole)."""
        starts = [s[0] for s in self.spans]
        i = bisect.bisect_right(starts, original) - 1
        if i < 0:
            return original
        o_start, o_end, m_start, m_end = self.spans[i]
        if original < o_end:  # inside a replaced span
            return m_end if end and original > o_start else m_start
        return original - o_end + m_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offset(start), self.offset(end, end=True)


def name_values(variables: Mapping[str, object] | None) -> list[str]:
    """The names given as variables (customer_name, agent_name, any *_name), each with its parts."""
    out: set[str] = set()
    for key, value in (variables or {}).items():
        if value is None or not (key in NAME_KEYS or key.endswith("_name")) or key == "brand_name":
            continue
        name = str(value).strip()
        if len(name) >= 2:
            out.add(name)
            out.update(p for p in re.split(r"[\s,\-]+", name) if len(p) >= 2 and not p.endswith("."))
    return sorted(out, key=lambda n: (-len(n), n))


class Masker:
    """Masks one text of one language; built once per kit (the pack's rules are compiled already)."""

    def __init__(self, rules: Callable[[], RuleSet]):
        self._rules = rules
        self._detector = PersonalDataDetector({})

    def mask(self, text: str, lang: str, variables: Mapping[str, object] | None = None,
             findings: Iterable[Finding] = ()) -> Masked:
        """`findings`: a check's findings on this very text (its pii spans are masked as they are)."""
        # The detectors' spans first: on an overlap the first placeholder found is kept ([phone], not [contact]).
        spans = self._detected(text, lang)
        for f in findings:
            placeholder = _rule_placeholder(f.rule_id, lang)
            if f.category == PII_CATEGORY and placeholder is not None:
                spans.append((f.start, f.end, placeholder))
        for name in name_values(variables):
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                spans.append((m.start(), m.end(), "[name]"))
        return _apply(text, spans)

    def mask_rendered(self, text: str, lang: str, variables: Mapping[str, object] | None = None) -> Masked:
        """An approved reply rendered with `variables`: PR's text holds no personal data, so only what came in
        through the variables can; the detectors run only when a value other than a name could be such data."""
        names = set(NAME_KEYS)
        if any(k not in names and not k.endswith("_name") and re.search(r"\d|@", str(v or ""))
               for k, v in (variables or {}).items()):
            return self.mask(text, lang, variables)
        return _apply(text, [(m.start(), m.end(), "[name]") for name in name_values(variables)
                             for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)])

    def _detected(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        ctx = make_context(text, lang, "facebook")
        spans: list[tuple[int, int, str]] = []
        for kind, placeholder in DETECTOR_KINDS:
            for hit in self._detector.findings(ctx, {"kinds": [kind]}):
                start, end = ctx.norm.span(hit.start, hit.end)
                spans.append((start, end, placeholder or NATIONAL_ID.get(lang, "[id]")))
        if any(c.isdigit() for c in text) or "@" in text:
            for f in run_rules(self._rules(), ctx, merge=False, categories=frozenset({PII_CATEGORY})):
                placeholder = _rule_placeholder(f.rule_id, lang)
                if placeholder is not None:
                    spans.append((f.start, f.end, placeholder))
        # Whatever long digit run is left (customer, order, account numbers written bare).
        spans += [(m.start(), m.end(), "[number]") for m in _DIGITS.finditer(text)]
        return spans


def _rule_placeholder(rule_id: str, lang: str) -> str | None:
    for suffix, placeholder in RULE_PLACEHOLDERS.items():
        if rule_id.endswith(suffix):
            return placeholder or NATIONAL_ID.get(lang, "[id]")
    return None


def _apply(text: str, spans: list[tuple[int, int, str]]) -> Masked:
    """Replace the spans (overlaps merged, the first-found placeholder kept) and record where."""
    merged: list[list] = []
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1], i))
    for start, end, placeholder in (spans[i] for i in order):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            continue
        merged.append([start, end, placeholder])
    out: list[str] = []
    kept: list[tuple[int, int, int, int]] = []
    pos = length = 0
    for start, end, placeholder in merged:
        out.append(text[pos:start])
        length += start - pos
        out.append(placeholder)
        kept.append((start, end, length, length + len(placeholder)))
        length += len(placeholder)
        pos = end
    out.append(text[pos:])
    return Masked("".join(out), tuple(kept))
