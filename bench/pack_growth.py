"""6. growth with pack size. (see run.py for what is measured and how)"""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any, Callable

from common import INQUIRY_TYPES, LANGS, Report, check_kwargs, fmt, load_kit, now, summary, timed, timeouts_line
from texts import POSTS, draft_600

_ONSETS = {
    "latin": "b d f g h k l m n p r s t v br dr fl gr kl pr st tr sk sp bl fr gl pl sl sn".split(),
    "ru": "б в г д ж з к л м н п р с т ф х ш бр гр др кр пр ст тр бл пл сл".split(),
}
_VOWELS = {"da": "a e i o u y a e o æ ø å".split(), "no": "a e i o u y a e o æ ø å".split(),
           "nl": "a e i o u a e o ee oo aa ie ou ui".split(), "ru": "а о у и е ы а о".split()}
_CODAS = {"latin": ["", "", "n", "r", "l", "s", "k", "t", "m"], "ru": ["", "", "н", "р", "л", "с", "к", "т", "м"]}


class WordMaker:
    """Pronounceable pseudo-words with distinct stems (per replykit's own stemmer)."""

    def __init__(self, lang: str, rng: random.Random):
        self.lang, self.rng = lang, rng
        script = "ru" if lang == "ru" else "latin"
        self.onsets, self.vowels, self.codas = _ONSETS[script], _VOWELS[lang], _CODAS[script]
        self.stems: set[str] = set()
        try:
            from replykit.text.tokens import stem

            self._stem = lambda w: stem(w, lang)
        except Exception:  # noqa: BLE001
            import snowballstemmer

            names = {"da": "danish", "no": "norwegian", "nl": "dutch", "ru": "russian"}
            stemmer = snowballstemmer.stemmer(names[lang])
            self._stem = stemmer.stemWord

    def word(self) -> str:
        while True:
            w = "".join(self.rng.choice(self.onsets) + self.rng.choice(self.vowels)
                        for _ in range(self.rng.choice((2, 3, 3)))) + self.rng.choice(self.codas)
            s = self._stem(w)
            if len(s) >= 4 and s not in self.stems:
                self.stems.add(s)
                return w


def _yaml_io() -> tuple[Callable[[str], Any], Callable[[Any], str]]:
    """Load/dump like the pack loader reads: only true/false are booleans (`no`, `on` stay text)."""
    import re

    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in base.yaml_implicit_resolvers.items()}
    for first in "tTfF":
        Loader.yaml_implicit_resolvers.setdefault(first, []).append(
            ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return (lambda text: yaml.load(text, Loader=Loader),  # noqa: S506 - a safe loader
            lambda data: yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000))


def build_synthetic_pack(src: Path, dst: Path, triggers: int, replies: int, seed: int = 11) -> dict[str, int]:
    """Copy `src` to `dst` and add `triggers` trigger phrases and `replies` logical replies (all 4 languages)."""
    load, dump = _yaml_io()
    rng = random.Random(seed)
    shutil.copytree(src, dst)
    per_lang = triggers // len(LANGS)
    added_variants = 0
    new_replies = []
    reply_types = [INQUIRY_TYPES[i % len(INQUIRY_TYPES)] for i in range(replies)]
    for i, itype in enumerate(reply_types):
        new_replies.append({"id": f"{itype}/syn{i:05d}", "inquiry_type": itype,
                            "visibility": ("public", "private", "any")[i % 3],
                            "description": "synthetic reply for the benchmark"})
    if new_replies:
        rpath = dst / "replies.yaml"
        data = load(rpath.read_text(encoding="utf-8"))
        data["replies"].extend(new_replies)
        rpath.write_text(dump(data), encoding="utf-8")
    for lang in LANGS:
        maker = WordMaker(lang, random.Random(rng.random()))
        vocab = [maker.word() for _ in range(max(200, int(per_lang * 0.8)))]
        phrases: set[str] = set()
        while len(phrases) < per_lang:
            k = rng.choice((1, 1, 2, 2, 3))
            phrases.add(" ".join(rng.choice(vocab) for _ in range(k)))
        by_type: dict[str, list] = {t: [] for t in INQUIRY_TYPES}
        for j, p in enumerate(sorted(phrases)):
            by_type[INQUIRY_TYPES[j % len(INQUIRY_TYPES)]].append({"phrase": p, "weight": rng.randint(1, 5)})
        variants_by_type: dict[str, dict] = {t: {} for t in INQUIRY_TYPES}
        for rep_spec in new_replies:
            sentences = []
            for _ in range(2):
                ws = [rng.choice(vocab) for _ in range(rng.randint(6, 11))]
                sentences.append(" ".join(ws).capitalize() + ".")
            variants_by_type[rep_spec["inquiry_type"]][rep_spec["id"]] = {
                "approved": {"by": "Bench Bot (PR)", "on": dt.date(2026, 1, 1)},
                "body": "{{ greeting }}\n" + " ".join(sentences) + "\n{{ signature }}\n"}
            added_variants += 1
        for itype in INQUIRY_TYPES:
            path = dst / lang / f"{itype}.yaml"
            if not path.is_file():
                continue
            data = load(path.read_text(encoding="utf-8")) or {}
            rec = data.setdefault("recognition", {})
            rec.setdefault("triggers", []).extend(by_type[itype])
            data.setdefault("variants", {}).update(variants_by_type[itype])
            path.write_text(dump(data), encoding="utf-8")
    return {"added_triggers": per_lang * len(LANGS), "added_replies": len(new_replies),
            "added_variants": added_variants}


