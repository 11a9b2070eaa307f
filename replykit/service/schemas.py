"""Response bodies of the service that are not results of the library (those are in replykit/results.py)."""
from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str = Field(description="What is wrong, in one line.")
    missing: list[str] | None = Field(None, description="/v1/render: the required variables not given.")
    internal: bool | None = Field(None, description="True when the error is the service's fault, not the request's.")


class RenderResult(BaseModel):
    id: str | None = None
    template_id: str = Field(description="The reply id as requested.")
    text: str


class ReloadResult(BaseModel):
    outcome: str = Field(description="ok (reloaded), unchanged (the pack's files are as loaded).")
    pack: str = Field(description="The pack's name.")
    digest: str = Field(description="SHA-256 of the pack's and rules' files now served.")
    workers_signalled: bool = Field(False, description="With several workers: all were told to reload.")


class Health(BaseModel):
    status: str
    pack: str | None = None
    digest: str | None = None
