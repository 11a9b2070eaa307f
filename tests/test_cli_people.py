"""The command line for people: inline drafts, language aliases and channel capitals,
plain output for pasting, alternatives summarised, --fail-on gates, the grammar notice once."""
from __future__ import annotations

import pytest

from replykit.errors import InputError

# ------------------------------------------------- aliases (in ReplyKit itself)

@pytest.mark.parametrize("alias,code", [("nb", "no"), ("nn", "no"), ("NB", "no"), ("nb-NO", "no"),
                                        ("dk", "da"), ("DA", "da"), ("nl", "nl"), ("Ru", "ru")])
def test_language_aliases(kit, alias, code):
    assert kit.suggest("Nettet er nede igjen", lang=alias).lang == code
    assert kit.check("Hei Kari, takk. Hilsen Ola", lang=alias).lang == code


def test_render_takes_an_alias(kit):
    assert kit.render("outage/public", lang="nn", samples=True) == kit.render("outage/public", lang="no",
                                                                               samples=True)


@pytest.mark.parametrize("spelling", ["Facebook", "FACEBOOK", " facebook ", "faceBook"])
def test_channels_are_case_insensitive(kit, spelling):
    assert kit.check("Hej Bo. Hilsen Line", lang="da", channel=spelling).channel == "facebook"
    assert kit.suggest("Mit net er nede", lang="da", channel=spelling).suggestions[0].visibility != "private"


@pytest.mark.parametrize("kwargs,fragment", [({"lang": "sv"}, "unknown language 'sv'"),
                                             ({"lang": "pt-BR"}, "unknown language 'pt-BR'"),
                                             ({"channel": "MySpace"}, "unknown channel 'MySpace'")])
def test_unknown_codes_still_refused_with_what_was_given(kit, kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        kit.check("Hej", **kwargs)
