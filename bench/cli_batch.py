"""3. batch throughput through the real CLI. (see run.py for what is measured and how)"""
from __future__ import annotations

import json
import random
import statistics
from pathlib import Path
from typing import Any

from common import LANGS, Report, base_env, cli_path, fmt, run
from texts import BODY, EXTRA, POSTS, PROBLEMS, compose


def make_batches(n: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    firsts = {"da": ["Peter", "Mette", "Lars", "Anne", "Jens"], "no": ["Kari", "Ola", "Ingrid", "Lars", "Nora"],
              "nl": ["Sanne", "Daan", "Emma", "Bram", "Lotte"], "ru": ["Ольга", "Иван", "Анна", "Сергей", "Елена"]}
    agents = {"da": ["Sofie", "Jonas"], "no": ["Sindre", "Ida"], "nl": ["Bram", "Ruud"], "ru": ["Мария", "Дмитрий"]}
    checks, suggests = [], []
    for i in range(n):
        lang = LANGS[i % 4]
        pool = BODY[lang] + EXTRA[lang]
        sentences = rng.sample(pool, rng.randint(3, 6))
        if rng.random() < 0.10:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(PROBLEMS[lang]))
        c, a = rng.choice(firsts[lang]), rng.choice(agents[lang])
        rec: dict[str, Any] = {"id": f"c{i}", "draft": compose(lang, sentences, c, a),
                               "channel": rng.choice(["facebook", "twitter", "dm", "email"]),
                               "customer_name": c, "agent_name": a}
        if rng.random() < 0.75:
            rec["lang"] = lang
        if rng.random() < 0.25:
            rec["inquiry"] = rng.choice(POSTS[lang])
        checks.append(rec)
        srec: dict[str, Any] = {"id": f"s{i}", "text": rng.choice(POSTS[lang]),
                                "channel": rng.choice(["facebook", "dm"]),
                                "variables": {"customer_name": c, "agent_name": a}}
        if rng.random() < 0.5:
            srec["lang"] = lang
        suggests.append(srec)
    return checks, suggests


def bench_cli_throughput(rep: Report, cfg: dict, tmp: Path, cache_dir: Path) -> None:
    """drafts/s of `replykit check|suggest --jsonl FILE --json` on generated batches of two sizes."""
    rep.section("3. batch throughput through the CLI (--jsonl, one process)", in_process=False)
    n = cfg["batch_lines"]
    big = n * 4
    checks, suggests = make_batches(big)
    env = base_env(cache_dir)
    cli = cli_path()
    rows, out = [], {}
    for cmd, all_recs in (("check", checks), ("suggest", suggests)):
        one = tmp / f"{cmd}-1.jsonl"
        one.write_text(json.dumps(all_recs[0], ensure_ascii=False) + "\n", encoding="utf-8")
        run([cli, cmd, "--jsonl", str(one), "--json"], env)  # prime the pack cache
        one_s = statistics.median(run([cli, cmd, "--jsonl", str(one), "--json"], env)[0]
                                  for _ in range(cfg["batch_runs"]))
        walls_by_size: dict[int, float] = {}
        for size in (n, big):
            recs = all_recs[:size]
            path = tmp / f"{cmd}-{size}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
            walls, proc = [], None
            for _ in range(cfg["batch_runs"]):
                wall, proc = run([cli, cmd, "--jsonl", str(path), "--json"], env)
                walls.append(wall)
            wall = statistics.median(walls)
            walls_by_size[size] = wall
            lines = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
            errors = sum(1 for x in lines if "error" in x)
            if cmd == "check":
                kinds: dict[str, int] = {}
                for x in lines:
                    kinds[x.get("verdict", "error")] = kinds.get(x.get("verdict", "error"), 0) + 1
                detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
                cut = sum(1 for x in lines if any(f.get("rule_id", "").startswith("internal.")
                                                  for f in x.get("findings", [])))
                if cut:
                    detail += f"; {cut} drafts with a rule that could not run (internal.*)"
            else:
                detail = f"{sum(1 for x in lines if x.get('lang_detected'))} with detected language"
            out[f"{cmd}_{size}"] = {"lines": size, "wall_s": wall, "runs": walls, "one_line_wall_s": one_s,
                                    "per_s": size / wall, "exit": proc.returncode, "errors": errors,
                                    "output_lines": len(lines), "detail": detail}
            rows.append([cmd, size, fmt(wall), f"{size / wall:,.0f}", proc.returncode,
                         f"{len(lines)} out, {errors} errors"])
            rep.line(f"  {cmd} x{size}: {detail}")
            if proc.returncode == 2 or len(lines) != size:
                rep.line(f"  ! {cmd}: exit {proc.returncode}, stderr: {proc.stderr.strip()[:200]}")
        extra = walls_by_size[big] - walls_by_size[n]
        steady = (big - n) / extra if extra > 0 else None
        out[f"{cmd}_steady_per_s"] = steady
        out[f"{cmd}_fixed_s"] = walls_by_size[n] - n / steady if steady else None
        rows.append([cmd, "steady", "-", f"{steady:,.0f}" if steady else "-", "-",
                     f"fixed cost {walls_by_size[n] - n / steady:.2f} s" if steady else "-"])
    rep.table(["command", "lines", "wall", "lines/s", "exit", "output"], rows)
    rep.line("  batch: da/no/nl/ru in turn, 3-6 sentences per draft, ~10 % with a planted problem (PII, typo,")
    rep.line("  blame, shouting), 75 % with lang given, 25 % with the inquiry; suggest: 50 % with lang.")
    rep.line("  'steady' = the extra lines of the big batch / its extra wall time: the rate once the process")
    rep.line("  runs (start-up, pack load, the four Hunspell dictionaries and first-seen words excluded);")
    rep.line("  'fixed cost' = what the small batch spent on those. check exits 1 when a draft is blocked.")
    rep.data["cli_throughput"] = out
