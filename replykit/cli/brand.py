"""Commands for brand packs: init, approve, explain."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .base import _day, _fail, _pack_dirs, _read_input, app, kit


@app.command()
def init(
    folder: Path = typer.Argument(..., help="The brand pack's folder (created if missing)."),
    brand: str = typer.Option(..., "--brand", help="The brand's name, e.g. Acme."),
    languages: str = typer.Option(..., "--languages", help="Comma-separated, e.g. da,nl."),
    extends: str = typer.Option("bundled", "--extends", help="bundled, or the path of the pack to extend."),
) -> None:
    """Start a brand pack that extends the bundled pack (or another) and holds only what it changes."""
    from ..brand_init import init_brand

    langs = [code.strip() for code in languages.split(",") if code.strip()]
    for path in init_brand(folder, brand, langs, extends):
        typer.echo(f"wrote {path}")


@app.command()
def approve(
    reply_id: str = typer.Argument(..., help="Reply id, e.g. outage/public."),
    lang: str = typer.Option(..., "--lang", help="The language of the text approved."),
    by: str = typer.Option(..., "--by", help="Who approves (on the pack's approvers list, if it has one)."),
    on: Optional[str] = typer.Option(None, "--on", help="Approval date (default: today)."),
    review_by: Optional[str] = typer.Option(None, "--review-by", help="Review date (default: a year later)."),
    pack: Optional[Path] = typer.Option(None, "--pack", help="Pack folder (default: the one you are in)."),
    wording: int = typer.Option(0, "--wording", min=0,
                                help="Approve alternative wording N (1, 2, ...) instead of the body."),
) -> None:
    """Approve the current text of a reply: writes who, when and its digest into the pack file."""
    from ..approve import approve as approve_text

    templates_dir = _pack_dirs(pack)[0]
    if templates_dir is None:
        _fail("no pack here (replykit.yaml or templates/pack.yaml); run it in your pack or give --pack")
    path, cv = approve_text(Path(templates_dir), reply_id, lang, by, _day(on, "--on"), _day(review_by, "--review-by"),
                            wording)
    digest = cv.digest if wording == 0 else cv.wording_digests[wording - 1]
    what = cv.template_id if wording == 0 else f"{cv.template_id} wording {wording}"
    typer.echo(f"approved {what} ({digest[:19]}…) in {path}")


@app.command()
def explain(
    text: Optional[str] = typer.Argument(None, help="The customer's post, or '-' for standard input."),
    lang: Optional[str] = typer.Option(None, "--lang", help="da, no, nl or ru (default: detect)."),
    channel: Optional[str] = typer.Option(None, "--channel", help="facebook, twitter, trustpilot, vk, dm, email."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Why suggest answers a post so: the inquiry types ranked, then the replies of the winner and why."""
    from ..explain import explain as explain_post
    from ..explain import show_explanation

    result = explain_post(kit(), _read_input(text, "post", is_file=False), lang=lang, channel=channel)
    if as_json:
        typer.echo(result.model_dump_json())
    else:
        show_explanation(result)
