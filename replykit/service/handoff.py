"""Several workers: the supervisor accepts every connection and hands it to the workers in turn.

Each worker serves the connections it holds one request at a time, so how connections spread over
the workers sets the latency of a helpdesk's pool. Neither of the kernel's ways spreads them evenly:
on one socket that every worker accepts on (uvicorn's way) an idle worker's event loop took a whole
burst (8 of 8 keep-alive connections, in 8 tries of 8) and served it alone while the other core
idled; on a socket per worker bound with SO_REUSEPORT the kernel picks by a hash of the addresses,
so 8 connections over 2 workers split 5/3 or worse more often than not (p99 at 8 clients 13-27 ms
where an even split gives about half). So, as Node's cluster module does by default, the supervisor
accepts on the one listening socket and passes each new connection's descriptor (SCM_RIGHTS over a
Unix socket pair) to the next ready worker, round robin; the worker serves it as if it had accepted
it. A connection then costs the supervisor one accept and one send, once; its requests go straight
to the worker.

A worker takes connections once it has loaded its pack; one that dies is replaced with a new pair,
and the connections it held are lost with it. Where descriptors cannot be passed (Windows), the
shared socket stays.
"""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading

from uvicorn import Config, Server
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger

_ACCEPT_WAIT_S = 0.5  # how often the accepting thread looks up from accept() to see whether to stop
_SEND_WAIT_S = 1.0  # a worker whose channel stays full this long (hung) is passed over for the next


def handoff_supported() -> bool:
    """Whether descriptors can be passed between processes here (POSIX: SCM_RIGHTS)."""
    return os.name == "posix" and hasattr(socket, "send_fds") and hasattr(socket, "AF_UNIX")


def bind_listener(host: str, port: int, backlog: int) -> socket.socket:
    """The service's listening socket (port 0: a free one), inheritable for uvicorn's own workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class HandedServer(Server):
    """A worker's uvicorn server that listens on nothing: it serves the connections whose descriptors
    arrive on its end of the pair (`sockets[0]`)."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the app's startup (the pack loaded), no listening socket
        if not sockets or self.should_exit:
            return
        self._channel = sockets[0]
        self._channel.setblocking(False)
        loop = asyncio.get_running_loop()
        loop.add_reader(self._channel.fileno(), self._take, loop)

    def _take(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self._channel, 1, 1)
            except BlockingIOError:
                return
            except OSError:
                data, fds = b"", []
            if not data and not fds:  # the supervisor is gone: nothing more will come
                loop.remove_reader(self._channel.fileno())
                return
            for fd in fds:
                loop.create_task(self._serve_handed(loop, socket.socket(fileno=fd)))

    async def _serve_handed(self, loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
        try:
            await loop.connect_accepted_socket(self._protocol, sock, ssl=self.config.ssl)
        except OSError:  # the client went away between accept and here
            sock.close()

    def _protocol(self, _loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
        # What uvicorn's own startup builds for a listening socket's connections.
        return self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state, _loop=_loop)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        channel = getattr(self, "_channel", None)
        if channel is not None and channel.fileno() >= 0:
            asyncio.get_running_loop().remove_reader(channel.fileno())
        await super().shutdown(sockets=sockets)


class HandedProcess(Process):
    """uvicorn's worker process, running a HandedServer."""

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = HandedServer(config=self.config)
        return self._server


class Handoff(Multiprocess):
    """uvicorn's supervisor, with one listening socket that only it accepts on, handing each
    connection to the next ready worker."""

    def __init__(self, config: Config, listener: socket.socket):
        super().__init__(config, [listener])
        self.listener = listener
        self.channels: list[socket.socket] = []  # the supervisor's end of each worker's pair
        self.ready: list[bool] = []
        self._targets: tuple[socket.socket, ...] = ()  # the ready workers' channels, as the acceptor reads them
        self._acceptor = threading.Thread(target=self._accept, name="replykit-handoff", daemon=True)

    def _spawn(self) -> tuple[HandedProcess, socket.socket]:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.settimeout(_SEND_WAIT_S)
        process = HandedProcess(self.config, [theirs])
        process.start()
        theirs.close()  # the child has its own copy now
        return process, ours

    def _publish(self) -> None:
        self._targets = tuple(ch for ch, ok in zip(self.channels, self.ready, strict=True) if ok)

    def init_processes(self) -> None:
        for _ in range(self.processes_num):
            self._add()
        self._acceptor.start()

    def _add(self) -> None:
        process, channel = self._spawn()
        self.processes.append(process)
        self.channels.append(channel)
        self.ready.append(False)

    def keep_subprocess_alive(self) -> None:
        """uvicorn's own check (a hung or dead worker is replaced), and a worker joins the turn once its
        pack is loaded."""
        if self.should_exit.is_set():
            return
        changed = False
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                if not self.ready[idx] and process.is_ready(timeout=self.config.timeout_worker_healthcheck):
                    self.ready[idx] = changed = True
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
            self.ready[idx], changed = False, True
            self._publish()
            self.channels[idx].close()
            self.processes[idx], self.channels[idx] = self._spawn()
        if changed:
            self._publish()

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self._add()

    def handle_ttou(self) -> None:
        logger.info("Received SIGTTOU, decreasing number of processes.")
        if self.processes_num <= 1:
            logger.info("Already reached one process, cannot decrease the number of processes anymore.")
            return
        self.processes_num -= 1
        self.ready.pop()
        self._publish()
        self.channels.pop().close()
        process = self.processes.pop()
        process.terminate()
        process.join()

    def handle_hup(self) -> None:
        forward_hup(self)

    def terminate_all(self) -> None:
        self._targets = ()
        super().terminate_all()
        for channel in self.channels:
            channel.close()

    def _accept(self) -> None:
        """The accepting thread: each new connection to the next ready worker that takes it. Until a
        worker is ready, connections wait in the listening socket's backlog."""
        self.listener.settimeout(_ACCEPT_WAIT_S)
        turn = 0
        while not self.should_exit.is_set():
            if not self._targets:
                self.should_exit.wait(0.05)
                continue
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # the listener was closed: the supervisor is stopping
                if self.should_exit.is_set():
                    return
                continue
            with conn:
                targets = self._targets
                for k in range(len(targets)):
                    try:
                        socket.send_fds(targets[(turn + k) % len(targets)], [b"c"], [conn.fileno()])
                    except OSError:  # that worker died or its channel was replaced: the next one
                        continue
                    turn = (turn + k + 1) % len(targets)
                    break


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
