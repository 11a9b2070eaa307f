"""The feedback store (issue #13): recording through the API, masking, schema migration,
concurrent writers, retention, stats, export as labelled data, the pick-rate prior."""
from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

from replykit import InputError, ReplyKit
from replykit.feedback import open_store
from replykit.feedback.export import export_records, write_export
from replykit.feedback.masking import Masker
from replykit.feedback.migrations import LATEST
from replykit.feedback.prior import MAX_SHIFT, PickPrior, pick_prior
from replykit.feedback.recorder import FeedbackLog
from replykit.feedback.sqlite import SqliteStore
from replykit.feedback.store import DAY, FeedbackRow, ItemRow, ResultRow
from replykit.learn.data import load_labelled

POST = "Mit net er nede igen!! Hele vejen er uden internet"
NAMES = {"customer_name": "Peter Hansen", "agent_name": "Sofie"}
DRAFT = ("Hej Peter. Dit CPR-nummer 120385-1234 står på sagen. Ring til mig på 22 33 44 55 "
         "eller skriv til peter.hansen@gmail.com. Jeg har nu bestilt en tekniker til dig. Hilsen Sofie")


@pytest.fixture(scope="module")
def fb_kit(tmp_path_factory) -> ReplyKit:
    return ReplyKit.load(feedback=tmp_path_factory.mktemp("fb") / "feedback.db")


@pytest.fixture
def log(kit, tmp_path) -> FeedbackLog:
    return FeedbackLog(open_store(tmp_path / "fb.db"), lambda: kit._loaded.rules)


def test_without_a_store_results_carry_no_result_id_and_stay_the_same(kit, monkeypatch):
    monkeypatch.delenv("REPLYKIT_FEEDBACK_DB", raising=False)
    a, b = kit.suggest(POST, variables=NAMES), kit.suggest(POST, variables=NAMES)
    assert a.result_id is None and a.model_dump() == b.model_dump()
    c = kit.check(DRAFT, lang="da", channel="facebook")
    assert c.result_id is None and "result_id" in c.model_dump()


def test_results_get_fresh_ids_and_the_id_stays_the_callers(fb_kit):
    a = fb_kit.suggest(POST, variables=NAMES, id="ticket-7")
    b = fb_kit.suggest(POST, variables=NAMES, id="ticket-7")
    assert a.id == b.id == "ticket-7"
    assert a.result_id and b.result_id and a.result_id != b.result_id and len(a.result_id) == 32
    c = fb_kit.check(DRAFT, lang="da", channel="facebook", **NAMES)
    assert c.result_id and fb_kit.feedback.store.result(c.result_id)[0].kind == "check"


def test_each_kind_of_feedback_through_the_api_and_its_stats(fb_kit):
    store_before = fb_kit.feedback.stats()
    s = fb_kit.suggest(POST, channel="facebook", variables=NAMES)
    chosen = s.suggestions[0]
    sent = chosen.text.replace("Tak fordi du siger til", "Tak for beskeden")
    got = fb_kit.feedback.pick(s.result_id, chosen.template_id, sent=sent, agent="a1", team="care",
                               variables=NAMES)
    assert got["kind"] == "pick" and 0 < got["edit_distance"] < 0.3
    fb_kit.feedback.wrong_type(s.result_id, "technical_issue", agent="a1")
    c = fb_kit.check(DRAFT, lang="da", channel="facebook", **NAMES)
    rule = next(f.rule_id for f in c.findings if f.category == "forbidden.public_order")
    fb_kit.feedback.dismiss(c.result_id, rule, reason="ordren er bekræftet i DM", agent="a2")
    fb_kit.feedback.missed(c.result_id, "tone.too_casual", quote="Ring til mig", agent="a2")

    stats = fb_kit.feedback.stats()
    assert stats.feedback["pick"] == store_before.feedback.get("pick", 0) + 1
    rule_row = next(r for r in stats.rules if r.rule_id == rule)
    assert rule_row.dismissed >= 1 and rule_row.fired >= rule_row.dismissed
    assert rule_row.dismissal_rate == round(rule_row.dismissed / rule_row.fired, 4)
    reply = next(r for r in stats.replies if r.template_id == chosen.template_id)
    assert reply.picked >= 1 and reply.suggested >= reply.picked and reply.mean_edit_distance is not None
    outage = next(t for t in stats.inquiry_types if t.inquiry_type == "outage")
    assert outage.wrong_type >= 1 and outage.corrected_to.get("technical_issue", 0) >= 1
    assert stats.missed.get("tone.too_casual", 0) >= 1


