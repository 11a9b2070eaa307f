"""Requests' CPU-bound work one at a time, in the order the requests asked for it.

A worker answers in its event loop's thread (the work is CPU-bound; threads would only share the
GIL). The loop runs every request that became ready in one poll back to back before it polls again,
so a request that arrives while a batch runs waits for the whole batch, and then may wait behind a
next batch of requests that arrived after it: with 4 keep-alive clients on a worker, p99 was twice
p50. Taking turns here, each turn handed on only after the loop has polled once more, serves
requests first come, first served: each waits for those ahead of it and no more, so p99 stays near
p50 (the service's latency under load is what the helpdesk sees). A turn costs one extra pass of the
loop; a request alone never waits.
"""
from __future__ import annotations

import asyncio
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator


class Turns:
    """One per event loop (ServiceState holds it: each worker process has one loop)."""

    def __init__(self) -> None:
        self._busy = False  # a turn is running, or handed to a waiter whose task has not resumed yet
        self._waiting: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._busy or self._waiting:
            granted = asyncio.get_running_loop().create_future()
            self._waiting.append(granted)
            try:
                await granted
            except BaseException:  # cancelled (the client went away): a turn handed to it goes on
                if granted.done() and not granted.cancelled():
                    self._next()
                raise
        self._busy = True
        try:
            yield
        finally:
            # Handed on from the next pass of the loop, after it has polled: requests that arrived
            # meanwhile queue up behind those already waiting.
            asyncio.get_running_loop().call_soon(self._next)

    def _next(self) -> None:
        while self._waiting:
            granted = self._waiting.popleft()
            if not granted.done():  # (a cancelled waiter's future is done)
                granted.set_result(None)  # the turn is theirs: _busy stays set
                return
        self._busy = False
