"""Caller variables are data printed in an approved public reply.

A value a caller passes (`customer_name`, `agent_name`, a link override ...)
usually comes from the customer's own profile, that is from a stranger. It
is rendered into text PR approved, so it must not be able to add a paragraph,
hide or reverse text, or put contact data or a link on a public wall:

* invisible characters are removed (control, format and bidi characters,
  zero-width joiners, variation selectors, Hangul fillers): they show nothing
  a reader could check, and bidi overrides reorder what follows them;
  tabs and runs of spaces become one space;
* a value must be one line (a line break is how "Peter\\n\\nVi giver dig 1000
  kr i kompensation!" becomes a paragraph of its own) and at most
  `MAX_NAME_CHARS` (names) or `MAX_VALUE_CHARS` (other variables) long;
* a value holding a phone number, e-mail address, national ID, IBAN, card
  number (replykit's own personal-data detector) or a link is refused; a link
  variable (`*_url`, `*_site`) may hold a link, but only to a host the pack
  itself uses for its links.

Anything else is an `InputError` naming the variable and the reason (never
the value: it may be personal data): the caller fixes the request, nothing
half-checked is rendered.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

import regex

from .check.context import CheckContext
from .errors import InputError
from .text.normalize import normalize

MAX_NAME_CHARS = 60
MAX_VALUE_CHARS = 300
NAME_VARIABLES = frozenset({"customer_name", "agent_name"})
LINK_SUFFIXES = ("_url", "_site")

_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Marks and fillers outside the C* categories that print nothing on their own.
_INVISIBLE_EXTRA = regex.compile(r"[\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5\u180b-\u180f\ufe00-\ufe0f"
                                 r"\U000e0100-\U000e01ef]")
_SPACES = regex.compile(r"[\s\u00a0]+")
# A top-level domain in lower case: "Dr.Peter" is a name, "peter.dk" a link.
_LINK = regex.compile(r"(?i:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,}|xn--[a-z0-9-]+)\b(?:/\S*)?")
_PERSONAL = ["phone", "email", "national_id", "iban", "card"]


def _visible(text: str) -> str:
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn"))
    return _INVISIBLE_EXTRA.sub("", kept)


def host_of(link: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", link.strip().lower()).split("/")[0].split("?")[0]
    return host.rsplit("@", 1)[-1].split(":")[0].removeprefix("www.")


def guard_for_pack(pack) -> "VariableGuard":  # noqa: ANN001 - TemplatePack (imported by it)
    """The guard of a pack: link variables may point to the hosts of the pack's own links."""
    links = [spec.default for name, spec in pack.meta.variables.items() if is_link_variable(name) and spec.default]
    links += [value for data in pack.langs.values() for name, value in data.spec.variables.items()
              if is_link_variable(name) and value]
    return VariableGuard(links)


def is_link_variable(name: str) -> bool:
    return name.endswith(LINK_SUFFIXES)


class VariableGuard:
    """Cleans and checks caller values for one pack; built once per pack, shared by its renders."""

    def __init__(self, link_hosts: Iterable[str]):
        self.link_hosts = frozenset(h for h in (host_of(x) for x in link_hosts) if h)
        self._pii = None

    def _detector(self):  # noqa: ANN202 - PersonalDataDetector, imported on first use
        if self._pii is None:
            from .check.detectors.pii import PersonalDataDetector

            self._pii = PersonalDataDetector({})  # no brand domains: every e-mail address counts
        return self._pii

    def clean(self, name: str, value: object, lang: str) -> str | None:
        """The value as it may be printed, None for no value; InputError when it may not be printed."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InputError(f"variable {name}: must be text, not {type(value).__name__}")
        text = str(value)
        if _LINE_BREAK.search(text.strip()):
            raise InputError(f"variable {name}: must be a single line (a line break would add text of its own "
                             "to an approved reply)")
        text = _SPACES.sub(" ", _visible(text)).strip()
        if not text:
            return None
        limit = MAX_NAME_CHARS if name in NAME_VARIABLES else MAX_VALUE_CHARS
        if len(text) > limit:
            raise InputError(f"variable {name}: {len(text)} characters; the limit is {limit}")
        self._no_contact_data(name, text, lang)
        return text

    def _no_contact_data(self, name: str, text: str, lang: str) -> None:
        links = [m.group() for m in _LINK.finditer(text)]
        if is_link_variable(name):
            if not links or len(links) > 1 or links[0] != text:
                raise InputError(f"variable {name}: must be one link")
            host = host_of(text)
            if not any(host == h or host.endswith("." + h) for h in self.link_hosts):
                raise InputError(f"variable {name}: links may only point to the pack's own sites "
                                 f"({', '.join(sorted(self.link_hosts)) or 'none configured'})")
            return
        ctx = CheckContext(normalize(text), lang, "facebook")
        hits = self._detector().findings(ctx, {"kinds": _PERSONAL})
        if hits:
            raise InputError(f"variable {name}: holds contact or personal data (a phone number, e-mail address, "
                             "ID or account number), which must not be printed in a public reply")
        if links:
            raise InputError(f"variable {name}: holds a link, which must not be printed in a public reply")