def count_pack(kit) -> tuple[int, int]:
    pack = kit._loaded.templates  # read-only peek for the report
    triggers = sum(len(tf.recognition.triggers) for data in pack.langs.values() for tf in data.types.values())
    return len(pack.variants), triggers


def bench_pack_growth(rep: Report, cfg: dict, tmp: Path) -> None:
    """Load time and suggest/check p50 on synthetic packs of growing size."""
    rep.section("6. growth with pack size (synthetic packs)")
    from replykit.kit import bundled_path

    src = bundled_path("templates")
    specs = {"bundled": (0, 0), "1k": (1_000, 0), "10k": (10_000, 0), "100k": (100_000, 0),
             "10k-templates": (20_000, 2_500)}
    names = ["bundled"] + [p for p in cfg["growth_packs"]]
    rows, out = [], {}
    posts = POSTS["da"]
    draft = draft_600("da")
    for name in names:
        add_triggers, add_replies = specs[name]
        folder = tmp / f"pack-{name}" / "templates"
        t = now()
        for attempt in range(5):  # the bundled pack may be mid-edit: copy again
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.parent.mkdir(parents=True)
            added = build_synthetic_pack(src, folder, add_triggers, add_replies)
            try:
                os.environ["REPLYKIT_NO_CACHE"] = "1"
                t_load = now()
                kit = load_kit(folder, tries=1)
                load_nocache = now() - t_load
                break
            except Exception as exc:  # noqa: BLE001
                if attempt == 4:
                    raise
                rep.line(f"  ({name}: {type(exc).__name__}: {str(exc)[:150]}; copying again)")
                time.sleep(3)
            finally:
                os.environ.pop("REPLYKIT_NO_CACHE", None)
        build_s = now() - t - load_nocache
        load_kit(folder)  # writes the cache
        t_load = now()
        kit = load_kit(folder)
        load_cached = now() - t_load
        variants, triggers = count_pack(kit)
        t_first = now()
        kit.suggest(posts[0], lang="da")
        first_suggest = now() - t_first
        it = iter(range(10 ** 9))
        sug = summary(timed(lambda: kit.suggest(posts[next(it) % len(posts)], lang="da"), cfg["growth_n"], warmup=5))
        for lang in LANGS:  # build every language model before the detection run
            kit.suggest(POSTS[lang][0], lang=lang)
        det = summary(timed(lambda: kit.suggest(POSTS[LANGS[next(it) % 4]][next(it) % len(posts)]),
                            cfg["growth_n"], warmup=8))
        t_first = now()
        kit.check(draft, **check_kwargs("da"))
        first_check = now() - t_first
        chk = summary(timed(lambda: kit.check(draft, **check_kwargs("da")), cfg["growth_n"], warmup=5))
        yaml_mb = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 1e6
        out[name] = {**added, "variants": variants, "triggers": triggers, "yaml_mb": yaml_mb,
                     "generate_s": build_s, "load_nocache_s": load_nocache, "load_cached_s": load_cached,
                     "first_suggest_da_s": first_suggest, "suggest_da": sug, "suggest_detect": det,
                     "first_check_da_s": first_check, "check_da": chk}
        rows.append([name, f"{variants:,}", f"{triggers:,}", f"{yaml_mb:.1f}", fmt(load_nocache), fmt(load_cached),
                     fmt(first_suggest), fmt(sug["p50_s"]), fmt(det["p50_s"]), fmt(first_check), fmt(chk["p50_s"])])
        kit = None  # let the pack go before the next size is built
    rep.table(["pack", "templates", "triggers", "YAML MB", "load (no cache)", "load (cached)", "1st suggest da",
               "suggest p50 da", "suggest p50 detect", "1st check da", "check p50 da"], rows)
    rep.line("  templates = variants (logical replies x languages); triggers = all languages. '1k/10k/100k' add")
    rep.line("  that many trigger phrases (spread over 4 languages x 11 types) to the bundled pack;")
    rep.line("  '10k-templates' adds 2,500 replies in 4 languages and 20,000 triggers. '1st suggest' builds")
    rep.line("  the language's model; '1st check' renders every variant for the closest-template search.")
    timeouts_line(rep, "section 6")
    rep.data["pack_growth"] = out
