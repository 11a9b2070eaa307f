"""The `replykit` command line: thin over `ReplyKit`.

Exit codes: 0 done (check: nothing at error severity), 1 check found an
error, 2 bad usage or bad input (one line on stderr, never a traceback).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from .errors import ReplyKitError
from .results import to_json

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Approved replies and draft checks for social-media customer service.")

_state: dict[str, Any] = {}


class UsageProblem(Exception):
    """Bad input the user can fix: reported in one line, exit 2."""


def _fail(message: str) -> None:
    raise UsageProblem(message)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"replykit {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    templates: Optional[Path] = typer.Option(None, "--templates", envvar="REPLYKIT_TEMPLATES",
                                             help="Template pack folder (default: the bundled pack)."),
    rules: Optional[Path] = typer.Option(None, "--rules", envvar="REPLYKIT_RULES",
                                         help="Brand rule folder, layered over the bundled rules."),
    languagetool_url: Optional[str] = typer.Option(None, "--languagetool-url", envvar="REPLYKIT_LANGUAGETOOL_URL",
                                                   help="LanguageTool server for grammar checks."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    _state.update(templates=templates, rules=rules, languagetool_url=languagetool_url)


def kit():
    if "kit" not in _state:
        from .kit import ReplyKit

        _state["kit"] = ReplyKit.load(_state.get("templates"), _state.get("rules"),
                                      languagetool_url=_state.get("languagetool_url"))
    return _state["kit"]


# ------------------------------------------------------------------ helpers


def _read_input(arg: str | None, what: str, is_file: bool) -> str:
    if arg is None or arg == "-":
        if arg is None and sys.stdin.isatty():
            _fail(f"give the {what} as an argument, or '-' to read standard input")
        data = sys.stdin.buffer.read()
    elif is_file:
        path = Path(arg)
        try:
            data = path.read_bytes()
        except OSError as exc:
            _fail(f"{arg}: cannot read ({exc.strerror})")
    else:
        return arg
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{'standard input' if arg in (None, '-') else arg} is not valid UTF-8 (byte {exc.start})")
    return ""  # unreachable


def _vars(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            _fail(f"--var {pair!r}: expected KEY=VALUE")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def _jsonl(path: str, kind: str, defaults: dict, workers: int | None) -> dict[str, int]:
    """Run a batch (see batch.py); returns how many lines ended ok, blocked or in error."""
    from .batch import run
    from .progress import progress_for

    if path == "-":
        raw_lines = sys.stdin.buffer.read().splitlines()
    else:
        try:
            raw_lines = Path(path).read_bytes().splitlines()
        except OSError as exc:
            _fail(f"{path}: cannot read ({exc.strerror})")
    counts = {"ok": 0, "blocked": 0, "error": 0}
    out = sys.stdout
    loaded = kit()
    with progress_for(len(raw_lines), "checking" if kind == "check" else "suggesting") as advance:
        for result in run(loaded, raw_lines, kind, defaults, workers):
            if result is not None:
                line, status = result
                out.write(line + "\n")
                counts[status] += 1
            advance()
    out.flush()
    return counts


# ----------------------------------------------------------------- commands


# Options suggest and check share.
LangOption = Annotated[Optional[str], typer.Option("--lang", help="da, no, nl or ru (default: detect).")]
ChannelOption = Annotated[Optional[str], typer.Option("--channel",
                                                      help="facebook, twitter, trustpilot, vk, dm, email.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object.")]
JsonlOption = Annotated[Optional[str], typer.Option("--jsonl", help="Batch: one JSON request per line (or '-').")]
WorkersOption = Annotated[Optional[int], typer.Option("--workers", min=1,
                                                      help="Processes for a large --jsonl batch (default: one per core).")]


@app.command()
def suggest(
    text: Optional[str] = typer.Argument(None, help="The customer's post, or '-' for standard input."),
    lang: LangOption = None,
    channel: ChannelOption = None,
    top: int = typer.Option(3, "--top", min=1, help="How many suggestions."),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE for the templates (repeatable)."),
    as_json: JsonOption = False,
    jsonl: JsonlOption = None,
    workers: WorkersOption = None,
) -> None:
    """Suggest approved replies for a customer's post."""
    if jsonl is not None:
        counts = _jsonl(jsonl, "suggest", {"top": top}, workers)
        raise typer.Exit(2 if counts["error"] else 0)
    body = _read_input(text, "post", is_file=False)
    result = kit().suggest(body, lang=lang, channel=channel, top=top, variables=_vars(var))
    if as_json:
        typer.echo(to_json(result))
    else:
        from .show import show_suggest

        show_suggest(result)


