"""Pydantic models of the files PR staff write: the template pack and rules.

`replykit schema` prints the JSON Schema of these models so editors can
validate YAML while it is typed. Result models (what `suggest` and `check`
return) live in `results.py`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .triage.config import TriageConfig
from .vocabulary import Category, Channel, InquiryType, Lang, Severity, Visibility

ID_PATTERN = r"^[a-z][a-z0-9_]*/[a-z0-9][a-z0-9_-]*$"
RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)+$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    # PR staff's typos in key names must be reported, not ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------- templates


class VariableSpec(_Strict):
    """A variable a template may use: `{{ customer_name }}`."""

    required: bool = Field(False, description="Rendering fails (missing_variables) without it")
    default: str | None = Field(None, description="Used when the caller gives no value")
    sample: str | None = Field(None, description="Value for previews, lint and the HTML report")
    description: str = ""


class PackFile(_Strict):
    """templates/pack.yaml: what the pack is and the variables every reply shares."""

    name: str
    description: str = ""
    default_lang: Lang = Field(description="Answer for posts in a language the pack lacks")
    languages: list[Lang] = Field(min_length=1)
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    triage: TriageConfig | None = Field(None, description="Routes, answer policy, service levels, storms")

    @field_validator("variables")
    @classmethod
    def _names(cls, value: dict[str, VariableSpec]) -> dict[str, VariableSpec]:
        return _check_names(value)


class ReplySpec(_Strict):
    """One logical approved reply; its text lives per language under templates/<lang>/."""

    id: str = Field(pattern=ID_PATTERN, description="<inquiry_type>/<name>, e.g. outage/public")
    inquiry_type: InquiryType
    visibility: Visibility = Field(description="public: a public wall; private: dm/email; any: both")
    channels: list[Channel] | None = Field(None, description="Narrow the approval to these channels")
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    not_needed: list[Lang] = Field(default_factory=list, description="Languages that deliberately lack it")
    description: str = ""

    @field_validator("variables")
    @classmethod
    def _names(cls, value: dict[str, VariableSpec]) -> dict[str, VariableSpec]:
        return _check_names(value)


class RepliesFile(_Strict):
    """templates/replies.yaml: every logical reply of the pack."""

    replies: list[ReplySpec]


class LangDetection(_Strict):
    words: list[str] = Field(default_factory=list, description="Common words typical of this language")


class LangFile(_Strict):
    """templates/<lang>/_lang.yaml: shared blocks and language-specific values."""

    variables: dict[str, str | None] = Field(default_factory=dict, description="Values for this language")
    samples: dict[str, str] = Field(default_factory=dict, description="Preview values for this language")
    blocks: dict[str, str] = Field(default_factory=dict, description="Reusable Jinja snippets: {{ greeting }}")
    detection: LangDetection = Field(default_factory=LangDetection)
    vocabulary: list[str] = Field(default_factory=list, description="Brand words the speller accepts")
    finding_messages: dict[Category, str] = Field(
        default_factory=dict, description="What a finding of the learned model says, per category")

    @field_validator("blocks")
    @classmethod
    def _block_names(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_names(value)


class SignalsFile(_Strict):
    """templates/<lang>/_signals.yaml: escalation cues (phrases, matched by stem)."""

    legal_threat: list[str] = Field(default_factory=list, description="Lawyers, courts, police, consumer bodies")
    media: list[str] = Field(default_factory=list, description="Journalists, newspapers, TV, influencers")
    regulator: list[str] = Field(default_factory=list,
                                 description="Consumer complaint boards, ombudsmen, telecom and data regulators")
    safety: list[str] = Field(default_factory=list, description="Physical danger (smoke, fire, electric shock, "
                              "injury) and threats of violence against staff: 'I know where you are'")
    spread: list[str] = Field(default_factory=list, description="Calls to share, repost, boycott")
    churn: list[str] = Field(default_factory=list, description="Leaving for a competitor: route to retention; "
                             "such a post is never an order request")
    profanity: list[str] = Field(default_factory=list, description="Obscene words and insults")


class Trigger(_Strict):
    phrase: str = Field(min_length=1)
    weight: float = Field(1.0, gt=0, le=10)


class Recognition(_Strict):
    """How the suggester recognises this inquiry type in this language."""

    triggers: list[Union[str, Trigger]] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list, description="Realistic customer posts")
    negative: list[Union[str, Trigger]] = Field(default_factory=list, description="Cues against this type")


class Approval(_Strict):
    by: str = Field(min_length=1)
    on: dt.date
    review_by: dt.date | None = None
    digest: str | None = Field(None, pattern=r"^sha256:[0-9a-f]{64}$",
                               description="What was approved (body and blocks); written by `replykit approve`")


class Preference(_Strict):
    """Posts this reply fits better than the other replies of its inquiry type."""

    triggers: list[Union[str, Trigger]] = Field(default_factory=list, description="Phrases (matched by stem)")
    examples: list[str] = Field(default_factory=list, description="Posts this reply is the answer to")


class Wording(_Strict):
    """Another approved wording of a variant: same meaning and variables, other words (storm replies rotate them)."""

    body: str = Field(min_length=1)
    approved: Approval | None = None


class Variant(_Strict):
    """One language's text of a logical reply."""

    body: str = Field(min_length=1)
    approved: Approval | None = None
    tags: list[str] = Field(default_factory=list)
    wordings: list[Wording] = Field(default_factory=list, description="Alternative wordings of the body, each "
                                    "approved like a body; one reply sent to many rotates through them")
    prefer: Preference = Field(default_factory=Preference,
                               description="Which posts of its type this reply wins (else the pack's order)")


