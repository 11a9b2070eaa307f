"""Figures on labelled sets, measured the way integrations call replykit.

Used by the quality tests and by `make bench`: inquiry type top-1/top-3, recall
per finding category, clean drafts passed, blocked verdicts, and false alarms
on a clean corpus (reply text a good agent may send: every finding at warning
or error there is a false alarm).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable

from ..errors import PackError
from .data import json_lines

PROBLEM = {"warning", "error"}
# Spelling and grammar are judged by Hunspell and LanguageTool, not by the pack: kept apart in the figures.
FORM_CATEGORIES = {"language.spelling", "language.grammar"}


# What each kind of record needs (the rest is optional): kind -> {field: type}
_REQUIRED: dict[str, dict[str, type]] = {"inquiries": {"text": str, "type": str},
                                         "drafts": {"draft": str, "expect": list}, "clean": {"text": str}}


def read_jsonl(path: Path) -> list[dict]:
    return [record for _, record in json_lines(Path(path), "a JSON Lines file")]


def read_records(path: Path, kind: str) -> list[dict]:
    """A set file's records, each checked for the fields its kind needs; a bad line is a PackError naming
    the file and line. `lang` defaults to the file's (da.drafts.jsonl: da)."""
    lang = Path(path).name.split(".")[0]
    out = []
    for number, record in json_lines(Path(path), "a held-out set"):
        for name, kind_type in _REQUIRED[kind].items():
            if not isinstance(record.get(name), kind_type):
                raise PackError(f"a {kind} record needs {name!r} ({kind_type.__name__})", path, number)
        record.setdefault("lang", lang)
        out.append(record)
    return out


Advance = Callable[[], None]


def _nothing() -> None:
    return None


def false_alarms(kit, records: list[dict], lang: str, advance: Advance = _nothing) -> dict:  # noqa: ANN001
    """Share of clean replies flagged at warning or error, and at error, with the rules that did it.
    `advance`: called after each record (a progress bar)."""
    flagged = errors = 0
    rules: Counter[str] = Counter()
    examples = []
    notices: set[str] = set()
    for rec in records:
        result = kit.check(rec["text"], lang=lang, channel=rec.get("channel") or "facebook")
        notices.update(result.notices)
        found = [f for f in result.findings if f.severity in PROBLEM and f.category not in FORM_CATEGORIES]
        if found:
            flagged += 1
            rules.update(f.rule_id for f in found)
            examples.append((rec["id"], [(f.rule_id, rec["text"][f.start:f.end][:50]) for f in found]))
        errors += any(f.severity == "error" for f in found)
        advance()
    n = max(len(records), 1)
    return {"n": len(records), "flagged": round(flagged / n, 4), "error": round(errors / n, 4),
            "rules": dict(rules.most_common()), "examples": examples, "notices": sorted(notices)}


class RememberedKit:
    """A kit whose `check` and `suggest` answers are kept for one run: `evaluate --by-lang` scores each
    record for its set and again for its language, and a kit answers the same call the same way."""

    def __init__(self, kit) -> None:  # noqa: ANN001
        self._kit = kit
        self._answers: dict[tuple, object] = {}

    def check(self, *args: object, **kwargs: object) -> object:
        return self._answer("check", args, kwargs)

    def suggest(self, *args: object, **kwargs: object) -> object:
        return self._answer("suggest", args, kwargs)

    def _answer(self, method: str, args: tuple, kwargs: dict) -> object:
        key = (method, args, tuple(sorted(kwargs.items())))
        if key not in self._answers:
            self._answers[key] = getattr(self._kit, method)(*args, **kwargs)
        return self._answers[key]


def score_posts(kit, records: list[dict], advance: Advance = _nothing) -> dict:  # noqa: ANN001
    top1 = top3 = lang_ok = 0
    for rec in records:
        ranked = [c.type for c in kit.suggest(rec["text"], lang=rec["lang"], channel=rec.get("channel")).candidates]
        top1 += ranked[0] == rec["type"]
        top3 += rec["type"] in ranked[:3]
        lang_ok += kit.suggest(rec["text"], channel=rec.get("channel")).lang == rec["lang"]
        advance()
    n = max(len(records), 1)
    return {"posts": len(records), "type_top1": round(top1 / n, 4), "type_top3": round(top3 / n, 4),
            "lang_detect": round(lang_ok / n, 4)}