@app.command()
def check(
    file: Optional[str] = typer.Argument(None, help="File with the draft, or '-' for standard input."),
    lang: LangOption = None,
    channel: ChannelOption = None,
    inquiry: Optional[str] = typer.Option(None, "--inquiry", help="The customer's post the draft answers."),
    customer_name: Optional[str] = typer.Option(None, "--customer-name"),
    agent_name: Optional[str] = typer.Option(None, "--agent-name"),
    inquiry_type: Optional[str] = typer.Option(None, "--inquiry-type",
                                               help="The inquiry's type, when known (else read from --inquiry)."),
    as_json: JsonOption = False,
    jsonl: JsonlOption = None,
    workers: WorkersOption = None,
) -> None:
    """Check a draft reply: verdict, findings with spans, fixes."""
    if jsonl is not None:
        counts = _jsonl(jsonl, "check", {}, workers)
        raise typer.Exit(2 if counts["error"] else 1 if counts["blocked"] else 0)
    draft = _read_input(file, "draft file", is_file=True)
    result = kit().check(draft, lang=lang, channel=channel, inquiry=inquiry, customer_name=customer_name,
                         agent_name=agent_name, inquiry_type=inquiry_type)
    if as_json:
        typer.echo(to_json(result))
    else:
        from .show import show_check

        show_check(draft, result)
    raise typer.Exit(1 if result.verdict == "blocked" else 0)