@pytest.mark.parametrize("call, message", [
    (lambda fb, s, c: fb.pick("no-such-id", "da/outage/public"), "no stored result"),
    (lambda fb, s, c: fb.pick(c, "da/outage/public"), "is a check result"),
    (lambda fb, s, c: fb.pick(s, "da/praise/public"), "was not suggested"),
    (lambda fb, s, c: fb.dismiss(c, "da.no.such.rule"), "found nothing"),
    (lambda fb, s, c: fb.missed(c, "forbidden.nonsense"), "unknown category"),
    (lambda fb, s, c: fb.missed(c, "tone.too_casual", quote="words nobody wrote"), "not in the checked draft"),
    (lambda fb, s, c: fb.wrong_type(s, "weather"), "unknown inquiry type"),
    (lambda fb, s, c: fb.dismiss(s, "x"), "is a suggest result"),
])
def test_bad_feedback_is_a_one_line_input_error(fb_kit, call, message):
    s = fb_kit.suggest(POST, variables=NAMES).result_id
    c = fb_kit.check(DRAFT, lang="da", channel="facebook", **NAMES).result_id
    with pytest.raises(InputError, match=message) as err:
        call(fb_kit.feedback, s, c)
    assert "\n" not in str(err.value)


def test_privacy_no_personal_data_in_the_database_files(tmp_path):
    db = tmp_path / "private.db"
    kit = ReplyKit.load(feedback=db)
    c = kit.check(DRAFT, lang="da", channel="facebook", **NAMES)
    s = kit.suggest("Jeg hedder Peter Hansen, CPR 120385-1234, tlf 22 33 44 55, peter.hansen@gmail.com. "
                    "Mit net er nede på Birkevej 7, 8210 Aarhus V", variables=NAMES)
    kit.feedback.pick(s.result_id, s.suggestions[0].template_id, variables=NAMES,
                      sent="Hej Peter Hansen, vi ringer på 22 33 44 55. Hilsen Sofie")
    kit.feedback.dismiss(c.result_id, c.findings[0].rule_id, reason="kunden gav selv 120385-1234 og 22334455")
    kit.feedback.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("private.db"))
    for secret in ("120385-1234", "1203851234", "22 33 44 55", "22334455", "peter.hansen@gmail.com",
                   "gmail.com", "Peter", "Hansen", "Sofie", "Birkevej 7"):
        assert secret.encode() not in raw, secret
    assert b"[cpr]" in raw and b"[email]" in raw and b"[name]" in raw and b"[phone]" in raw
    assert b"[address]" in raw


def test_masked_offsets_follow_the_replacements(kit):
    masker = Masker(lambda: kit._loaded.rules)
    text = "Hej Peter, ring 22 33 44 55 nu. Tak"
    masked = masker.mask(text, "da", {"customer_name": "Peter"})
    assert masked.text == "Hej [name], ring [phone] nu. Tak"
    start = text.index("nu")
    assert masked.text[slice(*masked.span(start, start + 2))] == "nu"
    s, e = masked.span(text.index("33"), text.index("33") + 2)  # inside a number: the whole placeholder
    assert masked.text[s:e] == "[phone]"


