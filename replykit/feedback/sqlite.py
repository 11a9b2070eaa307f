"""The SQLite backend: one file, WAL mode, safe with several processes writing at once.

Each thread of each process has its own connection (a connection must not
cross a fork or be shared by threads). Writes take the database's write lock
up front (`BEGIN IMMEDIATE`) and wait for it up to `busy_timeout`, so
concurrent writers queue instead of failing; WAL lets readers go on meanwhile.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import InputError
from .migrations import LATEST, migrate
from .store import SqlStore

BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike, *, migrate_to: int = LATEST):
        self.path = Path(path).expanduser()
        self.url = str(self.path)
        if not self.path.parent.is_dir():
            raise InputError(f"{self.path.parent}: no such folder for the feedback database")
        self._local = threading.local()
        self._open_migrated(migrate_to)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=True)
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
            except sqlite3.Error as exc:
                raise InputError(f"{self.path}: cannot open the feedback database ({exc})") from None
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _open_migrated(self, to_version: int) -> None:
        with self._write() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
            current = 0
            if cur.fetchone():
                current = int(cur.execute("SELECT version FROM schema_version").fetchone()[0])
            if current < to_version or current > LATEST:
                migrate(cur.execute, current, self.dialect, to_version)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        cur = conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: feedback database unavailable ({exc})") from None
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._connection().execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local.conn = None
