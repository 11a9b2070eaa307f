"""Commands for pack owners: lint, train, report, new, schema."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .base import _day, _fail, _pack_dirs, _state, app


@app.command()
def lint(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="[PACK | FILE...]", help="Pack folder holding "
                                                 "templates/ and rules/ (default: the one you are in); with "
                                                 "--changed, the changed files."),
    changed: bool = typer.Option(False, "--changed", help="Lint only what these files touch (the pre-commit hook)."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="Only these languages."),
    as_json: bool = typer.Option(False, "--json"),
    today: Optional[str] = typer.Option(None, "--today", help="Judge review dates as of this date (YYYY-MM-DD)."),
) -> None:
    """Check a template pack: schema, rendering, rules, parity, coverage, approvals, review dates."""
    from ..lint import lint_pack, show_lint

    if not changed and len(paths or []) > 1:
        _fail("give one pack folder (or --changed FILE... for the files a commit changes)")
    if changed:
        groups = _packs_of(paths or [])  # a repository may hold several packs: each lints its own files
    else:
        groups = {paths[0] if paths else None: []}
    code = 0
    for pack, files in groups.items():
        templates_dir, rules_dir = _pack_dirs(pack)
        scope = _changed_scope(templates_dir, files) if changed else None
        report = lint_pack(templates_dir, rules_dir, langs=lang or None, today=_day(today, "--today"), scope=scope)
        unknown = [p.message for p in report.problems if p.code == "unknown-language"]
        if unknown:
            _fail(f"--lang: {unknown[0]}")
        if as_json:
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            show_lint(report)
        code = max(code, report.exit_code)
    raise typer.Exit(code)


def _packs_of(files: List[Path]) -> dict:
    """Changed files grouped by the pack folder each belongs to (found upwards from the file, the way
    the commands find it from the current folder); files in no pack go with the current folder's."""
    from ..pack.brand import discover

    if _state.get("templates") or _state.get("rules"):
        return {None: files}  # --templates/--rules name the pack for all of them
    groups: dict = {}
    for name in files:
        groups.setdefault(discover((Path.cwd() / name).parent), []).append(name)
    return groups or {None: []}


def _changed_scope(templates_dir: Path | None, files: List[Path]):  # noqa: ANN202
    """What the changed files touch in the pack in use (said on stderr: the hook's log shows it)."""
    from ..kit import bundled_path
    from ..lint_scope import changed_scope
    from ..pack.brand import brand_root
    from ..pack.templates import load_templates

    templates = Path(templates_dir) if templates_dir is not None else bundled_path("templates")
    root = brand_root(templates) or (templates.parent if templates.name == "templates" else templates)
    try:
        languages = load_templates(templates).meta.languages
    except Exception:  # noqa: BLE001 - a pack that does not load: lint reports why, over the whole pack
        languages = []
    scope = changed_scope(root, files, languages, Path.cwd())
    if not languages:
        scope.everything = True
    typer.echo(f"replykit: lint --changed: {scope.describe()}", err=True)
    return scope


