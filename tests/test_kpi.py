"""`replykit kpi`: response-time figures checked against a plain-Python computation, bad rows,
column mapping, the three input formats, the seeded check share, the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb", reason="duckdb not installed (pip install -e '.[dev]')")

from kpi_exports import REPLIES, expected, make_rows, write_csv, write_jsonl  # noqa: E402

from replykit.errors import InputError  # noqa: E402
from replykit.kpi import levels, source  # noqa: E402
from replykit.kpi.recheck import KitSpec, check_rows, check_share  # noqa: E402
from replykit.kpi.report import make_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HOUR = levels.ServiceLevels("options", levels.DEFAULT_FIRST, levels.DEFAULT_SOLUTION)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return make_rows()


@pytest.fixture(scope="module")
def exports(rows, tmp_path_factory) -> dict[str, Path]:
    import duckdb

    folder = tmp_path_factory.mktemp("kpi")
    csv_path = write_csv(rows, folder / "replies.csv")
    jsonl_path = write_jsonl(rows, folder / "replies.jsonl")
    parquet_path = folder / "replies.parquet"
    # Parquet with real timestamp columns, as a warehouse writes it; unreadable times become NULL.
    duckdb.sql(f"""COPY (SELECT TRY_CAST(trim(post_time) AS TIMESTAMPTZ) AS post_time,
                               TRY_CAST(trim(reply_time) AS TIMESTAMPTZ) AS reply_time,
                               channel, lang, inquiry_type, agent, reply_text
                        FROM read_csv('{csv_path}', all_varchar=true)) TO '{parquet_path}' (FORMAT parquet)""")
    return {"csv": csv_path, "jsonl": jsonl_path, "parquet": parquet_path}


def assert_figures(got, want: dict) -> None:
    assert got.replies == want["replies"]
    assert got.median_s == pytest.approx(want["median_s"])
    assert got.p90_s == pytest.approx(want["p90_s"])
    assert got.within_level == pytest.approx(want["within_level"])


def report_of(path: Path, service: levels.ServiceLevels = HOUR, **kwargs):
    return make_report(path, service, check=False, **kwargs)


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_figures_match_a_plain_python_computation(exports, rows, kind):
    want = expected(rows)
    report = report_of(exports[kind])
    assert report.rows == len(rows)
    assert report.measured == want["all"]["all"]["replies"]
    assert_figures(report.overall, want["all"]["all"])
    for name, got_list in (("channel", report.by_channel), ("inquiry_type", report.by_inquiry_type),
                           ("agent", report.by_agent)):
        assert {f.key for f in got_list} == set(want[name])
        for f in got_list:
            assert_figures(f, want[name][f.key])
    assert [h.key for h in report.by_hour] == [f"{h:02d}" for h in range(24)]
    for h in report.by_hour:
        if h.key in want["hour"]:
            assert_figures(h, want["hour"][h.key])
        else:
            assert h.replies == 0


def test_bad_rows_are_counted_not_fatal(exports, rows):
    want = expected(rows)["bad"]
    bad = report_of(exports["csv"]).bad_rows
    assert (bad.post_time_unreadable, bad.reply_time_unreadable, bad.reply_before_post) == (
        want["post_time_unreadable"], want["reply_time_unreadable"], want["reply_before_post"])
    assert bad.total == sum(want.values()) and all(want.values())


def test_distribution_adds_up_and_splits_at_the_level(exports, rows):
    report = report_of(exports["csv"], levels.ServiceLevels("options", levels.parse_duration("45m", "x"),
                                                            levels.DEFAULT_SOLUTION))
    assert sum(b.replies for b in report.distribution) == report.measured
    within = sum(b.replies for b in report.distribution if b.high_s is not None and b.high_s <= 2700)
    assert within / report.measured == pytest.approx(report.overall.within_level)
    assert any(b.low_s == 2700 for b in report.distribution)


def test_per_channel_levels_are_applied(exports, rows):
    service = levels.ServiceLevels("pack", levels.DEFAULT_FIRST, levels.DEFAULT_SOLUTION,
                                   {("twitter", t): levels.parse_duration("30m", "x") for t in
                                    ("outage", "billing", "complaint", "praise")})
    want = expected(rows, levels={"twitter": 1800.0})
    report = report_of(exports["parquet"], service)
    assert_figures(report.overall, want["all"]["all"])
    twitter = next(f for f in report.by_channel if f.key == "twitter")
    assert_figures(twitter, want["channel"]["twitter"])
    assert report.service_level.rules == 4


def test_columns_mapped_from_an_exports_own_names(rows, tmp_path):
    path = write_csv(rows, tmp_path / "theirs.csv", {"post_time": "created_at", "agent": "handled_by"})
    with pytest.raises(InputError, match=r"no column 'post_time' \(map yours with --column post_time=THEIRS\)"):
        report_of(path)
    report = report_of(path, mapping=source.parse_mapping(["post_time=created_at", "agent=handled_by"]))
    assert {f.key for f in report.by_agent} == set(expected(rows)["agent"])


def test_missing_optional_columns_read_as_unknown(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("post_time,reply_time\n2026-11-02T10:00:00Z,2026-11-02T10:30:00Z\n", encoding="utf-8")
    report = report_of(path)
    assert [f.key for f in report.by_channel] == ["unknown"] and report.overall.median_s == 1800


def test_broken_lines_and_late_bad_times_are_bad_rows(tmp_path):
    """A CSV line that does not split into the columns, and an unreadable time after the part of the
    file DuckDB samples for types (JSONL), are counted, not a failed read."""
    good = '2026-11-02T10:00:00Z,2026-11-02T10:20:00Z,facebook\n'
    path = tmp_path / "broken.csv"
    path.write_text("post_time,reply_time,channel\n" + good + "2026-11-02T10:00:00Z,x,facebook,extra,more\n"
                    + good, encoding="utf-8")
    report = report_of(path)
    assert (report.rows, report.measured, report.bad_rows.lines_unreadable, report.bad_rows.total) == (3, 2, 1, 1)
    late = tmp_path / "late.jsonl"
    line = {"post_time": "2026-11-02T10:00:00Z", "reply_time": "2026-11-02T10:20:00Z", "channel": "dm"}
    late.write_text("".join(json.dumps(line) + "\n" for _ in range(25_000))
                    + json.dumps({**line, "post_time": "garbage", "channel": ["a", "list"]}) + "\n",
                    encoding="utf-8")
    report = report_of(late)
    assert (report.rows, report.measured, report.bad_rows.post_time_unreadable) == (25_001, 25_000, 1)


@pytest.mark.parametrize("pairs, fragment", [(["post_time"], "expected NAME=THEIRS"),
                                             (["sent=created_at"], "'sent' is not one of")])
def test_bad_column_options(pairs, fragment):
    with pytest.raises(InputError, match=fragment):
        source.parse_mapping(pairs)


def test_times_in_a_named_zone(tmp_path):
    path = tmp_path / "tz.csv"
    path.write_text("post_time,reply_time\n2026-11-02T22:30:00Z,2026-11-02T22:40:00Z\n", encoding="utf-8")
    assert report_of(path).by_hour[22].replies == 1
    assert report_of(path, timezone="Europe/Copenhagen").by_hour[23].replies == 1  # UTC+1 in November
    with pytest.raises(InputError, match="unknown time zone"):
        report_of(path, timezone="Mars/Olympus")


def test_service_levels_from_the_pack_or_the_options(kit):
    """The pack's triage service levels when replykit has triage and the pack a `triage:` section."""
    got = levels.resolve(lambda: kit, None, None)
    config = levels.pack_triage_config(kit)
    if config is None:
        assert (got.source, got.first_response, got.solution, got.first_by_pair) == (
            "options", levels.DEFAULT_FIRST, levels.DEFAULT_SOLUTION, {})
    else:
        from replykit.triage.service_levels import levels_for

        assert got.source == "pack" and got.first_response == config.service_levels.default.first_response
        for channel in ("facebook", "twitter", "trustpilot", "email"):
            for inquiry_type in ("outage", "billing", "praise"):
                first = got.first_by_pair.get((channel, inquiry_type), got.first_response)
                assert first == levels_for(config.service_levels, channel, inquiry_type, [])[0]
    given = levels.resolve(lambda: pytest.fail("options given: the pack is not read"), "45m", None)
    assert (given.source, given.first_response.total_seconds(), given.first_by_pair) == ("options", 2700, {})


