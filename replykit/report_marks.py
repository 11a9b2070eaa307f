"""The report's view of problems where people read the texts.

* `marked_text`: a text with each problem wrapped in `<mark title="message">`,
  so a "gratis måned" in an approved text is seen where it is read;
* `problem_rows`: the lint findings with a text's check findings folded into
  one row per problem, the channels it was found on listed (lint reports it
  once per channel checked);
* `cell_flags`: what the coverage matrix says beside a count: stubs, texts
  nobody approved and texts changed since their approval are not served, so a
  cell is not "covered" by them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from .lint import LintReport, Problem

if TYPE_CHECKING:
    from .results import Finding

STUB_MARK = "TODO"  # what `replykit new` writes into a text still to be written


@dataclass
class Row:
    code: str
    severity: str
    path: str | None
    line: int | None
    message: str
    channels: list[str] = field(default_factory=list)


def problem_rows(report: LintReport, pack) -> list[Row]:  # noqa: ANN001 - a TemplatePack
    """Every lint problem once: a text's check findings grouped over the channels they were found on."""
    rows = [Row(p.code, p.severity, p.path, p.line, p.message) for p in report.problems
            if p.code != "template-check"]
    grouped: dict[tuple, Row] = {}
    for (template_id, wording), found in report.text_findings.items():
        lang, reply_id = template_id.split("/", 1)
        cv = pack.variants.get((reply_id, lang))
        name = template_id if wording == 0 else f"{template_id} wording {wording}"
        for channel, f, quoted in found:
            key = (template_id, wording, f.rule_id, f.start, f.end)
            row = grouped.get(key)
            if row is None:
                row = grouped[key] = Row(
                    "template-check", "error", str(cv.source.path) if cv else None, cv.source.line if cv else None,
                    f"{name}: {f.category} ({f.rule_id}) at “{quoted[:40]}”: {f.message}")
            if channel not in row.channels:
                row.channels.append(channel)
    return rows + list(grouped.values())


def marked_text(text: str, found: list[tuple[str, Finding, str]]) -> str:
    """`text` as HTML with every problem in it marked; the title names it and its channels.

    Spans index the rendered text before stripping; overlapping problems share
    the first one's mark (its title lists them all), so marks never nest.
    """
    lead = len(text) - len(text.lstrip())
    shown = text.strip()
    spans: dict[tuple[int, int], list[str]] = {}
    channels: dict[tuple[int, int, str], list[str]] = {}
    for channel, f, _quoted in found:
        start, end = max(f.start - lead, 0), min(f.end - lead, len(shown))
        if end <= start:
            continue
        label = f"{f.category} ({f.rule_id}): {f.message}"
        if label not in spans.setdefault((start, end), []):
            spans[(start, end)].append(label)
        channels.setdefault((start, end, label), []).append(channel)
    merged: list[tuple[int, int, list[str]]] = []
    for (start, end), labels in sorted(spans.items()):
        titled = [f"{label} [{', '.join(channels[(start, end, label)])}]" for label in labels]
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + titled)
        else:
            merged.append((start, end, titled))
    out, pos = [], 0
    for start, end, titles in merged:
        out.append(escape(shown[pos:start]))
        out.append(f'<mark class="problem" title="{escape(" · ".join(titles))}">{escape(shown[start:end])}</mark>')
        pos = end
    out.append(escape(shown[pos:]))
    return "".join(out)


def is_stub(cv) -> bool:  # noqa: ANN001 - a CompiledVariant
    return cv.status == "unapproved" and STUB_MARK in cv.variant.body


def cell_flags(pack, itype: str, lang: str, visibility: str) -> dict[str, int]:  # noqa: ANN001
    """How many texts of a matrix cell are stubs, unapproved drafts, or changed since approval."""
    flags = {"stub": 0, "unapproved": 0, "needs-reapproval": 0}
    for (_rid, vlang), cv in pack.variants.items():
        if vlang != lang or cv.reply.inquiry_type != itype or cv.reply.visibility not in (visibility, "any"):
            continue
        if is_stub(cv):
            flags["stub"] += 1
        elif cv.status == "unapproved":
            flags["unapproved"] += 1
        elif cv.status == "needs_reapproval":
            flags["needs-reapproval"] += 1
    return {k: v for k, v in flags.items() if v}


FLAG_WORDS = {"stub": "stub", "unapproved": "not approved", "needs-reapproval": "re-approve"}


def flag_html(flags: dict[str, int]) -> str:
    return "".join(f'<span class="flag {kind}" title="{n} {escape(FLAG_WORDS[kind])}: not served to agents">'
                   f"{n} {escape(FLAG_WORDS[kind])}</span>" for kind, n in flags.items())


def problem_of(row: Row) -> Problem:
    return Problem(row.code, row.severity, row.message, row.path, row.line)