@app.command()
def train(
    pack: Optional[Path] = typer.Argument(None, help="Pack folder holding templates/ and rules/ (default: bundled)."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="Only these languages."),
    as_json: bool = typer.Option(False, "--json", help="Print the model cards as JSON."),
) -> None:
    """Learn the pack's models from its labelled data; write model.json/.npz and a model card per language."""
    from ..kit import ReplyKit
    from ..learn.card import card_markdown
    from ..learn.packs import train_kit

    templates_dir, rules_dir = _pack_dirs(pack)
    rules_kit = ReplyKit.load(templates_dir, rules_dir, models=False)  # rules locate unquoted problems
    pack_data = rules_kit._loaded.templates  # noqa: SLF001
    for code in lang or []:
        if code not in pack_data.meta.languages:
            _fail(f"unknown language {code!r} (this pack has {', '.join(pack_data.meta.languages)})")
    quiet = as_json or not sys.stderr.isatty()
    say = (lambda _m: None) if quiet else (lambda m: typer.echo(m, err=True))
    models = train_kit(rules_kit, lang or None, say)
    if not models and pack_data.brand is not None:
        typer.echo(f"{pack_data.meta.name}: no labelled data of its own; the brand pack uses its base's models",
                   err=True)
    cards = {}
    for code, model in models.items():
        (pack_data.root / code / "model-card.md").write_text(card_markdown(model), encoding="utf-8")
        cards[code] = model.card
    if as_json:
        typer.echo(json.dumps(cards, ensure_ascii=False))
        return
    for code, card in cards.items():
        cats = card["categories"]
        active = [c for c, v in cats.items() if v.get("thresholds", {}).get("warning") is not None]
        typer.echo(f"{code}: {card['data']['posts']} posts, {card['data']['drafts']} drafts, "
                   f"{card['data']['clean']} clean; inquiry top-1 {card['inquiry']['cv_top1']:.3f} "
                   f"top-3 {card['inquiry']['cv_top3']:.3f} (cross-validated); "
                   f"{len(active)}/{len(cats)} categories judged by the model; {card['seconds']} s "
                   f"-> {pack_data.root / code / 'model-card.md'}")


@app.command()
def report(
    pack: Optional[Path] = typer.Argument(None, help="Pack folder holding templates/ and rules/ (default: bundled)."),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="Where to write the HTML page."),
    today: Optional[str] = typer.Option(None, "--today", help="Judge review dates as of this date (YYYY-MM-DD)."),
) -> None:
    """Write one self-contained HTML page: coverage matrix, lint findings, every reply rendered."""
    from ..report import build_report

    templates_dir, rules_dir = _pack_dirs(pack)
    feedback = None
    if _state.get("feedback_db"):  # the team's feedback becomes a section of the report
        from ..feedback import open_store

        feedback = open_store(_state["feedback_db"])
    html_text = build_report(templates_dir, rules_dir, feedback=feedback, today=_day(today, "--today"))
    try:
        output.write_text(html_text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    typer.echo(f"wrote {output}")


@app.command()
def new(
    reply_id: str = typer.Argument(..., help="<inquiry_type>/<name>, e.g. outage/planned-work."),
    visibility: str = typer.Option(..., "--visibility", help="public, private or any."),
    description: str = typer.Option("", "--description"),
    pack: Optional[Path] = typer.Option(None, "--pack", help="Pack folder (default: the one you are in)."),
) -> None:
    """Scaffold a new logical reply with a stub in every language of the pack."""
    from ..pack.brand import brand_root
    from ..scaffold import new_reply

    templates_dir = _pack_dirs(pack)[0]
    if templates_dir is None:
        _fail("no pack here (replykit.yaml or templates/pack.yaml); run it in your pack repository or give --pack")
    root = brand_root(Path(templates_dir))
    if root is not None:
        templates_dir = root / "templates"  # a brand's replies and stubs go to its own files
    elif not (Path(templates_dir) / "pack.yaml").is_file():
        _fail(f"{templates_dir}: no pack.yaml here; run it in your pack repository or give --pack")
    for path in new_reply(Path(templates_dir), reply_id, visibility, description):
        typer.echo(f"wrote {path}")


@app.command()
def schema(kind: Optional[str] = typer.Option(
        None, "--kind", help="pack, replies, lang, signals, inquiry_type, rule; labelled data: post, draft, clean; "
        "requests: suggest-request, check-request, render-request; results: suggest-result, check-result, "
        "template; brand: a brand pack's replykit.yaml.")
) -> None:
    """Print the JSON Schema of pack files, labelled data, requests and results (for editors and integrations)."""
    from ..schemas import all_kinds, combined_schema, schema_of

    if kind is not None:
        if kind not in all_kinds():
            _fail(f"unknown kind {kind!r} (known: {', '.join(all_kinds())})")
        typer.echo(json.dumps(schema_of(kind), indent=2, ensure_ascii=False))
        return
    typer.echo(json.dumps(combined_schema(), indent=2, ensure_ascii=False))
