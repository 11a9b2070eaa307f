"""Robustness, security and privacy: fuzzing, ReDoS, threads, logging, network."""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replykit import InputError, PackError, RenderError, ReplyKit
from replykit.check.engine import verdict

DATA = Path(__file__).parent / "data"
# REPLYKIT_FUZZ_EXAMPLES=5000 for a long run; CI uses the default.
FUZZ = settings(max_examples=int(os.environ.get("REPLYKIT_FUZZ_EXAMPLES", "120")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that stresses normalisation: controls, surrogates (escaped), RTL and
# zero-width marks, combining characters, look-alikes, digits of all scripts.
tricky = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("\u200b\u200d\u202e\u2066\u0301\u0336\ufeff\u00ad\x00\x1b\n\t аоеАОЕaoeAOE0123456789!?😂🙂")),
), max_size=400)


@FUZZ
@given(draft=tricky, channel=st.sampled_from(["facebook", "twitter", "dm", None]),
       lang=st.sampled_from(["da", "no", "nl", "ru", None]))
def test_check_never_raises_and_spans_are_exact(kit, draft, channel, lang):
    result = kit.check(draft, lang=lang, channel=channel, customer_name="Bo", agent_name="Line", inquiry=draft[:50])
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(draft)
    assert result.verdict == verdict(result.findings)
    assert all(0 <= v <= 1 for v in result.scores.values())
    assert kit.check(draft, lang=lang, channel=channel, customer_name="Bo", agent_name="Line",
                     inquiry=draft[:50]) == result  # deterministic


@FUZZ
@given(text=tricky, channel=st.sampled_from(["facebook", "dm", None]))
def test_suggest_never_raises(kit, text, channel):
    variables = {"customer_name": text[:20], "agent_name": "Line"}
    if _refused_name(kit, text[:20]):
        variables.pop("customer_name")  # a name that may not be printed is refused in one line (test_variables.py)
    result = kit.suggest(text, channel=channel, variables=variables)
    scores = [c.score for c in result.candidates]
    assert scores and scores == sorted(scores, reverse=True) and sum(scores) <= 1.001
    assert all(0 <= s <= 1 for s in scores)
    assert kit.suggest(text, channel=channel, variables=variables) == result


def _refused_name(kit, value) -> bool:  # noqa: ANN001
    try:
        kit.render("praise/public", lang="no", variables={"customer_name": value, "agent_name": "Ola"})
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("variable customer_name: ")
        return True
    return False


@FUZZ
@given(value=tricky)
def test_render_keeps_any_value_literal(kit, value):
    # Either printed as data, or refused in one line (line breaks, contact data, links: test_variables.py).
    if not _refused_name(kit, value):
        text = kit.render("praise/public", lang="no", variables={"customer_name": value, "agent_name": "Ola"})
        assert "Ola" in text


@FUZZ
@given(draft=st.text(alphabet="0123456789 -.\u200b\n", min_size=1, max_size=40))
def test_digit_soup_is_handled(kit, draft):
    result = kit.check("Hej Bo, " + draft + " Hilsen Line", lang="da", channel="facebook")
    assert result.verdict in ("ok", "revise", "blocked")


def test_long_inputs(kit):
    big = ("Hej Bo, ring på 22 33 44 55. " * 3000)[:99_000]
    result = kit.check(big, lang="da", channel="facebook")
    assert result.verdict == "blocked"
    assert kit.suggest("Internettet er nede " * 4000, lang="da").inquiry_type == "outage"


def test_input_over_the_limit_is_refused_before_any_work():
    kit = ReplyKit.load(max_chars=1_000)
    with pytest.raises(InputError, match="limit is 1000"):
        kit.check("x" * 10_000_000)


