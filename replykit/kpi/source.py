"""Reading an export of handled conversations with DuckDB: CSV, JSONL or Parquet, mapped columns.

The file is never parsed by hand: DuckDB reads it (in parallel, streaming) and this module only
names the columns. CSV is read as text so that one unreadable time is a bad row, not a failed
read; every time goes through TRY_CAST, so a row that cannot be read is NULL and counted.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError

COLUMNS = ("post_time", "reply_time", "channel", "lang", "inquiry_type", "agent", "reply_text")
REQUIRED = ("post_time", "reply_time")
# A column that is missing is read as this, so an export without agents still gives the other figures.
MISSING = "'unknown'"

FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}


def require_duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise InputError("replykit kpi needs DuckDB: pip install 'replykit[kpi]'") from None
    return duckdb


def parse_mapping(pairs: list[str] | None) -> dict[str, str]:
    """--column post_time=created_at ... -> {'post_time': 'created_at'}."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, theirs = pair.partition("=")
        name, theirs = name.strip(), theirs.strip()
        if not sep or not theirs:
            raise InputError(f"--column {pair!r}: expected NAME=THEIRS, e.g. post_time=created_at")
        if name not in COLUMNS:
            raise InputError(f"--column {pair!r}: {name!r} is not one of {', '.join(COLUMNS)}")
        out[name] = theirs
    return out


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reader(path: Path) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: unknown format {path.suffix!r} (use .csv, .jsonl or .parquet)")
    name = _literal(str(path))
    if kind == "csv":
        # store_rejects: a line that does not split into the columns is set aside and counted
        # (rejected_lines), not a failed read
        return f"read_csv({name}, header=true, all_varchar=true, store_rejects=true)"
    if kind == "jsonl":
        return f"read_json({name}, format='newline_delimited')"  # typed again as text in open_export
    return f"read_parquet({name})"


def open_export(path: str | Path, mapping: dict[str, str] | None = None, timezone: str = "UTC",
                threads: int | None = None) -> tuple[Any, int]:
    """A DuckDB connection with the view `replies` (the mapped, typed columns) and the file's row count.

    `replies` has post_ts and reply_ts (TIMESTAMPTZ, NULL when unreadable), channel, lang,
    inquiry_type and agent (lower-cased text; 'unknown' when empty or missing), reply_text, and
    the raw time texts (for seeded sampling).
    """
    duckdb = require_duckdb()
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    mapping = mapping or {}
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    try:
        con.execute(f"SET TimeZone = {_literal(timezone)}")
    except duckdb.Error:
        raise InputError(f"--timezone {timezone!r}: unknown time zone") from None
    reader = _reader(path)
    try:
        if FORMATS[path.suffix.lower()] == "jsonl":
            # Keys from DuckDB's sample, then every value read as text: a type guessed from the sample
            # would fail the whole read on one unreadable time further down the file.
            keys = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
            as_text = ", ".join(f"{_literal(k)}: 'VARCHAR'" for k in keys)
            reader = (f"read_json({_literal(str(path))}, format='newline_delimited', auto_detect=false, "
                      f"columns={{{as_text}}})")
        con.execute(f"CREATE VIEW raw AS SELECT * FROM {reader}")
        types = {row[0]: row[1] for row in con.execute("DESCRIBE raw").fetchall()}
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    present = set(types)
    lowered = {name.lower(): name for name in present}

    def column(name: str) -> str | None:
        theirs = mapping.get(name, name)
        actual = theirs if theirs in present else lowered.get(theirs.lower())
        if actual is None and name in REQUIRED:
            hint = "" if name in mapping else f" (map yours with --column {name}=THEIRS)"
            raise InputError(f"{path}: no column {theirs!r}{hint}; it has {', '.join(sorted(present))}")
        return _quote(actual) if actual is not None else None

    def label(name: str, lower: bool = True) -> str:
        col = column(name)
        if col is None:
            return MISSING
        value = f"trim(CAST({col} AS VARCHAR))"
        return f"coalesce(nullif({'lower(' + value + ')' if lower else value}, ''), 'unknown')"

    def timestamp(name: str) -> str:
        col = column(name)
        # trim() keeps the cast out of the CSV scanner: DuckDB pushes a bare TRY_CAST of a CSV
        # column into the reader, which then fails the whole read on one unreadable time.
        text_type = types.get(str(col)[1:-1].replace('""', '"')) == "VARCHAR"
        return f"TRY_CAST({'trim(' + str(col) + ')' if text_type else col} AS TIMESTAMPTZ)"

    text = column("reply_text")
    post, reply = column("post_time"), column("reply_time")
    con.execute(f"""
        CREATE VIEW replies AS SELECT
            {timestamp("post_time")} AS post_ts,
            {timestamp("reply_time")} AS reply_ts,
            {label("channel")} AS channel,
            {label("lang")} AS lang,
            {label("inquiry_type")} AS inquiry_type,
            {label("agent", lower=False)} AS agent,
            {f"CAST({text} AS VARCHAR)" if text else "NULL::VARCHAR"} AS reply_text,
            CAST({post} AS VARCHAR) AS post_raw,
            CAST({reply} AS VARCHAR) AS reply_raw
        FROM raw""")
    try:
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    return con, int(rows)


def rejected_lines(con: Any) -> int:
    """CSV lines the reader set aside (wrong number of fields, broken quoting); 0 for other formats.
    Every scan of the file logs its rejects again, hence the distinct lines."""
    try:
        return int(con.execute("SELECT count(DISTINCT (file_id, line)) FROM reject_errors").fetchone()[0])
    except Exception:  # noqa: BLE001 - no such table: nothing was rejected, or not a CSV
        return 0
