"""The pack's `triage:` section (templates/pack.yaml): routes, answer policy, service levels, storms.

Every field has a default that follows the seed documents, so a pack without the section
triages too: Vodafone NL's promise (first response within 1 hour, a solution within 24),
"every post gets an answer" (Stofa, the Norwegian storm night), MTS's troll signs and its
rule that potentially scandalous cases go to the legal and PR departments.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..vocabulary import Channel, InquiryType

EscalationKind = Literal["safety", "legal", "regulator", "media", "troll", "churn"]
AnswerMode = Literal["always", "one_offer", "escalate_first", "optional"]

_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$", re.IGNORECASE)


def _typed(value: Any) -> Any:
    """A default whose keys or items are Literal names: pydantic validates them; mypy cannot tell."""
    return value


def parse_duration(value: object) -> object:
    """'1h', '30m', '1h30m', '2d' as PR staff write them; anything else is left to pydantic
    (ISO 8601 'PT1H', 'HH:MM:SS', seconds)."""
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m and any(m.groups()):
            days, hours, minutes = (int(g or 0) for g in m.groups())
            return dt.timedelta(days=days, hours=hours, minutes=minutes)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Durations(_Strict):
    @field_validator("*", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value)


class Level(_Durations):
    """A service level: how soon the first response and the solution are due after the post."""

    first_response: dt.timedelta = Field(dt.timedelta(hours=1), gt=dt.timedelta(0))
    solution: dt.timedelta = Field(dt.timedelta(hours=24), gt=dt.timedelta(0))


class LevelRule(_Durations):
    """A level for some posts: every key given must match; the most specific rule wins, except that
    an escalation rule only ever tightens (the earlier due time counts)."""

    channel: Channel | None = None
    type: InquiryType | None = None
    escalation: EscalationKind | None = None
    first_response: dt.timedelta | None = Field(None, gt=dt.timedelta(0))
    solution: dt.timedelta | None = Field(None, gt=dt.timedelta(0))


class ServiceLevels(_Strict):
    default: Level = Field(default_factory=lambda: Level.model_validate({}))
    rules: list[LevelRule] = Field(default_factory=list)


class Answer(_Strict):
    """Whether and how to answer: always; one_offer (one calm offer of help, no debate);
    escalate_first (the routed team first, no troubleshooting); optional."""

    mode: AnswerMode = "always"
    note: str = ""


def _default_answers() -> dict[str, Answer]:
    return {
        "troll": Answer(mode="one_offer", note="One calm, polite offer of help (privately); no debate, no "
                        "answer to further provocations. Work with the readers around the post, not the author."),
        "safety": Answer(mode="escalate_first", note="Danger or a threat: the safety team first; "
                         "no troubleshooting steps in the reply."),
        "legal": Answer(mode="always", note="Answer calmly without admitting fault or discussing the case "
                        "in public; legal reviews before anything about the claim."),
    }


class AnswerPolicy(_Strict):
    default: Answer = Field(default_factory=lambda: Answer(
        mode="always", note="Every post gets an answer: questions, complaints and criticism always."))
    types: dict[InquiryType, Answer] = Field(default_factory=dict)
    escalations: dict[EscalationKind, Answer] = Field(default_factory=lambda: _typed(_default_answers()))
    personal_data_note: str = ("The post shows the customer's own personal data on a public wall: hide the "
                               "post (or ask the customer to delete it) and answer in a private message.")


class Priorities(_Strict):
    """1 most urgent ... 4 least; a post takes the most urgent that applies."""

    default: int = Field(3, ge=1, le=9)
    types: dict[InquiryType, int] = Field(default_factory=lambda: _typed({"praise": 4, "idea": 4}))
    escalations: dict[EscalationKind, int] = Field(default_factory=lambda: _typed({
        "safety": 1, "legal": 2, "regulator": 2, "media": 2, "troll": 3, "churn": 3}))
    personal_data: int = Field(2, ge=1, le=9)


class TrollRule(_Strict):
    """The MTS signs of a professional troll, counted per post: emotional text (profanity, shouting,
    or the pack's provocation type), calls to spread, criminal-code references or court threats
    (legal_threat), and the same author posting again and again in the window (the stream's
    stand-in for "ignores and deletes our offers of help", which a post cannot show)."""

    min_signs: int = Field(3, ge=1, le=4)
    repeat_posts: int = Field(3, ge=2, description="Posts by one author within the storm window that count as a sign")


class StormConfig(_Durations):
    window: dt.timedelta = Field(dt.timedelta(hours=1), gt=dt.timedelta(0),
                                 description="A post joins an incident whose last post is at most this old")
    threshold: int = Field(10, ge=2, description="Posts in one incident cluster that make it a storm")
    type_similarity: float = Field(0.5, ge=0, le=1, description="Least cosine between a post's inquiry-type "
                                   "scores and its incident's")
    wording_similarity: float = Field(0.15, ge=0, le=1, description="Least cosine between a post's wording "
                                      "(tf-idf of character n-grams and stems) and its incident's")
    type_groups: list[list[InquiryType]] = Field(
        default_factory=lambda: _typed([["outage", "technical_issue"]]),
        description="Types read as one for incidents: in a storm some say 'it is down' (outage), "
        "others 'my router finds no network' (technical issue)")
    individual_types: list[InquiryType] = Field(
        default_factory=lambda: _typed(["complaint", "provocation"]),
        description="Types that always get an individual answer, never the storm reply")


class TriageConfig(_Strict):
    """templates/pack.yaml `triage:`: how a team lead's queue is built."""

    default_team: str = Field("webcare", description="Who answers a post without escalation")
    routes: dict[EscalationKind, str] = Field(default_factory=lambda: _typed({
        "safety": "safety", "legal": "legal", "regulator": "legal", "media": "PR", "troll": "PR",
        "churn": "supervisor"}))
    escalation_order: list[EscalationKind] = Field(
        default_factory=lambda: _typed(["safety", "legal", "regulator", "media", "troll", "churn"]),
        description="Most serious first: the route is the team of the first kind a post has")
    answer: AnswerPolicy = Field(default_factory=lambda: AnswerPolicy.model_validate({}))
    priorities: Priorities = Field(default_factory=lambda: Priorities.model_validate({}))
    service_levels: ServiceLevels = Field(default_factory=lambda: ServiceLevels.model_validate({}))
    troll: TrollRule = Field(default_factory=lambda: TrollRule.model_validate({}))
    storm: StormConfig = Field(default_factory=lambda: StormConfig.model_validate({}))
    personal_data_rules: list[str] = Field(
        default_factory=lambda: ["common.pii.contact", "common.pii.national_id", "*.pii.address"],
        description="Rule ids (shell patterns) whose findings in a post mean it exposes personal data")
