"""A draft in another language than the one it should be in: the customer's post's, or the one asked for."""
from __future__ import annotations

from ..results import Finding
from ..text.language import QUICK_SAMPLE, LanguageDetector
from ..text.tokens import Token

RULE_ID = "common.language.mismatch"
MIN_WORDS = 4
# Danish and Norwegian readers understand each other's writing, and short texts of the two are
# easily mistaken for each other: a reply in one to a post in the other is not flagged.
_MUTUALLY_READABLE = {frozenset({"da", "no"})}
_NAMES = {"da": "Danish", "no": "Norwegian", "nl": "Dutch", "ru": "Russian"}


def language_mismatch(detector: LanguageDetector, draft: str, lang: str, lang_given: bool,
                      inquiry: str | None, tokens: list[Token] | None = None) -> Finding | None:
    """`tokens`: the check's tokens of `draft` (tokenize(draft, lang)), which spare a second word scan."""
    if len(draft.split()) < MIN_WORDS:
        return None
    # Only clear evidence counts (script, typical words): a check must not pay for a full detection,
    # and an unsure guess must not raise a finding.
    written = detector.detect_quick(draft, _quick_words(draft, lang, tokens))
    if written is None:
        return None
    expected, why = None, ""
    if lang_given and written.lang != lang:
        expected, why = lang, "the language asked for"
    elif inquiry and len(inquiry.split()) >= MIN_WORDS:
        post = detector.detect_quick(inquiry)
        if post is not None and post.lang != written.lang:
            expected, why = post.lang, "the customer's post"
    if expected is None or frozenset({expected, written.lang}) in _MUTUALLY_READABLE:
        return None
    return Finding(rule_id=RULE_ID, category="language.mismatch", severity="warning", start=0, end=len(draft),
                   message=f"The draft reads as {_NAMES.get(written.lang, written.lang)}, but {why} is "
                           f"{_NAMES.get(expected, expected)}: answer in the customer's language.")


def _quick_words(draft: str, lang: str, tokens: list[Token] | None) -> list[str] | None:
    """The words detect_quick reads, from the check's tokens when they are the same: the same word
    pattern, lower-cased, unless Russian tokens folded ё or the draft is longer than the sample."""
    if tokens is None or lang == "ru" or len(draft) > QUICK_SAMPLE:
        return None
    return [t.text for t in tokens]
