"""Quality floors: a regression guard, not a target (the README has the figures and how they were made).

* the precision corpus: the bundled clean replies (`templates/<lang>/labelled/*.clean.jsonl`),
  where every finding at warning or error is a false alarm. They are training data for the
  model, so these floors guard against regressions; the fair figure is the blind set's.
* tests/data/blind3/: the current blind set, by writers who never saw code, rules or data;
  scored once, after the last change. Floors sit a little under its measured figures.
* tests/data/blind2/: the blind set of the previous round; changes to rules, normalisation and
  detectors came after it was scored (made without reading it), so it is a regression set now.
* tests/data/blind1/: the first blind set; fixes came after it was scored (see the README), so it
  is a regression set now.
* the dev set: earlier sessions wrote rules against it, so a regression check only. It is not in the
  repository (its owners ask that it be used for measuring, not copied into tests): set
  REPLYKIT_EVAL_DEV to its folder (evaluation format) to run test_dev_floors; skipped otherwise.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from replykit.kit import bundled_path
from replykit.learn.evaluate import false_alarms, read_jsonl, score_folder

HERE = Path(__file__).parent
DEV = Path(os.environ.get("REPLYKIT_EVAL_DEV") or HERE / "data" / "eval-dev")
LANGS = ("da", "no", "nl", "ru")

# At most this share of everyday clean replies flagged (warning or error), and at error. The target at
# error is 0.5 %; measured 2026-12-06: da 0.2 %, no 0.8 %, nl 0.9 %, ru 0.2 % (published offers and
# terms read as promises; see the README), so the guard sits at 1 % until those rules are fixed.
PRECISION_FLOORS = {"flagged": 0.03, "error": 0.01}


@pytest.mark.parametrize("lang", LANGS)
def test_precision_corpus(kit, lang):
    records = [r for p in sorted((bundled_path("templates") / lang / "labelled").glob("*.clean.jsonl"))
               for r in read_jsonl(p)]
    assert len(records) >= 600
    got = false_alarms(kit, records, lang)
    assert got["flagged"] <= PRECISION_FLOORS["flagged"] and got["error"] <= PRECISION_FLOORS["error"], \
        f"{lang}: {got['flagged']:.1%} flagged, {got['error']:.1%} at error; rules: {got['rules']}; " \
        f"first: {got['examples'][:5]}"


# (floors, ceilings) per set, a little under / over the figures measured 2026-12-06 (README):
# blind2 (the blind estimate): top-1 0.955, top-3 0.992, language 0.996, forbidden recall 0.84, blocked
#   0.83, other recall 0.89, clean drafts passed 0.86, false alarms 3.5 % (0.5 % at error);
# blind1 (fixes came after its blind scoring): top-1 0.958, top-3 0.985, forbidden recall 0.82,
#   blocked 0.79, other recall 0.92, clean drafts passed 0.86, false alarms 4.0 % (1.3 % at error).
BLIND_SETS = {
    # blind3: writers who saw no code, rules or data; scored once, after the last change (2026-12-06).
    "blind3": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.97, "forbidden_recall": 0.80,
                "other_recall": 0.88, "clean_pass": 0.89, "blocked_verdict": 0.77},
               {"false_alarms": 0.035, "false_alarms_error": 0.008}),
    "blind2": ({"type_top1": 0.93, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.82,
                "other_recall": 0.86, "clean_pass": 0.83, "blocked_verdict": 0.8},
               {"false_alarms": 0.04, "false_alarms_error": 0.008}),
    "blind1": ({"type_top1": 0.93, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.80,
                "other_recall": 0.89, "clean_pass": 0.82, "blocked_verdict": 0.76},
               {"false_alarms": 0.05, "false_alarms_error": 0.016}),
}


@pytest.mark.parametrize("name", sorted(BLIND_SETS))
def test_blind_set_floors(kit, name):
    folder = HERE / "data" / name
    if not folder.is_dir():
        pytest.skip(f"tests/data/{name} is not there")
    floors, ceilings = BLIND_SETS[name]
    got = score_folder(kit, folder)
    low = {k: got[k] for k, v in floors.items() if got[k] < v}
    high = {k: got[k] for k, v in ceilings.items() if got.get(k, 0) > v}
    assert not low and not high, f"{name}: below {low}, above {high} (all: {got})"


DEV_FLOORS = {"type_top1": 0.9, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.95,
              "other_recall": 0.9, "clean_pass": 0.9}


@pytest.mark.skipif(not DEV.is_dir(), reason="no dev set: set REPLYKIT_EVAL_DEV to its folder")
def test_dev_floors(kit):
    got = score_folder(kit, DEV)
    low = {k: got[k] for k, v in DEV_FLOORS.items() if got[k] < v}
    assert not low, f"below the floor on the dev set: {low} (all: {got})"
