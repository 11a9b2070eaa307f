"""1. check latency, warm. (see run.py for what is measured and how)"""
from __future__ import annotations

import json
import statistics
from typing import Any

from common import (
    LANGS,
    QUICK,
    Report,
    check_kwargs,
    clear_word_caches,
    fmt,
    now,
    pct,
    rule_costs,
    summary,
    timed,
    timeouts_line,
)
from texts import POSTS, draft_600


def bench_check_latency(rep: Report, kit, cfg: dict) -> dict[str, float]:
    """Warm p50/p99 of check on the ~600-char draft of each language."""
    rep.section("1. check latency (warm, ~600-char draft, all rules, single thread)")
    rows, out, p50s = [], {}, {}
    grammar_note = None
    for lang, post in [(code, post) for code in LANGS for post in (None, POSTS[code][0])]:
        draft = draft_600(lang)
        # Integrations pass the customer's post as `inquiry` (classified if a type-bound rule fires): both rows.
        kw = {**check_kwargs(lang), "inquiry": post}
        t = now()
        first = kit.check(draft, **kw)
        first_s = now() - t
        for n in first.notices:
            if n.startswith("grammar"):
                grammar_note = n
        samples = timed(lambda: kit.check(draft, **kw), cfg["check_n"], warmup=20, budget_s=cfg["budget_s"])
        s = summary(samples)
        fresh = None
        if clear_word_caches(kit):
            fresh_samples = []
            for _ in range(cfg["newword_n"]):
                clear_word_caches(kit)
                t = now()
                kit.check(draft, **kw)
                fresh_samples.append(now() - t)
            fresh = pct(fresh_samples, 50)
        key = lang if post is None else f"{lang}+post"
        if post is None:
            p50s[lang] = s["p50_s"]
        out[key] = {**s, "chars": len(draft), "verdict": first.verdict, "findings": len(first.findings),
                     "first_call_s": first_s, "new_words_p50_s": fresh}
        rows.append([lang, "yes" if post else "no", len(draft), s["n"], fmt(s["p50_s"]), fmt(s["p99_s"]),
                     fmt(s["mean_s"]), fmt(fresh), fmt(first_s), f"{first.verdict}/{len(first.findings)}"])
    rep.table(["lang", "post", "chars", "n", "p50", "p99", "mean", "p50 new words", "1st call", "verdict/findings"],
              rows)
    rep.line("  p50/p99: the same draft again and again (speller word cache hot). 'new words': the speller's")
    rep.line("  word cache cleared before each call. '1st call': first check of that language in this process")
    rep.line("  (loads its Hunspell dictionaries; with a post: the first with one). post 'yes': the customer's")
    rep.line("  post (texts.POSTS, the language's first) passed as `inquiry`, as integrations call check.")
    if grammar_note:
        rep.line(f"  note: {grammar_note}")
    rep.line("  slowest rules per language (same draft, each rule alone, median of 15):")
    for lang in LANGS:
        costs = rule_costs(kit, lang, draft_600(lang))
        total = sum(c for c, _ in costs) or 1.0
        out[lang]["slowest_rules"] = [{"rule": r, "s": c} for c, r in costs[:3]]
        if costs:
            rep.line(f"    {lang}: " + ", ".join(f"{r} {fmt(c)} ({c / total:.0%})" for c, r in costs[:3])
                     + f"; all {len(costs)} rules {fmt(total)}")
    real = _real_drafts_latency(kit, repeat=3 if cfg is QUICK else 10)
    if real:
        rep.line(f"  the {real['n']} drafts of {real['set']} (mean {real['mean_chars']:.0f} characters, "
                 f"digits, names, problems included): p50 {fmt(real['p50'])}, p90 {fmt(real['p90'])}")
    timeouts = timeouts_line(rep, "section 1")
    rep.data["check_latency"] = {"iterations": cfg["check_n"], "grammar": grammar_note or "ran", "per_lang": out,
                                 "pattern_timeouts": timeouts, "eval_dev_drafts": real}
    return p50s


def _real_drafts_latency(kit, repeat: int) -> dict[str, Any] | None:
    """check over a labelled set's drafts (real wording, varied length), warm."""
    from devset import dev_set  # bench/ is on the path: run.py is run as a script

    name, folder = dev_set()
    rows = [json.loads(line) for path in sorted(folder.glob("*.drafts.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        return None

    def one(d: dict) -> None:
        kit.check(d["draft"], lang=d["lang"], channel=d["channel"], customer_name=d.get("customer_name"),
                  agent_name=d.get("agent_name"))
    for d in rows:
        one(d)
    samples = []
    for _ in range(repeat):
        for d in rows:
            t = now()
            one(d)
            samples.append(now() - t)
    samples.sort()
    return {"set": name, "n": len(rows), "mean_chars": statistics.mean(len(d["draft"]) for d in rows),
            "p50": statistics.median(samples), "p90": samples[int(len(samples) * 0.9)]}
