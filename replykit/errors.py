"""The few named exceptions replykit raises.

Every error a user can cause carries a one-line message that says what is
wrong and, for pack files, which file and line.
"""
from __future__ import annotations

from pathlib import Path


class ReplyKitError(Exception):
    """Base class of every error replykit raises on purpose."""


class PackError(ReplyKitError):
    """A template pack or rule file is malformed; names the file and line."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        where = ""
        if self.path:
            where = f"{self.path}:{line}: " if line else f"{self.path}: "
        super().__init__(where + message)

    def __reduce__(self):  # noqa: ANN204
        # Exceptions unpickle as cls(*args), and args here is the formatted message:
        # rebuild from what __init__ took, so worker processes can send it back.
        return type(self), (self.reason, self.path, self.line), self.__dict__


class RenderError(ReplyKitError):
    """A template could not be rendered (sandbox violation, bad template)."""


class MissingVariablesError(RenderError):
    """Required template variables were not supplied."""

    def __init__(self, template_id: str, missing: list[str]):
        self.template_id = template_id
        self.missing = list(missing)
        super().__init__(f"{template_id}: missing required variable(s): {', '.join(self.missing)}")

    def __reduce__(self):  # noqa: ANN204 - see PackError.__reduce__
        return type(self), (self.template_id, self.missing), self.__dict__


class UnknownTemplateError(ReplyKitError):
    """No template with that id (in that language)."""


class InputError(ReplyKitError):
    """A request is unusable: bad language, channel, empty or oversized text."""
