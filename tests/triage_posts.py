# ruff: noqa: E501  (posts are data: one post a line reads better than wrapped strings)
"""A synthetic storm night for the triage tests: hundreds of outage posts in one area within an
hour, in varied wording (openers x problems x places x questions x endings, per language),
mixed with unrelated posts, a legal threat, a safety case and a troll. Seeded: the same posts
on every run."""
from __future__ import annotations

import datetime as dt
import random

AREA = {"da": "Aarhus", "no": "Bergen", "nl": "Utrecht", "ru": "Казани"}

OUTAGE = {
    "da": {
        "open": ["", "Hej. ", "Hallo Fibra. ", "Hej Fibra! ", "Godaften. ", "Undskyld men ", "Hmm, "],
        "problem": ["nettet er nede", "vi har intet internet", "der er ingen forbindelse", "tv og internet er væk",
                    "internettet er gået ned", "vi er uden net", "fibernettet virker ikke", "routeren siger ingen forbindelse",
                    "der er nedbrud", "alt er død, både tv og net", "ingen tv-signal og intet net", "nettet røg lige"],
        "place": ["i {a}", "her i {a}", "i hele {a}", "i {a} C", "", "", "hos os og naboerne", "på hele vejen"],
        "ask": ["Er der en fejl?", "Hvornår virker det igen?", "Er det kun mig?", "Kender I til det?",
                "Arbejder nogen på det?", "Er der driftsforstyrrelse?", "Hvad sker der?", ""],
        "end": ["", "", " 😕", "!!", " Tak.", " Mvh", "?"],
    },
    "no": {
        "open": ["", "Hei. ", "Hei Fibra! ", "God kveld. ", "Hallo, ", "Unnskyld, men "],
        "problem": ["nettet er nede", "vi har ikke internett", "det er ingen forbindelse", "tv og internett er borte",
                    "internett har falt ut", "vi er uten nett", "fibernettet virker ikke", "ruteren finner ikke nett",
                    "det er brudd på nettet", "alt er dødt, både tv og nett", "ingen tv-signal og ikke noe nett"],
        "place": ["i {a}", "her i {a}", "i hele {a}", "i {a} sentrum", "", "", "hos oss og naboene", "i hele gata"],
        "ask": ["Er det feil?", "Når virker det igjen?", "Er det bare meg?", "Vet dere om det?",
                "Jobber noen med saken?", "Er det driftsforstyrrelse?", "Hva skjer?", ""],
        "end": ["", "", " 😕", "!!", " Takk.", " Mvh", "?"],
    },
    "nl": {
        "open": ["", "Hoi. ", "Hallo Fibra, ", "Goedenavond. ", "Hey, ", "Sorry maar "],
        "problem": ["het internet ligt eruit", "we hebben geen internet", "er is geen verbinding", "tv en internet zijn weg",
                    "internet is uitgevallen", "we zitten zonder internet", "glasvezel doet het niet", "de modem vindt geen verbinding",
                    "er is een storing", "alles ligt plat, tv en internet", "geen tv-signaal en geen internet"],
        "place": ["in {a}", "hier in {a}", "in heel {a}", "in {a} centrum", "", "", "bij ons en de buren", "in de hele straat"],
        "ask": ["Is er een storing?", "Wanneer werkt het weer?", "Ligt het aan mij?", "Weten jullie ervan?",
                "Wordt eraan gewerkt?", "Is er een storing bekend?", "Wat is er aan de hand?", ""],
        "end": ["", "", " 😕", "!!", " Bedankt.", " Groet", "?"],
    },
    "ru": {
        "open": ["", "Здравствуйте. ", "Добрый вечер. ", "Fibra, ", "Привет. ", "Извините, но "],
        "problem": ["интернет не работает", "у нас нет интернета", "нет связи", "пропали и ТВ, и интернет",
                    "интернет отвалился", "сидим без интернета", "оптика не работает", "роутер не видит сеть",
                    "авария на линии?", "всё лежит, и ТВ и интернет", "нет сигнала ТВ и интернета"],
        "place": ["в {a}", "у нас в {a}", "во всей {a}", "в центре {a}", "", "", "у нас и у соседей", "во всем доме"],
        "ask": ["Это авария?", "Когда починят?", "Это только у меня?", "Вы в курсе?",
                "Кто-нибудь этим занимается?", "Есть сбой?", "Что происходит?", ""],
        "end": ["", "", " 😕", "!!", " Спасибо.", "", "?"],
    },
}

