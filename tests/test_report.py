"""The HTML pack report (replykit.report) and `replykit new` (replykit.scaffold).

The report is checked twice: as HTML text (matrix cells, lint findings,
every reply, escaping, no external assets) and in a real headless Chromium
(no console errors, matrix cells with the right classes, a screenshot).
Pack edits happen in temporary copies of the bundled pack, never in place.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections import Counter
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from replykit.errors import PackError, UnknownTemplateError
from replykit.kit import ReplyKit
from replykit.pack.templates import load_templates
from replykit.report import build_report
from replykit.scaffold import new_reply
from replykit.vocabulary import INQUIRY_TYPES

ROOT = Path(__file__).resolve().parent.parent
ESCAPE_PROBE = "See <b>Fibra & co</b> <script>alert(1)</script>"


# ----------------------------------------------------------------- helpers


def snapshot(dest: Path) -> Path:
    """A copy of the bundled templates/ and rules/, taken at a moment the pack loads.

    Others edit the bundled pack while tests run; a copy that loads keeps these
    tests about the report, not about someone's half-saved file.
    """
    error = None
    for _ in range(10):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(ROOT / "templates", dest / "templates")
        shutil.copytree(ROOT / "rules", dest / "rules")
        try:
            load_templates(dest / "templates")
            return dest
        except PackError as exc:
            error = exc
            time.sleep(3)
    pytest.fail(f"the bundled pack did not load in 30 s: {error}")


def expected_cells(templates: Path | None) -> dict[tuple[str, str, str], int]:
    """Coverage counted straight from the loaded pack (independently of lint)."""
    kit = ReplyKit.load(templates)
    counts: Counter = Counter()
    for t in kit.templates():
        for vis in ("public", "private"):
            if t.visibility in (vis, "any"):
                counts[(t.inquiry_type, t.lang, vis)] += 1
    return {(it, lang, vis): counts[(it, lang, vis)]
            for it in INQUIRY_TYPES for lang in kit.languages for vis in ("public", "private")}


class Cells(HTMLParser):
    """Collects matrix cells: (type, lang, visibility) -> (class, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str, str], tuple[str, str]] = {}
        self._open: tuple[str, str, str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-visibility" in a:
            self._open = (a["data-type"], a["data-lang"], a["data-visibility"])
            self.cells[self._open] = (a.get("class", ""), "")

    def handle_data(self, data):
        if self._open:
            cls, text = self.cells[self._open]
            self.cells[self._open] = (cls, text + data)

    def handle_endtag(self, tag):
        if tag == "td":
            self._open = None


def matrix(html: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    parser = Cells()
    parser.feed(html)
    return parser.cells


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def assert_matrix(html: str, expected: dict[tuple[str, str, str], int]) -> None:
    cells = matrix(html)
    assert set(cells) == set(expected)
    for key, n in expected.items():
        cls, text = cells[key]
        assert cls.split()[0] == ("ok" if n else "missing"), key  # then "flagged" when stubs/changes are in it
        assert text.split()[0] == str(n), key


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def bundled() -> str:
    return build_report(None, None, today=dt.date(2026, 12, 6))  # review dates: a pinned day


@pytest.fixture(scope="module")
def modified(tmp_path_factory):
    """A pack copy with one variant removed, one marked not needed, one body holding HTML."""
    pack = snapshot(tmp_path_factory.mktemp("modified"))
    templates = pack / "templates"
    kit = ReplyKit.load(templates)
    cells = expected_cells(templates)
    gone = next(t for t in kit.templates()
                if t.visibility != "any" and cells[(t.inquiry_type, t.lang, t.visibility)] == 1)
    edit_yaml(templates / gone.lang / f"{gone.inquiry_type}.yaml", lambda d: d["variants"].pop(gone.id))
    others = [t for t in kit.templates() if t.id != gone.id]
    skipped, probed = others[0], next(t for t in others if t.id != others[0].id)

    def not_needed(d):
        next(r for r in d["replies"] if r["id"] == skipped.id)["not_needed"] = [skipped.lang]

    edit_yaml(templates / "replies.yaml", not_needed)
    edit_yaml(templates / skipped.lang / f"{skipped.inquiry_type}.yaml", lambda d: d["variants"].pop(skipped.id))

    def probe(d):
        d["variants"][probed.id]["body"] = "{{ greeting }}\n" + ESCAPE_PROBE + "\n{{ signature }}\n"

    edit_yaml(templates / probed.lang / f"{probed.inquiry_type}.yaml", probe)
    return {"html": build_report(templates, pack / "rules"), "templates": templates, "gone": gone,
            "skipped": skipped, "probed": probed, "expected": expected_cells(templates)}


# ------------------------------------------------------------ report: HTML


def test_bundled_matrix_has_every_cell_with_its_count(bundled):
    expected = expected_cells(None)
    assert {k[0] for k in expected} == set(INQUIRY_TYPES)
    assert_matrix(bundled, expected)


def test_removed_variant_shows_as_missing_cell(modified):
    gone = modified["gone"]
    key = (gone.inquiry_type, gone.lang, gone.visibility)
    assert modified["expected"][key] == 0
    assert_matrix(modified["html"], modified["expected"])
    assert matrix(modified["html"])[key][0].split()[0] == "missing"
    # ...and lint says so, with the reply named.
    assert "<code>coverage</code>" in modified["html"] and "<code>parity</code>" in modified["html"]
    assert escape(f"{gone.id}: no {gone.lang} text") in modified["html"]


def test_text_cells_show_missing_and_not_needed(modified):
    html, gone, skipped = modified["html"], modified["gone"], modified["skipped"]
    assert re.search(rf'<td class="absent" data-reply="{re.escape(gone.id)}" data-lang="{gone.lang}">', html)
    assert re.search(rf'<td class="not-needed" data-reply="{re.escape(skipped.id)}" data-lang="{skipped.lang}">'
                     r"not needed", html)


def test_template_text_is_escaped(modified):
    html = modified["html"]
    assert escape(ESCAPE_PROBE) in html
    assert "<b>Fibra" not in html and "<script" not in html.lower()


def test_page_is_self_contained(bundled):
    assert bundled.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", bundled, re.I)
    assert "@import" not in bundled and "url(" not in bundled and "<script" not in bundled.lower()


def test_every_reply_appears_rendered_with_samples(bundled):
    kit = ReplyKit.load()
    infos = kit.templates()
    for reply_id in {t.id for t in infos}:
        assert f'data-reply="{escape(reply_id)}"' in bundled, reply_id
    for t in infos[:: max(1, len(infos) // 12)]:  # a spread of texts, every language
        assert escape(kit.render(t.id, t.lang, samples=True)) in bundled, t.template_id


def test_lint_findings_are_listed(modified):
    html = modified["html"]
    assert '<tr class="error">' in html
    assert re.search(r'<td class="where">templates/replies\.yaml:\d+</td>', html)


def test_pack_that_does_not_load_still_renders(tmp_path):
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    with (tmp_path / "templates" / "pack.yaml").open("a", encoding="utf-8") as fh:
        fh.write("colour: blue\n")
    html = build_report(tmp_path / "templates", None)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "The pack does not load" in html
    assert "<code>schema</code>" in html and "unknown key" in html
    assert "templates/pack.yaml" in html


# ------------------------------------------------------- report: a browser


@pytest.mark.browser
def test_report_in_headless_chromium(modified, tmp_path, headless_chrome):
    page = tmp_path / "report.html"
    page.write_text(modified["html"], encoding="utf-8")
    from selenium.webdriver.common.by import By

    driver = headless_chrome(1400)
    driver.get(page.as_uri())
    assert driver.title.startswith("replykit report")
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not severe, severe

    expected = modified["expected"]
    assert len(driver.find_elements(By.CSS_SELECTOR, "td[data-type][data-lang][data-visibility]")) == len(expected)
    for (itype, lang, vis), n in expected.items():
        cell = driver.find_element(
            By.CSS_SELECTOR, f'td[data-type="{itype}"][data-lang="{lang}"][data-visibility="{vis}"]')
        assert cell.get_attribute("class").split()[0] == ("ok" if n else "missing")
        assert cell.text.split()[0] == str(n)
    gone = modified["gone"]
    hole = driver.find_element(By.CSS_SELECTOR, f'td.missing[data-type="{gone.inquiry_type}"]'
                                                f'[data-lang="{gone.lang}"][data-visibility="{gone.visibility}"]')
    ok = driver.find_element(By.CSS_SELECTOR, "td.ok[data-type]")
    assert hole.value_of_css_property("background-color") != ok.value_of_css_property("background-color")
    # The escaped probe is shown as text, not run or parsed as markup.
    assert ESCAPE_PROBE in driver.find_element(By.TAG_NAME, "body").text
    assert not driver.find_elements(By.CSS_SELECTOR, "#texts b")

    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(max(height, 1000), 8000))
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, f"screenshot is only {len(data)} bytes"


# ---------------------------------------------------------------- scaffold


@pytest.fixture
def templates_copy(tmp_path) -> Path:
    return snapshot(tmp_path / "pack") / "templates"


def test_new_reply_adds_stubs_in_every_language(templates_copy):
    replies_before = (templates_copy / "replies.yaml").read_text(encoding="utf-8")
    (templates_copy / "ru" / "idea.yaml").unlink()  # a language without the type file yet
    written = new_reply(templates_copy, "idea/roadmap", "public", 'Say "thanks" <and> where ideas go')
    langs = load_templates(templates_copy).meta.languages
    assert written == [templates_copy / "replies.yaml"] + [templates_copy / lang / "idea.yaml" for lang in langs]
    replies_after = (templates_copy / "replies.yaml").read_text(encoding="utf-8")
    assert replies_after.startswith(replies_before)  # appended: comments and layout kept
    assert "idea/roadmap" in (templates_copy / "ru" / "idea.yaml").read_text(encoding="utf-8")

    kit = ReplyKit.load(templates=templates_copy)  # the pack still loads
    stubs = {t.lang: t for t in kit.templates() if t.id == "idea/roadmap"}
    assert set(stubs) == set(langs)
    assert all(t.approved_by is None and t.visibility == "public" for t in stubs.values())  # lint: unapproved
    assert {t.status for t in stubs.values()} == {"unapproved"}
    with pytest.raises(UnknownTemplateError, match="not approved"):  # a stub is never served ...
        kit.render("idea/roadmap", "da", samples=True)
    text = kit.render("idea/roadmap", "da", samples=True, include_drafts=True)  # ... unless drafts are asked for
    assert "TODO" in text and text != "TODO"


def test_new_reply_keeps_other_variants(templates_copy):
    before = {(t.id, t.lang) for t in ReplyKit.load(templates=templates_copy).templates()}
    new_reply(templates_copy, "praise/short", "any")
    after = {(t.id, t.lang) for t in ReplyKit.load(templates=templates_copy).templates()}
    assert before < after and {i for i, _ in after - before} == {"praise/short"}


@pytest.mark.parametrize("reply_id, why", [
    ("nosuch/thing", "inquiry type"),
    ("outage", "<inquiry_type>/<name>"),
    ("outage/Not Valid", "<inquiry_type>/<name>"),
])
def test_new_reply_refuses_bad_ids(templates_copy, reply_id, why):
    with pytest.raises(PackError, match=re.escape(why)):
        new_reply(templates_copy, reply_id, "public")


def test_new_reply_refuses_duplicate_and_leaves_pack_alone(templates_copy):
    existing = next(iter(load_templates(templates_copy).replies))
    files = sorted(templates_copy.rglob("*.yaml"))
    before = {p: p.read_bytes() for p in files}
    with pytest.raises(PackError, match="already exists"):
        new_reply(templates_copy, existing, "public")
    with pytest.raises(PackError, match="visibility"):
        new_reply(templates_copy, "outage/new", "secret")
    assert sorted(templates_copy.rglob("*.yaml")) == files
    assert all(p.read_bytes() == data for p, data in before.items())
