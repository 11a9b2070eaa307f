"""Derive the short compound parts the speller accepts from the Hunspell dictionaries (a maintenance tool).

    python scripts/derive_compound_parts.py [DICTIONARY_DIR] > replykit/check/detectors/compound_parts.json

Danish, Norwegian and Dutch write compounds as one word, and the dictionaries list only some of
them ("skjermtid" is missing, "arbeidstid" is there). The speller accepts a word made of two known
words of four letters or more; a shorter part ("tid", "is", "dag") would let many typos through as
compounds, so only the short words the dictionary itself uses as compound parts again and again, on both
sides, are allowed: a word of three letters that begins at least MIN_USES listed words and ends as many
(the rest of each a listed word of four letters or more, perhaps with a linking s or e), two-letter
words at MIN_USES_TWO; both grow with the square root of the dictionary's size over 100,000 words (a
larger dictionary lists more compounds of every part). A word ending ("-ent", "-ist") ends many words
but begins none, a prefix ("be-", "ver-") the other way round; an ending the affix file adds is never a
part. The output is data, read by check/detectors/spelling.py; rerun this when the dictionaries change.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# The speller's own dictionaries, compounding languages and linking letters: the parts are derived as it reads them.
from replykit.check.detectors.spelling import COMPOUNDING, DICTIONARIES, LINKS, dictionary_dir

MIN_USES = 30
MIN_USES_TWO = 100


def _stems(path: Path) -> set[str]:
    out = set()
    with path.open(encoding="utf-8", errors="replace") as lines:
        next(lines)  # the entry count
        for line in lines:
            word = line.split("/")[0].strip().replace("ĳ", "ij")  # Dutch: the ligature as the two letters people type
            if word.isalpha() and word.islower():
                out.add(word)
    return out


def _suffixes(path: Path) -> set[str]:
    """What the affix file's SFX rules add to a word (its inflection and derivation endings)."""
    out = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "SFX" and not fields[2].isdigit():
            added = fields[3].split("/")[0]
            if added != "0":
                out.add(added)
    return out


def derive(folder: Path) -> dict[str, list[str]]:
    out = {}
    for lang in sorted(COMPOUNDING):
        names = DICTIONARIES[lang]
        words = set().union(*(_stems(folder / f"{n}.dic") for n in names))
        endings = set().union(*(_suffixes(folder / f"{n}.aff") for n in names))
        heads: Counter[str] = Counter()
        tails: Counter[str] = Counter()
        for word in words:
            for size in (2, 3):
                head, rest = word[:size], word[size:]
                if len(rest) >= 4 and head in words and rest in words:
                    heads[head] += 1
                front, tail = word[:-size], word[-size:]
                if len(front) >= 4 and tail in words and \
                        any(front.endswith(k) and front[:len(front) - len(k)] in words for k in LINKS):
                    tails[tail] += 1
        scale = (len(words) / 100_000) ** 0.5
        out[lang] = sorted(p for p in heads if p not in endings
                           and min(heads[p], tails[p]) >= (MIN_USES if len(p) == 3 else MIN_USES_TWO) * scale)
    return out


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else dictionary_dir()
    if folder is None:
        sys.exit("no dictionary folder: pip install 'replykit[spelling]' or name one")
    json.dump(derive(Path(folder)), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
