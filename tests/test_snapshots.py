"""Snapshots: written complete, published atomically, listed, kept, rolled back; a reader
keeps its view through a run; a partial run publishes through the publish job.

The first half drives `pipelines.publish.snapshots` on a small hand-made private database;
the second half runs the real graph (dg.materialize) and real processes.
"""

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import dagster as dg
import duckdb
import polars as pl
import pytest
from dagster import DagsterEventType

from pipelines import warehouse as wh
from pipelines.contract import MART_TABLES, TABLES, conform, published_tables
from pipelines.publish import snapshots
from pipelines.settings import PROJECT_ROOT
from tests.test_marts import TINY
from tests.warehouse_tools import NEW_ARTICLE, contents, copy_tree, leftovers, snapshot_id

T0 = datetime(2026, 1, 1, 2, 0)


@pytest.fixture
def layout(tmp_path) -> snapshots.Layout:
    """A private database holding the TINY tables, nothing published yet."""
    where = snapshots.Layout(warehouse=tmp_path / "incidents.duckdb",
                             pipeline_db=tmp_path / ".state" / "pipeline.duckdb",
                             snapshots=tmp_path / "snapshots", reports=tmp_path / "reports")
    with wh.connect(where.pipeline_db) as conn:
        for table, rows in TINY.items():
            wh.write_table(conn, f"main.{table}", conform(table, pl.DataFrame(rows)))
    return where


def publish(layout, run_id, minutes=0, keep=10):
    with wh.connect(layout.pipeline_db) as conn:
        snapshot, _ = snapshots.publish_run(conn, layout, run_id, keep,
                                            now=T0 + timedelta(minutes=minutes))
    return snapshot


def set_incidents(layout, count):
    rows = TINY["incidents"][:count]
    with wh.connect(layout.pipeline_db) as conn:
        wh.write_table(conn, "main.incidents", conform("incidents", pl.DataFrame(rows)))


def count(path, table="incidents"):
    with duckdb.connect(str(path), read_only=True) as conn:
        return wh.scalar(conn, f"SELECT count(*) FROM {table}")


# --- writing and publishing ---------------------------------------------------------------

def test_snapshot_is_complete_self_contained_and_published_as_a_link(layout):
    snapshot = publish(layout, "run-aaaaaaaa")

    assert snapshot.path.parent == layout.snapshots
    assert os.path.samestat(layout.warehouse.stat(), snapshot.path.stat())
    assert layout.warehouse.stat().st_mode & 0o222 == 0  # read-only: writes would be lost
    with duckdb.connect(str(layout.warehouse), read_only=True) as conn:
        names = dict(conn.execute("SELECT table_name, table_type FROM information_schema.tables "
                                  "WHERE table_schema = 'main'").fetchall())
        # Tables the pipeline never built are published empty, marts computed in place.
        assert wh.scalar(conn, "SELECT count(*) FROM sentences") == 0
        assert wh.scalar(conn, "SELECT sum(incidents) FROM weekly_incidents") == 3
        assert wh.scalar(conn, "SELECT count(*) FROM acled_events") == 3
        view_sql = wh.scalar(conn, "SELECT sql FROM duckdb_views() WHERE view_name = 'acled_events'")
        info = conn.execute("SELECT snapshot_id, run_id, published_at FROM snapshot_info").fetchall()
        counts = dict(conn.execute("SELECT table_name, row_count FROM snapshot_tables").fetchall())
    assert set(published_tables()) | {"snapshot_info", "snapshot_tables"} <= set(names)
    assert names["acled_events"] == "VIEW" and "pipeline" not in view_sql
    assert info == [(snapshot.snapshot_id, "run-aaaaaaaa", T0)]
    assert counts["incidents"] == 4 and counts["acled_events"] == 3  # two reports of one event
    assert counts == snapshot.row_counts
    assert leftovers(layout.warehouse.parent) == []


def test_a_view_reads_the_snapshot_it_lives_in(layout):
    first = publish(layout, "run-1")
    set_incidents(layout, 1)
    publish(layout, "run-2", minutes=1)
    with duckdb.connect(str(first.path), read_only=True) as conn:
        assert wh.scalar(conn, "SELECT count(*) FROM acled_incidents") == 4
    assert count(layout.warehouse, "acled_incidents") == 1


