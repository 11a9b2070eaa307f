"""Small exports for the kpi tests, built in plain Python with their expected figures."""
from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

CHANNELS = ("facebook", "twitter", "trustpilot", "dm")
TYPES = ("outage", "billing", "complaint", "praise")
AGENTS = ("Sofie", "Mads", "Ida", "Kari", "Bram")
REPLIES = {  # what agents sent: mostly fine, some that check blocks or flags
    "da": ["Hej Peter. Tak fordi du skriver. Vi har en fejl i området, og vores teknikere arbejder på den. "
           "Følg status på fibra.dk/drift. Hilsen Sofie",
           "Hej Peter. Ring til mig på 22 33 44 55, så ordner vi det. Hilsen Sofie",
           "Hej Peter. Det er ikke vores problem, at du ikke har læst driftsbeskeden!! Hilsen Sofie"],
    "nl": ["Hoi Sanne, bedankt voor je bericht. Op fibra.nl/storingen zie je of er een storing is. Groet, Bram",
           "Hoi Sanne, je BSN 111222333 is bij ons bekend. Groet, Bram"],
}
START = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)


def make_rows(n: int = 3000, seed: int = 7) -> list[dict]:
    """Rows as an export has them (ISO 8601 texts), with a few unreadable or impossible ones."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        post = START + dt.timedelta(seconds=rnd.randrange(5 * 86400))
        reply = post + dt.timedelta(seconds=int(rnd.expovariate(1 / 2400)) + 1)
        lang = rnd.choice(tuple(REPLIES))
        row = {"post_time": post.strftime("%Y-%m-%dT%H:%M:%SZ"), "reply_time": reply.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "channel": rnd.choice(CHANNELS), "lang": lang, "inquiry_type": rnd.choice(TYPES),
               "agent": rnd.choice(AGENTS), "reply_text": rnd.choice(REPLIES[lang])}
        if i % 97 == 0:
            row["post_time"] = "yesterday evening"
        elif i % 89 == 0:
            row["reply_time"] = ""
        elif i % 83 == 0:
            row["reply_time"] = (post - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(row)
    return rows


def write_csv(rows: list[dict], path: Path, rename: dict[str, str] | None = None) -> Path:
    rename = rename or {}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[rename.get(k, k) for k in rows[0]])
        writer.writeheader()
        for row in rows:
            writer.writerow({rename.get(k, k): v for k, v in row.items()})
    return path


def write_jsonl(rows: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps({k: (v or None) for k, v in r.items()}, ensure_ascii=False) + "\n"
                            for r in rows), encoding="utf-8")
    return path


def _time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (what DuckDB's quantile_cont does)."""
    s = sorted(values)
    pos = q * (len(s) - 1)
    low = int(pos)
    high = min(low + 1, len(s) - 1)
    return s[low] + (s[high] - s[low]) * (pos - low)


def expected(rows: list[dict], level_s: float = 3600.0, levels: dict[str, float] | None = None) -> dict:
    """The figures computed the plain way: {'bad': {...}, 'all': {...}, 'channel': {key: {...}}, ...}."""
    levels = levels or {}
    bad = {"post_time_unreadable": 0, "reply_time_unreadable": 0, "reply_before_post": 0}
    groups: dict[str, dict[str, list[tuple[float, float]]]] = {"all": {}, "channel": {}, "inquiry_type": {},
                                                                "agent": {}, "hour": {}}
    for row in rows:
        post, reply = _time(row["post_time"]), _time(row["reply_time"])
        if post is None:
            bad["post_time_unreadable"] += 1
            continue
        if reply is None:
            bad["reply_time_unreadable"] += 1
            continue
        if reply < post:
            bad["reply_before_post"] += 1
            continue
        frt = (reply - post).total_seconds()
        level = levels.get(row["channel"], level_s)
        for name, key in (("all", "all"), ("channel", row["channel"]), ("inquiry_type", row["inquiry_type"]),
                          ("agent", row["agent"]), ("hour", f"{post.hour:02d}")):
            groups[name].setdefault(key, []).append((frt, level))
    out: dict = {"bad": bad}
    for name, by_key in groups.items():
        out[name] = {key: {"replies": len(v), "median_s": quantile([f for f, _ in v], 0.5),
                           "p90_s": quantile([f for f, _ in v], 0.9),
                           "within_level": sum(f <= lv for f, lv in v) / len(v)} for key, v in by_key.items()}
    return out
