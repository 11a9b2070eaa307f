"""Section 9 of `make bench`: judgement with the trained model.

* speed the way integrations call it: `check` with the customer's post passed (its
  type is classified when a rule for some inquiry types fires), the model on and off;
  `suggest` with the model;
* what the model itself costs per call (sentence scores, inquiry scores);
* how long `replykit train` takes on the bundled pack, on one core;
* quality side by side: cross-validated (the model cards, training data) and the newest
  blind set (tests/data/blindN with the highest N: written after the last change, read by
  nobody who tunes; the README says which).
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, check_kwargs, fmt, summary, timed
from texts import POSTS, draft_600

LANGS = ("da", "no", "nl", "ru")


def bench_judgement(rep, kit, cfg: dict) -> None:  # noqa: ANN001 - Report and ReplyKit
    rep.section("9. judgement: the trained model (speed with the inquiry passed, training, quality)")
    out: dict = {}
    _speed(rep, kit, cfg, out)
    _train_time(rep, out)
    _quality(rep, kit, out)
    rep.data["judgement"] = out


def _speed(rep, kit, cfg: dict, out: dict) -> None:  # noqa: ANN001
    from replykit.check.engine import make_context
    from replykit.text.normalize import normalize

    rows = []
    for lang in LANGS:
        draft, post = draft_600(lang), POSTS[lang][0]
        kw = {**check_kwargs(lang), "inquiry": post}
        on_s, off_s, added = _paired(lambda: kit.check(draft, **kw), lambda: kit.check(draft, **kw, models=False),
                                     cfg["check_n"])
        on, off = summary(on_s), summary(off_s)
        state = kit._loaded.learned(lang)  # noqa: SLF001
        if state.model is None:
            rep.line(f"  {lang}: no usable model ({state.notice or 'none trained'}); skipped")
            continue
        model = state.model
        sentences = [draft[s:e] for s, e in make_context(draft, lang, "facebook").sentences]
        norm_post = normalize(post).text
        own = summary(timed(lambda: (model.sentence_probs(sentences), model.inquiry_scores(norm_post)),
                                cfg["check_n"], warmup=20))
        posts = POSTS[lang]
        it = iter(range(10 ** 9))
        sug = summary(timed(lambda: kit.suggest(posts[next(it) % len(posts)], lang=lang, channel="facebook"),
                                cfg["suggest_n"], warmup=len(posts)))
        out.setdefault("speed", {})[lang] = {"check_inquiry_p50_s": on["p50_s"], "check_inquiry_p99_s": on["p99_s"],
                                             "check_rules_only_p50_s": off["p50_s"], "models_added_p50_s": added,
                                             "model_p50_s": own["p50_s"], "suggest_p50_s": sug["p50_s"],
                                             "chars": len(draft)}
        rows.append([lang, len(draft), fmt(on["p50_s"]), fmt(on["p99_s"]), fmt(off["p50_s"]), fmt(added),
                     fmt(own["p50_s"]), fmt(sug["p50_s"])])
    rep.table(["lang", "chars", "check p50", "check p99", "rules only p50", "models add", "model p50", "suggest p50"],
              rows)
    rep.line("  check: the ~600-character draft with the customer's post passed as `inquiry` (classified if a")
    rep.line("  type-bound rule fires), names and channel, warm. 'rules only': models=False, each call right")
    rep.line("  after one with the models. 'models add': the median of those pairs' differences (the load of")
    rep.line("  the moment cancels out; the difference of the two p50s moved 0.3-0.45 ms between runs).")
    rep.line("  'model': the sentence scores of the draft plus the inquiry scores of the post, alone.")
    rep.line("  suggest: language given, top 3.")
    real = _real_drafts(kit)
    if real:
        out["real_drafts"] = real
        rep.line(f"  {real['set']}: {real['n']} drafts with their posts (mean {real['mean_chars']:.0f} chars): "
                 f"first sight p50 {fmt(real['first_p50'])}, again p50 {fmt(real['warm_p50'])} "
                 f"p90 {fmt(real['warm_p90'])}")


def _paired(with_models, rules_only, n: int) -> tuple[list[float], list[float], float]:  # noqa: ANN001
    """Both calls n times, back to back, which one first alternating: each one's times, and the median
    of (with models - rules only) over the pairs."""
    for _ in range(20):
        with_models()
        rules_only()
    on: list[float] = []
    off: list[float] = []
    for i in range(n):
        first, second = (with_models, rules_only) if i % 2 else (rules_only, with_models)
        t0 = time.perf_counter()
        first()
        t1 = time.perf_counter()
        second()
        t2 = time.perf_counter()
        a, b = (t1 - t0, t2 - t1) if i % 2 else (t2 - t1, t1 - t0)
        on.append(a)
        off.append(b)
    return on, off, statistics.median(x - y for x, y in zip(on, off, strict=True))


def _real_drafts(kit) -> dict | None:  # noqa: ANN001
    from devset import dev_set

    from replykit.learn.evaluate import read_jsonl

    name, folder = dev_set()  # $REPLYKIT_EVAL_DEV, else tests/data/blind1
    rows = [r for p in sorted(folder.glob("*.drafts.jsonl")) for r in read_jsonl(p)]
    if not rows:
        return None

    def one(d: dict) -> float:
        t = time.perf_counter()
        kit.check(d["draft"], lang=d["lang"], channel=d.get("channel"), inquiry=d.get("inquiry"),
                  customer_name=d.get("customer_name"), agent_name=d.get("agent_name"))
        return time.perf_counter() - t
    first = sorted(one(d) for d in rows)
    warm = sorted(one(d) for _ in range(5) for d in rows)
    return {"set": name, "n": len(rows), "mean_chars": statistics.mean(len(d["draft"]) for d in rows),
            "first_p50": statistics.median(first), "warm_p50": statistics.median(warm),
            "warm_p90": warm[int(len(warm) * 0.9)]}


def _train_time(rep, out: dict) -> None:  # noqa: ANN001
    from replykit import ReplyKit
    from replykit.kit import bundled_path
    from replykit.learn.packs import train_kit

    tmp = Path(tempfile.mkdtemp(prefix="replykit-train-"))
    try:
        shutil.copytree(bundled_path("templates"), tmp / "templates")
        t = time.perf_counter()
        cpu = time.process_time()
        models = train_kit(ReplyKit.load(tmp / "templates", models=False))
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    per_lang = {lang: m.card["seconds"] for lang, m in models.items()}
    out["train"] = {"wall_s": wall, "cpu_s": cpu, "per_lang_s": per_lang}
    rep.line(f"  replykit train, bundled pack, one thread: {wall:.1f} s wall, {cpu:.1f} s CPU "
             f"({', '.join(f'{k} {v:.1f} s' for k, v in per_lang.items())})")


def _quality(rep, kit, out: dict) -> None:  # noqa: ANN001
    from replykit.learn.evaluate import score_folder

    rows = []
    for lang in LANGS:
        model = kit._loaded.learned(lang).model  # noqa: SLF001
        if model is None:
            continue
        c = model.card
        rows.append([lang, c["inquiry"]["cv_top1"], c["inquiry"]["cv_top3"],
                     c["data"]["posts"], c["data"]["drafts"], c["data"]["clean"], c["data"]["writers"]])
    rep.line("  cross-validated on the pack's labelled data (5 folds, grouped by record):")
    rep.table(["lang", "type top-1", "type top-3", "posts", "drafts", "clean", "writers"], rows)
    sets = sorted((p for p in (ROOT / "tests" / "data").glob("blind[0-9]*") if p.is_dir()),
                  key=lambda p: int(p.name[5:]))
    if sets:
        blind = sets[-1]  # the newest: written after the last change (see the README)
        got = score_folder(kit, blind)
        out[blind.name] = got
        rep.line(f"  blind set tests/data/{blind.name} ({got['posts']} posts, {got['drafts']} drafts, "
                 f"{got.get('clean_replies', 0)} clean replies):")
        keys = ["type_top1", "type_top3", "lang_detect", "forbidden_recall", "blocked_verdict", "other_recall",
                "clean_pass", "false_alarms", "false_alarms_error"]
        rep.table(keys, [[got.get(k) for k in keys]])
        rep.line(f"  per category: {got['per_category']}")
