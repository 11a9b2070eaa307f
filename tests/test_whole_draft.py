"""The whole-draft model: problems of a reply as a whole (no next step, brushing the customer off)."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from replykit.check.context import CheckContext
from replykit.check.whole_draft import judge_whole_draft
from replykit.learn.model import ARRAYS_NAME, JSON_NAME, LangModel
from replykit.learn.train import WARNING_PRECISION
from replykit.learn.whole_drafts import MIN_SENTENCES, WHOLE_DRAFT_CATEGORIES
from replykit.results import Finding
from replykit.text.normalize import normalize

LANGS = ("da", "no", "nl", "ru")


def _model(kit, lang: str) -> LangModel:  # noqa: ANN001
    model = kit._loaded.learned(lang).model  # noqa: SLF001
    assert model is not None
    return model


def _always(model: LangModel) -> LangModel:
    """The model with every whole-draft threshold at 0: it speaks wherever it is allowed to."""
    assert model.whole is not None
    return dataclasses.replace(model, whole=dataclasses.replace(
        model.whole, thresholds={c: 0.0 for c in model.whole.categories}))


def _ctx(text: str, lang: str = "da") -> CheckContext:
    return CheckContext(normalize(text), lang, "facebook")


@pytest.mark.parametrize("lang", LANGS)
def test_the_bundled_model_judges_whole_replies_at_the_precision_it_was_chosen_for(kit, lang):
    model = _model(kit, lang)
    assert model.whole is not None and model.whole.categories == list(WHOLE_DRAFT_CATEGORIES)
    card = model.card["whole_draft"]
    assert model.whole.thresholds, card
    for category, threshold in model.whole.thresholds.items():
        assert card[category]["threshold"] == threshold
        assert card[category]["warning"]["precision"] >= WARNING_PRECISION


def test_a_piece_of_a_reply_is_not_judged_as_a_whole_reply(kit):
    model = _always(_model(kit, "da"))
    piece = "Hej Bo. Tak for din besked."
    assert len([s for s in _ctx(piece).sentences if piece[s[0]:s[1]].strip()]) < MIN_SENTENCES
    assert judge_whole_draft(model, _ctx(piece), [], {}) == []
    signature = "Med venlig hilsen\nLone\nFibra Kundeservice"  # three lines, no reply
    assert len(_ctx(signature).sentences) >= MIN_SENTENCES and judge_whole_draft(model, _ctx(signature), [], {}) == []
    whole = "Hej Bo. Tak for din besked. Det må du tage op med din udlejer. Hilsen Line"
    found = judge_whole_draft(model, _ctx(whole), [], {})
    assert {f.category for f in found} == set(WHOLE_DRAFT_CATEGORIES)
    for f in found:  # each points at one sentence of the draft and says it is the model
        assert f.source == "model" and f.rule_id == f"model.whole_draft.{f.category}"
        assert (f.start, f.end) in _ctx(whole).sentences
        assert 0 <= (f.confidence or 0) <= 1 and f.severity == "warning"


def test_the_finding_points_at_the_sentence_that_pushes_the_score_most(kit):
    model = _always(_model(kit, "da"))
    draft = "Hej Bo. Tak for din besked. Det er ikke vores problem, det må du selv finde ud af. Hilsen Line"
    found = {f.category: f for f in judge_whole_draft(model, _ctx(draft), [], {})}
    f = found["value.show_respect"]
    assert draft[f.start:f.end] == "Det er ikke vores problem, det må du selv finde ud af."


def test_a_problem_already_reported_is_not_reported_again(kit):
    model = _always(_model(kit, "da"))
    draft = "Hej Bo. Tak for din besked. Det må du tage op med din udlejer. Hilsen Line"
    rule = Finding(rule_id="da.make.deflection", category="value.make_it_happen", severity="warning",
                   start=28, end=60, message="x")
    found = judge_whole_draft(model, _ctx(draft), [rule], {})
    assert [f.category for f in found].count("value.make_it_happen") == 1
    assert "value.show_respect" in {f.category for f in found}


def test_a_reply_with_nothing_to_do_next_is_caught_in_check(kit):
    # Every sentence is courteous; the reply as a whole leaves the customer with no next step.
    draft = ("Hej Jens. Tak for din besked. Vi har desværre ingen oplysninger om, hvornår nettet er tilbage i dit "
             "område. Hilsen Lærke")
    result = kit.check(draft, lang="da", channel="email", customer_name="Jens", agent_name="Lærke")
    found = [f for f in result.findings if f.category == "value.make_it_happen"]
    assert found and found[0].source == "model", result.findings
    assert not [f for f in kit.check(draft, lang="da", channel="email", customer_name="Jens", agent_name="Lærke",
                                     models=False).findings if f.category == "value.make_it_happen"]


def test_a_good_reply_passes(kit):
    draft = ("Hej Jens. Tak for din mail. Når du er i Sverige, virker dit abonnement automatisk på de svenske net, "
             "og priserne står på fibra.dk/udland. Skriv endelig, hvis du vil have hjælp til at vælge en rejsepakke. "
             "Venlig hilsen Lærke")
    result = kit.check(draft, lang="da", channel="email", customer_name="Jens", agent_name="Lærke")
    assert not [f for f in result.findings if f.rule_id.startswith("model.whole_draft.")], result.findings


def test_the_whole_draft_model_survives_save_and_load_and_older_files_have_none(kit, tmp_path):
    model = _model(kit, "nl")
    model.save(tmp_path)
    again = LangModel.load(tmp_path, "nl")
    assert again is not None and again.whole is not None
    assert again.whole.thresholds == model.whole.thresholds
    assert np.allclose(again.whole.coef, model.whole.coef, atol=1e-6)
    meta = json.loads((tmp_path / JSON_NAME).read_text(encoding="utf-8"))
    del meta["whole_draft"]  # a model file written before the whole-draft model existed
    (tmp_path / JSON_NAME).write_text(json.dumps(meta), encoding="utf-8")
    older = LangModel.load(tmp_path, "nl")
    assert older is not None and older.whole is None
    assert judge_whole_draft(older, _ctx("Hoi. Dank. Groet, Bram", "nl"), [], {}) == []
    assert (tmp_path / ARRAYS_NAME).is_file()
