"""The command line: exit codes 0/1/2, --json and --jsonl shapes, one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    proc = subprocess.run(CLI + list(args), input=stdin, capture_output=True, cwd=cwd or ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("replykit ")


def test_suggest_json_shape():
    code, out, err = run("suggest", "Internettet er nede i hele Odense igen", "--channel", "facebook", "--json",
                         "--var", "agent_name=Sofie", "--var", "customer_name=Peter")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"id", "lang", "lang_detected", "inquiry_type", "candidates", "suggestions"}
    assert data["lang"] == "da" and data["lang_detected"] is True and data["inquiry_type"] == "outage"
    assert data["candidates"][0]["type"] == "outage" and 0 <= data["candidates"][0]["score"] <= 1
    first = data["suggestions"][0]
    assert first["template_id"] == "da/outage/public" and "Peter" in first["text"] and "Sofie" in first["text"]
    assert first["missing_variables"] == []


def test_check_exit_codes_and_json(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Hej Bo, ring til mig på 22 33 44 55. Hilsen Line", encoding="utf-8")
    code, out, _ = run("check", str(bad), "--lang", "da", "--channel", "facebook", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["verdict"] == "blocked"
    f = [f for f in data["findings"] if f["category"] == "forbidden.personal_data"][0]
    assert bad.read_text(encoding="utf-8")[f["start"]:f["end"]] == "22 33 44 55"
    good = tmp_path / "good.txt"
    good.write_text("Hej Bo, tak for din besked. Vi kigger på det og vender tilbage i dag. Hilsen Line",
                    encoding="utf-8")
    code, out, _ = run("check", str(good), "--lang", "da", "--channel", "dm", "--customer-name", "Bo",
                       "--agent-name", "Line", "--json")
    assert code == 0 and json.loads(out)["verdict"] == "ok"


def test_check_human_output_marks_spans(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Hej Bo, du får selvfølgelig en gratis måned. Hilsen Line", encoding="utf-8")
    # Piped, the output is plain unless --rich asks for the terminal view.
    code, out, _ = run("check", str(bad), "--lang", "da", "--channel", "facebook", "--rich")
    assert code == 1 and "BLOCKED" in out and "forbidden.unauthorized_promise" in out and "╭─ draft" in out


@pytest.mark.parametrize("args,fragment", [
    (("check", "/nonexistent/draft.txt"), "cannot read"),
    (("suggest", "hej", "--lang", "sv"), "unknown language 'sv'"),
    (("suggest", "hej", "--channel", "myspace"), "unknown channel 'myspace'"),
    (("suggest", "hej", "--top", "0"), "--top"),
    (("render", "outage/public", "--lang", "da"), "missing required variable(s): agent_name"),
    (("render", "outage/nowhere"), "no such reply"),
    (("bogus-command",), "No such command"),
    (("--templates", "/nonexistent", "suggest", "hej"), "not found"),
])
def test_bad_usage_exits_2_with_one_line(args, fragment):
    code, out, err = run(*args)
    assert code == 2
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_invalid_utf8_on_stdin():
    code, _, err = run("suggest", "-", stdin=b"\xff\xfe\x00bad")
    assert code == 2 and "not valid UTF-8" in err


def test_stdin_draft():
    code, out, _ = run("check", "-", "--lang", "nl", "--json", stdin="Hoi Sanne, bedankt! Groet, Bram".encode())
    assert code == 0 and json.loads(out)["lang"] == "nl"


def test_jsonl_batch_keeps_order_and_survives_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "draft": "Hej Bo, ring på 22 33 44 55. Hilsen Line", "lang": "da",
                    "channel": "facebook"}),
        "this is not json",
        json.dumps({"id": "c", "draft": 42}),
        json.dumps({"id": "d", "draft": "Hoi Sanne, fijn! Groet, Bram", "lang": "xx"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "f", "draft": "Hei Kari, takk for tipset. Hilsen Ola", "lang": "no", "channel": "dm"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    code, out, err = run("check", "--jsonl", str(path), "--json")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert [r.get("id") for r in results] == ["a", None, "c", "d", None, "f", None]
    assert results[0]["verdict"] == "blocked" and "error" in results[1] and "error" in results[2]
    assert "unknown language" in results[3]["error"] and results[5]["verdict"] in ("ok", "revise")
    assert "UTF-8" in results[6]["error"] and "Traceback" not in err


def test_suggest_jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": 1, "text": "Mit net er nede igen!!", "channel": "facebook"},
        {"id": 2, "text": "Нет интернета во всём доме с утра", "top": 1},
        {"id": 3, "text": "Hoi, ik wil graag mijn abonnement opzeggen", "variables": {"agent_name": "Bram"}},
    ]) + "\n", encoding="utf-8")
    code, out, _ = run("suggest", "--jsonl", str(path))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in results] == ["1", "2", "3"]
    assert [r["lang"] for r in results] == ["da", "ru", "nl"]
    assert len(results[1]["suggestions"]) == 1


def test_schema_is_json_schema():
    code, out, _ = run("schema")
    data = json.loads(out)
    assert code == 0 and {"pack", "replies", "lang", "inquiry_type", "rule"} <= set(data["$defs"])
    code, out, _ = run("schema", "--kind", "rule")
    assert json.loads(out)["properties"]["kind"]


def test_lint_bundled_pack_is_clean():
    code, out, err = run("lint", "--json", "--today", "2026-12-06")  # review dates: a pinned day
    report = json.loads(out)
    assert code == 0, [p for p in report["problems"] if p["severity"] == "error"][:5]


def test_non_editable_install_works_from_any_folder(tmp_path):
    """Build the wheel, install it (no deps: they are in this venv) into a
    target folder, and run it from a folder with no checkout nearby."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheel_dir), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(wheel_dir.glob("replykit-*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    assert (target / "replykit" / "_data" / "templates" / "pack.yaml").is_file()
    assert (target / "replykit" / "_data" / "rules").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "REPLYKIT_NO_CACHE": "1"}
    proc = subprocess.run([sys.executable, "-c", "import replykit, sys; print(replykit.__file__)"],
                          capture_output=True, text=True, cwd=elsewhere, env={**os.environ, **env})
    assert proc.stdout.startswith(str(target))
    code, out, err = run("suggest", "Mit net er nede igen!!", "--json", cwd=elsewhere, env=env)
    assert code == 0, err
    assert json.loads(out)["inquiry_type"] == "outage"
