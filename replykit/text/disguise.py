"""Undoing the disguises agents use to slip forbidden content past the checker.

Each fold works on parallel lists: `chars` (the text being built) and
`source` (for every character, the index in the original text it came from),
so whatever is dropped or replaced, findings still point at what the agent
typed. `normalize()` (normalize.py) runs them in this order:

1. HTML entities decoded (`&#48;` `&#x30;` `&amp;`): an entity is decoded to
   what a browser would show, mapped to the entity's first character.
2. Per grapheme: invisible and format characters dropped (bidi isolates and
   overrides, zero-width characters, soft hyphen, combining grapheme joiner,
   variation selectors, tag characters, Hangul fillers), NFKC composition of a
   letter with its combining marks, then any mark left over dropped (it was
   decoration: a combining underline does not make another letter); every
   Unicode space to " ", line and paragraph separators to "\\n", every Unicode
   decimal digit (Arabic-Indic, Devanagari, fullwidth ...) to ASCII.
3. Markdown emphasis removed at word edges (`**gratis**`, `__`, `~~`, `` ` ``);
   `*` inside a word stays ("f**k" is the profanity rules' business).
4. Letter-spaced words joined: "g r a t i s", "g.r.a.t.i.s", "g-r-a-t-i-s".
"""
from __future__ import annotations

import html
import re
import unicodedata

import regex

# Format characters (category Cf: bidi marks, isolates and overrides, zero-width characters, soft hyphen,
# word joiner, tag characters U+E0000-E007F ...) plus the few invisible ones Unicode files as letters or marks.
_INVISIBLE_EXTRA = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u2800"  # braille blank
    "\u180b\u180c\u180d\u180f"  # Mongolian variation selectors
)
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))

_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Emphasis markers at a word's edge (not between two word characters), and code backticks anywhere.
_EMPHASIS = regex.compile(r"`+|~~+|(?<![\p{L}\p{N}*_~])[*_~]+(?=[\p{L}\p{N}])"
                          r"|(?<=[\p{L}\p{N}])[*_~]+(?![\p{L}\p{N}*_~])")
# A pair of markers around part of a word ("gr**a**tis", "**N**ordlys"); one run ("f**k") is no emphasis.
_INNER_EMPHASIS = regex.compile(r"(?<![*~])(\*{1,2}|~~)(?![*~])[\p{L}\p{N}]{1,40}(?<![*~])(\1)(?![*~])")
# Single letters joined by one and the same separator: three or more with dots or hyphens
# ("g.r.a.t.i.s", "d.v.s" becomes "dvs", harmless), four or more with spaces, since Russian has
# one-letter words ("я и с ним" must stay as it is).
_SPACED = regex.compile(r"(?<![\p{L}\p{N}.\-])\p{L}([.\-])\p{L}(?![\p{L}\p{N}])(?:\1\p{L}(?![\p{L}\p{N}]))+"
                        r"|(?<![\p{L}\p{N}])\p{L}(?: \p{L}(?![\p{L}\p{N}])){3,}")
_SEPARATORS = regex.compile(r"[ .\-]")

# Cheap questions first (a check normalises every draft): a character that is not ASCII, a letter,
# punctuation or a symbol (marks, format characters, other spaces and digits) or a Hangul filler;
# two single letters between separators, the least letter spacing needs (standard `re` scans faster).
_SUSPICIOUS_CHAR = regex.compile(r"[^\x00-\x7f\p{L}\p{P}\p{S}\p{No}]|[\u115f\u1160\u3164\uffa0\u2800]")
_SPACING_HINT = re.compile(r"[ .\-][^\W\d_][ .\-][^\W\d_](?!\w)")


def needs_folding(text: str) -> bool:
    """Whether any fold of this module could change the text (False for nearly every draft)."""
    if "&" in text and _ENTITY.search(text):
        return True
    if "*" in text or "_" in text or "~" in text or "`" in text:
        return True
    if not text.isascii() and _SUSPICIOUS_CHAR.search(text):
        return True
    return _SPACING_HINT.search(text) is not None and _SPACED.search(text) is not None