def test_durations():
    assert levels.parse_duration("1h30m", "--sla-first").total_seconds() == 5400
    assert levels.parse_duration("2d", "--sla-first").total_seconds() == 172800
    with pytest.raises(InputError, match="--sla-first 'soon'"):
        levels.parse_duration("soon", "--sla-first")


# ------------------------------------------------------------------ check share


def test_check_share_in_process_matches_checking_each_reply(exports, rows, kit):
    con, _ = source.open_export(exports["csv"])
    share = check_share(con, KitSpec(), sample=60, seed=3, workers=1, kit=kit)
    again = check_share(con, KitSpec(), sample=60, seed=3, workers=1, kit=kit)
    other = check_share(con, KitSpec(), sample=60, seed=4, workers=1, kit=kit)
    sampled = con.execute("""SELECT reply_text, lang, channel, inquiry_type, strftime(reply_ts, '%Y-%m-%d')
                             FROM replies ORDER BY hash(3, post_raw, reply_raw, agent, channel, lang, reply_text)
                             LIMIT 60""").fetchall()
    con.close()
    assert share == again, "the same seed gives the same sample"
    assert share.days != other.days or share.categories != other.categories
    assert (share.checked, share.sample, share.seed, share.rows_with_text) == (60, 60, 3, len(rows))
    direct = [kit.check(text, lang=lang, channel=channel, inquiry_type=itype) for text, lang, channel, itype, _
              in sampled]
    assert share.blocked == sum(r.verdict == "blocked" for r in direct) > 0
    assert share.revise == sum(r.verdict == "revise" for r in direct) > 0
    by_category = {c.category: c.replies for c in share.categories}
    for category in ("forbidden.personal_data", "value.make_it_happen"):
        assert by_category[category] == sum(any(f.category == category and f.severity != "suggestion"
                                                for f in r.findings) for r in direct)
    assert sum(d.checked for d in share.days) == 60 - sum(1 for s in sampled if s[4] is None)


