"""replykit benchmark: one entry point, one readable report.

Run:  .venv/bin/python bench/run.py [--quick]      (or `make bench`)
Writes the printed figures to bench/results/latest.json as well.

What is measured, and how (all timings with time.perf_counter, single thread,
the bundled pack and rules unless said otherwise):

 1. check latency, warm: p50/p99 of `kit.check(draft, lang, channel,
    customer_name, agent_name)` on a ~600-character agent draft per language
    (da, no, nl, ru), every rule of the pack on (PII, spelling with Hunspell;
    grammar only if a LanguageTool is configured, which the report says).
    Also the first check per language (loads its dictionary) and a
    "new words" figure where the speller's per-word cache is cleared before
    each call (what a draft full of unseen words costs).
 2. suggest latency, warm: p50/p99 of `kit.suggest(post, ...)` over a few
    customer posts per language, once with `lang` given, once detecting it.
 3. batch throughput through the real CLI: `replykit check --jsonl FILE
    --json` and `replykit suggest --jsonl FILE --json` on a generated batch
    (2,400 lines; 400 with --quick; four languages, ~10 % of drafts with a planted problem);
    drafts/s over the whole process and with a 1-line batch's time taken off.
 4. cold CLI wall time (a fresh process each run, subprocess + perf_counter,
    median of N runs): `suggest TEXT --lang da`, `suggest TEXT` (detection),
    `check FILE --lang da`; with an empty pack cache (a fresh
    REPLYKIT_CACHE_DIR every run) and with a warm one.
 5. peak RSS (ru_maxrss of a child process, read with RUSAGE_CHILDREN in a
    small wrapper process) of: bare Python, kit loaded, kit + one check in
    each of the four languages (all spelling dictionaries), + suggest with
    language detection.
 6. growth with pack size: synthetic packs (the bundled templates/ copied to a
    temp dir plus pronounceable pseudo-words as extra trigger phrases and
    extra logical replies with a variant in every language): +1k, +10k,
    +100k trigger phrases, and 10,000 templates + 20,000 trigger phrases.
    Load time (cache off / cache hit), first suggest (builds the language
    model), suggest p50 and check p50 (closest-template search grows with
    the pack).
 7. growth with draft length: check p50 for 150, 600, 2,400, 9,600-character
    drafts per language.
 8. proselint (an English prose linter, pure-Python regexes) on the same
    ~600-character drafts, timed the same way, as a reference point; the
    report prints replykit/proselint ratios. proselint knows no da/no/nl/ru,
    so it is a yardstick for "a regex prose linter per draft", not a rival.

Nothing here asserts on time: it reports. The pack cache of every process
started here lives in a temporary folder, never in ~/.cache/replykit.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
LANGS = ("da", "no", "nl", "ru")
INQUIRY_TYPES = ("outage", "technical_issue", "billing", "product_question", "order_request", "complaint",
                 "criticism", "praise", "idea", "callback_request", "provocation")

# Iteration counts; a timed loop also stops once it has used its `budget_s` (after at least 20 calls),
# so a slow build of replykit still finishes in about the same time.
FULL = dict(check_n=1500, newword_n=60, suggest_n=1500, batch_lines=2400, batch_runs=3, cli_runs=7,
            length_n={150: 1000, 600: 500, 2400: 150, 9600: 40}, proselint_n=300, growth_n=300,
            growth_packs=("1k", "10k", "100k", "10k-templates"), budget_s=10.0)
QUICK = dict(check_n=150, newword_n=15, suggest_n=150, batch_lines=400, batch_runs=1, cli_runs=2,
             length_n={150: 60, 600: 30, 2400: 10, 9600: 3}, proselint_n=40, growth_n=30,
             growth_packs=("1k", "10k-templates"), budget_s=1.5)

# --------------------------------------------------------------------- texts
# Written for this benchmark (not taken from any eval set): what an agent of
# a telco would post on Facebook, about 600 characters each.

NAMES = {"da": ("Peter", "Sofie"), "no": ("Kari", "Sindre"), "nl": ("Sanne", "Bram"), "ru": ("Ольга", "Мария")}
GREETING = {"da": "Hej {c},", "no": "Hei {c},", "nl": "Hoi {c},", "ru": "{c}, здравствуйте."}
SIGNATURE = {"da": "Hilsen {a}", "no": "Hilsen {a}", "nl": "Groet, {a}", "ru": "{a}, Fibra"}

BODY = {
    "da": [
        "Tak fordi du skriver til os, og undskyld at dit internet har drillet i aftes.",
        "Jeg har kigget på din forbindelse, og der var en fejl på et kabel i dit område, som vores teknikere "
        "har rettet i løbet af natten.",
        "Det burde virke normalt igen nu.",
        "Hvis routeren stadig blinker rødt, så prøv at slukke den i et halvt minut og tænde den igen.",
        "Virker det stadig ikke efter det, så send os en privat besked, så kigger vi på det sammen og finder "
        "en tid til en tekniker.",
        "Du kan altid følge driftsstatus på fibra.dk/drift.",
        "Vi beklager ulejligheden og håber, at du får en god dag.",
    ],
    "no": [
        "Takk for at du tar kontakt, og beklager at mobilnettet har vært ustabilt hos deg denne uken.",
        "Jeg har sjekket abonnementet ditt, og alt ser riktig ut hos oss.",
        "Vi har hatt vedlikeholdsarbeid på en mast i nærheten, og det kan ha gitt dårligere dekning i noen timer.",
        "Arbeidet ble ferdig i går kveld, så forbindelsen skal nå være tilbake som normalt.",
        "Hvis du fortsatt mister signalet, kan du prøve å starte telefonen på nytt.",
        "Send oss gjerne en privat melding om når og hvor det skjer, så ser vi nærmere på det sammen.",
        "Status for nettet finner du på fibra.no/drift.",
    ],
    "nl": [
        "Bedankt voor je bericht, en vervelend dat je televisie sinds gisteravond geen beeld meer geeft.",
        "Ik heb even meegekeken en zie dat je ontvanger geen verbinding meer maakt met ons netwerk.",
        "Wil je de ontvanger een halve minuut van de stroom halen en daarna opnieuw opstarten?",
        "Vaak is het probleem daarmee al opgelost.",
        "Lukt het daarna nog steeds niet, stuur ons dan een privébericht, dan plannen we samen een afspraak "
        "met een monteur op een moment dat jou goed uitkomt.",
        "Op fibra.nl/storingen kun je altijd zien of er een storing in jouw buurt is.",
        "Fijne avond!",
    ],
    "ru": [
        "Спасибо, что написали нам, и извините за неудобства с интернетом.",
        "Я проверила линию по вашему адресу: вчера вечером на нашем оборудовании в вашем районе была авария, "
        "и сейчас специалисты уже всё восстановили.",
        "Если соединение всё ещё нестабильно, пожалуйста, перезагрузите роутер: выключите его на тридцать "
        "секунд и включите снова.",
        "Если и после этого интернет не заработает, напишите нам в личные сообщения, и мы назначим визит "
        "мастера на удобное для вас время.",
        "Следить за работой сети можно на странице fibra.ru/status.",
    ],
}
EXTRA = {  # more sentences of the same kind, for batches and long drafts
    "da": [
        "Jeg har også sendt en ny opsætningsguide til din e-mail, så du har den ved hånden.",
        "Hvis du vil, kan vi flytte besøget til et tidspunkt, der passer dig bedre.",
        "Din næste regning bliver reduceret, så du ikke betaler for de dage, hvor forbindelsen var nede.",
        "Husk, at du også kan se dit forbrug og dine regninger i appen.",
        "Vi har noteret din henvendelse, så mine kolleger kan se hele forløbet, hvis du skriver igen.",
        "Tak for din tålmodighed, mens vi fik styr på det.",
    ],
    "no": [
        "Jeg har også sendt deg en ny veiledning på e-post, så du har den for hånden.",
        "Hvis det passer bedre, kan vi flytte teknikerbesøket til en annen dag.",
        "Neste faktura blir justert, slik at du ikke betaler for dagene uten dekning.",
        "Du kan også se forbruket ditt og fakturaene dine i appen.",
        "Vi har notert henvendelsen din, slik at kollegene mine ser hele saken hvis du skriver igjen.",
        "Takk for tålmodigheten mens vi fikset dette.",
    ],
    "nl": [
        "Ik heb je ook een nieuwe installatiehandleiding gemaild, zodat je die bij de hand hebt.",
        "Als het beter uitkomt, kunnen we de afspraak met de monteur naar een andere dag verplaatsen.",
        "Je volgende rekening wordt aangepast, zodat je niet betaalt voor de dagen zonder verbinding.",
        "In de app kun je ook altijd je verbruik en je facturen bekijken.",
        "Ik heb je vraag genoteerd, zodat mijn collega's het hele verhaal zien als je nog eens schrijft.",
        "Bedankt voor je geduld terwijl we dit oplosten.",
    ],
    "ru": [
        "Я также отправила вам на почту новую инструкцию по настройке, чтобы она была под рукой.",
        "Если вам так удобнее, мы можем перенести визит мастера на другой день.",
        "Следующий счёт будет уменьшен, чтобы вы не платили за дни без связи.",
        "Расход трафика и счета всегда можно посмотреть в мобильном приложении.",
        "Я записала ваше обращение, поэтому мои коллеги увидят всю историю, если вы напишете снова.",
        "Спасибо за терпение, пока мы всё исправляли.",
    ],
}
PROBLEMS = {  # one is planted in ~10 % of batch drafts: PII, typo, blame, shouting
    "da": ["Ring til mig på 22 33 44 55.", "Du modtagger en bekræftelse.", "Dit CPR-nummer 120385-1234 er registreret.",
           "Det er ikke vores problem, at du ikke har læst driftsbeskeden!!", "DET VIRKER NU, SÅ SLAP AF."],
    "no": ["Ring meg på 912 34 567.", "Fødselsnummeret 01019010046 stemmer ikke.", "Du får en bekreftelsse på e-post.",
           "Det er ikke vår feil at du ikke leste meldingen!!", "DET FUNGERER NÅ, SÅ SLAPP AV."],
    "nl": ["Je BSN 111222333 is bij ons bekend.", "Je krijgt een bevestigingg per mail.", "Bel me op 06-12345678.",
           "Dat is niet ons probleem, had je het bericht maar moeten lezen!!", "HET WERKT NU GEWOON WEER."],
    "ru": ["Ваш ИНН 7707083893 указан в договоре.", "Мы отправим вам потверждение.",
           "Позвоните мне по номеру +7 912 345-67-89.", "Это не наша проблема, надо было читать уведомление!!",
           "ВСЁ УЖЕ РАБОТАЕТ, НЕ ПИШИТЕ БОЛЬШЕ."],
}
POSTS = {  # customers' posts, for suggest
    "da": ["Hvorfor er mit internet nede igen?? Tredje gang på en uge, og jeg arbejder hjemmefra",
           "Jeg er blevet trukket to gange for samme regning denne måned. Hvad sker der?",
           "Hvad koster det at skifte til 1000 Mbit, og kan jeg beholde min router?",
           "Kæmpe ros til teknikeren der var her i dag, super flink og hurtig!",
           "Min router blinker orange og wifi falder ud hele tiden om aftenen"],
    "no": ["Er det noe feil med nettet i Bergen nå? Har ikke hatt internett siden i morges",
           "Hvorfor har fakturaen min økt med 200 kroner uten at jeg har fått beskjed?",
           "Jeg vil gjerne bestille fiber til den nye leiligheten min, hvordan gjør jeg det?",
           "Tusen takk for rask hjelp i chatten i går, dere er best",
           "Mobilen mister dekning hver gang jeg går inn i kjelleren, kan dere fikse det?"],
    "nl": ["Al de hele middag geen internet in Utrecht, is er een storing?",
           "Waarom is mijn factuur deze maand ineens 15 euro hoger? Niks veranderd aan mijn abonnement",
           "Kan ik mijn abonnement ook opzeggen via de app of moet ik bellen?",
           "Top geholpen door de monteur vanochtend, echt heel vriendelijk!",
           "Mijn tv-ontvanger blijft maar opnieuw opstarten, wat kan ik doen?"],
    "ru": ["Почему опять нет интернета? Второй день сижу без связи, когда почините?",
           "Мне пришёл счёт в два раза больше обычного, объясните, пожалуйста, за что",
           "Подскажите, можно ли подключить домашний интернет в новостройке на Ленина?",
           "Спасибо мастеру Алексею, всё быстро настроил и объяснил!",
           "Роутер постоянно перезагружается, вайфай пропадает каждые полчаса"],
}
CLI_POST = "Mit net er nede igen!! Hele vejen er uden internet"  # the Makefile's demo post


def compose(lang: str, sentences: list[str], customer: str | None = None, agent: str | None = None) -> str:
    c, a = NAMES[lang]
    return "\n".join([GREETING[lang].format(c=customer or c), " ".join(sentences),
                      SIGNATURE[lang].format(a=agent or a)])


def draft_600(lang: str) -> str:
    return compose(lang, BODY[lang])


def draft_of_length(lang: str, target: int) -> str:
    """Greeting + sentences (cycling through the pool) + signature, `target` characters give or take a word."""
    pool = BODY[lang] + EXTRA[lang]
    frame = len(compose(lang, [""]))
    body, i = "", 0
    while len(body) < target - frame:
        body = (body + " " + pool[i % len(pool)]).strip()
        i += 1
    cut = body[:max(1, target - frame - 1)]
    if cut != body:  # end on a whole word with a full stop
        cut = cut.rsplit(" ", 1)[0].rstrip(",:;") + "."
    return compose(lang, [cut])


# ------------------------------------------------------------------- helpers


def now() -> float:
    return time.perf_counter()


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"n": len(samples), "p50_s": pct(samples, 50), "p99_s": pct(samples, 99),
            "mean_s": statistics.fmean(samples), "min_s": min(samples)}


def timed(fn: Callable[[], Any], n: int, warmup: int = 5, budget_s: float | None = None) -> list[float]:
    """n timed calls after `warmup` untimed ones; stops early once `budget_s` is spent (>= 20 calls)."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    start = now()
    for _ in range(n):
        t = now()
        fn()
        out.append(now() - t)
        if budget_s is not None and len(out) >= 20 and now() - start > budget_s:
            break
    return out


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_mb(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


class Report:
    """Prints as it goes; collects the same figures for latest.json."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {"sections": {}}
        self._open: tuple[str, float, float, bool] | None = None

    def section(self, title: str, in_process: bool = True) -> None:
        """Start a section; the previous one ends with its wall time and the machine's load."""
        self.end_section()
        self._open = (title, now(), time.process_time(), in_process)
        print(f"\n== {title} " + "=" * max(0, 72 - len(title)), flush=True)

    def end_section(self) -> None:
        if self._open is None:
            return
        title, wall0, cpu0, in_process = self._open
        wall, cpu = now() - wall0, time.process_time() - cpu0
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        share = f", on CPU {cpu / wall:.0%} of it" if in_process and wall > 0 else ""
        print(f"  [{wall:.1f} s wall{share}; load avg {load:.2f}]", flush=True)
        self.data["sections"][title.split(".")[0]] = {"wall_s": wall, "cpu_s": cpu, "loadavg_1m": load}
        self._open = None

    def line(self, text: str = "") -> None:
        print(text, flush=True)

    def table(self, header: list[str], rows: list[list[Any]]) -> None:
        cells = [header] + [[str(c) for c in r] for r in rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        for k, r in enumerate(cells):
            print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
            if k == 0:
                print("  " + "  ".join("-" * w for w in widths))
        sys.stdout.flush()


def cli_path() -> str:
    beside = Path(sys.executable).parent / "replykit"
    return str(beside) if beside.exists() else (shutil.which("replykit") or "replykit")


def base_env(cache_dir: str | Path) -> dict[str, str]:
    env = dict(os.environ)
    env["REPLYKIT_CACHE_DIR"] = str(cache_dir)
    env.pop("REPLYKIT_NO_CACHE", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t = now()
    proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True)
    return now() - t, proc


def load_kit(templates: str | Path | None = None, tries: int = 8):
    """ReplyKit.load(), retried: the bundled pack may be mid-edit for a moment."""
    from replykit import ReplyKit

    for attempt in range(tries):
        try:
            return ReplyKit.load(templates)
        except Exception as exc:  # noqa: BLE001 - report and retry
            if attempt == tries - 1:
                raise
            print(f"  (pack did not load: {type(exc).__name__}: {str(exc)[:120]}; retrying)", flush=True)
            time.sleep(3)
    raise AssertionError("unreachable")


def clear_word_caches() -> bool:
    """Forget the speller's per-word verdicts (an internal cache; False if it is not there)."""
    try:
        from replykit.check.detectors.spelling import SpellingDetector

        SpellingDetector._check_word.cache_clear()  # type: ignore[attr-defined]
        SpellingDetector._suggest.cache_clear()  # type: ignore[attr-defined]
        return True
    except Exception:  # noqa: BLE001
        return False


class TimeoutCounter:
    """Counts replykit's "rule ... was cut short" warnings instead of printing them."""

    def __init__(self) -> None:
        import logging

        self.counts: dict[str, int] = {}
        counter = self

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                key = str(record.args[0]) if record.args else record.getMessage()
                counter.counts[key] = counter.counts.get(key, 0) + 1

        log = logging.getLogger("replykit.check")
        log.addHandler(Handler())
        log.propagate = False

    def take(self) -> dict[str, int]:
        out, self.counts = self.counts, {}
        return out


TIMEOUTS: TimeoutCounter | None = None


def timeouts_line(rep: Report, what: str) -> dict[str, int]:
    counts = TIMEOUTS.take() if TIMEOUTS else {}
    if counts:
        rep.line(f"  ! rules that could not run (internal.* findings: timeout, detector error) during {what}: "
                 + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
                 + " (each gives a fail-closed finding, so the verdict of a clean draft is not 'ok')")
    return counts


def rule_costs(kit, lang: str, draft: str, repeat: int = 15) -> list[tuple[float, str]]:
    """Median time of each rule of `lang` on `draft` (internal API; [] if it has changed)."""
    try:
        from collections import defaultdict

        from replykit.check.engine import make_context

        c, a = NAMES[lang]
        lang_rules = kit._loaded.rules.for_lang(lang)
        ctx = make_context(draft, lang, "facebook", customer_name=c, agent_name=a)
        if ctx.lowered is not None and hasattr(lang_rules, "prefilter"):
            ctx.present = lang_rules.prefilter.present(ctx.lowered)  # as the engine does
        per_rule: dict[int, list] = defaultdict(list)
        for m in lang_rules.phrases.finditer(ctx.tokens):
            ri, pi = m.payload
            per_rule[ri].append(type(m)(pi, m.first, m.last, m.start, m.end))
        costs = []
        for i, rule in enumerate(lang_rules.rules):
            if not rule.applies(ctx):
                continue
            samples = []
            for _ in range(repeat):
                t = now()
                try:
                    if not (rule.unless and rule.silenced(ctx)):
                        rule.run(rule, ctx, per_rule.get(i, []))
                except Exception:  # noqa: BLE001 - a timeout still costs its time
                    pass
                samples.append(now() - t)
            costs.append((statistics.median(samples), rule.id))
        return sorted(costs, reverse=True)
    except Exception:  # noqa: BLE001
        return []


def check_kwargs(lang: str) -> dict[str, str]:
    c, a = NAMES[lang]
    return {"lang": lang, "channel": "facebook", "customer_name": c, "agent_name": a}


# -------------------------------------------------------------- 0. machine


def machine_info(rep: Report, quick: bool) -> None:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        from importlib.metadata import version

        rk_version = version("replykit")
    except Exception:  # noqa: BLE001
        rk_version = "?"
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info = {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "replykit": rk_version, "mode": "quick" if quick else "full",
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "loadavg": list(load) if load else None}
    rep.data["machine"] = info
    rep.line(f"replykit benchmark ({info['mode']})   {info['started']}")
    rep.line(f"  CPU     {cpu}, {os.cpu_count()} cores ({usable} usable), load avg "
             f"{' '.join(f'{x:.2f}' for x in load) if load else '?'}")
    rep.line(f"  Python  {info['implementation']} {info['python']} on {info['platform']}")
    rep.line(f"  replykit {rk_version}, checkout {ROOT}")


# ------------------------------------------------------- 1. check latency


def bench_check_latency(rep: Report, kit, cfg: dict) -> dict[str, float]:
    """Warm p50/p99 of check on the ~600-char draft of each language."""
    rep.section("1. check latency (warm, ~600-char draft, all rules, single thread)")
    rows, out, p50s = [], {}, {}
    grammar_note = None
    for lang in LANGS:
        draft = draft_600(lang)
        kw = check_kwargs(lang)
        t = now()
        first = kit.check(draft, **kw)
        first_s = now() - t
        for n in first.notices:
            if n.startswith("grammar"):
                grammar_note = n
        samples = timed(lambda: kit.check(draft, **kw), cfg["check_n"], warmup=20, budget_s=cfg["budget_s"])
        s = summary(samples)
        fresh = None
        if clear_word_caches():
            fresh_samples = []
            for _ in range(cfg["newword_n"]):
                clear_word_caches()
                t = now()
                kit.check(draft, **kw)
                fresh_samples.append(now() - t)
            fresh = pct(fresh_samples, 50)
        p50s[lang] = s["p50_s"]
        out[lang] = {**s, "chars": len(draft), "verdict": first.verdict, "findings": len(first.findings),
                     "first_call_s": first_s, "new_words_p50_s": fresh}
        rows.append([lang, len(draft), s["n"], fmt(s["p50_s"]), fmt(s["p99_s"]), fmt(s["mean_s"]), fmt(fresh),
                     fmt(first_s), f"{first.verdict}/{len(first.findings)}"])
    rep.table(["lang", "chars", "n", "p50", "p99", "mean", "p50 new words", "1st call", "verdict/findings"], rows)
    rep.line("  p50/p99: the same draft again and again (speller word cache hot). 'new words': the speller's")
    rep.line("  word cache cleared before each call. '1st call': first check of that language in this process")
    rep.line("  (loads its Hunspell dictionaries).")
    if grammar_note:
        rep.line(f"  note: {grammar_note}")
    rep.line("  slowest rules per language (same draft, each rule alone, median of 15):")
    for lang in LANGS:
        costs = rule_costs(kit, lang, draft_600(lang))
        total = sum(c for c, _ in costs) or 1.0
        out[lang]["slowest_rules"] = [{"rule": r, "s": c} for c, r in costs[:3]]
        if costs:
            rep.line(f"    {lang}: " + ", ".join(f"{r} {fmt(c)} ({c / total:.0%})" for c, r in costs[:3])
                     + f"; all {len(costs)} rules {fmt(total)}")
    real = _real_drafts_latency(kit, repeat=3 if cfg is QUICK else 10)
    if real:
        rep.line(f"  the {real['n']} drafts of ../shared/eval-dev (mean {real['mean_chars']:.0f} characters, "
                 f"digits, names, problems included): p50 {fmt(real['p50'])}, p90 {fmt(real['p90'])}")
    timeouts = timeouts_line(rep, "section 1")
    rep.data["check_latency"] = {"iterations": cfg["check_n"], "grammar": grammar_note or "ran", "per_lang": out,
                                 "pattern_timeouts": timeouts, "eval_dev_drafts": real}
    return p50s


def _real_drafts_latency(kit, repeat: int) -> dict[str, float] | None:
    """check over the shared dev set's drafts (real wording, varied length), warm."""
    folder = ROOT.parent / "shared" / "eval-dev"
    rows = [json.loads(line) for path in sorted(folder.glob("*.drafts.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        return None

    def one(d: dict) -> None:
        kit.check(d["draft"], lang=d["lang"], channel=d["channel"], customer_name=d.get("customer_name"),
                  agent_name=d.get("agent_name"))
    for d in rows:
        one(d)
    samples = []
    for _ in range(repeat):
        for d in rows:
            t = now()
            one(d)
            samples.append(now() - t)
    samples.sort()
    return {"n": len(rows), "mean_chars": statistics.mean(len(d["draft"]) for d in rows),
            "p50": statistics.median(samples), "p90": samples[int(len(samples) * 0.9)]}


# ----------------------------------------------------- 2. suggest latency


def bench_suggest_latency(rep: Report, kit, cfg: dict) -> None:
    """Warm p50/p99 of suggest over each language's posts, lang given vs detected."""
    rep.section("2. suggest latency (warm, bundled pack)")
    rows, out = [], {}
    wrong = []
    t = now()
    kit.suggest(POSTS["nl"][0])  # may load the language detector's models
    first_detect = now() - t
    for lang in LANGS:
        posts = POSTS[lang]
        for mode in ("lang given", "detected"):
            kw = {"lang": lang} if mode == "lang given" else {}
            it = iter(range(10 ** 9))
            fn = lambda: kit.suggest(posts[next(it) % len(posts)], channel="facebook",  # noqa: E731
                                     variables={"agent_name": NAMES[lang][1]}, **kw)
            s = summary(timed(fn, cfg["suggest_n"], warmup=len(posts)))
            out.setdefault(lang, {})[mode] = s
            rows.append([lang, mode, fmt(s["p50_s"]), fmt(s["p99_s"]), fmt(s["mean_s"])])
        for p in posts:
            got = kit.suggest(p).lang
            if got != lang:
                wrong.append(f"{lang}->{got}: {p[:50]}")
    rep.table(["lang", "mode", "p50", "p99", "mean"], rows)
    rep.line(f"  first suggest with detection in this process: {fmt(first_detect)} (loads the detector)")
    rep.line(f"  posts per language: {len(POSTS['da'])}, cycled; top=3, channel=facebook; "
             f"detection errors on these posts: {len(wrong)}" + (f" ({'; '.join(wrong)})" if wrong else ""))
    rep.data["suggest_latency"] = {"iterations": cfg["suggest_n"], "first_detect_s": first_detect,
                                   "detection_errors": wrong, "per_lang": out}


# ---------------------------------------------------- 3. CLI batch throughput


def make_batches(n: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    firsts = {"da": ["Peter", "Mette", "Lars", "Anne", "Jens"], "no": ["Kari", "Ola", "Ingrid", "Lars", "Nora"],
              "nl": ["Sanne", "Daan", "Emma", "Bram", "Lotte"], "ru": ["Ольга", "Иван", "Анна", "Сергей", "Елена"]}
    agents = {"da": ["Sofie", "Jonas"], "no": ["Sindre", "Ida"], "nl": ["Bram", "Ruud"], "ru": ["Мария", "Дмитрий"]}
    checks, suggests = [], []
    for i in range(n):
        lang = LANGS[i % 4]
        pool = BODY[lang] + EXTRA[lang]
        sentences = rng.sample(pool, rng.randint(3, 6))
        if rng.random() < 0.10:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(PROBLEMS[lang]))
        c, a = rng.choice(firsts[lang]), rng.choice(agents[lang])
        rec: dict[str, Any] = {"id": f"c{i}", "draft": compose(lang, sentences, c, a),
                               "channel": rng.choice(["facebook", "twitter", "dm", "email"]),
                               "customer_name": c, "agent_name": a}
        if rng.random() < 0.75:
            rec["lang"] = lang
        if rng.random() < 0.25:
            rec["inquiry"] = rng.choice(POSTS[lang])
        checks.append(rec)
        srec: dict[str, Any] = {"id": f"s{i}", "text": rng.choice(POSTS[lang]),
                                "channel": rng.choice(["facebook", "dm"]),
                                "variables": {"customer_name": c, "agent_name": a}}
        if rng.random() < 0.5:
            srec["lang"] = lang
        suggests.append(srec)
    return checks, suggests


def bench_cli_throughput(rep: Report, cfg: dict, tmp: Path, cache_dir: Path) -> None:
    """drafts/s of `replykit check|suggest --jsonl FILE --json` on generated batches of two sizes."""
    rep.section("3. batch throughput through the CLI (--jsonl, one process)", in_process=False)
    n = cfg["batch_lines"]
    big = n * 4
    checks, suggests = make_batches(big)
    env = base_env(cache_dir)
    cli = cli_path()
    rows, out = [], {}
    for cmd, all_recs in (("check", checks), ("suggest", suggests)):
        one = tmp / f"{cmd}-1.jsonl"
        one.write_text(json.dumps(all_recs[0], ensure_ascii=False) + "\n", encoding="utf-8")
        run([cli, cmd, "--jsonl", str(one), "--json"], env)  # prime the pack cache
        one_s = statistics.median(run([cli, cmd, "--jsonl", str(one), "--json"], env)[0]
                                  for _ in range(cfg["batch_runs"]))
        walls_by_size: dict[int, float] = {}
        for size in (n, big):
            recs = all_recs[:size]
            path = tmp / f"{cmd}-{size}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
            walls, proc = [], None
            for _ in range(cfg["batch_runs"]):
                wall, proc = run([cli, cmd, "--jsonl", str(path), "--json"], env)
                walls.append(wall)
            wall = statistics.median(walls)
            walls_by_size[size] = wall
            lines = [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]
            errors = sum(1 for x in lines if "error" in x)
            if cmd == "check":
                kinds: dict[str, int] = {}
                for x in lines:
                    kinds[x.get("verdict", "error")] = kinds.get(x.get("verdict", "error"), 0) + 1
                detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
                cut = sum(1 for x in lines if any(f.get("rule_id", "").startswith("internal.")
                                                  for f in x.get("findings", [])))
                if cut:
                    detail += f"; {cut} drafts with a rule that could not run (internal.*)"
            else:
                detail = f"{sum(1 for x in lines if x.get('lang_detected'))} with detected language"
            out[f"{cmd}_{size}"] = {"lines": size, "wall_s": wall, "runs": walls, "one_line_wall_s": one_s,
                                    "per_s": size / wall, "exit": proc.returncode, "errors": errors,
                                    "output_lines": len(lines), "detail": detail}
            rows.append([cmd, size, fmt(wall), f"{size / wall:,.0f}", proc.returncode,
                         f"{len(lines)} out, {errors} errors"])
            rep.line(f"  {cmd} x{size}: {detail}")
            if proc.returncode == 2 or len(lines) != size:
                rep.line(f"  ! {cmd}: exit {proc.returncode}, stderr: {proc.stderr.strip()[:200]}")
        extra = walls_by_size[big] - walls_by_size[n]
        steady = (big - n) / extra if extra > 0 else None
        out[f"{cmd}_steady_per_s"] = steady
        out[f"{cmd}_fixed_s"] = walls_by_size[n] - n / steady if steady else None
        rows.append([cmd, "steady", "-", f"{steady:,.0f}" if steady else "-", "-",
                     f"fixed cost {walls_by_size[n] - n / steady:.2f} s" if steady else "-"])
    rep.table(["command", "lines", "wall", "lines/s", "exit", "output"], rows)
    rep.line("  batch: da/no/nl/ru in turn, 3-6 sentences per draft, ~10 % with a planted problem (PII, typo,")
    rep.line("  blame, shouting), 75 % with lang given, 25 % with the inquiry; suggest: 50 % with lang.")
    rep.line("  'steady' = the extra lines of the big batch / its extra wall time: the rate once the process")
    rep.line("  runs (start-up, pack load, the four Hunspell dictionaries and first-seen words excluded);")
    rep.line("  'fixed cost' = what the small batch spent on those. check exits 1 when a draft is blocked.")
    rep.data["cli_throughput"] = out


# ------------------------------------------------------------ 4. cold CLI


def bench_cli_cold(rep: Report, cfg: dict, tmp: Path) -> None:
    """Wall time of fresh CLI processes, pack cache empty vs primed."""
    rep.section(f"4. cold CLI wall time (fresh process each run, median of {cfg['cli_runs']})", in_process=False)
    cli = cli_path()
    draft_file = tmp / "draft-da.txt"
    draft_file.write_text(draft_600("da"), encoding="utf-8")
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "replykit --version": [cli, "--version"],
        "suggest TEXT --lang da": [cli, "suggest", CLI_POST, "--lang", "da"],
        "suggest TEXT (detect)": [cli, "suggest", CLI_POST],
        "check FILE --lang da": [cli, "check", str(draft_file), "--lang", "da"],
    }
    warm_dir = tmp / "cli-warm-cache"
    rows, out = [], {}
    for name, cmd in commands.items():
        res: dict[str, Any] = {}
        for mode in ("cold cache", "warm cache"):
            if name.startswith(("python", "replykit --")) and mode == "cold cache":
                continue
            walls = []
            if mode == "warm cache":
                run(cmd, base_env(warm_dir))  # prime
            for i in range(cfg["cli_runs"]):
                cache = tmp / f"cli-cold-{len(out)}-{i}" if mode == "cold cache" else warm_dir
                wall, proc = run(cmd, base_env(cache))
                if proc.returncode not in (0, 1):
                    rep.line(f"  ! {name}: exit {proc.returncode}: {proc.stderr.strip()[:200]}")
                walls.append(wall)
            res[mode] = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                         "runs": walls}
        out[name] = res
        rows.append([name, fmt(res.get("cold cache", {}).get("median_s")), fmt(res["warm cache"]["median_s"]),
                     fmt(res["warm cache"]["min_s"]), fmt(res["warm cache"]["max_s"])])
    rep.table(["command", "cold cache", "warm cache", "warm min", "warm max"], rows)
    rep.line("  cold cache: REPLYKIT_CACHE_DIR is a new empty folder every run (pack parsed and validated);")
    rep.line("  warm cache: a folder primed once. The OS file cache is warm in both.")
    rep.data["cli_cold"] = {"runs": cfg["cli_runs"], "post": CLI_POST, "commands": out}


# ---------------------------------------------------------------- 5. memory

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


# ----------------------------------------------------------- 6. pack growth

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
        del kit
    rep.table(["pack", "templates", "triggers", "YAML MB", "load (no cache)", "load (cached)", "1st suggest da",
               "suggest p50 da", "suggest p50 detect", "1st check da", "check p50 da"], rows)
    rep.line("  templates = variants (logical replies x languages); triggers = all languages. '1k/10k/100k' add")
    rep.line("  that many trigger phrases (spread over 4 languages x 11 types) to the bundled pack;")
    rep.line("  '10k-templates' adds 2,500 replies in 4 languages and 20,000 triggers. '1st suggest' builds")
    rep.line("  the language's model; '1st check' renders every variant for the closest-template search.")
    timeouts_line(rep, "section 6")
    rep.data["pack_growth"] = out


# --------------------------------------------------------- 7. draft length


def bench_draft_length(rep: Report, kit, cfg: dict) -> None:
    """check p50 for drafts of 150, 600, 2,400 and 9,600 characters."""
    rep.section("7. growth with draft length (check p50, warm)")
    rows, out = [], {}
    not_ok = []
    for lang in LANGS:
        row: list[Any] = [lang]
        for target, n in cfg["length_n"].items():
            draft = draft_of_length(lang, target)
            kw = check_kwargs(lang)
            result = kit.check(draft, **kw)
            if result.verdict != "ok":
                not_ok.append(f"{lang} {len(draft)} chars: {result.verdict} "
                              f"({', '.join(sorted({f.rule_id for f in result.findings}))})")
            s = summary(timed(lambda: kit.check(draft, **kw), n, warmup=3, budget_s=cfg["budget_s"] / 2))
            out.setdefault(lang, {})[str(target)] = {**s, "chars": len(draft), "verdict": result.verdict}
            row.append(f"{fmt(s['p50_s'])} ({len(draft)})")
        p150, p9600 = out[lang]["150"]["p50_s"], out[lang]["9600"]["p50_s"]
        row.append(f"{p9600 / p150:.0f}x")
        rows.append(row)
    rep.table(["lang"] + [f"~{t:,} chars" for t in cfg["length_n"]] + ["9.6k/150"], rows)
    rep.line("  (actual length in brackets; long drafts repeat the sentence pool, so the speller cache is hot)")
    rep.line("  verdicts: " + ("all ok" if not not_ok else "not ok: " + "; ".join(not_ok)))
    rep.line("  (the texts are clean agent prose; a 150-char one may rightly lack a next step)")
    timeouts = timeouts_line(rep, "section 7")
    rep.data["draft_length"] = {"per_lang": out, "not_ok": not_ok, "pattern_timeouts": timeouts}


# -------------------------------------------------------------- 8. proselint


def proselint_linter() -> tuple[Callable[[str], Any] | None, str]:
    """proselint's lint function for whichever version is installed."""
    try:
        from importlib.metadata import version

        ver = version("proselint")
    except Exception:  # noqa: BLE001
        return None, "not installed (.venv/bin/pip install proselint)"
    try:  # 0.16+: LintFile(...).lint() over a registry the caller fills
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile

        registry = CheckRegistry()
        if not registry.checks:
            registry.register_many(__register__)
        return (lambda text: LintFile("<bench>", text).lint()), ver
    except ImportError:
        pass
    try:  # up to 0.14
        from proselint.tools import lint

        return lint, ver
    except ImportError as exc:
        return None, f"{ver}: no known API ({exc})"


def bench_proselint(rep: Report, cfg: dict, check_p50: dict[str, float]) -> None:
    """proselint on the same ~600-char drafts, and the replykit/proselint ratio."""
    rep.section("8. proselint on the same drafts (reference point)")
    lint, ver = proselint_linter()
    if lint is None:
        rep.line(f"  proselint: {ver}; skipped")
        rep.data["proselint"] = {"skipped": ver}
        return
    rows, out = [], {}
    for lang in LANGS:
        draft = draft_600(lang)
        t = now()
        results = lint(draft)
        first = now() - t
        s = summary(timed(lambda: lint(draft), cfg["proselint_n"], warmup=3))
        ratio = check_p50[lang] / s["p50_s"]
        out[lang] = {**s, "first_call_s": first, "findings": len(list(results)), "replykit_p50_s": check_p50[lang],
                     "ratio_replykit_over_proselint": ratio}
        rows.append([lang, fmt(check_p50[lang]), fmt(s["p50_s"]), fmt(s["p99_s"]), f"{ratio:.2f}", len(results)])
    rep.table(["lang", "replykit check p50", "proselint p50", "proselint p99", "replykit/proselint",
               "proselint findings"], rows)
    rep.line(f"  proselint {ver}, all default checks; it is English-only, so on these drafts it mostly finds")
    rep.line("  nothing: its time is the cost of running its ~100 regex checks over 600 characters.")
    rep.data["proselint"] = {"version": ver, "per_lang": out}


# -------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer iterations, smaller packs: under a minute")
    ap.add_argument("--only", nargs="*", metavar="N", help="run only these sections (1-9)")
    args = ap.parse_args()
    cfg = QUICK if args.quick else FULL
    only = set(args.only or "123456789")
    rep = Report()
    t0 = now()
    machine_info(rep, args.quick)
    rep.data["config"] = {k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()})
                          for k, v in cfg.items()}
    tmp = Path(tempfile.mkdtemp(prefix="replykit-bench-"))
    cache_dir = tmp / "cache"
    os.environ["REPLYKIT_CACHE_DIR"] = str(cache_dir)  # keep ~/.cache/replykit out of it
    global TIMEOUTS
    TIMEOUTS = TimeoutCounter()
    try:
        kit = load_kit()
        check_p50: dict[str, float] = {}
        if "1" in only or "8" in only:
            check_p50 = bench_check_latency(rep, kit, cfg)
        if "2" in only:
            bench_suggest_latency(rep, kit, cfg)
        if "3" in only:
            bench_cli_throughput(rep, cfg, tmp, cache_dir)
        if "4" in only:
            bench_cli_cold(rep, cfg, tmp)
        if "5" in only:
            bench_memory(rep, tmp, cache_dir)
        if "6" in only:
            bench_pack_growth(rep, cfg, tmp)
        if "7" in only:
            bench_draft_length(rep, kit, cfg)
        if "8" in only:
            bench_proselint(rep, cfg, check_p50)
        if "9" in only:
            from judgement import bench_judgement

            bench_judgement(rep, kit, cfg, sys.modules[__name__])
        __import__("adversarial").bench_adversarial(rep, kit, args.only)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rep.end_section()
    total = now() - t0
    rep.data["total_s"] = total
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rep.data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    rep.line(f"\ntotal {total:.0f} s; figures also in {RESULTS.relative_to(ROOT)}")
    rep.line("(a load average above the core count, or a section on CPU well under 100 %, means other work")
    rep.line(" shared the machine: its figures are then upper bounds)")


if __name__ == "__main__":
    main()
