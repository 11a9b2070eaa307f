"""The faster paths of check give exactly what the straightforward ones gave.

Each test compares a sped-up function with a plain reference written here (the code it replaced,
or a brute-force version): same values, same order, the same floats bit for bit.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from replykit.check.context import CheckContext
from replykit.check.detectors.topic import TopicDetector
from replykit.check.mismatch import language_mismatch
from replykit.check.prefilter import DIGIT, needles
from replykit.learn.features import Vectorizer, piece_features, pieces
from replykit.text.language import LanguageGuess
from replykit.text.normalize import normalize
from replykit.text.phrases import PhraseIndex, _gap_match, _prefix
from replykit.text.sentences import sentence_spans
from replykit.text.tokens import _WORD, Token, stem, tokenize, words

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("da", "no", "nl", "ru")


def _drafts(lang: str, limit: int = 60) -> list[str]:
    rows = []
    for path in sorted((ROOT / "templates" / lang / "labelled").glob("*.drafts.jsonl")):
        rows += [json.loads(line)["draft"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    odd = ["", "   ", "!!! ??", "Hej " * 40, "12 34 56 1234 AB 0800-1234", "ёлка Ёж ёж", "Kundeservice-teamet! :)",
           "WIFI wifi Wi-Fi wi-fi wifi.", "a\n\nb\n\nc", "Ťřïçķŷ ŵöŕđš ånd æøå"]
    return rows[:limit] + odd


# ------------------------------------------------------------------ model features and sentence scores


def _reference_transform_many(v: Vectorizer, texts: list[str]):
    """transform_many from the feature strings, text by text: each distinct piece (and word pair) found k
    times counts 1 + ln k times for each of its features; idf x that, over sqrt(sum of that x idf²)."""
    cols, values, rows = [], [], []
    for r, text in enumerate(texts):
        parts = pieces(text)
        tf: dict[int, float] = {}
        for piece, k in Counter(parts).items():
            for feature in piece_features(piece):
                if feature in v.index:
                    tf[v.index[feature]] = tf.get(v.index[feature], 0.0) + (1 + math.log(k))
        words = [w for w in (re.sub(r"^\W+|\W+$", "", p) for p in parts) if w]
        for (a, b), k in Counter(zip(words, words[1:], strict=False)).items():
            if f"b|{a} {b}" in v.index:
                c = v.index[f"b|{a} {b}"]
                tf[c] = tf.get(c, 0.0) + (1 + math.log(k))
        norm = math.sqrt(sum(t * v.idf[c] ** 2 for c, t in tf.items())) or 1.0
        cols += list(tf)
        values += [t * v.idf[c] / norm for c, t in tf.items()]
        rows += [r] * len(tf)
    return np.array(cols, dtype=np.int64), np.array(values), np.array(rows, dtype=np.int64)


def _sentences(text: str) -> list[str]:
    text = normalize(text).text
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_sentence_scores_agree_with_the_sparse_product(kit, lang):
    """Sums over pieces (piece_scores.py) give what the sparse tf-idf rows times the weights give, as
    training computes them: the same numbers up to the order of additions."""
    model = kit._loaded.learned(lang).model
    if model is None:
        pytest.skip(f"no trained model for {lang}")
    for draft in _drafts(lang):
        sentences = _sentences(draft) + ["", "  ", "samme samme samme samme"]  # empty rows and repeated words
        want = _reference_transform_many(model.vectorizer, sentences)
        got = model.vectorizer.transform_many(sentences)
        assert np.array_equal(want[0], got[0]) and np.array_equal(want[2], got[2])  # columns, rows, in order
        assert np.allclose(want[1], got[1], rtol=1e-12, atol=0)
        cols, weights, rows = got
        logits = np.tile(model.category_intercept, (len(sentences), 1))
        np.add.at(logits, rows, model.category_coef[cols] * weights[:, None])
        expected = 1.0 / (1.0 + np.exp(-logits))
        assert np.allclose(model.sentence_probs(sentences), expected, rtol=1e-12, atol=1e-14)
        whole = " ".join(sentences)
        if model.whole is not None and model.whole.thresholds:
            c, w = model.vectorizer.transform(whole)
            direct = 1.0 / (1.0 + np.exp(-(w @ model.whole.coef[c] + model.whole.intercept)))
            _, fused, _ = model.draft_scores(sentences)
            assert fused == pytest.approx({k: float(direct[i]) for i, k in enumerate(model.whole.categories)
                                           if k in model.whole.thresholds}, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("lang", LANGS)
def test_scores_do_not_depend_on_what_was_scored_before(kit, lang):
    """A piece's kept row has the same bits as one worked out afresh: a fresh model (nothing kept) and
    the kit's (everything seen) give the same floats, bit for bit."""
    from replykit.learn.model import LangModel

    model = kit._loaded.learned(lang).model
    if model is None:
        pytest.skip(f"no trained model for {lang}")
    sentences = [s for d in _drafts(lang, 20) for s in _sentences(d)]
    model.sentence_probs(sentences)  # everything kept
    folder = ROOT / "templates" / lang
    fresh = LangModel.load(folder, lang)
    assert fresh is not None
    for s in sentences:
        assert np.array_equal(fresh.sentence_probs([s]), model.sentence_probs([s]))


