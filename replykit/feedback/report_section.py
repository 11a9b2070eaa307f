"""The feedback section of the HTML pack report (`replykit --feedback-db DB report`).

Same three views as `replykit feedback stats`: rules agents dismiss, replies they
pick or rewrite (and never use), inquiry types they correct. Figures only: no
stored text appears on the page. Every value goes through `html.escape`.
"""
from __future__ import annotations

from html import escape

from .stats import compute_stats
from .store import FeedbackStore


def _table(cls: str, head: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return "<p>Nothing recorded yet.</p>"
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def feedback_section(store: FeedbackStore) -> str:
    stats = compute_stats(store)
    results = ", ".join(f"{n} {k}" for k, n in stats.results.items()) or "none"
    feedback = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in stats.feedback.items()) or "none"
    rules = [[r.rule_id, r.fired, r.dismissed, f"{r.dismissal_rate:.0%}"] for r in stats.rules]
    replies = [[s.template_id, s.inquiry_type or "-", s.suggested, s.picked, f"{s.pick_rate:.0%}",
                "-" if s.mean_edit_distance is None else f"{s.mean_edit_distance:.2f}"] for s in stats.replies]
    types = [[t.inquiry_type, t.recognised, t.wrong_type, f"{t.wrong_type_rate:.0%}",
              ", ".join(f"{k} {v}" for k, v in t.corrected_to.items())] for t in stats.inquiry_types]
    missed = "".join(f"<li>{escape(c)}: {n}</li>" for c, n in stats.missed.items())
    return ('<section id="feedback"><h2>Team feedback</h2>'
            f"<p>Stored results: {escape(results)}. Feedback: {escape(feedback)}.</p>"
            "<h3>Rules agents dismiss as false alarms</h3>"
            + _table("feedback-rules", ["rule", "fired", "dismissed", "dismissal rate"], rules)
            + "<h3>Replies agents pick, and how far they rewrite them</h3>"
            + _table("feedback-replies", ["reply", "type", "suggested", "picked", "pick rate",
                                          "mean edit distance"], replies)
            + "<h3>Inquiry types agents correct</h3>"
            + _table("feedback-types", ["inquiry type", "recognised", "wrong-type marks", "rate", "corrected to"],
                     types)
            + (f"<h3>Problems reviewers marked as missed</h3><ul>{missed}</ul>" if missed else "")
            + "</section>")
