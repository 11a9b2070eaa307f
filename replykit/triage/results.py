"""What `triage` returns: one item per post in the order to answer them, and the storms."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class StormReply(_Result):
    """The one approved reply a storm member gets, in one of the reply's rotating wordings."""

    template_id: str  # "<lang>/<reply id>"
    wording: int  # 0: the variant's body, 1..: its alternative wordings
    text: str
    missing_variables: list[str] = Field(default_factory=list)


class TriageItem(_Result):
    id: str
    time: dt.datetime
    channel: str
    lang: str
    type: str | None
    escalation: list[str]  # safety, legal, regulator, media, troll, churn (most serious first)
    signals: list[str]  # the raw cues behind it: legal_threat, spread, profanity, ...
    route: str  # the team: the first escalation's, else the pack's default team
    also_notify: list[str] = Field(default_factory=list)  # teams of the other escalations
    answer: str  # always | one_offer | escalate_first | optional
    answer_where: str  # public | private
    answer_note: str
    priority: int  # 1 most urgent
    due_first_response: dt.datetime
    due_solution: dt.datetime
    overdue: bool  # the first response is late at `now`
    cluster: str | None  # incident cluster this post is answered with
    related_cluster: str | None = None  # an individual post about a clustered incident
    storm: bool
    exposes_personal_data: bool
    reply: StormReply | None = None
    notices: list[str] = Field(default_factory=list)


class Storm(_Result):
    cluster: str
    size: int
    type: str | None
    area: str | None
    first: dt.datetime
    last: dt.datetime
    langs: list[str]
    individual: int  # posts about the incident that stay individual (complaints, trolls, escalations)
    notice: str


class TriageResult(_Result):
    items: list[TriageItem]  # the queue, in the order to answer
    storms: list[Storm] = Field(default_factory=list)
    errors: list[dict] = Field(default_factory=list)  # {"id", "error"} of posts that could not be read
