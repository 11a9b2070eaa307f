"""Brand packs as a PR person uses them: init, change the brand, add a reply, approve, lint from the folder.

Each test runs the real `replykit` command in the brand pack's folder (discovery walks up from there),
and checks what an agent would get from suggest and render.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.approve import approve
from replykit.errors import PackError, UnknownTemplateError
from replykit.pack.templates import load_templates

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "replykit"]
DAY = "2026-12-06"  # lint judges review dates against a pinned day, never the real one
OUTAGE = "Mit net er nede igen!! Hele vejen er uden internet"
PLANNED = "Er der planlagt vedligeholdelse i nat? Nettet er nede"
PLANNED_TEXT = "Vi laver planlagt vedligeholdelse på nettet i dit område. Se tidspunkterne på {{ status_url }}."


def run(*args: str, cwd: Path):
    proc = subprocess.run(CLI + list(args), capture_output=True, cwd=cwd, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def _one_error(err: str) -> bool:
    """A usage error is one line (beside the line naming the pack), never a traceback."""
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("replykit: pack ")]
    return len(lines) == 1 and lines[0].startswith("replykit: error: ")


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def acme(tmp_path) -> Path:
    """`replykit init acme --brand Acme --languages da,nl`, then the brand's own links."""
    code, out, err = run("init", "acme", "--brand", "Acme", "--languages", "da,nl", cwd=tmp_path)
    assert code == 0, err
    brand = tmp_path / "acme"
    config = brand / "replykit.yaml"
    _set(config, '"fibra.dk/drift"', '"acme.dk/status"')
    _set(config, '"fibra.nl/shop"', '"acme.nl/winkel"')
    _set(config, "approvers: []", 'approvers: ["Karin Dahl (PR)"]')
    return brand


def _planned_work(brand: Path, prefer: str = "[planlagt, vedligehold*]") -> Path:
    """`replykit new outage/planned_work`, then the Danish text written (Dutch stays a stub)."""
    code, out, err = run("new", "outage/planned_work", "--visibility", "public", cwd=brand)
    assert code == 0, err
    path = brand / "templates" / "da" / "outage.yaml"
    _set(path, "TODO: write this reply in da.", PLANNED_TEXT)
    _set(path, "    body: |\n", f"    prefer:\n      triggers: {prefer}\n    body: |\n")
    return path


def test_init_extends_the_bundled_pack_with_the_brands_name_and_links(acme):
    assert sorted(p.name for p in (acme / "templates").iterdir()) == ["da", "nl"]
    kit = ReplyKit.load(templates=acme)
    assert kit.languages == ["da", "nl"] and kit._loaded.templates.meta.name == "Acme"  # noqa: SLF001
    result = kit.suggest(OUTAGE, lang="da", channel="facebook", variables={"agent_name": "Ole"})
    assert result.suggestions[0].template_id == "da/outage/public"
    assert "acme.dk/status" in result.suggestions[0].text and "fibra" not in result.suggestions[0].text
    nl = kit.render("order_request/public", lang="nl", variables={"agent_name": "Eva"})
    assert "Acme" in nl and "acme.nl/winkel" in nl and "Fibra" not in nl  # {{ brand_name }} and a link
    # Only the config and empty folders were written: everything else comes from the bundled pack.
    assert [p.name for p in acme.iterdir() if p.is_file()] == ["replykit.yaml"]


def test_init_refuses_what_it_cannot_do(acme, tmp_path):
    code, _, err = run("init", "acme", "--brand", "Acme", "--languages", "da", cwd=tmp_path)
    assert code == 2 and "already" in err and _one_error(err)
    code, _, err = run("init", "other", "--brand", "Other", "--languages", "da,sv", cwd=tmp_path)
    assert code == 2 and "sv" in err and _one_error(err)