@contextmanager
def reader(path, query):
    """An analyst's session: another process holding a read-only connection on `path`;
    yields ask(), which makes it run `query` and returns the row it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys\n"
         f"conn = duckdb.connect({str(path)!r}, read_only=True)\n"
         "for _ in sys.stdin:\n"
         f"    print(*conn.execute({query!r}).fetchall()[0], flush=True)\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask() -> list[str]:
        process.stdin.write("?\n")
        process.stdin.flush()
        return process.stdout.readline().split()

    try:
        yield ask
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def test_open_reader_keeps_its_snapshot_and_new_connections_see_the_new_one(layout):
    publish(layout, "run-1")
    with reader(layout.warehouse, "SELECT count(*) FROM incidents") as ask:
        assert ask() == ["4"]
        set_incidents(layout, 1)
        publish(layout, "run-2", minutes=1)  # the reader holds the file open meanwhile
        assert ask() == ["4"]
        assert count(layout.warehouse) == 1


def test_retention_keeps_the_newest_and_never_the_published_one(layout):
    made = [publish(layout, f"run-{n}", minutes=n, keep=3) for n in range(5)]
    assert [s.snapshot_id for s in snapshots.list_snapshots(layout)] == [
        s.snapshot_id for s in reversed(made[2:])]
    with wh.connect(layout.pipeline_db) as conn:
        snapshots.rollback(conn, layout, made[2])
    assert snapshots.prune(layout, keep=1) == [made[3].path]
    assert {s.snapshot_id for s in snapshots.list_snapshots(layout)} == {
        made[4].snapshot_id, made[2].snapshot_id}


def test_rollback_publishes_an_earlier_snapshot_and_resets_the_private_copy(layout):
    first = publish(layout, "run-1")
    set_incidents(layout, 1)
    second = publish(layout, "run-2", minutes=1)
    assert snapshots.current_snapshot(layout).snapshot_id == second.snapshot_id
    assert snapshots.find_snapshot(layout, None).snapshot_id == first.snapshot_id

    with wh.connect(layout.pipeline_db) as conn:
        snapshots.rollback(conn, layout, snapshots.find_snapshot(layout, "run-1"))
        private = wh.scalar(conn, "SELECT count(*) FROM main.incidents")

    assert snapshots.current_snapshot(layout).snapshot_id == first.snapshot_id
    assert count(layout.warehouse) == 4 and private == 4
    with pytest.raises(LookupError, match="no snapshot older"):
        snapshots.find_snapshot(layout, None)
    with pytest.raises(LookupError, match="several snapshots match"):
        snapshots.find_snapshot(layout, "run-")


def test_make_snapshots_and_make_rollback(layout):
    publish(layout, "11111111-run")
    set_incidents(layout, 2)
    publish(layout, "22222222-run", minutes=1)
    env = {**os.environ, "WAREHOUSE_PATH": str(layout.warehouse),
           "PIPELINE_DB": str(layout.pipeline_db), "SNAPSHOTS_DIR": str(layout.snapshots)}

    def command(*args):
        return subprocess.run([sys.executable, "-m", "pipelines.publish", *args], env=env,
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)

    listed = command("list").stdout.splitlines()
    assert listed[1].startswith("* ") and "run 22222222" in listed[1]
    assert "run 11111111" in listed[2] and "incidents 4" in listed[2]
    rolled = command("rollback", "--to", "1111")
    assert rolled.returncode == 0 and "run 11111111-run" in rolled.stdout
    assert count(layout.warehouse) == 4
    assert command("list").stdout.splitlines()[2].startswith("* ")
    refused = command("rollback", "--to", "nope")
    assert refused.returncode == 1 and "no snapshot matches 'nope'" in refused.stderr
    assert "Traceback" not in refused.stderr


# --- the run journal ----------------------------------------------------------------------

@pytest.mark.parametrize(("previous", "continues", "reset"), [
    ("interrupted", False, True), ("failed", False, True), ("ok", False, False),
    ("interrupted", True, False),
])
def test_a_run_after_a_killed_or_failed_run_starts_from_the_published_snapshot(
        layout, previous, continues, reset):
    published = publish(layout, "run-0")
    with wh.connect(layout.pipeline_db) as conn:
        snapshots.begin_run(conn, layout, "run-1")
        (layout.snapshots / f".{published.snapshot_id}.duckdb.tmp-99").write_text("half")
        if previous == "failed":
            snapshots.mark_failed(conn, "run-1")
        if previous != "interrupted":
            snapshots.end_run(conn, "run-1")
        conn.execute("DELETE FROM main.incidents WHERE incident_id <> 'i1'")  # half a run
        start = snapshots.begin_run(conn, layout, "run-2",
                                    continues=("run-1",) if continues else ())
        incidents = wh.scalar(conn, "SELECT count(*) FROM main.incidents")
    assert incidents == (4 if reset else 1)
    assert (start.reset_to == published.snapshot_id) is reset
    assert [p.name for p in start.removed] == [f".{published.snapshot_id}.duckdb.tmp-99"]


def test_reset_without_any_snapshot_empties_the_private_copy(layout):
    with wh.connect(layout.pipeline_db) as conn:
        snapshots.begin_run(conn, layout, "run-1")
        start = snapshots.begin_run(conn, layout, "run-2")
        left = [t for t in published_tables() if wh.table_exists(conn, "main", t)]
    assert start.reset_to == "" and left == []
    assert "an empty warehouse" in " ".join(start.messages())


# --- real runs ----------------------------------------------------------------------------

@pytest.fixture
def built_copy(built_warehouse, seed_articles, tmp_path):
    """A private copy of the session's warehouse (published file, state, snapshots) and its
    articles, to change at will."""
    root = copy_tree(built_warehouse.parent, tmp_path / "case")
    copy_tree(seed_articles, root / "articles")
    return root


def resources(root, **warehouse):
    from pipelines.build import resources as run_resources

    return run_resources(root / "articles", root / "incidents.duckdb", **warehouse)


@pytest.mark.slow
def test_reader_holding_the_warehouse_open_through_a_whole_run(built_copy):
    """An analyst's session (another process) is open on the warehouse during a whole run:
    the run succeeds, the session's counts never change, a new session sees the new run."""
    from pipelines.build import build_warehouse

    published = built_copy / "incidents.duckdb"
    before_id, before = snapshot_id(published), count(published, "articles")
    query = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM incidents), "
             "(SELECT snapshot_id FROM snapshot_info)")
    seen, done = [], threading.Event()
    with reader(published, query) as ask:

        def poll() -> None:
            while not done.is_set():
                seen.append(ask())
                time.sleep(0.2)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            (built_copy / "articles" / "new-report.txt").write_text(NEW_ARTICLE)
            result = build_warehouse(built_copy / "articles", published)
        finally:
            done.set()
            poller.join(timeout=30)

    assert result.success
    assert len(seen) >= 5 and all(row == seen[0] for row in seen), seen
    assert seen[0][0] == str(before) and seen[0][2] == before_id
    with reader(published, query) as ask:  # a new session
        fresh = ask()
    assert fresh[0] == str(before + 1) and fresh[2] != before_id


