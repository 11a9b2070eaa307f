"""Long-lived processes keep the loaded pack out of full garbage collections (replykit/runtime.py)."""
from __future__ import annotations

import asyncio
import gc

import pytest

from replykit.runtime import freeze_heap, thaw_heap


def test_freeze_heap_moves_the_live_objects_out_of_full_collections_and_thaw_undoes_it():
    live = [["kept"]]  # a container alive when the heap is frozen
    try:
        frozen = freeze_heap()
        # Frozen objects can still die by reference count (another thread's), so the count may only fall.
        assert 0 < gc.get_freeze_count() <= frozen
        assert not any(obj is live for obj in gc.get_objects())  # no generation holds it: out of full collections
    finally:
        thaw_heap()
    assert gc.get_freeze_count() == 0
    assert any(obj is live for obj in gc.get_objects())


def test_the_service_freezes_the_loaded_pack_and_thaws_it_for_a_reload(kit, monkeypatch):
    pytest.importorskip("fastapi")
    from replykit.service.auth import KeyRing
    from replykit.service.settings import ServiceSettings
    from replykit.service.state import ServiceState

    seen: list[int] = []
    monkeypatch.setattr(type(kit), "reload", lambda self: seen.append(gc.get_freeze_count()))
    state = ServiceState(ServiceSettings(), kit=kit, keys=KeyRing(["k-1"]))

    async def run() -> None:
        await state.start()
        assert gc.get_freeze_count() > 0  # the pack is loaded and frozen before the first request
        monkeypatch.setattr("replykit.service.state.pack_digest", lambda roots: "changed")
        await state.reload("test")
        await state.stop()

    try:
        asyncio.run(run())
    finally:
        thaw_heap()
    assert seen == [0]  # thawed while the old pack is replaced, so it can be collected
