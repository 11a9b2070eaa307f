"""The fixed identifiers of docs/vocabulary.md (never rename or drop one), and the
spellings people type for them (aliases, capitals) mapped onto them."""
from __future__ import annotations

from typing import Literal, get_args

LANGUAGES: tuple[str, ...] = ("da", "no", "nl", "ru")
Lang = Literal["da", "no", "nl", "ru"]

# What people type for a language: ISO 639-1 codes of the written standards (nb Bokmål, nn Nynorsk)
# and the country code Danes often use (dk). Nynorsk text is accepted as `no`.
LANGUAGE_ALIASES: dict[str, str] = {"nb": "no", "nn": "no", "nob": "no", "nno": "no", "dk": "da"}

PUBLIC_CHANNELS: tuple[str, ...] = ("facebook", "twitter", "trustpilot", "vk")
PRIVATE_CHANNELS: tuple[str, ...] = ("dm", "email")
CHANNELS: tuple[str, ...] = PUBLIC_CHANNELS + PRIVATE_CHANNELS
Channel = Literal["facebook", "twitter", "trustpilot", "vk", "dm", "email"]

InquiryType = Literal[
    "outage",
    "technical_issue",
    "billing",
    "product_question",
    "order_request",
    "complaint",
    "criticism",
    "praise",
    "idea",
    "callback_request",
    "provocation",
]
INQUIRY_TYPES: tuple[str, ...] = get_args(InquiryType)

SEVERITIES: tuple[str, ...] = ("suggestion", "warning", "error")
Severity = Literal["suggestion", "warning", "error"]

CATEGORIES: dict[str, str] = {
    "forbidden.personal_data": "error",
    "forbidden.confidential": "error",
    "forbidden.public_order": "error",
    "forbidden.unauthorized_promise": "error",
    "value.make_it_happen": "warning",
    "value.show_respect": "warning",
    "value.add_value": "warning",
    "tone.too_casual": "warning",
    "tone.too_formal": "warning",
    "language.spelling": "warning",
    "language.grammar": "warning",
    "channel.length": "error",
    "language.mismatch": "warning",
}
Category = Literal[
    "forbidden.personal_data",
    "forbidden.confidential",
    "forbidden.public_order",
    "forbidden.unauthorized_promise",
    "value.make_it_happen",
    "value.show_respect",
    "value.add_value",
    "tone.too_casual",
    "tone.too_formal",
    "language.spelling",
    "language.grammar",
    "channel.length",
    "language.mismatch",
]

Visibility = Literal["public", "private", "any"]


def is_public(channel: str | None) -> bool:
    """Unknown channel counts as public: the safe assumption for what is forbidden."""
    return channel not in PRIVATE_CHANNELS


def canonical_lang(lang: str) -> str:
    """The vocabulary's code for a language as a person may type it: `NB`, ` nn `, `dk`, `Da` -> no, no, da, da.
    Unknown codes come back lower-cased and stripped (the caller decides whether the pack has them)."""
    code = lang.strip().lower().replace("_", "-").split("-")[0] if lang.strip() else ""
    return LANGUAGE_ALIASES.get(code, code)


def canonical_channel(channel: str) -> str:
    """`Facebook`, ` VK ` -> facebook, vk: channel ids are lower case; unknown ones come back lower-cased."""
    return channel.strip().lower()
