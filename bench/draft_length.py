"""7. growth with draft length. (see run.py for what is measured and how)"""
from __future__ import annotations

from typing import Any

from common import LANGS, Report, check_kwargs, fmt, summary, timed, timeouts_line
from texts import draft_of_length


def bench_draft_length(rep: Report, kit, cfg: dict) -> None:
    """check p50 for drafts of 150, 600, 2,400 and 9,600 characters."""
    rep.section("7. growth with draft length (check p50, warm)")
    rows, out = [], {}
    not_ok = []
    for lang in LANGS:
        row: list[Any] = [lang]
        for target, n in cfg["length_n"].items():
            draft = draft_of_length(lang, target)
            kw = check_kwargs(lang)
            result = kit.check(draft, **kw)
            if result.verdict != "ok":
                not_ok.append(f"{lang} {len(draft)} chars: {result.verdict} "
                              f"({', '.join(sorted({f.rule_id for f in result.findings}))})")
            s = summary(timed(lambda: kit.check(draft, **kw), n, warmup=3, budget_s=cfg["budget_s"] / 2))
            out.setdefault(lang, {})[str(target)] = {**s, "chars": len(draft), "verdict": result.verdict}
            row.append(f"{fmt(s['p50_s'])} ({len(draft)})")
        p150, p9600 = out[lang]["150"]["p50_s"], out[lang]["9600"]["p50_s"]
        row.append(f"{p9600 / p150:.0f}x")
        rows.append(row)
    rep.table(["lang"] + [f"~{t:,} chars" for t in cfg["length_n"]] + ["9.6k/150"], rows)
    rep.line("  (actual length in brackets; long drafts repeat the sentence pool, so the speller cache is hot)")
    rep.line("  verdicts: " + ("all ok" if not not_ok else "not ok: " + "; ".join(not_ok)))
    rep.line("  (the texts are clean agent prose; a 150-char one may rightly lack a next step)")
    timeouts = timeouts_line(rep, "section 7")
    rep.data["draft_length"] = {"per_lang": out, "not_ok": not_ok, "pattern_timeouts": timeouts}
