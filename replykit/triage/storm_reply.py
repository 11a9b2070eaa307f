"""One approved reply for every member of a storm, in rotating wordings.

The reply is the pack's `<type>/public` (or `<type>/private` on dm and e-mail) in the member's
language, rendered with the team's incident variables (area, eta, incident_id, status_url) and
the member's first name when the author field looks like one. Members take the variant's
approved texts in turn (the body, then each approved wording), in the order they posted, so
neighbouring replies on a wall never read the same.
"""
from __future__ import annotations

from typing import Mapping

import regex

from ..compose import render_variant
from ..pack.templates import CompiledVariant, TemplatePack
from ..vocabulary import is_public
from .results import StormReply

# "Peter", "Anna Kravets", "Jan de Vries": a first name we may greet with. "@peter_h", "xXgamerXx": not.
_PERSON = regex.compile(r"^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s+[\p{L}'\-]+)*$")


def first_name(author: str | None) -> str | None:
    if not author:
        return None
    author = author.strip()
    return regex.split(r"[\s]", author)[0] if _PERSON.match(author) else None


# Danish and Norwegian readers understand each other, and short posts are where language
# identification confuses the two: in a storm, a member whose language was detected (not given)
# as the sibling of the storm's language is answered in the storm's language.
_SIBLINGS = {("da", "no"), ("no", "da")}


def reply_language(member_lang: str, storm_lang: str | None, given: bool) -> str:
    if not given and storm_lang and (member_lang, storm_lang) in _SIBLINGS:
        return storm_lang
    return member_lang


def approved_texts(cv: CompiledVariant) -> list[int]:
    """Wording numbers whose approval covers their exact current text (0 is the body): a wording
    changed since its approval, or never approved, is not sent."""
    return [i for i in range(1 + len(cv.variant.wordings)) if cv.wording_status(i) == "approved"]


def find_variant(pack: TemplatePack, inquiry_type: str, lang: str, channel: str) -> CompiledVariant | None:
    """The approved reply of this type for the channel's visibility in this language
    (`<type>/public` or `<type>/private` first, else another reply of the type that fits)."""
    wanted = "public" if is_public(channel) else "private"
    fitting = [cv for (_, vlang), cv in sorted(pack.variants.items())
               if vlang == lang and cv.reply.inquiry_type == inquiry_type and cv.reply.visibility in (wanted, "any")
               and (cv.reply.channels is None or channel in cv.reply.channels) and approved_texts(cv)]
    preferred = [cv for cv in fitting if cv.reply.id == f"{inquiry_type}/{wanted}"]
    return (preferred or fitting)[0] if fitting else None


def storm_reply(pack: TemplatePack, cv: CompiledVariant, turn: int, author: str | None,
                variables: Mapping[str, object]) -> StormReply:
    """The `turn`-th member's reply (turns count per reply and language, from 0)."""
    texts = approved_texts(cv)
    wording = texts[turn % len(texts)]
    values = dict(variables)
    values["customer_name"] = first_name(author)  # each member's own name, never one for all
    rendered = render_variant(pack, cv, values, wording=wording)
    return StormReply(template_id=cv.template_id, wording=wording, text=rendered.text,
                      missing_variables=rendered.missing)