def test_unusual_labels_do_not_make_a_reply_uncheckable(kit):
    text = REPLIES["da"][1]
    out = check_rows(kit, [(text, "english", "Myspace", "whatever", None), (text, "da", "facebook", "outage",
                                                                             "2026-11-02")])
    assert out[0][0] == out[1][0] == "blocked" and "forbidden.personal_data" in out[0][1]


@pytest.mark.slow
def test_worker_processes_give_the_same_share(exports, kit):
    con, _ = source.open_export(exports["csv"])
    alone = check_share(con, KitSpec(), sample=240, seed=5, workers=1, kit=kit)
    pooled = check_share(con, KitSpec(), sample=240, seed=5, workers=2)
    con.close()
    assert pooled.runner == "processes:2" and alone.runner == "processes:1"
    assert pooled.model_dump(exclude={"runner"}) == alone.model_dump(exclude={"runner"})


@pytest.mark.slow
def test_dask_cluster_gives_the_same_share(exports, kit):
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (pip install -e '.[dev]')")
    con, _ = source.open_export(exports["csv"])
    alone = check_share(con, KitSpec(), sample=150, seed=6, workers=1, kit=kit)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        on_dask = check_share(con, KitSpec(), sample=150, seed=6, dask=address)
    con.close()
    assert on_dask.runner == f"dask:{address}"
    assert on_dask.model_dump(exclude={"runner"}) == alone.model_dump(exclude={"runner"})


# ------------------------------------------------------------------ command line


def cli(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "replykit", *args], capture_output=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "COLUMNS": "160"})
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_cli_json_and_table(exports, rows, tmp_path):
    code, out, err = cli("kpi", str(exports["jsonl"]), "--json", "--sample", "40", "--workers", "1",
                         "--sla-first", "30m")
    assert code == 0, err
    data = json.loads(out)
    want = expected(rows, level_s=1800)
    assert data["overall"]["within_level"] == pytest.approx(want["all"]["all"]["within_level"])
    assert data["service_level"] == {"source": "options", "first_response_s": 1800.0, "solution_s": 86400.0,
                                     "rules": 0}
    assert data["check"]["checked"] == 40 and data["check"]["seed"] == 14
    code, out, err = cli("kpi", str(exports["csv"]), "--sample", "0")
    assert code == 0, err
    assert f"{len(rows):,} rows" in out and "by agent" in out and "not re-checked" in out


