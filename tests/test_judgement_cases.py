"""The kinds of misjudgement reported against replykit, each pinned by a test.

Escalations (safety, named media and regulators), drafts that say nothing, a
reply in the wrong language, churn threats, and everyday sentences that rules
used to flag (promises, network news, conditions, our own failures, sincere
phrases, sign-offs, numbered steps, "De" at a line start).
"""
from __future__ import annotations

import pytest

from replykit.check.names import name_parts, person_name


@pytest.mark.parametrize("lang, post", [
    ("da", "Jeres router er begyndt at ryge og lugter brændt"),
    ("da", "Min søn fik stød af fiberboksen i bryggerset"),
    ("no", "Ruteren lukter brent og det kom gnister ut av kontakten"),
    ("nl", "Het modem rookt en er hangt een brandlucht in de kamer"),
    ("ru", "Роутер дымит и пахнет гарью, что делать?"),
])
def test_physical_danger_is_a_safety_escalation_with_a_notice(kit, lang, post):
    result = kit.suggest(post, lang=lang, channel="facebook")
    assert "safety" in {e.flag for e in result.escalation}
    assert any(n.startswith("safety:") for n in result.notices)


@pytest.mark.parametrize("lang, post, flags", [
    ("da", "Det her sender jeg til DR Kontant og Forbrugerklagenævnet", {"media", "regulator"}),
    ("da", "Ekstra Bladet skal høre om det her, og jeg klager til Teleklagenævnet", {"media", "regulator"}),
    ("no", "Jeg tar dette videre til Forbrukerrådet og VG", {"media", "regulator"}),
    ("nl", "Ik meld dit bij de ACM en bij Radar", {"media", "regulator"}),
    ("ru", "Напишу жалобу в Роспотребнадзор и в Коммерсант", {"media", "regulator"}),
])
def test_named_media_and_regulators_are_escalations(kit, lang, post, flags):
    assert flags <= {e.flag for e in kit.suggest(post, lang=lang).escalation}


@pytest.mark.parametrize("lang, post", [
    ("da", "TV2 virker ikke i aften, er der fejl?"),
    ("ru", "Лампочка на роутере горит красным"),
    ("nl", "Betaal ik contant in de winkel of via de app?"),
])
def test_channel_names_and_lamps_are_not_escalations(kit, lang, post):
    assert not {e.flag for e in kit.suggest(post, lang=lang).escalation} & {"media", "safety"}


@pytest.mark.parametrize("draft", ["", "ok", "👍", "Hej Lars. Hilsen Sofie", "Hej Lars 🙂 Mvh Sofie"])
def test_a_draft_that_says_nothing_is_not_ok(kit, draft):
    result = kit.check(draft, lang="da", channel="facebook", customer_name="Lars", agent_name="Sofie",
                       inquiry="Mit net er nede igen")
    assert result.verdict != "ok"
    assert "common.value.substance" in {f.rule_id for f in result.findings}


def test_a_reply_in_another_language_than_the_post_is_a_finding(kit):
    draft = "Hej Olga, tak for din besked. Vi kigger på det i dag og skriver til dig. Hilsen Sofie"
    result = kit.check(draft, lang="da", channel="facebook", inquiry="Здравствуйте, у меня третий день нет интернета")
    found = [f for f in result.findings if f.category == "language.mismatch"]
    assert found and found[0].start == 0 and found[0].end == len(draft)
    asked = kit.check("Hoi Olga, dank voor je bericht. We kijken er vandaag naar. Groet, Sofie", lang="da")
    assert "language.mismatch" in {f.category for f in asked.findings}


def test_danish_and_norwegian_are_not_a_mismatch(kit):
    draft = "Hej Kari, tak for din besked. Vi kigger på det i dag og skriver til dig. Hilsen Sofie"
    result = kit.check(draft, lang="da", inquiry="Hei, nettet mitt har vært nede hele dagen i Bergen, hva skjer?")
    assert "language.mismatch" not in {f.category for f in result.findings}


