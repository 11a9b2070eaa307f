"""The feedback endpoints (replykit/service/feedback_routes.py) over HTTP, with FastAPI's TestClient.

Skipped where the service's dependencies (FastAPI, httpx) are not installed; the
routes are mounted on a bare FastAPI app, as `replykit serve` mounts them.
"""
from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi", reason="the HTTP service (FastAPI) is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
feedback_routes = pytest.importorskip("replykit.service.feedback_routes", reason="replykit.service is absent")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from replykit import ReplyKit  # noqa: E402

NAMES = {"customer_name": "Peter", "agent_name": "Sofie"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    kit = ReplyKit.load(feedback=tmp_path_factory.mktemp("svc") / "svc.db")
    app = FastAPI()
    app.include_router(feedback_routes.router(lambda: kit))
    with TestClient(app) as c:
        c.kit = kit  # type: ignore[attr-defined]
        yield c


def test_each_kind_of_feedback_over_http(client):
    kit = client.kit
    s = kit.suggest("Mit net er nede igen!! Hele vejen er uden internet", variables=NAMES)
    t = s.suggestions[0].template_id
    r = client.post("/feedback/pick", json={"result_id": s.result_id, "template_id": t, "sent": s.suggestions[0].text,
                                            "variables": NAMES, "agent": "a1"})
    assert r.status_code == 200 and r.json() == {"feedback_id": 1, "result_id": s.result_id, "kind": "pick",
                                                 "edit_distance": 0.0}
    r = client.post("/feedback/wrong-type", json={"result_id": s.result_id, "type": "technical_issue"})
    assert r.status_code == 200 and r.json()["kind"] == "wrong_type"
    c = kit.check("Hej Peter. Jeg har nu bestilt en tekniker til dig. Hilsen Sofie", lang="da", channel="facebook",
                  **NAMES)
    r = client.post("/feedback/dismiss", json={"result_id": c.result_id, "rule_id": c.findings[0].rule_id,
                                               "reason": "aftalt i DM"})
    assert r.status_code == 200, r.text
    r = client.post("/feedback/missed", json={"result_id": c.result_id, "category": "value.add_value",
                                              "quote": "Hej Peter", "variables": NAMES})
    assert r.status_code == 200, r.text

    stats = client.get("/feedback/stats").json()
    assert stats == json.loads(kit.feedback.stats().model_dump_json())  # the CLI's JSON shape
    assert stats["feedback"] == {"dismiss": 1, "missed": 1, "pick": 1, "wrong_type": 1}
    r = client.get("/feedback/export", params={"lang": "da", "kind": "posts"})
    assert r.status_code == 200 and json.loads(r.text.splitlines()[0])["type"] == "technical_issue"
    assert client.post("/feedback/purge", json={"all": True}).json() == {"results": 2, "feedback": 4}


def test_bad_requests_answer_400_in_one_line(client):
    r = client.post("/feedback/pick", json={"result_id": "nope", "template_id": "da/outage/public"})
    assert r.status_code == 400 and r.json() == {"error": "no stored result 'nope' (unknown, or purged after the "
                                                          "retention period)"}
    r = client.post("/feedback/pick", json={"result_id": "x", "template_id": "y", "extra": 1})
    assert r.status_code == 422  # unknown keys are errors, as in the service's other requests


def test_a_kit_without_a_store_answers_409(monkeypatch):
    monkeypatch.delenv("REPLYKIT_FEEDBACK_DB", raising=False)
    app = FastAPI()
    kit = ReplyKit.load()
    app.include_router(feedback_routes.router(lambda: kit))
    with TestClient(app) as c:
        assert c.get("/feedback/stats").status_code == 409
