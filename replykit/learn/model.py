"""A language's trained models: plain arrays and JSON, predicted with numpy.

`<lang>/model.json` holds the vocabulary, the class and category names, the
chosen thresholds, the model card and the digest of the data it was trained
on; `<lang>/model.npz` the idf and the weight matrices. `np.load` runs with
`allow_pickle=False`: a pack from a git repository cannot run code.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import PackError
from .features import FEATURE_VERSION, Vectorizer
from .piece_scores import PieceScores
from .whole_drafts import WholeDraftModel

FORMAT = 1
JSON_NAME = "model.json"
ARRAYS_NAME = "model.npz"


@dataclass(frozen=True)
class Thresholds:
    """Per category: probability from which a sentence is a warning, an error, and from which it
    confirms a rule's finding (below it a meaning rule's hit is taken as a false alarm)."""

    warning: float | None
    error: float | None
    confirm: float | None
    # Categories judged a warning in a private channel (WARNING_IN_PRIVATE): from this score an error there
    # too, chosen on the private records alone. None: a warning whatever the score (files trained before).
    private_error: float | None = None


# In a private channel the model's sense of a promise is a warning, not a block: there the agent talks with
# the identified customer about their own account ("you will see it on your next bill"), and whether that
# was granted shows in the account, not in the words. Only from the score at which the pack's own private
# records held the error precision (`Thresholds.private_error`) is it an error there as well.
WARNING_IN_PRIVATE = frozenset({"forbidden.unauthorized_promise"})


@dataclass
class LangModel:
    lang: str
    vectorizer: Vectorizer
    classes: list[str]  # inquiry types
    inquiry_coef: np.ndarray  # features x classes
    inquiry_intercept: np.ndarray
    categories: list[str]
    category_coef: np.ndarray  # features x categories
    category_intercept: np.ndarray
    thresholds: dict[str, Thresholds]
    digest: str  # of the labelled data it was trained on
    card: dict = field(default_factory=dict)
    inquiry_blend: float = 0.0  # share of the pack's trigger classifier in the inquiry probabilities
    confirm_rules: frozenset[str] = frozenset()  # rules with false alarms on the labelled data
    whole: WholeDraftModel | None = None  # problems of a reply as a whole (learn/whole_drafts.py)

    def __post_init__(self) -> None:
        # The draft models (categories, whole draft) side by side, one row per feature, so a piece's share
        # of both is read in one go (piece_scores.py); the inquiry model apart, read for posts. The
        # category and whole-draft matrices become views into the joined one.
        k = len(self.categories)
        draft = np.hstack([self.category_coef] + ([self.whole.coef] if self.whole is not None else []))
        self.category_coef = draft[:, :k]
        if self.whole is not None:
            self.whole = WholeDraftModel(self.whole.categories, draft[:, k:], self.whole.intercept,
                                         self.whole.thresholds)
        self.category_index = {c: i for i, c in enumerate(self.categories)}
        self._draft_scores = PieceScores(self.vectorizer, draft)
        self._post_scores = PieceScores(self.vectorizer, self.inquiry_coef)
        self._columns = {"category": slice(0, k), "whole": slice(k, draft.shape[1]),
                         "draft": slice(0, draft.shape[1]), "inquiry": slice(0, len(self.classes))}

    def _logits(self, texts: list[str], part: str, intercept: np.ndarray) -> np.ndarray:
        """texts x the part's columns: each text's logits (the intercept alone for a text of no known feature)."""
        sums = (self._post_scores if part == "inquiry" else self._draft_scores).sums(texts)
        return self._scaled(sums, part) + intercept

    def _scaled(self, sums: np.ndarray, part: str) -> np.ndarray:
        """texts x the part's columns of PieceScores sums, each row over the square root of its weighted idf²."""
        norms = np.sqrt(sums[:, -1])
        norms[norms == 0] = 1.0
        return sums[:, self._columns[part]] / norms[:, None]

    # ---------------------------------------------------------------- inquiry

    def inquiry_scores(self, text: str, explain: bool = True) -> tuple[dict[str, float], list[tuple[str, str, float]]]:
        """Probabilities per inquiry type, and the words and word pairs that speak most for the winner,
        with their share of its logit (for `matched`; none with `explain=False`, when only the type is
        wanted). With `explain`, the post is read once: its sums are its pieces' shares added up."""
        if explain:
            shares, labels = self._post_scores.shares(text)
            sums = np.add.reduceat(shares, [0], axis=0) if labels else np.zeros((1, self._post_scores.width))
        else:
            sums = self._post_scores.sums([text])
        probs = _softmax(self._scaled(sums, "inquiry")[0] + self.inquiry_intercept)
        best = int(np.argmax(probs))
        top = []
        if explain and sums[0, -1] > 0:
            norm, winner = math.sqrt(sums[0, -1]), self.classes[best]
            column = shares[:, best]
            order = np.argsort(-column, kind="stable")[:8]  # equal shares in the order they first occur
            for i, share in zip(order.tolist(), column[order].tolist(), strict=True):
                if share <= 0:
                    break
                top.append((winner, labels[i], share / norm))
        return dict(zip(self.classes, probs.tolist(), strict=True)), top

    # ------------------------------------------------------------- categories

    def sentence_probs(self, sentences: list[str], mask: Callable[[str], str] | None = None) -> np.ndarray:
        """sentences x categories: the probability that a sentence has each problem. `mask`: the pack's
        public numbers as one word (features.public_number_mask), as at training time."""
        if mask is not None:
            sentences = [mask(s) for s in sentences]
        if not sentences:
            return np.zeros((0, len(self.categories)))
        return _sigmoid(self._logits(sentences, "category", self.category_intercept))

    def draft_scores(self, sentences: list[str], mask: Callable[[str], str] | None = None
                     ) -> tuple[np.ndarray, dict[str, float], np.ndarray]:
        """A draft's sentences in one pass: (sentences x categories probabilities, per whole-draft category
        with a threshold the probability that the sentences read as one text have it, sentences x
        whole-draft categories: how much each sentence read alone pushes that score up)."""
        if mask is not None:
            sentences = [mask(s) for s in sentences]
        sums, whole_sum = self._draft_scores.sums_and_whole(sentences)
        scaled = self._scaled(sums, "draft")  # categories and whole draft at once: fewer numpy calls
        k = len(self.categories)
        probs = _sigmoid(scaled[:, :k] + self.category_intercept)
        whole = self.whole
        if whole is None or not whole.thresholds:
            return probs, {}, np.zeros((len(sentences), 0))
        norm = math.sqrt(whole_sum[-1]) or 1.0
        whole_probs = _sigmoid(whole_sum[k:-1] / norm + whole.intercept)
        kept = {c: float(whole_probs[i]) for i, c in enumerate(whole.categories) if c in whole.thresholds}
        return probs, kept, scaled[:, k:]

    # ------------------------------------------------------------- persistence

    def save(self, folder: Path) -> None:
        meta = {
            "format": FORMAT, "feature_version": FEATURE_VERSION, "lang": self.lang, "data_digest": self.digest,
            "classes": self.classes, "categories": self.categories, "inquiry_blend": self.inquiry_blend,
            "confirm_rules": sorted(self.confirm_rules),
            "thresholds": {c: vars(t) for c, t in self.thresholds.items()},
            "card": self.card, "vocabulary": self.vectorizer.vocabulary,
        }
        arrays: dict[str, np.ndarray] = {
            "idf": self.vectorizer.idf, "inquiry_coef": self.inquiry_coef, "inquiry_intercept": self.inquiry_intercept,
            "category_coef": self.category_coef, "category_intercept": self.category_intercept}
        if self.whole is not None:
            meta["whole_draft"] = {"categories": self.whole.categories, "thresholds": self.whole.thresholds}
            arrays |= {"whole_coef": self.whole.coef, "whole_intercept": self.whole.intercept}
        (folder / JSON_NAME).write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n",
                                        encoding="utf-8")
        np.savez_compressed(folder / ARRAYS_NAME, allow_pickle=False,
                            **{name: a.astype(np.float32) for name, a in arrays.items()})

    @classmethod
    def load(cls, folder: Path, lang: str) -> "LangModel | None":
        """The model beside a language's data, or None when there is none. A broken file is a PackError."""
        meta_path, arrays_path = folder / JSON_NAME, folder / ARRAYS_NAME
        if not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                raise ValueError(f"model format {meta.get('format')!r}, this replykit reads {FORMAT}")
            with np.load(arrays_path, allow_pickle=False) as arrays:
                a = {k: np.asarray(arrays[k], dtype=np.float64) for k in
                     ("idf", "inquiry_coef", "inquiry_intercept", "category_coef", "category_intercept")}
                whole = _whole_draft(meta.get("whole_draft"), arrays, len(meta["vocabulary"]))
            vocab = meta["vocabulary"]
            n = len(vocab)
            if a["idf"].shape != (n,) or a["inquiry_coef"].shape != (n, len(meta["classes"])) \
                    or a["category_coef"].shape != (n, len(meta["categories"])):
                raise ValueError("array shapes do not match the vocabulary and classes")
            thresholds = {c: Thresholds(**t) for c, t in meta["thresholds"].items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PackError(f"unusable model: {exc}", meta_path) from None
        model = cls(lang, Vectorizer(vocab, a["idf"]), list(meta["classes"]), a["inquiry_coef"],
                    a["inquiry_intercept"], list(meta["categories"]), a["category_coef"],
                    a["category_intercept"], thresholds, str(meta.get("data_digest", "")), meta.get("card", {}),
                    float(meta.get("inquiry_blend", 0.0)), frozenset(meta.get("confirm_rules", [])), whole)
        model.card.setdefault("feature_version", meta.get("feature_version"))
        return model

    @property
    def feature_version(self) -> str | None:
        return self.card.get("feature_version")


def _whole_draft(meta: dict | None, arrays, n_features: int) -> WholeDraftModel | None:  # noqa: ANN001 - NpzFile
    """The whole-draft model of a model file, or None (files trained before it existed have none)."""
    if meta is None:
        return None
    categories = [str(c) for c in meta["categories"]]
    coef = np.asarray(arrays["whole_coef"], dtype=np.float64)
    intercept = np.asarray(arrays["whole_intercept"], dtype=np.float64)
    if coef.shape != (n_features, len(categories)) or intercept.shape != (len(categories),):
        raise ValueError("whole-draft array shapes do not match the vocabulary and categories")
    thresholds = {str(c): float(t) for c, t in meta["thresholds"].items() if c in categories}
    return WholeDraftModel(categories, coef, intercept, thresholds)


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    np.negative(logits, out=logits)
    np.exp(logits, out=logits)
    np.add(logits, 1.0, out=logits)
    return np.divide(1.0, logits, out=logits)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max()
    e = np.exp(z)
    return e / (e.sum() or math.inf)
