"""The feedback store: what a backend must do, and the SQL both backends share.

Rows hold masked text only (masking.py runs before a row is built). Every
query here is plain SQL with `?` placeholders; the PostgreSQL backend turns
them into `%s`. Stats and the prior are aggregated by the database, so both
backends give the same figures on the same records.
"""
from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import astuple, dataclass, fields
from typing import Any, Protocol, Sequence

DAY = 86_400


@dataclass(frozen=True)
class ResultRow:
    result_id: str
    kind: str  # suggest | check
    created: float  # unix seconds
    lang: str | None
    channel: str | None
    inquiry_type: str | None
    text: str  # the masked post (suggest) or draft (check)
    inquiry: str | None = None  # the masked post a checked draft answers


@dataclass(frozen=True)
class ItemRow:
    """One suggestion (ref: template id) or one finding (ref: rule id) of a stored result."""

    result_id: str
    item: str  # suggestion | finding
    position: int
    ref: str
    category: str | None = None
    inquiry_type: str | None = None
    severity: str | None = None
    span_start: int | None = None  # in the masked text
    span_end: int | None = None
    text: str | None = None  # a suggestion's masked text


@dataclass(frozen=True)
class FeedbackRow:
    result_id: str
    kind: str  # pick | dismiss | missed | wrong_type
    created: float
    agent: str | None = None
    team: str | None = None
    ref: str | None = None  # pick: template id; dismiss: rule id; wrong_type: the template marked, if any
    category: str | None = None  # missed
    inquiry_type: str | None = None  # wrong_type: the right type
    reason: str | None = None  # masked
    sent: str | None = None  # masked
    edit_distance: float | None = None  # normalised Levenshtein distance of `sent` from the suggested text
    span_start: int | None = None  # missed: in the masked draft
    span_end: int | None = None

    @property
    def day(self) -> int:
        return int(self.created // DAY)


def _columns(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


class FeedbackStore(Protocol):
    """What the recorder, stats, export and the prior need of a backend."""

    url: str

    def add_result(self, result: ResultRow, items: Sequence[ItemRow]) -> None: ...
    def add_feedback(self, row: FeedbackRow) -> int: ...
    def result(self, result_id: str) -> tuple[ResultRow, list[ItemRow]] | None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def feedback_rows(self, kinds: Sequence[str] | None = None) -> list[FeedbackRow]: ...
    def purge(self, before: float | None) -> dict[str, int]: ...
    def schema_version(self) -> int: ...
    def close(self) -> None: ...


class SqlStore:
    """The queries of both backends; a subclass supplies connections, transactions and the dialect."""

    url: str = ""
    dialect: str = "sqlite"

    # ------------------------------------------------------------ backend hooks

    def _write(self) -> AbstractContextManager[Any]:  # a transaction holding the write lock; yields a cursor
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ writing

    def add_result(self, result: ResultRow, items: Sequence[ItemRow]) -> None:
        cols = _columns(ResultRow)
        item_cols = _columns(ItemRow)
        with self._write() as cur:
            cur.execute(self._sql(f"INSERT INTO results ({', '.join(cols)}) VALUES ({_marks(cols)})"),
                        astuple(result))
            if items:
                cur.executemany(self._sql(f"INSERT INTO result_items ({', '.join(item_cols)}) "
                                          f"VALUES ({_marks(item_cols)})"), [astuple(i) for i in items])

    def add_feedback(self, row: FeedbackRow) -> int:
        cols = (*_columns(FeedbackRow), "day")
        values = (*astuple(row), row.day)
        with self._write() as cur:
            cur.execute(self._sql(f"INSERT INTO feedback ({', '.join(cols)}) VALUES ({_marks(cols)}) RETURNING id"),
                        values)
            return int(cur.fetchone()[0])

    def purge(self, before: float | None) -> dict[str, int]:
        """Delete results created before `before` (unix seconds; None: everything) and their feedback."""
        cutoff = float("inf") if before is None else before
        params: tuple[float, ...] = ()
        if before is None:
            where = ""
        else:
            where, params = " WHERE created < ?", (cutoff,)
        with self._write() as cur:
            old = f"SELECT result_id FROM results{where}"
            cur.execute(self._sql(f"DELETE FROM feedback WHERE result_id IN ({old})"
                                  + (" OR created < ?" if before is not None else "")), params * 2)
            feedback = cur.rowcount
            cur.execute(self._sql(f"DELETE FROM result_items WHERE result_id IN ({old})"), params)
            cur.execute(self._sql(f"DELETE FROM results{where}"), params)
            results = cur.rowcount
        return {"results": results, "feedback": feedback}

    # ------------------------------------------------------------------ reading

    def result(self, result_id: str) -> tuple[ResultRow, list[ItemRow]] | None:
        cols = _columns(ResultRow)
        rows = self.query(f"SELECT {', '.join(cols)} FROM results WHERE result_id = ?", (result_id,))
        if not rows:
            return None
        item_cols = _columns(ItemRow)
        items = self.query(f"SELECT {', '.join(item_cols)} FROM result_items WHERE result_id = ? "
                           "ORDER BY item, position", (result_id,))
        return ResultRow(*rows[0]), [ItemRow(*i) for i in items]

    def feedback_rows(self, kinds: Sequence[str] | None = None) -> list[FeedbackRow]:
        cols = _columns(FeedbackRow)
        sql = f"SELECT {', '.join(cols)} FROM feedback"
        params: tuple = ()
        if kinds:
            sql += f" WHERE kind IN ({_marks(kinds)})"
            params = tuple(kinds)
        return [FeedbackRow(*r) for r in self.query(sql + " ORDER BY id", params)]

    def schema_version(self) -> int:
        return int(self.query("SELECT version FROM schema_version")[0][0])

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql


def _marks(cols: Sequence[object]) -> str:
    return ", ".join("?" for _ in cols)


def now() -> float:
    return time.time()
