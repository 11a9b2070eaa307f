"""The HTML pack report for PR staff: `replykit report -o report.html`.

One self-contained page (inline CSS, no scripts, no network, no external
fonts or images) that answers three questions about a template pack:

* **Coverage**: for each of the 11 inquiry types, does every language have a
  public and a private reply? (green `ok` / red `missing`, with the count)
* **Lint findings**: everything `replykit lint` reports, with file and line.
* **Texts**: every logical reply rendered with its sample values, the
  languages side by side, so a translation can be read against another.

If the pack does not load (a schema error), the page still renders and shows
that error; coverage and texts are then left out. Every text on the page goes
through `html.escape`: template text may contain `<` and `&`.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .compose import render_variant
from .errors import ReplyKitError
from .lint import LintReport, Problem, lint_pack
from .report_marks import cell_flags, flag_html, marked_text, problem_of, problem_rows
from .vocabulary import INQUIRY_TYPES

if TYPE_CHECKING:
    from .feedback.store import FeedbackStore

VISIBILITIES = ("public", "private")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:1.5rem;color:#1d1d1f;
  background:#fafafa;line-height:1.4}
h1{margin:0 0 .3rem}h2{margin-top:2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
.sub{color:#555;margin:0 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.summary li{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.4rem .8rem}
.summary b{font-size:1.3rem;display:block}
.summary .bad b{color:#b00020}.summary .good b{color:#1b7f3b}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}
table.matrix td{text-align:center;min-width:3.2rem;font-weight:bold}
td.ok{background:#c8f0d0;color:#14532d}td.missing{background:#f8c9c9;color:#8b0000}
tr.error td.sev{color:#b00020;font-weight:bold}tr.warning td.sev{color:#9a6700;font-weight:bold}
td.where,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
table.texts td{width:24%}
.text{white-space:pre-wrap;margin:0;font-family:inherit}
.meta{color:#555;font-size:.8rem;margin-top:.4rem}
.tag{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:.75rem;font-weight:bold}
.tag.unapproved,.tag.placeholder{background:#fde2b8;color:#7a4a00}
.tag.needs-reapproval{background:#f8c9c9;color:#8b0000}
td.not-needed{background:#eee;color:#666;font-style:italic}
td.absent,td.render-error{background:#f8c9c9;color:#8b0000}
.fatal{background:#f8c9c9;border:1px solid #b00020;padding:.8rem;border-radius:6px}
.legend span{margin-right:1rem}
mark.problem{background:#ffd24d;color:inherit;border-bottom:2px solid #b00020;padding:0 .1rem;cursor:help}
.flag{display:block;font-size:.7rem;font-weight:bold;border-radius:4px;margin-top:.15rem;padding:0 .25rem}
.flag.stub,.flag.unapproved{background:#fde2b8;color:#7a4a00}.flag.needs-reapproval{background:#b00020;color:#fff}
td.channels{font-size:.85rem}
details.rule{background:#fff;border:1px solid #ddd;border-radius:6px;margin:.3rem 0;padding:.3rem .6rem}
ul.examples{margin:.3rem 0;padding-left:1.2rem}ul.fails{color:#b00020}
.tag.bad{background:#f8c9c9;color:#8b0000}.tag.good{background:#c8f0d0;color:#14532d}
"""


def _relative(path: str | None, base: Path) -> str:
    if not path:
        return "pack"
    try:
        return str(Path(path).resolve().relative_to(base.resolve()))
    except ValueError:
        return path


def _where(problem: Problem, base: Path) -> str:
    where = _relative(problem.path, base)
    return f"{where}:{problem.line}" if problem.line else where


def _header(name: str, description: str, stats: list[tuple[str, object, str]], today: dt.date,
            version: str = "") -> str:
    items = "".join(f'<li class="{cls}"><b>{escape(str(value))}</b>{escape(label)}</li>'
                    for label, value, cls in stats)
    about = f"{description} · " if description else ""
    about += f"version {version} · " if version else ""
    return (f"<header><h1>Template pack report: {escape(name)}</h1>"
            f'<p class="sub">{escape(about)}Generated {escape(today.isoformat())} by replykit</p>'
            f'<ul class="summary">{items}</ul></header>')