@pytest.mark.slow
def test_partial_run_is_published_by_the_publish_job_with_other_tables_unchanged(built_copy):
    from pipelines.definitions import ALL_ASSETS, defs

    instance = dg.DagsterInstance.ephemeral()
    published = built_copy / "incidents.duckdb"
    before = contents(published)
    (built_copy / "articles" / "new-report.txt").write_text(NEW_ARTICLE)

    partial = dg.materialize(ALL_ASSETS, selection=["articles", "rejected_inputs"],
                             resources=resources(built_copy), instance=instance)
    assert partial.success
    assert contents(published) == before  # not published by the partial run itself

    sensor = defs.get_sensor_def("publish_after_partial_run")
    run = instance.get_run_by_id(partial.run_id)
    success = [e for e in partial.all_events if e.event_type == DagsterEventType.RUN_SUCCESS][0]
    request = sensor(dg.build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=success, dagster_instance=instance,
        dagster_run=run))
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == f"publish-after-{partial.run_id}"

    publication = defs.get_job_def("publish_snapshot_job").execute_in_process(
        resources=resources(built_copy), instance=instance)
    assert publication.success
    after = contents(published)
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert {t: after[t] for t in after if t not in ("articles",)} == {
        t: before[t] for t in before if t not in ("articles",)}

    done = instance.get_run_by_id(publication.run_id)
    again = sensor(dg.build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=success, dagster_instance=instance,
        dagster_run=done))
    assert isinstance(again, dg.SkipReason)  # a run that published needs no publish run


# --- one writer at a time -----------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from pipelines.runlock import run_lock
with run_lock(Path(sys.argv[1]), "nightly-run-1234", 0, label="job incidents_job"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def hold_lock(root):
    from pipelines.runlock import lock_path_for
    from pipelines.settings import pipeline_db

    lock = lock_path_for(pipeline_db(root / "incidents.duckdb"))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock)], cwd=PROJECT_ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder, lock


def publish_only(root, instance=None, **warehouse):
    from pipelines.definitions import defs

    return defs.get_job_def("publish_snapshot_job").execute_in_process(
        resources=resources(root, **warehouse), instance=instance, raise_on_error=False)