# ------------------------------------------------------------------ phrase matching


def _brute_force(index: PhraseIndex, tokens: list[Token]) -> list[tuple]:
    """Every phrase tried at every token, in the order finditer promises (token, then first-word
    stem group, prefix group, short group, each in insertion order)."""
    entries = ([("stem", e) for es in index._by_stem.values() for e in es]
               + [("prefix", e) for es in index._by_prefix3.values() for e in es]
               + [("short", e) for e in index._short_prefix])
    out = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        for group in ("stem", "prefix", "short"):
            for kind, (tests, payload, *_) in entries:
                if kind != group:
                    continue
                first_kind, value = tests[0]
                if group == "stem" and tok.stem != value or group == "prefix" and tok.text[:3] != value[:3]:
                    continue
                size = len(tests)
                if size > n - i:
                    continue
                matched = _prefix(tests, tokens, i)
                if matched == size:
                    out.append((payload, i, i + size - 1))
                elif index.slop and index.SLOP_MIN_WORDS <= size < n - i and _gap_match(tests, tokens, i, matched):
                    out.append((payload, i, i + size))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_phrase_pass_finds_what_trying_every_phrase_everywhere_finds(kit, lang):
    index = kit._loaded.rules.for_lang(lang).phrases
    for draft in _drafts(lang, limit=25):
        tokens = tokenize(normalize(draft).text, lang)
        got = [(m.payload, m.first, m.last) for m in index.finditer(tokens)]
        want = _brute_force(index, tokens)
        # the same matches; per token in the same order (the brute force walks groups by dict order)
        assert sorted(got, key=lambda m: m[1]) == got
        assert sorted(got) == sorted(want)


# ------------------------------------------------------------------ tokens, language, topic


@pytest.mark.parametrize("lang", LANGS)
def test_tokens_are_the_named_tuples_they_were(lang):
    for draft in _drafts(lang, limit=20):
        text = normalize(draft).text
        want = [Token(m.group().lower().replace("ё", "е") if lang == "ru" else m.group().lower(), m.start(), m.end(),
                      stem(m.group().lower(), lang)) for m in _WORD.finditer(text)]
        got = tokenize(text, lang)
        assert got == want and all(type(t) is Token for t in got)


def _reference_detect_quick(detector, text: str) -> LanguageGuess | None:
    """detect_quick as it was: per-character and per-word Python loops."""
    letters = [c for c in text[:2000] if c.isalpha()]
    if len(letters) < 2:
        return None
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff") / len(letters)
    if cyrillic > 0.5:
        return LanguageGuess("ru", True, 1.0) if "ru" in detector.languages else None
    if cyrillic > 0.1:
        return None
    tokens = [w for w, _, _ in words(text[:2000])]
    hits = sorted(((sum(1 for t in tokens if t in ws), lang) for lang, ws in detector.words.items()
                   if lang != "ru"), reverse=True)
    if len(hits) >= 2 and hits[0][0] >= 3 and hits[0][0] - hits[1][0] >= 2:
        return LanguageGuess(hits[0][1], True, round(hits[0][0] / (hits[0][0] + hits[1][0]), 3))
    return None


def test_language_quick_check_and_mismatch_unchanged(kit):
    detector = kit._loaded.detector
    mixed = ["Привет, это Ölçü test ёж", "Hej! Привет! Hoi!", "x" * 2100 + " det er vi og du",
             "Dank je wel voor je bericht, we kijken ernaar " * 60]
    for lang in LANGS:
        for draft in _drafts(lang, limit=30) + mixed:
            text = normalize(draft).text
            assert detector.detect_quick(text) == _reference_detect_quick(detector, text)
            for asked in LANGS:  # with the check's tokens of any language: the same answer as without
                tokens = tokenize(text, asked)
                for inquiry in (None, "Hvorfor er mit internet nede igen i dag?"):
                    assert language_mismatch(detector, text, asked, True, inquiry, tokens) == \
                        language_mismatch(detector, text, asked, True, inquiry)


