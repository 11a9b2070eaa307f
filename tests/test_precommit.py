"""The pre-commit hook as a brand pack's repository runs it: only what a commit changes is linted.

A real git repository of a brand pack (Danish and Russian, with a Russian stub that fails lint), the
pre-commit framework running this checkout's `.pre-commit-hooks.yaml` hook as a `repo: local` hook
(the same id, entry, files and pass_filenames; `language: system` so no environment is built), and
real `git commit`s: a good Danish change goes in despite the Russian stub; a bad Danish text is refused.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from replykit.lint_scope import changed_scope

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-12-06"  # review dates judged as of a pinned day
GOOD = ("Vi laver planlagt arbejde på nettet i dit område i nat. Følg tidspunkterne på {{ status_url }}, "
        "så ved du, hvornår det er færdigt.")
BAD = "Vi laver planlagt arbejde i nat!!! Du får selvfølgelig en gratis måned. Følg med på {{ status_url }}."

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "Karin Dahl", "GIT_AUTHOR_EMAIL": "karin@example.com",
            "GIT_COMMITTER_NAME": "Karin Dahl", "GIT_COMMITTER_EMAIL": "karin@example.com",
            "GIT_CONFIG_GLOBAL": str(tmp / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _replykit(*args: str, cwd: Path, env: dict[str, str]) -> None:
    proc = _run([sys.executable, "-m", "replykit", *args], cwd, env)
    assert proc.returncode == 0, proc.stderr


def _set_da_text(brand: Path, text: str, env: dict[str, str]) -> None:
    path = brand / "templates" / "da" / "outage.yaml"
    data = path.read_text(encoding="utf-8")
    start = data.index("{{ greeting }}\n") + len("{{ greeting }}\n")
    end = data.index("      {{ signature }}")
    path.write_text(data[:start] + f"      {text}\n" + data[end:], encoding="utf-8")
    _replykit("approve", "outage/planned_work", "--lang", "da", "--by", "Karin Dahl (PR)", "--on", "2026-12-01",
              cwd=brand, env=env)  # approved: only the check can refuse it


@pytest.fixture
def brand_repo(tmp_path) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[dev]')")
    env = _env(tmp_path)
    _replykit("init", "acme", "--brand", "Acme", "--languages", "da,ru", cwd=tmp_path, env=env)
    brand = tmp_path / "acme"
    _replykit("new", "outage/planned_work", "--visibility", "public", cwd=brand, env=env)  # stubs in da and ru
    # The hook as this checkout publishes it, run from this checkout's interpreter.
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert hook["id"] == "replykit-lint" and hook["pass_filenames"] is True
    local = {**{k: hook[k] for k in ("id", "name", "files", "pass_filenames", "require_serial")},
             "language": "system",
             "entry": f"{sys.executable} -m {hook['entry'].replace('lint', 'lint --today ' + DAY, 1)}"}
    (brand / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8")
    for args in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "start"],
                 [sys.executable, "-m", "pre_commit", "install"]):
        proc = _run(args, brand, env)
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return brand, env


def test_the_hook_lints_the_danish_change_and_ignores_the_russian_stub(brand_repo):
    brand, env = brand_repo
    proc = _run([sys.executable, "-m", "replykit", "lint", "--today", DAY], brand, env)
    assert proc.returncode == 1 and "ru/outage/planned_work" in proc.stdout  # the whole pack fails: the stub

    _set_da_text(brand, GOOD, env)
    _run(["git", "add", "-A"], brand, env)
    proc = _run(["git", "commit", "-m", "Planned work: Danish text"], brand, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    said = proc.stdout + proc.stderr  # git hands the hook's output on to either
    assert "replykit lint" in said and "Passed" in said
    log = _run(["git", "log", "--oneline"], brand, env).stdout
    assert "Planned work: Danish text" in log


def test_the_hook_refuses_a_bad_danish_text(brand_repo):
    brand, env = brand_repo
    _set_da_text(brand, BAD, env)
    _run(["git", "add", "-A"], brand, env)
    proc = _run(["git", "commit", "-m", "Planned work: a promise"], brand, env)
    assert proc.returncode != 0
    said = proc.stdout + proc.stderr
    assert "Failed" in said and "forbidden.unauthorized_promise" in said
    assert "ru/outage" not in said  # only the change is judged
    assert "Planned work" not in _run(["git", "log", "--oneline"], brand, env).stdout


def test_changed_files_map_to_what_they_touch(tmp_path):
    rule = tmp_path / "rules" / "acme" / "codename.yaml"
    rule.parent.mkdir(parents=True)
    rule.write_text("id: acme.codename\nkind: existence\n", encoding="utf-8")
    scope = changed_scope(tmp_path, ["templates/da/outage.yaml", "templates/ru/_lang.yaml",
                                     "rules/acme/codename.yaml", "README.md"], ["da", "ru"], tmp_path)
    assert not scope.everything
    assert scope.types == {"da": {"outage"}} and scope.langs == {"ru"} and scope.rule_ids == {"acme.codename"}
    assert scope.text_in_scope("da", "outage") and not scope.text_in_scope("da", "billing")
    assert scope.text_in_scope("ru", "billing")  # a block file reaches every text of its language
    assert scope.rule_in_scope("acme.codename", ["da"]) and scope.rule_in_scope("ru.tone.slang", ["ru"])
    assert not scope.rule_in_scope("da.tone.slang", ["da"])
    assert changed_scope(tmp_path, ["templates/replies.yaml"], ["da"], tmp_path).everything
    assert changed_scope(tmp_path, ["replykit.yaml"], ["da"], tmp_path).everything


def test_changed_files_find_their_pack_from_where_they_are(brand_repo):
    brand, env = brand_repo  # a repository holding the pack in a subfolder: the hook runs at its top
    proc = _run([sys.executable, "-m", "replykit", "lint", "--today", DAY, "--changed",
                 f"{brand.name}/templates/da/outage.yaml", "notes.txt"], brand.parent, env)
    assert "pack Acme" in proc.stderr and "lint --changed: da outage" in proc.stderr
    assert proc.returncode == 1 and "da/outage/planned_work" in proc.stdout  # the Danish stub
    assert "ru/outage" not in proc.stdout