def test_second_run_gives_up_with_a_message_naming_the_running_one(tmp_path):
    holder, _ = hold_lock(tmp_path)
    try:
        result = publish_only(tmp_path, lock_timeout=1)
        cli = subprocess.run([sys.executable, "-m", "pipelines.runlock", "--timeout", "1"],
                             env={**os.environ, "WAREHOUSE_PATH": str(tmp_path / "incidents.duckdb")},
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    finally:
        holder.communicate("", timeout=30)
    assert not result.success
    [failure] = [e.event_specific_data.error.to_string() for e in result.all_events
                 if e.event_type == DagsterEventType.RESOURCE_INIT_FAILURE]
    assert "The warehouse is being written by run nightly-run-1234" in failure
    assert "job incidents_job" in failure and "nothing was changed" in failure
    assert not (tmp_path / "incidents.duckdb").exists()
    assert cli.returncode == 1
    assert "run nightly-run-1234" in cli.stderr and "Traceback" not in cli.stderr


def test_second_run_waits_for_the_first_and_then_runs(tmp_path):
    holder, _ = hold_lock(tmp_path)
    threading.Timer(2, lambda: holder.communicate("", timeout=30)).start()
    instance = dg.DagsterInstance.ephemeral()

    result = publish_only(tmp_path, instance=instance, lock_timeout=60)

    assert result.success
    messages = [e.user_message for e in instance.all_logs(result.run_id)]
    assert any("being written by run nightly-run-1234" in m for m in messages)
    assert (tmp_path / "incidents.duckdb").exists()


def test_a_killed_run_never_leaves_a_stale_lock(tmp_path):
    holder, lock = hold_lock(tmp_path)
    from pipelines.runlock import is_locked

    assert is_locked(lock)
    holder.kill()
    holder.wait(timeout=30)
    assert not is_locked(lock)
    assert publish_only(tmp_path, lock_timeout=0).success


def test_every_published_table_is_in_the_contract_or_the_marts():
    assert published_tables() == [*TABLES, *MART_TABLES]


def test_a_warehouse_from_before_snapshots_is_adopted_with_its_cache(tmp_path):
    legacy = tmp_path / "incidents.duckdb"
    with wh.connect(legacy) as conn:  # the old layout: cache, staging and main in one file
        for table, rows in TINY.items():
            wh.write_table(conn, f"main.{table}", conform(table, pl.DataFrame(rows)))
        conn.execute("CREATE TABLE cache.extracted AS SELECT 'a1' AS article_id")

    assert publish_only(tmp_path).success

    from pipelines.settings import pipeline_db

    with duckdb.connect(str(pipeline_db(legacy)), read_only=True) as conn:
        assert wh.scalar(conn, "SELECT count(*) FROM cache.extracted") == 1
    assert count(legacy) == 4 and snapshot_id(legacy)
    assert leftovers(tmp_path) == []


def test_clean_up_removes_only_the_pipelines_own_temporary_files(layout):
    layout.reports.mkdir()
    ours = [layout.snapshots / ".20260101T020000Z-run.duckdb.tmp-7",
            layout.snapshots / ".20260101T020000Z-run.duckdb.tmp-7.wal",
            layout.warehouse.parent / ".incidents.duckdb.tmp-20260101T020000Z-run",
            layout.reports / ".incident_report.html.tmp-7",
            layout.pipeline_db.parent / ".pipeline.duckdb.tmp-7"]
    others = [layout.warehouse.parent / ".notes.txt.tmp-1", layout.reports / ".draft.tmp-2",
              layout.warehouse.parent / "incidents.duckdb.tmp-3"]
    layout.snapshots.mkdir()
    for path in ours + others:
        path.write_text("x")
    assert sorted(snapshots.cleanup_temporary(layout)) == sorted(ours)
    assert all(p.exists() for p in others) and not any(p.exists() for p in ours)


def test_snapshot_text_is_written_without_dictionary_fsst_compression(layout, tmp_path):
    """The snapshot trades file size for write time: DuckDB's dict_fsst string compression
    costs half of a snapshot's writing (docs/scaling.md), so no column of a snapshot uses it;
    the private file, whose buffer pool holds its blocks, keeps it."""
    text = pl.DataFrame({"text": [f"sentence {i % 40} of a repetitive article body" for i in
                                  range(200_000)]})

    def compressions(conn, table):
        return {row[0] for row in conn.execute(
            f"SELECT DISTINCT compression FROM pragma_storage_info('{table}')").fetchall()}

    with wh.connect(layout.pipeline_db) as conn:
        wh.write_table(conn, "main.long_text", text)
        conn.execute("CHECKPOINT")
        private = compressions(conn, "main.long_text")
        snapshots.copy_tables(conn, tmp_path / "copy.duckdb", ["long_text"])
    with duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True) as copy:
        copied = compressions(copy, "long_text")
    assert copied and "DICT_FSST" not in copied
    assert "DICT_FSST" in private
