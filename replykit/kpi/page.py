"""The KPI page for team leads: one self-contained HTML file (inline CSS and SVG, no scripts,
no fonts or anything else fetched), three charts and the tables of figures.

Charts: load by hour of day (replies and their median first response), the distribution of
first-response times against the service level, and what `check` finds in sent replies over
time. Every text from the export (agents, channels, types) is escaped.
"""
from __future__ import annotations

from html import escape

from .results import Figures, KpiReport

W, H, PAD_L, PAD_B, PAD_T = 720, 240, 48, 36, 16
OK, LATE, BLOCKED, REVISE, INK = "#2f855a", "#c53030", "#c53030", "#d69e2e", "#2d3748"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _svg(chart_id: str, title: str, body: list[str]) -> str:
    return (f'<svg id="{chart_id}" role="img" aria-label="{escape(title)}" width="{W}" height="{H}" '
            f'viewBox="0 0 {W} {H}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            f'<line x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - 8}" y2="{H - PAD_B}" stroke="{INK}"/>'
            + "".join(body) + "</svg>")


def _bars(values: list[float], labels: list[str], colours: list[str], tips: list[str],
          label_every: int = 1) -> tuple[list[str], float]:
    """Bars over the plot width; returns the SVG parts and the width of one slot."""
    top = max(values) if values and max(values) > 0 else 1.0
    slot = (W - PAD_L - 8) / max(len(values), 1)
    parts = [f'<text x="{PAD_L - 6}" y="{PAD_T + 4}" text-anchor="end" font-size="10">{escape(_num(top))}</text>',
             f'<text x="{PAD_L - 6}" y="{H - PAD_B}" text-anchor="end" font-size="10">0</text>']
    for i, (value, label, colour, tip) in enumerate(zip(values, labels, colours, tips, strict=True)):
        height = (H - PAD_B - PAD_T) * value / top
        x = PAD_L + i * slot + slot * 0.1
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{H - PAD_B - height:.1f}" width="{slot * 0.8:.1f}" '
                     f'height="{height:.1f}" fill="{colour}"><title>{escape(tip)}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + slot * 0.4:.1f}" y="{H - PAD_B + 14}" text-anchor="middle" '
                         f'font-size="10">{escape(label)}</text>')
    return parts, slot


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def hours_chart(report: KpiReport) -> str:
    hours = report.by_hour
    parts, _ = _bars([h.replies for h in hours], [h.key for h in hours], ["#3182ce"] * 24,
                     [f"{h.key}:00 - {h.replies:,} replies, median {duration(h.median_s)}" for h in hours],
                     label_every=2)
    return _svg("chart-hours", "Replies by hour of day the post came in", parts)


def distribution_chart(report: KpiReport) -> str:
    level = report.service_level.first_response_s
    buckets = report.distribution
    labels = [f">{duration(b.low_s)}" if b.high_s is None else f"≤{duration(b.high_s)}" for b in buckets]
    colours = [OK if b.high_s is not None and b.high_s <= level else LATE for b in buckets]
    tips = [f"{duration(b.low_s)} to {duration(b.high_s) if b.high_s else 'more'}: {b.replies:,} replies"
            for b in buckets]
    parts, slot = _bars([float(b.replies) for b in buckets], labels, colours, tips)
    edge = next((i for i, b in enumerate(buckets) if b.low_s >= level), len(buckets))
    x = PAD_L + edge * slot
    parts.append(f'<line class="level" x1="{x:.1f}" y1="{PAD_T - 6}" x2="{x:.1f}" y2="{H - PAD_B}" '
                 f'stroke="{INK}" stroke-dasharray="5 3" stroke-width="2"/>'
                 f'<text x="{x + 4:.1f}" y="{PAD_T + 4}" font-size="11">service level {duration(level)}</text>')
    return _svg("chart-distribution", "First-response times against the service level", parts)


def findings_chart(report: KpiReport) -> str:
    share = report.check
    if share is None or not share.days:
        return ('<p class="note" id="chart-findings-none">No replies were re-checked '
                '(or none has a readable reply time).</p>')
    days = share.days
    top = max(((d.blocked + d.revise) / d.checked for d in days if d.checked), default=0.0) or 1.0
    slot = (W - PAD_L - 8) / len(days)
    parts = [f'<text x="{PAD_L - 6}" y="{PAD_T + 4}" text-anchor="end" font-size="10">{100 * top:.0f} %</text>',
             f'<rect x="{W - 190}" y="2" width="10" height="10" fill="{BLOCKED}"/>'
             f'<text x="{W - 176}" y="11" font-size="11">blocked</text>'
             f'<rect x="{W - 110}" y="2" width="10" height="10" fill="{REVISE}"/>'
             f'<text x="{W - 96}" y="11" font-size="11">to revise</text>']
    every = max(1, len(days) // 10)
    for i, d in enumerate(days):
        x, width = PAD_L + i * slot + slot * 0.1, slot * 0.8
        base: float = H - PAD_B
        for count, colour, what in ((d.blocked, BLOCKED, "blocked"), (d.revise, REVISE, "revise")):
            height = (H - PAD_B - PAD_T) * (count / d.checked if d.checked else 0) / top
            parts.append(f'<rect class="bar {what}" x="{x:.1f}" y="{base - height:.1f}" width="{width:.1f}" '
                         f'height="{height:.1f}" fill="{colour}"><title>{escape(d.day)}: {count} of '
                         f'{d.checked} {what}</title></rect>')
            base -= height
        if i % every == 0:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{H - PAD_B + 14}" text-anchor="middle" '
                         f'font-size="10">{escape(d.day[5:])}</text>')
    return _svg("chart-findings", "Share of re-checked replies blocked (red) or to revise (amber), by day", parts)