@pytest.mark.parametrize("lang, post", [
    ("da", "Tak for ingenting. Jeg skifter til Telia"),
    ("no", "Nå er jeg lei. Bytter til Telenor ved første anledning"),
    ("nl", "Laatste keer dat ik dit pik, ik stap over naar Ziggo"),
])
def test_a_churn_threat_is_not_an_order(kit, lang, post):
    assert kit.suggest(post, lang=lang).inquiry_type != "order_request"


@pytest.mark.parametrize("lang, text", [
    ("da", "Jeg sender din sag videre til teknikerne, og de vender tilbage til dig i morgen."),
    ("da", "Du får regningen på mail."),
    ("da", "Vi har opgraderet nettet i dit område."),
    ("ru", "С 1 марта мы добавили новые каналы."),
    ("nl", "We hebben extra zenders toegevoegd."),
    ("da", "Skriv til os privat, så ser vi på, om du skal have penge tilbage."),
    ("da", "Du burde have adgang nu."),
    ("nl", "Je had een sms moeten krijgen."),
    ("ru", "Вы должны были получить СМС."),
    ("da", "Det siger sig selv, at vi skal have det rettet hurtigst muligt."),
    ("nl", "Het spreekt voor zich dat we dit oplossen."),
    ("ru", "Спасибо за ценное мнение, мы передадим его коллегам."),
    ("ru", "Это была нелепая ошибка с нашей стороны, простите."),
    ("nl", "Groetjes, Sanne"),
    ("ru", "Попробуйте так: 1) выключите роутер; 2) подождите минуту; 3) включите снова."),
    ("no", "Hei Kari,\nDe fleste kundene i området har fått tilbake nettet nå."),
    ("nl", "Wat fijn om te horen, dank je wel voor het compliment! Groet, Sanne"),
])
def test_everyday_sentences_that_rules_used_to_flag_pass(kit, lang, text):
    # The rule defects themselves (the model's precision is measured on the whole clean corpus).
    result = kit.check(text, lang=lang, channel="facebook", models=False)
    flagged = [(f.rule_id, text[f.start:f.end]) for f in result.findings
               if f.severity in ("warning", "error") and not f.category.startswith("language.")
               and f.rule_id != "common.value.substance"]
    assert not flagged


@pytest.mark.parametrize("name", ["@frede_cph", "frede_cph", "kirill404", "(ukjent)", "[unknown]", "-"])
def test_a_handle_or_placeholder_is_no_name_to_greet_by(kit, name):
    draft = ("Vi kan se, at der er en fejl på nettet på Vesterbro lige nu, og vores teknikere arbejder på den. "
             "Følg med på fibra.dk/drift. Hilsen Line")
    rules = {f.rule_id for f in kit.check(draft, lang="da", channel="facebook", customer_name=name,
                                          agent_name="Line").findings}
    assert "common.value.greeting" not in rules
    # the same draft with a real name still asks for the greeting
    named = kit.check(draft, lang="da", channel="facebook", customer_name="Frederik", agent_name="Line")
    assert "common.value.greeting" in {f.rule_id for f in named.findings}


@pytest.mark.parametrize("name,person", [
    ("Кофейня «Цех №5»", None),
    ("ООО «Северная волна», отдел кадров", None),
    ("Bageriet „Solsikken“", None),
    ("Ольга Ершова (пекарня «Тёплый хлеб»)", "Ольга Ершова"),
    ("Вадим Окунев, магазины «Рыболов»", "Вадим Окунев"),
    ("Серф-школа «Волна» (Антон Широков)", "Антон Широков"),
    ('Jan "Jannie" de Vries', 'Jan "Jannie" de Vries'),  # a nickname, not an organisation
])
def test_an_organisation_is_no_name_to_greet_by_and_its_contact_person_is(name, person):
    assert person_name(name) == person


