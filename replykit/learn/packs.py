"""Training a whole pack and finding a language's model at load time."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..compose import render_samples
from ..pack.templates import TemplatePack
from .data import data_digest, labelled_files, load_labelled
from .features import FEATURE_VERSION
from .model import LangModel
from .train import train_language

log = logging.getLogger("replykit.learn")


@dataclass(frozen=True)
class ModelState:
    """What load found for one language: a usable model, or why there is none."""

    model: LangModel | None
    notice: str | None  # said once per result when the pack's model cannot be used


def model_folder(pack: TemplatePack, lang: str) -> Path:
    """Where a language's model and labelled data live: the pack's own folder, or for a brand pack
    without a model of its own, the nearest base's (a brand uses its base's model)."""
    for root in (pack.root, *pack.bases):
        if (Path(root) / lang / "model.json").is_file():
            return Path(root) / lang
    return pack.root / lang


def find_model(pack: TemplatePack, lang: str) -> ModelState:
    """The trained model of one language, unless it is missing or stale (then rules only, with a notice)."""
    folder = model_folder(pack, lang)
    model = LangModel.load(folder, lang)
    if model is None:
        return ModelState(None, None)
    files = labelled_files(folder)
    if model.digest != data_digest(files) or model.feature_version != FEATURE_VERSION:
        why = "its labelled data changed" if model.digest != data_digest(files) else "replykit's features changed"
        return ModelState(None, f"the {lang} model is stale ({why} since training); judging by rules only. "
                                "Run `replykit train` to refresh it.")
    return ModelState(model, None)


def training_inputs(pack: TemplatePack, lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Recognition examples (text, type) and the approved replies rendered with samples."""
    data = pack.langs[lang]
    recognition = [(ex, itype) for itype, tf in sorted(data.types.items()) for ex in tf.recognition.examples]
    approved = [text for cv, text in render_samples(pack, lang) if cv.variant.approved is not None]
    return recognition, approved


def train_pack(pack: TemplatePack, langs: list[str] | None = None,
               locate_for: Callable[[str], Callable[[str, str | None], list[tuple[str, str, int, int]]]] | None
               = None,
               progress: Callable[[str], None] | None = None, write: bool = True,
               recognition_for: Callable[[str], Callable[[str], dict[str, float]]] | None = None
               ) -> dict[str, LangModel]:
    """Train every language that has labelled data; write model.json/model.npz beside it.

    One thread: the same data gives bit-for-bit the same model on any machine, busy or idle.
    """
    from .train import one_thread

    out = {}
    with one_thread():
        for lang in langs or pack.meta.languages:
            model = _train_one(pack, lang, locate_for, progress, recognition_for)
            if model is None:
                continue
            if write:
                model.save(pack.root / lang)
            out[lang] = model
    return out


def train_kit(kit, langs: list[str] | None = None, progress: Callable[[str], None] | None = None,  # noqa: ANN001
              write: bool = True) -> dict[str, LangModel]:
    """Train the pack of a kit loaded with `models=False`: its rules place the problems writers quoted
    no words for, and its trigger classifier is blended into the inquiry model where that helps."""
    pack = kit._loaded.templates  # noqa: SLF001 - training is the pack's own tool
    return train_pack(pack, langs, lambda lang: rule_locator(kit, lang), progress, write,
                      lambda lang: recognition_scorer(kit, lang))


def _train_one(pack: TemplatePack, lang: str, locate_for, progress, recognition_for  # noqa: ANN001
               ) -> LangModel | None:
    labelled = load_labelled(pack.root / lang, lang)
    if not labelled.posts and not labelled.drafts:
        return None
    recognition, approved = training_inputs(pack, lang)
    return train_language(labelled, recognition, approved, locate_for(lang) if locate_for else None, progress,
                          recognition_for(lang) if recognition_for else None, public_numbers(pack, lang))


def public_numbers(pack: TemplatePack, lang: str) -> tuple[str, ...]:
    """The pack's own public phone number(s) in a language: its `hotline` variable."""
    hotline = pack.langs[lang].spec.variables.get("hotline")
    return (str(hotline),) if hotline else ()


def rule_locator(kit, lang: str) -> Callable[[str, str | None], list[tuple[str, str, int, int]]]:  # noqa: ANN001
    """The rules of the meaning categories on a (normalised) text: (rule id, category, start, end).

    Training uses them to place a problem a writer quoted no words for, and to learn which rules
    raise false alarms on the pack's own data (those need the model's confirmation).
    """
    from ..check.engine import make_context, run_rules
    from .train import MODEL_CATEGORIES

    loaded = kit._loaded  # noqa: SLF001 - training is the pack's own tool
    categories = frozenset(MODEL_CATEGORIES)
    rules = loaded.rules.restricted(categories)

    def hits(text: str, channel: str | None) -> list[tuple[str, str, int, int]]:
        ctx = make_context(text, lang, channel or "facebook", brand_name=loaded.brand_name(lang))
        return [(f.rule_id, f.category, f.start, f.end)
                for f in run_rules(rules, ctx, merge=False, categories=categories)]

    return hits


def recognition_scorer(kit, lang: str) -> Callable[[str], dict[str, float]]:  # noqa: ANN001
    """The pack's trigger-based classifier (recognition data in the type files) on a post."""
    from ..text.normalize import normalize

    loaded = kit._loaded  # noqa: SLF001

    def scores(text: str) -> dict[str, float]:
        return loaded.rule_scores(lang, normalize(text).text).scores

    return scores
