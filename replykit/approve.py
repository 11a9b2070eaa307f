"""`replykit approve ID --lang L --by NAME`: record who approved which exact text.

The approval is written into the pack file as one flow mapping,
`approved: {by: ..., "on": ..., review_by: ..., digest: "sha256:..."}`, in
place of the variant's old `approved:` entry (or before its first key), so
PR staff's comments, key order and layout elsewhere stay as they were. The
digest covers the body and the blocks it uses (`templates.text_digest`): if
either changes later, the text `needs re-approval`.

In a brand pack, a text inherited from the base (the brand changed a block
it uses, say) is approved in the brand's own file as an entry holding only
`approved:`; its body still comes from the base, and a later change of it
there shows up as `needs re-approval` in the brand.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import cast

from .errors import InputError, PackError
from .pack.templates import CompiledVariant, TemplatePack, load_templates
from .pack.yamlio import LineDict, load_yaml

_TOP_KEY = re.compile(r"^[^\s#-]")


def approve(templates: Path, reply_id: str, lang: str, by: str, on: dt.date | None = None,
            review_by: dt.date | None = None, wording: int = 0) -> tuple[Path, CompiledVariant]:
    """Approve the current text of one reply in one language (`wording` 1.. one of its alternative
    wordings instead of the body); returns the file written and the variant."""
    by = by.strip()
    if not by:
        raise InputError("--by: say who approves (a name)")
    pack = load_templates(templates)
    if lang not in pack.langs:
        raise InputError(f"unknown language {lang!r} (this pack has {', '.join(pack.meta.languages)})")
    cv = pack.variants.get((reply_id, lang))
    if cv is None:
        known = "no such reply" if reply_id not in pack.replies else f"no {lang} text"
        raise InputError(f"{reply_id}: {known} in this pack")
    if pack.brand is not None and pack.brand.approvers and by not in pack.brand.approvers:
        raise InputError(f"{by!r} is not on the approvers list of {pack.meta.name} "
                         f"({', '.join(pack.brand.approvers)})")
    on = on or dt.date.today()
    if review_by is None:
        try:
            review_by = on.replace(year=on.year + 1)
        except ValueError:  # 29 February
            review_by = on + dt.timedelta(days=365)
    if review_by <= on:
        raise InputError(f"--review-by {review_by} must come after the approval date {on}")
    if not 0 <= wording <= len(cv.variant.wordings):
        raise InputError(f"{cv.template_id} has {len(cv.variant.wordings)} alternative wording(s); "
                         f"--wording {wording} is not one of them")
    digest = cv.digest if wording == 0 else cv.wording_digests[wording - 1]
    entry = (f'approved: {{by: {json.dumps(by, ensure_ascii=False)}, "on": {on.isoformat()}, '
             f'review_by: {review_by.isoformat()}, digest: "{digest}"}}')
    path = _target(pack, cv)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if wording:
        if old is None or path.resolve() != Path(cv.source.path).resolve():
            raise InputError(f"{cv.template_id}: approve wording {wording} in the file that holds it")
        new = _with_wording_approval(old, path, reply_id, wording, entry)
    else:
        new = _with_approval(old, path, reply_id, cv.reply.inquiry_type, entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    try:
        again = load_templates(templates).variants[(reply_id, lang)]
        if again.wording_status(wording) != "approved":
            raise PackError(f"{cv.template_id}: the approval did not take (status {again.wording_status(wording)})",
                            path)
    except Exception:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(old, encoding="utf-8")  # put the file back exactly as it was
        raise
    return path, again


def _target(pack: TemplatePack, cv: CompiledVariant) -> Path:
    """The file the approval goes to: the text's own file, or the brand's file for an inherited text."""
    path = Path(cv.source.path)
    if pack.brand_root is None:
        return path
    own = pack.root.resolve()
    if own == path.resolve().parent.parent:
        return path
    return pack.root / cv.lang / f"{cv.reply.inquiry_type}.yaml"


def _with_approval(text: str | None, path: Path, reply_id: str, itype: str, entry: str) -> str:
    if text is None:
        return f"inquiry_type: {itype}\nvariants:\n  {reply_id}:\n    {entry}\n"
    lines = text.splitlines()
    data = load_yaml(path)
    variants = data.get("variants") if isinstance(data, dict) else None
    variant = variants.get(reply_id) if isinstance(variants, LineDict) else None
    if isinstance(variant, LineDict) and variant.key_lines:
        keys = sorted(variant.key_lines.values())
        if "approved" in variant:
            first = variant.key_lines["approved"] - 1
            nxt = [ln for ln in keys if ln - 1 > first]
            end = (nxt[0] - 1) if nxt else _end_of_variant(lines, cast(LineDict, variants), variant, first)
            while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
                end -= 1
            indent = re.match(r"^\s*", lines[first]).group(0)  # type: ignore[union-attr]
            lines[first:end] = [indent + entry]
        else:
            first = keys[0] - 1
            indent = re.match(r"^\s*", lines[first]).group(0)  # type: ignore[union-attr]
            lines.insert(first, indent + entry)
        return "\n".join(lines) + "\n"
    # No entry for this reply in this file (a brand approving an inherited text): add one.
    start = next((i for i, line in enumerate(lines) if re.match(r"^variants\s*:", line)), None)
    if start is None:
        return text.rstrip("\n") + f"\nvariants:\n  {reply_id}:\n    {entry}\n"
    if lines[start].split(":", 1)[1].split("#")[0].strip() not in ("", "{}"):
        raise PackError("variants: is written in flow style ({...}); approve by hand", path, start + 1)
    lines[start] = "variants:"
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    lines[end:end] = [f"  {reply_id}:", f"    {entry}"]
    return "\n".join(lines) + "\n"


def _with_wording_approval(text: str, path: Path, reply_id: str, wording: int, entry: str) -> str:
    """Replace the one-line `approved: {...}` of an alternative wording (the form the pack and this
    command write); anything else is left to a person, never guessed at."""
    data = load_yaml(path)
    try:
        item = data["variants"][reply_id]["wordings"][wording - 1]
        line = item.key_lines["approved"] - 1
    except (KeyError, IndexError, TypeError, AttributeError):
        raise PackError(f"variants.{reply_id}.wordings[{wording - 1}]: no `approved:` line to replace; "
                        "add `approved: {by: ..., \"on\": ...}` by hand, then approve", path) from None
    lines = text.splitlines()
    match = re.match(r"^(\s*(?:-\s+)?)approved:\s*\{.*\}\s*$", lines[line])
    if match is None:
        raise PackError("this wording's approval is not a one-line {...} mapping; approve it by hand", path, line + 1)
    lines[line] = match.group(1) + entry
    return "\n".join(lines) + "\n"


def _end_of_variant(lines: list[str], variants: LineDict, variant: LineDict, after: int) -> int:
    """The line index where a variant's last value ends: the next variant's key or top-level key."""
    later = [ln - 1 for ln in variants.key_lines.values() if ln - 1 > after]
    if later:
        return min(later)
    return next((i for i in range(after + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
