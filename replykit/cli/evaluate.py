"""`replykit evaluate`: a pack's figures on held-out sets, and whether a change made them worse."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from .base import _fail, _pack_dirs, app


@app.command()
def evaluate(
    sets: List[Path] = typer.Argument(..., metavar="SET", help="Folders of <lang>.inquiries.jsonl, "
                                      "<lang>.drafts.jsonl and <lang>.clean.jsonl (docs/labelled-data.md)."),
    pack: Optional[Path] = typer.Option(None, "--pack", help="Pack folder (default: the one you are in, else "
                                        "the bundled one)."),
    no_models: bool = typer.Option(False, "--no-models", help="Rules alone: the pack's trained models left out."),
    per_lang: bool = typer.Option(False, "--by-lang", help="Also each language of a set alone (SET/da, SET/no ...)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON (a --baseline for later)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Figures of an earlier run (its --json "
                                            "output): print what moved."),
    fail_on_drop: bool = typer.Option(False, "--fail-on-drop", help="Exit 1 when a figure is worse than in "
                                      "--baseline by more than --tolerance (a gate for the pack's CI)."),
    tolerance: float = typer.Option(0.0, "--tolerance", min=0.0, help="How much worse a figure may get "
                                    "before --fail-on-drop fails (0.01 = one point)."),
) -> None:
    """Score the pack on held-out sets: inquiry type, findings, verdicts, false alarms (as in the README).

    Keep a set nobody trains on; before retraining run `replykit evaluate SET --json > before.json`, after it
    `replykit evaluate SET --baseline before.json`."""
    from ..kit import ReplyKit
    from ..learn.evaluate import RememberedKit, by_lang, read_set, score_records
    from ..learn.held_out import changes, summary_line, worse
    from ..progress import progress_for

    if fail_on_drop and baseline is None:
        _fail("--fail-on-drop needs --baseline")
    for folder in sets:
        if not folder.is_dir():
            _fail(f"{folder}: no such folder")
    before = _read_baseline(baseline) if baseline is not None else None
    templates_dir, rules_dir = _pack_dirs(pack)
    loaded = ReplyKit.load(templates_dir, rules_dir, models=not no_models)
    # With --by-lang each record is scored for its set and for its language: the kit is asked once.
    kit = RememberedKit(loaded) if per_lang else loaded
    records = {name: read_set(folder) for name, folder in zip(_names(sets), sets, strict=True)}
    total = sum(len(recs) for kinds in records.values() for recs in kinds.values()) * (2 if per_lang else 1)
    figures = {}
    with progress_for(total, "evaluating") as advance:
        for name, kinds in records.items():
            figures[name] = score_records(kit, kinds, advance)
            if per_lang:
                for lang, part in by_lang(kinds).items():
                    figures[f"{name}/{lang}"] = score_records(kit, part, advance)
    # Said once: a stale model means these are the rules' figures (the notice says how to refresh it).
    for notice in sorted({n for got in figures.values() for n in got.get("notices", [])}):
        typer.echo(f"replykit: {notice}", err=True)
    if as_json:
        typer.echo(json.dumps({"models": not no_models, "sets": figures}, ensure_ascii=False, indent=2))
    else:
        for name, got in figures.items():
            typer.echo(summary_line(name, got))
    if before is None:
        return
    moved = changes(before, figures)
    dropped = worse(moved, tolerance)
    unknown = [name for name in figures if name not in before]
    echo = (lambda m: typer.echo(m, err=True)) if as_json else typer.echo  # stdout stays JSON
    if unknown:
        echo(f"not in the baseline (not compared): {', '.join(unknown)}")
    echo(f"compared with {baseline}: {len(moved)} figure(s) moved, {len(dropped)} worse"
         + (f" by more than {tolerance:g}" if tolerance else ""))
    for change in moved:
        mark = "worse" if change in dropped else "better" if change.worse_by < 0 else "within tolerance"
        echo(f"  {change.describe()} ({mark})")
    if fail_on_drop and dropped:
        raise typer.Exit(1)


def _names(sets: List[Path]) -> list[str]:
    """Each set by its folder name, or its path where two share a name."""
    plain = [folder.name or str(folder) for folder in sets]
    return [str(folder) if plain.count(name) > 1 else name for name, folder in zip(plain, sets, strict=True)]


def _read_baseline(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot read ({exc})")
    except json.JSONDecodeError as exc:
        _fail(f"{path}:{exc.lineno}: not JSON ({exc.msg}); give the output of `replykit evaluate ... --json`")
    sets = data.get("sets") if isinstance(data, dict) else None
    if not isinstance(sets, dict) or not all(isinstance(v, dict) for v in sets.values()):
        _fail(f"{path}: no 'sets' of figures; give the output of `replykit evaluate ... --json`")
    return sets
