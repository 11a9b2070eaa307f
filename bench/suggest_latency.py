"""2. suggest latency, warm. (see run.py for what is measured and how)"""
from __future__ import annotations

from common import LANGS, Report, fmt, now, summary, timed
from texts import NAMES, POSTS


def bench_suggest_latency(rep: Report, kit, cfg: dict) -> None:
    """Warm p50/p99 of suggest over each language's posts, lang given vs detected."""
    rep.section("2. suggest latency (warm, bundled pack)")
    rows, out = [], {}
    wrong = []
    t = now()
    kit.suggest(POSTS["nl"][0])  # may load the language detector's models
    first_detect = now() - t
    for lang in LANGS:
        posts = POSTS[lang]
        for mode in ("lang given", "detected"):
            kw = {"lang": lang} if mode == "lang given" else {}
            it = iter(range(10 ** 9))
            fn = lambda: kit.suggest(posts[next(it) % len(posts)], channel="facebook",  # noqa: E731
                                     variables={"agent_name": NAMES[lang][1]}, **kw)
            s = summary(timed(fn, cfg["suggest_n"], warmup=len(posts)))
            out.setdefault(lang, {})[mode] = s
            rows.append([lang, mode, fmt(s["p50_s"]), fmt(s["p99_s"]), fmt(s["mean_s"])])
        for p in posts:
            got = kit.suggest(p).lang
            if got != lang:
                wrong.append(f"{lang}->{got}: {p[:50]}")
    rep.table(["lang", "mode", "p50", "p99", "mean"], rows)
    rep.line(f"  first suggest with detection in this process: {fmt(first_detect)} (loads the detector)")
    rep.line(f"  posts per language: {len(POSTS['da'])}, cycled; top=3, channel=facebook; "
             f"detection errors on these posts: {len(wrong)}" + (f" ({'; '.join(wrong)})" if wrong else ""))
    rep.data["suggest_latency"] = {"iterations": cfg["suggest_n"], "first_detect_s": first_detect,
                                   "detection_errors": wrong, "per_lang": out}