def _matrix(coverage: dict[str, dict[str, dict[str, int]]], langs: list[str], pack=None) -> str:  # noqa: ANN001
    head1 = "".join(f'<th colspan="2">{escape(lang)}</th>' for lang in langs)
    head2 = "".join(f"<th>{vis}</th>" for _ in langs for vis in VISIBILITIES)
    rows = []
    for itype in INQUIRY_TYPES:
        cells = []
        for lang in langs:
            for vis in VISIBILITIES:
                n = coverage.get(itype, {}).get(lang, {}).get(vis, 0)
                cls = "ok" if n else "missing"
                # Stubs and texts to re-approve are counted but not served: said in the cell itself.
                flags = cell_flags(pack, itype, lang, vis) if pack is not None else {}
                cls += " flagged" if flags else ""
                cells.append(f'<td class="{cls}" data-type="{escape(itype)}" data-lang="{escape(lang)}" '
                             f'data-visibility="{vis}" title="{n} {vis} {escape(itype)} repl{"y" if n == 1 else "ies"}'
                             f' in {escape(lang)}">{n}{" " + flag_html(flags) if flags else ""}</td>')
        rows.append(f"<tr><th>{escape(itype)}</th>{''.join(cells)}</tr>")
    return ('<section id="coverage"><h2>Coverage</h2><p class="legend"><span>Replies per inquiry type, '
            "language and visibility (a reply for <em>any</em> counts for both).</span></p>"
            f'<table class="matrix"><thead><tr><th rowspan="2">inquiry type</th>{head1}</tr><tr>{head2}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></section>")


def _findings(report: LintReport, base: Path, pack=None) -> str:  # noqa: ANN001
    if not report.problems:
        return '<section id="findings"><h2>Lint findings</h2><p>No problems found.</p></section>'
    # One row per problem: a text's finding on facebook and twitter is one row naming both channels.
    rows_in = sorted(problem_rows(report, pack), key=lambda r: (r.severity != "error", r.code,
                                                                 _where(problem_of(r), base)))
    rows = "".join(
        f'<tr class="{escape(r.severity)}"><td><code>{escape(r.code)}</code></td>'
        f'<td class="sev">{escape(r.severity)}</td><td class="where">{escape(_where(problem_of(r), base))}</td>'
        f'<td>{escape(r.message)}</td><td class="channels">{escape(", ".join(r.channels))}</td></tr>'
        for r in rows_in)
    return ('<section id="findings"><h2>Lint findings</h2><table class="findings"><thead><tr><th>code</th>'
            f"<th>severity</th><th>file:line</th><th>message</th><th>channels</th></tr></thead><tbody>{rows}"
            "</tbody></table></section>")


def _text_cell(pack, reply, lang: str, report: LintReport | None = None) -> str:
    attrs = f'data-reply="{escape(reply.id)}" data-lang="{escape(lang)}"'
    cv = pack.variants.get((reply.id, lang))
    if cv is None:
        if lang in reply.not_needed:
            return f'<td class="not-needed" {attrs}>not needed in {escape(lang)}</td>'
        return f'<td class="absent" {attrs}><strong>missing</strong>: no {escape(lang)} text</td>'
    try:
        rendered = render_variant(pack, cv, samples=True)
    except ReplyKitError as exc:
        return f'<td class="render-error" {attrs}><strong>does not render</strong>: {escape(str(exc))}</td>'
    approval = cv.variant.approved
    if approval is None:
        meta = '<span class="tag unapproved">not approved</span>'
    else:
        review = f", review by {approval.review_by.isoformat()}" if approval.review_by else ""
        meta = escape(f"approved by {approval.by} on {approval.on.isoformat()}{review}")
        if cv.status == "needs_reapproval":  # the text changed since: that approval no longer holds
            meta = '<span class="tag needs-reapproval">needs re-approval</span> ' + escape("was " + meta)
    if rendered.missing:
        meta += f' <span class="tag placeholder">no sample for {escape(", ".join(rendered.missing))}</span>'
    attrs += f' data-status="{cv.status}"'
    found = report.text_findings.get((cv.template_id, 0), []) if report is not None else []
    return (f'<td class="text-cell" {attrs}><p class="text">{marked_text(rendered.text, found)}</p>'
            f'<div class="meta">{meta}</div></td>')


def _texts(pack, langs: list[str], report: LintReport | None = None) -> str:
    head = "".join(f"<th>{escape(lang)}</th>" for lang in langs)
    rows = []
    for reply in pack.replies.values():
        label = (f'<code>{escape(reply.id)}</code><div class="meta">{escape(reply.visibility)}'
                 f'{escape(" · " + ", ".join(reply.channels)) if reply.channels else ""}</div>')
        if reply.description:
            label += f'<div class="meta">{escape(reply.description)}</div>'
        cells = "".join(_text_cell(pack, reply, lang, report) for lang in langs)
        rows.append(f'<tr id="reply-{escape(reply.id.replace("/", "-"))}" data-reply="{escape(reply.id)}">'
                    f"<th>{label}</th>{cells}</tr>")
    return ('<section id="texts"><h2>Reply texts (with sample values)</h2>'
            f'<table class="texts"><thead><tr><th>reply</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table></section>")


def _page(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,">'  # no favicon request
            f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>{body}</body></html>\n")


def build_report(templates: Path | None = None, rules: Path | None = None, today: dt.date | None = None,
                 feedback: FeedbackStore | None = None) -> str:
    """The whole HTML report of a pack (None: the bundled templates/rules); with a feedback store,
    a section of the team's feedback (feedback/report_section.py)."""
    from .kit import ReplyKit, bundled_path

    today = today or dt.date.today()
    root = Path(templates) if templates is not None else bundled_path("templates")
    base = root.parent
    report = lint_pack(templates, rules, today=today)
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    try:
        kit = ReplyKit.load(templates, rules)
    except ReplyKitError as exc:
        stats: list[tuple[str, object, str]] = [("errors", errors or 1, "bad"), ("warnings", warnings, "")]
        fatal = (f'<section id="fatal" class="fatal"><h2>The pack does not load</h2><p>{escape(str(exc))}</p>'
                 "<p>Fix this first: coverage and reply texts cannot be shown until the pack loads.</p></section>")
        body = _header(str(root), "", stats, today) + fatal + _findings(report, base)
        return _page(f"replykit report: {root.name} (does not load)", body)

    pack = kit._loaded.templates  # noqa: SLF001 - the report, like lint, inspects the pack itself
    rows = problem_rows(report, pack)  # counted as listed: one per problem, not per channel
    errors = sum(r.severity == "error" for r in rows)
    warnings = len(rows) - errors
    langs: list[str] = list(pack.meta.languages)
    missing = sum(not report.coverage.get(t, {}).get(lang, {}).get(v, 0)
                  for t in INQUIRY_TYPES for lang in langs for v in VISIBILITIES)
    unapproved = sum(not cv.approved for cv in pack.variants.values())
    stats = [
        ("languages", ", ".join(langs), ""),
        ("logical replies", len(pack.replies), ""),
        ("texts (reply × language)", len(pack.variants), ""),
        ("rules checked", report.checked_rules, ""),
        ("coverage holes", missing, "bad" if missing else "good"),
        ("not approved", unapproved, "bad" if unapproved else "good"),
        ("lint errors", errors, "bad" if errors else "good"),
        ("lint warnings", warnings, ""),
    ]
    from .pack.brand import brand_root
    from .report_rules import changes_section, pack_version, reviews_section, rules_section

    version = pack_version(brand_root(root) or base)
    body = (_header(pack.meta.name, pack.meta.description, stats, today, version)
            + _matrix(report.coverage, langs, pack) + _findings(report, base, pack) + _texts(pack, langs, report)
            + reviews_section(pack, today) + changes_section(pack, version)
            + rules_section(kit, report, bundled_path("rules"), base))
    if feedback is not None:
        from .feedback.report_section import feedback_section

        body += feedback_section(feedback)
    return _page(f"replykit report: {pack.meta.name}", body)
