"""One listening socket per worker process, so the kernel spreads connections over the workers.

uvicorn's supervisor binds one socket and every worker accepts on it. An idle worker's event loop
then takes a whole burst of new connections in one go: eight keep-alive connections a helpdesk opens
at once all landed on one worker (measured: 8 of 8, in 8 tries of 8), which served them alone while
the other worker and its core stayed idle. Each worker here listens on its own socket bound with
SO_REUSEPORT to the same address; Linux hands each new connection to one of them by a hash of its
addresses, so connections spread whatever their timing. Elsewhere (no SO_REUSEPORT balancing) the
shared socket stays.

A worker that dies is replaced on its own socket: a listening socket nobody accepts on would hold
the connections the kernel gives it.
"""
from __future__ import annotations

import os
import signal
import socket
import sys

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger


def balancing_supported() -> bool:
    """Whether the kernel balances connections over sockets sharing a port (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind_listeners(host: str, port: int, count: int, backlog: int) -> list[socket.socket]:
    """`count` listening sockets on (host, port), each with SO_REUSEPORT. Port 0: the first one's port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    out: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            out.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.listen(backlog)
            sock.set_inheritable(True)
    except OSError:
        for sock in out:
            sock.close()
        raise
    return out


class OneListenerEach(Multiprocess):
    """uvicorn's supervisor, with worker i on listening socket i (and its replacement too)."""

    def _spawn(self, listener: socket.socket) -> Process:
        process = Process(self.config, [listener])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._spawn(listener) for listener in self.sockets]  # processes[i] on sockets[i]

    def keep_subprocess_alive(self) -> None:
        """uvicorn's own check, the replacement taking the dead worker's socket."""
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            self.processes[idx] = self._spawn(self.sockets[idx])


def forward_hup(supervisor: Multiprocess) -> None:
    """SIGHUP to every worker, which reloads its pack in place: connections stay open, no request is
    dropped (uvicorn's own SIGHUP replaces every worker, closing its connections)."""
    logger.info("SIGHUP: every worker reloads the pack")
    for process in list(supervisor.processes):
        try:
            if process.pid:
                os.kill(process.pid, signal.SIGHUP)
        except OSError:
            pass
