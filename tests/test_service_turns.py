"""Requests take turns at CPU-bound work, first come first served, with the event loop polled between
two turns (service/turns.py)."""
from __future__ import annotations

import asyncio

import pytest

from replykit.service.turns import Turns


def _run(coro):  # noqa: ANN001, ANN202
    return asyncio.run(coro)


def test_a_request_alone_takes_its_turn_without_waiting():
    async def main() -> list[str]:
        turns, log = Turns(), []
        loop = asyncio.get_running_loop()
        loop.call_soon(log.append, "next pass")
        async with turns.turn():
            log.append("work")
        return log

    assert _run(main()) == ["work", "next pass"]


def test_one_turn_per_pass_of_the_loop_in_arrival_order():
    """Four requests ready in one pass: their work is spread over passes, and a request that arrives
    during the first one's work is served after the three that were already waiting, not before."""
    async def main() -> list[str]:
        turns, log = Turns(), []

        async def request(name: str, work_s: float = 0.0) -> None:
            async with turns.turn():
                log.append(f"start {name}")
                if name == "a":  # work that makes a new request arrive (as a client's next request would)
                    asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(request("late")))
                log.append(f"end {name}")

        await asyncio.gather(*(request(n) for n in "abcd"))
        await asyncio.sleep(0.01)
        return log

    log = _run(main())
    starts = [entry.split()[1] for entry in log if entry.startswith("start")]
    assert starts == ["a", "b", "c", "d", "late"]
    # Turns never overlap.
    assert all(log[i].startswith("start") and log[i + 1] == log[i].replace("start", "end")
               for i in range(0, len(log), 2))


def test_the_loop_polls_between_two_turns():
    async def main() -> list[str]:
        turns, log = Turns(), []
        loop = asyncio.get_running_loop()

        async def request(name: str) -> None:
            async with turns.turn():
                log.append(name)
                loop.call_soon(log.append, f"after {name}")  # runs on the next pass

        await asyncio.gather(request("a"), request("b"))
        return log

    assert _run(main()) == ["a", "after a", "b", "after b"]


@pytest.mark.parametrize("when", ["waiting", "granted"])
def test_a_cancelled_request_does_not_keep_the_turn(when: str):
    async def main() -> list[str]:
        turns, done = Turns(), []

        async def request(name: str) -> None:
            async with turns.turn():
                done.append(name)
                await asyncio.sleep(0.01)

        first = asyncio.ensure_future(request("a"))
        await asyncio.sleep(0)  # a holds the turn
        second = asyncio.ensure_future(request("b"))
        third = asyncio.ensure_future(request("c"))
        await asyncio.sleep(0)  # b and c wait
        if when == "granted":
            await first
            while len(turns._waiting) == 2:  # until a's turn is handed to b, whose task has not resumed yet
                await asyncio.sleep(0)
            assert "b" not in done
        second.cancel()
        await asyncio.wait_for(asyncio.gather(first, third, return_exceptions=True), 2)
        assert second.cancelled()
        return done

    assert _run(main()) == ["a", "c"]
