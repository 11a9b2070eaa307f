"""`replykit explain "post"`: why suggest answers a post the way it does.

Shows the inquiry types ranked (with the words that decided), and the
replies of the winning type ranked the way `suggest` ranks them: fit for the
channel, PR's `prefer:` data (the phrases and example posts that matched),
then the pack's order in replies.yaml; texts that are not approved are listed
with their status but are not served. The same ordering decides `lint`'s
takeover warning (`winners`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pydantic import BaseModel

from .pack.templates import CompiledVariant, TemplatePack
from .suggest.prefer import NO_PREFERENCE, Preference, Preferences
from .suggest.rank import _visible
from .text.normalize import normalize


class ReplyRanking(BaseModel):
    id: str
    rank: int
    served: bool
    status: str  # approved | needs_reapproval | unapproved
    visibility: str
    fit: float  # 1 fits the channel, 0.6 usable, 0 not for this channel
    preference: float
    matched: list[str]
    order: int  # position in replies.yaml (base pack first, then the brand's)
    why: str


class TypeRanking(BaseModel):
    type: str
    score: float
    matched: list[str]


class Explanation(BaseModel):
    lang: str
    channel: str | None
    inquiry_type: str | None
    types: list[TypeRanking]
    replies: list[ReplyRanking]
    notices: list[str]


@dataclass(frozen=True)
class _Option:
    cv: CompiledVariant
    fit: float
    pref: Preference
    order: int


def ranked_replies(pack: TemplatePack, prefs: Preferences, lang: str, itype: str, channel: str | None,
                   scores: dict[str, Preference], ids: Iterable[str] | None = None) -> list[_Option]:
    """The replies of one type with text in `lang`, in suggest's order (all statuses)."""
    allowed = set(ids) if ids is not None else None
    options = []
    for order, (rid, reply) in enumerate(pack.replies.items()):
        if reply.inquiry_type != itype or (allowed is not None and rid not in allowed):
            continue
        cv = pack.variants.get((rid, lang))
        if cv is None:
            continue
        options.append(_Option(cv, _visible(cv, channel), scores.get(rid, NO_PREFERENCE), order))
    options.sort(key=lambda o: (-o.fit, -o.pref.score, o.order))
    return options


def winner(options: list[_Option], include_drafts: bool = True) -> str | None:
    for o in options:
        if o.fit > 0 and (include_drafts or o.cv.approved):
            return o.cv.reply.id
    return None


def explain(kit, text: str, lang: str | None = None, channel: str | None = None) -> Explanation:  # noqa: ANN001
    result = kit.suggest(text, lang=lang, channel=channel, top=1)
    loaded = kit._loaded  # noqa: SLF001 - explain inspects what suggest did
    pack = loaded.templates
    types = [TypeRanking(type=c.type, score=c.score, matched=result.matched.get(c.type, []))
             for c in result.candidates]
    replies: list[ReplyRanking] = []
    if result.inquiry_type:
        prefs = loaded.preferences(result.lang)
        scores = prefs.scores(normalize(text).text)
        options = ranked_replies(pack, prefs, result.lang, result.inquiry_type, channel or None, scores)
        served_rank = 0
        for o in options:
            served = o.fit > 0 and o.cv.approved
            served_rank += served
            replies.append(ReplyRanking(
                id=o.cv.reply.id, rank=served_rank if served else 0, served=served, status=o.cv.status,
                visibility=o.cv.reply.visibility, fit=o.fit, preference=o.pref.score, matched=list(o.pref.matched),
                order=o.order + 1, why=_why(o)))
    return Explanation(lang=result.lang, channel=channel, inquiry_type=result.inquiry_type, types=types,
                       replies=replies, notices=result.notices)


def _why(o: _Option) -> str:
    if o.fit == 0:
        return f"not for this channel ({o.cv.reply.visibility})"
    if not o.cv.approved:
        return "not served: " + ("changed since it was approved (needs re-approval)"
                                 if o.cv.status == "needs_reapproval" else "not approved")
    parts = []
    if o.fit < 1:
        parts.append(f"{o.cv.reply.visibility} reply, channel unknown")
    if o.pref.matched:
        parts.append("prefer: " + ", ".join(o.pref.matched))
    parts.append(f"position {o.order + 1} in replies.yaml")
    return "; ".join(parts)


def show_explanation(ex: Explanation) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console(highlight=False, emoji=False)
    con.print(f"[bold]language[/] {ex.lang}   [bold]channel[/] {ex.channel or '-'}   "
              f"[bold]inquiry[/] {ex.inquiry_type or '-'}")
    table = Table("type", "score", "matched", header_style="bold", box=None, title="inquiry types",
                  title_justify="left")
    for t in ex.types:
        table.add_row(t.type, f"{t.score:.2f}", escape(", ".join(t.matched[:6])))
    con.print(table)
    table = Table("rank", "reply", "status", "why", header_style="bold", box=None,
                  title=f"replies of {ex.inquiry_type or '-'}", title_justify="left")
    for r in ex.replies:
        table.add_row(str(r.rank) if r.served else "-", r.id, r.status, escape(r.why))
    con.print(table)
    for note in ex.notices:
        con.print(f"[dim]note: {escape(note)}[/]")
