"""Section 14 of `make bench` (issue #14): `replykit triage` on the issue's storm nights.

The posts are tests/triage_posts.py's storm night per language (300 outage posts about one
area within an hour in varied wording, 30 unrelated posts, a legal threat, a safety case, a
troll, a post with the customer's phone and e-mail), and all four nights as one batch of
1,336 posts. Figures: wall time and posts/s of `Triage.run` (in process, the kit warm), the
share of it spent clustering, and the storm found (its size against the outage posts, other
posts in it).
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

LANGS = ("da", "no", "nl", "ru")


def bench_triage(rep, kit) -> None:  # noqa: ANN001 - bench Report and ReplyKit
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from triage_posts import storm_night

    from replykit.triage import Triage, engine

    rep.section("14. triage: storm nights through `replykit triage` (in process, kit warm)")
    nights = {lang: storm_night(lang) for lang in LANGS}
    triage = Triage(kit)
    triage.run(nights["da"][0][:20])  # warm: models and dictionaries loaded
    rows, out = [], {}
    batches = [(lang, *nights[lang]) for lang in LANGS]
    batches.append(("all four", [p for lang in LANGS for p in nights[lang][0]],
                    {k: v for lang in LANGS for k, v in nights[lang][1].items()}))
    for name, posts, kinds in batches:
        clustering = [0.0]
        original = engine.cluster_posts

        def timed_clusters(features, config, _orig=original, _acc=clustering):  # noqa: ANN001
            t = time.perf_counter()
            try:
                return _orig(features, config)
            finally:
                _acc[0] += time.perf_counter() - t

        engine.cluster_posts = timed_clusters
        try:
            t0 = time.perf_counter()
            result = triage.run(posts)
            wall = time.perf_counter() - t0
        finally:
            engine.cluster_posts = original
        outage = [it for it in result.items if kinds[it.id] == "outage"]
        per_storm = Counter(it.cluster for it in outage if it.storm)
        held = sum(per_storm.values())
        strays = sum(1 for it in result.items if kinds[it.id] != "outage" and it.storm)
        rows.append([name, len(posts), f"{wall:.2f} s", f"{len(posts) / wall:.0f}", f"{clustering[0]:.2f} s",
                     len(result.storms), f"{held}/{len(outage)}", strays])
        out[name] = {"posts": len(posts), "wall_s": wall, "posts_per_s": len(posts) / wall,
                     "clustering_s": clustering[0], "storms": len(result.storms), "outage_in_storms": held,
                     "outage_posts": len(outage), "others_in_storms": strays}
    rep.table(["batch", "posts", "wall", "posts/s", "clustering", "storms", "outage posts in storms",
               "others in storms"], rows)
    rep.data["triage"] = out
