"""Publishing: snapshots of the warehouse, swapped into place atomically.

The pipeline works in its own DuckDB file (PIPELINE_DB: `cache`, `staging`, and in `main` its
copy of the published tables, which the gates fill). Analysts open WAREHOUSE_PATH, which the
pipeline never opens. At the end of a run whose gates all passed, `publish_run`:

1. writes a complete snapshot file: every published table (`contract.published_tables()`,
   copied from the private `main`; a contract table the pipeline has not built yet is
   published empty, a mart it has not built is computed from the snapshot's own tables), the
   views of `contract.VIEWS` recreated inside it, and `snapshot_info` / `snapshot_tables`
   (run id, time, row counts). It is written under a temporary name, closed (DuckDB
   checkpoints on close), fsynced, then renamed to `SNAPSHOTS_DIR/<snapshot id>.duckdb`;
2. hard-links it (copies it across file systems) to a temporary name beside WAREHOUSE_PATH and
   `os.replace`s that over WAREHOUSE_PATH: a reader that has the file open keeps the snapshot
   it opened, a new connection opens the new one, nobody sees anything in between;
3. deletes snapshots beyond the newest SNAPSHOTS_KEEP (never the published one).

The snapshot files are the record: the published one is the file WAREHOUSE_PATH is a link
of, and each file describes itself in `snapshot_info`. Temporary files carry `.tmp-` in
their names and are removed by the next run or rollback.

The run journal (`pipeline_state.runs` in the private file) decides whether the private copy can
be trusted when a run starts: if the previous run was killed (no end recorded) or failed,
the private `main` may hold half a run, so it is reset to the published snapshot before
anything else happens; a re-execution of that very run continues it instead.

No Dagster here; `pipelines.resources` and `pipelines.publish.assets` call these functions.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import contract, faults, settings
from pipelines import warehouse as wh

TEMP_MARK = ".tmp-"
INFO_TABLE = "snapshot_info"
TABLES_TABLE = "snapshot_tables"
JOURNAL_ROWS_KEPT = 200


@dataclass(frozen=True)
class Layout:
    """Where the published file, the private database, the snapshots and reports live."""

    warehouse: Path
    pipeline_db: Path
    snapshots: Path
    reports: Path

    @classmethod
    def for_warehouse(cls, warehouse: Path, pipeline_db: Path | None = None,
                      snapshots: Path | None = None) -> Layout:
        """The layout of the warehouse published at `warehouse`, from the settings unless given."""
        return cls(warehouse=warehouse, pipeline_db=pipeline_db or settings.pipeline_db(warehouse),
                   snapshots=snapshots or settings.snapshots_dir(warehouse),
                   reports=settings.reports_dir(warehouse))

    def temporary_files(self) -> list[tuple[Path, str]]:
        """(folder, pattern) of every temporary name the pipeline writes; in folders users may
        share (the warehouse's, REPORTS_DIR) only the names of its own files."""
        return [(self.snapshots, f".*{TEMP_MARK}*"),
                (self.pipeline_db.parent, f".{self.pipeline_db.name}{TEMP_MARK}*"),
                (self.warehouse.parent, f".{self.warehouse.name}{TEMP_MARK}*"),
                (self.reports, f".incident*{TEMP_MARK}*")]


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    run_id: str
    published_at: datetime
    path: Path
    row_counts: dict[str, int]


# --- writing and publishing ---------------------------------------------------------------

def publish_run(conn: duckdb.DuckDBPyConnection, layout: Layout, run_id: str, keep: int,
                now: datetime | None = None, keep_unchanged: bool = False
                ) -> tuple[Snapshot, list[Path]]:
    """Snapshot the private copy, publish it and apply retention; (snapshot, files removed).
    With `keep_unchanged`, when every published table holds what the published snapshot was
    written from, that snapshot stays published and no file is written."""
    contents = _contents_fingerprint(conn)
    unchanged = unchanged_snapshot(conn, layout, contents) if keep_unchanged else None
    if unchanged is not None:
        record_publication(conn, run_id, unchanged.snapshot_id)
        return unchanged, []
    snapshot = write_snapshot(conn, layout, run_id, now)
    faults.crash_point("publish-swap")
    publish(layout, snapshot)
    removed = prune(layout, keep)
    record_publication(conn, run_id, snapshot.snapshot_id)
    conn.execute("CREATE OR REPLACE TABLE pipeline_state.published_contents AS "
                 "SELECT ? AS snapshot_id, ? AS fingerprint", [snapshot.snapshot_id, contents])
    return snapshot, removed


def unchanged_snapshot(conn: duckdb.DuckDBPyConnection, layout: Layout, contents: str
                       ) -> Snapshot | None:
    """The published snapshot, if it was written from exactly these contents."""
    if not wh.table_exists(conn, "pipeline_state", "published_contents"):
        return None
    recorded = conn.execute("SELECT snapshot_id, fingerprint FROM "
                            "pipeline_state.published_contents").fetchall()
    current = current_snapshot(layout)
    if not recorded or current is None or recorded[0] != (current.snapshot_id, contents):
        return None
    return current


def _contents_fingerprint(conn: duckdb.DuckDBPyConnection) -> str:
    return "|".join(f"{table}={wh.fingerprint(conn, 'main', table)}"
                    for table in contract.published_tables())


def write_snapshot(conn: duckdb.DuckDBPyConnection, layout: Layout, run_id: str,
                   now: datetime | None = None) -> Snapshot:
    """Write every published table of the private `main` into a new, closed snapshot file."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    layout.snapshots.mkdir(parents=True, exist_ok=True)
    snapshot_id = _new_id(layout, now, run_id)
    final = layout.snapshots / f"{snapshot_id}.duckdb"
    temp = layout.snapshots / f".{final.name}{TEMP_MARK}{os.getpid()}"
    built = [t for t in contract.published_tables() if wh.table_exists(conn, "main", t)]
    copy_tables(conn, temp, built)
    with duckdb.connect(str(temp)) as snap:
        for table in contract.TABLES:
            if table not in built:
                wh.write_table(snap, f"main.{table}", contract.empty(table))
        wh.create_views(snap, list(contract.VIEWS))
        for mart in contract.MART_TABLES:
            if mart not in built:
                snap.execute(wh.load_sql(f"marts/{mart}"))
        counts = _describe(snap, snapshot_id, run_id, now)
        snap.execute("CHECKPOINT")
    _fsync(temp)
    os.chmod(temp, 0o444)
    os.replace(temp, final)
    _fsync(layout.snapshots)
    return Snapshot(snapshot_id, run_id, now, final, counts)


# DuckDB 2.0's dictionary-plus-FSST string compression is most of the time a snapshot takes
# to write (at 20,000 articles: 7 s of CPU with it, 3.5 s without, for a file of 51 MB
# instead of 125 MB); a snapshot is written on every run that changed anything, so it is
# written with DuckDB's other compressions (docs/scaling.md). The private file keeps them all:
# its buffer pool holds the compressed blocks.
SNAPSHOT_DISABLED_COMPRESSION = "dict_fsst"


def copy_tables(conn: duckdb.DuckDBPyConnection, path: Path, tables: list[str]) -> None:
    """Copy `tables` of the private `main` into the new database file `path`, closed after."""
    conn.execute(f"SET disabled_compression_methods = '{SNAPSHOT_DISABLED_COMPRESSION}'")
    conn.execute(f"ATTACH {_quote(path)} AS new_snapshot")
    try:
        for table in tables:
            conn.execute(f"CREATE TABLE new_snapshot.main.{table} AS SELECT * FROM main.{table}")
        faults.crash_point("publish")
    finally:
        conn.execute("DETACH new_snapshot")  # checkpoints the file, still without dict_fsst
        conn.execute("RESET disabled_compression_methods")


def publish(layout: Layout, snapshot: Snapshot) -> None:
    """Make `snapshot` the file at WAREHOUSE_PATH in one rename."""
    target = layout.warehouse
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}{TEMP_MARK}{snapshot.snapshot_id}")
    temp.unlink(missing_ok=True)
    try:
        os.link(snapshot.path, temp)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(snapshot.path, temp)
        os.chmod(temp, 0o444)
        _fsync(temp)
    os.replace(temp, target)
    _fsync(target.parent)


def _describe(snap: duckdb.DuckDBPyConnection, snapshot_id: str, run_id: str, now: datetime
              ) -> dict[str, int]:
    """Write `snapshot_info` and `snapshot_tables` into the snapshot; the row counts."""
    counts = {t: wh.scalar(snap, f"SELECT count(*) FROM main.{t}")
              for t in [*contract.published_tables(), *contract.VIEWS]}
    snap.execute(f"CREATE TABLE main.{INFO_TABLE} (snapshot_id VARCHAR, run_id VARCHAR, "
                 "published_at TIMESTAMP)")
    snap.execute(f"INSERT INTO main.{INFO_TABLE} VALUES (?, ?, ?)", [snapshot_id, run_id, now])
    snap.execute(f"CREATE TABLE main.{TABLES_TABLE} (table_name VARCHAR, table_type VARCHAR, "
                 "row_count BIGINT)")
    snap.executemany(f"INSERT INTO main.{TABLES_TABLE} VALUES (?, ?, ?)", [
        [t, "VIEW" if t in contract.VIEWS else "BASE TABLE", n] for t, n in counts.items()])
    return counts


def _new_id(layout: Layout, now: datetime, run_id: str) -> str:
    base = f"{now:%Y%m%dT%H%M%SZ}-{run_id[:8]}"
    candidate, number = base, 1
    while (layout.snapshots / f"{candidate}.duckdb").exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


# --- reading the record -------------------------------------------------------------------

def list_snapshots(layout: Layout) -> list[Snapshot]:
    """Complete snapshots, newest first (a file that cannot be read is left out)."""
    found = []
    for path in sorted(layout.snapshots.glob("*.duckdb")) if layout.snapshots.is_dir() else []:
        if path.name.startswith("."):
            continue
        with contextlib.suppress(duckdb.Error):
            found.append(read_snapshot(path))
    return sorted(found, key=lambda s: (s.published_at, s.snapshot_id), reverse=True)


def read_snapshot(path: Path) -> Snapshot:
    with duckdb.connect(str(path), read_only=True) as conn:
        snapshot_id, run_id, published_at = conn.execute(
            f"SELECT snapshot_id, run_id, published_at FROM main.{INFO_TABLE}").fetchone()
        counts = dict(conn.execute(
            f"SELECT table_name, row_count FROM main.{TABLES_TABLE}").fetchall())
    return Snapshot(snapshot_id, run_id, published_at, path, counts)


def _published_snapshot(layout: Layout) -> Snapshot | None:
    """The published file read as a snapshot, wherever it came from; None if there is none."""
    if not layout.warehouse.exists():
        return None
    with contextlib.suppress(duckdb.Error, TypeError):
        return read_snapshot(layout.warehouse)
    return None


def current_snapshot(layout: Layout, snapshots: list[Snapshot] | None = None) -> Snapshot | None:
    """The snapshot WAREHOUSE_PATH holds: the one it is a link of, else by its own id."""
    try:
        published = layout.warehouse.stat()
    except FileNotFoundError:
        return None
    snapshots = list_snapshots(layout) if snapshots is None else snapshots
    for snapshot in snapshots:
        with contextlib.suppress(OSError):
            if os.path.samestat(published, snapshot.path.stat()):
                return snapshot
    with contextlib.suppress(duckdb.Error):  # published by copy
        own_id = read_snapshot(layout.warehouse).snapshot_id
        return next((s for s in snapshots if s.snapshot_id == own_id), None)
    return None


# --- retention, rollback, clean-up ----------------------------------------------------------

def prune(layout: Layout, keep: int) -> list[Path]:
    """Delete snapshots beyond the newest `keep`, never the published one."""
    snapshots = list_snapshots(layout)
    current = current_snapshot(layout, snapshots)
    removed = []
    for snapshot in snapshots[keep:]:
        if current is None or snapshot.snapshot_id != current.snapshot_id:
            snapshot.path.unlink(missing_ok=True)
            removed.append(snapshot.path)
    return removed


def find_snapshot(layout: Layout, wanted: str | None) -> Snapshot:
    """The snapshot whose id or run id starts with `wanted`; by default the one before the
    published one. Raises LookupError with what there is to choose from."""
    snapshots = list_snapshots(layout)
    if not snapshots:
        raise LookupError(f"no snapshots in {layout.snapshots}")
    if wanted:
        matches = [s for s in snapshots
                   if s.snapshot_id.startswith(wanted) or s.run_id.startswith(wanted)]
        if len(matches) != 1:
            problem = "no snapshot matches" if not matches else "several snapshots match"
            raise LookupError(f"{problem} {wanted!r}; choose one of: "
                              + ", ".join(s.snapshot_id for s in snapshots))
        return matches[0]
    current = current_snapshot(layout, snapshots)
    older = [s for s in snapshots if current is None or s.published_at < current.published_at]
    if not older:
        raise LookupError("no snapshot older than the published one")
    return older[0]


def rollback(conn: duckdb.DuckDBPyConnection, layout: Layout, snapshot: Snapshot) -> None:
    """Publish an earlier snapshot and reset the private copy to it (call under the run lock)."""
    cleanup_temporary(layout)
    publish(layout, snapshot)
    restore_private_copy(conn, snapshot)


def cleanup_temporary(layout: Layout) -> list[Path]:
    """Remove what an interrupted run or rollback left (call under the run lock)."""
    removed = []
    for folder, pattern in layout.temporary_files():
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            if path.is_dir() and not path.is_symlink():  # DuckDB's spill folder
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def atomic_write_text(path: Path, text: str) -> None:
    """Write a published file (report, export) so a reader sees the old or the new one."""
    temp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


# --- the private copy and the run journal -------------------------------------------------

def adopt_legacy_warehouse(layout: Layout) -> bool:
    """A warehouse built before snapshots existed (one file holding `cache`, `staging` and
    `main`) becomes the private file on the first run, so its extraction cache is kept; the
    next publication replaces it at WAREHOUSE_PATH with a snapshot (call under the run lock)."""
    if layout.pipeline_db.exists() or not layout.warehouse.is_file():
        return False
    try:
        with duckdb.connect(str(layout.warehouse), read_only=True) as conn:
            legacy = (wh.scalar(conn, "SELECT count(*) FROM information_schema.schemata "
                                      "WHERE schema_name = 'cache'")
                      and not wh.table_exists(conn, "main", INFO_TABLE))
    except duckdb.Error:
        return False
    if not legacy:
        return False
    layout.pipeline_db.parent.mkdir(parents=True, exist_ok=True)
    temp = layout.pipeline_db.with_name(f".{layout.pipeline_db.name}{TEMP_MARK}{os.getpid()}")
    shutil.copyfile(layout.warehouse, temp)
    os.replace(temp, layout.pipeline_db)
    return True


def restore_private_copy(conn: duckdb.DuckDBPyConnection, snapshot: Snapshot | None) -> None:
    """Make the private `main` equal to `snapshot` (empty when there is none), in one go."""
    tables = contract.published_tables()
    if snapshot is not None:
        conn.execute(f"ATTACH {_quote(snapshot.path)} AS restore_from (READ_ONLY)")
    try:
        with wh.transaction(conn):
            for view in contract.VIEWS:
                conn.execute(f"DROP VIEW IF EXISTS main.{view}")
            for table in tables:
                if snapshot is not None and table in snapshot.row_counts:
                    conn.execute(f"CREATE OR REPLACE TABLE main.{table} AS "
                                 f"SELECT * FROM restore_from.main.{table}")
                else:
                    conn.execute(f"DROP TABLE IF EXISTS main.{table}")
    finally:
        if snapshot is not None:
            with contextlib.suppress(duckdb.Error):
                conn.execute("DETACH restore_from")
    if snapshot is not None:
        wh.create_views(conn, list(contract.VIEWS))


@dataclass(frozen=True)
class RunStart:
    """What `begin_run` found and did."""

    previous_run: str | None
    previous_outcome: str  # 'ok', 'interrupted', 'failed', 'none'
    reset_to: str | None  # snapshot id the private copy was reset to ('' = emptied)
    removed: list[Path]

    def messages(self) -> Iterator[str]:
        if self.removed:
            yield (f"removed {len(self.removed)} temporary file(s) left by an interrupted run: "
                   + ", ".join(p.name for p in self.removed[:5]))
        if self.reset_to and self.previous_run is None:
            yield (f"no pipeline state beside the published warehouse: started from its "
                   f"snapshot {self.reset_to}")
        elif self.reset_to is not None:
            target = f"snapshot {self.reset_to}" if self.reset_to else "an empty warehouse"
            yield (f"run {self.previous_run} {self.previous_outcome} before publishing; the "
                   f"pipeline's copy of the published tables was reset to {target}")


def ensure_journal(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS pipeline_state")
    conn.execute("CREATE TABLE IF NOT EXISTS pipeline_state.runs (run_id VARCHAR PRIMARY KEY, "
                 "pid INTEGER, started_at TIMESTAMP, ended_at TIMESTAMP, "
                 "failed BOOLEAN NOT NULL DEFAULT false, snapshot_id VARCHAR)")


def begin_run(conn: duckdb.DuckDBPyConnection, layout: Layout, run_id: str,
              continues: tuple[str, ...] = ()) -> RunStart:
    """Start `run_id` (call under the run lock): remove temporary files, reset the private
    copy if the previous run was killed or failed (unless this run re-executes that one,
    whose id is in `continues`), and record the start."""
    removed = cleanup_temporary(layout)
    ensure_journal(conn)
    previous = conn.execute(
        "SELECT run_id, ended_at IS NULL, failed FROM pipeline_state.runs WHERE run_id <> ? "
        "ORDER BY started_at DESC LIMIT 1", [run_id]).fetchall()
    previous_run, outcome, reset_to = None, "none", None
    if previous:
        previous_run, interrupted, failed = previous[0]
        outcome = "was interrupted" if interrupted else "failed" if failed else "ok"
        if outcome != "ok" and previous_run not in continues:
            snapshot = current_snapshot(layout)
            restore_private_copy(conn, snapshot)
            reset_to = snapshot.snapshot_id if snapshot else ""
    elif not previous and not wh.table_exists(conn, "main", "incidents"):
        # A new private copy beside a published warehouse (moved, copied, or its state
        # folder removed): start from what is published, so event ids and codes carry over.
        published = _published_snapshot(layout)
        if published is not None:
            restore_private_copy(conn, published)
            reset_to = published.snapshot_id
    now = datetime.now(UTC).replace(tzinfo=None)
    conn.execute("INSERT OR REPLACE INTO pipeline_state.runs VALUES (?, ?, ?, NULL, false, NULL)",
                 [run_id, os.getpid(), now])
    conn.execute("DELETE FROM pipeline_state.runs WHERE run_id NOT IN (SELECT run_id FROM "
                 f"pipeline_state.runs ORDER BY started_at DESC LIMIT {JOURNAL_ROWS_KEPT})")
    return RunStart(previous_run, outcome, reset_to, removed)


def end_run(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    ensure_journal(conn)
    conn.execute("UPDATE pipeline_state.runs SET ended_at = ? WHERE run_id = ?",
                 [datetime.now(UTC).replace(tzinfo=None), run_id])


def mark_failed(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Record that a step of `run_id` failed after (maybe) writing to the private copy."""
    with contextlib.suppress(duckdb.Error):
        conn.execute("ROLLBACK")  # a failed statement may have left a transaction open
    ensure_journal(conn)
    conn.execute("UPDATE pipeline_state.runs SET failed = true WHERE run_id = ?", [run_id])


def record_publication(conn: duckdb.DuckDBPyConnection, run_id: str, snapshot_id: str) -> None:
    ensure_journal(conn)
    conn.execute("UPDATE pipeline_state.runs SET snapshot_id = ? WHERE run_id = ?",
                 [snapshot_id, run_id])


# --- files ----------------------------------------------------------------------------------

def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries after a rename, to disk."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if stat.S_ISDIR(path.stat().st_mode) else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
