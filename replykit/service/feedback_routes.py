"""HTTP endpoints of the feedback store, for `replykit serve` (FastAPI).

    from replykit.service.feedback_routes import router
    app.include_router(router(lambda: kit))

The bodies and answers are the JSON of `replykit feedback ... --json`:

    POST /feedback/pick        {"result_id", "template_id", "sent"?, "variables"?, "agent"?, "team"?}
    POST /feedback/dismiss     {"result_id", "rule_id", "reason"?, "variables"?, "agent"?, "team"?}
    POST /feedback/missed      {"result_id", "category", "quote"?, "variables"?, "agent"?, "team"?}
    POST /feedback/wrong-type  {"result_id", "type", "template_id"?, "agent"?, "team"?}
      -> 200 {"feedback_id", "result_id", "kind", "edit_distance"?}
    GET  /feedback/stats       -> the stats object of `replykit feedback stats --json`
    GET  /feedback/export?lang=da&kind=posts   -> JSON Lines in the pack's labelled-data format
    POST /feedback/purge       {"all"?: false, "days"?: N} -> {"results", "feedback"}

Bad input answers 400 {"error": "..."} (one line); a kit without a feedback store 409.
The results to give feedback on come from the service's suggest and check, which carry
`result_id` when the kit was loaded with a store (REPLYKIT_FEEDBACK_DB).
"""
from __future__ import annotations

from typing import Any, Callable, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result_id: str = Field(min_length=1)
    agent: str | None = None
    team: str | None = None


class PickBody(_Body):
    template_id: str = Field(min_length=1)
    sent: str | None = None
    variables: dict[str, str] | None = Field(None, description="Names to mask in the sent text.")


class DismissBody(_Body):
    rule_id: str = Field(min_length=1)
    reason: str | None = None
    variables: dict[str, str] | None = None


class MissedBody(_Body):
    category: str = Field(min_length=1)
    quote: str | None = None
    variables: dict[str, str] | None = None


class WrongTypeBody(_Body):
    type: str = Field(min_length=1)
    template_id: str | None = None


class PurgeBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    everything: bool = Field(False, alias="all")
    days: int | None = Field(None, ge=0)


def router(kit_getter: Callable[[], Any], prefix: str = "/feedback") -> APIRouter:
    """The feedback endpoints over the kit `kit_getter()` returns (the service's current kit)."""
    api = APIRouter(prefix=prefix, tags=["feedback"])

    def call(action: Callable[[Any], Any]) -> Any:
        log = kit_getter().feedback
        if log is None:
            return JSONResponse({"error": "no feedback store configured (set REPLYKIT_FEEDBACK_DB)"}, status_code=409)
        try:
            return action(log)
        except InputError as exc:
            return JSONResponse({"error": str(exc).splitlines()[0]}, status_code=400)

    @api.post("/pick")
    def pick(body: PickBody) -> Any:
        return call(lambda log: log.pick(body.result_id, body.template_id, body.sent, agent=body.agent,
                                         team=body.team, variables=body.variables))

    @api.post("/dismiss")
    def dismiss(body: DismissBody) -> Any:
        return call(lambda log: log.dismiss(body.result_id, body.rule_id, body.reason, agent=body.agent,
                                            team=body.team, variables=body.variables))

    @api.post("/missed")
    def missed(body: MissedBody) -> Any:
        return call(lambda log: log.missed(body.result_id, body.category, body.quote, agent=body.agent,
                                           team=body.team, variables=body.variables))

    @api.post("/wrong-type")
    def wrong_type(body: WrongTypeBody) -> Any:
        return call(lambda log: log.wrong_type(body.result_id, body.type, body.template_id, agent=body.agent,
                                               team=body.team))

    @api.get("/stats")
    def stats() -> Any:
        return call(lambda log: log.stats().model_dump(mode="json"))

    @api.get("/export")
    def export(lang: str = Query(..., min_length=2), kind: Literal["posts", "drafts", "clean"] = Query(...)) -> Any:
        from ..feedback.export import export_records, jsonl

        return call(lambda log: PlainTextResponse(jsonl(export_records(log.store, lang).get((lang, kind), [])),
                                                  media_type="application/x-ndjson"))

    @api.post("/purge")
    def purge(body: PurgeBody) -> Any:
        return call(lambda log: log.purge(body.everything, body.days))

    return api