@app.command()
def render(
    template_id: str = typer.Argument(..., help="Reply id (outage/public) or <lang>/<id>."),
    lang: Optional[str] = typer.Option(None, "--lang"),
    var: Optional[List[str]] = typer.Option(None, "--var", help="KEY=VALUE (repeatable)."),
    sample: bool = typer.Option(False, "--sample", help="Fill variables with the pack's sample values."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Render one approved reply; exits 2 naming any missing required variable."""
    text = kit().render(template_id, lang=lang, variables=_vars(var), samples=sample)
    typer.echo(json.dumps({"template_id": template_id, "text": text}, ensure_ascii=False) if as_json else text)


@app.command()
def templates(as_json: bool = typer.Option(False, "--json")) -> None:
    """List every template variant in the pack."""
    items = kit().templates()
    if as_json:
        typer.echo(json.dumps([t.model_dump() for t in items], ensure_ascii=False))
        return
    from .show import show_templates

    show_templates(items)


@app.command()
def lint(
    pack: Optional[Path] = typer.Argument(None, help="Pack folder holding templates/ and rules/ (default: bundled)."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="Only these languages."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Check a template pack: schema, rendering, rules, parity, coverage, review dates."""
    from .lint import lint_pack, show_lint

    templates_dir, rules_dir = _pack_dirs(pack)
    report = lint_pack(templates_dir, rules_dir, langs=lang or None)
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        show_lint(report)
    raise typer.Exit(report.exit_code)


def _pack_dirs(pack: Path | None) -> tuple[Path | None, Path | None]:
    templates_dir = _state.get("templates")
    rules_dir = _state.get("rules")
    if pack is not None:
        if not pack.is_dir():
            _fail(f"{pack}: no such folder")
        if (pack / "templates").is_dir():
            templates_dir = pack / "templates"
            rules_dir = pack / "rules" if (pack / "rules").is_dir() else rules_dir
        elif (pack / "pack.yaml").is_file():
            templates_dir = pack
        else:
            _fail(f"{pack}: neither a pack (templates/, rules/) nor a templates folder (pack.yaml)")
    return templates_dir, rules_dir


@app.command()
def train(
    pack: Optional[Path] = typer.Argument(None, help="Pack folder holding templates/ and rules/ (default: bundled)."),
    lang: Optional[List[str]] = typer.Option(None, "--lang", help="Only these languages."),
    as_json: bool = typer.Option(False, "--json", help="Print the model cards as JSON."),
) -> None:
    """Learn the pack's models from its labelled data; write model.json/.npz and a model card per language."""
    from .kit import ReplyKit
    from .learn.card import card_markdown
    from .learn.packs import train_kit

    templates_dir, rules_dir = _pack_dirs(pack)
    rules_kit = ReplyKit.load(templates_dir, rules_dir, models=False)  # rules locate unquoted problems
    pack_data = rules_kit._loaded.templates  # noqa: SLF001
    for code in lang or []:
        if code not in pack_data.meta.languages:
            _fail(f"unknown language {code!r} (this pack has {', '.join(pack_data.meta.languages)})")
    quiet = as_json or not sys.stderr.isatty()
    say = (lambda _m: None) if quiet else (lambda m: typer.echo(m, err=True))
    models = train_kit(rules_kit, lang or None, say)
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
) -> None:
    """Write one self-contained HTML page: coverage matrix, lint findings, every reply rendered."""
    from .report import build_report

    templates_dir, rules_dir = _pack_dirs(pack)
    html_text = build_report(templates_dir, rules_dir)
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
    pack: Path = typer.Option(Path("."), "--pack", help="Pack folder with templates/ (default: here)."),
) -> None:
    """Scaffold a new logical reply with a stub in every language of the pack."""
    from .scaffold import new_reply

    templates_dir = _state.get("templates") or (pack / "templates" if (pack / "templates").is_dir() else pack)
    if not (Path(templates_dir) / "pack.yaml").is_file():
        _fail(f"{templates_dir}: no pack.yaml here; run it in your pack repository or give --pack")
    for path in new_reply(Path(templates_dir), reply_id, visibility, description):
        typer.echo(f"wrote {path}")


@app.command()
def schema(kind: Optional[str] = typer.Option(
        None, "--kind", help="pack, replies, lang, signals, inquiry_type, rule; labelled data: post, draft, clean.")
) -> None:
    """Print the JSON Schema of the pack files (for editors)."""
    from .learn.data import MODELS as LABELLED
    from .models import FILE_MODELS as PACK_FILES

    FILE_MODELS = {**PACK_FILES, **{kind.rstrip("s"): model for kind, model in LABELLED.items()}}

    if kind is not None:
        if kind not in FILE_MODELS:
            _fail(f"unknown kind {kind!r} (known: {', '.join(FILE_MODELS)})")
        typer.echo(json.dumps(FILE_MODELS[kind].model_json_schema(), indent=2, ensure_ascii=False))
        return
    combined = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "replykit pack files",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in FILE_MODELS],
        "$defs": {},
    }
    for name, model in FILE_MODELS.items():
        sch = model.model_json_schema(ref_template="#/$defs/{model}")
        combined["$defs"].update(sch.pop("$defs", {}))
        combined["$defs"][name] = sch
    typer.echo(json.dumps(combined, indent=2, ensure_ascii=False))


def main() -> None:
    try:
        rc = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        sys.exit(rc if isinstance(rc, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (UsageProblem, ReplyKitError) as exc:
        sys.stderr.write(f"replykit: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}\n")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if hasattr(exc, "format_message"):  # click's usage errors (typer vendors click)
            sys.stderr.write(f"replykit: error: {exc.format_message()} (see replykit --help)\n")
            sys.exit(2)
        if type(exc).__name__ == "Abort":
            sys.stderr.write("replykit: aborted\n")
            sys.exit(2)
        if os.environ.get("REPLYKIT_DEBUG"):
            raise
        sys.stderr.write(f"replykit: internal error: {type(exc).__name__}: {exc} "
                         "(set REPLYKIT_DEBUG=1 for details)\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
