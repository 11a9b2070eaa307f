"""`replykit feedback ...` and `--feedback-db`: each kind of feedback through the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]


def run(*args: str, env: dict | None = None, stdin: bytes | None = None):
    base = {k: v for k, v in os.environ.items() if k != "REPLYKIT_FEEDBACK_DB"}
    proc = subprocess.run(CLI + list(args), input=stdin, capture_output=True, cwd=ROOT, env={**base, **(env or {})},
                          timeout=180)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_every_feedback_command(tmp_path):
    db = str(tmp_path / "cli.db")
    fb = ["--feedback-db", db]
    code, out, err = run(*fb, "suggest", "Mit net er nede igen!! Hele vejen er uden internet", "--json",
                         "--var", "customer_name=Peter", "--var", "agent_name=Sofie")
    assert code == 0, err
    s = json.loads(out)
    assert len(s["result_id"]) == 32 and s["id"] is None
    template = s["suggestions"][0]["template_id"]
    code, out, err = run(*fb, "feedback", "pick", "--result-id", s["result_id"], "--template", template,
                         "--sent", "-", "--var", "customer_name=Peter", "--var", "agent_name=Sofie",
                         "--agent", "a1", "--team", "care", "--json",
                         stdin=s["suggestions"][0]["text"].encode())
    assert code == 0, err
    assert json.loads(out) == {"feedback_id": 1, "result_id": s["result_id"], "kind": "pick", "edit_distance": 0.0}
    code, out, err = run(*fb, "feedback", "wrong-type", "--result-id", s["result_id"], "--type", "technical_issue")
    assert code == 0 and "recorded wrong_type" in out, err

    draft = tmp_path / "draft.txt"
    draft.write_text("Hej Peter. Jeg har nu bestilt en tekniker til dig på tirsdag. Ring 22 33 44 55. Hilsen Sofie")
    code, out, err = run("check", str(draft), "--lang", "da", "--channel", "facebook", "--customer-name", "Peter",
                         "--json", env={"REPLYKIT_FEEDBACK_DB": db})
    assert code == 1, err  # blocked, and recorded through the environment variable
    c = json.loads(out)
    assert c["result_id"]
    rule = c["findings"][0]["rule_id"]
    code, out, err = run(*fb, "feedback", "dismiss", "--result-id", c["result_id"], "--rule", rule,
                         "--reason", "kunden bad selv om det")
    assert code == 0, err
    code, out, err = run(*fb, "feedback", "missed", "--result-id", c["result_id"], "--category",
                         "value.add_value", "--quote", "Hilsen Sofie", "--var", "agent_name=Sofie")
    assert code == 0, err

    code, out, err = run(*fb, "feedback", "stats", "--json")
    assert code == 0, err
    stats = json.loads(out)
    assert stats["feedback"] == {"dismiss": 1, "missed": 1, "pick": 1, "wrong_type": 1}
    assert next(r for r in stats["rules"] if r["rule_id"] == rule)["dismissed"] == 1
    assert next(r for r in stats["replies"] if r["template_id"] == template)["pick_rate"] == 1.0
    code, out, err = run(*fb, "feedback", "stats")
    assert code == 0 and "dismissal rate" in out and template in out, err

    code, out, err = run(*fb, "feedback", "export", "--lang", "da", "--kind", "posts")
    assert code == 0, err
    assert json.loads(out.splitlines()[0])["type"] == "technical_issue"
    code, out, err = run(*fb, "feedback", "export", "-o", str(tmp_path / "export"))
    assert code == 0, err
    files = sorted(p.name.split(".")[-2] for p in (tmp_path / "export" / "da" / "labelled").iterdir())
    assert files == ["drafts", "posts"]

    code, out, err = run(*fb, "feedback", "purge", "--all", "--json")
    assert code == 0 and json.loads(out) == {"results": 2, "feedback": 4}, err


def test_feedback_errors_are_one_line(tmp_path):
    code, _, err = run("feedback", "stats")
    assert code == 2 and "no feedback store" in err and err.count("\n") == 1
    db = str(tmp_path / "e.db")
    code, _, err = run("--feedback-db", db, "feedback", "pick", "--result-id", "nope", "--template", "x")
    assert code == 2 and "no stored result 'nope'" in err and err.count("\n") == 1
    code, _, err = run("--feedback-db", db, "feedback", "export")
    assert code == 2 and "--kind" in err
    code, _, err = run("--feedback-db", str(tmp_path / "no" / "such.db"), "feedback", "stats")
    assert code == 2 and "no such folder" in err and "Traceback" not in err


def test_a_jsonl_batch_records_every_line(tmp_path):
    db = str(tmp_path / "batch.db")
    lines = b'{"id": "t1", "text": "Mit net er nede igen"}\n{"id": "t2", "text": "Min regning er for h\xc3\xb8j"}\n'
    code, out, err = run("--feedback-db", db, "suggest", "--jsonl", "-", stdin=lines)
    assert code == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["t1", "t2"]
    assert all(r["result_id"] for r in results) and results[0]["result_id"] != results[1]["result_id"]
    code, out, err = run("--feedback-db", db, "feedback", "stats", "--json")
    assert json.loads(out)["results"] == {"suggest": 2}