def test_fuzz_regressions(kit):
    """Every input that once crashed replykit stays in this corpus."""
    for line in (DATA / "fuzz_regressions.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        kit.check(case["text"], lang=case.get("lang"), channel=case.get("channel"))
        kit.suggest(case["text"])


# ------------------------------------------------------------------ ReDoS


def test_catastrophic_pattern_is_refused_when_the_pack_is_read(pack_copy):
    """Judged by structure (check/redos.py), not by a timeout whose verdict depended on machine load."""
    (pack_copy / "rules" / "brand").mkdir()
    path = pack_copy / "rules" / "brand" / "evil.yaml"
    path.write_text(yaml.safe_dump({
        "id": "brand.confidential.evil", "kind": "existence", "category": "forbidden.confidential",
        "message": "m", "description": "a pattern that backtracks catastrophically on long runs of a",
        "patterns": ["(a+)+$"], "examples": {"bad": ["aaa"], "good": ["b"]},
    }), encoding="utf-8")
    with pytest.raises(PackError) as err:
        ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    assert str(path) in str(err.value) and "nested-quantifier" in str(err.value)


# ---------------------------------------------------------------- evasion


EVASION = yaml.safe_load((DATA / "evasion.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", EVASION, ids=[c["id"] for c in EVASION])
def test_evasion_corpus(kit, case):
    result = kit.check(case["draft"], lang=case["lang"], channel=case.get("channel", "facebook"))
    found = [f for f in result.findings if f.category == case["category"]]
    assert found, f"{case['id']}: not caught"
    assert any(case["span"] in case["draft"][f.start:f.end] or case["draft"][f.start:f.end] in case["span"]
               for f in found), [case["draft"][f.start:f.end] for f in found]
    assert result.verdict == "blocked"


# ---------------------------------------------------------------- threads


def test_threads_share_one_kit_and_get_sequential_results(kit):
    posts = yaml.safe_load((DATA / "posts.yaml").read_text(encoding="utf-8"))
    jobs = []
    for lang, items in posts.items():
        for text in items.values():
            jobs.append(("suggest", text, lang))
            jobs.append(("check", f"Hej Bo, {text} Ring på 22 33 44 55. Hilsen Line", lang))

    def run(job):
        kind, text, lang = job
        if kind == "suggest":
            return kit.suggest(text, channel="facebook", variables={"agent_name": "Line"})
        return kit.check(text, lang=lang, channel="facebook", agent_name="Line")

    sequential = [run(j) for j in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(run, jobs)) == sequential


def test_reload_while_serving(pack_copy):
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    stop = threading.Event()
    errors: list[BaseException] = []

    def serve():
        while not stop.is_set():
            try:
                kit.suggest("Nettet er nede i hele Bergen", lang="no")
                kit.check("Hei Kari, vi ser på det. Hilsen Ola", lang="no", channel="dm")
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=serve) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(3):
        kit.reload()
    stop.set()
    for t in threads:
        t.join()
    assert not errors


# ---------------------------------------------------------------- privacy


def test_no_draft_or_post_text_in_logs_above_debug(kit, caplog, grammar_kit):
    marker = "Zebrafinke-4711"
    caplog.set_level(logging.DEBUG)
    kit.suggest(f"Mit net er nede {marker}", channel="facebook")
    kit.check(f"Hej Bo, {marker} ring på 22 33 44 55. Hilsen Line", lang="da", channel="facebook")
    down = ReplyKit.load(languagetool_url="http://127.0.0.1:9")
    down.check(f"Hej Bo, {marker}. Hilsen Line", lang="da", channel="dm")
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not any(marker in m for m in loud)


def test_no_network_connection_without_a_languagetool_server(kit, monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def guard(self, address):
        attempts.append(address)
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket.socket, "connect_ex", guard)
    kit.suggest("Mit net er nede igen", channel="facebook")
    kit.suggest("Hello, is anybody there?")
    kit.check("Hej Bo, tak for for din besked. Hilsen Line", lang="da", channel="dm")
    kit.templates()
    kit.render("outage/public", lang="da", samples=True)
    assert attempts == []
    monkeypatch.setattr(socket.socket, "connect", real_connect)


def test_drafts_go_only_to_the_configured_languagetool(grammar_kit, languagetool_url, monkeypatch):
    seen = []
    real_connect = socket.socket.connect

    def record(self, address):
        seen.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    grammar_kit.check("Hej Bo, tak for for din besked. Hilsen Line", lang="da", channel="dm")
    port = int(languagetool_url.rsplit(":", 1)[1])
    assert seen and all(addr[1] == port and addr[0] in ("127.0.0.1", "::1") for addr in seen)


def test_sandbox_error_type(kit):
    with pytest.raises(RenderError):
        from replykit.render import render_template

        render_template("{{ ''.__class__.__mro__ }}", {}, "t")
