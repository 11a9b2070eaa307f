"""Personal data in a draft: national IDs, phone numbers, e-mail, IBAN, cards.

Identifiers are validated by python-stdnum / phonenumbers, not guessed from
digit counts, and digits are read through separators (`1 2 0 3 8 5 - 1 2 3 4`)
because spacing a number out is the oldest way past a filter; identifiers.py
reads the other disguises (O for 0, glued to words, e-mail written out).
"""
from __future__ import annotations

import re
from typing import Any

import phonenumbers
import regex
from stdnum import luhn
from stdnum.dk import cpr
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.ru import inn

from ..context import CheckContext, Hit
from ..failures import WorkBudgetExceeded
from . import identifiers

REGION = {"da": "DK", "no": "NO", "nl": "NL", "ru": "RU"}

_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w])", regex.IGNORECASE)
# Work budget of the phone-number search (see phone_budget).
PHONE_TRIES_BASE = 20
PHONE_CHARS_PER_TRY = 50

_ID_WORDS = (r"cpr|personnummer|personnr|fødselsnummer|fodselsnummer|fødselsnr|bsn|burgerservicenummer|sofinummer"
             r"|инн|снилс|паспорт")
# The ID word, then at most two short words ("dit CPR er", "номер ИНН:") before the number.
_ID_CONTEXT = regex.compile(rf"(?:{_ID_WORDS})\w*(?:\W+\w{{1,6}}){{0,2}}\W{{0,5}}$", regex.IGNORECASE)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _snils_valid(d: str) -> bool:
    if len(d) != 11 or int(d[:9]) <= 1001998:
        return False
    total = sum(int(c) * (9 - i) for i, c in enumerate(d[:9]))
    check = total if total < 100 else (0 if total in (100, 101) else total % 101)
    return f"{check % 100:02d}" == d[9:]


_ACCOUNT_WORDS = regex.compile(r"\b(?:iban|rekening\w*|bankrekening\w*|konto\w*|bankkonto\w*|account|сч[её]т\w*)\b",
                               regex.IGNORECASE)
