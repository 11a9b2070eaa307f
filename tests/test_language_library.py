"""Language identification with py3langid: outsiders recognised, model loaded lazily and without pickle."""
from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.text.language import LanguageDetector, _LibraryModel

DATA = Path(__file__).parent / "data"
TEMPLATES = Path(__file__).parent.parent / "templates"


def _outsider_posts() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (DATA / "outsider_posts.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(row["lang"], row["text"]) for row in rows]


def test_outsider_posts_are_not_taken_for_a_pack_language(kit: ReplyKit) -> None:
    posts = _outsider_posts()
    assert Counter(lang for lang, _ in posts) == {"en": 60, "sv": 60, "de": 60}
    missed = Counter(lang for lang, text in posts if kit.detect_language(text).detected)
    # Lingua gave 32 English, 16 Swedish and 18 German of these 60 each; py3langid gives 60, 58, 59.
    assert all(missed[lang] <= 3 for lang in ("en", "sv", "de")), missed


def test_library_confidences_cover_the_pack_languages_and_outsiders_only() -> None:
    model = _LibraryModel(["da", "no", "nl"])
    confidences = model.confidences("Hva skjer med nettet? Det har vært nede hele dagen")
    # Nynorsk is folded into Norwegian: one key per language the detector weighs.
    assert set(confidences) == {"da", "no", "nl", "en", "sv", "de"}
    assert max(confidences, key=lambda k: confidences[k]) == "no"
    assert sum(confidences.values()) == pytest.approx(1.0, abs=0.05)


def test_library_model_loads_without_pickle(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the language model must not be unpickled")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    assert _LibraryModel(["da"]).confidences("why is my bill higher this month")["en"] > 0.5


def test_library_loaded_only_when_the_words_do_not_decide() -> None:
    words = {"da": ["ikke", "jeg", "hvad", "mig"], "no": ["ikkje", "meg", "hva"]}
    detector = LanguageDetector(["da", "no"], "da", words)
    assert detector.detect("hvad er der galt med mig, jeg kan ikke logge ind").lang == "da"
    assert detector._library is None
    guess = detector.detect("Internettet virker ikke")
    assert detector._library is not None
    assert guess.lang in ("da", "no")


@pytest.mark.slow
def test_labelled_posts_and_drafts_keep_their_accuracy(kit: ReplyKit) -> None:
    right = total = 0
    for lang in ("da", "no", "nl", "ru"):
        for path in sorted((TEMPLATES / lang / "labelled").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                guess = kit.detect_language(row.get("draft") or row["text"])
                total += 1
                right += guess.detected and guess.lang == lang
    # 9,391 of 9,448 (99.4 %) when the weights were chosen; Lingua got 9,377. Two writing rounds later:
    # 10,981 of 11,048 (99.4 %).
    assert total >= 9448 and right >= 0.993 * total, (right, total)


def test_restricted_model_is_cached_and_gives_the_same_confidences(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYKIT_CACHE_DIR", str(tmp_path / "cache"))
    text = "Hva skjer med nettet? Det har vært nede hele dagen"
    first = _LibraryModel(["da", "no", "nl"]).confidences(text)
    assert [p.name for p in (tmp_path / "cache").glob("langid-*.npz")]
    from py3langid.langid import LanguageIdentifier

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", None)  # the packaged model must not be read again
    assert _LibraryModel(["da", "no", "nl"]).confidences(text) == pytest.approx(first)
