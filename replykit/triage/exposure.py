"""Does a customer's own post show their personal data on a public wall?

The answer comes from replykit's personal-data rules and detector (phones and e-mails by
phonenumbers, national IDs validated by python-stdnum, street addresses), run over the post
as check runs them over a draft: the same rules, so a number `check` would block in a reply is
the number a team lead is told to hide in a post. Which rules count is the pack's choice
(`triage.personal_data_rules`, shell patterns of rule ids).
"""
from __future__ import annotations

from fnmatch import fnmatchcase

from ..check.context import CheckContext
from ..check.engine import run_rules
from ..check.ruleset import RuleSet
from ..text.normalize import normalize
from ..vocabulary import is_public

_CATEGORY = frozenset({"forbidden.personal_data"})


def exposed_kinds(rules: RuleSet, text: str, lang: str, channel: str, customer_name: str | None,
                  patterns: list[str]) -> list[str]:
    """Rule ids of the personal data the post shows; empty on a private channel (nothing is exposed)."""
    if not is_public(channel):
        return []
    ctx = CheckContext(normalize(text), lang, channel, customer_name=customer_name)
    findings = run_rules(rules, ctx, merge=True, categories=_CATEGORY)
    return sorted({f.rule_id for f in findings if any(fnmatchcase(f.rule_id, p) for p in patterns)})