_CARD_WORDS = regex.compile(r"\b(?:kort\w*|kaart\w*|card|visa|mastercard|dankort|карт\w*)\b", regex.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
_IBAN_COUNTRY = regex.compile(r"(?<![\w])[A-Z]{2}$")
# A bare CPR: ten digits, or six and four, or in pairs, however they are joined.
_CPR_SHAPE = regex.compile(r"\d{10}|\d{6}\D{1,6}\d{4}|\d{2}\D{1,6}\d{2}\D{1,6}\d{2}\D{1,6}\d{2}\D{1,6}\d{2}")
# Six digits, each at most five characters from the next ("+45 12 34", "1 2 - 3"): the least any
# phone number found by phonenumbers has; without it the (costly) matcher is not run.
_SIX_DIGITS = re.compile(r"\d(?:\D{0,5}\d){5}")


class PersonalDataDetector:
    def __init__(self, config: dict[str, Any]):
        self.brand_domains = {d.lower() for d in config.get("brand_domains", ())}
        self.brand_numbers = {lang: {_digits(str(n)) for n in numbers}
                              for lang, numbers in config.get("brand_numbers", {}).items()}

    def findings(self, ctx: CheckContext, options: dict[str, Any]) -> list[Hit]:
        kinds = options.get("kinds", ["national_id", "phone", "email", "iban", "card"])
        hits: list[Hit] = []
        text = ctx.text
        taken: list[tuple[int, int]] = []

        def add(s: int, e: int, msg: str) -> None:
            if any(s < te and ts < e for ts, te in taken):
                return
            taken.append((s, e))
            hits.append(Hit(s, e, msg))

        if "email" in kinds:
            allowed = self.brand_domains | {d.lower() for d in options.get("allow_domains", [])}
            names = (ctx.customer_name or "").lower().split()
            first_name = names[0] if names else ""
            found = [(m.start(), m.end(), m.group().lower()) for m in _EMAIL.finditer(text)] if "@" in text else []
            found += identifiers.spelled_emails(text)
            for s, e, address in found:
                local, domain = address.rsplit("@", 1)
                # A brand address is fine when it is a team's (kundeservice@); a person's
                # mailbox at the brand (tuva.lie@, the customer's own) is personal data.
                personal = "." in local or "_" in local or bool(first_name and first_name in local)
                if personal or not any(domain == d or domain.endswith("." + d) for d in allowed):
                    add(s, e, options.get("email_message", "An e-mail address must not appear in a public reply."))
        if not _ANY_DIGIT.search(text):
            return hits  # every other kind needs a digit
        # The digit view and the number candidates are the same for every PII rule of the check (national
        # IDs, contact data): made once per check, not once per rule (digit soup: ~2 x 4 ms).
        view = ctx.once("pii.digit_view", lambda: identifiers.digit_view(text))
        if "iban" in kinds:
            for view_text in dict.fromkeys((text, view)):
                for s, e, valid in identifiers.ibans(view_text):
                    # A mistyped IBAN is still somebody's bank account when the text says so.
                    if valid or _ACCOUNT_WORDS.search(text[max(0, s - 40):s]):
                        add(s, e, "A bank account (IBAN) must not appear in a reply.")
        # Digits glued to two capitals ("DK5000...") are an IBAN's, read (and validated) as one above.
        candidates: list[tuple[identifiers.Candidate, str]] = ctx.once("pii.candidates", lambda: [
            (c, d) for c in identifiers.number_candidates(view) if 6 <= len(d := c.digits) <= 19
            and not _IBAN_COUNTRY.search(view, max(0, c.start - 3), c.start)])
        if "national_id" in kinds:
            for c, d in candidates:
                if self._national_id(ctx.lang, c.raw, text[max(0, c.start - 40):c.start], ctx.public, d):
                    add(c.start, c.end, "A national identity number must never appear in a reply.")
        if "card" in kinds:
            for c, d in candidates:
                # A mistyped card number is still a card number when the text calls it one.
                if 13 <= len(d) <= 19 and d[0] in "23456" and (
                        luhn.is_valid(d) or _CARD_WORDS.search(text[max(0, c.start - 40):c.start])):
                    add(c.start, c.end, "A payment card number must never appear in a reply.")
        if "phone" in kinds and _SIX_DIGITS.search(view):  # no phone number has fewer digits
            for s, e in self._phones(ctx, options, identifiers.phone_view(view)):
                add(s, e, options.get("phone_message", "A phone number must not appear in a public reply."))
        return hits

    @staticmethod
    def _national_id(lang: str, raw: str, before: str, public: bool = False, digits: str | None = None) -> bool:
        d = _digits(raw) if digits is None else digits
        if not 9 <= len(d) <= 12:
            return False  # no identity number has another length (and the context search is not free)
        context = bool(_ID_CONTEXT.search(before))
        if len(d) == 10:
            if cpr.is_valid(d) and (context or regex.fullmatch(r"\d{6}\s?-\s?\d{4}", raw.strip())
                                    or lang == "da" and _cpr_checksum(d)
                                    # A CPR from 2007 on has no checksum: a bare one in a public Danish
                                    # draft (a valid birth date and ten digits) is read as one.
                                    or public and lang == "da" and _CPR_SHAPE.fullmatch(raw.strip())):
                return True
            if inn.is_valid(d) and (context or lang == "ru"):
                return True
        if len(d) == 11:
            if fodselsnummer.is_valid(d):
                return True
            if _snils_valid(d) and (context or lang == "ru"
                                    or regex.fullmatch(r"\d{3}-\d{3}-\d{3}[ -]\d{2}", raw.strip())):
                return True
        if len(d) == 9 and bsn.is_valid(d) and (context or lang == "nl"):
            return True
        if len(d) == 12 and inn.is_valid(d) and (context or lang == "ru"):
            return True
        return False

    def _phones(self, ctx: CheckContext, options: dict[str, Any], flat: str) -> list[tuple[int, int]]:
        """Phone numbers in `flat` (the text with disguising separators read as spaces, same length)."""
        text = ctx.text
        region = REGION.get(ctx.lang, "DK")
        # Words from YAML: `06` or `112` arrive as numbers unless quoted; they are words here.
        account = _words(options.get("account_context", {}).get(ctx.lang, []))
        phone_ctx = _words(options.get("phone_context", {}).get(ctx.lang, []))
        company_ctx = _words(options.get("company_context", {}).get(ctx.lang, []))
        allow = {_digits(str(n)) for n in options.get("allow_numbers", [])} | self.brand_numbers.get(ctx.lang, set())
        out: list[tuple[int, int]] = []
        # No try here: if phonenumbers raises, the engine reports the detector as failed (fail closed,
        # check/failures.py) instead of "no phone numbers found".
        matcher = phonenumbers.PhoneNumberMatcher(flat, region, leniency=phonenumbers.Leniency.VALID,
                                                  max_tries=phone_budget(len(flat)))
        matches = list(matcher)
        if getattr(matcher, "_max_tries", 1) <= 0:
            # It stopped before the end of the draft: numbers after that point were never looked at.
            raise WorkBudgetExceeded("phone numbers: more number-like candidates than the budget")
        for m in matches:
            raw = m.raw_string
            d = _digits(raw)
            if d in allow or d[-8:] in allow:
                continue
            before = text[max(0, m.start - 40):m.start].lower()
            if not raw.lstrip().startswith("+") and any(w in before for w in account):
                continue  # an order/customer number: the account-number rule's business (+45 ... is a phone)
            if any(w in before for w in company_ctx):
                continue  # the company's own hotline
            ptype = phonenumbers.number_type(m.number)
            if ptype in (phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.SHARED_COST,
                         phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.UAN):
                continue
            international = raw.startswith(("+", "00"))
            # Glued to the word before it ("tlf22334455") is a way of hiding it, as good as grouped.
            grouped = bool(regex.search(r"\d[ \-().]+\d", raw)) or m.start > 0 and text[m.start - 1].isalpha()
            has_ctx = any(w in before for w in phone_ctx)
            if international or has_ctx or grouped:
                out.append((m.start, m.end))
        return out


def phone_budget(length: int) -> int:
    """How many number-like candidates that are not phone numbers phonenumbers may try: linear in the
    draft's length (an ordinary 600-character draft gets 32, far more than it has; 10,000 characters
    of digit soup 220 instead of phonenumbers' own 65,535, which took ~0.5 s)."""
    return PHONE_TRIES_BASE + length // PHONE_CHARS_PER_TRY


def _words(values: list[Any]) -> list[str]:
    return [str(v).lower() for v in values]


def _cpr_checksum(d: str) -> bool:
    try:
        return cpr.checksum(d) == 0
    except Exception:
        return False
