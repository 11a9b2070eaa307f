"""A small bounded memo, one per owning object (never module-level, never `lru_cache` on a method).

`functools.lru_cache` on a method keys on `self` and keeps every instance alive
(after `reload()`, every old detector); this lives on the instance instead
and forgets its oldest entries beyond `maxsize`.
"""
from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._data: dict[K, V] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        try:
            return self._data[key]
        except KeyError:
            pass
        value = compute()  # outside the lock: a slow computation never blocks the hits
        with self._lock:
            if key not in self._data and len(self._data) >= self.maxsize:
                del self._data[next(iter(self._data))]  # the oldest entry (dicts keep insertion order)
            self._data[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
