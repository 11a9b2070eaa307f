"""replykit: approved replies and draft checks for telecom social-media care.

    from replykit import ReplyKit
    kit = ReplyKit.load()
    kit.suggest("Mit net er nede igen!!", channel="facebook")
    kit.check("Hej Peter ...", lang="da", channel="facebook")
"""
from __future__ import annotations

from .errors import InputError, MissingVariablesError, PackError, RenderError, ReplyKitError, UnknownTemplateError
from .kit import ReplyKit
from .results import (
    Candidate,
    CheckResult,
    ClosestTemplate,
    Escalation,
    Finding,
    Suggestion,
    SuggestResult,
    TemplateInfo,
)

__version__ = "0.1.0"

__all__ = [
    "ReplyKit",
    "SuggestResult",
    "Suggestion",
    "Candidate",
    "Escalation",
    "CheckResult",
    "Finding",
    "ClosestTemplate",
    "TemplateInfo",
    "ReplyKitError",
    "PackError",
    "RenderError",
    "MissingVariablesError",
    "UnknownTemplateError",
    "InputError",
    "__version__",
]
