"""The approved reply a draft reads most like (CheckResult.closest_template).

Every approved text of a language, rendered with sample values, is compared with the draft by
rapidfuzz's `ratio` (normalised Indel similarity). rapidfuzz compares strings of one-byte characters
fastest; Russian text is two-byte in Python, so texts that fit one code page (cp1251) are compared
as its bytes: a code page maps characters one to one, so the scores are the same, for a third less
time.
"""
from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from ..results import ClosestTemplate

MAX_CHARS = 5000  # of the draft: a longer draft is compared by its beginning
_CODE_PAGES = ("cp1251",)


class ClosestTemplates:
    """One language's approved texts, ready to be compared with drafts."""

    def __init__(self, samples: list[tuple[str, str]]):
        """`samples`: (template id, text rendered with sample values) of each approved text."""
        self.ids = [template_id for template_id, _ in samples]
        self.texts = [utils.default_process(text) for _, text in samples]
        self.code_page = _code_page(self.texts)
        self.encoded = [t.encode(self.code_page) for t in self.texts] if self.code_page else None

    def find(self, draft: str) -> ClosestTemplate | None:
        if not self.ids or not draft.strip():
            return None
        query: str | bytes = utils.default_process(draft[:MAX_CHARS])
        choices: list[str] | list[bytes] = self.texts
        if self.code_page is not None:
            try:
                query, choices = query.encode(self.code_page), self.encoded  # type: ignore[union-attr,assignment]
            except UnicodeEncodeError:
                pass  # a character outside the code page: compared as text
        best = process.extractOne(query, choices, scorer=fuzz.ratio)
        if best is None:
            return None
        return ClosestTemplate(template_id=self.ids[best[2]], similarity=round(best[1] / 100, 3))


def _code_page(texts: list[str]) -> str | None:
    """A one-byte code page every text fits, when they are not one-byte strings already (Latin-1)."""
    if all(t.isascii() or _fits(t, "latin-1") for t in texts):
        return None
    return next((page for page in _CODE_PAGES if all(_fits(t, page) for t in texts)), None)


def _fits(text: str, code_page: str) -> bool:
    try:
        text.encode(code_page)
    except UnicodeEncodeError:
        return False
    return True
