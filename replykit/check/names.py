"""A person's name as the rules read it: whom a reply greets and who signs it.

Helpdesks pass what the channel shows: a social handle, a placeholder for an unknown name, or a
business page's name. Only the words that name a person count; the rest is as if no name was given.
A reply may greet a person in another form than the channel shows: by the full form of a Russian short
name ("Стас" as "Станислав"), by first name and patronymic for initials ("Д. Ю. Сазонов" as "Дмитрий
Юрьевич"), or in the draft's own script ("Aino" as "Айно"). What is known about names is data
(names.json), not code.
"""
from __future__ import annotations

import json
import re
from importlib import resources

from anyascii import anyascii
from rapidfuzz import fuzz

_DATA = json.loads(resources.files(__package__).joinpath("names.json").read_text(encoding="utf-8"))
_LEGAL_FORMS = frozenset(_DATA["legal_forms"])
_ORGANISATION_ENDINGS = tuple(_DATA["organisation_words"])
_NAME_WORDS = frozenset(_DATA["name_words"])


def _full_forms(short_forms: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """A Russian short name -> the full names it stands for ("слава": Владислав, Вячеслав, Станислав, Ярослав)."""
    full_forms: dict[str, tuple[str, ...]] = {}
    for full, shorts in short_forms.items():
        for short in shorts:
            key = short.lower().replace("ё", "е")
            full_forms[key] = (*full_forms.get(key, ()), full)
    return full_forms


_FULL_FORMS = _full_forms(_DATA["ru_short_forms"])

# "@frede_cph", "kirill_404", "tvnørd99": a user name, not a name people are greeted by.
_HANDLE = re.compile(r"^@|_|\d")
# A whole value in brackets, or only punctuation: what helpdesks put where they have no name.
_PLACEHOLDER_NAME = re.compile(r"\s*(?:[(\[{<].*[)\]}>]|[\W_]*)\s*", re.DOTALL)
# A name in guillemets or low-high quotes is an organisation's: "Кофейня «Цех №5»", "Газета «Сельская
# новь»", "Bageriet „Solsikken“". Plain and curly double quotes are left alone: they also set off a
# nickname ('Jan "Jannie" de Vries').
_QUOTED = re.compile(r"«[^»]*»|„[^“”]*[“”]")
# Where a value with an organisation in it splits into parts: "Ольга Ершова (пекарня «Тёплый хлеб»)",
# "Вадим Окунев, магазины «Рыболов»", "Серф-школа «Волна» (Антон Широков)", "Hagen Regnskap AS / Kari".
_PARTS = re.compile(r"[,;()\[\]/]")
_POSSESSIVE = re.compile(r"\w['’]s$")  # "Marco's Mosselkar": a business named after its owner
_EDGE_PUNCTUATION = " .,:;!?\"'()«»„“”"
# How far into a draft its greeting is looked for (the greeting rule reads its first 60 characters).
_HEAD_CHARS = 80
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_INITIAL = re.compile(r"[^\W\d_]\.")


def person_name(value: str | None) -> str | None:
    """The words of `value` that name a person, or None when none do: handles, placeholders and
    organisations (a name in guillemets or low-high quotes, with a company form such as "AS" or "ООО", or
    with a word for a kind of organisation such as "Fiskeauktion") are left out, with the part of the
    value they stand in; a contact person beside one stays."""
    if value is None:
        return None
    value = str(value)
    if _QUOTED.search(value) or is_organisation(value):
        # The parts beside an organisation's name that have a capitalised word: a person ("отдел кадров",
        # the HR department, names no one).
        value = " ".join(part for part in _PARTS.split(value)
                         if not _QUOTED.search(part) and not is_organisation(part)
                         and any(w[:1].isupper() for w in part.split()))
    words = [w for w in value.split() if not _HANDLE.search(w)]
    value = " ".join(words)
    if _PLACEHOLDER_NAME.fullmatch(value):
        return None
    return value or None


def is_organisation(value: str) -> bool:
    """Whether a name, or a part of one, names an organisation: a company form ("Hagen Regnskap AS"), a
    word for a kind of organisation ("Thyborøn Fiskeauktion", "Пекарня Тёплый Хлеб"), an owner's
    possessive ("Marco's Mosselkar"), or a lower-case word beside capitalised ones that is no part of a
    person's name ("Vang menighet", "Bakeriet i Steinkjer"; "Jan de Vries" and "Kari og Ola" are people).
    A name written all in lower case is a person's who did not bother with capitals."""
    words = [w.strip(_EDGE_PUNCTUATION) for w in value.split()]
    words = [w for w in words if w]
    if any(w in _LEGAL_FORMS or _POSSESSIVE.search(w) or w.lower().endswith(_ORGANISATION_ENDINGS)
           for w in words):
        return True
    lower = [w for w in words if w[:1].islower() and w.lower() not in _NAME_WORDS]
    return bool(lower) and any(w[:1].isupper() for w in words)


def name_parts(name: str | None, draft: str = "") -> tuple[str, ...] | None:
    """The forms in which a reply may name this person (longest first, so an alternation prefers
    "Verhoeven-Blom" to "Verhoeven"): each word of the name, the full forms of a Russian short name and,
    given the draft, the words at its start that write the name in the draft's script or spell out its
    initials."""
    if not name:
        return None
    words = re.split(r"[\s,]+", name.strip())
    parts = {p for p in words if len(p) >= 2 and not p.endswith(".")}
    parts |= {q for p in parts for q in p.split("-") if len(q) >= 2}
    parts |= {full for p in parts for full in _FULL_FORMS.get(p.lower().replace("ё", "е"), ())}
    if draft:
        # Read the draft's start only where it can add a form (a check makes this call for every draft).
        start = draft[:_HEAD_CHARS]
        cyrillic_name = any(_CYRILLIC.search(p) for p in parts)
        other_script = _LATIN.search(start) if cyrillic_name else _CYRILLIC.search(start)
        initials = [w[0].lower() for w in words if _INITIAL.fullmatch(w)]
        if other_script or len(initials) >= 2:
            head = [m.group() for m in _WORD.finditer(start)]
            parts |= _in_other_script(parts, head) | _spelled_out_initials(initials, head)
    return tuple(sorted(parts, key=lambda p: (-len(p), p))) or None


def _in_other_script(parts: set[str], head: list[str]) -> set[str]:
    """The capitalised words of `head` that write a part of the name in the other script ("Айно" for
    "Aino", "Oksana" for "Оксана"), compared in Latin letters."""
    # Each part once: its script and its Latin letters.
    targets = [(bool(_CYRILLIC.search(part)), _latin(part)) for part in parts if len(part) >= 3]
    found = set()
    for word in head:
        if not word[:1].isupper() or len(word) < 3:
            continue
        cyrillic = bool(_CYRILLIC.search(word))
        latin = None
        for part_cyrillic, part_latin in targets:
            if part_cyrillic != cyrillic:
                latin = latin or _latin(word)
                if fuzz.ratio(latin, part_latin) >= 85:
                    found.add(word)
    return found


def _latin(word: str) -> str:
    """A word in plain Latin letters, with the spellings transliterations differ in made alike ("Ayno",
    "Aino"; "Yuliya", "Julia")."""
    s = anyascii(word).lower()
    for a, b in (("kh", "h"), ("ph", "f"), ("y", "i"), ("j", "i"), ("w", "v"), ("c", "k"), ("q", "k")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1", r"\1", re.sub(r"[^a-z]", "", s))


def _spelled_out_initials(initials: list[str], head: list[str]) -> set[str]:
    """For a name with two or more initials (lower-cased letters: "Д. Ю. Сазонов" gives д, ю), the first
    of consecutive capitalised words at the start of the draft that begin with those letters in that order
    ("Дмитрий Юрьевич")."""
    if len(initials) < 2:
        return set()
    n = len(initials)
    for i in range(len(head) - n + 1):
        window = head[i:i + n]
        if all(w[:1].isupper() and len(w) > 1 and w[0].lower() == c for w, c in zip(window, initials, strict=True)):
            return {window[0]}
    return set()
