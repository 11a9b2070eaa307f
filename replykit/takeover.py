"""Lint's takeover check: does a reply a brand added win posts another reply won before?

For every labelled post of the pack (the brand's and its base's) and every
recognition example, with its own inquiry type, the winning reply of that type
is worked out twice, the way `suggest` orders replies (`explain.ranked_replies`):
among every reply, and among the base pack's replies only. A post whose
winner changes to a reply the brand added is taken over; each such reply gets
one warning with the count and an example, so PR can add `prefer:` data (or
see that it is meant). Checked on a public and a private channel.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .explain import ranked_replies, winner
from .learn.data import load_labelled
from .pack.templates import TemplatePack, load_templates
from .suggest.prefer import Preferences
from .text.normalize import normalize

CHANNELS = ("facebook", "dm")


def posts_of(pack: TemplatePack, lang: str) -> list[tuple[str, str]]:
    """(post, its inquiry type): labelled posts of every layer, then recognition examples."""
    out: list[tuple[str, str]] = []
    for root in (pack.root, *pack.bases):
        folder = Path(root) / lang
        if folder.is_dir():
            out += [(p.text, p.type) for p in load_labelled(folder, lang).posts]
    for itype, tf in pack.langs[lang].types.items():
        out += [(ex, itype) for ex in tf.recognition.examples]
    return out


def takeovers(pack: TemplatePack, langs: list[str]) -> list[tuple[str, str, int, str, str]]:
    """(added reply, lang, posts taken, from which reply, an example post) for a brand pack."""
    if pack.brand is None or not pack.bases:
        return []
    base_ids = set(load_templates(pack.bases[0]).replies)
    added_types = {r.inquiry_type for rid, r in pack.replies.items() if rid not in base_ids}
    found: list[tuple[str, str, int, str, str]] = []
    for lang in langs:
        prefs = Preferences(pack, lang)
        taken: dict[tuple[str, str], list[str]] = defaultdict(list)
        for text, itype in posts_of(pack, lang):
            if itype not in added_types:
                continue
            norm = normalize(text).text
            scores = prefs.scores(norm)
            lost = False
            for channel in CHANNELS:
                now = winner(ranked_replies(pack, prefs, lang, itype, channel, scores))
                before = winner(ranked_replies(pack, prefs, lang, itype, channel, scores, base_ids))
                if now is not None and before is not None and now != before and now not in base_ids and not lost:
                    taken[(now, before)].append(text)
                    lost = True
        for (now, before), texts in sorted(taken.items()):
            found.append((now, lang, len(texts), before, texts[0]))
    return found