def test_migration_from_schema_version_1(tmp_path):
    db = tmp_path / "old.db"
    old = SqliteStore(db, migrate_to=1)
    assert old.schema_version() == 1
    con = sqlite3.connect(db)
    assert "team" not in {row[1] for row in con.execute("PRAGMA table_info(feedback)")}
    con.execute("INSERT INTO results (result_id, kind, created, lang, channel, inquiry_type, text) "
                "VALUES ('r1', 'suggest', ?, 'da', NULL, 'outage', 'Mit net er nede')", (time.time(),))
    con.execute("INSERT INTO result_items (result_id, item, position, ref, inquiry_type, text) "
                "VALUES ('r1', 'suggestion', 0, 'da/outage/public', 'outage', 'Hej [name].')")
    con.execute("INSERT INTO feedback (result_id, kind, created, day, agent, ref, inquiry_type) "
                "VALUES ('r1', 'pick', ?, 1, 'a1', 'da/outage/public', 'outage')", (time.time(),))
    con.commit()
    con.close()
    old.close()

    new = SqliteStore(db)
    assert new.schema_version() == LATEST == 2
    assert new.result("r1")[0].text == "Mit net er nede"
    new.add_feedback(FeedbackRow("r1", "pick", time.time(), agent="a2", team="care", ref="da/outage/public"))
    assert [r.team for r in new.feedback_rows(["pick"])] == [None, "care"]
    indexes = {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "feedback_result" in indexes
    assert SqliteStore(db).schema_version() == 2  # opening again changes nothing


def test_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "new.db"
    SqliteStore(db).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    with pytest.raises(InputError, match="schema version 99"):
        SqliteStore(db)


def _writer(db: str, worker: int, n: int) -> None:
    store = SqliteStore(db)
    for i in range(n):
        rid = f"w{worker}-{i}"
        store.add_result(ResultRow(rid, "suggest", time.time(), "da", None, "outage", "post"),
                         [ItemRow(rid, "suggestion", 0, "da/outage/public", inquiry_type="outage", text="t")])
        store.add_feedback(FeedbackRow(rid, "pick", time.time(), agent=f"a{worker}", ref="da/outage/public"))


def test_four_processes_writing_at_once_lose_nothing(tmp_path):
    db = str(tmp_path / "busy.db")
    SqliteStore(db).close()
    n = 150
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db, w, n)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = SqliteStore(db)
    assert store.query("SELECT COUNT(*) FROM results")[0][0] == 4 * n
    assert store.query("SELECT COUNT(*) FROM result_items")[0][0] == 4 * n
    assert store.query("SELECT COUNT(*) FROM feedback")[0][0] == 4 * n
    assert store.query("SELECT COUNT(DISTINCT result_id) FROM feedback")[0][0] == 4 * n
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"


def test_retention_and_purge(kit, tmp_path):
    now = [time.time()]
    log = FeedbackLog(open_store(tmp_path / "r.db"), lambda: kit._loaded.rules, retention_days=90,
                      clock=lambda: now[0])
    old = kit.suggest(POST)
    log.record_suggest(old, POST, None)
    now[0] += 60 * DAY
    recent = log.record_suggest(kit.suggest(POST), POST, None)
    log.wrong_type(recent.result_id, "technical_issue")
    now[0] += 40 * DAY  # the first is now 100 days old, the second 40
    assert log.purge() == {"results": 1, "feedback": 0}
    assert log.store.result(recent.result_id) is not None
    assert log.purge(days=30) == {"results": 1, "feedback": 1}
    log.record_suggest(kit.suggest(POST), POST, None)
    assert log.purge(everything=True)["results"] == 1
    assert log.store.query("SELECT COUNT(*) FROM results")[0][0] == 0


def test_retention_applies_when_a_store_is_opened(kit, tmp_path):
    store = open_store(tmp_path / "o.db")
    store.add_result(ResultRow("ancient", "suggest", time.time() - 91 * DAY, "da", None, "outage", "x"), [])
    store.add_result(ResultRow("fresh", "suggest", time.time() - 89 * DAY, "da", None, "outage", "x"), [])
    FeedbackLog(store, lambda: kit._loaded.rules)
    assert [r[0] for r in store.query("SELECT result_id FROM results")] == ["fresh"]