def test_a_stub_is_never_suggested_and_an_approved_text_is(acme):
    _planned_work(acme)
    code, out, err = run("suggest", PLANNED, "--lang", "nl", "--json", "--top", "5", cwd=acme)
    assert code == 0 and "pack Acme" in err  # says which pack it used
    assert all("planned_work" not in s["template_id"] for s in json.loads(out)["suggestions"])
    code, out, _ = run("suggest", PLANNED, "--lang", "nl", "--json", "--top", "5", "--drafts", cwd=acme)
    drafts = [s for s in json.loads(out)["suggestions"] if "planned_work" in s["template_id"]]
    assert drafts and drafts[0]["approved"] is False and "TODO" in drafts[0]["text"]
    code, _, err = run("render", "nl/outage/planned_work", "--var", "agent_name=Eva", cwd=acme)
    assert code == 2 and "not approved" in err
    # Danish: written, not yet approved -> not served; approved by someone on the list -> served.
    code, _, err = run("approve", "outage/planned_work", "--lang", "da", "--by", "Jens (intern)", cwd=acme)
    assert code == 2 and "approvers" in err
    code, out, err = run("approve", "outage/planned_work", "--lang", "da", "--by", "Karin Dahl (PR)", cwd=acme)
    assert code == 0, err
    kit = ReplyKit.load(templates=acme)
    ids = [s.template_id for s in kit.suggest(PLANNED, lang="da", channel="facebook").suggestions]
    assert ids[0] == "da/outage/planned_work"
    assert [t.status for t in kit.templates() if t.template_id == "nl/outage/planned_work"] == ["unapproved"]


def test_an_edited_approved_text_needs_reapproval_everywhere(acme):
    path = _planned_work(acme)
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    _set(path, "Se tidspunkterne", "Det er ikke vores skyld. Se tidspunkterne")
    code, out, err = run("lint", "--lang", "da", "--json", "--today", DAY, cwd=acme)
    report = json.loads(out)
    found = [p for p in report["problems"] if p["code"] == "needs-reapproval"]
    assert code == 1 and report["pack"] == "Acme" and len(found) == 1
    body_line = path.read_text(encoding="utf-8").splitlines().index("    body: |") + 1
    assert found[0]["path"] == str(path) and found[0]["line"] == body_line and found[0]["severity"] == "error"
    code, out, _ = run("templates", "--json", cwd=acme)
    status = {t["template_id"]: t["status"] for t in json.loads(out)}
    assert status["da/outage/planned_work"] == "needs_reapproval" and status["da/outage/public"] == "approved"
    code, out, _ = run("suggest", PLANNED, "--lang", "da", "--json", "--top", "5", cwd=acme)
    assert all("planned_work" not in s["template_id"] for s in json.loads(out)["suggestions"])
    with pytest.raises(UnknownTemplateError, match="re-approval"):
        ReplyKit.load(templates=acme).render("outage/planned_work", lang="da", variables={"agent_name": "Ole"})
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    text = ReplyKit.load(templates=acme).render("outage/planned_work", lang="da", variables={"agent_name": "Ole"})
    assert "Det er ikke vores skyld" in text


@pytest.mark.slow  # lints the pack two or three times
def test_lint_inside_the_pack_folder_lints_that_pack_with_its_rules(acme):
    _planned_work(acme)
    rule = acme / "rules" / "acme" / "codename.yaml"
    rule.parent.mkdir()
    rule.write_text("id: acme.confidential.codename\nkind: existence\ncategory: forbidden.confidential\n"
                    "message: Never name internal projects.\ndescription: Acme's code names.\n"
                    "phrases: [nordlys]\nexamples:\n  bad: ['Projekt Nordlys starter snart.']\n"
                    "  good: ['Vi arbejder på at løse fejlen. Hilsen Line']\n", encoding="utf-8")
    kit = ReplyKit.load(templates=acme)
    assert "acme.confidential.codename" in {f.rule_id for f in kit.check("Nordlys er klar", lang="da").findings}
    _set(rule, "'Projekt Nordlys starter snart.'", "'Alt er fint.'")  # a bad example the rule cannot catch
    for where, args in ((acme / "templates" / "da", ()), (acme, ("templates",))):
        code, out, err = run("lint", *args, "--lang", "da", "--json", "--today", DAY, cwd=where)
        report = json.loads(out)
        assert report["pack"] == "Acme" and "pack Acme" in err
        codes = {p["code"] for p in report["problems"]}
        assert "approval-missing" in codes  # the brand's own stub: this pack, not the bundled one
        assert any(p["code"] == "rule-example" and "acme.confidential.codename" in p["message"]
                   for p in report["problems"])  # `lint templates` keeps the brand's rules
    code, out, err = run("lint", "--lang", "dk", cwd=acme)
    assert code == 2 and "dk" in err and _one_error(err)


