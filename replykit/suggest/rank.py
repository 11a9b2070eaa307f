"""Choosing and rendering the approved replies for a classified post.

Order: replies of the best candidate type first, then of the next types.
Within a type: variants approved for the channel's visibility (a public
channel gets public variants), then PR's `prefer:` data and the pack's order
(`prefer.py`), then those whose variables the caller supplied. Text that is
not approved (a stub, no approval, changed since it was approved) is left out
unless the caller asks for drafts; then it is marked `approved: false`.
A reply without text in the requested language falls back to the
pack's default language and says so (`fallback_from`).
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from ..compose import RenderMemo, render_variant
from ..errors import RenderError
from ..pack.templates import CompiledVariant, TemplatePack
from ..results import Candidate, Suggestion
from ..text.tokens import Token
from ..variables import VariableGuard, guard_for_pack
from ..vocabulary import is_public
from .prefer import Preferences

FALLBACK_PENALTY = 0.8
MISSING_PENALTY = 0.9


def _visible(cv: CompiledVariant, channel: str | None) -> float:
    """1.0 fits the channel, 0.6 usable (channel unknown), 0 not approved for it."""
    reply = cv.reply
    if channel is None:
        return 1.0 if reply.visibility in ("public", "any") else 0.6
    if reply.channels is not None and channel not in reply.channels:
        return 0.0
    if reply.visibility == "any":
        return 1.0
    return 1.0 if (reply.visibility == "public") == is_public(channel) else 0.0


Choice = tuple[CompiledVariant, "str | None", float]  # a variant, the language it stands in for, its channel fit


def reply_choices(pack: TemplatePack, lang: str, channel: str | None, inquiry_type: str,
                  include_drafts: bool = False) -> tuple[Choice, ...]:
    """The variants that may answer a type in a language and channel, in the pack's order: the same
    for every post, so a kit keeps them."""
    out: list[Choice] = []
    for reply in pack.replies.values():
        if reply.inquiry_type != inquiry_type:
            continue
        cv = pack.variants.get((reply.id, lang))
        fallback = None
        if cv is None and lang not in reply.not_needed:
            cv = pack.variants.get((reply.id, pack.meta.default_lang))
            fallback = lang
        if cv is None or not (include_drafts or cv.approved):
            continue
        fit = _visible(cv, channel)
        if fit == 0.0:
            continue
        out.append((cv, fallback, fit))
    return tuple(out)


def rank(pack: TemplatePack, lang: str, channel: str | None, candidates: list[Candidate], top: int,
         variables: Mapping[str, object] | None, prefs: Preferences | None = None, post: str = "",
         include_drafts: bool = False, prior: Mapping[str, float] | None = None,
         guard: VariableGuard | None = None, tokens: list[Token] | None = None,
         choices: Callable[[str], Sequence[Choice]] | None = None) -> tuple[list[Suggestion], list[str]]:
    """`prior`: template id -> a small score shift from the team's pick rates (feedback/prior.py);
    it orders replies within a type and never moves a type. `guard`: the pack's variable guard,
    when the caller keeps one (built per call otherwise); `tokens`: tokenize(post, lang), when known;
    `choices`: reply_choices for a type, when the caller keeps them."""
    choose = choices or (lambda itype: reply_choices(pack, lang, channel, itype, include_drafts))
    guard = guard or guard_for_pack(pack)
    memo = RenderMemo()  # each caller value checked, each block rendered once per call
    prefs = prefs or Preferences(pack, lang)
    preference = prefs.scores(post, tokens) if post else {}
    notices: list[str] = []
    out: list[Suggestion] = []
    for cand in candidates:
        if len(out) >= top:
            break
        options: list[tuple[float, CompiledVariant, str | None]] = []
        for cv, fallback, fit in choose(cand.type):
            score = cand.score * fit * (FALLBACK_PENALTY if fallback else 1.0)
            if prior:
                score = max(0.0, score + prior.get(cv.template_id, 0.0))
            options.append((score, cv, fallback))
        options.sort(key=lambda o: (-o[0], *prefs.key(o[1].reply.id, preference)))
        for score, cv, fallback in options:
            if len(out) >= top:
                break
            try:
                rendered = render_variant(pack, cv, variables, guard=guard, memo=memo)
            except RenderError as exc:
                notices.append(str(exc))
                continue
            if rendered.missing:
                score *= MISSING_PENALTY ** len(rendered.missing)
            if fallback:
                notices.append(f"{cv.reply.id}: no {fallback} text in the pack; showing {cv.lang}")
            out.append(Suggestion(template_id=cv.template_id, inquiry_type=cv.reply.inquiry_type,
                                  score=round(score, 4), text=rendered.text, missing_variables=rendered.missing,
                                  visibility=cv.reply.visibility, lang=cv.lang, fallback_from=fallback,
                                  approved=cv.approved))
    return out, notices
