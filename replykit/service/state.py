"""What one service process serves: the kit, the pack's identity, and reloads that keep the last good pack."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ..kit import ReplyKit, bundled_path
from ..runtime import freeze_heap, thaw_heap
from .auth import KeyRing
from .metrics import ServiceMetrics
from .settings import ServiceSettings
from .turns import Turns

log = logging.getLogger("replykit.service")


@dataclass(frozen=True)
class ReloadOutcome:
    outcome: str  # ok | unchanged | failed
    pack: str
    digest: str
    error: str | None = None


def pack_digest(roots: list[Path]) -> str:
    """SHA-256 over the names and contents of every file of the pack and rule folders (hidden folders left out)."""
    h = hashlib.sha256()
    for root in roots:
        h.update(f"root {root}\0".encode())
        for folder, dirs, files in os.walk(root, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if not path.is_file():  # sockets, FIFOs: never read
                    continue
                h.update(f"{path.relative_to(root).as_posix()}\0".encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class ServiceState:
    """One per process (each uvicorn worker has its own)."""

    def __init__(self, settings: ServiceSettings, kit: ReplyKit | None = None, keys: KeyRing | None = None):
        self.settings = settings
        self.kit = kit
        self.keys = keys if keys is not None else KeyRing.from_environment(settings.api_key_file)
        self.metrics = ServiceMetrics(settings.metrics_dir)
        self.pack: tuple[str, str] | None = None  # (name, digest)
        self.loaded_at = 0.0
        self._reload_lock: asyncio.Lock | None = None
        self.turns = Turns()  # the requests' CPU-bound work, first come first served (turns.py)
        self._signal_installed = False

    @property
    def roots(self) -> list[Path]:
        rules = [bundled_path("rules")] + ([Path(self.settings.rules)] if self.settings.rules else [])
        return [Path(self.settings.templates) if self.settings.templates else bundled_path("templates"), *rules]

    @property
    def served(self) -> ReplyKit:
        """The kit requests are answered with (loaded before the service takes requests)."""
        if self.kit is None:
            raise RuntimeError("the pack is not loaded yet")
        return self.kit

    @property
    def auth_required(self) -> bool:
        return not self.settings.no_auth

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Load (unless given) and warm the kit; from then on /readyz says ready. Raises if the pack is broken."""
        self._reload_lock = asyncio.Lock()
        if self.kit is None:
            s = self.settings
            self.kit = await asyncio.to_thread(ReplyKit.load, s.templates, s.rules,
                                               languagetool_url=s.languagetool_url, max_chars=s.max_chars)
        await asyncio.to_thread(self.kit.warm)  # the first request of each language does not pay for loading
        digest = await asyncio.to_thread(pack_digest, self.roots)
        self._serving(digest)
        freeze_heap()  # full collections would walk the whole pack inside a request (runtime.py)
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(self.reload("SIGHUP")))
            self._signal_installed = True
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no SIGHUP here
            log.debug("SIGHUP reload not available in this process")

    async def stop(self) -> None:
        if self._signal_installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        self.metrics.close()

    @property
    def ready(self) -> bool:
        return self.kit is not None and self.pack is not None

    def _serving(self, digest: str) -> None:
        assert self.kit is not None
        previous, self.pack = self.pack, (self.kit.pack_name, digest)
        self.loaded_at = time.time()
        self.metrics.serving(*self.pack, previous)

    # ---------------------------------------------------------------- reload

    async def reload(self, source: str) -> ReloadOutcome:
        """Re-read the pack if its files changed; a broken pack keeps the last good one serving."""
        assert self.kit is not None and self._reload_lock is not None and self.pack is not None
        async with self._reload_lock:
            try:
                digest = await asyncio.to_thread(pack_digest, self.roots)
                if digest == self.pack[1]:
                    return self._outcome("unchanged", source)
                thaw_heap()  # the pack being replaced must be collectable
                try:
                    await asyncio.to_thread(self.kit.reload)
                finally:
                    freeze_heap()
            except Exception as exc:  # noqa: BLE001 - any failure keeps the old pack; pack errors name file and line
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                return self._outcome("failed", source, f"{type(exc).__name__}: {message}")
            self._serving(digest)
            return self._outcome("ok", source)

    def _outcome(self, outcome: str, source: str, error: str | None = None) -> ReloadOutcome:
        assert self.pack is not None
        self.metrics.reloads.labels(outcome).inc()
        result = ReloadOutcome(outcome, self.pack[0], self.pack[1], error)
        level = logging.ERROR if error else logging.INFO
        log.log(level, "pack reload (%s): %s%s; serving %s %s", source, outcome,
                f" ({error}), kept the last good pack" if error else "", result.pack, result.digest[:12])
        return result
