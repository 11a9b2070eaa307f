"""`replykit evaluate`: figures on a held-out set, compared with a baseline, as a gate for a pack's CI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replykit.learn.held_out import changes, summary_line, worse

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]

SET = {
    "da.inquiries.jsonl": [
        {"id": "p1", "channel": "facebook", "type": "outage", "text": "Internettet er nede i hele Odense igen"},
        {"id": "p2", "channel": "twitter", "type": "praise", "text": "Tak for den hurtige hjælp i går, I er seje"},
    ],
    "da.drafts.jsonl": [
        {"id": "d1", "channel": "facebook", "expect": ["forbidden.personal_data"],
         "draft": "Hej Bo, jeg kan se at dit nummer er 22 33 44 55. Hilsen Line"},
        {"id": "d2", "channel": "facebook", "expect": [], "customer_name": "Bo", "agent_name": "Line",
         "inquiry": "Mit net er nede", "draft": "Hej Bo. Der er en fejl i dit område, som vi arbejder på. Du kan "
         "følge status på fibra.dk/drift. Skriv igen, hvis det ikke virker i aften. Hilsen Line"},
    ],
    "da.clean.jsonl": [
        {"id": "c1", "channel": "facebook", "text": "Tak fordi du skriver til os."},
        {"id": "c2", "channel": "dm", "text": "Jeg har sendt dig en vejledning på mail."},
        {"id": "c3", "channel": "facebook", "text": "Hahaha vildt nok!!! 😂😂😂 det fikser vi sgu lige"},
    ],
}


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(CLI + list(args), capture_output=True, cwd=ROOT, env={**os.environ}, timeout=180)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


@pytest.fixture()
def held_out(tmp_path: Path) -> Path:
    folder = tmp_path / "held-out"
    folder.mkdir()
    for name, records in SET.items():
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return folder


# ------------------------------------------------------------------ comparing figures

def test_changes_read_each_figure_in_its_own_direction():
    before = {"s": {"blocked_verdict": 0.90, "false_alarms": 0.020, "type_top1": 0.95,
                    "per_category": {"forbidden.confidential": "20/24", "tone.too_casual": "12/12"}}}
    after = {"s": {"blocked_verdict": 0.92, "false_alarms": 0.025, "type_top1": 0.95,
                   "per_category": {"forbidden.confidential": "18/24", "tone.too_casual": "12/12"}},
             "new": {"blocked_verdict": 0.5}}
    moved = {c.figure: c for c in changes(before, after)}
    assert set(moved) == {"blocked_verdict", "false_alarms", "category forbidden.confidential"}  # a new set: skipped
    assert moved["blocked_verdict"].worse_by < 0  # higher is better: up is better
    assert moved["false_alarms"].worse_by == pytest.approx(0.005)  # lower is better: up is worse
    assert moved["category forbidden.confidential"].before == pytest.approx(20 / 24)
    assert [c.figure for c in worse(list(moved.values()))] == ["false_alarms", "category forbidden.confidential"]
    assert [c.figure for c in worse(list(moved.values()), tolerance=0.01)] == ["category forbidden.confidential"]


def test_summary_line_gives_the_readme_figures():
    line = summary_line("blind9", {"posts": 264, "type_top1": 0.955, "type_top3": 0.992, "drafts": 0,
                                   "clean_replies": 600, "false_alarms": 0.0216, "false_alarms_error": 0.0017})
    assert line == "blind9: 264 posts: top-1 0.955, top-3 0.992; 600 clean replies: false alarms 2.2% (error 0.2%)"


# ------------------------------------------------------------------ the command

def test_evaluate_prints_figures_and_json(held_out):
    code, out, err = run("evaluate", str(held_out), "--json")
    assert code == 0, err
    got = json.loads(out)
    figures = got["sets"]["held-out"]
    assert got["models"] is True
    assert figures["posts"] == 2 and figures["drafts"] == 2 and figures["clean_replies"] == 3
    assert figures["forbidden_recall"] == 1.0 and figures["blocked_verdict"] == 1.0
    assert figures["per_category"] == {"forbidden.personal_data": "1/1"}
    code, out, err = run("evaluate", str(held_out))
    assert code == 0, err
    assert out.startswith("held-out: 2 posts: top-1 ") and "2 drafts: forbidden recall 1.000, blocked 1.000" in out


def test_a_worse_figure_than_the_baseline_is_named_and_can_fail_the_run(held_out, tmp_path):
    code, out, err = run("evaluate", str(held_out), "--json")
    assert code == 0, err
    baseline = json.loads(out)
    figures = baseline["sets"]["held-out"]
    assert figures["false_alarms"] == pytest.approx(1 / 3, abs=1e-3)  # c3 is flagged (too casual)
    figures["false_alarms"] = 0.0  # as if the last model had let it through
    path = tmp_path / "before.json"
    path.write_text(json.dumps(baseline), encoding="utf-8")

    code, out, err = run("evaluate", str(held_out), "--baseline", str(path))
    assert code == 0, err  # reported, not a failure, unless asked
    assert "1 figure(s) moved, 1 worse" in out
    assert "held-out: false alarms (warning or error) 0.000 -> 0.333 (worse)" in out

    code, out, err = run("evaluate", str(held_out), "--baseline", str(path), "--fail-on-drop")
    assert code == 1, (out, err)
    code, out, err = run("evaluate", str(held_out), "--baseline", str(path), "--fail-on-drop", "--tolerance", "2")
    assert code == 0 and "within tolerance" in out, (out, err)


def test_bad_input_is_one_line_naming_file_and_line(held_out, tmp_path):
    bad = held_out / "da.drafts.jsonl"
    bad.write_text(bad.read_text(encoding="utf-8") + '{"id": "d3", "draft": "Hej"}\n', encoding="utf-8")
    code, out, err = run("evaluate", str(held_out))
    assert code == 2 and err.count("\n") == 1, err
    assert f"{bad}:3: a drafts record needs 'expect' (list)" in err
    bad.write_text("{not json\n", encoding="utf-8")
    code, _, err = run("evaluate", str(held_out))
    assert code == 2 and f"{bad}:1: not a JSON object" in err
    code, _, err = run("evaluate", str(held_out), "--fail-on-drop")
    assert code == 2 and "--fail-on-drop needs --baseline" in err
    code, _, err = run("evaluate", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err
    (tmp_path / "before.json").write_text("[]", encoding="utf-8")
    code, _, err = run("evaluate", str(tmp_path / "nowhere"), "--baseline", str(tmp_path / "before.json"))
    assert code == 2 and "no such folder" in err


def test_a_stale_model_is_said_once_so_rules_figures_are_not_taken_for_the_model(tmp_path):
    """After new labelled data and before `replykit train`, the pack judges by rules alone: the figures
    are the rules', and evaluate says so on stderr."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "templates", pack / "templates")
    with (pack / "templates" / "da" / "labelled" / "written-b.clean.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "da-new-c-1", "channel": "facebook", "text": "Tak for din besked."}) + "\n")
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "da.clean.jsonl").write_text(json.dumps({"id": "c1", "text": "Tak fordi du skriver."}) + "\n",
                                           encoding="utf-8")
    code, out, err = run("evaluate", str(folder), "--pack", str(pack))
    assert code == 0, err
    assert err.count("the da model is stale") == 1 and "replykit train" in err
    assert out == "set: 1 clean replies: false alarms 0.0% (error 0.0%)\n"


