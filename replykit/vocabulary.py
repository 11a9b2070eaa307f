"""The fixed identifiers of ../shared/VOCABULARY.md (never rename or drop one)."""
from __future__ import annotations

from typing import Literal, get_args

LANGUAGES: tuple[str, ...] = ("da", "no", "nl", "ru")
Lang = Literal["da", "no", "nl", "ru"]

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