class TypeFile(_Strict):
    """templates/<lang>/<inquiry_type>.yaml: recognition data and reply texts."""

    inquiry_type: InquiryType
    recognition: Recognition = Field(default_factory=Recognition)
    variants: dict[str, Variant] = Field(default_factory=dict)


# ------------------------------------------------------------------------- rules

RuleKind = Literal["existence", "substitution", "occurrence", "required", "metric", "length", "detector",
                   "cooccurrence"]


class Example(_Strict):
    text: str
    channel: Channel | None = None
    customer_name: str | None = None
    agent_name: str | None = None
    inquiry: str | None = None
    inquiry_type: InquiryType | None = None
    lang: Lang | None = None


class Examples(_Strict):
    bad: list[Union[str, Example]] = Field(default_factory=list, description="Each must trigger the rule")
    good: list[Union[str, Example]] = Field(default_factory=list, description="None may trigger it")


class When(_Strict):
    customer_name: bool | None = Field(None, description="true: only when the customer's name is known")
    agent_name: bool | None = None
    inquiry: bool | None = None


class RuleSpec(_Strict):
    """One rule file under rules/ (one rule a file, in the spirit of Vale)."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    kind: RuleKind
    category: Category
    severity: Severity | None = Field(None, description="Defaults to the category's severity")
    langs: list[Lang] | None = Field(None, description="Languages it applies to; omitted: all")
    channels: Union[Literal["public", "private", "any"], list[Channel]] = "any"
    inquiry_types: list[InquiryType] | None = Field(None, description="Only for inquiries of these types")
    when: When = Field(default_factory=When)  # type: ignore[arg-type]  # pydantic stubs: model class as factory
    enabled: bool = True
    model_confirms: bool = Field(
        True, description="Word and pattern rules of a meaning category stand only where the pack's trained "
        "model does not rule the sentence out; false: the rule always stands (exact phrases PR requires)")
    message: str = Field(min_length=1, description="Tells the agent what is wrong and how to fix it")
    description: str = Field(min_length=1, description="What it catches, why, how to fix it")

    phrases: list[str] = Field(default_factory=list, description="Stemmed word sequences; word* = prefix")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions (case-insensitive)")
    unless: list[str] = Field(default_factory=list, description="Patterns that, found anywhere, silence it")
    swap: dict[str, str] = Field(default_factory=dict, description="substitution: phrase -> replacement")
    all_of: list[list[str]] = Field(default_factory=list,
                                    description="cooccurrence: phrase groups that must all occur in one sentence")
    none_of: list[str] = Field(default_factory=list, description="cooccurrence, existence, substitution: phrases "
                               "(a condition, a negation) that, near a match in the same sentence, keep it quiet")
    within: Literal["sentence", "draft"] = Field("sentence", description="cooccurrence: where the groups meet")
    none_within: int = Field(6, ge=0, description="a none_of phrase counts within this many words of a match")
    all_within: int | None = Field(None, ge=0, description="cooccurrence: the groups must meet within this many words")
    token: Literal["emoji", "exclamation", "match"] | None = None
    max: float | None = None
    min: float | None = None
    metric: Literal["lix", "caps_ratio", "words", "sentence_words"] | None = None
    min_words: int = Field(0, ge=0, description="metric: texts shorter than this many words are not measured "
                           "(a readability index says nothing about one sentence)")
    scope: Literal["all", "start", "end"] = "all"
    scope_chars: int = Field(80, gt=0)
    limits: dict[Channel, int] = Field(default_factory=dict)
    detector: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    examples: Examples = Field(default_factory=Examples)


def _check_names(value: dict[str, Any]) -> dict[str, Any]:
    import re

    for name in value:
        if not re.match(NAME_PATTERN, str(name)):
            raise ValueError(f"{name!r} is not a valid name (lower-case letters, digits, _)")
    return value


FILE_MODELS: dict[str, type[BaseModel]] = {
    "pack": PackFile,
    "replies": RepliesFile,
    "lang": LangFile,
    "signals": SignalsFile,
    "inquiry_type": TypeFile,
    "rule": RuleSpec,
}