def test_by_lang_adds_each_language_of_a_set(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    posts = {"da": ("Internettet er nede i hele Odense igen", "outage"),
             "no": ("Takk for rask hjelp i går, dere er gull!", "praise")}
    for lang, (text, kind) in posts.items():
        (folder / f"{lang}.inquiries.jsonl").write_text(json.dumps({"text": text, "type": kind}) + "\n",
                                                       encoding="utf-8")
    code, out, err = run("evaluate", str(folder), "--by-lang", "--json")
    assert code == 0, err
    sets = json.loads(out)["sets"]
    assert list(sets) == ["mixed", "mixed/da", "mixed/no"]
    assert sets["mixed"]["posts"] == 2 and sets["mixed/da"]["posts"] == 1 and sets["mixed/no"]["posts"] == 1


def test_by_lang_asks_the_kit_once_per_record_and_gets_the_same_figures(kit, held_out):
    """--by-lang scores each record for its set and for its language: the second time is remembered."""
    from replykit.learn.evaluate import RememberedKit, by_lang, read_set, score_records

    calls: list[str] = []

    class Counting:
        def check(self, *args, **kwargs):
            calls.append("check")
            return kit.check(*args, **kwargs)

        def suggest(self, *args, **kwargs):
            calls.append("suggest")
            return kit.suggest(*args, **kwargs)

    records = read_set(held_out)
    remembered = RememberedKit(Counting())
    whole = score_records(remembered, records)
    asked = len(calls)
    parts = {lang: score_records(remembered, part) for lang, part in by_lang(records).items()}
    assert len(calls) == asked == 2 * len(records["inquiries"]) + len(records["drafts"]) + len(records["clean"])
    assert whole == score_records(kit, records) == parts["da"]