@pytest.mark.parametrize("args, fragment", [
    (["nowhere.csv"], "nowhere.csv: no such file"),
    (["README.md"], "unknown format '.md'"),
    (["{csv}", "--column", "post_time"], "expected NAME=THEIRS"),
    (["{csv}", "--sla-first", "soon"], "--sla-first 'soon'"),
    (["{csv}", "--sample", "-5"], "--sample -5"),
    (["{csv}", "--workers", "0"], "--workers 0"),
    (["{csv}", "--dask", "nonsense", "--sample", "5"], "--dask nonsense: cannot connect"),
])
def test_cli_bad_input_is_one_line(exports, args, fragment):
    code, out, err = cli("kpi", *[a.format(csv=exports["csv"]) for a in args])
    assert code == 2
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_without_duckdb_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    with pytest.raises(InputError, match=r"pip install 'replykit\[kpi\]'"):
        source.require_duckdb()


# ------------------------------------------------------------------ the HTML page

CHARTS = ("chart-hours", "chart-distribution", "chart-findings")


@pytest.fixture(scope="module")
def page(exports, kit, tmp_path_factory) -> Path:
    from replykit.kpi.page import build_page

    report = make_report(exports["csv"], HOUR, sample=120, workers=1, kit=kit)
    report.by_agent[0].key = "<script>alert(1)</script>"  # anything from the export is shown as text
    path = tmp_path_factory.mktemp("page") / "kpi.html"
    path.write_text(build_page(report), encoding="utf-8")
    return path


def test_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    for chart in CHARTS:
        assert f'<svg id="{chart}"' in html
    assert "<script" not in html and "src=" not in html and "@import" not in html and "url(" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.browser
def test_page_in_headless_chromium(page, tmp_path, headless_chrome):
    """The test_report.py way of driving Debian's Chromium: every chart drawn with a real size."""
    from selenium.webdriver.common.by import By

    driver = headless_chrome(1200)
    driver.get(page.as_uri())
    assert driver.title.startswith("replykit kpi")
    assert not [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    for chart in CHARTS:
        svg = driver.find_element(By.ID, chart)
        assert svg.size["width"] > 300 and svg.size["height"] > 100, (chart, svg.size)
        heights = [float(b.get_attribute("height")) for b in svg.find_elements(By.CSS_SELECTOR, "rect.bar")]
        drawn = driver.execute_script(
            "return [...arguments[0].querySelectorAll('rect.bar')].filter(r => r.getBBox().height > 0).length",
            svg)
        assert drawn == sum(h > 0 for h in heights) > 0, chart
    hours = driver.find_elements(By.CSS_SELECTOR, "#chart-hours rect.bar")
    assert len(hours) == 24
    level = driver.find_element(By.CSS_SELECTOR, "#chart-distribution line.level")
    assert level.size["height"] > 100
    assert "<script>alert(1)</script>" in driver.find_element(By.ID, "by-agent").text
    shot = tmp_path / "kpi.png"
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


# ------------------------------------------------------------------ the benchmark's export


def test_benchmark_export_reads_alike_in_both_formats(tmp_path):
    """bench/kpi_data.py (section 14's million replies) at a small size: the CSV's figures match
    the plain computation, Parquet gives the same, and the export has its storms and night gap."""
    import csv as csv_module
    import importlib.util

    # loaded from its file (bench/ is not a package); its own imports find bench/texts.py
    spec = importlib.util.spec_from_file_location("bench_kpi_data", ROOT / "bench" / "kpi_data.py")
    assert spec is not None and spec.loader is not None
    bench_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_data)
    paths = bench_data.generate(tmp_path, rows=6000, seed=3)
    with paths["csv"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv_module.DictReader(fh))
    want = expected(rows)
    from_csv, from_parquet = report_of(paths["csv"]), report_of(paths["parquet"])
    assert_figures(from_csv.overall, want["all"]["all"])
    assert from_parquet.overall == from_csv.overall and from_parquet.by_agent == from_csv.by_agent
    assert from_csv.bad_rows == from_parquet.bad_rows and from_csv.bad_rows.total > 0
    by_hour = {h.key: h.replies for h in from_csv.by_hour}
    assert by_hour["03"] * 5 < by_hour["19"], "fewer posts at night"
    assert len({r["agent"] for r in rows}) == 48 and len({r["reply_text"] for r in rows}) > 1000
