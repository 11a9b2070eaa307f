"""Builds the evasion corpus: forbidden drafts with their forbidden part disguised.

Run:  .venv/bin/python tests/data/evasion/generate.py      (writes corpus.jsonl beside it)

Deterministic (seed 15, issue #15). Every record is a public reply in the
style of an agent's (greeting, one or two sentences, sign-off) in da/no/nl/ru
whose forbidden part (a national ID, card, IBAN, phone, e-mail; a promise
word, an order word, an internal code name) is written in one disguise:
separators between digit groups, other scripts' digits, O/l for 0/1, HTML
entities, Markdown, invisible and format characters, combining marks,
letter spacing, spelled-out e-mail, compounds and hashtags. Numbers are made
valid (checksums) by the generator; every draft's undisguised twin is
checked first and must be caught, so the corpus measures the disguises, not
the rules' vocabulary.

Record: {id, lang, channel, draft, category, kind, base, start, end, plain}
(start/end: the disguised part in `draft`; plain: the undisguised draft).
Code names need a brand rule: rules/codename.yaml here (the corpus test loads it).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Callable

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.dk import cpr
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.ru import inn

HERE = Path(__file__).resolve().parent
SEED = 15

# ------------------------------------------------------------------------- people and frames

PEOPLE = {
    "da": (["Bo", "Mette", "Jens", "Sofie", "Lars", "Camilla", "Henrik", "Ida", "Peter", "Louise"],
           ["Line", "Nikolaj", "Cecilie", "Jonas", "Mia", "Rasmus"],
           ["Hej {c}.", "Hej {c},", "Kære {c}.", "Hej {c}!", "Hej igen {c}."],
           ["Hilsen {a}", "Mvh {a}", "Venlig hilsen {a}", "/{a}", "Hav en god dag. {a}"]),
    "no": (["Kari", "Ola", "Ingrid", "Per", "Silje", "Erik", "Nora", "Lars", "Tuva", "Even"],
           ["Ola", "Marte", "Sindre", "Hanne", "Jonas", "Kristin"],
           ["Hei {c}.", "Hei {c},", "Hei igjen {c}!", "Hallo {c}.", "Hei {c}!"],
           ["Hilsen {a}", "Mvh {a}", "Vennlig hilsen {a}", "Ha en fin dag! {a}", "- {a}"]),
    "nl": (["Sanne", "Bram", "Eva", "Daan", "Lotte", "Ruben", "Fleur", "Joris", "Anouk", "Dirk"],
           ["Bram", "Rosa", "Thijs", "Femke", "Sem", "Noor"],
           ["Hoi {c},", "Hallo {c}.", "Beste {c},", "Hoi {c}!", "Dag {c},"],
           ["Groet, {a}", "Groetjes, {a}", "Met vriendelijke groet, {a}", "^{a}", "Fijne dag! {a}"]),
    "ru": (["Ольга", "Иван", "Анна", "Сергей", "Мария", "Дмитрий", "Елена", "Алексей", "Наталья", "Павел"],
           ["Мария", "Людмила", "Артём", "Зарина", "Кирилл", "Вера"],
           ["{c}, здравствуйте.", "Здравствуйте, {c}!", "{c}, добрый день.", "Добрый вечер, {c}.", "{c}, привет."],
           ["Мария", "С уважением, {a}", "{a}, служба поддержки", "Хорошего дня! {a}", "— {a}"]),
}

# {X}: the identifier. Frames say what agents write when they put a number where it does not belong.
ID_FRAMES = {
    ("da", "cpr"): ["Jeg kan se, at dit CPR-nummer {X} står forkert i systemet, så det retter vi.",
                    "Vi har nu opdateret dit personnummer {X} på aftalen.",
                    "Din sag er oprettet under cpr {X}, så du behøver ikke skrive det igen.",
                    "Tak, CPR {X} passer med det, vi har registreret.",
                    "Aftalen står på {X}, og den er nu flyttet til din nye adresse."],
    ("no", "fnr"): ["Jeg ser at fødselsnummeret ditt {X} er registrert feil, så det retter vi nå.",
                    "Abonnementet står på fødselsnummer {X}, og det er oppdatert.",
                    "Takk, personnummer {X} stemmer med det vi har.",
                    "Saken er knyttet til {X}, så du trenger ikke sende det igjen.",
                    "Vi har lagt inn {X} på avtalen din i dag."],
    ("nl", "bsn"): ["Ik zie dat je BSN {X} verkeerd in ons systeem stond, dat hebben we aangepast.",
                    "Je burgerservicenummer {X} is nu gekoppeld aan je contract.",
                    "Bedankt, BSN {X} klopt met wat wij hebben.",
                    "Het contract staat op {X}, dus je hoeft het niet nog eens te sturen.",
                    "We hebben {X} genoteerd bij je aanvraag."],
    ("ru", "inn"): ["Вижу, что ваш ИНН {X} указан в договоре с ошибкой, мы её исправим.",
                    "ИНН {X} уже привязан к вашему лицевому счёту.",
                    "Спасибо, ИНН {X} совпадает с тем, что у нас в системе.",
                    "Договор оформлен на {X}, повторно присылать не нужно.",
                    "Мы внесли {X} в вашу заявку."],
    ("ru", "snils"): ["Ваш СНИЛС {X} проверен, всё в порядке.",
                      "СНИЛС {X} мы добавили в карточку клиента.",
                      "Спасибо, номер СНИЛС {X} совпадает с данными в договоре.",
                      "В заявке указан {X}, менять ничего не нужно."],
    ("*", "card"): {
        "da": ["Kortet {X} blev afvist af banken, så betalingen er ikke gået igennem.",
               "Jeg kan se, at dit betalingskort {X} er udløbet.",
               "Vi har trukket beløbet på kort {X} i går.",
               "Din automatiske betaling kører stadig på {X}."],
        "no": ["Kortet {X} ble avvist av banken, så betalingen gikk ikke gjennom.",
               "Jeg ser at betalingskortet ditt {X} har gått ut.",
               "Beløpet er trukket fra kort {X} i går.",
               "Den faste betalingen går fortsatt til {X}."],
        "nl": ["De kaart {X} is door de bank geweigerd, dus de betaling is niet gelukt.",
               "Ik zie dat je creditcard {X} verlopen is.",
               "We hebben het bedrag gisteren van kaart {X} afgeschreven.",
               "De automatische betaling loopt nog via {X}."],
        "ru": ["Карта {X} отклонена банком, поэтому платёж не прошёл.",
               "Вижу, что срок действия вашей карты {X} истёк.",
               "Списание прошло вчера с карты {X}.",
               "Автоплатёж у вас привязан к {X}."]},
    ("*", "iban"): {
        "da": ["Vi refunderer ikke automatisk, men jeg kan se kontoen {X} på din aftale.",
               "Betalingen kommer fra {X}, og den er registreret korrekt.",
               "Jeg har noteret {X} som din konto til betalinger.",
               "Beløbet er trukket fra IBAN {X} den 1. i måneden."],
        "no": ["Betalingen går fra kontoen {X}, og den er registrert riktig.",
               "Jeg har notert {X} som kontoen din for trekk.",
               "Beløpet ble trukket fra IBAN {X} den 1. i måneden.",
               "Vi ser at {X} står på avtalen din."],
        "nl": ["Het bedrag is afgeschreven van rekening {X}, dat klopt.",
               "Ik heb {X} genoteerd als je rekening voor de incasso.",
               "De incasso loopt via IBAN {X} op de eerste van de maand.",
               "We zien dat {X} bij je contract staat."]},
    ("*", "phone"): {
        "da": ["Ring til mig på {X}, så ordner vi det.",
               "Jeg har skrevet dit mobilnummer {X} ind i sagen.",
               "Teknikeren ringer dig op på {X} i morgen formiddag.",
               "Send en sms til {X}, hvis du ikke er hjemme."],
        "no": ["Ring meg på {X}, så ordner vi det.",
               "Jeg har lagt inn mobilnummeret ditt {X} i saken.",
               "Teknikeren ringer deg på {X} i morgen tidlig.",
               "Send en sms til {X} hvis du ikke er hjemme."],
        "nl": ["Bel me even op {X}, dan lossen we het op.",
               "Ik heb je mobiele nummer {X} in het dossier gezet.",
               "De monteur belt je morgenochtend op {X}.",
               "Stuur een sms naar {X} als je niet thuis bent."],
        "ru": ["Позвоните мне по номеру {X}, и мы всё решим.",
               "Ваш мобильный {X} я добавила в заявку.",
               "Мастер перезвонит вам на {X} завтра утром.",
               "Напишите смс на {X}, если вас не будет дома."]},
    ("*", "email"): {
        "da": ["Svaret er sendt til {X}, så tjek lige din indbakke.",
               "Skriv direkte til mig på {X}, så kigger jeg på det.",
               "Jeg har opdateret din mail til {X}.",
               "Fakturaen går nu til {X}."],
        "no": ["Svaret er sendt til {X}, så sjekk innboksen din.",
               "Skriv direkte til meg på {X}, så ser jeg på det.",
               "Jeg har oppdatert e-posten din til {X}.",
               "Fakturaen går nå til {X}."],
        "nl": ["Het antwoord is naar {X} gestuurd, kijk even in je inbox.",
               "Mail me direct op {X}, dan kijk ik ernaar.",
               "Ik heb je e-mailadres gewijzigd in {X}.",
               "De factuur gaat voortaan naar {X}."],
        "ru": ["Ответ отправлен на {X}, проверьте, пожалуйста, почту.",
               "Напишите мне напрямую на {X}, я посмотрю.",
               "Я изменила вашу почту на {X}.",
               "Счёт теперь приходит на {X}."]},
}

# [[...]]: the word(s) the disguise is applied to; the rule that catches the plain draft must still fire.
PHRASE_FRAMES = {
    ("da", "promise"): ["Som plaster på såret får du en [[gratis]] måned.",
                        "Du får selvfølgelig pengene [[tilbage]] for hele perioden.",
                        "Vi [[refunderer]] de tre dage, du har været uden net.",
                        "Du får en [[kreditnota]] på 200 kr. på næste regning.",
                        "Det [[garanterer]] jeg dig: det sker ikke igen.",
                        "Jeg giver dig 50 % [[rabat]] resten af året."],
    ("da", "order"): ["Jeg har nu [[bestilt]] en tekniker til dig på tirsdag.",
                      "Jeg har [[opgraderet]] dit abonnement til 1000 Mbit.",
                      "Dit abonnement er nu [[opsagt]], og du får en kvittering.",
                      "Jeg har [[booket]] en montør til dig i morgen kl. 8.",
                      "Så er det ordnet, [[ordren]] er lagt."],
    ("no", "promise"): ["Som plaster på såret får du en [[gratis]] måned.",
                        "Du får selvfølgelig pengene [[tilbake]] for hele perioden.",
                        "Vi [[refunderer]] de tre dagene du var uten nett.",
                        "Du får en [[kreditnota]] på 200 kr på neste regning.",
                        "Det [[garanterer]] jeg deg, det skjer ikke igjen.",
                        "Jeg gir deg 50 % [[rabatt]] resten av året."],
    ("no", "order"): ["Jeg har nå [[bestilt]] en tekniker til deg på tirsdag.",
                      "Jeg har [[oppgradert]] abonnementet ditt til 1000 Mbit.",
                      "Abonnementet ditt er nå [[sagt opp]], og du får en kvittering.",
                      "Jeg har [[booket]] en montør til deg i morgen klokka 8.",
                      "[[Bestillingen]] din er nå registrert."],
    ("nl", "promise"): ["Als pleister op de wonde krijg je een maand [[gratis]].",
                        "Je krijgt het geld natuurlijk [[terug]] voor de hele periode.",
                        "We [[vergoeden]] de drie dagen dat je geen internet had.",
                        "Je krijgt een [[creditnota]] van 20 euro op je volgende factuur.",
                        "Dat [[garandeer]] ik je, het gebeurt niet meer.",
                        "Ik geef je 50% [[korting]] voor de rest van het jaar."],
    ("nl", "order"): ["Ik heb nu een monteur voor je [[ingepland]] op dinsdag.",
                      "Ik heb je abonnement [[geüpgraded]] naar 1000 Mbit.",
                      "Je abonnement is nu [[opgezegd]], je krijgt een bevestiging.",
                      "Ik heb een monteur [[ingepland]] voor morgen om 8 uur.",
                      "Je [[bestelling]] is geplaatst."],
    ("ru", "promise"): ["В качестве компенсации вы получите месяц [[бесплатно]].",
                        "Мы, конечно, [[вернём]] вам деньги за весь период.",
                        "Мы [[компенсируем]] три дня без интернета.",
                        "Я [[гарантирую]], что это больше не повторится.",
                        "Я дам вам [[скидку]] 50 % до конца года.",
                        "Даю [[слово]], что цена для вас не изменится."],
    ("ru", "order"): ["Я уже [[оформила]] выезд мастера на вторник.",
                      "Я [[подключила]] вам тариф 1000 Мбит/с.",
                      "Ваш договор [[расторгнут]], подтверждение придёт на почту.",
                      "Я [[записала]] вас к мастеру на завтра, 8 утра.",
                      "Ваша [[заявка]] на смену тарифа уже оформлена."],
}

# Internal code names (tests/data/evasion/rules/codename.yaml: "Project Nordlys", "nordlys").
CODE_FRAMES = {
    "da": ["Den nye router er en del af {X}, som lanceres til foråret.",
           "Prisen bliver justeret i forbindelse med {X}.",
           "Det hører under {X}, så det kan jeg ikke sige mere om."],
    "no": ["Den nye ruteren er en del av {X}, som kommer til våren.",
           "Prisen blir justert i forbindelse med {X}.",
           "Det hører inn under {X}, så mer kan jeg ikke si."],
    "nl": ["De nieuwe router hoort bij {X}, dat in het voorjaar start.",
           "De prijs wordt aangepast in het kader van {X}.",
           "Dat valt onder {X}, dus meer kan ik er niet over zeggen."],
    "ru": ["Новый роутер — часть {X}, запуск весной.",
           "Цена изменится в рамках {X}.",
           "Это относится к {X}, больше сказать не могу."],
}
CODE_FORMS = {  # (plain, {kind: disguised}) per language
    "da": ("Project Nordlys", {"compound_hyphen": "projekt-nordlys", "compound_suffix": "Nordlys-projektet",
                               "hashtag_camel": "#ProjectNordlys", "camel_case": "ProjektNordlys"}),
    "no": ("Project Nordlys", {"compound_hyphen": "prosjekt-nordlys", "compound_suffix": "Nordlys-prosjektet",
                               "hashtag_camel": "#ProjectNordlys", "camel_case": "ProsjektNordlys"}),
    "nl": ("Project Nordlys", {"compound_hyphen": "project-nordlys", "compound_suffix": "Nordlys-project",
                               "hashtag_camel": "#ProjectNordlys", "camel_case": "ProjectNordlys"}),
    "ru": ("Project Nordlys", {"compound_hyphen": "проект-Nordlys", "compound_suffix": "Nordlys-проекта",
                               "hashtag_camel": "#ProjectNordlys", "camel_case": "ProjectNordlys"}),
}

EMAILS = {
    "da": [("bo.hansen", "gmail", "com"), ("mette.lund", "hotmail", "com"), ("jens1978", "live", "dk"),
           ("sofie_k", "outlook", "dk"), ("lars.p", "mail", "dk")],
    "no": [("kari.nordmann", "online", "no"), ("ola.hansen", "gmail", "com"), ("ingrid88", "hotmail", "no"),
           ("per_e", "outlook", "com"), ("silje.b", "yahoo", "no")],
    "nl": [("sanne.devries", "ziggo", "nl"), ("bram.jansen", "gmail", "com"), ("eva1990", "kpnmail", "nl"),
           ("daan_b", "hotmail", "nl"), ("lotte.m", "outlook", "com")],
    "ru": [("olga.ivanova", "mail", "ru"), ("ivan.petrov", "yandex", "ru"), ("anna1985", "gmail", "com"),
           ("sergey_k", "rambler", "ru"), ("m.sidorova", "bk", "ru")],
}
AT_WORDS = {"da": ("snabel-a", "punktum"), "no": ("krøllalfa", "punktum"), "nl": ("apenstaartje", "punt"),
            "ru": ("собака", "точка")}

# ------------------------------------------------------------------------- valid numbers


def _cpr(rng: random.Random) -> list[str]:
    while True:  # an old-style CPR that also passes the modulo-11 check
        d = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}{rng.randint(0, 9999):04d}"
        if cpr.is_valid(d) and cpr.checksum(d) == 0:
            return [d[:6], d[6:]]


def _fnr(rng: random.Random) -> list[str]:
    while True:
        base = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rng.randint(0, 499):03d}"
        c1 = fodselsnummer.calc_check_digit1(base)
        d = base + c1 + fodselsnummer.calc_check_digit2(base + c1)
        if fodselsnummer.is_valid(d):
            return [d[:6], d[6:]]


def _bsn(rng: random.Random) -> list[str]:
    while True:
        d = f"{rng.randint(10000000, 99999999):08d}"
        for last in "0123456789":
            if bsn.is_valid(d + last):
                n = d + last
                return [n[:4], n[4:6], n[6:]] if rng.random() < 0.5 else [n[:3], n[3:6], n[6:]]


def _inn(rng: random.Random) -> list[str]:
    if rng.random() < 0.5:
        base = f"{rng.randint(1, 99):02d}{rng.randint(0, 9999999):07d}"
        d = base + inn.calc_company_check_digit(base)
        return [d[:4], d[4:]]
    base = f"{rng.randint(1, 99):02d}{rng.randint(0, 99999999):08d}"
    d = base + inn.calc_personal_check_digits(base)
    return [d[:4], d[4:8], d[8:]]


def _snils(rng: random.Random) -> list[str]:
    base = f"{rng.randint(100000000, 999999999)}"
    total = sum(int(c) * (9 - i) for i, c in enumerate(base))
    check = total if total < 100 else (0 if total in (100, 101) else total % 101)
    d = base + f"{check % 100:02d}"
    return [d[:3], d[3:6], d[6:9], d[9:]]


def _card(rng: random.Random) -> list[str]:
    prefix = rng.choice(["4", "51", "52", "53", "54", "55", "2200", "2202"])
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(15 - len(prefix)))
    d = body + luhn.calc_check_digit(body)
    return [d[i:i + 4] for i in range(0, 16, 4)]


def _iban(rng: random.Random, lang: str) -> list[str]:
    country, bban = {"da": ("DK", lambda: "".join(str(rng.randint(0, 9)) for _ in range(14))),
                     "no": ("NO", lambda: _mod11_no(rng)),
                     "nl": ("NL", lambda: rng.choice(["ABNA", "INGB", "RABO", "TRIO"]) + _nl_account(rng))}[lang]
    b = bban()
    number = country + std_iban.calc_check_digits(country + "00" + b) + b
    assert std_iban.is_valid(number), number
    return [number[i:i + 4] for i in range(0, len(number), 4)]


def _mod11_no(rng: random.Random) -> str:
    while True:
        d = "".join(str(rng.randint(0, 9)) for _ in range(10))
        total = sum(int(c) * w for c, w in zip(d, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return d + str(check)


def _nl_account(rng: random.Random) -> str:
    while True:  # Dutch bank accounts pass an 11-test (stdnum checks it)
        d = f"{rng.randint(0, 9999999999):010d}"
        if sum(int(c) * (10 - i) for i, c in enumerate(d)) % 11 == 0:
            return d


def _phone(rng: random.Random, lang: str) -> list[str]:
    while True:
        if lang == "da":
            d = rng.choice(["20", "22", "26", "28", "30", "31", "40", "41", "42", "50", "51", "60", "61", "71", "81",
                            "91", "93"]) + f"{rng.randint(0, 999999):06d}"
            groups, full = [d[:2], d[2:4], d[4:6], d[6:]], "+45" + d
        elif lang == "no":
            d = rng.choice(["4", "9"]) + f"{rng.randint(0, 9999999):07d}"
            groups, full = [d[:3], d[3:5], d[5:]], "+47" + d
        elif lang == "nl":
            d = "06" + f"{rng.randint(10000000, 99999999)}"
            groups, full = [d[:2], d[2:6], d[6:]], "+31" + d[1:]
        else:
            d = "89" + f"{rng.randint(10, 99)}{rng.randint(0, 9999999):07d}"
            groups, full = [d[:1], d[1:4], d[4:7], d[7:9], d[9:]], "+7" + d[1:]
        if phonenumbers.is_valid_number(phonenumbers.parse(full)):
            return groups


NUMBERS: dict[str, Callable[[random.Random, str], list[str]]] = {
    "cpr": lambda r, lang: _cpr(r), "fnr": lambda r, lang: _fnr(r), "bsn": lambda r, lang: _bsn(r),
    "inn": lambda r, lang: _inn(r), "snils": lambda r, lang: _snils(r), "card": lambda r, lang: _card(r),
    "iban": _iban, "phone": _phone,
}
CANONICAL_SEP = {"cpr": "-", "fnr": " ", "bsn": ".", "inn": " ", "snils": "-", "card": " ", "iban": " ", "phone": " "}

# ------------------------------------------------------------------------- disguises

DIGIT_SCRIPTS = {"arabic_indic": 0x0660, "extended_arabic_indic": 0x06F0, "devanagari": 0x0966,
                 "bengali": 0x09E6, "thai": 0x0E50, "fullwidth": 0xFF10, "mathematical_bold": 0x1D7CE}
SEPARATORS = {"underscore": "_", "comma": ",", "middle_dot": "·", "en_dash": "–", "em_dash": "—",
              "several_spaces": "    ", "line_break": "\n", "blank_line": "\n\n", "nbsp_entity": "&nbsp;",
              "slash": "/", "hangul_filler": "\u3164"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
TAGS = [chr(c) for c in range(0xE0020, 0xE007F)]
# Characters put between the characters of the disguised part.
INSERTS: dict[str, Callable[[random.Random], str]] = {
    "zero_width": lambda r: r.choice(ZERO_WIDTH),
    "soft_hyphen": lambda r: "\u00ad",
    "bidi_isolate": lambda r: r.choice(["\u2066", "\u2067", "\u2068", "\u2069"]),
    "bidi_override": lambda r: r.choice(["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u200e", "\u200f"]),
    "grapheme_joiner": lambda r: "\u034f",
    "variation_selector": lambda r: r.choice(["\ufe0e", "\ufe0f", "\ufe00", chr(0xE0100)]),
    "tag_characters": lambda r: "".join(r.choice(TAGS) for _ in range(r.randint(1, 3))),
    "hangul_filler_inside": lambda r: r.choice(["\u3164", "\u115f", "\u1160", "\uffa0"]),
}
MARKS = {"combining_underline": "\u0332", "combining_strike": "\u0336", "combining_overline": "\u0305",
         "combining_double_underline": "\u0333"}


def _between(s: str, insert: Callable[[], str], rng: random.Random, every: bool) -> str:
    out = [s[0]]
    for ch in s[1:]:
        if every or rng.random() < 0.5:
            out.append(insert())
        out.append(ch)
    return "".join(out)


def _entities(s: str, rng: random.Random) -> str:
    out = []
    for ch in s:
        if ch.isalnum() and rng.random() < 0.6:
            out.append(f"&#{ord(ch)};" if rng.random() < 0.5 else f"&#x{ord(ch):x};")
        elif ch == " ":
            out.append("&nbsp;" if rng.random() < 0.5 else " ")
        elif ch == "&":
            out.append("&amp;")
        else:
            out.append(ch)
    return "".join(out)


def _markdown(s: str, rng: random.Random) -> str:
    style = rng.choice(["**", "__", "~~", "`", "*", "inner"])
    if style == "inner" and len(s) >= 4:  # bold a piece inside the word: gr**a**tis
        i = rng.randint(1, len(s) - 2)
        return s[:i] + "**" + s[i] + "**" + s[i + 1:]
    style = "**" if style == "inner" else style
    return f"{style}{s}{style}"


def _ol(s: str, rng: random.Random) -> str:
    return "".join(rng.choice("Oo") if c == "0" else rng.choice("lI") if c == "1" else c for c in s)


def _letters_spaced(s: str, sep: str) -> str:
    return "  ".join(sep.join(word) for word in s.split(" "))


def disguise_number(kind: str, groups: list[str], base: str, rng: random.Random) -> str:
    canonical = CANONICAL_SEP[base].join(groups)
    if kind in SEPARATORS:
        return SEPARATORS[kind].join(groups)
    if kind in DIGIT_SCRIPTS:
        zero = DIGIT_SCRIPTS[kind]
        return "".join(chr(zero + int(c)) if c.isdigit() else c for c in canonical)
    if kind == "o_for_0_l_for_1":
        return _ol(canonical, rng)
    if kind == "html_entities":
        return _entities(canonical, rng)
    if kind == "markdown":
        return _markdown(canonical, rng)
    if kind in INSERTS:
        return _between(canonical, lambda: INSERTS[kind](rng), rng, every=False)
    if kind in MARKS:
        return "".join(c + MARKS[kind] if c.isalnum() else c for c in canonical)
    if kind in ("glued", "glued_both"):
        return "".join(groups)
    if kind == "spaced_digits":
        return " ".join("".join(groups))
    raise ValueError(kind)


def disguise_words(kind: str, s: str, rng: random.Random) -> str:
    if kind == "letter_spaced":
        return _letters_spaced(s, " ")
    if kind == "letter_dotted":
        return _letters_spaced(s, ".")
    if kind == "letter_hyphenated":
        return _letters_spaced(s, "-")
    if kind == "html_entities":
        return _entities(s, rng)
    if kind == "markdown":
        return _markdown(s, rng)
    if kind == "fullwidth_letters":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)
    if kind == "homoglyph_letters":  # Latin look-alikes inside a Cyrillic word
        return s.translate(str.maketrans("аеорсхуАЕОРСХ", "aeopcxyAEOPCX"))
    if kind in INSERTS:
        return _between(s, lambda: INSERTS[kind](rng), rng, every=kind != "hangul_filler_inside")
    if kind in MARKS:
        return "".join(c + MARKS[kind] if c.isalpha() else c for c in s)
    raise ValueError(kind)


def disguise_email(kind: str, lang: str, parts: tuple[str, str, str], rng: random.Random) -> str:
    local, domain, tld = parts
    at_word, dot_word = AT_WORDS[lang]
    forms = {
        "at_parentheses": f"{local} (at) {domain} (dot) {tld}",
        "at_brackets": f"{local}[at]{domain}[dot]{tld}",
        "at_braces": f"{local} {{at}} {domain} {{dot}} {tld}",
        "at_word": f"{local} at {domain} dot {tld}",
        "at_spaced": f"{local} @ {domain} . {tld}",
        "at_spaced_plain_dot": f"{local} @ {domain}.{tld}",
        "at_local_words": f"{local} {at_word} {domain} {dot_word} {tld}",
        "at_local_words_brackets": f"{local} ({at_word}) {domain} ({dot_word}) {tld}",
        "at_fullwidth": f"{local}＠{domain}．{tld}",
        "at_entity": f"{local}&#64;{domain}&#46;{tld}",
    }
    if kind in forms:
        return forms[kind]
    plain = f"{local}@{domain}.{tld}"
    if kind in INSERTS:
        return _between(plain, lambda: INSERTS[kind](rng), rng, every=False)
    if kind == "markdown":
        return _markdown(plain, rng)
    raise ValueError(kind)


NUMBER_KINDS = (list(SEPARATORS) + list(DIGIT_SCRIPTS) + ["o_for_0_l_for_1", "html_entities", "markdown", "glued"]
                + list(INSERTS) + list(MARKS))
WORD_KINDS = (["letter_spaced", "letter_dotted", "letter_hyphenated", "html_entities", "markdown",
               "fullwidth_letters"] + list(INSERTS) + list(MARKS))
EMAIL_KINDS = ["at_parentheses", "at_brackets", "at_braces", "at_word", "at_spaced", "at_spaced_plain_dot",
               "at_local_words", "at_local_words_brackets", "at_fullwidth", "at_entity", "zero_width",
               "soft_hyphen", "bidi_isolate", "tag_characters", "markdown"]
CODE_KINDS = ["compound_hyphen", "compound_suffix", "hashtag_camel", "camel_case", "letter_spaced",
              "zero_width", "html_entities", "markdown", "combining_underline", "bidi_isolate"]

CATEGORY = {"cpr": "forbidden.personal_data", "fnr": "forbidden.personal_data", "bsn": "forbidden.personal_data",
            "inn": "forbidden.personal_data", "snils": "forbidden.personal_data", "card": "forbidden.personal_data",
            "iban": "forbidden.personal_data", "phone": "forbidden.personal_data",
            "email": "forbidden.personal_data", "promise": "forbidden.unauthorized_promise",
            "order": "forbidden.public_order", "code_name": "forbidden.confidential"}
CHANNELS = {"da": ["facebook", "twitter", "trustpilot"], "no": ["facebook", "twitter", "trustpilot"],
            "nl": ["facebook", "twitter", "trustpilot"], "ru": ["vk", "facebook", "twitter"]}

# ------------------------------------------------------------------------- building


def _frame(rng: random.Random, lang: str, sentence: str) -> tuple[str, str]:
    customers, agents, greetings, signs = PEOPLE[lang]
    c, a = rng.choice(customers), rng.choice(agents)
    return rng.choice(greetings).format(c=c) + " ", " " + rng.choice(signs).format(a=a)


def _record(rng: random.Random, lang: str, base: str, kind: str, sentence: str, plain_x: str,
            disguised_x: str) -> dict:
    head, tail = _frame(rng, lang, sentence)
    before, after = sentence.split("{X}")
    if kind in ("glued", "glued_both"):
        before = before.rstrip()
    plain = head + sentence.replace("{X}", plain_x) + tail
    draft = head + before + disguised_x + after + tail
    start = len(head) + len(before)
    return {"lang": lang, "channel": rng.choice(CHANNELS[lang]), "draft": draft, "category": CATEGORY[base],
            "kind": kind, "base": base, "start": start, "end": start + len(disguised_x), "plain": plain}


def build() -> list[dict]:
    rng = random.Random(SEED)
    records: list[dict] = []
    id_bases = {"da": ["cpr"], "no": ["fnr"], "nl": ["bsn"], "ru": ["inn", "snils"]}
    for lang in ("da", "no", "nl", "ru"):
        number_bases = id_bases[lang] + ["card", "phone"] + (["iban"] if lang != "ru" else [])
        for base in number_bases:
            frames = ID_FRAMES.get((lang, base)) or ID_FRAMES[("*", base)][lang]
            kinds = list(NUMBER_KINDS)
            rng.shuffle(kinds)
            per_kind = 2 if base in id_bases[lang] or base in ("card", "iban") else 1
            for kind in kinds:
                for _ in range(per_kind):
                    groups = NUMBERS[base](rng, lang)
                    while kind == "o_for_0_l_for_1" and sum(c in "01" for g in groups for c in g) < 2:
                        groups = NUMBERS[base](rng, lang)
                    sentence = rng.choice(frames)
                    plain_x = CANONICAL_SEP[base].join(groups)
                    records.append(_record(rng, lang, base, kind, sentence, plain_x,
                                           disguise_number(kind, groups, base, rng)))
        for kind in EMAIL_KINDS:
            for _ in range(2):
                parts = rng.choice(EMAILS[lang])
                sentence = rng.choice(ID_FRAMES[("*", "email")][lang])
                records.append(_record(rng, lang, "email", kind, sentence, "{}@{}.{}".format(*parts),
                                       disguise_email(kind, lang, parts, rng)))
        for base in ("promise", "order"):
            frames = PHRASE_FRAMES[(lang, base)]
            for kind in WORD_KINDS:
                if lang == "ru" and kind == "fullwidth_letters":
                    kind = "homoglyph_letters"  # Cyrillic has no fullwidth forms
                for _ in range(2):
                    sentence = rng.choice(frames)
                    word = sentence[sentence.index("[[") + 2:sentence.index("]]")]
                    templ = sentence.replace(f"[[{word}]]", "{X}")
                    records.append(_record(rng, lang, base, kind, templ, word, disguise_words(kind, word, rng)))
        plain_code, forms = CODE_FORMS[lang]
        for kind in CODE_KINDS:
            for _ in range(2):
                sentence = rng.choice(CODE_FRAMES[lang])
                x = forms.get(kind) or disguise_words(kind, plain_code, rng)
                records.append(_record(rng, lang, "code_name", kind, sentence, plain_code, x))
    for i, rec in enumerate(records):
        rec["id"] = f"{rec['lang']}-{rec['base']}-{rec['kind']}-{i:04d}"
    return records


def verify_plain(records: list[dict]) -> list[dict]:
    """Records whose undisguised draft is not caught (the corpus must test disguises, not vocabulary)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from replykit import ReplyKit

    kit = ReplyKit.load(rules=HERE / "rules")
    bad = []
    for rec in records:
        result = kit.check(rec["plain"], lang=rec["lang"], channel=rec["channel"])
        if not any(f.category == rec["category"] and f.severity == "error" for f in result.findings):
            bad.append(rec)
    return bad


if __name__ == "__main__":
    corpus = build()
    missing = verify_plain(corpus)
    for rec in missing:
        print("plain not caught:", rec["id"], repr(rec["plain"]), file=sys.stderr)
    if missing:
        sys.exit(1)
    with (HERE / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for rec in corpus:
            fh.write(json.dumps({k: rec[k] for k in ("id", "lang", "channel", "draft", "category", "kind", "base",
                                                     "start", "end", "plain")}, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} drafts written to {HERE / 'corpus.jsonl'}")
