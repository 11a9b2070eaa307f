"""A smaller install (#15 item 11): dictionaries are an extra or the system's,
and a language without one says so instead of passing every word."""
from __future__ import annotations

from replykit import ReplyKit
from replykit.check.detectors.spelling import SYSTEM_DICTIONARY_DIRS, dictionary_dirs


def test_a_missing_dictionary_is_a_notice_not_a_silent_pass(tmp_path):
    kit = ReplyKit.load(dictionaries=tmp_path)  # a folder without da_DK.dic
    result = kit.check("Hej Peter, tak for din bezked om regnignen. Hilsen Sofie", lang="da", channel="dm")
    assert not [f for f in result.findings if f.category == "language.spelling"]
    notice = next(n for n in result.notices if n.startswith("spelling:"))
    assert "da_DK" in notice and "replykit[spelling]" in notice and "hunspell-da" in notice


def test_dictionaries_are_found_in_the_extra_then_the_system():
    dirs = dictionary_dirs(None)
    assert dirs[-len(SYSTEM_DICTIONARY_DIRS):] == list(SYSTEM_DICTIONARY_DIRS)
    assert dictionary_dirs("/somewhere") == ["/somewhere"]  # a named folder is the only one


def test_phone_numbers_are_found_with_phonenumberslite(kit):
    import importlib.metadata as metadata

    assert any(r.startswith("phonenumberslite") for r in metadata.requires("replykit") or [])
    result = kit.check("Hej Peter, ring til mig på 22 33 44 55. Hilsen Sofie", lang="da", channel="facebook")
    assert any(f.category == "forbidden.personal_data" for f in result.findings)
