"""The faster model, judge and suggest paths give what the plain ones gave.

Each test compares a sped-up function with a reference written here from the code it replaced
(or from the training-time feature path): same values, same order, the same floats bit for bit
where the arithmetic is the same, and equal up to the order of additions where scores are sums over
pieces (learn/piece_scores.py).
"""
from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from replykit.check.context import CheckContext
from replykit.check.meaning import judge
from replykit.compose import render_variant
from replykit.errors import InputError
from replykit.learn.features import _EDGE_PUNCT, feature_set, piece_features, pieces, text_features
from replykit.learn.model import _softmax
from replykit.text.normalize import normalize
from replykit.text.sentences import sentence_spans
from replykit.text.tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("da", "no", "nl", "ru")
ODD = ["", "   ", "!!! ??", "Hej " * 40, "12 34 56 1234 AB 0800-1234", "ёлка Ёж ёж", "hahahaha hahaha ha",
       "WIFI wifi Wi-Fi wi-fi wifi.", "a\n\nb\n\nc"]


def _texts(lang: str, kind: str, limit: int = 50) -> list[str]:
    rows = []
    for path in sorted((ROOT / "templates" / lang / "labelled").glob(f"*.{kind}.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                rows.append(record.get("draft") or record.get("text"))
    return rows[:limit] + ODD


def _model(kit, lang: str):
    model = kit._loaded.learned(lang).model
    if model is None:
        pytest.skip(f"no trained model for {lang}")
    return model


def _reference_inquiry_scores(model, text: str):
    """inquiry_scores from the sparse row (fancy indexing, numpy scalars read one by one); the words that
    speak for the winner from the training-time features: each distinct piece's features (its word and
    character n-grams) and each word pair, weighted as training weighs them."""
    cols, weights = model.vectorizer.transform(text)
    logits = weights @ model.inquiry_coef[cols] + model.inquiry_intercept if cols.size else \
        model.inquiry_intercept.copy()
    probs = _softmax(logits)
    best = int(np.argmax(probs))
    index, idf = model.vectorizer.index, model.vectorizer.idf
    parts = pieces(text)
    words = [w for w in (_EDGE_PUNCT.sub("", p) for p in parts) if w]
    units = [(p, [f for f in piece_features(p) if f in index], _EDGE_PUNCT.sub("", p) or p) for p in parts]
    units += [(f"{a} {b}", [f"b|{a} {b}"] if f"b|{a} {b}" in index else [], f"{a} {b}") for a, b in pairwise(words)]
    times = Counter(key for key, _, _ in units)
    shares, norm2 = {}, 0.0
    for key, features, label in units:
        if key in shares:
            continue
        tf = 1.0 + np.log(times[key])
        shares[key] = (label, tf * sum(idf[index[f]] * model.inquiry_coef[index[f], best] for f in features))
        norm2 += tf * sum(idf[index[f]] ** 2 for f in features)
    ranked = sorted(shares.values(), key=lambda ls: -ls[1])  # stable: equal shares in first-occurrence order
    top = [(model.classes[best], label, share / np.sqrt(norm2)) for label, share in ranked if share > 0][:8]
    return {c: float(p) for c, p in zip(model.classes, probs, strict=True)}, top


@pytest.mark.parametrize("lang", LANGS)
def test_feature_counts_are_the_training_paths(kit, lang):
    """The indexed path (cached per-piece columns, counted in one pass) counts what training counts."""
    vectorizer = _model(kit, lang).vectorizer
    for text in _texts(lang, "posts") + _texts(lang, "drafts", 20):
        want = [(vectorizer.index[f], c) for f, c in text_features(text).items() if f in vectorizer.index]
        assert list(vectorizer.indices(text).items()) == want
        assert list(vectorizer.indices(text).items()) == want  # and again, from the piece cache


@pytest.mark.parametrize("lang", LANGS)
def test_document_frequencies_count_the_features_training_counts(lang):
    """Training counts document frequencies from each text's distinct features, each piece's once."""
    seen: dict[str, frozenset[str]] = {}
    texts = _texts(lang, "posts") + _texts(lang, "drafts", 40)
    for text in texts + texts:  # the second pass reads every piece from the cache
        assert feature_set(text, seen) == set(text_features(text))


@pytest.mark.parametrize("lang", LANGS)
def test_inquiry_scores_match_the_sparse_product(kit, lang):
    model = _model(kit, lang)
    for post in _texts(lang, "posts"):
        text = normalize(post).text
        probs, top = model.inquiry_scores(text)
        want_probs, want_top = _reference_inquiry_scores(model, text)
        assert list(probs) == list(want_probs)
        assert list(probs.values()) == pytest.approx(list(want_probs.values()), rel=1e-12, abs=1e-15)
        assert [c for c, _, _ in top] == [c for c, _, _ in want_top]
        # Shares that tie up to rounding may swap: compare the sets of words, and the values.
        assert sorted(f for _, f, _ in top) == sorted(f for _, f, _ in want_top), text
        assert sorted(v for _, _, v in top) == pytest.approx(sorted(v for _, _, v in want_top), rel=1e-9)


@pytest.mark.parametrize("lang", LANGS)
def test_sentence_scores_of_any_batch_match_the_plain_sum(kit, lang):
    """Every cell: the intercept plus each feature's weight times its coefficient, one plain sum per cell
    (the weights of the sparse row training reads); the same whatever the batch."""
    model = _model(kit, lang)
    for draft in _texts(lang, "drafts", 15):
        text = normalize(draft).text
        sentences = [text[s:e] for s, e in sentence_spans(text)] + ["samme samme samme"]
        got = model.sentence_probs(sentences)
        logits = np.zeros((len(sentences), len(model.categories)))
        for r, sentence in enumerate(sentences):
            cols, weights = model.vectorizer.transform(sentence)
            for k in range(len(model.categories)):
                logit = float(model.category_intercept[k])
                for c, w in zip(cols.tolist(), weights.tolist(), strict=True):
                    logit += float(model.category_coef[c, k]) * w
                logits[r, k] = logit
        assert np.allclose(got, 1.0 / (1.0 + np.exp(-logits)), rtol=1e-12, atol=1e-14), (lang, draft)
        for r, sentence in enumerate(sentences):  # alone or in a batch: the same floats
            assert np.array_equal(model.sentence_probs([sentence])[0], got[r])
    assert model.sentence_probs([]).shape == (0, len(model.categories))


class _NoShortcut:
    """The mask, except that its first call (judge's look at the whole draft) reports a change."""

    def __init__(self, mask):
        self.mask, self.calls = mask, 0

    def __call__(self, text: str) -> str:
        self.calls += 1
        return text + "\u0000" if self.calls == 1 else self.mask(text)


@pytest.mark.parametrize("lang", LANGS)
def test_judge_without_the_number_mask_shortcut_finds_the_same(kit, lang):
    """judge skips masking sentence by sentence when the mask changes nothing in the whole draft."""
    loaded = kit._loaded
    model = _model(kit, lang)
    mask = loaded.number_mask(lang)
    hotline = loaded.templates.langs[lang].spec.variables.get("hotline") or "70 10 20 30"
    drafts = _texts(lang, "drafts", 25) + [f"Ring til os på {hotline}.\nVi hjælper gerne. Mvh Anne",
                                           f"Call {hotline}\n{hotline[:3]}\n{hotline[3:]} tak"]
    messages = loaded.templates.langs[lang].spec.finding_messages
    for draft in drafts:
        ctx = CheckContext(normalize(draft), lang, "facebook")
        forced = _NoShortcut(mask)
        got = judge(model, ctx, [], loaded.rules.specs, messages, loaded.approved_sentences(lang), mask)
        want = judge(model, ctx, [], loaded.rules.specs, messages, loaded.approved_sentences(lang), forced)
        assert got == want


@pytest.mark.parametrize("lang", LANGS)
def test_suggested_texts_are_each_reply_rendered_on_its_own(kit, lang):
    """Blocks rendered once per call (RenderMemo) and the kept variable guard change no text."""
    loaded = kit._loaded
    pack = loaded.templates
    variables = {"agent_name": "Sofie", "customer_name": "Peter Hansen"}
    for post in _texts(lang, "posts", 15):
        result = kit.suggest(post, lang=lang, channel="facebook", variables=variables, top=5)
        for s in result.suggestions:
            cv = next(cv for (_, vlang), cv in pack.variants.items()
                      if cv.template_id == s.template_id and vlang == s.lang)
            assert render_variant(pack, cv, variables).text == s.text
    assert loaded.variable_guard() is loaded.variable_guard()
    with pytest.raises(InputError, match="agent_name"):
        kit.suggest("Mit internet er nede", lang=lang, variables={"agent_name": "Sofie\nKompensation!"})


@pytest.mark.parametrize("lang", LANGS)
def test_post_tokenised_once_prefers_and_classifies_as_before(kit, lang):
    loaded = kit._loaded
    for post in _texts(lang, "posts", 40):
        text = normalize(post).text
        tokens = tokenize(text, lang)
        assert loaded.preferences(lang).scores(text, tokens) == loaded.preferences(lang).scores(text)
        assert loaded.classify(lang, text, tokens) == loaded.classify(lang, text)


def test_counted_columns_keep_first_occurrence_order(kit):
    vectorizer = _model(kit, "da").vectorizer
    counts = vectorizer.indices("router router wifi router")
    assert isinstance(counts, Counter) and max(counts.values()) >= 3
