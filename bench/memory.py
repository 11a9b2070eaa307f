"""5. peak memory. (see run.py for what is measured and how)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from common import LANGS, Report, base_env, check_kwargs, fmt_mb
from texts import draft_600

MEMORY_CHILD = r"""
import sys
stage = sys.argv[1]
drafts = __DRAFTS__
if stage != "python":
    from replykit import ReplyKit
    kit = ReplyKit.load()
if stage in ("check4", "check4+detect"):
    for lang, (draft, kw) in drafts.items():
        kit.check(draft, **kw)
if stage == "check4+detect":
    kit.suggest("Al de hele middag geen internet in Utrecht, is er een storing?")
    kit.suggest("Mit net er nede igen!! Hele vejen er uden internet")
"""

MEMORY_WRAPPER = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def bench_memory(rep: Report, tmp: Path, cache_dir: Path) -> None:
    """Peak RSS of child processes at growing stages of use."""
    rep.section("5. peak memory (max RSS of a child process)", in_process=False)
    drafts = {lang: (draft_600(lang), check_kwargs(lang)) for lang in LANGS}
    child = tmp / "memory_child.py"
    child.write_text(MEMORY_CHILD.replace("__DRAFTS__", repr(drafts)), encoding="utf-8")
    stages = {"python": "bare Python interpreter", "load": "import replykit + ReplyKit.load()",
              "check4": "+ check one draft in da, no, nl, ru (4 spelling dictionaries)",
              "check4+detect": "+ 2 suggest calls with language detection"}
    rows, out = [], {}
    env = base_env(cache_dir)
    for stage, what in stages.items():
        proc = subprocess.run([sys.executable, "-c", MEMORY_WRAPPER, sys.executable, str(child), stage],
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            rep.line(f"  ! {stage}: {proc.stderr.strip()[-300:]}")
            continue
        kib = int(proc.stdout.strip().splitlines()[-1])  # Linux: KiB
        out[stage] = {"max_rss_kib": kib, "what": what}
        rows.append([what, fmt_mb(kib)])
    rep.table(["process", "peak RSS"], rows)
    rep.data["memory"] = out
