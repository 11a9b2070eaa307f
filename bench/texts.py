"""Texts the benchmarks check: drafts and posts per language, built from sentences an agent would write."""
from __future__ import annotations

# Written for this benchmark (not taken from any eval set): what an agent of
# a telco would post on Facebook, about 600 characters each.

NAMES = {"da": ("Peter", "Sofie"), "no": ("Kari", "Sindre"), "nl": ("Sanne", "Bram"), "ru": ("Ольга", "Мария")}
GREETING = {"da": "Hej {c},", "no": "Hei {c},", "nl": "Hoi {c},", "ru": "{c}, здравствуйте."}
SIGNATURE = {"da": "Hilsen {a}", "no": "Hilsen {a}", "nl": "Groet, {a}", "ru": "{a}, Fibra"}

BODY = {
    "da": [
        "Tak fordi du skriver til os, og undskyld at dit internet har drillet i aftes.",
        "Jeg har kigget på din forbindelse, og der var en fejl på et kabel i dit område, som vores teknikere "
        "har rettet i løbet af natten.",
        "Det burde virke normalt igen nu.",
        "Hvis routeren stadig blinker rødt, så prøv at slukke den i et halvt minut og tænde den igen.",
        "Virker det stadig ikke efter det, så send os en privat besked, så kigger vi på det sammen og finder "
        "en tid til en tekniker.",
        "Du kan altid følge driftsstatus på fibra.dk/drift.",
        "Vi beklager ulejligheden og håber, at du får en god dag.",
    ],
    "no": [
        "Takk for at du tar kontakt, og beklager at mobilnettet har vært ustabilt hos deg denne uken.",
        "Jeg har sjekket abonnementet ditt, og alt ser riktig ut hos oss.",
        "Vi har hatt vedlikeholdsarbeid på en mast i nærheten, og det kan ha gitt dårligere dekning i noen timer.",
        "Arbeidet ble ferdig i går kveld, så forbindelsen skal nå være tilbake som normalt.",
        "Hvis du fortsatt mister signalet, kan du prøve å starte telefonen på nytt.",
        "Send oss gjerne en privat melding om når og hvor det skjer, så ser vi nærmere på det sammen.",
        "Status for nettet finner du på fibra.no/drift.",
    ],
    "nl": [
        "Bedankt voor je bericht, en vervelend dat je televisie sinds gisteravond geen beeld meer geeft.",
        "Ik heb even meegekeken en zie dat je ontvanger geen verbinding meer maakt met ons netwerk.",
        "Wil je de ontvanger een halve minuut van de stroom halen en daarna opnieuw opstarten?",
        "Vaak is het probleem daarmee al opgelost.",
        "Lukt het daarna nog steeds niet, stuur ons dan een privébericht, dan plannen we samen een afspraak "
        "met een monteur op een moment dat jou goed uitkomt.",
        "Op fibra.nl/storingen kun je altijd zien of er een storing in jouw buurt is.",
        "Fijne avond!",
    ],
    "ru": [
        "Спасибо, что написали нам, и извините за неудобства с интернетом.",
        "Я проверила линию по вашему адресу: вчера вечером на нашем оборудовании в вашем районе была авария, "
        "и сейчас специалисты уже всё восстановили.",
        "Если соединение всё ещё нестабильно, пожалуйста, перезагрузите роутер: выключите его на тридцать "
        "секунд и включите снова.",
        "Если и после этого интернет не заработает, напишите нам в личные сообщения, и мы назначим визит "
        "мастера на удобное для вас время.",
        "Следить за работой сети можно на странице fibra.ru/status.",
    ],
}
EXTRA = {  # more sentences of the same kind, for batches and long drafts
    "da": [
        "Jeg har også sendt en ny opsætningsguide til din e-mail, så du har den ved hånden.",
        "Hvis du vil, kan vi flytte besøget til et tidspunkt, der passer dig bedre.",
        "Din næste regning bliver reduceret, så du ikke betaler for de dage, hvor forbindelsen var nede.",
        "Husk, at du også kan se dit forbrug og dine regninger i appen.",
        "Vi har noteret din henvendelse, så mine kolleger kan se hele forløbet, hvis du skriver igen.",
        "Tak for din tålmodighed, mens vi fik styr på det.",
    ],
    "no": [
        "Jeg har også sendt deg en ny veiledning på e-post, så du har den for hånden.",
        "Hvis det passer bedre, kan vi flytte teknikerbesøket til en annen dag.",
        "Neste faktura blir justert, slik at du ikke betaler for dagene uten dekning.",
        "Du kan også se forbruket ditt og fakturaene dine i appen.",
        "Vi har notert henvendelsen din, slik at kollegene mine ser hele saken hvis du skriver igjen.",
        "Takk for tålmodigheten mens vi fikset dette.",
    ],
    "nl": [
        "Ik heb je ook een nieuwe installatiehandleiding gemaild, zodat je die bij de hand hebt.",
        "Als het beter uitkomt, kunnen we de afspraak met de monteur naar een andere dag verplaatsen.",
        "Je volgende rekening wordt aangepast, zodat je niet betaalt voor de dagen zonder verbinding.",
        "In de app kun je ook altijd je verbruik en je facturen bekijken.",
        "Ik heb je vraag genoteerd, zodat mijn collega's het hele verhaal zien als je nog eens schrijft.",
        "Bedankt voor je geduld terwijl we dit oplosten.",
    ],
    "ru": [
        "Я также отправила вам на почту новую инструкцию по настройке, чтобы она была под рукой.",
        "Если вам так удобнее, мы можем перенести визит мастера на другой день.",
        "Следующий счёт будет уменьшен, чтобы вы не платили за дни без связи.",
        "Расход трафика и счета всегда можно посмотреть в мобильном приложении.",
        "Я записала ваше обращение, поэтому мои коллеги увидят всю историю, если вы напишете снова.",
        "Спасибо за терпение, пока мы всё исправляли.",
    ],
}
PROBLEMS = {  # one is planted in ~10 % of batch drafts: PII, typo, blame, shouting
    "da": ["Ring til mig på 22 33 44 55.", "Du modtagger en bekræftelse.", "Dit CPR-nummer 120385-1234 er registreret.",
           "Det er ikke vores problem, at du ikke har læst driftsbeskeden!!", "DET VIRKER NU, SÅ SLAP AF."],
    "no": ["Ring meg på 912 34 567.", "Fødselsnummeret 01019010046 stemmer ikke.", "Du får en bekreftelsse på e-post.",
           "Det er ikke vår feil at du ikke leste meldingen!!", "DET FUNGERER NÅ, SÅ SLAPP AV."],
    "nl": ["Je BSN 111222333 is bij ons bekend.", "Je krijgt een bevestigingg per mail.", "Bel me op 06-12345678.",
           "Dat is niet ons probleem, had je het bericht maar moeten lezen!!", "HET WERKT NU GEWOON WEER."],
    "ru": ["Ваш ИНН 7707083893 указан в договоре.", "Мы отправим вам потверждение.",
           "Позвоните мне по номеру +7 912 345-67-89.", "Это не наша проблема, надо было читать уведомление!!",
           "ВСЁ УЖЕ РАБОТАЕТ, НЕ ПИШИТЕ БОЛЬШЕ."],
}
POSTS = {  # customers' posts, for suggest
    "da": ["Hvorfor er mit internet nede igen?? Tredje gang på en uge, og jeg arbejder hjemmefra",
           "Jeg er blevet trukket to gange for samme regning denne måned. Hvad sker der?",
           "Hvad koster det at skifte til 1000 Mbit, og kan jeg beholde min router?",
           "Kæmpe ros til teknikeren der var her i dag, super flink og hurtig!",
           "Min router blinker orange og wifi falder ud hele tiden om aftenen"],
    "no": ["Er det noe feil med nettet i Bergen nå? Har ikke hatt internett siden i morges",
           "Hvorfor har fakturaen min økt med 200 kroner uten at jeg har fått beskjed?",
           "Jeg vil gjerne bestille fiber til den nye leiligheten min, hvordan gjør jeg det?",
           "Tusen takk for rask hjelp i chatten i går, dere er best",
           "Mobilen mister dekning hver gang jeg går inn i kjelleren, kan dere fikse det?"],
    "nl": ["Al de hele middag geen internet in Utrecht, is er een storing?",
           "Waarom is mijn factuur deze maand ineens 15 euro hoger? Niks veranderd aan mijn abonnement",
           "Kan ik mijn abonnement ook opzeggen via de app of moet ik bellen?",
           "Top geholpen door de monteur vanochtend, echt heel vriendelijk!",
           "Mijn tv-ontvanger blijft maar opnieuw opstarten, wat kan ik doen?"],
    "ru": ["Почему опять нет интернета? Второй день сижу без связи, когда почините?",
           "Мне пришёл счёт в два раза больше обычного, объясните, пожалуйста, за что",
           "Подскажите, можно ли подключить домашний интернет в новостройке на Ленина?",
           "Спасибо мастеру Алексею, всё быстро настроил и объяснил!",
           "Роутер постоянно перезагружается, вайфай пропадает каждые полчаса"],
}
CLI_POST = "Mit net er nede igen!! Hele vejen er uden internet"  # the Makefile's demo post


def compose(lang: str, sentences: list[str], customer: str | None = None, agent: str | None = None) -> str:
    c, a = NAMES[lang]
    return "\n".join([GREETING[lang].format(c=customer or c), " ".join(sentences),
                      SIGNATURE[lang].format(a=agent or a)])


def draft_600(lang: str) -> str:
    return compose(lang, BODY[lang])


def draft_of_length(lang: str, target: int) -> str:
    """Greeting + sentences (cycling through the pool) + signature, `target` characters give or take a word."""
    pool = BODY[lang] + EXTRA[lang]
    frame = len(compose(lang, [""]))
    body, i = "", 0
    while len(body) < target - frame:
        body = (body + " " + pool[i % len(pool)]).strip()
        i += 1
    cut = body[:max(1, target - frame - 1)]
    if cut != body:  # end on a whole word with a full stop
        cut = cut.rsplit(" ", 1)[0].rstrip(",:;") + "."
    return compose(lang, [cut])
