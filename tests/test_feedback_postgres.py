"""The PostgreSQL feedback store against a real server (Debian's `postgresql`, installed by
`make db-deps`): started by the test on a free loopback port, stopped after.

The same records through both backends give the same stats, prior and export.
"""
from __future__ import annotations

import glob
import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.feedback import open_store
from replykit.feedback.export import export_records
from replykit.feedback.prior import pick_prior
from replykit.feedback.recorder import FeedbackLog
from replykit.feedback.store import FeedbackRow, ItemRow, ResultRow

psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'replykit[postgres]')")


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries not installed (`make db-deps` installs Debian's postgresql)")
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="replykit-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the package's postgres user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server as")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else ["su", "postgres", "-c"]
    data, port = root / "data", _free_port()

    def run(*cmd: str) -> None:
        full = as_user + list(cmd) if as_user[:1] != ["su"] else as_user + [" ".join(cmd)]
        subprocess.run(full, check=True, capture_output=True, timeout=120)

    try:
        run(initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C")
        run(pg_ctl, "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {exc}")
    base = f"postgresql://postgres@127.0.0.1:{port}"
    counter = iter(range(10_000))

    def fresh_database() -> str:
        name = f"fb{next(counter)}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{base}/{name}"

    try:
        yield fresh_database
    finally:
        try:
            run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(root, ignore_errors=True)


POSTS = ["Mit net er nede igen!! Hele vejen er uden internet", "Min regning er for høj, hvorfor?",
         "Jeres app crasher hver gang jeg åbner den", "Tak for den hurtige hjælp i går!"]
DRAFTS = ["Hej Peter. Jeg har nu bestilt en tekniker til dig på tirsdag. Hilsen Sofie",
          "Hej Peter. Ring til mig på 22 33 44 55, så klarer vi det!! Hilsen Sofie",
          "Hej Peter. Det er ikke vores problem. Hilsen Sofie"]
NAMES = {"customer_name": "Peter", "agent_name": "Sofie"}


def _same_feedback(kit: ReplyKit, log: FeedbackLog) -> None:
    """One fixed sequence of results and feedback."""
    for i, post in enumerate(POSTS * 3):
        s = log.record_suggest(kit.suggest(post, lang="da", variables=NAMES), post, NAMES)
        if i % 2 == 0:
            log.pick(s.result_id, s.suggestions[i % len(s.suggestions)].template_id, agent=f"a{i % 3}",
                     sent=s.suggestions[0].text + " Mvh.", variables=NAMES)
        if i % 5 == 0:
            log.wrong_type(s.result_id, "technical_issue", agent="a1")
    for i, draft in enumerate(DRAFTS * 2):
        result = kit.check(draft, lang="da", channel="facebook", **NAMES)
        c = log.record_check(result, draft, None, None, NAMES)
        if c.findings and i % 2 == 0:
            log.dismiss(c.result_id, c.findings[0].rule_id, reason="fint", agent="a2")
        if i % 3 == 0:
            log.missed(c.result_id, "value.add_value", quote="Hej Peter", team="care", variables=NAMES)


def test_postgres_and_sqlite_give_the_same_stats_prior_and_export(kit, pg_url, tmp_path):
    sqlite_log = FeedbackLog(open_store(tmp_path / "same.db"), lambda: kit._loaded.rules)
    pg_log = FeedbackLog(open_store(pg_url()), lambda: kit._loaded.rules)
    for log in (sqlite_log, pg_log):
        _same_feedback(kit, log)
    a, b = sqlite_log.stats(), pg_log.stats()
    assert a.feedback["pick"] == 6 and a.rules and a.replies and a.inquiry_types
    assert a.model_dump() == b.model_dump()
    assert pick_prior(sqlite_log.store) == pick_prior(pg_log.store)

    def shapes(store):  # ids come from random result ids: compare everything else
        return {key: sorted(r.model_dump_json(exclude={"id"}) for r in recs)
                for key, recs in export_records(store).items()}
    assert shapes(sqlite_log.store) == shapes(pg_log.store)
    assert sqlite_log.purge(everything=True) == pg_log.purge(everything=True)


def test_every_kind_of_feedback_through_a_kit_on_postgres(pg_url):
    url = pg_url()
    kit = ReplyKit.load(feedback=url)
    s = kit.suggest(POSTS[0], variables=NAMES)
    assert kit.feedback.pick(s.result_id, s.suggestions[0].template_id, sent="Hej Peter. Ok. Hilsen Sofie",
                             variables=NAMES)["edit_distance"] > 0
    kit.feedback.wrong_type(s.result_id, "technical_issue")
    c = kit.check(DRAFTS[1], lang="da", channel="facebook", **NAMES)
    kit.feedback.dismiss(c.result_id, c.findings[0].rule_id)
    kit.feedback.missed(c.result_id, "forbidden.confidential")
    assert kit.feedback.stats().feedback == {"dismiss": 1, "missed": 1, "pick": 1, "wrong_type": 1}
    with psycopg.connect(url) as conn:
        stored = " ".join(row[0] for row in conn.execute("SELECT text FROM results"))
    assert "22 33 44 55" not in stored and "Peter" not in stored and "[phone]" in stored


def test_postgres_migration_from_version_1(pg_url):
    from replykit.feedback.postgres import PostgresStore

    url = pg_url()
    old = PostgresStore(url, migrate_to=1)
    assert old.schema_version() == 1
    old.add_result(ResultRow("r1", "suggest", time.time(), "da", None, "outage", "x"),
                   [ItemRow("r1", "suggestion", 0, "da/outage/public", inquiry_type="outage", text="t")])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO feedback (result_id, kind, created, day, ref) "
                     "VALUES ('r1', 'pick', %s, 1, 'da/outage/public')", (time.time(),))
    old.close()
    new = PostgresStore(url)
    assert new.schema_version() == 2
    new.add_feedback(FeedbackRow("r1", "pick", time.time(), team="care", ref="da/outage/public"))
    assert [r.team for r in new.feedback_rows()] == [None, "care"]


def _pg_writer(url: str, worker: int, n: int) -> None:
    from replykit.feedback.postgres import PostgresStore

    store = PostgresStore(url)
    for i in range(n):
        rid = f"w{worker}-{i}"
        store.add_result(ResultRow(rid, "suggest", time.time(), "da", None, "outage", "p"), [])
        store.add_feedback(FeedbackRow(rid, "pick", time.time(), ref="da/outage/public"))


def test_four_processes_writing_to_postgres_lose_nothing(pg_url):
    from replykit.feedback.postgres import PostgresStore

    url = pg_url()
    PostgresStore(url).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_pg_writer, args=(url, w, 100)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert PostgresStore(url).query("SELECT COUNT(*) FROM feedback")[0][0] == 400
