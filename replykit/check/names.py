"""A person's name as the rules read it: whom a reply greets and who signs it.

Helpdesks pass what the channel shows: a social handle, a placeholder for an unknown name, or a
business page's name. Only the words that name a person count; the rest is as if no name was given.
"""
from __future__ import annotations

import re

# "@frede_cph", "kirill_404", "tvnørd99": a user name, not a name people are greeted by.
_HANDLE = re.compile(r"^@|_|\d")
# A whole value in brackets, or only punctuation: what helpdesks put where they have no name.
_PLACEHOLDER_NAME = re.compile(r"\s*(?:[(\[{<].*[)\]}>]|[\W_]*)\s*", re.DOTALL)
# A name in guillemets or low-high quotes is an organisation's: "Кофейня «Цех №5»", "Газета «Сельская
# новь»", "Bageriet „Solsikken“". Plain and curly double quotes are left alone: they also set off a
# nickname ('Jan "Jannie" de Vries').
_QUOTED = re.compile(r"«[^»]*»|„[^“”]*[“”]")
# Where a value with an organisation in it splits into parts: "Ольга Ершова (пекарня «Тёплый хлеб»)",
# "Вадим Окунев, магазины «Рыболов»", "Серф-школа «Волна» (Антон Широков)".
_PARTS = re.compile(r"[,;()\[\]/]")


def person_name(value: str | None) -> str | None:
    """The words of `value` that name a person, or None when none do: handles, placeholders and
    organisations (a name in guillemets or low-high quotes, with the part of the value it stands in) are
    left out."""
    if value is None:
        return None
    value = str(value)
    if _QUOTED.search(value):
        # The parts beside an organisation's name that have a capitalised word: a person ("отдел кадров",
        # the HR department, names no one).
        value = " ".join(part for part in _PARTS.split(value)
                         if not _QUOTED.search(part) and any(w[:1].isupper() for w in part.split()))
    words = [w for w in value.split() if not _HANDLE.search(w)]
    value = " ".join(words)
    if _PLACEHOLDER_NAME.fullmatch(value):
        return None
    return value or None
