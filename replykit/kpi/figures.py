"""First-response figures in SQL: median, p90 and the share within the service level, overall and
per channel, inquiry type, agent and hour of day; the distribution; the bad rows.

One scan of the export makes a small typed table (times and labels, no texts); every figure is
then one GROUPING SETS query over it, so a million replies take seconds. Percentiles are
DuckDB's quantile_cont (linear interpolation, the 'inclusive' method of Python's statistics).
"""
from __future__ import annotations

from typing import Any

from .levels import ServiceLevels
from .results import BadRows, Bucket, Figures
from .source import rejected_lines

# Distribution edges (seconds): 5, 15, 30 minutes, 1, 2, 4, 8, 24 hours, 2 days; the service level
# is added as an edge so the chart can draw its line between bars.
EDGES = (0, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800)
GROUPS = ("channel", "inquiry_type", "agent", "hour")


def prepare(con: Any, levels: ServiceLevels) -> None:
    """Tables `timed` (every row, times typed) and `measured` (readable rows with their level)."""
    con.execute("CREATE TEMP TABLE timed AS SELECT post_ts, reply_ts, channel, inquiry_type, agent FROM replies")
    con.execute("CREATE TEMP TABLE levels (channel VARCHAR, inquiry_type VARCHAR, first_s DOUBLE)")
    if levels.first_by_pair:
        con.executemany("INSERT INTO levels VALUES (?, ?, ?)",
                        [(c, t, v.total_seconds()) for (c, t), v in levels.first_by_pair.items()])
    con.execute(f"""
        CREATE TEMP TABLE measured AS SELECT
            t.channel, t.inquiry_type, t.agent,
            lpad(CAST(hour(t.post_ts) AS VARCHAR), 2, '0') AS hour,
            (epoch_ms(t.reply_ts) - epoch_ms(t.post_ts)) / 1000.0 AS frt_s,
            coalesce(l.first_s, {levels.first_response.total_seconds()}) AS level_s
        FROM timed t LEFT JOIN levels l ON l.channel = t.channel AND l.inquiry_type = t.inquiry_type
        WHERE t.post_ts IS NOT NULL AND t.reply_ts IS NOT NULL AND t.reply_ts >= t.post_ts""")


def bad_rows(con: Any) -> BadRows:
    post, reply, before = con.execute("""
        SELECT count(*) FILTER (WHERE post_ts IS NULL),
               count(*) FILTER (WHERE post_ts IS NOT NULL AND reply_ts IS NULL),
               count(*) FILTER (WHERE reply_ts < post_ts)
        FROM timed""").fetchone()
    lines = rejected_lines(con)
    return BadRows(lines_unreadable=lines, post_time_unreadable=post, reply_time_unreadable=reply,
                   reply_before_post=before, total=lines + post + reply + before)


def grouped(con: Any) -> dict[str, list[Figures]]:
    """{'all': [overall], 'channel': [...], ...}; groups by replies, most first (hours in order)."""
    rows = con.execute(f"""
        SELECT {", ".join(GROUPS)}, GROUPING({", ".join(GROUPS)}) AS g, count(*),
               quantile_cont(frt_s, [0.5, 0.9]), avg(CASE WHEN frt_s <= level_s THEN 1.0 ELSE 0.0 END)
        FROM measured
        GROUP BY GROUPING SETS ((), {", ".join(f"({g})" for g in GROUPS)})""").fetchall()
    width = len(GROUPS)
    out: dict[str, list[Figures]] = {"all": [], **{g: [] for g in GROUPS}}
    for row in rows:
        values, mask, n, quantiles, within = row[:width], row[width], row[width + 1], row[width + 2], row[width + 3]
        missing = [g for i, g in enumerate(GROUPS) if mask & (1 << (width - 1 - i))]
        name = "all" if len(missing) == width else next(g for g in GROUPS if g not in missing)
        key = "all" if name == "all" else str(values[GROUPS.index(name)])
        median, p90 = quantiles if quantiles else (None, None)
        out[name].append(Figures(key=key, replies=n, median_s=median, p90_s=p90, within_level=within))
    if not out["all"]:
        out["all"].append(Figures(key="all", replies=0, median_s=None, p90_s=None, within_level=None))
    for name in ("channel", "inquiry_type", "agent"):
        out[name].sort(key=lambda f: (-f.replies, f.key))
    by_hour = {f.key: f for f in out["hour"]}
    out["hour"] = [by_hour.get(f"{h:02d}", Figures(key=f"{h:02d}", replies=0, median_s=None, p90_s=None,
                                                   within_level=None)) for h in range(24)]
    return out


def distribution(con: Any, level_s: float) -> list[Bucket]:
    edges = sorted(set(EDGES) | {level_s})
    bounds = list(zip(edges, [*edges[1:], None], strict=True))
    # (low, high]: a reply at exactly the level is within it, as in the share within the level
    filters = ", ".join("count(*) FILTER (WHERE " + " AND ".join(
        ([f"frt_s > {low}"] if low > 0 else []) + ([f"frt_s <= {high}"] if high is not None else ["true"])) + ")"
        for low, high in bounds)
    counts = con.execute(f"SELECT {filters} FROM measured").fetchone()
    return [Bucket(low_s=low, high_s=high, replies=n) for (low, high), n in zip(bounds, counts, strict=True)]