def score_drafts(kit, records: list[dict], advance: Advance = _nothing) -> dict:  # noqa: ANN001
    """Recall per category (forbidden and other), clean drafts passed, and blocked verdicts."""
    expected: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    clean = clean_ok = forb = blocked = 0
    notices: set[str] = set()
    for rec in records:
        res = kit.check(rec["draft"], lang=rec["lang"], channel=rec.get("channel"), inquiry=rec.get("inquiry"),
                        customer_name=rec.get("customer_name"), agent_name=rec.get("agent_name"))
        notices.update(res.notices)
        found = {f.category for f in res.findings if f.severity in PROBLEM}
        for cat in rec["expect"]:
            if cat in FORM_CATEGORIES:
                continue
            expected[cat] += 1
            caught[cat] += cat in found
        if any(c.startswith("forbidden.") for c in rec["expect"]):
            forb += 1
            blocked += res.verdict == "blocked"
        if not rec["expect"]:
            clean += 1
            clean_ok += not (found - FORM_CATEGORIES)
        advance()
    f_exp = sum(n for c, n in expected.items() if c.startswith("forbidden."))
    f_got = sum(n for c, n in caught.items() if c.startswith("forbidden."))
    o_exp = sum(n for c, n in expected.items() if not c.startswith("forbidden."))
    o_got = sum(n for c, n in caught.items() if not c.startswith("forbidden."))
    return {"drafts": len(records), "forbidden_recall": round(f_got / max(f_exp, 1), 4),
            "other_recall": round(o_got / max(o_exp, 1), 4), "clean_pass": round(clean_ok / max(clean, 1), 4),
            "blocked_verdict": round(blocked / max(forb, 1), 4),
            "per_category": {c: f"{caught[c]}/{expected[c]}" for c in sorted(expected)}, "notices": sorted(notices)}


def read_set(folder: Path) -> dict[str, list[dict]]:
    """A set folder's records by kind: <lang>.inquiries.jsonl, <lang>.drafts.jsonl, <lang>.clean.jsonl."""
    folder = Path(folder)
    return {kind: [r for p in sorted(folder.glob(f"*.{kind}.jsonl")) for r in read_records(p, kind)]
            for kind in _REQUIRED}


def score_folder(kit, folder: Path, advance: Advance = _nothing) -> dict:  # noqa: ANN001
    """A folder in the evaluation format (read_set); `advance` is called after each record."""
    return score_records(kit, read_set(folder), advance)


def by_lang(records: dict[str, list[dict]]) -> dict[str, dict[str, list[dict]]]:
    """A set's records split by language (read_set's shape per language), languages in sorted order."""
    langs = sorted({r["lang"] for recs in records.values() for r in recs})
    return {lang: {kind: [r for r in recs if r["lang"] == lang] for kind, recs in records.items()} for lang in langs}


def score_records(kit, records: dict[str, list[dict]], advance: Advance = _nothing) -> dict:  # noqa: ANN001
    """The figures of records by kind (read_set's shape)."""
    out = {**score_posts(kit, records["inquiries"], advance), **score_drafts(kit, records["drafts"], advance)}
    clean: dict[str, list[dict]] = {}
    for rec in records["clean"]:
        clean.setdefault(rec["lang"], []).append(rec)
    if clean:
        per_lang = {lang: false_alarms(kit, recs, lang, advance) for lang, recs in clean.items()}
        n = sum(v["n"] for v in per_lang.values())
        out["clean_replies"] = n
        out["false_alarms"] = round(sum(v["flagged"] * v["n"] for v in per_lang.values()) / max(n, 1), 4)
        out["false_alarms_error"] = round(sum(v["error"] * v["n"] for v in per_lang.values()) / max(n, 1), 4)
        out["false_alarms_per_lang"] = {lang: (v["flagged"], v["error"]) for lang, v in per_lang.items()}
        out["notices"] = sorted({*out["notices"], *(n for v in per_lang.values() for n in v["notices"])})
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m replykit.learn.evaluate FOLDER [--templates T] [--rules R] [--no-models]`: the figures of
    one labelled folder as JSON (what the quality tests and the README's tables are made from)."""
    import argparse
    import sys

    from ..errors import ReplyKitError
    from ..kit import ReplyKit

    ap = argparse.ArgumentParser(prog="python -m replykit.learn.evaluate", description=main.__doc__)
    ap.add_argument("folder", type=Path, help="<lang>.inquiries.jsonl, <lang>.drafts.jsonl, <lang>.clean.jsonl")
    ap.add_argument("--templates", type=Path, default=None)
    ap.add_argument("--rules", type=Path, default=None)
    ap.add_argument("--no-models", action="store_true", help="rules alone (the pack's trained models left out)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        sys.stderr.write(f"evaluate: error: {args.folder}: no such folder\n")
        return 2
    try:
        kit = ReplyKit.load(args.templates, args.rules, models=not args.no_models)
        figures = score_folder(kit, args.folder)
    except (ReplyKitError, OSError, ValueError, KeyError) as exc:  # a bad record names itself in one line
        sys.stderr.write(f"evaluate: error: {type(exc).__name__}: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
