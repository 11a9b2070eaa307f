"""Rewrite rule examples that name the demo brand into pack variables (a maintenance tool).

    python scripts/brand_neutral_examples.py [RULES_DIR]

In the `examples:` part of every rule file: `fibra.dk` (.no, .nl, .ru) becomes `{{ brand_site }}`,
the word `Fibra` becomes `{{ brand_name }}`; lint fills in the loaded pack's values
(replykit/check/pack_values.py). Patterns and phrase lists are left to a person (a value there
needs the right escaping or quoting); tests/test_brand_neutral_rules.py names any that remain.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

SITE = re.compile(r"\bfibra\.(?:dk|no|nl|ru)\b", re.I)
NAME = re.compile(r"(?<![\w\\])[Ff]ibra\b(?!\.\w|@)")


def rewrite(text: str) -> str:
    lines = text.split("\n")
    in_examples = False
    for i, line in enumerate(lines):
        if re.match(r"^\s*examples:", line):
            in_examples = True
            continue
        if in_examples and re.match(r"^[a-z_]+:", line):
            in_examples = False
        if in_examples and not line.lstrip().startswith("#"):
            lines[i] = NAME.sub("{{ brand_name }}", SITE.sub("{{ brand_site }}", line))
            lines[i] = lines[i].replace("\\nFibra", "\\n{{ brand_name }}")
    return "\n".join(lines)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "rules")
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}")


if __name__ == "__main__":
    main()
