"""The command line for people: inline drafts, language aliases and channel capitals,
plain output for pasting, alternatives summarised, --fail-on gates, the grammar notice once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replykit.errors import InputError
from replykit.results import Candidate, Suggestion, SuggestResult
from replykit.show import USEFUL_SCORE, split_alternatives

# ------------------------------------------------- aliases (in ReplyKit itself)

@pytest.mark.parametrize("alias,code", [("nb", "no"), ("nn", "no"), ("NB", "no"), ("nb-NO", "no"),
                                        ("dk", "da"), ("DA", "da"), ("nl", "nl"), ("Ru", "ru")])
def test_language_aliases(kit, alias, code):
    assert kit.suggest("Nettet er nede igjen", lang=alias).lang == code
    assert kit.check("Hei Kari, takk. Hilsen Ola", lang=alias).lang == code


def test_render_takes_an_alias(kit):
    assert kit.render("outage/public", lang="nn", samples=True) == kit.render("outage/public", lang="no",
                                                                               samples=True)


@pytest.mark.parametrize("spelling", ["Facebook", "FACEBOOK", " facebook ", "faceBook"])
def test_channels_are_case_insensitive(kit, spelling):
    assert kit.check("Hej Bo. Hilsen Line", lang="da", channel=spelling).channel == "facebook"
    assert kit.suggest("Mit net er nede", lang="da", channel=spelling).suggestions[0].visibility != "private"


@pytest.mark.parametrize("kwargs,fragment", [({"lang": "sv"}, "unknown language 'sv'"),
                                             ({"lang": "pt-BR"}, "unknown language 'pt-BR'"),
                                             ({"channel": "MySpace"}, "unknown channel 'MySpace'")])
def test_unknown_codes_still_refused_with_what_was_given(kit, kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        kit.check("Hej", **kwargs)


# ------------------------------------------------------------- the command line

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]
BLOCKED_DA = "Hej Bo, ring til mig på 22 33 44 55. Hilsen Line"
REVISE_DA = "Hej Bo. Det er ikke vores problem, at du ikke har læst driftsbeskeden. Hilsen Line"
POST_DA = "Mit net er nede igen!! Hele vejen er uden internet"
DA = ("--lang", "da", "--channel", "dm", "--customer-name", "Bo", "--agent-name", "Line")
SUGGEST_DA = ("suggest", POST_DA, "--channel", "facebook", "--var", "customer_name=Peter", "--var", "agent_name=Sofie")


def run(*args: str, stdin: bytes | None = None, env: dict | None = None):
    """A real `replykit` process, its output piped (not a terminal)."""
    proc = subprocess.run(CLI + list(args), input=stdin, capture_output=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def cli(*args: str, env: dict | None = None) -> tuple[int, str, str]:
    """The same commands in this process (faster; output captured, so not a terminal either)."""
    from typer.testing import CliRunner

    from replykit.cli import app

    got = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return got.exit_code, got.stdout, got.stderr


def test_check_takes_inline_text():
    code, out, _ = cli("check", BLOCKED_DA, "--lang", "da", "--channel", "facebook", "--json")
    assert code == 1
    data = json.loads(out)
    spans = [BLOCKED_DA[f["start"]:f["end"]] for f in data["findings"] if f["category"] == "forbidden.personal_data"]
    assert spans == ["22 33 44 55"]


def test_check_reads_an_existing_file_and_refuses_a_missing_one(tmp_path):
    draft = tmp_path / "draft"  # no extension, no space: still a file because it exists
    draft.write_text(BLOCKED_DA, encoding="utf-8")
    code, out, _ = cli("check", str(draft), "--lang", "da", "--channel", "facebook", "--json")
    assert code == 1 and json.loads(out)["verdict"] == "blocked"
    for missing in (str(tmp_path / "drfat.txt"), "notes/draft"):
        code, out, err = run("check", missing, "--lang", "da")
        assert code == 2 and "cannot read (no such file" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("check", str(tmp_path), "--lang", "da")
    assert code == 2 and "is a folder" in err


@pytest.mark.parametrize("arg,kind", [("drfat.txt", "path"), ("a/b", "path"), ("C:\\drafts\\x", "path"),
                                      ("Tak!", "text"), ("Hej Bo, se fibra.dk/drift. Hilsen Line", "text"),
                                      ("Se fibra.dk/drift", "text"), ("x" * 5000, "text")])
def test_the_rule_for_telling_a_file_from_text(arg, kind, tmp_path, monkeypatch):
    from replykit.cli.base import UsageProblem
    from replykit.cli.people import read_draft

    monkeypatch.chdir(tmp_path)  # no such files here
    if kind == "text":
        assert read_draft(arg) == arg
    else:
        with pytest.raises(UsageProblem, match="no such file"):
            read_draft(arg)


def test_cli_takes_language_aliases_and_channel_capitals():
    code, out, _ = cli("suggest", "Nettet er nede i hele Bergen", "--lang", "nb", "--channel", "Facebook", "--json")
    assert code == 0 and json.loads(out)["lang"] == "no"


def test_piped_suggest_prints_the_reply_exactly_as_to_paste():
    code, out, _ = cli(*SUGGEST_DA, "--top", "1", "--json")
    text = json.loads(out)["suggestions"][0]["text"]
    code, out, err = run(*SUGGEST_DA, "--top", "1")  # a real pipe: plain without asking
    assert code == 0 and out == text + "\n"
    assert "language da" in err and "da/outage/public" in err
    code, out, err = cli(*SUGGEST_DA, "--top", "1", "--plain")
    assert code == 0 and out == text + "\n"
    code, out, _ = cli(*SUGGEST_DA, "--top", "1", "--rich")
    assert "│" in out and "╭" in out  # the boxes are still there for a terminal


def test_plain_suggest_with_several_replies_keeps_each_text_verbatim():
    _, out, _ = cli(*SUGGEST_DA, "--json")
    texts = [s["text"] for s in json.loads(out)["suggestions"]]
    code, out, err = cli(*SUGGEST_DA, "--plain", "--verbose")
    assert code == 0 and len(texts) >= 2
    assert out.count("\n# ") + out.startswith("# ") == len(texts)
    assert all(f"\n{t}\n" in out for t in texts)
    assert "│" not in out and "\x1b[" not in out


def test_alternatives_below_a_useful_score_are_one_line():
    _, out, _ = cli(*SUGGEST_DA, "--json")
    data = json.loads(out)
    type_score = {c["type"]: c["score"] for c in data["candidates"]}
    low = [s for s in data["suggestions"][1:] if type_score[s["inquiry_type"]] < USEFUL_SCORE]
    assert low, "this post should have low-scored alternatives"
    code, out, _ = cli(*SUGGEST_DA, "--rich")
    assert out.count("╭") == len(data["suggestions"]) - len(low)
    assert "other replies" in out and all(s["template_id"] in out and s["text"][:30] not in out for s in low)
    code, out, _ = cli(*SUGGEST_DA, "--rich", "--verbose")
    assert out.count("╭") == len(data["suggestions"])


def _suggest_result(scores: list[float]) -> SuggestResult:
    types = ["outage", "technical_issue", "billing"]
    return SuggestResult(
        lang="da", lang_detected=True, inquiry_type="outage",
        candidates=[Candidate(type=t, score=s) for t, s in zip(types, scores, strict=True)],
        suggestions=[Suggestion(template_id=f"da/{t}/public", inquiry_type=t, score=s * 0.81, text=t)
                     for t, s in zip(types, scores, strict=True)])


def test_split_alternatives_by_the_type_score():
    full, brief = split_alternatives(_suggest_result([0.8, USEFUL_SCORE, USEFUL_SCORE - 0.01]))
    assert [s.inquiry_type for s in full] == ["outage", "technical_issue"]  # its own score is 0.081: type counts
    assert [s.inquiry_type for s in brief] == ["billing"]
    full, brief = split_alternatives(_suggest_result([0.05, 0.03, 0.01]))
    assert len(full) == 1 and len(brief) == 2  # the best is always shown, however low
    full, brief = split_alternatives(_suggest_result([0.05, 0.03, 0.01]), verbose=True)
    assert len(full) == 3 and not brief


def test_fail_on_gates():
    assert cli("check", REVISE_DA, *DA)[0] == 0  # today's default: only blocked fails
    assert cli("check", REVISE_DA, *DA, "--fail-on", "revise")[0] == 1
    assert cli("check", REVISE_DA, *DA, "--fail-on", "REVISE")[0] == 1
    assert cli("check", REVISE_DA, *DA, "--fail-on", "blocked")[0] == 0
    assert cli("check", BLOCKED_DA, "--lang", "da", "--channel", "facebook", "--fail-on", "revise")[0] == 1
    assert cli("check", BLOCKED_DA, "--lang", "da", "--channel", "facebook")[0] == 1


def test_fail_on_bad_use_is_one_line():
    code, _, err = run("check", REVISE_DA, *DA, "--fail-on", "sometimes")
    assert code == 2 and "--fail-on" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("check", "--jsonl", "-", "--fail-on", "revise", stdin=b"")
    assert code == 2 and "--jsonl" in err


def test_plain_check_lists_findings_without_boxes():
    code, out, _ = cli("check", BLOCKED_DA, "--lang", "da", "--channel", "facebook")
    assert code == 1 and out.startswith("BLOCKED ")
    assert "forbidden.personal_data" in out and "“22 33 44 55”" in out
    assert "│" not in out and "╭" not in out and "\x1b[" not in out


def test_grammar_notice_once_per_user(tmp_path):
    env = {"REPLYKIT_CACHE_DIR": str(tmp_path / "cache")}
    notice = "grammar: skipped"
    assert notice in cli("check", REVISE_DA, *DA, env=env)[1]
    assert notice not in cli("check", REVISE_DA, *DA, env=env)[1]
    assert notice not in cli("check", REVISE_DA, *DA, "--rich", env=env)[1]
    assert notice in cli("check", REVISE_DA, *DA, "--verbose", env=env)[1]
    _, out, _ = cli("check", REVISE_DA, *DA, "--json", env=env)
    assert any(n.startswith(notice) for n in json.loads(out)["notices"])  # JSON unchanged
    # No cache folder to remember it in: said every time.
    for _ in range(2):
        assert notice in cli("check", REVISE_DA, *DA, env={**env, "REPLYKIT_NO_CACHE": "1"})[1]


def test_rich_output_shows_markup_in_a_draft_as_text():
    draft = "Hej Bo [/] [bold]ring[/bold] til mig på 22 33 44 55. Hilsen Line"
    code, out, _ = cli("check", draft, "--lang", "da", "--channel", "facebook", "--rich")
    assert code == 1 and "[bold]ring[/bold]" in out