def invisible(ch: str) -> bool:
    if ch in _INVISIBLE_EXTRA:
        return True
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return True
    cp = ord(ch)
    return any(cp in r for r in _VARIATION_SELECTORS)


def decode_entities(text: str) -> tuple[list[str], list[int]]:
    """The text with HTML entities decoded, each mapped to its entity's start; twice, for `&amp;#48;`."""
    chars, source = list(text), list(range(len(text)))
    for _ in range(2):
        joined = "".join(chars)
        if "&" not in joined:
            break
        chars, source = _decode_once(joined, source)
    return chars, source


def _decode_once(text: str, source: list[int]) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    out_source: list[int] = []
    last = 0
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded == m.group():
            continue
        chars.extend(text[last:m.start()])
        out_source.extend(source[last:m.start()])
        chars.extend(decoded)
        out_source.extend([source[m.start()]] * len(decoded))
        last = m.end()
    chars.extend(text[last:])
    out_source.extend(source[last:])
    return chars, out_source


def fold_characters(chars: list[str], source: list[int]) -> tuple[list[str], list[int]]:
    """Invisible characters dropped, letters composed with their marks, leftover marks,
    spaces and digits folded (step 2 of the module docstring)."""
    out: list[str] = []
    out_source: list[int] = []
    # Per call: a draft repeats its few non-ASCII characters, so each is classified once (None: a mark).
    folded: dict[str, str | None] = {}
    for ch, src in zip(chars, source, strict=True):
        if ch.isascii():
            out.append(ch)
            out_source.append(src)
            continue
        if ch in folded:
            piece = folded[ch]
        else:
            cat = unicodedata.category(ch)
            piece = folded[ch] = None if cat in ("Mn", "Me") else _fold_char(ch, cat)
        if piece is None:
            # A mark: composed with the letter before it when that makes one letter ("и" + breve = "й"),
            # else decoration (a combining underline or strike-through) and dropped.
            if out and not invisible(ch):
                composed = unicodedata.normalize("NFKC", out[-1] + ch)
                if len(composed) == 1:
                    out[-1] = composed
            continue
        if len(piece) == 1:
            out.append(piece)
            out_source.append(src)
            continue
        for p in piece:
            out.append(p)
            out_source.append(src)
    return out, out_source


def _fold_char(ch: str, cat: str) -> str:
    if invisible(ch):
        return ""
    if cat == "Cs":  # lone surrogate: keep a placeholder
        return "\ufffd"
    if cat == "Zs":
        return " "
    if cat in ("Zl", "Zp"):
        return "\n"
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    # NFKC (fullwidth letters, ligatures); a mark it leaves (a decomposed compatibility form) goes.
    return "".join(c for c in unicodedata.normalize("NFKC", ch) if unicodedata.category(c) not in ("Mn", "Me"))


def drop_spans(chars: list[str], source: list[int], drop: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    if not drop:
        return chars, source
    keep = [True] * len(chars)
    for s, e in drop:
        for i in range(s, e):
            keep[i] = False
    return [c for c, k in zip(chars, keep, strict=True) if k], [s for s, k in zip(source, keep, strict=True) if k]


def strip_emphasis(chars: list[str], source: list[int]) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    if not any(c in text for c in "*_~`"):
        return chars, source
    drop = [m.span() for m in _EMPHASIS.finditer(text)]
    for m in _INNER_EMPHASIS.finditer(text):
        drop += [m.span(1), m.span(2)]
    return drop_spans(chars, source, drop)


def join_spaced_letters(chars: list[str], source: list[int]) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    drop: list[tuple[int, int]] = []
    for m in _SPACED.finditer(text):
        drop.extend((m.start() + k.start(), m.start() + k.end()) for k in _SEPARATORS.finditer(m.group()))
    return drop_spans(chars, source, drop)