def test_topic_rule_reads_the_checks_tokens():
    draft = "Hej Peter, din router genstarter vi nu. Hilsen Sofie"
    ctx = CheckContext(normalize(draft), "da", "facebook", inquiry="Min router blinker rødt hele tiden, hvad gør jeg?")
    assert TopicDetector({}).findings(ctx, {}) == []  # "router" is shared
    off_topic = CheckContext(normalize("Hej Peter, tak for din besked. Hilsen Sofie"), "da", "facebook",
                             inquiry="Min router blinker rødt hele tiden, hvad gør jeg?")
    assert len(TopicDetector({}).findings(off_topic, {})) == 1


# ------------------------------------------------------------------ prefilter


def test_needles_of_patterns_with_continue_and_keep_anchors():
    address = yaml.safe_load((ROOT / "rules" / "nl" / "pii-address.yaml").read_text(encoding="utf-8"))["patterns"][0]
    assert r"\K" in address and r"\G" in address
    assert needles(address) == frozenset({DIGIT})  # street word + house number: needs a digit
    assert needles(r"\b(?:(?<![\w-])|\G)[\w-]+\.(?:dk|nl)\b") == frozenset({".dk", ".nl"})
    assert needles(r"foo\Kbar") == frozenset({"foobar"})
    # an escaped backslash before G is a literal backslash and a G, not the \G anchor
    assert needles(r"foo\\Gbar") != frozenset({"foobar"})


@pytest.mark.parametrize("lang", LANGS)
def test_post_tokenized_once_scores_as_before(kit, lang):
    loaded = kit._loaded
    posts = []
    for path in sorted((ROOT / "templates" / lang / "labelled").glob("*.posts.jsonl"))[:2]:
        posts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for post in posts[:40] + ["", "JEG ER SÅ SUR!!! LUK MIT ABONNEMENT NU"]:
        text = normalize(post).text
        tokens = tokenize(text, lang)
        assert loaded.signals(lang).escalations(text, tokens) == loaded.signals(lang).escalations(text)
        assert loaded.rule_scores(lang, text, None, tokens) == loaded.rule_scores(lang, text)


def test_rule_when_conditions_read_once_still_decide(kit):
    rules = [r for lang in LANGS for r in kit._loaded.rules.for_lang(lang).rules]
    conditional = [r for r in rules if r.when]
    assert conditional, "the bundled rules have `when` conditions"
    values = {"customer_name": "Peter", "agent_name": "Sofie", "inquiry": "Min router blinker"}
    for rule in conditional:
        assert rule.when == tuple((n, getattr(rule.spec.when, n)) for n in ("customer_name", "agent_name", "inquiry")
                                  if getattr(rule.spec.when, n) is not None)
        for name, want in rule.when:  # each condition the other way round: the rule does not apply
            flipped = CheckContext(normalize("Hej"), rule.lang, "facebook",
                                   **{**values, name: None if want else values[name]})
            assert not rule.applies(flipped)


def test_pieces_beyond_the_kept_bound_score_the_same(kit, monkeypatch):
    """Once the table of kept pieces is full, new pieces and word pairs are worked out per call: the
    same floats as when every piece is kept, for the sentences and for the draft as a whole."""
    from replykit.learn import piece_scores
    from replykit.learn.piece_scores import PieceScores

    model = kit._loaded.learned("da").model
    if model is None:
        pytest.skip("no trained model for da")
    draft_columns = model._draft_scores.coef
    sentences = [s for d in _drafts("da", 12) for s in _sentences(d)]
    roomy = PieceScores(model.vectorizer, draft_columns)
    monkeypatch.setattr(piece_scores, "MAX_KEPT", 7)
    cramped = PieceScores(model.vectorizer, draft_columns)
    for i in range(0, len(sentences), 5):
        batch = sentences[i:i + 5]
        want, want_whole = roomy.sums_and_whole(batch)
        got, got_whole = cramped.sums_and_whole(batch)
        assert np.array_equal(got, want) and np.array_equal(got_whole, want_whole)
    assert len(cramped._rows) <= 7 and cramped._size <= 7


# ------------------------------------------------------------------ closest template


@pytest.mark.parametrize("lang", LANGS)
def test_closest_template_compared_as_code_page_bytes_is_the_text_comparison(kit, lang):
    """Russian approved texts are compared as cp1251 bytes (a third quicker in rapidfuzz): the same
    template and similarity as comparing the texts, for every draft, and for one a byte cannot hold."""
    from rapidfuzz import fuzz, process, utils

    closest = kit._loaded.closest(lang)
    assert (closest.code_page == "cp1251") == (lang == "ru")
    for draft in _drafts(lang) + ["Спасибо ❤️ за ваш вопрос ū — мы разберёмся"]:
        found = closest.find(draft)
        best = process.extractOne(utils.default_process(draft[:5000]), closest.texts, scorer=fuzz.ratio) \
            if draft.strip() else None
        assert (found is None) == (best is None)
        if found is not None:
            assert (found.template_id, found.similarity) == (closest.ids[best[2]], round(best[1] / 100, 3))
