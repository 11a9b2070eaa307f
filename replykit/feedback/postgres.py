"""The PostgreSQL backend (psycopg 3), for teams running several service instances.

Same schema, same queries as SQLite (store.py); `pip install 'replykit[postgres]'`.
A connection per thread of each process; migrations run under an advisory
lock so instances starting together migrate once.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from ..errors import InputError
from .migrations import LATEST, migrate
from .store import SqlStore

_MIGRATION_LOCK = 0x7265706C  # "repl": an arbitrary advisory-lock key of replykit's


class PostgresStore(SqlStore):
    dialect = "postgres"

    def __init__(self, url: str, *, migrate_to: int = LATEST):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise InputError("a PostgreSQL feedback store needs psycopg: pip install 'replykit[postgres]'") from None
        self.url = url
        self._local = threading.local()
        self._open_migrated(migrate_to)

    def _connection(self) -> Any:
        import psycopg

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or self._local.pid != os.getpid():
            try:
                conn = psycopg.connect(self.url, connect_timeout=10, autocommit=True)  # transactions explicit
            except psycopg.Error as exc:
                # The message names host and port, never the password.
                raise InputError(f"cannot connect to the feedback database ({str(exc).splitlines()[0]})") from None
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _open_migrated(self, to_version: int) -> None:
        with self._write() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
            current = 0
            if cur.fetchone()[0]:
                cur.execute("SELECT version FROM schema_version")
                current = int(cur.fetchone()[0])
            if current < to_version or current > LATEST:
                migrate(cur.execute, current, self.dialect, to_version)

    @contextmanager
    def _write(self) -> Iterator[Any]:
        conn = self._connection()
        with conn.transaction():
            with conn.cursor() as cur:
                yield cur

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        conn = self._connection()
        with conn.transaction():
            with conn.cursor() as cur:
                cur.execute(self._sql(sql), tuple(params))
                return cur.fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local.conn = None
