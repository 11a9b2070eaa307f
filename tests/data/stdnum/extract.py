"""Copies python-stdnum's own test numbers (valid and invalid) for the identifiers replykit reads.

    python tests/data/stdnum/extract.py STDNUM_GIT_DIR tests/data/stdnum/numbers.json

STDNUM_GIT_DIR is the repository as `fetch github:arthurdejong/python-stdnum` brings it (a bare
git directory). Run once; numbers.json is the test data, this file says where it came from.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys


def _show(repo: str, path: str) -> str:
    return subprocess.check_output(["git", "-C", repo, "show", f"HEAD:{path}"], text=True)


def _blocks(text: str) -> list[list[str]]:
    """The numbers of each `>>> numbers = '''...'''` block of a doctest file."""
    out = []
    for m in re.finditer(r">>> numbers = '''\n(.*?)\.\.\. '''", text, re.S):
        out.append([line[4:].strip() for line in m.group(1).splitlines()
                    if line.startswith("... ") and line[4:].strip()])
    return out


def main(repo: str, target: str) -> None:
    commit = subprocess.check_output(["git", "-C", repo, "rev-parse", "HEAD"], text=True).strip()
    iban = _blocks(_show(repo, "tests/test_iban.doctest"))
    fnr_text = _show(repo, "tests/test_no_fodselsnummer.doctest")
    fnr_valid = _blocks(fnr_text)[0] + re.findall(r"is_valid\('(\d+)'\)\nTrue", fnr_text)
    fnr_invalid = (re.findall(r"is_valid\('(\d+)'\)\s+# [^\n]*\nFalse", fnr_text)
                   + re.findall(r"validate\('(\d{11})'\)\nTraceback", fnr_text))
    inn = _blocks(_show(repo, "tests/test_ru_inn.doctest"))[0]
    fnr_from = "tests/test_no_fodselsnummer.doctest, stdnum/no/fodselsnummer.py"
    data = {
        "source": f"github.com/arthurdejong/python-stdnum at commit {commit} (LGPL-2.1+; test numbers quoted)",
        "valid": {
            "iban": {"from": "tests/test_iban.doctest", "numbers": iban[0]},
            "no.fodselsnummer": {"from": fnr_from, "numbers": fnr_valid + ["151086 95088"]},
            "ru.inn": {"from": "tests/test_ru_inn.doctest, stdnum/ru/inn.py",
                       "numbers": inn + ["123456789047", "1234567894"]},
            "dk.cpr": {"from": "stdnum/dk/cpr.py (no test file; the module's doctest)",
                       "numbers": ["211062-5629", "2110625629", "2110620629"]},
            "nl.bsn": {"from": "stdnum/nl/bsn.py (no test file; the module's doctest)",
                       "numbers": ["1112.22.333", "111222333"]},
            # Only numbers of a payment card's length (13-19 digits) are card numbers.
            "luhn": {"from": "tests/test_luhn.doctest", "numbers": ["490154203237518"],
                     "left_out": ["49927398716", "1428572", "78949", "3984382462386423786482364872364827347"]},
        },
        "invalid": {
            "iban": {"from": "tests/test_iban.doctest", "numbers": [n for block in iban[1:] for n in block]},
            "no.fodselsnummer": {"from": fnr_from, "numbers": fnr_invalid + ["15108695077"]},
            "ru.inn": {"from": "stdnum/ru/inn.py", "numbers": ["123456789037", "1234567895"]},
            "dk.cpr": {"from": "stdnum/dk/cpr.py", "numbers": ["511062-5629", "2110525629"]},
            "nl.bsn": {"from": "stdnum/nl/bsn.py", "numbers": ["1112.52.333"]},
            "luhn": {"from": "tests/test_luhn.doctest", "numbers": ["4992739871"]},
        },
        "note": "ru.snils: python-stdnum has no SNILS module (stdnum/ru: inn, ogrn); replykit checks it itself.",
    }
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
