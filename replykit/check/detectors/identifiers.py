"""Reading identifiers through the ways they are disguised, for the personal-data detector.

The normaliser (text/normalize.py) has already turned every Unicode digit into
ASCII and dropped invisible characters. What is left is for this module:

* digit groups joined by anything an agent can type between them: spaces (one
  or several), a line break or a blank line, `.`, `-`, `/`, `_`, `,`, `·`,
  en and em dashes; and numbers glued to a word ("cpr0101901234");
* `O`/`o` for 0 and `l`/`I` for 1 inside a run of digits (`digit_view`);
* e-mail addresses written out: "name (at) domain (dot) dk", "[at]",
  "name @ domain . dk", and the words for @ and . in da/no/nl/ru
  ("snabel-a", "punktum", "apenstaartje", "punt", "собака", "точка");
* IBANs in any grouping ("NO 02 1503 7577 003", "ES15-0049-...") that end
  where the next word starts.

Every view keeps the text's length, so offsets found in it are offsets in the
normalised draft. Candidates are only candidates: pii.py validates them
(checksums) before anything is reported.
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

import regex
from stdnum import iban

# What may sit between two digit groups of one number.
_SEP_CHARS = r" \t\r\n.\-/_,·\u2010-\u2015\u2212()"
# A run of digits with separators between them; a number may be glued to a word before or after it.
_DIGIT_RUN = regex.compile(rf"\+?\d(?:[{_SEP_CHARS}]{{0,6}}\d)+")
# A separator that may also end one number and start the next: comma + space, ";", two or more
# spaces, a line break. The run is split there too, so a number joined to its neighbour is still read.
_STRONG_SEP = regex.compile(r",\s+|;|\s{2,}|\n")
_GROUP = regex.compile(r"\d+")

# O/o for 0 and l/I for 1: a token of digits and those letters, not glued to other letters.
_OL_TOKEN = re.compile(r"(?<![^\W\d_])[0-9OoIl]+(?![^\W\d_])")
_OL_NEAR_DIGIT = re.compile(r"[OoIl][^\w]{0,2}\d|\d[^\w]{0,2}[OoIl]|\d[OoIl]|[OoIl]\d")
_OL_TABLE = str.maketrans("OoIl", "0011")
_IBAN_HEAD = regex.compile(r"(?<![\w])[A-Z]{2}([OoIl\d]{2})"
                           r"(?=[ \t._,\-·\u2010-\u2015]{0,6}[A-Za-z0-9]{4})")
# Simple patterns use the standard library's engine: it scans plain text faster.
_PHONE_SEPARATORS = re.compile(r"(?<=\d)(?:[_,·\u2010-\u2015\u2212]|[ \t]*(?:\r?\n[ \t]*)+)(?=\d)")
# Slashes only in four or more groups: "12/05/2026" is a date, "61/33/03/63" a number.
_SLASHED = re.compile(r"(?<![\d/])\d{1,4}(?:/\d{1,4}){3,}(?![\d/])")
_GLUED_WORD = re.compile(r"[^\W\d_](?=\+?\d)")
_IBAN_HINT = re.compile(r"[A-Za-z]{2} ?\d\d")

# The country code, glued to the word before only when written in capitals ("noteretDK98...").
_IBAN_START = re.compile(r"(?:(?<![\w])[A-Za-z]{2}|(?<=[a-zæøåäöüéа-яё])(?-i:[A-Z]{2}))[ ]?\d{2}"
                         r"(?=[ \t\r\n._,/\-·\u2010-\u2015]{0,6}[A-Z0-9])", re.IGNORECASE)
_IBAN_CHUNK = regex.compile(r"[ \t\r\n._,/\-·\u2010-\u2015]{0,6}([A-Z0-9]+)", regex.IGNORECASE)
_IBAN_MAX = 34


class Candidate(NamedTuple):
    start: int
    end: int
    raw: str

    @property
    def digits(self) -> str:
        return "".join(c for c in self.raw if c.isdigit())


def digit_view(text: str) -> str:
    """The text with O/o read as 0 and l/I as 1 where they stand among digits (same length).

    A token of digits and those letters (not glued to other letters) is read as a number when it
    has at least two digits and no more letters than digits ("7I5O"), or when it stands next to
    such a number, one or two separators away ("4l 54 I8 4o", "O8lO5o-9l47"); a lone "I" or "o"
    (words in Danish and Norwegian) never is.
    """
    if not _OL_NEAR_DIGIT.search(text):
        return text
    tokens = [m.span() for m in _OL_TOKEN.finditer(text)]
    number = [_is_number(text[s:e]) for s, e in tokens]
    changed = True
    while changed:  # spread from number to neighbouring token, both ways, until nothing changes
        changed = False
        for i, (s, e) in enumerate(tokens):
            if number[i] or (e - s < 2 and not text[s].isdigit()):
                continue
            near = (i > 0 and number[i - 1] and s - tokens[i - 1][1] <= 2
                    or i + 1 < len(tokens) and number[i + 1] and tokens[i + 1][0] - e <= 2)
            if near:
                number[i] = changed = True
    chars = list(text)
    for (s, e), is_number in zip(tokens, number, strict=True):
        if is_number:
            chars[s:e] = text[s:e].translate(_OL_TABLE)
    for m in _IBAN_HEAD.finditer(text):  # an IBAN's check digits, glued to its country code: "DKI3 O623"
        chars[m.start(1):m.end(1)] = m.group(1).translate(_OL_TABLE)
    return "".join(chars)


def _is_number(token: str) -> bool:
    digits = sum(c.isdigit() for c in token)
    return digits >= 2 and digits >= len(token) - digits


def phone_view(view: str) -> str:
    """The digit view with separators phonenumbers does not know read as spaces (same length)."""
    out = _PHONE_SEPARATORS.sub(lambda m: " " * len(m.group()), view)
    out = _SLASHED.sub(lambda m: m.group().replace("/", " "), out)
    # "tlf22334455": phonenumbers wants a number to stand apart from the word before it.
    return _GLUED_WORD.sub(" ", out)


def number_candidates(view: str) -> Iterator[Candidate]:
    """Every run of digits, and every stretch of it between strong separators."""
    for m in _DIGIT_RUN.finditer(view):
        run, base = m.group(), m.start()
        yield Candidate(base, m.end(), run)
        cuts = [(s.start(), s.end()) for s in _STRONG_SEP.finditer(run)]
        if not cuts:
            continue
        bounds = [0] + [e for _, e in cuts]
        ends = [s for s, _ in cuts] + [len(run)]
        pieces = [(bounds[i], ends[i]) for i in range(len(bounds)) if _GROUP.search(run[bounds[i]:ends[i]])]
        for i in range(len(pieces)):
            for j in range(i, len(pieces)):
                if i == 0 and j == len(pieces) - 1:
                    continue  # the whole run, already given
                s, e = pieces[i][0], pieces[j][1]
                yield Candidate(base + s, base + e, run[s:e])


def ibans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, valid) of everything shaped like an IBAN; the longest valid reading wins."""
    if not _IBAN_HINT.search(text):
        return
    for m in _IBAN_START.finditer(text):
        ends: list[int] = []
        length = 4
        pos = m.end()
        while length < _IBAN_MAX:
            chunk = _IBAN_CHUNK.match(text, pos)
            if chunk is None or not chunk.group(1):
                break
            length += len(chunk.group(1))
            pos = chunk.end()
            if length > _IBAN_MAX:
                break
            if not regex.match(r"[\w]", text[pos:pos + 1]):
                ends.append(pos)
        valid = next((e for e in reversed(ends) if iban.is_valid(_compact(text[m.start():e]))), None)
        if valid is not None:
            yield m.start(), valid, True
            continue
        # Not valid: a mistyped IBAN, if the context says it is an account. Leave out trailing words.
        shaped = [e for e in ends if any(c.isdigit() for c in _last_chunk(text[m.start():e]))]
        if shaped and len(_compact(text[m.start():shaped[-1]])) >= 15:
            yield m.start(), shaped[-1], False


