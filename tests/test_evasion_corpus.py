"""The evasion corpus (tests/data/evasion/corpus.jsonl, built by generate.py beside it): every
disguised forbidden draft must be caught, at most 2 % may slip; and the disguise folds must not
cost precision on the clean labelled corpora (findings compared with main before the folds)."""
from __future__ import annotations

import collections
import importlib.util
import json
from pathlib import Path

import pytest

from replykit import ReplyKit

ROOT = Path(__file__).resolve().parent.parent
EVASION = ROOT / "tests" / "data" / "evasion"
CORPUS = [json.loads(line) for line in (EVASION / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
MAX_MISS_RATE = 0.02


@pytest.fixture(scope="module")
def brand_kit() -> ReplyKit:
    # The bundled rules plus a brand's code-name rule, as a brand pack layers its rules.
    return ReplyKit.load(rules=EVASION / "rules")


def _generator():
    spec = importlib.util.spec_from_file_location("evasion_generate", EVASION / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_corpus_is_what_the_generator_builds_and_covers_every_kind():
    built = _generator().build()
    keys = ("id", "lang", "channel", "draft", "category", "kind", "base", "start", "end", "plain")
    assert [{k: r[k] for k in keys} for r in built] == CORPUS
    assert len(CORPUS) >= 800
    assert {r["lang"] for r in CORPUS} == {"da", "no", "nl", "ru"}
    per_lang_bases = collections.defaultdict(set)
    for r in CORPUS:
        per_lang_bases[r["lang"]].add(r["base"])
    for lang, bases in per_lang_bases.items():
        assert {"card", "phone", "email", "promise", "order", "code_name"} <= bases, lang
    assert len({r["kind"] for r in CORPUS}) >= 40
    for r in CORPUS:
        assert r["draft"] != r["plain"], r["id"]


def test_evasion_corpus_sample(brand_kit):
    """Every tenth draft, in the quick run; the whole corpus is the slow test below."""
    missed = [r["id"] for r in CORPUS[::10] if not _caught(brand_kit, r)]
    assert len(missed) <= MAX_MISS_RATE * len(CORPUS[::10]), missed


def _caught(kit: ReplyKit, rec: dict) -> bool:
    result = kit.check(rec["draft"], lang=rec["lang"], channel=rec["channel"])
    return any(f.category == rec["category"] and f.severity == "error"
               and f.start < rec["end"] and rec["start"] < f.end for f in result.findings)


@pytest.mark.slow
def test_evasion_corpus_miss_rate(brand_kit, capsys):
    missed: list[dict] = []
    per_kind: collections.Counter = collections.Counter()
    totals: collections.Counter = collections.Counter()
    for rec in CORPUS:
        totals[rec["kind"]] += 1
        if not _caught(brand_kit, rec):
            missed.append(rec)
            per_kind[rec["kind"]] += 1
    rate = len(missed) / len(CORPUS)
    report = [f"evasion corpus: {len(missed)} of {len(CORPUS)} missed ({rate:.1%})"]
    report += [f"  {kind}: {n} of {totals[kind]} missed" for kind, n in per_kind.most_common()]
    report += [f"  e.g. {r['id']}: {r['draft']!r}" for r in missed[:10]]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert rate <= MAX_MISS_RATE, "\n".join(report)


@pytest.mark.slow
def test_clean_corpora_get_no_new_findings(kit):
    """Rule findings on every clean labelled reply, compared with those main gave before the
    disguise folds (clean_baseline.json): the folds may remove findings, never add one. The files
    the baseline was taken on (later clean files are held by the false-alarm budget of test_quality)."""
    baseline = json.loads((EVASION / "clean_baseline.json").read_text(encoding="utf-8"))["findings"]
    new = []
    for path in sorted((ROOT / "templates").glob("*/labelled/written-[bd].clean.jsonl")):
        lang = path.parent.parent.name
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rec = json.loads(line)
            result = kit.check(rec["text"], lang=lang, channel=rec.get("channel") or "facebook",
                               merge=False, models=False)
            key = f"{lang}/labelled/{path.name}:{i}"
            before = {tuple(f) for f in baseline.get(key, [])}
            for f in result.findings:
                if (f.rule_id, f.start, f.end) not in before:
                    new.append((key, f.rule_id, rec["text"][f.start:f.end]))
    assert not new, new
