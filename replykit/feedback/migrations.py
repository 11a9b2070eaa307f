"""The feedback store's schema, versioned, with its migrations in code.

Both backends run the same statements; the only differences (an auto-numbered
key, the table listing) are in `DIALECTS`. `schema_version` holds one row: the
version the database is at. Opening a store migrates it under the store's
write lock, so several processes opening one database at once migrate it once.
Add a step by appending to `STEPS`; never edit a step that has shipped.
"""
from __future__ import annotations

from typing import Callable

DIALECTS = {
    "sqlite": {"serial": "INTEGER PRIMARY KEY AUTOINCREMENT", "real": "REAL"},
    "postgres": {"serial": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION"},
}

# Version 1: the first release (results, their suggestions and findings, feedback events).
_V1 = [
    """CREATE TABLE results (
        result_id TEXT PRIMARY KEY, kind TEXT NOT NULL, created {real} NOT NULL,
        lang TEXT, channel TEXT, inquiry_type TEXT, text TEXT NOT NULL, inquiry TEXT)""",
    """CREATE TABLE result_items (
        result_id TEXT NOT NULL, item TEXT NOT NULL, position INTEGER NOT NULL, ref TEXT NOT NULL,
        category TEXT, inquiry_type TEXT, severity TEXT, span_start INTEGER, span_end INTEGER, text TEXT,
        PRIMARY KEY (result_id, item, position))""",
    """CREATE TABLE feedback (
        id {serial}, result_id TEXT NOT NULL, kind TEXT NOT NULL, created {real} NOT NULL, day INTEGER NOT NULL,
        agent TEXT, ref TEXT, category TEXT, inquiry_type TEXT, reason TEXT, sent TEXT, edit_distance {real},
        span_start INTEGER, span_end INTEGER)""",
]

# Version 2: the team of the agent who gave feedback; indexes for purge, stats and the prior.
_V2 = [
    "ALTER TABLE feedback ADD COLUMN team TEXT",
    "CREATE INDEX results_created ON results (created)",
    "CREATE INDEX feedback_result ON feedback (result_id)",
    "CREATE INDEX feedback_kind_ref ON feedback (kind, ref)",
    "CREATE INDEX items_item_ref ON result_items (item, ref)",
]

STEPS: list[list[str]] = [_V1, _V2]
LATEST = len(STEPS)


def statements(dialect: str, from_version: int, to_version: int = LATEST) -> list[str]:
    """The SQL that takes a database from one version to another."""
    words = DIALECTS[dialect]
    return [sql.format(**words) for step in STEPS[from_version:to_version] for sql in step]


def migrate(execute: Callable[[str], object], current: int, dialect: str, to_version: int = LATEST) -> int:
    """Run the steps after `current` (inside the caller's transaction); returns the new version."""
    if current > LATEST:
        from ..errors import InputError

        raise InputError(f"the feedback database is at schema version {current}; this replykit knows up to "
                         f"{LATEST} (upgrade replykit)")
    for sql in statements(dialect, current, to_version):
        execute(sql)
    if current == 0:
        execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        execute(f"INSERT INTO schema_version (version) VALUES ({to_version})")
    elif to_version != current:
        execute(f"UPDATE schema_version SET version = {to_version}")
    return to_version
