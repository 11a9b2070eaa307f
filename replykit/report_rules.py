"""Report sections about the pack as a whole: its rules, reviews due, its version, what changed.

* rules: every rule the pack uses, grouped as PR staff think of them:
  bundled, overridden by the brand, brand rules, switched off; each with its
  good and bad examples (pack variables filled in) and any example that fails;
* reviews: approvals whose review date has passed or falls within 30 days;
* version: the git commit of the pack folder (`git rev-parse`), else "not in git";
* changes: texts whose digest differs from the one their approval recorded,
  i.e. what changed since the last approved version.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from html import escape
from pathlib import Path

from .check.pack_values import substitute
from .lint import REVIEW_WARNING_DAYS, LintReport
from .models import Example

GROUPS = (("brand", "Brand rules"), ("overridden", "Bundled rules the brand changed"),
          ("bundled", "Bundled rules"), ("disabled", "Switched off"))


def pack_version(root: Path) -> str:
    """The pack folder's git commit ("abc123 (uncommitted changes)"), or "not in git"."""
    def git(*args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None

    head = git("rev-parse", "--short=12", "HEAD")
    if head is None or head.returncode != 0 or not head.stdout.strip():
        return "not in git"
    status = git("status", "--porcelain", "--", ".")
    dirty = status is not None and status.returncode == 0 and status.stdout.strip()
    return f"git {head.stdout.strip()}" + (" (with uncommitted changes)" if dirty else "")


def rule_origins(rules, bundled_rules: Path) -> dict[str, str]:  # noqa: ANN001 - a RuleSet
    """rule id -> bundled | overridden | brand | disabled."""
    from .check.ruleset import read_rule_specs

    bundled_dir = bundled_rules.resolve()
    bundled_ids = set(read_rule_specs([bundled_rules])[0])
    origins = {}
    for rule_id, spec in rules.specs.items():
        in_bundled = bundled_dir in Path(rules.sources[rule_id].path).resolve().parents
        if not spec.enabled:
            origins[rule_id] = "disabled"
        elif in_bundled:
            origins[rule_id] = "bundled"
        else:
            origins[rule_id] = "overridden" if rule_id in bundled_ids else "brand"
    return origins


def _examples(spec, values: dict[str, dict[str, str]], default_lang: str) -> str:  # noqa: ANN001
    items = []
    for kind in ("bad", "good"):
        for item in getattr(spec.examples, kind):
            ex = item if isinstance(item, Example) else Example(text=item)
            lang = ex.lang or (spec.langs[0] if spec.langs else default_lang)
            text = substitute(ex.text, values.get(lang, {})) or ex.text
            items.append(f'<li class="ex {kind}"><span class="tag {kind}">{kind}</span> '
                         f'<span class="meta">{escape(lang)}</span> {escape(text)}</li>')
    return f'<ul class="examples">{"".join(items)}</ul>'


def rules_section(kit, report: LintReport, bundled_rules: Path, base: Path) -> str:  # noqa: ANN001 - a ReplyKit
    rules = kit._loaded.rules  # noqa: SLF001 - the report inspects the pack, as lint does
    origins = rule_origins(rules, bundled_rules)
    failing: dict[str, list[str]] = {}
    for p in report.problems:
        if p.code == "rule-example":
            rule_id, _, what = p.message.partition(": ")
            failing.setdefault(rule_id, []).append(what)
    default_lang = kit._loaded.templates.meta.default_lang  # noqa: SLF001
    parts = ['<section id="rules"><h2>Rules</h2><p class="legend">What every draft and every approved '
             "text is checked against, with the examples each rule must catch (bad) and let pass (good).</p>"]
    for group, title in GROUPS:
        ids = sorted(r for r, o in origins.items() if o == group)
        parts.append(f'<h3 id="rules-{group}">{escape(title)} ({len(ids)})</h3>')
        if not ids:
            parts.append("<p>None.</p>")
            continue
        for rule_id in ids:
            spec = rules.specs[rule_id]
            where = Path(rules.sources[rule_id].path)
            try:
                where = where.resolve().relative_to(base.resolve())
            except ValueError:
                pass
            severity = escape(f" · {spec.severity}") if spec.severity else ""  # unset: the category's
            bad = failing.get(rule_id)
            note = (f' <span class="tag needs-reapproval">{len(bad)} example(s) fail</span>' if bad else "")
            fails = "".join(f"<li>{escape(b)}</li>" for b in bad or [])
            parts.append(
                f'<details class="rule" data-rule="{escape(rule_id)}" data-origin="{group}"><summary><code>'
                f"{escape(rule_id)}</code> {escape(spec.category)}{severity}{note}"
                f'<span class="meta"> {escape(str(where))}</span></summary><p>{escape(spec.message)}</p>'
                + (f'<ul class="fails">{fails}</ul>' if fails else "")
                + _examples(spec, rules.values, default_lang) + "</details>")
    parts.append("</section>")
    return "".join(parts)


def reviews_section(pack, today: dt.date) -> str:  # noqa: ANN001 - a TemplatePack
    rows = []
    for (_rid, _lang), cv in sorted(pack.variants.items(), key=lambda kv: kv[1].template_id):
        approval = cv.variant.approved
        if approval is None or approval.review_by is None:
            continue
        days = (approval.review_by - today).days
        if days > REVIEW_WARNING_DAYS:
            continue
        state, cls = (f"overdue by {-days} days", "error") if days < 0 else (f"due in {days} days", "warning")
        rows.append((approval.review_by, f'<tr class="{cls}" data-template="{escape(cv.template_id)}"><td><code>'
                     f"{escape(cv.template_id)}</code></td><td>{approval.review_by.isoformat()}</td>"
                     f'<td class="sev">{escape(state)}</td><td>{escape(approval.by)}</td></tr>'))
    if not rows:
        return (f'<section id="reviews"><h2>Reviews due</h2><p>No review is due within {REVIEW_WARNING_DAYS} days '
                "or overdue.</p></section>")
    body = "".join(r for _, r in sorted(rows, key=lambda r: r[0]))
    return ('<section id="reviews"><h2>Reviews due and overdue</h2><table class="reviews"><thead><tr><th>text</th>'
            f"<th>review by</th><th>state</th><th>approved by</th></tr></thead><tbody>{body}</tbody></table></section>")


def changes_section(pack, version: str) -> str:  # noqa: ANN001 - a TemplatePack
    """Texts changed since their approval: their digest is not the one the approval recorded."""
    changed = [cv for cv in pack.variants.values() if cv.status == "needs_reapproval"]
    head = (f'<section id="changes"><h2>Changed since the last approved version</h2><p class="legend">Pack '
            f"version: <code>{escape(version)}</code>. Texts whose wording (body or a block it uses) differs from "
            "what was approved; they are not served until approved again.</p>")
    if not changed:
        return head + "<p>Every approved text is exactly as approved.</p></section>"
    rows = "".join(
        f'<tr data-template="{escape(cv.template_id)}"><td><code>{escape(cv.template_id)}</code></td>'
        f"<td>{escape(cv.variant.approved.by)} on {cv.variant.approved.on.isoformat()}</td>"
        f"<td><code>{escape((cv.variant.approved.digest or 'no digest')[:19])}</code> → "
        f"<code>{escape(cv.digest[:19])}</code></td></tr>" for cv in sorted(changed, key=lambda c: c.template_id))
    return (head + '<table class="changes"><thead><tr><th>text</th><th>approved</th><th>digest approved → now</th>'
            f"</tr></thead><tbody>{rows}</tbody></table></section>")
