"""Quality floors on labelled sets, measured the way ../shared/tools/score_eval.py
measures: a regression guard, not a target. The floors sit a little under the
figures in the README so a real regression fails and noise does not.

* tests/data/holdout/ ... holdout8/: written independently of the pack data
  (their authors never saw the templates or rules). holdout to holdout7 have
  since been used to find weak spots, one after another; holdout8 was written
  last and nobody tuning the pack has read it; see the README.
* ../shared/eval-dev/: the shared dev set (skipped when not beside the project).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HOLDOUT = HERE / "data" / "holdout"
HOLDOUT2 = HERE / "data" / "holdout2"
HOLDOUT3 = HERE / "data" / "holdout3"
DEV = HERE.parent.parent / "shared" / "eval-dev"
PROBLEM = {"warning", "error"}


def _load(folder: Path, kind: str) -> list[dict]:
    out = []
    for path in sorted(folder.glob(f"*.{kind}.jsonl")):
        out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def figures(kit, folder: Path) -> dict[str, float]:
    inquiries, drafts = _load(folder, "inquiries"), _load(folder, "drafts")
    top1 = top3 = lang_ok = 0
    for rec in inquiries:
        given = [c.type for c in kit.suggest(rec["text"], lang=rec["lang"], channel=rec["channel"]).candidates]
        top1 += given[0] == rec["type"]
        top3 += rec["type"] in given[:3]
        lang_ok += kit.suggest(rec["text"], channel=rec["channel"]).lang == rec["lang"]
    caught = expected = forb_caught = forb_expected = clean = clean_ok = 0
    for rec in drafts:
        res = kit.check(rec["draft"], lang=rec["lang"], channel=rec["channel"], inquiry=rec.get("inquiry"),
                        customer_name=rec.get("customer_name"), agent_name=rec.get("agent_name"))
        found = {f.category for f in res.findings if f.severity in PROBLEM}
        for cat in rec["expect"]:
            if cat.startswith("forbidden."):
                forb_expected += 1
                forb_caught += cat in found
            elif cat != "language.grammar":
                expected += 1
                caught += cat in found
        if not rec["expect"]:
            clean += 1
            clean_ok += not found
    n = max(len(inquiries), 1)
    return {"type_top1": top1 / n, "type_top3": top3 / n, "lang_detect": lang_ok / n,
            "forbidden_recall": forb_caught / max(forb_expected, 1), "other_recall": caught / max(expected, 1),
            "clean_pass": clean_ok / max(clean, 1)}


HOLDOUT_FLOORS = {"type_top1": 0.78, "type_top3": 0.93, "lang_detect": 0.97, "forbidden_recall": 0.75,
                  "other_recall": 0.75, "clean_pass": 0.85}
HOLDOUT2_FLOORS = {"type_top1": 0.85, "type_top3": 0.95, "lang_detect": 0.97, "forbidden_recall": 0.93,
                   "other_recall": 0.83, "clean_pass": 0.9}
HOLDOUT3_FLOORS = {"type_top1": 0.78, "type_top3": 0.93, "lang_detect": 0.97, "forbidden_recall": 0.95,
                   "other_recall": 0.85, "clean_pass": 0.93}
DEV_FLOORS = {"type_top1": 0.9, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.95,
              "other_recall": 0.9, "clean_pass": 0.9}


def test_holdout_floors(kit):
    got = figures(kit, HOLDOUT)
    low = {k: round(v, 3) for k, v in got.items() if v < HOLDOUT_FLOORS[k]}
    assert not low, f"below the floor on the independent set: {low} (all: {got})"


def test_holdout2_floors(kit):
    got = figures(kit, HOLDOUT2)
    low = {k: round(v, 3) for k, v in got.items() if v < HOLDOUT2_FLOORS[k]}
    assert not low, f"below the floor on the second independent set: {low} (all: {got})"


def test_holdout3_floors(kit):
    got = figures(kit, HOLDOUT3)
    low = {k: round(v, 3) for k, v in got.items() if v < HOLDOUT3_FLOORS[k]}
    assert not low, f"below the floor on the third independent set: {low} (all: {got})"


# Later sets, each written blind and then used to find weak spots (see the README).
LATER_SETS = {
    "holdout4": {"type_top1": 0.8, "type_top3": 0.93, "lang_detect": 0.97, "forbidden_recall": 0.9,
                 "other_recall": 0.9, "clean_pass": 0.88},
    "holdout5": {"type_top1": 0.8, "type_top3": 0.93, "lang_detect": 0.97, "forbidden_recall": 0.93,
                 "other_recall": 0.85, "clean_pass": 0.9},
    "holdout6": {"type_top1": 0.8, "type_top3": 0.95, "lang_detect": 0.97, "forbidden_recall": 0.93,
                 "other_recall": 0.9, "clean_pass": 0.9},
    "holdout7": {"type_top1": 0.74, "type_top3": 0.92, "lang_detect": 0.97, "forbidden_recall": 0.93,
                 "other_recall": 0.9, "clean_pass": 0.88},
    # holdout8 is still blind: nobody tuning the pack has read it (the fair estimate).
    "holdout8": {"type_top1": 0.78, "type_top3": 0.94, "lang_detect": 0.97, "forbidden_recall": 0.86,
                 "other_recall": 0.76, "clean_pass": 0.88},
}


@pytest.mark.parametrize("name", sorted(LATER_SETS))
def test_later_holdout_floors(kit, name):
    got = figures(kit, HERE / "data" / name)
    low = {k: round(v, 3) for k, v in got.items() if v < LATER_SETS[name][k]}
    assert not low, f"below the floor on {name}: {low} (all: {got})"


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval-dev is not beside the project")
def test_dev_floors(kit):
    got = figures(kit, DEV)
    low = {k: round(v, 3) for k, v in got.items() if v < DEV_FLOORS[k]}
    assert not low, f"below the floor on the dev set: {low} (all: {got})"
