"""The share of sent replies that `check` would block or flag, by category and by day.

Every reply, or a seeded random sample (`--sample N`): rows are ordered by a hash of the seed and
the row's own content, so the same file and seed give the same sample on any machine and in any
row order. Re-checking runs in worker processes (each loads the kit once) or on a Dask cluster
(each Dask worker loads the kit once, through a worker plugin); rows travel in chunks and only
small outcomes come back (verdict, categories, day), never the texts.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, ReplyKitError
from ..progress import progress_for
from ..vocabulary import INQUIRY_TYPES
from .results import CategoryShare, CheckShare, DayShare

log = logging.getLogger("replykit.kpi")

CHUNK = 100  # rows per task: large enough that sending them costs little beside checking them
FLAGGING = ("warning", "error")  # a suggestion does not hold a reply back

Row = tuple[str, str, str, str, str | None]  # reply_text, lang, channel, inquiry_type, day
Outcome = tuple[str | None, tuple[str, ...], str | None]  # verdict (None: not checkable), categories, day


@dataclass(frozen=True)
class KitSpec:
    """How a worker loads the same kit as the command (picklable: it crosses process boundaries)."""

    templates: str | None = None
    rules: str | None = None
    languagetool_url: str | None = None

    def load(self) -> Any:
        from ..kit import ReplyKit

        return ReplyKit.load(self.templates, self.rules, languagetool_url=self.languagetool_url)


def check_rows(kit: Any, rows: Iterable[Row]) -> list[Outcome]:
    """Check each reply as its agent's draft; a language or channel the kit does not know is left
    for check to detect or ignore rather than making the reply uncheckable."""
    languages = set(kit.languages) | {"nb", "nn", "dk"}
    out: list[Outcome] = []
    for text, lang, channel, inquiry_type, day in rows:
        try:
            result = kit.check(text, lang=lang if lang in languages else None,
                               channel=channel if channel not in ("", "unknown") else None,
                               inquiry_type=inquiry_type if inquiry_type in INQUIRY_TYPES else None)
        except InputError as exc:
            try:  # an unusual channel name is not a reason to skip the reply
                result = kit.check(text, lang=lang if lang in languages else None)
            except ReplyKitError:
                log.debug("reply not checkable: %s", exc)
                out.append((None, (), day))
                continue
        except ReplyKitError as exc:
            log.debug("reply not checkable: %s", exc)
            out.append((None, (), day))
            continue
        categories = tuple(sorted({f.category for f in result.findings if f.severity in FLAGGING}))
        out.append((result.verdict, categories, day))
    return out


# ------------------------------------------------------------ worker processes

class _Worker:
    """The kit of *this worker process*, loaded once by the pool's initializer; the parent never sets it
    (the same pattern as the batch runner's pool, replykit/batch.py)."""

    kit: Any = None

    @classmethod
    def start(cls, spec: KitSpec) -> None:
        cls.kit = spec.load()

    @classmethod
    def check_chunk(cls, rows: list[Row]) -> list[Outcome]:
        return check_rows(cls.kit, rows)


def _in_processes(chunks: Iterator[list[Row]], spec: KitSpec, workers: int,
                  advance: Callable[[int], None]) -> Iterator[list[Outcome]]:
    # spawn, not fork: the parent holds DuckDB's threads, and a forked copy of a threaded process
    # may inherit a held lock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_Worker.start, initargs=(spec,)) as pool:
        pending: set[Future] = set()
        for chunk in chunks:
            pending.add(pool.submit(_Worker.check_chunk, chunk))
            if len(pending) >= 4 * workers:  # bounded: a whole archive is never held in memory
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcomes = future.result()
                    advance(len(outcomes))
                    yield outcomes
        for future in pending:
            outcomes = future.result()
            advance(len(outcomes))
            yield outcomes


def _here(chunks: Iterator[list[Row]], kit: Any, advance: Callable[[int], None]) -> Iterator[list[Outcome]]:
    for chunk in chunks:
        outcomes = check_rows(kit, chunk)
        advance(len(outcomes))
        yield outcomes


# ------------------------------------------------------------ Dask


def _kit_plugin(spec: KitSpec) -> Any:
    from distributed import WorkerPlugin

    class KitPlugin(WorkerPlugin):
        """Loads the kit once on each Dask worker."""

        name = "replykit-kit"

        def __init__(self, spec: KitSpec) -> None:
            self.spec = spec
            self.kit: Any = None

        def setup(self, worker: Any) -> None:
            self.kit = self.spec.load()

    return KitPlugin(spec)


def _dask_check_chunk(rows: list[Row]) -> list[Outcome]:
    from distributed import get_worker

    plugin: Any = get_worker().plugins["replykit-kit"]  # the KitPlugin set up on this worker
    return check_rows(plugin.kit, rows)


def _on_dask(chunks: Iterator[list[Row]], spec: KitSpec, address: str,
             advance: Callable[[int], None]) -> Iterator[list[Outcome]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--dask needs dask.distributed: pip install 'replykit[kpi]'") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--dask {address}: cannot connect ({exc})") from None
    try:
        client.register_plugin(_kit_plugin(spec))
        in_flight = max(4, 4 * len(client.scheduler_info().get("workers", {})))
        queue = as_completed()
        for chunk in chunks:
            queue.add(client.submit(_dask_check_chunk, chunk, pure=False))
            if queue.count() >= in_flight:
                outcomes = next(queue).result()
                advance(len(outcomes))
                yield outcomes
        for future in queue:
            outcomes = future.result()
            advance(len(outcomes))
            yield outcomes
    finally:
        client.close()


# ------------------------------------------------------------ selection and tally


def _rows(con: Any, sample: int | None, seed: int) -> Iterator[list[Row]]:
    order = (f"ORDER BY hash({int(seed)}, post_raw, reply_raw, agent, channel, lang, reply_text) "
             f"LIMIT {int(sample)}") if sample is not None else ""
    cursor = con.execute(f"""
        SELECT reply_text, lang, channel, inquiry_type, strftime(reply_ts, '%Y-%m-%d')
        FROM replies WHERE reply_text IS NOT NULL AND trim(reply_text) <> '' {order}""")
    while batch := cursor.fetchmany(CHUNK):
        yield [tuple(r) for r in batch]


@dataclass
class _Tally:
    checked: int = 0
    unchecked: int = 0
    verdicts: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    days: dict[str, Counter] = field(default_factory=dict)

    def add(self, outcomes: list[Outcome]) -> None:
        for verdict, categories, day in outcomes:
            if verdict is None:
                self.unchecked += 1
                continue
            self.checked += 1
            self.verdicts[verdict] += 1
            self.categories.update(categories)
            if day is not None:
                self.days.setdefault(day, Counter())[verdict] += 1


def check_share(con: Any, spec: KitSpec, *, sample: int | None = None, seed: int = 14,
                workers: int | None = None, dask: str | None = None, kit: Any = None) -> CheckShare:
    """Re-check the export's replies. `workers=1` (and no `dask`) checks in this process with `kit`
    (or one loaded from `spec`)."""
    if sample is not None and sample < 1:
        raise InputError(f"--sample {sample}: must be at least 1")
    with_text = con.execute("SELECT count(*) FROM replies WHERE reply_text IS NOT NULL "
                            "AND trim(reply_text) <> ''").fetchone()[0]
    total = min(with_text, sample) if sample is not None else with_text
    workers = workers or os.cpu_count() or 1
    tally = _Tally()
    chunks = _rows(con, sample, seed)
    with progress_for(total, "re-checking replies") as tick:
        def advance(n: int) -> None:
            for _ in range(n):
                tick()

        if dask:
            runner = f"dask:{dask}"
            results: Iterable[list[Outcome]] = _on_dask(chunks, spec, dask, advance)
        elif workers > 1 and total > CHUNK:
            runner = f"processes:{workers}"
            results = _in_processes(chunks, spec, workers, advance)
        else:
            runner = "processes:1"
            results = _here(chunks, kit if kit is not None else spec.load(), advance)
        for outcomes in results:
            tally.add(outcomes)
    checked = tally.checked
    return CheckShare(
        rows_with_text=with_text, checked=checked, sample=sample, seed=seed if sample is not None else None,
        unchecked=tally.unchecked, blocked=tally.verdicts["blocked"], revise=tally.verdicts["revise"],
        blocked_share=tally.verdicts["blocked"] / checked if checked else 0.0,
        revise_share=tally.verdicts["revise"] / checked if checked else 0.0,
        categories=[CategoryShare(category=c, replies=n, share=n / checked)
                    for c, n in sorted(tally.categories.items(), key=lambda kv: (-kv[1], kv[0]))],
        days=[DayShare(day=d, checked=sum(c.values()), blocked=c["blocked"], revise=c["revise"])
              for d, c in sorted(tally.days.items())],
        runner=runner)