def _seed(store, picks: dict[str, list[str | None]], shown: dict[str, int], day: float) -> None:
    """`shown[template]` suggest results of type outage; picks[template]: the agent of each pick."""
    n = 0
    for template, times in shown.items():
        for _ in range(times):
            rid = f"{template}-{n}"
            n += 1
            store.add_result(ResultRow(rid, "suggest", day, "da", None, "outage", "x"),
                             [ItemRow(rid, "suggestion", 0, template, inquiry_type="outage", text="t")])
    for template, agents in picks.items():
        for agent in agents:
            store.add_feedback(FeedbackRow(f"{template}-0", "pick", day, agent=agent, ref=template))


def test_prior_is_bounded_and_caps_one_busy_agent(tmp_path):
    store = open_store(tmp_path / "p.db")
    now = time.time()
    _seed(store, {"da/outage/public": ["a1"] * 40, "da/outage/private": ["a2", "a3", "a4", "a5"]},
          {"da/outage/public": 40, "da/outage/private": 40}, now)
    table = pick_prior(store)
    assert all(-MAX_SHIFT <= v <= MAX_SHIFT for v in table.values())
    # 40 picks by one agent on one day count as 5, barely more than four agents picking once each
    assert table["da/outage/public"] > table["da/outage/private"]
    uncapped = pick_prior(store, per_agent_day=1000)
    assert uncapped["da/outage/public"] - uncapped["da/outage/private"] > \
        table["da/outage/public"] - table["da/outage/private"]


def test_prior_moves_replies_within_a_type_only(kit, tmp_path):
    plain = kit.suggest(POST, lang="da", top=5)
    fb = ReplyKit.load(feedback=tmp_path / "prior.db")
    first, second = plain.suggestions[0], plain.suggestions[1]
    assert first.inquiry_type == second.inquiry_type == "outage"
    agents = [f"agent{i}" for i in range(30)]
    _seed(fb.feedback.store, {second.template_id: agents}, {first.template_id: 30, second.template_id: 30},
          time.time())
    fb.feedback.prior.invalidate()
    got = fb.suggest(POST, lang="da", top=5)
    by_id = {s.template_id: s.score for s in got.suggestions}
    assert abs(by_id[second.template_id] - second.score - MAX_SHIFT) < 0.011
    assert abs(by_id[first.template_id] - first.score + MAX_SHIFT) < 0.011
    assert [s.inquiry_type for s in got.suggestions] == [s.inquiry_type for s in plain.suggestions]
    assert got.candidates == plain.candidates


def test_prior_is_recomputed_at_most_once_a_minute(tmp_path):
    store = open_store(tmp_path / "t.db")
    prior = PickPrior(store, refresh_s=60)
    assert prior.table() == {}
    _seed(store, {"da/outage/public": ["a"]}, {"da/outage/public": 2, "da/outage/private": 2}, time.time())
    assert prior.table() == {}  # still the table of a moment ago
    prior.invalidate()
    assert "da/outage/public" in prior.table()


