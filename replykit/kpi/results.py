"""The KPI report: one pydantic model, which is also the `replykit kpi --json` output."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Figures(_Model):
    """First-response figures of a group of replies (seconds)."""

    key: str = Field(description="The group's value (a channel, type, agent, or hour '00'-'23'); 'all' overall")
    replies: int
    median_s: float | None
    p90_s: float | None
    within_level: float | None = Field(description="Share of replies sent within their first-response level")


class Bucket(_Model):
    """A bar of the response-time distribution: replies whose first response took more than low_s
    (the first bar: from 0) and at most high_s (the last bar: no limit)."""

    low_s: float
    high_s: float | None
    replies: int


class ServiceLevel(_Model):
    source: str = Field(description="'pack' (templates/pack.yaml triage: service_levels) or 'options'")
    first_response_s: float = Field(description="The default first-response level")
    solution_s: float = Field(description="The default solution level (not measurable from a reply export)")
    rules: int = Field(0, description="Channel/type combinations with their own first-response level")


class BadRows(_Model):
    """Rows left out of the response-time figures (counted, never fatal)."""

    lines_unreadable: int = Field(0, description="CSV lines that do not split into the header's columns")
    post_time_unreadable: int = 0
    reply_time_unreadable: int = 0
    reply_before_post: int = 0
    total: int = 0


class CategoryShare(_Model):
    category: str
    replies: int = Field(description="Re-checked replies with at least one finding of this category")
    share: float


class DayShare(_Model):
    """Re-checked replies sent on one day (UTC date of reply_time, or the --timezone's)."""

    day: str
    checked: int
    blocked: int
    revise: int


class CheckShare(_Model):
    """What `check` says about the replies that were sent."""

    rows_with_text: int = Field(description="Rows with a reply text")
    checked: int
    sample: int | None = Field(description="The --sample size asked for; None when every reply was checked")
    seed: int | None
    unchecked: int = Field(0, description="Replies check refused (e.g. a language the pack lacks)")
    blocked: int
    revise: int
    blocked_share: float
    revise_share: float
    categories: list[CategoryShare]
    days: list[DayShare]
    runner: str = Field(description="'processes:N' or 'dask:ADDRESS'")


class KpiReport(_Model):
    file: str
    rows: int
    measured: int = Field(description="Rows with both times readable and the reply not before the post")
    bad_rows: BadRows
    timezone: str
    service_level: ServiceLevel
    overall: Figures
    by_channel: list[Figures]
    by_inquiry_type: list[Figures]
    by_agent: list[Figures]
    by_hour: list[Figures] = Field(description="By the hour of day the post came in, all 24 hours")
    distribution: list[Bucket]
    check: CheckShare | None = None
    seconds: dict[str, float] = Field(default_factory=dict, description="Wall time of each stage")