@pytest.mark.slow  # lints the pack two or three times
def test_review_dates_warn_before_and_fail_only_when_overdue(acme):
    code, out, _ = run("lint", "--lang", "da", "--json", "--today", "2027-09-20", cwd=acme)
    report = json.loads(out)
    assert code == 0 and {p["code"] for p in report["problems"]} == {"review-due"}
    code, out, _ = run("lint", "--lang", "da", "--json", "--today", "2027-10-02", cwd=acme)
    assert code == 1 and "review-overdue" in {p["code"] for p in json.loads(out)["problems"]}
    code, _, err = run("lint", "--today", "next week", cwd=acme)
    assert code == 2 and "YYYY-MM-DD" in err


@pytest.mark.slow  # lints the pack two or three times
def test_pack_order_and_prefer_decide_which_reply_wins_and_explain_says_why(acme):
    path = _planned_work(acme)
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    kit = ReplyKit.load(templates=acme)
    first = kit.suggest(OUTAGE, lang="da", channel="facebook").suggestions[0].template_id
    assert first == "da/outage/public"  # the new reply, listed later, does not take over
    assert kit.suggest(PLANNED, lang="da", channel="facebook").suggestions[0].template_id == "da/outage/planned_work"
    code, out, _ = run("explain", PLANNED, "--lang", "da", "--channel", "facebook", "--json", cwd=acme)
    ex = json.loads(out)
    assert ex["inquiry_type"] == "outage" and ex["types"][0]["type"] == "outage"
    top = ex["replies"][0]
    assert top["id"] == "outage/planned_work" and top["rank"] == 1 and "planlagt" in top["matched"]
    assert ex["replies"][1]["id"] == "outage/public" and "position 1" in ex["replies"][1]["why"]
    # lint compares each labelled post's winner with the base pack's: a narrow preference takes only the
    # few posts about planned work; one too broad takes over what outage/public answered, and lint says so.
    narrow = _taken(acme)
    _set(path, "[planlagt, vedligehold*]", "[nede, net, internet]")
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    broad = _taken(acme)
    assert len(broad) == 1 and "da/outage/planned_work" in broad[0]["message"]
    assert "da/outage/public" in broad[0]["message"] and broad[0]["severity"] == "warning"
    assert _count(broad) > 10 * max(_count(narrow), 1)


def _taken(brand: Path) -> list[dict]:
    code, out, _ = run("lint", "--lang", "da", "--json", "--today", DAY, cwd=brand)
    return [p for p in json.loads(out)["problems"] if p["code"] == "takeover"]


def _count(problems: list[dict]) -> int:
    return sum(int(p["message"].split(" now wins ")[1].split()[0]) for p in problems)


def test_updating_the_base_reaches_the_brand_unless_it_overrode_the_text(pack_copy, tmp_path):
    code, _, err = run("init", "brand", "--brand", "Acme", "--languages", "da", "--extends", str(pack_copy),
                       cwd=tmp_path)
    assert code == 0, err
    brand = tmp_path / "brand"
    own = brand / "templates" / "da" / "praise.yaml"
    own.write_text("inquiry_type: praise\nvariants:\n  praise/public:\n    body: |\n      {{ greeting }}\n"
                   "      Tusind tak fra os alle i Acme!\n      {{ signature }}\n", encoding="utf-8")
    approve(brand, "praise/public", "da", "Karin Dahl (PR)")
    # The base pack is updated: two texts changed and re-approved there.
    base = pack_copy / "templates" / "da"
    _set(base / "outage.yaml", "Tak fordi du siger til", "Tak for din besked")
    _set(base / "praise.yaml", "{{ greeting }}", "{{ greeting }} Wow.")
    approve(pack_copy / "templates", "outage/public", "da", "Mette Holm (PR)")
    approve(pack_copy / "templates", "praise/public", "da", "Mette Holm (PR)")
    kit = ReplyKit.load(templates=brand)
    assert "Tak for din besked" in kit.render("outage/public", lang="da", variables={"agent_name": "Ole"})
    praise = kit.render("praise/public", lang="da", variables={"agent_name": "Ole"})
    assert "Tusind tak fra os alle i Acme" in praise and "Wow" not in praise  # the brand's own text stays


