"""10,000-character drafts built to make a checker do super-linear work.

`requests()` builds them (deterministically, in memory: the suite is ~1 MB, so it is generated rather than
committed); `python tests/data/adversarial/generate.py OUT.jsonl` writes them as check requests.
Each is a check request (draft, lang, channel, inquiry, customer_name, agent_name) plus `id` and `kind`.
"""
from __future__ import annotations

import json
import random
import sys

SIZE = 10_000
INQUIRY = {
    "da": "Mit internet har været nede i tre dage, og jeg vil have pengene tilbage!",
    "no": "Internettet mitt har vært nede i tre dager, og jeg vil ha pengene tilbake!",
    "nl": "Mijn internet ligt al drie dagen plat en ik wil mijn geld terug!",
    "ru": "У меня три дня не работает интернет, верните деньги!",
}
COMPOUNDS = {
    "da": ["kundeserviceafdelingsmedarbejderforeningsformand", "bredbåndsforbindelsesfejlfindingsvejledning",
           "abonnementsopsigelsesbekræftelsesbrev", "netværksvedligeholdelsesplanlægningsmøde"],
    "no": ["kundeserviceavdelingsmedarbeiderforeningsleder", "bredbåndsforbindelsesfeilsøkingsveiledning",
           "abonnementsoppsigelsesbekreftelsesbrev", "nettverksvedlikeholdsplanleggingsmøte"],
    "nl": ["klantenservicemedewerkersondersteuningsafdeling", "breedbandverbindingsstoringsoplossingshandleiding",
           "abonnementsopzeggingsbevestigingsbrief", "netwerkonderhoudsplanningsvergadering"],
    "ru": ["электроэнергетическийзаведующийподразделением", "высокоскоростнойинтернетподключенияустановка",
           "абонементорасторжениеподтверждение", "сетевогообслуживанияпланированиесовещание"],
}
PROMISE = {"da": "Du får pengene tilbage.", "no": "Du får pengene tilbake.",
           "nl": "Je krijgt je geld terug.", "ru": "Мы вернём вам деньги."}
NAMES = {"da": ("Mette Hansen", "Line"), "no": ("Kari Nordmann", "Ola"), "nl": ("Anne de Vries", "Sanne"),
         "ru": ("Ольга Иванова", "Мария")}


def fit(text: str) -> str:
    return (text * (SIZE // max(len(text), 1) + 1))[:SIZE]


def drafts(lang: str, rng: random.Random) -> list[tuple[str, str]]:
    words = COMPOUNDS[lang]
    out = [
        ("long-compounds", fit(" ".join(rng.choice(words) for _ in range(400)) + " ")),
        ("long-compounds-hyphenated", fit("-".join(rng.choice(words) for _ in range(400)))),
        ("one-long-word", "".join(rng.choice("abcdefghijklmnopqrstuvwxyzæøå") for _ in range(SIZE))),
        ("one-letter-word", "a" * SIZE),
        ("promise-repeated", fit((PROMISE[lang] + " ") * 500)),
        ("promise-no-spaces", fit(PROMISE[lang].replace(" ", "") * 500)),
        ("dotted-capital-i", "İ" * SIZE),
        ("dotted-capital-i-words", fit("İSTANBUL İİİ " * 800)),
        ("digit-soup", "".join(rng.choice("0123456789 -./+") for _ in range(SIZE))),
        ("digits-only", "".join(rng.choice("0123456789") for _ in range(SIZE))),
        ("url-dutch-address", fit("Kerkstraat 12, 1012 AB Amsterdam https://www.voorbeeld.nl/"
                                  + "-".join(rng.choice(words)[:9] for _ in range(110))[:1000] + " ")),
        ("mixed-scripts", "".join(rng.choice("aбcдeфgχψωאבגدهو中文ñÆøå ") for _ in range(SIZE))),
        ("spaces", "Hej" + " " * (SIZE - 6) + "Hej"),
        ("exclamations", fit("Hej!!!!!! ")),
        ("capitals", fit("KUNDESERVICE ER ELENDIG ")),
        ("emoji", fit("🙄😒🤦‍♀️👍🏽 ")),
        ("email-soup", fit("a.b.c.d.e.f@g.h.i.j.k ")),
        ("newlines", fit("Hej\n\n")),
    ]
    return out


def requests() -> list[dict[str, str]]:
    rng = random.Random(20261206)
    lines = []
    for lang in INQUIRY:
        customer, agent = NAMES[lang]
        for kind, draft in drafts(lang, rng):
            assert len(draft) <= SIZE
            lines.append({"id": f"{lang}-{kind}", "kind": kind, "draft": draft, "lang": lang, "channel": "facebook",
                          "inquiry": INQUIRY[lang], "customer_name": customer, "agent_name": agent})
    return lines


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "adversarial.jsonl", "w", encoding="utf-8") as fh:
        for line in requests():
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