def test_a_business_page_is_greeted_without_a_name_and_its_contact_person_by_name(kit):
    draft = ("Здравствуйте! Спасибо, что обратили внимание. Похоже, ошибка на нашей стороне: исправленный счёт "
             "придёт вам на почту в течение трёх дней. Андрей, Fibra")

    def greeting(name: str) -> bool:
        return "common.value.greeting" in {f.rule_id for f in kit.check(
            draft, lang="ru", channel="dm", customer_name=name, agent_name="Андрей").findings}
    assert not greeting("Кофейня «Цех №5»")
    assert greeting("Ольга Ершова (пекарня «Тёплый хлеб»)")


def test_a_tweet_and_a_greeting_to_everyone_need_no_name(kit):
    tweet = "Vi har en fejl på nettet på Vesterbro, og teknikerne er i gang. Følg med på vores driftsside. /Line"
    assert "common.value.greeting" not in {f.rule_id for f in kit.check(
        tweet, lang="da", channel="twitter", customer_name="Frederik", agent_name="Line").findings}
    everyone = "Hoi iedereen in Den Helder, door de storm ligt het netwerk plat. We werken eraan. Groet, Bram"
    assert "common.value.greeting" not in {f.rule_id for f in kit.check(
        everyone, lang="nl", channel="facebook", customer_name="Rianne", agent_name="Bram").findings}


def test_a_signature_line_alone_is_a_piece_but_a_reply_that_says_nothing_is_not_ok(kit):
    signature = "Venlig hilsen Mette, Fibra Kundeservice"
    assert kit.check(signature, lang="da", channel="facebook").verdict == "ok"
    post = "Mit internet har været nede hele dagen, hvad sker der?"
    as_reply = kit.check(signature, lang="da", channel="facebook", inquiry=post)
    assert "common.value.substance" in {f.rule_id for f in as_reply.findings}
    assert kit.check("👍", lang="da", channel="facebook").verdict != "ok"


@pytest.mark.parametrize("name,person", [
    ("Thyborøn Fiskeauktion", None),  # a word for a kind of organisation
    ("Hagen Regnskap AS", None),  # a company form
    ("Marco's Mosselkar", None),  # the owner's possessive
    ("Vang menighet", None),  # a lower-case word beside capitalised ones
    ("Hagen Regnskap AS / Kari Hagen", "Kari Hagen"),
    ("Jan de Vries", "Jan de Vries"),
    ("Kari og Ola", "Kari og Ola"),
    ("mevrouw R. Smits", "mevrouw R. Smits"),
    ("kari nordmann", "kari nordmann"),  # all lower case: a person who did not bother with capitals
    ("Bakker", "Bakker"),  # a surname that is also a trade is left a name
])
def test_an_organisation_without_quotes_is_no_name_to_greet_by(name, person):
    assert person_name(name) == person


@pytest.mark.parametrize("name,draft,form", [
    ("Стас Блог", "Станислав, здравствуйте. Спасибо, что написали.", "Станислав"),
    ("Серёга", "Сергей, добрый день.", "Сергей"),
    ("Д. Ю. Сазонов", "Дмитрий Юрьевич, здравствуйте. Вижу аварию.", "Дмитрий"),
    ("Aino Virtanen", "Здравствуйте, Айно! Спасибо, что написали.", "Айно"),
    ("Оксана", "Hej Oksana. Dit dansk er helt fint!", "Oksana"),
])
def test_a_reply_may_greet_by_another_form_of_the_name(name, draft, form):
    assert form in (name_parts(name, draft) or ())


@pytest.mark.parametrize("name,draft", [
    ("Д. Ю. Сазонов", "Добрый день! Ждём вас."),  # initials need the same letters in the same order
    ("Aino Virtanen", "Здравствуйте, Анна! Спасибо."),  # another name in the other script
    ("Р. Ахмедов", "Рады помочь, Вы правы."),  # a single initial could be any capitalised word
])
def test_other_words_are_no_form_of_the_name(name, draft):
    parts = name_parts(name, draft) or ()
    assert not any(word in parts for word in draft.replace(",", " ").replace("!", " ").split())
