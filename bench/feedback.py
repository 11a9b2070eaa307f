"""Section 13 of `make bench`: the feedback store (issue #13).

* recording overhead: p50 of `suggest` and `check` with a SQLite feedback store against
  the same kit without one (calls interleaved), and the recording step alone (masking +
  one transaction);
* writes/s from 4 processes writing to one SQLite file at once (one transaction a write);
* the replay: the labelled posts of ONE language's held-out files (templates/<lang>/
  labelled/holdout*.posts.jsonl) go through `suggest` on a temporary copy of the pack; a
  simulated agent picks the reply of the labelled type when it is among the three
  suggestions, else marks the post wrong-type with the labelled type; every finding on
  that language's clean corpus (labelled/*.clean.jsonl) is dismissed as a false alarm;
  the feedback is exported into the copy's labelled/ folder, the language is retrained
  (learn.packs.train_kit) and type top-1 and false alarms are measured before and after on
  tests/data/blind2 (that language only). The repository's pack is never written.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
REPLAY_LANG = os.environ.get("REPLYKIT_BENCH_REPLAY_LANG", "da")
NAMES = {"customer_name": "Peter Hansen", "agent_name": "Sofie"}
POST = "Mit net er nede igen!! Hele vejen er uden internet siden i morges"
DRAFT = ("Hej Peter. Tak for din besked, og undskyld ventetiden. Vi har en fejl i området, og vores teknikere "
         "arbejder på sagen. Følg status på fibra.dk/drift. Hilsen Sofie")


def _p50(samples: list[float]) -> float:
    return statistics.median(samples)


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def bench_feedback(rep, kit, cfg: dict) -> None:  # noqa: ANN001 - Report and ReplyKit
    rep.section("13. feedback store: recording overhead, concurrent writes, replay (suggest -> feedback -> retrain)")
    out: dict[str, Any] = {}
    quick = cfg.get("batch_lines", 2400) < 1000
    tmp = Path(tempfile.mkdtemp(prefix="replykit-feedback-bench-"))
    try:
        _overhead(rep, kit, tmp, 200 if quick else 1500, out)
        _writes(rep, tmp, 300 if quick else 2000, out)
        _replay(rep, tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rep.data["feedback"] = out


# ---------------------------------------------------------------- overhead


def _overhead(rep, kit, tmp: Path, n: int, out: dict) -> None:  # noqa: ANN001
    from replykit import ReplyKit

    recording = ReplyKit.load(feedback=tmp / "overhead.db")
    calls: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "suggest": (lambda: kit.suggest(POST, lang="da", variables=NAMES),
                    lambda: recording.suggest(POST, lang="da", variables=NAMES)),
        "check": (lambda: kit.check(DRAFT, lang="da", channel="facebook", customer_name="Peter", agent_name="Sofie"),
                  lambda: recording.check(DRAFT, lang="da", channel="facebook", customer_name="Peter",
                                          agent_name="Sofie")),
    }
    rows = []
    for name, (plain, recorded) in calls.items():
        for _ in range(20):
            plain()
            recorded()
        a: list[float] = []
        b: list[float] = []
        for _ in range(n):  # interleaved: drift of a shared machine hits both alike
            t = time.perf_counter()
            plain()
            a.append(time.perf_counter() - t)
            t = time.perf_counter()
            recorded()
            b.append(time.perf_counter() - t)
        result = plain()
        log = recording.feedback
        if name == "suggest":
            step = _timed(lambda log=log, result=result: log.record_suggest(result, POST, NAMES), n)
        else:
            step = _timed(lambda log=log, result=result: log.record_check(result, DRAFT, None, None, NAMES), n)
        out.setdefault("overhead", {})[name] = {"plain_p50_s": _p50(a), "recording_p50_s": _p50(b),
                                                "added_p50_s": _p50(b) - _p50(a), "record_step_p50_s": _p50(step)}
        rows.append([name, _fmt(_p50(a)), _fmt(_p50(b)), _fmt(_p50(b) - _p50(a)), _fmt(_p50(step))])
    rep.table(["call", "p50 no store", "p50 recording", "added", "record step alone p50"], rows)
    rep.line(f"  {n} interleaved calls each, SQLite store in WAL mode on local disk (target: <= 1 ms added at p50)")


def _timed(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


# ------------------------------------------------------------------ writes


def _writer(db: str, worker: int, n: int, start: Any, done: Any) -> None:
    sys.path.insert(0, str(ROOT))
    from replykit.feedback.sqlite import SqliteStore
    from replykit.feedback.store import FeedbackRow

    store = SqliteStore(db)
    start.wait()
    for i in range(n):
        store.add_feedback(FeedbackRow(f"r{worker}-{i}", "pick", time.time(), agent=f"a{worker}",
                                       ref="da/outage/public", sent="Hej [name]. Tak.", edit_distance=0.1))
    done.put(worker)


def _writes(rep, tmp: Path, n: int, out: dict) -> None:  # noqa: ANN001
    from replykit.feedback.sqlite import SqliteStore

    db = str(tmp / "writes.db")
    SqliteStore(db).close()
    ctx = multiprocessing.get_context("spawn")
    start, done = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(db, w, n, start, done)) for w in range(4)]
    for p in procs:
        p.start()
    time.sleep(2.0)  # let every process import and open the store before the clock starts
    t = time.perf_counter()
    start.set()
    for _ in procs:
        done.get(timeout=600)
    wall = time.perf_counter() - t
    for p in procs:
        p.join(60)
    stored = SqliteStore(db).query("SELECT COUNT(*) FROM feedback")[0][0]
    rate = stored / wall
    out["writes"] = {"processes": 4, "writes": 4 * n, "stored": stored, "wall_s": wall, "writes_per_s": rate}
    rep.line(f"  4 processes x {n} writes (one transaction each) into one SQLite file: {rate:,.0f} writes/s, "
             f"{stored} of {4 * n} stored (target: >= 500 writes/s, none lost)")


# ------------------------------------------------------------------ replay


def _replay(rep, tmp: Path, out: dict) -> None:  # noqa: ANN001
    from replykit import ReplyKit
    from replykit.feedback.export import write_export
    from replykit.kit import bundled_path
    from replykit.learn.evaluate import PROBLEM, false_alarms, read_jsonl, score_drafts, score_posts
    from replykit.learn.packs import train_kit

    lang = REPLAY_LANG
    pack = tmp / "templates"
    shutil.copytree(bundled_path("templates"), pack)
    labelled = pack / lang / "labelled"
    posts = [r for p in sorted(labelled.glob("holdout*.posts.jsonl")) for r in read_jsonl(p)]
    clean = [r for p in sorted(labelled.glob("*.clean.jsonl")) for r in read_jsonl(p)]
    blind = ROOT / "tests" / "data" / "blind2"
    blind_posts = read_jsonl(blind / f"{lang}.inquiries.jsonl")
    blind_drafts = read_jsonl(blind / f"{lang}.drafts.jsonl")
    blind_clean = read_jsonl(blind / f"{lang}.clean.jsonl")

    def measure(kit) -> dict:  # noqa: ANN001
        fa = false_alarms(kit, blind_clean, lang)
        return {**score_posts(kit, blind_posts), **score_drafts(kit, blind_drafts),
                "false_alarms": fa["flagged"], "false_alarms_error": fa["error"]}

    kit = ReplyKit.load(pack, feedback=tmp / "replay.db")
    before = measure(ReplyKit.load(pack))
    t = time.perf_counter()
    picked = marked = dismissed = 0
    for rec in posts:
        s = kit.suggest(rec["text"], lang=lang, channel=rec.get("channel"), variables=NAMES)
        right = next((x for x in s.suggestions if x.inquiry_type == rec["type"]), None)
        if right is not None:
            kit.feedback.pick(s.result_id, right.template_id, agent=f"agent{picked % 7}")
            picked += 1
        else:
            kit.feedback.wrong_type(s.result_id, rec["type"], agent="agent0")
            marked += 1
    for rec in clean:
        c = kit.check(rec["text"], lang=lang, channel=rec.get("channel") or "facebook")
        for rule in {f.rule_id for f in c.findings if f.severity in PROBLEM}:
            kit.feedback.dismiss(c.result_id, rule, agent="agent1")
            dismissed += 1
    replay_s = time.perf_counter() - t
    written = write_export(kit.feedback.store, pack, lang)
    exported = {p.name.split(".")[-2]: n for p, n in written}
    t = time.perf_counter()
    train_kit(ReplyKit.load(pack, models=False), langs=[lang])
    train_s = time.perf_counter() - t
    after = measure(ReplyKit.load(pack))
    out["replay"] = {"lang": lang, "posts": len(posts), "picked": picked, "wrong_type": marked,
                     "clean_checked": len(clean), "dismissed": dismissed, "exported": exported,
                     "replay_s": replay_s, "train_s": train_s, "before": before, "after": after}
    rep.line(f"  replay ({lang}): {len(posts)} held-out posts -> {picked} picks, {marked} wrong-type marks; "
             f"{len(clean)} clean replies checked -> {dismissed} findings dismissed; exported {exported}; "
             f"replay {replay_s:.1f} s, retrain {train_s:.1f} s")
    keys = ["type_top1", "type_top3", "false_alarms", "false_alarms_error", "forbidden_recall", "other_recall",
            "clean_pass"]
    rep.table(["tests/data/blind2 " + lang, *keys], [["before", *[before[k] for k in keys]],
                                                     ["after", *[after[k] for k in keys]]])
