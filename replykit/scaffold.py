"""`replykit new ID --visibility V`: start a new logical reply in a pack.

Appends the reply to `templates/replies.yaml` and a stub variant (greeting,
a TODO sentence, signature; no `approved:`, so lint flags it as unapproved)
to `templates/<lang>/<inquiry_type>.yaml` for every language of the pack.
Files are edited as text, so PR staff's comments and layout stay as they
were. The pack is loaded again afterwards; if it no longer loads, every file
is put back as it was and the error is raised.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import cast

from .errors import PackError
from .models import ID_PATTERN
from .pack.templates import load_templates
from .vocabulary import INQUIRY_TYPES

VISIBILITIES = ("public", "private", "any")
_TOP_KEY = re.compile(r"^[^\s#-]")  # a line starting a top-level key


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _read(path: Path) -> tuple[str, str]:
    """File text with its own line endings, and the line ending it uses."""
    with path.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    return text, "\r\n" if "\r\n" in text else "\n"


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _reply_entry(replies_text: str, reply_id: str, itype: str, visibility: str, description: str) -> list[str]:
    indent = "  "
    for line in replies_text.splitlines():
        m = re.match(r"^(\s*)- id:", line)
        if m:
            indent = m.group(1)
    lines = [f"{indent}- id: {reply_id}", f"{indent}  inquiry_type: {itype}", f"{indent}  visibility: {visibility}"]
    if description:
        lines.append(f"{indent}  description: {_quote(description)}")
    return lines


def _variant_stub(reply_id: str, lang: str, indent: str) -> list[str]:
    return [f"{indent}{reply_id}:",
            f"{indent}  # TODO: write the {lang} text, then PR approves it: "
            f"replykit approve {reply_id} --lang {lang} --by NAME",
            f"{indent}  body: |",
            f"{indent}    {{{{ greeting }}}}",
            f"{indent}    TODO: write this reply in {lang}.",
            f"{indent}    {{{{ signature }}}}"]


def _with_variant(text: str, eol: str, path: Path, reply_id: str, lang: str) -> str:
    """`text` of an inquiry-type file with the stub added at the end of `variants:`."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^variants\s*:", line)), None)
    if start is None:  # no variants yet: add the key at the end
        new = lines + ["variants:"] + _variant_stub(reply_id, lang, "  ")
        return eol.join(new) + eol
    value, _, comment = lines[start].split(":", 1)[1].partition("#")
    rest = value.strip()
    if rest == "{}":
        lines[start] = "variants:" + (f"  #{comment}" if comment else "")
    elif rest:
        raise PackError("variants: is written in flow style ({...}); add the new reply by hand", path, start + 1)
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    children = [ln for ln in lines[start + 1:end] if ln.strip() and not ln.lstrip().startswith("#")]
    indent = cast(re.Match[str], re.match(r"^\s*", children[0])).group(0) if children else "  "
    # After the last entry; blank lines and column-0 comments before the next key stay with that key.
    last = max((i for i in range(start, end) if lines[i].strip() and not lines[i].startswith("#")), default=start)
    new = lines[:last + 1] + _variant_stub(reply_id, lang, indent) + lines[last + 1:]
    return eol.join(new) + eol


def _new_type_file(itype: str, reply_id: str, lang: str) -> str:
    lines = [f"inquiry_type: {itype}",
             "recognition:",
             f"  triggers: []   # TODO: at least 15 words and phrases typical of {itype} in {lang}",
             "  examples: []   # TODO: at least 5 realistic customer posts",
             "  negative: []",
             "variants:"] + _variant_stub(reply_id, lang, "  ")
    return "\n".join(lines) + "\n"


def new_reply(templates: Path, reply_id: str, visibility: str, description: str = "") -> list[Path]:
    """Add a logical reply and a stub text in every language; return the files written."""
    templates = Path(templates)
    replies_path = templates / "replies.yaml"
    itype = reply_id.split("/", 1)[0]
    if itype not in INQUIRY_TYPES:
        raise PackError(f"reply id {reply_id!r} must start with an inquiry type ({', '.join(INQUIRY_TYPES)})")
    if not re.match(ID_PATTERN, reply_id):
        raise PackError(f"reply id {reply_id!r} must look like <inquiry_type>/<name> "
                        "(lower case letters, digits, _ and -)")
    if visibility not in VISIBILITIES:
        raise PackError(f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility!r}")
    pack = load_templates(templates)  # refuse to edit a pack that is already broken
    if reply_id in pack.replies:
        src = pack.reply_sources[reply_id]
        raise PackError(f"reply id {reply_id!r} already exists", src.path, src.line)

    originals: dict[Path, str | None] = {}
    if replies_path.is_file():
        text, eol = _read(replies_path)
        originals[replies_path] = text
    else:  # a brand pack lists only the replies it adds
        text, eol = "replies:\n", "\n"
        originals[replies_path] = None
    if text and not text.endswith(("\n", "\r")):
        text += eol
    new_texts = {replies_path: text + eol.join(_reply_entry(text, reply_id, itype, visibility, description)) + eol}
    for lang in pack.meta.languages:
        path = templates / lang / f"{itype}.yaml"
        if path.is_file():
            old, eol = _read(path)
            originals[path] = old
            new_texts[path] = _with_variant(old, eol, path, reply_id, lang)
        else:
            originals[path] = None
            new_texts[path] = _new_type_file(itype, reply_id, lang)
    try:
        for path, new in new_texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, new)
        load_templates(templates)
    except Exception:
        for path, original in originals.items():  # put the pack back exactly as it was
            if original is None:
                path.unlink(missing_ok=True)
            else:
                _write(path, original)
        raise
    return list(new_texts)