OTHERS = {
    "da": ["Hvorfor er min regning højere denne måned? Jeg har ikke ændret abonnement.",
           "Tak til Sofie i kundeservice, hun var super hjælpsom i går!",
           "Hvad koster det at skifte til 1000 Mbit?",
           "Jeg vil gerne bestille Fibra Play til min mor, hvordan gør jeg det?",
           "Det ville være fedt hvis appen kunne vise mit dataforbrug.",
           "Min wifi er langsom på første sal, kan jeg få en ekstra router?",
           "Hvornår kommer den nye tv-boks?",
           "Jeg har betalt to gange for november, kan I se på det?",
           "Kan I ringe mig op i morgen formiddag om mit abonnement?",
           "Super hurtig levering af min nye router, tak!"],
    "no": ["Hvorfor er regningen min høyere denne måneden? Jeg har ikke endret abonnement.",
           "Takk til Sindre i kundeservice, han var veldig hjelpsom i går!",
           "Hva koster det å oppgradere til 1000 Mbit?",
           "Jeg vil gjerne bestille Fibra TV til mamma, hvordan gjør jeg det?",
           "Det hadde vært fint om appen viste databruken min.",
           "WiFi-en er treg i andre etasje, kan jeg få en ekstra ruter?",
           "Når kommer den nye tv-boksen?",
           "Jeg har betalt to ganger for november, kan dere se på det?",
           "Kan dere ringe meg i morgen formiddag om abonnementet?",
           "Veldig rask levering av den nye ruteren, takk!"],
    "nl": ["Waarom is mijn rekening deze maand hoger? Ik heb mijn abonnement niet veranderd.",
           "Dank aan Ruud van de klantenservice, hij was gisteren heel behulpzaam!",
           "Wat kost het om te upgraden naar 1000 Mbit?",
           "Ik wil graag Fibra TV bestellen voor mijn moeder, hoe doe ik dat?",
           "Het zou mooi zijn als de app mijn dataverbruik liet zien.",
           "Mijn wifi is traag op de eerste verdieping, kan ik een extra router krijgen?",
           "Wanneer komt het nieuwe tv-kastje?",
           "Ik heb twee keer betaald voor november, kunnen jullie dat bekijken?",
           "Kunnen jullie me morgenochtend terugbellen over mijn abonnement?",
           "Supersnelle levering van mijn nieuwe router, dank jullie!"],
    "ru": ["Почему счет за этот месяц больше? Я тариф не менял.",
           "Спасибо Дмитрию из поддержки, очень помог вчера!",
           "Сколько стоит перейти на 1000 Мбит?",
           "Хочу подключить Fibra TV маме, как это сделать?",
           "Было бы здорово, если бы приложение показывало расход трафика.",
           "Wi-Fi медленный на втором этаже, можно получить второй роутер?",
           "Когда появится новая ТВ-приставка?",
           "Я дважды оплатил ноябрь, можете проверить?",
           "Перезвоните мне завтра утром насчет тарифа, пожалуйста.",
           "Очень быстро привезли новый роутер, спасибо!"],
}