def _compact(s: str) -> str:
    return "".join(c for c in s if c.isalnum())


def _last_chunk(s: str) -> str:
    return regex.split(r"[ \t\r\n._,/\-·\u2010-\u2015]+", s.rstrip())[-1]


# ------------------------------------------------------------------ e-mail written out

_AT_WORDS = r"snabel-?a|krøll-?alfa|alfakrøll|apenstaartje|собака|sobaka"
_DOT_WORDS = r"dot|punktum|punkt|punt|prik|точка|tochka"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT = (rf"(?P<at>\s*{_OPEN}\s*(?:@|at|{_AT_WORDS})\s*{_CLOSE}\s*|\s+(?:{_AT_WORDS})\s+|\s*@\s*"
       rf"|(?P<bare_at>\s+at\s+))")
_DOT = rf"(?:\s*{_OPEN}\s*(?:\.|{_DOT_WORDS})\s*{_CLOSE}\s*|\s+(?:{_DOT_WORDS})\s+|\s*\.\s*)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
_TLD = r"(?:dk|no|nl|ru|com|net|org|se|de|eu|info|io|be|fi|uk|me|biz|co|online|email|mail|su|рф)"
_SPELLED_EMAIL = regex.compile(
    rf"(?<![\w.+-])(?P<local>[a-z0-9][a-z0-9._%+-]{{0,63}}){_AT}(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,3}}?)"
    rf"(?P<dot>{_DOT}){_TLD}(?![\w])", regex.IGNORECASE)