def test_a_changed_block_asks_for_reapproval_of_the_texts_using_it(acme):
    (acme / "templates" / "da" / "_lang.yaml").write_text(
        'blocks:\n  signature: "Venlig hilsen {{ agent_name }}, Acme"\n', encoding="utf-8")
    kit = ReplyKit.load(templates=acme)
    status = {t.template_id: t.status for t in kit.templates() if t.lang == "da"}
    assert set(status.values()) == {"needs_reapproval"}  # every Danish text signs off with it
    assert kit.suggest(OUTAGE, lang="da").suggestions == []
    path, cv = approve(acme, "outage/public", "da", "Karin Dahl (PR)")
    assert path == acme / "templates" / "da" / "outage.yaml"  # the brand's file, not the bundled one
    assert "body" not in path.read_text(encoding="utf-8")  # the text itself is still the bundled one
    text = ReplyKit.load(templates=acme).suggest(OUTAGE, lang="da", channel="facebook").suggestions[0].text
    assert text.endswith("Venlig hilsen [agent_name], Acme")


def test_disabled_rules_and_config_errors(acme):
    draft = "Hej Bo 😊😊😊 vi kigger på det. Hilsen Line"
    assert "common.casual.emoji" in {f.rule_id for f in ReplyKit.load(templates=acme).check(draft, lang="da").findings}
    config = acme / "replykit.yaml"
    _set(config, "disabled_rules: []", "disabled_rules: [common.casual.emoji]")
    assert "common.casual.emoji" not in {f.rule_id for f in
                                         ReplyKit.load(templates=acme).check(draft, lang="da").findings}
    _set(config, "[common.casual.emoji]", "[no.such.rule]")
    with pytest.raises(PackError, match="no.such.rule"):
        ReplyKit.load(templates=acme)
    _set(config, "brand: ", "brnad: ")
    code, _, err = run("suggest", OUTAGE, cwd=acme / "templates")
    assert code == 2 and "replykit.yaml" in err and _one_error(err)


def test_approve_edits_only_the_approval(acme):
    path = _planned_work(acme)
    _set(path, "inquiry_type: outage\n", "# Acme's outage replies\ninquiry_type: outage\n")
    before = path.read_text(encoding="utf-8").splitlines()
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    first = path.read_text(encoding="utf-8").splitlines()
    assert len(first) == len(before) + 1 and [ln for ln in first if ln not in before][0].strip().startswith(
        'approved: {by: "Karin Dahl (PR)"')
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")  # again: replaces, never adds
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(first)
    assert load_templates(acme).variants[("outage/planned_work", "da")].status == "approved"


def test_report_is_titled_with_the_brand_and_marks_what_needs_reapproval(acme, tmp_path):
    path = _planned_work(acme)
    approve(acme, "outage/planned_work", "da", "Karin Dahl (PR)")
    _set(path, "Se tidspunkterne", "Se de nye tidspunkter")
    out = tmp_path / "report.html"
    code, _, err = run("report", "-o", str(out), "--today", DAY, cwd=acme)
    html = out.read_text(encoding="utf-8")
    assert code == 0, err
    assert "Template pack report: Acme" in html
    assert 'data-reply="outage/planned_work" data-lang="da" data-status="needs_reapproval"' in html
    assert "needs re-approval" in html


def test_the_pack_cache_sees_the_config_and_the_base(acme):
    import json as _json

    from replykit.pack import templates_json

    pack = load_templates(acme)
    again = templates_json.decode(_json.loads(_json.dumps(templates_json.encode(pack))))
    assert again == pack and again.brand is not None and again.brand.brand == "Acme"
    render = lambda: ReplyKit.load(templates=acme).render(  # noqa: E731
        "outage/public", lang="da", variables={"agent_name": "Ole"})
    assert "acme.dk/status" in render()  # built, then cached
    _set(acme / "replykit.yaml", '"acme.dk/status"', '"acme.dk/drift"')
    assert "acme.dk/drift" in render()  # a config edit is a different pack, never a stale cache hit