def _table(title: str, rows: list[Figures], table_id: str) -> str:
    body = "".join(f"<tr><td>{escape(f.key)}</td><td>{f.replies:,}</td><td>{duration(f.median_s)}</td>"
                   f"<td>{duration(f.p90_s)}</td><td>{_share(f.within_level)}</td></tr>" for f in rows)
    return (f'<h3>{escape(title)}</h3><table id="{table_id}"><tr><th></th><th>replies</th><th>median</th>'
            f"<th>p90</th><th>within level</th></tr>{body}</table>")


CSS = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#2d3748;margin:24px;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px}
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{border:1px solid #cbd5e0;border-radius:6px;padding:10px 14px}
.card b{display:block;font-size:20px}table{border-collapse:collapse;font-size:13px;margin-bottom:12px}
td,th{border-bottom:1px solid #e2e8f0;padding:3px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
.note{color:#718096;font-size:13px}svg{display:block;margin:8px 0}.cols{display:flex;gap:28px;flex-wrap:wrap}"""


def build_page(report: KpiReport, top_agents: int = 25) -> str:
    o, bad, level = report.overall, report.bad_rows, report.service_level
    check = report.check
    cards = [("replies measured", f"{report.measured:,} of {report.rows:,}"),
             ("median first response", duration(o.median_s)), ("p90", duration(o.p90_s)),
             (f"within {duration(level.first_response_s)}", _share(o.within_level)),
             ("bad rows", f"{bad.total:,}")]
    if check is not None:
        cards += [("blocked by check", _share(check.blocked_share)), ("to revise", _share(check.revise_share))]
    card_html = "".join(f'<div class="card">{escape(k)}<b>{escape(v)}</b></div>' for k, v in cards)
    source = ("the pack's service levels (templates/pack.yaml triage:)" if level.source == "pack"
              else "--sla-first / --sla-solution")
    own = f"; {level.rules} channel/type pairs with their own level" if level.rules else ""
    if check is None:
        check_html = '<p class="note">Not re-checked (--sample 0).</p>'
    else:
        what = (f"a random sample of {check.checked:,} of {check.rows_with_text:,} replies (seed {check.seed})"
                if check.sample is not None else f"every reply ({check.checked:,})")
        rows = "".join(f"<tr><td>{escape(c.category)}</td><td>{c.replies:,}</td><td>{_share(c.share)}</td></tr>"
                       for c in check.categories)
        check_html = (f'<p>Re-checked {escape(what)}; {check.unchecked:,} could not be checked. '
                      f'Ran on {escape(check.runner)}.</p>{findings_chart(report)}'
                      f'<table id="categories"><tr><th>category</th><th>replies</th><th>share</th></tr>{rows}</table>')
    agents = report.by_agent[:top_agents]
    more = (f'<p class="note">{len(report.by_agent) - top_agents} more agents in the JSON output.</p>'
            if len(report.by_agent) > top_agents else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>replykit kpi: {escape(report.file)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body>
<h1>Response times: {escape(report.file)}</h1>
<div class="cards">{card_html}</div>
<p class="note">Service level: first response {duration(level.first_response_s)} (solution
{duration(level.solution_s)}), from {escape(source)}{own}.
Times in {escape(report.timezone)}. Bad rows left out: {bad.lines_unreadable:,} unreadable lines,
{bad.post_time_unreadable:,} unreadable post times,
{bad.reply_time_unreadable:,} unreadable or missing reply times,
{bad.reply_before_post:,} replies before their post.</p>
<h2>Load by hour of day</h2>{hours_chart(report)}
<h2>First-response times against the service level</h2>{distribution_chart(report)}
<h2>What check finds in sent replies</h2>{check_html}
<h2>Figures</h2>
<div class="cols">{_table("By channel", report.by_channel, "by-channel")}
{_table("By inquiry type", report.by_inquiry_type, "by-type")}</div>
<div class="cols">{_table("By agent", agents, "by-agent")}{more}
{_table("By hour of day", report.by_hour, "by-hour")}</div>
</body></html>
"""
