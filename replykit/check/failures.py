"""Rules and detectors fail closed: what could not run becomes a finding of its own.

A detector that raises, or a pattern that hits the last-resort time limit, must
never let a draft through as if nothing was found, nor soften a verdict. The
engine turns each such failure into a finding `internal.<what>` over the whole
draft plus a notice; its severity is `error` (verdict `blocked`, review by hand)
when the rule guards a forbidden category or blocks on its own, else `warning`.
The log says which rule failed and how, never the draft (personal data).
"""
from __future__ import annotations

import logging

from ..results import Finding
from .context import CheckContext
from .kinds import CompiledRule

log = logging.getLogger("replykit.check")


class WorkBudgetExceeded(RuntimeError):
    """A detector used up its budget of operations (linear in the draft's length) before the end of
    the draft. Raised, not swallowed, so the engine reports the check as not run (fail closed)."""


def blocks(rule: CompiledRule) -> bool:
    """True when a failure of this rule must block the draft for review."""
    return rule.spec.category.startswith("forbidden.") or rule.severity == "error"


def internal_finding(rule: CompiledRule, ctx: CheckContext, what: str, reason: str,
                     exc: BaseException | None = None) -> Finding:
    """A finding `internal.<what>` for a rule that could not finish, plus a notice; logged."""
    if exc is not None:
        # The exception's text may quote the draft: its type at ERROR, the rest only at DEBUG.
        log.error("rule %s: %s could not run (%s)", rule.id, what, type(exc).__name__)
        log.debug("rule %s failed", rule.id, exc_info=exc)
    else:
        log.error("rule %s: %s could not run (%s)", rule.id, what, reason)
    severity = "error" if blocks(rule) else "warning"
    ctx.notices.append(f"internal error: {what} could not run for rule {rule.id} ({reason}); {_next_step(severity)}")
    return Finding(rule_id=f"internal.{what}", category=rule.spec.category, severity=severity, start=0,
                   end=len(ctx.norm.original),
                   message=f"{what} could not run for rule {rule.id} ({reason}); check this draft by hand.")


def stage_failure(ctx: CheckContext, what: str, category: str, severity: str, exc: BaseException) -> Finding:
    """A finding `internal.<what>` for a stage of `check` outside the rules (the trained model, the
    language comparison) that raised: the same fail-closed contract as a rule's, with a notice."""
    log.error("check: %s could not run (%s)", what, type(exc).__name__)
    log.debug("check: %s failed", what, exc_info=exc)
    ctx.notices.append(f"internal error: the {what} could not run ({type(exc).__name__}); {_next_step(severity)}")
    return Finding(rule_id=f"internal.{what.replace(' ', '_')}", category=category, severity=severity, start=0,
                   end=len(ctx.norm.original),
                   message=f"The {what} could not run ({type(exc).__name__}); check this draft by hand.")


def _next_step(severity: str) -> str:
    return "the draft is blocked for review by hand" if severity == "error" else "check this by hand"
