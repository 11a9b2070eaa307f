"""The report a brand's PR staff read, opened in headless Chromium.

A brand pack (Danish and Russian) in its own git repository: an approved Danish text with a
promise and "!!!" in it, a Russian stub, an approved text edited afterwards, a review due soon.
The page must show the problem marked inside the text (with the finding as its title), one row
per problem with its channels, the stub in the coverage matrix, the changed text, the review,
the pack's git commit, and the rules with their examples in the brand's own name.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest

from replykit.report import build_report

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 6)
BAD = "Vi laver planlagt arbejde i nat!!! Du får selvfølgelig en gratis måned. Følg med på {{ status_url }}."


def _cli(*args: str, cwd: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "replykit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "PR", "GIT_AUTHOR_EMAIL": "pr@example.com", "GIT_COMMITTER_NAME": "PR",
           "GIT_COMMITTER_EMAIL": "pr@example.com", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("report-brand")
    _cli("init", "acme", "--brand", "Acme", "--languages", "da,ru", cwd=tmp)
    brand = tmp / "acme"
    config = brand / "replykit.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("fibra.dk", "acme.dk"), encoding="utf-8")
    _cli("new", "outage/planned_work", "--visibility", "public", cwd=brand)  # stubs in da and ru
    da = brand / "templates" / "da" / "outage.yaml"
    da.write_text(da.read_text(encoding="utf-8").replace("TODO: write this reply in da.", BAD), encoding="utf-8")
    _cli("approve", "outage/planned_work", "--lang", "da", "--by", "Karin Dahl (PR)", "--on", "2026-12-01",
         "--review-by", "2026-12-20", cwd=brand)
    # A bundled text approved by the brand, then edited: it needs re-approval.
    _cli("approve", "billing/public", "--lang", "da", "--by", "Karin Dahl (PR)", "--on", "2026-12-01", cwd=brand)
    billing = brand / "templates" / "da" / "billing.yaml"
    text = billing.read_text(encoding="utf-8")
    billing.write_text(text.replace("approved:", "body: \"{{ greeting }} Se din regning på {{ prices_url }}. "
                                    "{{ signature }}\"\n    approved:", 1), encoding="utf-8")
    commit = None
    if shutil.which("git"):
        _git("init", "-q", cwd=brand)
        _git("add", "-A", cwd=brand)
        _git("commit", "-qm", "start", cwd=brand)
        commit = _git("rev-parse", "--short=12", "HEAD", cwd=brand).strip()
    return {"html": build_report(brand, None, today=TODAY), "brand": brand, "commit": commit}


def test_problem_is_marked_inside_the_text(acme):
    html = acme["html"]
    marks = re.findall(r'<mark class="problem" title="([^"]*)">([^<]*)</mark>', html)
    promise = [(t, m) for t, m in marks if "forbidden.unauthorized_promise" in t]
    assert promise and "gratis" in promise[0][1]
    assert "facebook, twitter" in promise[0][0]
    assert any(m == "!!!" for _, m in marks)


def test_one_row_per_problem_with_its_channels(acme):
    rows = re.findall(r'<tr class="error"><td><code>template-check</code></td>.*?</tr>', acme["html"])
    promise = [r for r in rows if "da/outage/planned_work" in r and "unauthorized_promise" in r]
    assert len(promise) == 1, promise  # not once per channel
    assert '<td class="channels">facebook, twitter</td>' in promise[0]
    findings = acme["html"][acme["html"].index('<section id="findings">'):]
    findings = findings[:findings.index("</section>")]
    errors = re.search(r"<b>(\d+)</b>lint errors", acme["html"])
    assert errors and int(errors.group(1)) == findings.count('<tr class="error">')  # the summary counts rows


def test_stub_and_reapproval_are_marked_in_the_matrix(acme):
    html = acme["html"]
    cell = re.search(r'<td class="ok flagged" data-type="outage" data-lang="ru" data-visibility="public"[^>]*>'
                     r"(.*?)</td>", html)
    assert cell and 'class="flag stub"' in cell.group(1) and "1 stub" in cell.group(1)
    assert re.search(r'data-type="billing" data-lang="da" data-visibility="public"[^>]*>\d+ '
                     r'<span class="flag needs-reapproval"', html)


def test_changes_reviews_version_and_rules(acme):
    html = acme["html"]
    changes = html[html.index('<section id="changes">'):]
    changes = changes[:changes.index("</section>")]
    assert "da/billing/public" in changes and "da/outage/planned_work" not in changes
    reviews = html[html.index('<section id="reviews">'):]
    assert "da/outage/planned_work" in reviews[:reviews.index("</section>")] and "due in 14 days" in reviews
    if acme["commit"]:
        assert f"git {acme['commit']}" in html
    rules = html[html.index('<section id="rules">'):]
    contact = rules[rules.index('data-rule="common.pii.contact"'):]
    contact = contact[:contact.index("</details>")]
    assert escape("kundeservice@acme.dk") in contact and "fibra" not in contact.lower()


def test_a_pack_outside_git_says_so(tmp_path):
    from replykit.report_rules import pack_version

    assert pack_version(tmp_path) == "not in git"


@pytest.mark.browser
def test_brand_report_in_headless_chromium(acme, tmp_path, headless_chrome):
    page = tmp_path / "report.html"
    page.write_text(acme["html"], encoding="utf-8")
    from selenium.webdriver.common.by import By

    driver = headless_chrome(1400)
    driver.get(page.as_uri())
    assert "Acme" in driver.title
    text = driver.find_element(By.CSS_SELECTOR, 'td.text-cell[data-reply="outage/planned_work"][data-lang="da"]')
    mark = next(m for m in text.find_elements(By.CSS_SELECTOR, "mark.problem")
                if "unauthorized_promise" in m.get_attribute("title"))
    driver.execute_script("arguments[0].scrollIntoView()", mark)
    assert mark.is_displayed() and "gratis" in mark.text
    plain = text.find_element(By.CSS_SELECTOR, "p.text")
    assert mark.value_of_css_property("background-color") != plain.value_of_css_property("background-color")
    cell = driver.find_element(By.CSS_SELECTOR, 'td[data-type="outage"][data-lang="ru"][data-visibility="public"]')
    flag = cell.find_element(By.CSS_SELECTOR, ".flag.stub")
    driver.execute_script("arguments[0].scrollIntoView()", cell)
    assert flag.is_displayed() and flag.text == "1 stub"
    assert cell.text.split()[0] == "2"
