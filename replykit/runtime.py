"""Long-lived processes: keep the loaded pack out of the garbage collector's full passes.

A loaded kit holds a few hundred thousand small objects (vocabularies, phrase indexes, model
columns, compiled rules) that live as long as the process. Python's cyclic collector walks all of
them in every full (generation 2) collection, which the allocations of checking a long draft trigger
now and then: ~40 ms each on the 2-core reference machine, landing inside whichever request is
running (the slowest adversarial draft and the service's p99 were mostly that). `gc.freeze()` moves
the objects alive now into a permanent generation the collector does not walk; reference counting
still frees them. `replykit serve` and the batch workers call `freeze_heap()` once the pack is loaded
(and again after a reload); a long-lived integration that imports replykit can do the same.
"""
from __future__ import annotations

import gc


def freeze_heap() -> int:
    """Collect once, then freeze every object alive now; returns how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw_heap() -> None:
    """Undo `freeze_heap` before replacing the frozen pack (a reload), so the old one can be collected."""
    gc.unfreeze()