SPECIAL = {
    "da": {"legal": "Jeg har betalt for en hastighed jeg aldrig får. Min advokat kontakter jer, og jeg går til Teleklagenævnet.",
           "safety": "Der kommer røg ud af jeres router og den lugter brændt! Hvad gør jeg?",
           "troll": "I er nogle SVINDLERE og BEDRAGERE!!! Del det så alle ved det. Jeg politianmelder jer efter straffeloven og ser jer i retten.",
           "phone": "Skriv til mig på 22 33 44 55 eller peter.hansen@gmail.com, min regning er forkert."},
    "no": {"legal": "Jeg betaler for en hastighet jeg aldri får. Advokaten min kontakter dere, og jeg klager til Forbrukerrådet.",
           "safety": "Det kommer røyk ut av ruteren deres og det lukter brent! Hva gjør jeg?",
           "troll": "Dere er noen SVINDLERE og BEDRAGERE!!! Del dette så alle vet det. Jeg anmelder dere til politiet etter straffeloven og vi sees i retten.",
           "phone": "Send meg en melding på 412 34 567 eller kari.nordmann@gmail.com, regningen min er feil."},
    "nl": {"legal": "Ik betaal voor een snelheid die ik nooit krijg. Mijn advocaat neemt contact op en ik stap naar de Geschillencommissie.",
           "safety": "Er komt rook uit jullie modem en het ruikt verbrand! Wat moet ik doen?",
           "troll": "Jullie zijn OPLICHTERS en BEDRIEGERS!!! Deel dit zodat iedereen het weet. Ik doe aangifte bij de politie en we zien elkaar in de rechtszaal.",
           "phone": "Bel me op 06 12345678 of mail naar jan.jansen@gmail.com, mijn factuur klopt niet."},
    "ru": {"legal": "Я плачу за скорость, которой никогда нет. Мой юрист с вами свяжется, подам иск в суд и жалобу в Роспотребнадзор.",
           "safety": "Из вашего роутера идет дым и пахнет гарью! Что делать?",
           "troll": "Вы МОШЕННИКИ и ВОРЫ!!! Сделайте репост, пусть все знают. Подам заявление в полицию по статье УК РФ о мошенничестве, увидимся в суде.",
           "phone": "Позвоните мне по номеру +7 912 345-67-89 или напишите на ivan.petrov@mail.ru, счет неправильный."},
}

CHANNELS = ["facebook"] * 6 + ["twitter"] * 2 + ["vk", "trustpilot"]
NAMES = ["Peter Hansen", "Mette", "Kari Nordmann", "Ole", "@night_owl", "Anna", "Jan de Vries", "Ivan", "xXgamerXx"]


def outage_text(lang: str, rng: random.Random) -> str:
    parts = OUTAGE[lang]
    area = AREA[lang] if isinstance(AREA[lang], str) else rng.choice(AREA[lang])
    place = rng.choice(parts["place"]).format(a=area)
    problem = rng.choice(parts["problem"])
    opener = rng.choice(parts["open"])
    if opener and not opener.rstrip().endswith((",", "men", "maar", "но")):
        problem = problem[0].upper() + problem[1:]
    elif not opener:
        problem = problem[0].upper() + problem[1:]
    text = f"{opener}{problem}{' ' + place if place else ''}. {rng.choice(parts['ask'])}".strip()
    return (text + rng.choice(parts["end"])).replace("?.", "?").replace("..", ".")


def storm_night(lang: str, outages: int = 300, seed: int = 14) -> tuple[list[dict], dict[str, str]]:
    """(posts, kind of each id): 'outage', 'other', 'legal', 'safety', 'troll', 'phone'."""
    rng = random.Random(f"{seed}-{lang}")
    start = dt.datetime(2026, 12, 5, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    posts, kinds = [], {}

    def add(kind: str, text: str, minute: float, channel: str | None = None) -> None:
        post_id = f"{lang}-{len(posts):04d}"
        posts.append({"id": post_id, "time": (start + dt.timedelta(minutes=minute)).isoformat(),
                      "channel": channel or rng.choice(CHANNELS), "text": text, "author": rng.choice(NAMES)})
        kinds[post_id] = kind

    for _ in range(outages):
        add("outage", outage_text(lang, rng), 5 + rng.random() * 55)
    for text in OTHERS[lang] * 3:
        add("other", text, rng.random() * 90)
    for kind in ("legal", "safety", "troll", "phone"):
        add(kind, SPECIAL[lang][kind], 10 + rng.random() * 40, "facebook")
    rng.shuffle(posts)
    return posts, kinds