def test_export_is_the_packs_labelled_data(fb_kit, tmp_path):
    s = fb_kit.suggest("Min regning er alt for høj denne måned, hvorfor?", lang="da", variables=NAMES)
    fb_kit.feedback.pick(s.result_id, s.suggestions[0].template_id)
    w = fb_kit.suggest(POST, lang="da", variables=NAMES)
    fb_kit.feedback.wrong_type(w.result_id, "technical_issue")
    c = fb_kit.check(DRAFT, lang="da", channel="facebook", **NAMES)
    fb_kit.feedback.missed(c.result_id, "tone.too_casual", quote="Ring til mig")
    clean_draft = "Hej Peter. Jeg har nu bestilt en tekniker til dig. Tak for din tålmodighed. Hilsen Sofie"
    d = fb_kit.check(clean_draft, lang="da", channel="facebook", **NAMES)
    for rule in {f.rule_id for f in d.findings}:
        fb_kit.feedback.dismiss(d.result_id, rule)

    records = export_records(fb_kit.feedback.store, "da")
    posts = {r.id: r for r in records[("da", "posts")]}
    assert posts[f"fb-{w.result_id[:16]}-p"].type == "technical_issue"
    assert posts[f"fb-{s.result_id[:16]}-p"].type == s.suggestions[0].inquiry_type
    draft = next(r for r in records[("da", "drafts")] if r.id == f"fb-{c.result_id[:16]}-d")
    assert "tone.too_casual" in draft.expect and "forbidden.personal_data" in draft.expect
    assert draft.spans[0].quote == "Ring til mig" and "[cpr]" in draft.draft and "120385" not in draft.draft
    if d.findings:
        clean = [r for r in records[("da", "clean")] if r.id.startswith(f"fb-{d.result_id[:16]}")]
        assert clean and all("[name]" in r.text or r.text in clean_draft for r in clean)

    written = write_export(fb_kit.feedback.store, tmp_path / "templates")
    assert written and all(p.name.startswith("feedback-") for p, _ in written)
    labelled = load_labelled(tmp_path / "templates" / "da", "da")  # the pack's own reader validates every line
    assert len(labelled.posts) >= 2 and len(labelled.drafts) >= 1
    for path, n in written:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == n and all(json.loads(line)["writer"] == "feedback" for line in lines)


def test_dismissed_false_alarm_exports_only_sentences_without_standing_findings(log):
    rid = "r-clean"
    log.store.add_result(ResultRow(rid, "check", time.time(), "da", "facebook", "outage",
                                   "Hej [name]. Vi sender en tekniker i dag. Ring til [phone]. Hilsen [name]"), [
        ItemRow(rid, "finding", 0, "da.forbidden.public_order", "forbidden.public_order", severity="error",
                span_start=13, span_end=38),
        ItemRow(rid, "finding", 1, "common.pii.contact", "forbidden.personal_data", severity="error",
                span_start=50, span_end=57)])
    log.dismiss(rid, "da.forbidden.public_order")
    clean = export_records(log.store, "da")[("da", "clean")]
    assert [r.text for r in clean] == ["Vi sender en tekniker i dag."]


def test_feedback_section_of_the_report(fb_kit):
    from replykit.feedback.report_section import feedback_section

    fb_kit.suggest(POST, variables=NAMES)
    html = feedback_section(fb_kit.feedback.store)
    assert html.startswith('<section id="feedback">') and "da/outage/public" in html
    assert "Peter" not in html and "Sofie" not in html  # figures only, never stored text


@pytest.mark.slow  # builds the whole pack report (lint of every rule and template)
def test_report_hook_adds_the_feedback_section(fb_kit):
    from replykit.report import build_report

    html = build_report(None, None, feedback=fb_kit.feedback.store)
    assert html.count('<section id="feedback">') == 1 and html.index('id="texts"') < html.index('id="feedback"')


def test_store_path_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        open_store(tmp_path / "missing" / "fb.db")
    with pytest.raises(InputError, match="empty"):
        open_store("  ")


def test_environment_variable_configures_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLYKIT_FEEDBACK_DB", str(tmp_path / "env.db"))
    kit = ReplyKit.load()
    assert kit.suggest(POST).result_id
    assert Path(tmp_path / "env.db").exists()


def test_rendered_replies_are_masked_by_what_came_in_through_variables(kit):
    masker = Masker(lambda: kit._loaded.rules)
    text = "Hej Peter. Ring til os på 70 10 20 30 kl. 8-20. Hilsen Sofie"
    masked = masker.mask_rendered(text, "da", NAMES).text
    assert masked == "Hej [name]. Ring til os på 70 10 20 30 kl. 8-20. Hilsen [name]"  # the approved text stays
    with_phone = masker.mask_rendered("Vi ringer på 22 33 44 55. Hilsen Sofie", "da",
                                      {**NAMES, "callback_number": "22 33 44 55"})
    assert with_phone.text == "Vi ringer på [phone]. Hilsen [name]"
