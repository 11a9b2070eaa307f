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

# Anything the folds would change; a draft without one of these takes the fast path.
SUSPICIOUS = regex.compile(
    r"[\p{Cf}\p{Mn}\p{Me}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0\u2800\u180b-\u180f]"
    r"|[^\P{Zs} ]|[^\P{Nd}0-9]"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|[*_~`]"
    r"|(?<![\p{L}\p{N}])\p{L}[ .\-]\p{L}[ .\-]\p{L}(?![\p{L}\p{N}])"
)

_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_GRAPHEME = regex.compile(r"\P{M}\p{M}*|\p{M}+", regex.DOTALL)
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
    text = "".join(chars)
    for m in _GRAPHEME.finditer(text):
        pieces = [(ch, source[m.start() + k]) for k, ch in enumerate(m.group()) if not invisible(ch)]
        if not pieces:
            continue
        first = pieces[0][1]
        cluster = "".join(ch for ch, _ in pieces)
        if not cluster.isascii():
            cluster = unicodedata.normalize("NFKC", cluster)
        for ch in cluster:
            if ch.isascii():
                out.append(ch)
                out_source.append(first)
                continue
            cat = unicodedata.category(ch)
            if cat in ("Mn", "Me") or invisible(ch):
                continue  # decoration left after composition (combining underline, enclosing marks)
            if cat == "Cs":  # lone surrogate: keep a placeholder
                ch = "\ufffd"
            elif cat == "Zs":
                ch = " "
            elif cat in ("Zl", "Zp"):
                ch = "\n"
            elif cat == "Nd":
                ch = str(unicodedata.decimal(ch))
            out.append(ch)
            out_source.append(first)
    return out, out_source


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
    drop = []
    for m in _SPACED.finditer(text):
        drop.extend((m.start() + k.start(), m.start() + k.end()) for k in _SEPARATORS.finditer(m.group()))
    return drop_spans(chars, source, drop)
