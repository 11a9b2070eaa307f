"""Quality floors: a regression guard, not a target (the README has the figures and how they were made).

* the precision corpus: the bundled clean replies (`templates/<lang>/labelled/*.clean.jsonl`),
  where every finding at warning or error is a false alarm. They are training data for the
  model, so these floors guard against regressions; the fair figure is the blind set's.
* tests/data/blindN/: blind sets by writers who never saw code, rules or data, each scored once after
  the change it followed (the newest: after the last change). Floors sit a little under the measured
  figures. Later rounds chose data, thresholds and the kinds of rule defects to fix on the earlier ones
  (development sets), so those are regression sets now; each entry below says which.
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


# (floors, ceilings) per set, a little under / over the figures of the final code (README, 2026-12-07).
# Data rounds l and m (stop 24: indirect promises, polite disrespect) moved blind5, 6, 7, 9, 10 and 11 by a
# draft or two under their earlier floors (blind1-15 together: forbidden recall 0.931 -> 0.938, clean drafts
# passed 0.954 -> 0.962, other recall 0.901 -> 0.895); those floors follow.
BLIND_SETS = {
    # Floors sit about two points under each set's figure on the code that last moved them. Stop 26's data
    # rounds (q, r posts, s) raised the model's thresholds on near-the-line replies: five floors came down
    # (blind5 and blind18 forbidden recall, blind6 other recall, blind13 top-1, blind15 blocked); round t
    # (public orders and internal matters) took blind18's forbidden recall to 0.896 (blind1-20: 0.933 -> 0.936).
    # blind29: writers who saw no code, rules or data; scored once on the final judgement code of stop 29
    # (0ae3f5c, after the bill-outcome promise rule), the fair set: top-1 0.920, top-3 0.996, forbidden recall
    # 0.938, blocked 0.917, other recall 0.891, clean drafts passed 0.963, false alarms 1.0 % / 0.17 % at error:
    # every target met, the first fresh set to do so.
    "blind29": ({"type_top1": 0.89, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.91,
                 "other_recall": 0.86, "clean_pass": 0.93, "blocked_verdict": 0.89},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind28: writers who saw no code, rules or data; scored once on stop 29's judgement code after the fixes
    # blind27 showed (34138eb): top-1 0.920, top-3 0.989, forbidden recall 0.917, blocked 0.917, other recall
    # 0.922, clean drafts passed 0.950, false alarms 1.2 % / 0.17 % at error. It missed one target (top-3, by one
    # post). A development set since (the bill-outcome promise rule): forbidden recall 0.927, blocked 0.938.
    "blind28": ({"type_top1": 0.89, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.89,
                 "other_recall": 0.89, "clean_pass": 0.92, "blocked_verdict": 0.89},
                {"false_alarms": 0.03, "false_alarms_error": 0.006}),
    # blind27: writers who saw no code, rules or data; scored once on stop 29's judgement code before its fixes
    # (6338b3f, after data round z and the speller's short compound parts): top-1 0.962, top-3 0.992, forbidden
    # recall 0.938, blocked 0.938, other recall 0.828, clean drafts passed 0.950, false alarms 1.0 % / 0.34 % at
    # error. It missed one target (other recall: show respect 6/12). A development set since (a card named by its
    # last digits, an internal system as where the agent looked, a visit fixed by day and time, capitals quoted
    # as a button shows them): forbidden recall 0.990, blocked 0.990, clean drafts passed 0.963.
    "blind27": ({"type_top1": 0.93, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.96,
                 "other_recall": 0.8, "clean_pass": 0.93, "blocked_verdict": 0.96},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind26: writers who saw no code, rules or data; scored once on the final judgement code of stop 28
    # (938b7eb, after the fixes blind25 showed), the fair set: top-1 0.913, top-3 0.981, forbidden recall 0.875,
    # blocked 0.854, other recall 0.922, clean drafts passed 0.888, false alarms 1.8 % / 0.5 % at error. It missed
    # five targets (top-1, top-3, forbidden recall, blocked, clean drafts passed). A development set since (an
    # idea passed on is no order in Dutch, a claim mentioned beside "du får eit skriftleg svar" no promise in
    # Norwegian, a radio station no name to greet by): clean drafts passed 0.925.
    "blind26": ({"type_top1": 0.89, "type_top3": 0.96, "lang_detect": 0.97, "forbidden_recall": 0.85,
                 "other_recall": 0.9, "clean_pass": 0.9, "blocked_verdict": 0.83},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind25: writers who saw no code, rules or data; scored once on the final judgement code of stop 28
    # (f2d06c1, after data round y): top-1 0.917, top-3 0.992, forbidden recall 0.844, blocked 0.844, other recall
    # 0.859, clean drafts passed 0.950, false alarms 1.3 % / 1.17 % at error. It missed four targets (top-1 by one
    # post, forbidden recall, blocked, errors on everyday replies).
    # A development set since (938b7eb): forbidden recall 0.938, blocked 0.927, clean drafts passed 0.963, false
    # alarms 0.8 % / 0.5 %.
    "blind25": ({"type_top1": 0.89, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.91,
                 "other_recall": 0.83, "clean_pass": 0.94, "blocked_verdict": 0.9},
                {"false_alarms": 0.025, "false_alarms_error": 0.008}),
    # blind24: writers who saw no code, rules or data; scored once on the final code of stop 27 (016ddac), the
    # fair set: top-1 0.924, top-3 0.989, forbidden recall 0.854, blocked 0.854, other recall 0.875, clean drafts
    # passed 0.900, false alarms 1.2 % / 0.17 % at error. It missed four targets (top-3 by one post, forbidden
    # recall, blocked, clean drafts passed).
    "blind24": ({"type_top1": 0.9, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.83,
                 "other_recall": 0.85, "clean_pass": 0.87, "blocked_verdict": 0.83},
                {"false_alarms": 0.03, "false_alarms_error": 0.006}),
    # blind23: writers who saw no code, rules or data; scored once on 7fc26ea (stop 27, after data rounds u and
    # v and the error budget): top-1 0.920, top-3 0.992, forbidden recall 0.927, blocked 0.927, other recall
    # 0.938, clean drafts passed 0.925, false alarms 2.3 % / 0.67 % at error (two targets missed: clean drafts
    # passed, errors on everyday replies). Its misses led to the "went ahead and ..." order patterns (da, no)
    # and data round x (what an agent did that is no order): forbidden recall 0.948, false alarms 1.5 % / 0.17 %.
    # Data round z (stop 29) raised the show_respect thresholds with its fine replies on the line: other
    # recall 0.91 -> 0.88 as floor (blind1-26: 0.903 -> 0.894, forbidden recall 0.938 -> 0.946).
    "blind23": ({"type_top1": 0.9, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.92,
                 "other_recall": 0.88, "clean_pass": 0.9, "blocked_verdict": 0.92},
                {"false_alarms": 0.03, "false_alarms_error": 0.006}),
    # blind22: writers who saw no code, rules or data; scored once on the final code of stop 26 (5928105), the
    # fair set: top-1 0.947, top-3 0.989, forbidden recall 0.885, blocked 0.885, other recall 0.969, clean drafts
    # passed 0.887, false alarms 1.3 % / 0.17 % at error. It missed four targets (top-3 by one post, forbidden
    # recall, blocked, clean drafts passed).
    # Data round z (stop 29) raised the show_respect thresholds with its fine replies on the line: other
    # recall 0.94 -> 0.92 as floor (blind1-26: 0.903 -> 0.894, forbidden recall 0.938 -> 0.946).
    "blind22": ({"type_top1": 0.92, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.86,
                 "other_recall": 0.92, "clean_pass": 0.86, "blocked_verdict": 0.86},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind21: writers who saw no code, rules or data; scored once on 5e6992f (after the fixes blind20 showed and
    # data round t; the rule split after it changed none of its figures): top-1 0.917, top-3 0.977, forbidden
    # recall 0.875, blocked 0.865, other recall 0.812, clean drafts passed 0.963, false alarms 1.3 % / 0.33 % at
    # error. It missed five targets (top-1, top-3, forbidden recall, blocked, other recall).
    "blind21": ({"type_top1": 0.89, "type_top3": 0.96, "lang_detect": 0.97, "forbidden_recall": 0.85,
                 "other_recall": 0.79, "clean_pass": 0.94, "blocked_verdict": 0.84},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind20: writers who saw no code, rules or data; scored once on f9bbd7b (after the fixes blind19 showed):
    # top-1 0.928, top-3 0.989, forbidden recall 0.885, blocked 0.885, other recall 0.906, clean drafts passed
    # 0.900, false alarms 1.3 % / 0.33 % at error; a development set since.
    "blind20": ({"type_top1": 0.9, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.86,
                 "other_recall": 0.88, "clean_pass": 0.87, "blocked_verdict": 0.86},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind19: writers who saw no code, rules or data; scored once on 10bfd28 (after stop 26's data rounds, before
    # the rule fixes it showed): top-1 0.917, top-3 0.992, forbidden recall 0.917, blocked 0.906, other recall
    # 0.953, clean drafts passed 0.912, false alarms 1.7 % / 0.67 % at error; a development set since (false
    # alarms 1.5 % / 0.33 % after the fixes).
    # Data round z (stop 29) raised the show_respect thresholds with its fine replies on the line: other
    # recall 0.93 -> 0.89 as floor (blind1-26: 0.903 -> 0.894, forbidden recall 0.938 -> 0.946).
    "blind19": ({"type_top1": 0.89, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.89,
                 "other_recall": 0.89, "clean_pass": 0.89, "blocked_verdict": 0.88},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind18: writers who saw no code, rules or data; scored once on the final code of stop 25 (3684e61, after
    # the fixes blind17 showed), the fair set: top-1 0.894, top-3 0.981, forbidden recall 0.938, blocked 0.854,
    # other recall 0.938, clean drafts passed 0.950, false alarms 1.5 % / 0.17 % at error. It missed three
    # targets (top-1, top-3, blocked: eight forbidden drafts found only as warnings).
    "blind18": ({"type_top1": 0.87, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.87,
                 "other_recall": 0.92, "clean_pass": 0.93, "blocked_verdict": 0.84},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind17: writers who saw no code, rules or data; scored once on 8f0b130 (after data rounds n, o and p, before
    # the fixes it showed): top-1 0.890, top-3 0.981, forbidden recall 0.906, blocked 0.896, other recall 0.922,
    # clean drafts passed 0.938, false alarms 1.7 % / 0.34 % at error; a development set since (0.927 forbidden,
    # 0.917 blocked, 0.950 clean drafts passed on the final code).
    "blind17": ({"type_top1": 0.87, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.89,
                 "other_recall": 0.9, "clean_pass": 0.92, "blocked_verdict": 0.88},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind16: writers who saw no code, rules or data; scored once on the final code of stop 24 (e3f4c93, after
    # data rounds l and m), the fair set: top-1 0.890, top-3 0.985, forbidden recall 0.906, blocked 0.885, other
    # recall 0.859, clean drafts passed 0.875, false alarms 1.8 % / 0.34 % at error. It missed four targets
    # (top-1, top-3, blocked, clean drafts passed). Other recall 0.844 -> 0.828 with data round y (stop 28:
    # show respect 9 -> 8 of 12).
    "blind16": ({"type_top1": 0.87, "type_top3": 0.97, "lang_detect": 0.97, "forbidden_recall": 0.89,
                 "other_recall": 0.81, "clean_pass": 0.86, "blocked_verdict": 0.87},
                {"false_alarms": 0.025, "false_alarms_error": 0.006}),
    # blind15: writers who saw no code, rules or data; scored once on the code of stop 24 after the per-piece
    # weighting (fad4f85): top-1 0.917, top-3 0.992, forbidden recall 0.875, blocked 0.885, other recall 0.859,
    # clean drafts passed 0.938, false alarms 2.3 % / 0.5 % at error. It missed four targets (top-1, forbidden,
    # blocked, clean drafts): indirect promises (16 of 24 found) and disrespect (5 of 12) above all, the kinds
    # data rounds l and m were written for: a development set since (0.896 / 0.885 / 0.875 / 0.950 after them).
    "blind15": ({"type_top1": 0.9, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.86,
                 "other_recall": 0.84, "clean_pass": 0.92, "blocked_verdict": 0.84},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind14: writers who saw no code, rules or data; scored once on the final code of stop 23 (the fair set):
    # top-1 0.928, top-3 0.992, forbidden recall 0.917, blocked 0.917, other recall 0.859, clean drafts passed
    # 0.913, false alarms 2.3 % / 0.5 % at error. It missed one target (clean drafts passed).
    "blind14": ({"type_top1": 0.91, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.9,
                 "other_recall": 0.84, "clean_pass": 0.9, "blocked_verdict": 0.89},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind13: writers who saw no code, rules or data; scored once after the inquiry model's Newton-CG fit
    # (stop 23): top-1 0.943, top-3 0.996, forbidden recall 0.906, blocked 0.896, other recall 0.938, clean
    # drafts passed 0.938, false alarms 2.5 % / 0.5 % at error. It missed two targets (blocked, clean drafts).
    # A development set since (blocked 0.906 after the private-channel promise threshold).
    # Data round x (stop 27): everyday replies at error 0.67 % -> 0.83 % here (4 -> 5 of 600), 0.31 % -> 0.29 %
    # over blind1-22.
    "blind13": ({"type_top1": 0.9, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.89,
                 "other_recall": 0.92, "clean_pass": 0.92, "blocked_verdict": 0.88},
                {"false_alarms": 0.03, "false_alarms_error": 0.009}),
    # blind12: writers who saw no code, rules or data; scored once on the final code of stop 22 (the fair set):
    # top-1 0.913, top-3 0.996, forbidden recall 0.958, blocked 0.927, other recall 0.938, clean drafts passed
    # 0.925, false alarms 2.5 % / 0.5 % at error. It missed two targets (top-1, clean drafts passed).
    # Stop 27's data rounds u and v: other recall 0.938 -> 0.906 here (two brand-value findings of 64).
    "blind12": ({"type_top1": 0.9, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.94,
                 "other_recall": 0.89, "clean_pass": 0.91, "blocked_verdict": 0.91},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind11: writers who saw no code, rules or data; scored once after data round k (stop 22): top-1 0.955,
    # top-3 1.000, forbidden recall 0.927, blocked 0.885, other recall 0.906, clean drafts passed 0.950, false
    # alarms 2.2 % / 0.83 % at error. Two kinds of rule defects among its errors were fixed after: a
    # development set since.
    "blind11": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.9,
                 "other_recall": 0.89, "clean_pass": 0.93, "blocked_verdict": 0.87},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind10: writers who saw no code, rules or data; scored once after data round j (stop 22): top-1 0.917,
    # top-3 0.985, forbidden recall 0.917, blocked 0.927, other recall 0.938, clean drafts passed 0.963, false
    # alarms 1.5 % / 0.33 % at error. Data round k (posts whose topic and intent differ) was written from the
    # kinds of its inquiry-type misses: a development set since (top-1 0.943, top-3 0.992 after round k).
    # Data round u (stop 27) lowered the Dutch confidential thresholds: clean drafts passed 0.950 -> 0.925
    # here (two Dutch replies about a storm outage and a speed change read as internal matters), for +0.007
    # forbidden recall and +0.011 blocked verdicts over blind1-22.
    "blind10": ({"type_top1": 0.93, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.9,
                 "other_recall": 0.9, "clean_pass": 0.91, "blocked_verdict": 0.91},
                {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind9: scored once, after the last change of stop 21; a development set since stop 22.
    # It missed two targets (blocked 0.896, errors on clean replies 1.0 %): the floors hold what it showed.
    # Stop 27's error budget (0.2 % -> 0.25 % of the clean corpus a category, blocked 0.926 -> 0.931 over
    # blind1-22): everyday replies at error 1.17 % -> 1.33 % here (7 -> 8 of 600).
    "blind9": ({"type_top1": 0.93, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.91,
                "other_recall": 0.85, "clean_pass": 0.93, "blocked_verdict": 0.88},
               {"false_alarms": 0.03, "false_alarms_error": 0.014}),
    # blind8: scored once after the private-channel promise policy (stop 20); a development set since.
    # Data rounds j and k (stop 22) took it from 0.938 to 0.906 blocked (three drafts); the mean of blind1-8
    # went from 0.922 to 0.924. The per-piece weighting of stop 24 (features.py) lost one personal-data draft
    # here (0.938 -> 0.927), while forbidden recall over blind1-14 stayed 0.9345.
    # Data round z (stop 29) raised the show_respect thresholds with its fine replies on the line: other
    # recall 0.91 -> 0.89 as floor (blind1-26: 0.903 -> 0.894, forbidden recall 0.938 -> 0.946).
    "blind8": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.92,
                "other_recall": 0.89, "clean_pass": 0.93, "blocked_verdict": 0.90},
               {"false_alarms": 0.03, "false_alarms_error": 0.005}),
    # blind7: scored once after the whole-draft model and data round g; a development set since.
    "blind7": ({"type_top1": 0.91, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.92,
                "other_recall": 0.89, "clean_pass": 0.93, "blocked_verdict": 0.91},
               {"false_alarms": 0.03, "false_alarms_error": 0.007}),
    # blind6: scored once before the clean-data round g; a development set since, as blind1-5.
    "blind6": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.94,
                "other_recall": 0.82, "clean_pass": 0.92, "blocked_verdict": 0.94},
               {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind5: scored once, after the whole-draft model; a development set since.
    "blind5": ({"type_top1": 0.92, "type_top3": 0.98, "lang_detect": 0.97, "forbidden_recall": 0.88,
                "other_recall": 0.84, "clean_pass": 0.92, "blocked_verdict": 0.89},
               {"false_alarms": 0.03, "false_alarms_error": 0.008}),
    # blind4..1: earlier blind sets, development sets since (thresholds and rule kinds were chosen on them).
    "blind4": ({"type_top1": 0.92, "type_top3": 0.98, "lang_detect": 0.97, "forbidden_recall": 0.93,
                "other_recall": 0.8, "clean_pass": 0.95, "blocked_verdict": 0.92},
               {"false_alarms": 0.03, "false_alarms_error": 0.005}),
    "blind3": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.97, "forbidden_recall": 0.9,
                "other_recall": 0.86, "clean_pass": 0.9, "blocked_verdict": 0.9},
               {"false_alarms": 0.03, "false_alarms_error": 0.004}),
    # blind2: three of its DM promises only the model reads, a warning in private channels since (check/meaning.py)
    "blind2": ({"type_top1": 0.94, "type_top3": 0.98, "lang_detect": 0.98, "forbidden_recall": 0.91,
                "other_recall": 0.88, "clean_pass": 0.95, "blocked_verdict": 0.86},
               {"false_alarms": 0.025, "false_alarms_error": 0.005}),
    # The private-channel promise threshold (stop 23) made two Dutch DM replies errors here (a free return
    # label, a difference back on the next invoice: 5 of 600 at error) and blocked one more promise.
    "blind1": ({"type_top1": 0.93, "type_top3": 0.97, "lang_detect": 0.98, "forbidden_recall": 0.89,
                "other_recall": 0.89, "clean_pass": 0.92, "blocked_verdict": 0.87},
               {"false_alarms": 0.035, "false_alarms_error": 0.009}),
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
