"""Labelled data, `replykit train`, and the trained model inside suggest and check.

Training runs on a small copy of the bundled data (one language) so it stays fast;
the bundled pack's own model is checked for freshness and for what it says.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from replykit import PackError, ReplyKit
from replykit.learn.data import load_labelled
from replykit.learn.model import ARRAYS_NAME, JSON_NAME, LangModel
from replykit.learn.packs import find_model, train_kit
from replykit.lint import lint_pack

LANGS = ("da", "no", "nl", "ru")


def _small_pack(pack_copy: Path, lang: str = "da", posts: int = 160, drafts: int = 160, clean: int = 200) -> Path:
    """The pack copy with `lang`'s labelled data cut down (the others left as they are)."""
    folder = pack_copy / "templates" / lang / "labelled"
    records: dict[str, list[str]] = {"posts": [], "drafts": [], "clean": []}
    for path in sorted(folder.glob("*.jsonl")):
        kind = path.name.rsplit(".", 2)[-2]
        records[kind] += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        path.unlink()
    for kind, n in (("posts", posts), ("drafts", drafts), ("clean", clean)):
        (folder / f"small.{kind}.jsonl").write_text("\n".join(records[kind][::max(1, len(records[kind]) // n)][:n])
                                                    + "\n", encoding="utf-8")
    return pack_copy / "templates"


def _train(templates: Path, lang: str = "da") -> LangModel:
    return train_kit(ReplyKit.load(templates, models=False), [lang])[lang]


# ------------------------------------------------------------------ the data


@pytest.mark.parametrize("line, fragment", [
    ('{"id": "x", "text": "Nettet er nede", "type": "outages"}', "type"),
    ('{"id": "x", "text": "Nettet er nede"}', "type"),
    ('{"id": "x", "text": "Nettet er nede", "type": "outage", "colour": "red"}', "colour"),
    ('{"id": "x", "text": "Nettet er nede", "type": "outage", "lang": "nl"}', "lang"),
    ("{'id': 'x'}", "not a JSON object"),
    ('["x"]', "one JSON object"),
])
def test_a_bad_post_line_names_file_and_line(tmp_path, line, fragment):
    folder = tmp_path / "da" / "labelled"
    folder.mkdir(parents=True)
    good = '{"id": "ok-1", "text": "Hvornår virker nettet igen?", "type": "outage"}'
    (folder / "mine.posts.jsonl").write_text(good + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_labelled(tmp_path / "da", "da")
    assert err.value.line == 3 and err.value.path.endswith("mine.posts.jsonl")
    assert fragment in str(err.value)


def test_a_draft_span_must_quote_the_draft_and_name_an_expected_category(tmp_path):
    folder = tmp_path / "da" / "labelled"
    folder.mkdir(parents=True)
    draft = {"id": "d1", "draft": "Hej Bo, du får en gratis måned. Hilsen Line", "channel": "facebook",
             "expect": ["forbidden.unauthorized_promise"],
             "spans": [{"category": "forbidden.unauthorized_promise", "quote": "gratis uge"}]}
    (folder / "a.drafts.jsonl").write_text(json.dumps(draft, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(PackError, match="not in the draft"):
        load_labelled(tmp_path / "da", "da")
    draft["spans"] = [{"category": "tone.too_casual", "quote": "gratis måned"}]
    (folder / "a.drafts.jsonl").write_text(json.dumps(draft, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(PackError, match="not in expect"):
        load_labelled(tmp_path / "da", "da")


def test_duplicate_ids_across_files_are_refused(tmp_path):
    folder = tmp_path / "da" / "labelled"
    folder.mkdir(parents=True)
    line = '{"id": "same", "text": "Tak for hjælpen", "type": "praise"}\n'
    (folder / "a.posts.jsonl").write_text(line, encoding="utf-8")
    (folder / "b.posts.jsonl").write_text(line, encoding="utf-8")
    with pytest.raises(PackError, match="duplicate id"):
        load_labelled(tmp_path / "da", "da")


@pytest.mark.parametrize("lang", LANGS)
def test_the_bundled_data_is_large_and_varied(lang):
    from replykit.kit import bundled_path

    data = load_labelled(bundled_path("templates") / lang, lang)
    assert len(data.posts) >= 400 and len(data.drafts) >= 400 and len(data.clean) >= 600
    writers = {r.writer for r in (*data.posts, *data.drafts, *data.clean) if r.writer}
    assert len(writers) >= 20
    assert {p.type for p in data.posts} >= {"provocation", "criticism", "idea", "complaint"}


def test_lint_reports_a_broken_labelled_line(pack_copy):
    bad = pack_copy / "templates" / "nl" / "labelled" / "extra.clean.jsonl"
    bad.write_text('{"id": "c1", "text": ""}\n', encoding="utf-8")
    report = lint_pack(pack_copy / "templates", pack_copy / "rules", langs=["nl"])
    found = [p for p in report.problems if p.code == "labelled-data"]
    assert found and found[0].path.endswith("extra.clean.jsonl") and found[0].line == 1


# ------------------------------------------------------------------ training


def test_training_is_deterministic_and_writes_no_pickle(pack_copy):
    templates = _small_pack(pack_copy)
    _train(templates)
    arrays = (templates / "da" / ARRAYS_NAME).read_bytes()
    meta = json.loads((templates / "da" / JSON_NAME).read_text(encoding="utf-8"))
    _train(templates)
    again = json.loads((templates / "da" / JSON_NAME).read_text(encoding="utf-8"))
    assert meta["thresholds"] == again["thresholds"] and meta["vocabulary"] == again["vocabulary"]
    with np.load(io.BytesIO(arrays), allow_pickle=False) as one, \
            np.load(templates / "da" / ARRAYS_NAME, allow_pickle=False) as two:
        # Saved as float32: run-to-run differences in the last bits of float64 sums do not show.
        assert all(np.array_equal(one[k], two[k]) for k in one.files)
    # Plain .npy members, none of them an object array: np.load(allow_pickle=False) reads them all.
    with zipfile.ZipFile(io.BytesIO(arrays)) as zf:
        assert all(name.endswith(".npy") for name in zf.namelist())
    with np.load(templates / "da" / ARRAYS_NAME, allow_pickle=False) as loaded:
        assert all(loaded[k].dtype != object for k in loaded.files)


def test_training_runs_every_thread_pool_on_one_thread():
    """Thread counts change a solver's sums in the last bits; scipy brings an OpenBLAS of its own."""
    from threadpoolctl import threadpool_info

    from replykit.learn.train import _sklearn, one_thread

    with one_thread():
        _sklearn()  # what training imports inside the limit
        pools = threadpool_info()
        assert pools and all(pool["num_threads"] == 1 for pool in pools)


@pytest.mark.parametrize("lang", LANGS)
def test_training_reads_the_same_rule_hits_from_the_restricted_rules(kit, lang):
    """Training runs only the meaning categories' rules over its data; each finds what it finds in the
    whole rule set."""
    from replykit.check.engine import make_context, run_rules
    from replykit.learn.train import MODEL_CATEGORIES
    from replykit.text.normalize import normalize

    categories = frozenset(MODEL_CATEGORIES)
    rules = kit._loaded.rules  # noqa: SLF001
    restricted = rules.restricted(categories)
    assert set(restricted.specs) < set(rules.specs)
    labelled = load_labelled(Path(__file__).resolve().parent.parent / "templates" / lang, lang)
    found = 0
    for record in labelled.drafts[:120]:
        text = normalize(record.draft).text
        whole = run_rules(rules, make_context(text, lang, record.channel or "facebook"), merge=False,
                          categories=categories)
        alone = run_rules(restricted, make_context(text, lang, record.channel or "facebook"), merge=False,
                          categories=categories)
        assert alone == whole
        found += len(whole)
    assert found > 20


def test_a_model_file_holding_a_pickle_is_refused(pack_copy):
    templates = _small_pack(pack_copy)
    _train(templates)
    np.savez(templates / "da" / ARRAYS_NAME, idf=np.array([object()], dtype=object))
    with pytest.raises(PackError, match="unusable model"):
        LangModel.load(templates / "da", "da")


def test_the_model_card_reports_cross_validated_figures(pack_copy):
    model = _train(_small_pack(pack_copy))
    card = model.card
    assert 0.5 < card["inquiry"]["cv_top1"] <= card["inquiry"]["cv_top3"] <= 1.0
    assert set(card["categories"]) >= {"forbidden.unauthorized_promise", "value.show_respect"}
    from replykit.learn.train import FORBIDDEN_WARNING_PRECISION, WARNING_PRECISION

    for category, figures in card["categories"].items():
        warning = figures.get("warning")
        if warning:  # a category the model judges holds the precision it was chosen for
            wanted = FORBIDDEN_WARNING_PRECISION if category.startswith("forbidden.") else WARNING_PRECISION
            assert warning["precision"] >= wanted


def test_a_stale_model_falls_back_to_rules_with_a_notice_and_lint_warns(pack_copy):
    templates = _small_pack(pack_copy)
    _train(templates)
    kit = ReplyKit.load(templates, pack_copy / "rules")
    assert kit._loaded.learned("da").model is not None  # noqa: SLF001
    extra = templates / "da" / "labelled" / "new.posts.jsonl"
    extra.write_text('{"id": "n1", "text": "Hvornår kommer fiber til Ærø?", "type": "product_question"}\n',
                     encoding="utf-8")
    kit = ReplyKit.load(templates, pack_copy / "rules")
    result = kit.suggest("Hvornår kommer fiber til Ærø?", lang="da")
    assert any("stale" in n for n in result.notices)
    assert any("stale" in n for n in kit.check("Hej Bo, tak. Hilsen Line", lang="da").notices)
    report = lint_pack(templates, pack_copy / "rules", langs=["da"])
    assert any(p.code == "model-stale" and p.lang == "da" for p in report.problems)


def test_train_command_writes_model_and_card(pack_copy):
    templates = _small_pack(pack_copy)
    for name in (JSON_NAME, ARRAYS_NAME, "model-card.md"):
        (templates / "da" / name).unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-m", "replykit", "train", str(pack_copy), "--lang", "da", "--json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    cards = json.loads(out.stdout)
    assert list(cards) == ["da"] and cards["da"]["data"]["posts"] == 160
    assert (templates / "da" / JSON_NAME).is_file() and "top-1" in (templates / "da" / "model-card.md").read_text()
    bad = subprocess.run([sys.executable, "-m", "replykit", "train", str(pack_copy), "--lang", "sv"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown language" in bad.stderr and "Traceback" not in bad.stderr


# ------------------------------------------------------------- the bundled model


@pytest.mark.parametrize("lang", LANGS)
def test_the_bundled_model_is_trained_on_the_bundled_data(kit, lang):
    state = find_model(kit._loaded.templates, lang)  # noqa: SLF001
    assert state.model is not None, state.notice
    assert state.notice is None


def test_a_model_finding_points_at_its_sentence_and_says_it_is_the_model(kit):
    # No rule knows this wording; the model reads the meaning. Which forbidden meaning it reads is the
    # model's: this test is about how a model finding is reported. (Until data round u the sentence was
    # "Jeg har sat en kreditering på 500 kr ind på din næste regning.", blocked as an account change made
    # in public; since round u the model reads it at 0.26, a warning.)
    sentence = "Vi har krediteret dig 500 kr, som du vil kunne se på næste regning."
    draft = f"Hej Bo. Tak for din besked. {sentence} Hilsen Line"
    result = kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line")
    assert result.verdict == "blocked"
    found = [f for f in result.findings if f.category.startswith("forbidden.")]
    assert found and all(f.source == "model" for f in found), result.findings
    f = found[0]
    assert draft[f.start:f.end] == sentence and f.rule_id == f"model.{f.category}"
    assert 0 < (f.confidence or 0) <= 1
    assert not kit.check(draft, lang="da", channel="facebook", customer_name="Bo", agent_name="Line",
                         models=False).findings


def test_the_models_sense_of_a_promise_blocks_in_public_and_in_private_only_from_its_private_threshold(
        kit, monkeypatch):
    """In a DM or e-mail the agent speaks with the identified customer about their own account: the
    model's reading of a promise there is a warning to check the authority, and an error only from the
    score at which the pack's own private records held the error precision (`private_error`, learnt in
    cross-validation); the rules that name money back still block everywhere."""
    from dataclasses import replace

    draft = "Hej Mette. Jeg har kigget på din sag, og du får de 300 kr trukket fra på næste regning. Hilsen Line"
    category = "forbidden.unauthorized_promise"
    model = kit._loaded.learned("da").model
    learnt = model.thresholds[category]

    def promise(channel: str):
        result = kit.check(draft, lang="da", channel=channel, customer_name="Mette", agent_name="Line")
        return [(f.severity, f.source, f.confidence) for f in result.findings if f.category == category]

    [(severity, source, confidence)] = promise("facebook")
    assert (severity, source) == ("error", "model")
    assert learnt.private_error is not None and learnt.private_error >= learnt.error  # the bundled model has one
    for channel in ("dm", "email"):
        [(severity, source, _)] = promise(channel)
        assert severity == ("error" if confidence >= learnt.private_error else "warning") and source == "model"
    # The mechanics, whatever the bundled model's scores: no private threshold (a model trained before
    # there was one) is a warning at any score; one under the score is an error.
    monkeypatch.setitem(model.thresholds, category, replace(learnt, private_error=None))
    assert [s for s, _, _ in promise("dm")] == ["warning"]
    monkeypatch.setitem(model.thresholds, category, replace(learnt, private_error=round(confidence - 0.01, 4)))
    assert [s for s, _, _ in promise("dm")] == ["error"] == [s for s, _, _ in promise("email")]
    monkeypatch.setitem(model.thresholds, category, replace(learnt, private_error=round(confidence + 0.01, 4)))
    assert [s for s, _, _ in promise("dm")] == ["warning"]
    ruled = kit.check("Hej Mette. Du skal ikke betale for den måned, det sørger jeg for. Hilsen Line", lang="da",
                      channel="dm", customer_name="Mette", agent_name="Line")
    assert ruled.verdict == "blocked"


def test_training_learns_the_private_error_threshold_on_private_records_alone():
    """The private threshold is chosen on DMs and e-mails only: private everyday replies that read like a
    promise (account talk) push it up, public ones do not count."""
    import numpy as np

    from replykit.learn.train import Sample, _thresholds

    category = "forbidden.unauthorized_promise"
    samples, probs = [], []

    def add(score: float, label: int, kind: str, private: bool) -> None:
        samples.append(Sample(f"s{len(samples)}", len(samples), {category: label}, kind, private=private))
        probs.append(score)

    for i in range(20):  # public: promises score high, everyday replies low
        add(0.6 + i / 100, 1, "draft", False)
        add(0.05, 0, "clean", False)
    for i in range(10):  # private: promises 0.5-0.59, account talk up to 0.45
        add(0.5 + i / 100, 1, "draft", True)
        add(0.45 - i / 100, 0, "clean", True)
    limits, card = _thresholds(category, samples, np.arange(len(samples)), np.array(probs))
    assert limits.private_error == 0.5 and card["thresholds"]["private_error"] == 0.5
    assert limits.error is not None and limits.private_error >= limits.error
    other, other_card = _thresholds("forbidden.confidential", [replace_labels(s, "forbidden.confidential")
                                                               for s in samples], np.arange(len(samples)),
                                    np.array(probs))
    assert other.private_error is None and "private_error" not in other_card["thresholds"]


def replace_labels(sample, category: str):  # noqa: ANN001, ANN201
    from dataclasses import replace

    return replace(sample, labels={category: next(iter(sample.labels.values()))})


def test_matched_explains_the_predicted_type_with_words(kit):
    result = kit.suggest("Nettet har været nede hele dagen i Odense, også hos naboen", lang="da")
    assert result.inquiry_type == "outage"
    words = result.matched["outage"]
    assert words and all(isinstance(w, str) and w for w in words)


def test_models_off_is_rules_alone(kit):
    draft = "Hej Bo. Du får regningen på mail i morgen. Hilsen Line"
    assert kit.check(draft, lang="da", channel="facebook", models=False).findings is not None
    assert all(f.source == "rule" for f in kit.check(draft, lang="da", models=False).findings)


def test_the_packs_hotline_is_one_word_to_the_model_and_other_numbers_are_not():
    from replykit.learn.features import PUBLIC_NUMBER_WORD, public_number_mask

    mask = public_number_mask(["088 123 4567"])
    assert mask("Bel 088 123 4567 of 088-1234567.") == f"Bel {PUBLIC_NUMBER_WORD} of {PUBLIC_NUMBER_WORD}."
    assert mask("Bel 06 12345678 of 0881234567890") == "Bel 06 12345678 of 0881234567890"
    assert public_number_mask([])("70 10 20 30") == "70 10 20 30"


@pytest.mark.parametrize("lang, sentence", [
    ("da", "Har du spørgsmål, så ring til os på {hotline}, vi sidder klar."),
    ("no", "Ring oss gjerne på {hotline} hvis du lurer på noe."),
    ("nl", "Bel ons gerust op {hotline}, dan kijken we samen."),
    ("ru", "Звоните нам по номеру {hotline}, мы поможем."),
])
def test_the_model_does_not_read_the_packs_own_hotline_as_personal_data(kit, lang, sentence):
    hotline = kit._loaded.templates.langs[lang].spec.variables["hotline"]
    state = kit._loaded.learned(lang)
    assert state.model is not None
    k = state.model.categories.index("forbidden.personal_data")
    text = sentence.format(hotline=hotline)
    masked = state.model.sentence_probs([text], kit._loaded.number_mask(lang))[0, k]
    unmasked = state.model.sentence_probs([text])[0, k]
    assert masked < unmasked  # the digits' shape alone reads as a private number
    found = kit.check(text, lang=lang, channel="facebook").findings
    assert not [f for f in found if f.category == "forbidden.personal_data"]
