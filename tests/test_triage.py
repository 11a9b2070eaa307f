"""`triage` piece by piece: service levels, the troll rule and answer policy, personal data in a
post, places, rotating wordings, the pack format (wordings, `triage:`), the request model, the CLI
and the service router."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.compose import render_variant
from replykit.errors import InputError, PackError
from replykit.requests import parse_request
from replykit.triage import Triage
from replykit.triage.config import TriageConfig
from replykit.triage.service_levels import levels_for
from replykit.triage.storm_reply import approved_texts, first_name, storm_reply

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.timezone.utc)
H, M = dt.timedelta(hours=1), dt.timedelta(minutes=1)


def post(post_id: str, text: str, minute: float = 0, channel: str = "facebook", **extra) -> dict:
    return {"id": post_id, "time": (T0 + dt.timedelta(minutes=minute)).isoformat(), "channel": channel,
            "text": text, **extra}


def by_id(result) -> dict:
    return {it.id: it for it in result.items}


# ------------------------------------------------------------------ service levels


def test_service_levels_default_to_one_hour_and_a_day():
    assert levels_for(TriageConfig().service_levels, "facebook", "billing", []) == (H, 24 * H)


def test_most_specific_level_wins_and_escalations_only_tighten():
    config = TriageConfig.model_validate({"service_levels": {"default": {"first_response": "2h"}, "rules": [
        {"channel": "twitter", "first_response": "30m"},
        {"type": "outage", "first_response": "45m", "solution": "8h"},
        {"channel": "twitter", "type": "outage", "first_response": "20m"},
        {"escalation": "safety", "first_response": "10m"},
        {"escalation": "media", "first_response": "3h"},
    ]}}).service_levels
    assert levels_for(config, "facebook", "billing", []) == (2 * H, 24 * H)
    assert levels_for(config, "twitter", "billing", []) == (30 * M, 24 * H)
    assert levels_for(config, "facebook", "outage", []) == (45 * M, 8 * H)
    assert levels_for(config, "twitter", "outage", []) == (20 * M, 8 * H)
    assert levels_for(config, "twitter", "outage", ["safety"]) == (10 * M, 8 * H)
    assert levels_for(config, "twitter", "billing", ["media"]) == (30 * M, 24 * H)  # never looser


def test_durations_are_read_as_pr_staff_write_them():
    levels = TriageConfig.model_validate(
        {"service_levels": {"default": {"first_response": "1h30m", "solution": "PT36H"}}}).service_levels.default
    assert (levels.first_response, levels.solution) == (90 * M, 36 * H)
    with pytest.raises(ValueError):
        TriageConfig.model_validate({"service_levels": {"default": {"first_response": "soon"}}})


# ------------------------------------------------------------ trolls and policy


TROLLISH = "I er nogle SVINDLERE!!! Del det så alle ved det"  # emotional + spread: two signs


def test_two_troll_signs_are_not_a_troll_but_a_repeating_author_makes_three(kit):
    once = by_id(Triage(kit).run([post("a", TROLLISH, author="Kaj")], now=T0))["a"]
    assert "troll" not in once.escalation and once.answer == "always"
    posts = [post(f"p{i}", TROLLISH + "!" * i, minute=5 * i, author="Kaj") for i in range(3)]
    items = by_id(Triage(kit).run(posts, now=T0))
    assert "troll" not in items["p0"].escalation and "troll" not in items["p1"].escalation
    third = items["p2"]
    assert "troll" in third.escalation and third.answer == "one_offer" and third.route == "PR"
    assert "no debate" in third.answer_note


def test_court_threat_with_criminal_code_and_spread_is_a_troll_routed_to_legal_and_pr(kit):
    text = "I er SVINDLERE og BEDRAGERE!!! Del det! Jeg politianmelder jer efter straffeloven."
    item = Triage(kit).run([post("t", text, lang="da")], now=T0).items[0]
    assert item.escalation == ["legal", "troll"] and item.route == "legal" and item.also_notify == ["PR"]
    assert item.answer == "one_offer"  # the most restrictive policy of its escalations


def test_pack_policy_for_a_type_is_used(kit):
    config = TriageConfig.model_validate({"answer": {"types": {"praise": {"mode": "optional", "note": "Like it."}}}})
    item = Triage(kit, config).run([post("p", "Tusind tak for den hurtige hjælp i går, I er de bedste!")],
                                   now=T0).items[0]
    assert item.type == "praise" and (item.answer, item.answer_note) == ("optional", "Like it.")


def test_dropped_connection_in_danish_is_not_smoke(kit):
    for text in ("Nettet røg lige i hele Aarhus", "Min forbindelse ryger hver aften"):
        assert "safety" not in Triage(kit).run([post("x", text)], now=T0).items[0].escalation
    assert Triage(kit).run([post("y", "Der kommer røg ud af routeren")], now=T0).items[0].escalation == ["safety"]


# ----------------------------------------------------------------- personal data


@pytest.mark.parametrize("text, lang", [
    ("Ring til mig på 22 33 44 55, min regning er forkert", "da"),
    ("Skriv til peter.hansen@gmail.com om min ordre", "da"),
    ("Mitt fødselsnummer er 01010750160, hjelp meg med fakturaen", "no"),
    ("Ik woon op Kerkstraat 12 in Utrecht en mijn BSN is 111222333", "nl"),
])
def test_a_post_showing_personal_data_on_a_public_wall_is_flagged(kit, text, lang):
    item = Triage(kit).run([post("x", text, lang=lang)], now=T0).items[0]
    assert item.exposes_personal_data and item.answer_where == "private" and item.priority <= 2
    assert "private message" in item.answer_note


def test_the_same_post_in_a_private_message_exposes_nothing(kit):
    items = by_id(Triage(kit).run([post("dm", "Ring til mig på 22 33 44 55", channel="dm"),
                                   post("fb", "Ring til mig i morgen om min regning")], now=T0))
    assert not items["dm"].exposes_personal_data and items["dm"].answer_where == "private"
    assert not items["fb"].exposes_personal_data and items["fb"].answer_where == "public"


# ------------------------------------------------------------------ incidents


def test_two_towns_down_in_one_hour_are_two_incidents(kit):
    posts = []
    for i in range(12):
        posts.append(post(f"a{i}", f"Intet internet i {'Aarhus' if i % 2 else 'hele Aarhus'} siden kl 20. Er der fejl?",
                          minute=i * 3))
        posts.append(post(f"o{i}", f"Intet internet i {'Odense' if i % 2 else 'hele Odense'} siden kl 20. Er der fejl?",
                          minute=i * 3 + 1))
    result = Triage(kit).run(posts, now=T0, variables={"agent_name": "Sofie"})
    items = by_id(result)
    assert len({items[f"a{i}"].cluster for i in range(12)}) == 1
    assert len({items[f"o{i}"].cluster for i in range(12)}) == 1
    assert items["a0"].cluster != items["o0"].cluster
    assert sorted(s.area for s in result.storms) == ["Aarhus", "Odense"]


def test_posts_outside_the_window_start_a_new_incident(kit):
    posts = [post(f"e{i}", "Nettet er nede i Aarhus, er der fejl?", minute=i) for i in range(3)]
    posts += [post(f"l{i}", "Nettet er nede i Aarhus, er der fejl?", minute=200 + i) for i in range(3)]
    items = by_id(Triage(kit).run(posts, now=T0))
    assert items["e0"].cluster and items["l0"].cluster and items["e0"].cluster != items["l0"].cluster
    assert not items["e0"].storm  # 3 posts: under the pack's threshold of 10


def test_an_escalated_post_about_the_incident_stays_individual_but_related(kit):
    posts = [post(f"s{i}", "Intet internet i hele Aarhus. Hvornår virker det igen?", minute=i) for i in range(12)]
    posts.append(post("law", "Intet internet i hele Aarhus igen. Min advokat hører fra mig!", minute=13))
    items = by_id(Triage(kit).run(posts, now=T0, variables={"agent_name": "Sofie"}))
    law = items["law"]
    assert law.cluster is None and law.reply is None and "legal" in law.escalation
    assert law.related_cluster == items["s0"].cluster and items["s0"].storm


# ------------------------------------------------------------------- wordings


def test_wordings_rotate_through_the_approved_texts_only(kit):
    pack = kit._loaded.templates  # noqa: SLF001
    cv = pack.variants[("outage/public", "nl")]
    assert approved_texts(cv) == [0, 1, 2, 3]
    texts = [storm_reply(pack, cv, turn, "Jan de Vries", {"agent_name": "Ruud"}) for turn in range(5)]
    assert [r.wording for r in texts] == [0, 1, 2, 3, 0]
    assert len({r.text for r in texts[:4]}) == 4 and texts[4].text == texts[0].text
    assert all(r.text.startswith("Hoi Jan,") and r.text.endswith("Groet, Ruud") for r in texts)
    unapproved = cv.variant.wordings[1].model_copy(update={"approved": None})
    variant = cv.variant.model_copy(update={"wordings": [cv.variant.wordings[0], unapproved, cv.variant.wordings[2]]})
    partly = type(cv)(cv.reply, cv.lang, variant, cv.variables, cv.blocks, cv.source, cv.digest, cv.wording_digests)
    assert approved_texts(partly) == [0, 1, 3]


def test_incident_variables_fill_the_outage_reply_and_it_reads_as_before_without_them(kit):
    before = ("Hej. Tak fordi du siger til, og undskyld forstyrrelsen. Vi har en fejl i området, og vores teknikere "
              "arbejder på at løse den. Følg status og forventet løsning på fibra.dk/drift. Hilsen Sofie")
    assert kit.render("outage/public", lang="da", variables={"agent_name": "Sofie"}) == before
    text = kit.render("outage/public", lang="da", variables={"agent_name": "Sofie", "area": "Aarhus C",
                                                               "eta": "kl. 22", "incident_id": "D-4711"})
    assert "i Aarhus C" in text and "Forventet løsning: kl. 22." in text and "driftsmelding D-4711" in text
    pack = kit._loaded.templates  # noqa: SLF001
    for lang in ("da", "no", "nl", "ru"):
        cv = pack.variants[("outage/public", lang)]
        assert len(cv.variant.wordings) == 3 and all(w.approved and "(draft)" not in w.approved.by
                                                     for w in cv.variant.wordings)
        for wording in range(4):
            rendered = render_variant(pack, cv, {"agent_name": "A", "area": "Zeta", "eta": "ETA9",
                                                 "incident_id": "INC-1"}, wording=wording)
            assert all(v in rendered.text for v in ("Zeta", "ETA9", "INC-1")), (lang, wording)


def test_first_name_only_from_a_name():
    assert first_name("Peter Hansen") == "Peter" and first_name("Jan-Erik") == "Jan-Erik"
    assert first_name("@night_owl") is None and first_name("xXgamerXx") is None and first_name(None) is None


# ---------------------------------------------------------------- pack format


def test_a_wording_with_an_undeclared_variable_names_its_file_and_line(pack_copy):
    path = pack_copy / "templates" / "da" / "outage.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("Den seneste status{% if", "Den {{ secret }} status{% if")
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(PackError) as err:
        ReplyKit.load(pack_copy / "templates")
    assert "wordings.1" in str(err.value) and "secret" in str(err.value) and err.value.path == str(path)
    lines = edited.splitlines()  # the line of the wording's `body:` key, as for a variant's body
    assert lines[err.value.line - 1].strip() == "body: |" and "{{ secret }}" in lines[err.value.line + 1]


def test_a_typo_in_the_triage_section_is_a_pack_error(pack_copy):
    path = pack_copy / "templates" / "pack.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  default_team: webcare", "  default_teem: webcare"),
                    encoding="utf-8")
    with pytest.raises(PackError, match="default_teem"):
        ReplyKit.load(pack_copy / "templates")


def test_a_pack_without_a_triage_section_gets_the_defaults(pack_copy, kit):
    path = pack_copy / "templates" / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("\ntriage:")] + "\n", encoding="utf-8")
    bare = ReplyKit.load(pack_copy / "templates")
    item = Triage(bare).run([post("t", "Nettet er nede", channel="twitter")], now=T0).items[0]
    assert item.due_first_response - item.time == H and item.due_solution - item.time == 24 * H
    assert Triage(kit).run([post("t", "Nettet er nede", channel="twitter")], now=T0).items[0].due_first_response \
        - T0 == 30 * M


# ------------------------------------------------------------- requests and CLI


def test_triage_request_rejects_unknown_fields_and_bad_times():
    with pytest.raises(InputError, match="unknown field 'txt'"):
        parse_request("triage", {"id": "1", "time": "2026-12-05T20:00:00Z", "channel": "vk", "text": "x", "txt": "x"})
    with pytest.raises(InputError, match="'time'"):
        parse_request("triage", {"id": "1", "time": "yesterday", "channel": "vk", "text": "x"})


def test_bad_posts_are_reported_and_the_rest_triaged(kit):
    result = Triage(kit).run([post("ok", "Nettet er nede"), post("ok", "dublet"), post("ch", "x", channel="fax"),
                              {"id": "t", "time": "nope", "channel": "vk", "text": "x"}], now=T0)
    assert [it.id for it in result.items] == ["ok"]
    assert [e["id"] for e in result.errors] == ["ok", "ch", "t"]
    assert "duplicate id" in result.errors[0]["error"] and "unknown channel" in result.errors[1]["error"]


def _cli(*args: str, stdin: bytes):
    proc = subprocess.run([sys.executable, "-m", "replykit", "triage", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120, env={**os.environ, "COLUMNS": "200"})
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_cli_json_lines_in_queue_order_and_one_line_errors():
    lines = [post("1", "Hvorfor er min regning så høj?", minute=0),
             post("2", "Der kommer røg ud af routeren!", minute=5),
             post("3", "Nettet er nede i Aarhus", minute=1, channel="twitter")]
    stdin = ("\n".join(json.dumps(p) for p in lines) + "\nnot json\n").encode()
    code, out, err = _cli("--jsonl", "-", "--json", "--var", "agent_name=Sofie", "--now", "2026-12-05T20:10:00+00:00",
                          stdin=stdin)
    assert code == 2 and "Traceback" not in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r.get("id") for r in rows] == ["2", "3", "1", None]
    assert rows[0]["route"] == "safety" and rows[0]["due_first_response"] == "2026-12-05T20:20:00Z"
    assert {"id", "type", "lang", "escalation", "route", "answer", "priority", "due_first_response", "due_solution",
            "cluster", "storm", "exposes_personal_data"} <= set(rows[0])
    assert rows[-1] == {"id": None, "error": "line 4: not valid JSON"}


def test_cli_table_and_a_missing_file():
    code, out, err = _cli("--jsonl", "-", stdin=json.dumps(post("1", "Nettet er nede i Aarhus")).encode())
    assert code == 0 and "webcare" in out
    code, _, err = _cli("--jsonl", "/no/such/file.jsonl", stdin=b"")
    assert code == 2 and err.startswith("replykit: error: /no/such/file.jsonl: cannot read")


# -------------------------------------------------------------------- service


def _service_present() -> bool:
    """The service lives in another branch: this test runs once both are merged."""
    try:
        return (importlib.util.find_spec("replykit.service.routes.common") is not None
                and importlib.util.find_spec("httpx") is not None)
    except ModuleNotFoundError:
        return False


@pytest.mark.skipif(not _service_present(), reason="replykit.service (the service branch) or httpx not installed")
def test_post_v1_triage(kit, monkeypatch):
    import asyncio

    import httpx

    from replykit.service import app as service_app
    from replykit.service.auth import KeyRing
    from replykit.service.routes import triage as triage_routes
    from replykit.service.settings import ServiceSettings

    assert triage_routes.router in service_app.ROUTERS
    app = service_app.create_app(ServiceSettings(), kit=kit, keys=KeyRing(["k-3f9a"]))
    auth = {"Authorization": "Bearer k-3f9a"}
    body = {"posts": [post("1", "Nettet er nede i Aarhus"), post("2", "Der kommer røg ud af routeren!", minute=2),
                      {"id": "3", "time": "nope", "channel": "vk", "text": "x"}],
            "now": "2026-12-05T20:10:00+00:00", "variables": {"agent_name": "Sofie"}}

    async def run() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://replykit.test") as c:
            answer = await c.post("/v1/triage", json=body, headers=auth)
            assert answer.status_code == 200, answer.text
            result = answer.json()
            assert [it["id"] for it in result["items"]] == ["2", "1"]
            assert result["items"][0]["route"] == "safety" and result["errors"][0]["id"] == "3"
            bad = await c.post("/v1/triage", json={"posts": [], "post": []}, headers=auth)
            assert bad.status_code == 422 and bad.json() == {"error": "unknown field 'post'"}
            assert (await c.post("/v1/triage", json=body)).status_code == 401

    asyncio.run(run())


@pytest.mark.slow
def test_lint_checks_each_wording_like_a_reply(pack_copy):
    from replykit.lint import lint_pack

    path = pack_copy / "templates" / "nl" / "outage.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "De actuele stand van zaken"
    assert text.count(marker) == 1
    path.write_text(text.replace(marker, "Bel me op 06 12345678. De actuele stand van zaken"), encoding="utf-8")
    problems = lint_pack(pack_copy / "templates", pack_copy / "rules", langs=["nl"]).problems
    flagged = [p for p in problems if p.code == "template-check" and "forbidden.personal_data" in p.message]
    assert flagged and all(p.message.startswith("nl/outage/public wording 2 on ") for p in flagged)
    assert not [p for p in problems if p.code == "template-check" and "wording" not in p.message
                and "outage/public" in p.message]


def test_repeat_posts_count_only_within_the_window(kit):
    spaced = [post(f"p{i}", TROLLISH + "!" * i, minute=70 * i, author="Kaj") for i in range(3)]
    assert all("troll" not in it.escalation for it in Triage(kit).run(spaced, now=T0).items)
    others = [post(f"q{i}", TROLLISH + "!" * i, minute=i, author=f"Person {i}") for i in range(3)]
    assert all("troll" not in it.escalation for it in Triage(kit).run(others, now=T0).items)


def test_a_changed_wording_is_not_sent_until_approved_again(pack_copy):
    """Approvals bind to the exact text of each alternative wording too (issue #12): a storm never
    rotates a wording edited after its approval, and `approve --wording N` brings it back."""
    from replykit.approve import approve
    from replykit.lint import lint_pack
    from replykit.pack.templates import load_templates
    from replykit.triage.storm_reply import approved_texts

    templates = pack_copy / "templates"
    cv = load_templates(templates).variants[("outage/public", "da")]
    assert approved_texts(cv) == [0, 1, 2, 3]
    path = templates / "da" / "outage.yaml"
    second = cv.variant.wordings[1].body.splitlines()[1]
    path.write_text(path.read_text(encoding="utf-8").replace(second, second + " Vi giver dig en gratis måned.", 1),
                    encoding="utf-8")
    cv = load_templates(templates).variants[("outage/public", "da")]
    assert cv.wording_status(2) == "needs_reapproval" and approved_texts(cv) == [0, 1, 3]
    report = lint_pack(templates, pack_copy / "rules", langs=["da"], today=dt.date(2026, 12, 6))
    assert any(p.code == "needs-reapproval" and "wording 2" in p.message for p in report.problems)
    approve(templates, "outage/public", "da", "Mette Holm (PR)", wording=2)
    assert approved_texts(load_templates(templates).variants[("outage/public", "da")]) == [0, 1, 2, 3]
