"""A synthetic export of handled conversations for `replykit kpi` (bench section 14).

    .venv/bin/python bench/kpi_data.py OUT_FOLDER [--rows 1000000] [--seed 14]

writes OUT_FOLDER/replies.parquet and OUT_FOLDER/replies.csv. DuckDB generates the rows in SQL
(a million in a few seconds), from a seeded random stream:

* posts over 60 days, more by day than by night (an hour-of-day profile), plus three storm
  nights (an outage: 2 % of all posts each, in three hours, Facebook, type outage);
* first-response delays log-normal around 20 minutes, four times longer in a storm; a post in
  the night gap (22:00-07:00) is answered from 07:00;
* channels, languages, inquiry types and 12 agents per language drawn with realistic weights;
* reply texts: greeting, one to three sentences drawn from ~13 per language, signature by the
  agent; about one in ten carries a problem sentence (a phone number, an ID, blame, shouting);
* 0.4 % unreadable post times (empty in Parquet) and 0.4 % replies stamped before their post.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from texts import BODY, EXTRA, GREETING, PROBLEMS, SIGNATURE  # noqa: E402

HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 12, 12, 12, 12, 12, 13, 15, 16, 16, 12, 6, 3)
CHANNELS = {"facebook": 45, "twitter": 20, "trustpilot": 10, "vk": 10, "dm": 10, "email": 5}
LANGS = {"da": 30, "no": 25, "nl": 30, "ru": 15}
TYPES = {"outage": 14, "technical_issue": 18, "billing": 14, "product_question": 14, "order_request": 8,
         "complaint": 10, "criticism": 8, "praise": 6, "idea": 2, "callback_request": 4, "provocation": 2}
STORMS = ((5, 19), (23, 20), (41, 8))  # (day, hour) an outage storm starts
AGENTS = {"da": ["Sofie", "Mads", "Ida", "Jonas", "Freja", "Emil", "Laura", "Oliver", "Anna", "Lucas", "Emma",
                 "Magnus"],
          "no": ["Kari", "Sindre", "Ingrid", "Ola", "Nora", "Jakob", "Tuva", "Henrik", "Sara", "Lars", "Maja",
                 "Even"],
          "nl": ["Bram", "Sanne", "Daan", "Lotte", "Jesse", "Fleur", "Thijs", "Eva", "Ruben", "Anouk", "Sem",
                 "Iris"],
          "ru": ["Мария", "Алексей", "Ольга", "Дмитрий", "Анна", "Сергей", "Елена", "Иван", "Наталья", "Павел",
                 "Татьяна", "Никита"]}
CUSTOMERS = {"da": ["Peter", "Mette", "Søren", "Hanne"], "no": ["Kari", "Per", "Silje", "Tor"],
             "nl": ["Sanne", "Kees", "Marieke", "Joost"], "ru": ["Ольга", "Игорь", "Светлана", "Андрей"]}


def _pool(weights: dict[str, int]) -> list[str]:
    return [name for name, w in weights.items() for _ in range(w)]


def _lit(values: list) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def generate(out: Path, rows: int = 1_000_000, seed: int = 14, csv: bool = True) -> dict[str, Path]:
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 1")  # one thread: the seeded random stream is then the same every run
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute("CREATE TABLE texts (lang VARCHAR, greeting VARCHAR, signature VARCHAR, sentences VARCHAR[], "
                "problems VARCHAR[], agents VARCHAR[], customers VARCHAR[])")
    con.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(lang, GREETING[lang], SIGNATURE[lang], BODY[lang] + EXTRA[lang], PROBLEMS[lang],
                      AGENTS[lang], CUSTOMERS[lang]) for lang in LANGS])
    hours, channels, langs, types = (_pool(dict(enumerate(HOUR_WEIGHTS))), _pool(CHANNELS), _pool(LANGS),
                                     _pool(TYPES))
    storm_days, storm_hours = [d for d, _ in STORMS], [h for _, h in STORMS]

    def pick(values: list) -> str:
        return f"{_lit(values)}[1 + floor(random() * {len(values)})::INT]"

    con.execute(f"""
        CREATE TABLE gen AS
        WITH draw AS (
            SELECT i, random() AS u_storm, floor(random() * 3)::INT AS storm, random() AS u_bad,
                   sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z,
                   floor(random() * 60)::INT AS day, {pick(hours)}::INT AS hour, random() * 3600 AS second,
                   {pick(langs)} AS lang, {pick(channels)} AS channel0, {pick(types)} AS type0,
                   floor(random() * 12)::INT AS agent_i, floor(random() * 4)::INT AS customer_i,
                   1 + floor(random() * 3)::INT AS n_sentences, random() AS u_problem,
                   [floor(random() * 13)::INT for _ in range(3)] AS picks, floor(random() * 5)::INT AS problem_i
            FROM range({int(rows)}) t(i)
        ), placed AS (
            SELECT *, u_storm < 0.06 AS in_storm,
                   CASE WHEN u_storm < 0.06
                        THEN TIMESTAMPTZ '2026-09-01 00:00:00+00' + to_days({_lit(storm_days)}[storm + 1]::INT)
                             + to_hours({_lit(storm_hours)}[storm + 1]::INT) + to_seconds((second * 3)::BIGINT)
                        ELSE TIMESTAMPTZ '2026-09-01 00:00:00+00' + to_days(day) + to_hours(hour)
                             + to_seconds(second::BIGINT) END AS post_ts
            FROM draw
        ), answered AS (
            SELECT *, exp(ln(1200) + 0.9 * z) * CASE WHEN in_storm THEN 4 ELSE 1 END AS delay_s,
                   hour(post_ts) AS post_hour
            FROM placed
        )
        SELECT a.i, a.post_ts,
               CASE WHEN a.u_bad < 0.004 THEN NULL ELSE a.post_ts END AS post_ok,
               CASE WHEN a.u_bad BETWEEN 0.004 AND 0.008 THEN a.post_ts - INTERVAL 10 MINUTE
                    WHEN a.post_hour >= 22 OR a.post_hour < 7
                    THEN date_trunc('day', a.post_ts - INTERVAL 7 HOUR) + INTERVAL 31 HOUR
                         + to_seconds((a.delay_s / 2)::BIGINT)
                    ELSE a.post_ts + to_seconds(a.delay_s::BIGINT) END AS reply_ts,
               CASE WHEN a.in_storm THEN 'facebook' WHEN a.lang = 'ru' AND a.channel0 = 'trustpilot' THEN 'vk'
                    ELSE a.channel0 END AS channel,
               a.lang, CASE WHEN a.in_storm THEN 'outage' ELSE a.type0 END AS inquiry_type,
               t.agents[a.agent_i + 1] AS agent,
               replace(t.greeting, '{{c}}', t.customers[a.customer_i + 1]) || chr(10)
                 || array_to_string([t.sentences[p % len(t.sentences) + 1] for p in a.picks[1:a.n_sentences]], ' ')
                 || CASE WHEN a.u_problem < 0.1 THEN ' ' || t.problems[a.problem_i % len(t.problems) + 1]
                         ELSE '' END
                 || chr(10) || replace(t.signature, '{{a}}', t.agents[a.agent_i + 1]) AS reply_text
        FROM answered a JOIN texts t USING (lang)
        ORDER BY a.i""")
    paths = {"parquet": out / "replies.parquet"}
    con.execute(f"""COPY (SELECT post_ok AS post_time, reply_ts AS reply_time, channel, lang, inquiry_type,
                        agent, reply_text FROM gen ORDER BY i) TO '{paths["parquet"]}' (FORMAT parquet)""")
    if csv:
        paths["csv"] = out / "replies.csv"
        con.execute(f"""COPY (SELECT CASE WHEN post_ok IS NULL THEN 'n/a'
                                          ELSE strftime(post_ts, '%Y-%m-%dT%H:%M:%SZ') END AS post_time,
                                     strftime(reply_ts, '%Y-%m-%dT%H:%M:%SZ') AS reply_time,
                                     channel, lang, inquiry_type, agent, reply_text
                              FROM gen ORDER BY i) TO '{paths["csv"]}' (FORMAT csv, HEADER)""")
    con.close()
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    start = time.perf_counter()
    paths = generate(args.out, args.rows, args.seed)
    print(f"{args.rows:,} rows in {time.perf_counter() - start:.1f} s: "
          + ", ".join(f"{p} ({p.stat().st_size / 1e6:.0f} MB)" for p in paths.values()))


if __name__ == "__main__":
    main()