_PLAIN_DOT = regex.compile(r"\.")


# Where a written-out address can be: an @ (spaced or not), a bracketed or spelled word for it,
# or a bare "at" followed by a name and a dot ("bo at gmail.com", "bo at gmail dot com").
_AT_ANCHOR = regex.compile(
    rf"@|{_OPEN}\s*at\s*{_CLOSE}|\b(?:{_AT_WORDS})\b"
    rf"|\bat\s+[a-z0-9-]+\s*(?:{_OPEN}\s*)?(?:\.\s*[a-z]|(?:{_DOT_WORDS})\b)", regex.IGNORECASE)
# Before the anchor pattern, what every anchor contains, asked of the lower-cased text by plain
# substring search (an alternation with IGNORECASE scans slowly, and this runs on every draft).
_ANCHOR_LITERALS = ("@", "at)", "at )", "at]", "at ]", "at}", "at }", "at>", "snabel", "krøll", "alfakrøll",
                    "apenstaartje", "собака", "sobaka")
_BARE_AT = re.compile(rf"at\s+[a-z0-9-]+\s*[(\[{{<]?\s*(?:\.\s*[a-z]|(?:{_DOT_WORDS})\b)")
_WINDOW = 80  # an address's name part is at most 64 characters, its domain a few labels


def spelled_emails(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, address) of e-mail addresses written with words or spaces for @ and the dots.

    The full pattern runs only around an anchor (an @ or a word for it), so a draft full of the
    Danish word "at" costs one scan, not a pattern attempt at every word."""
    low = text.lower()
    if not any(w in low for w in _ANCHOR_LITERALS) and not _BARE_AT.search(low):
        return
    seen: set[int] = set()
    for anchor in _AT_ANCHOR.finditer(text):
        lo, hi = max(0, anchor.start() - _WINDOW), min(len(text), anchor.end() + _WINDOW)
        if _glued_at(text, anchor) and not _DOT_WORDS_RE.search(text, anchor.end(), hi):
            continue  # "bo@gmail.com" with no dot written out after it: the plain e-mail pattern's business
        for m in _SPELLED_EMAIL.finditer(text, lo, hi):
            if m.start() in seen or not (m.start("at") <= anchor.start() < m.end("at") + 1):
                continue
            seen.add(m.start())
            found = _read_spelled(m)
            if found is not None:
                yield found


def _glued_at(text: str, anchor: regex.Match) -> bool:
    """An "@" with no space on either side: read as spelled only if a dot after it is written out."""
    s, e = anchor.start(), anchor.end()
    return anchor.group() == "@" and s > 0 and e < len(text) and not text[s - 1].isspace() \
        and not text[e].isspace()


def _read_spelled(m: regex.Match) -> tuple[int, int, str] | None:
    if m.group("at") == "@" and m.group("dot") == ".":
        return None  # an ordinary address: the plain e-mail pattern's business
    if m.group("bare_at"):
        # "at" is a common Danish and Norwegian word ("husk at gmail.com ..."): taken as @ only
        # when a dot is written out too or the name part looks like a mailbox (bo.hansen, kari85).
        dots_written = _DOT_WORDS_RE.search(m.group("domain") + m.group("dot"))
        if not dots_written and not regex.search(r"[._\d+]", m.group("local")):
            return None
    domain = regex.sub(_DOT, ".", m.group("domain") + m.group("dot"), flags=regex.IGNORECASE)
    tld = m.group()[m.end("dot") - m.start():]
    return m.start(), m.end(), f"{m.group('local')}@{domain}{tld}".lower()


_DOT_WORDS_RE = regex.compile(rf"{_OPEN}|\b(?:{_DOT_WORDS})\b|\s\.|\.\s", regex.IGNORECASE)
