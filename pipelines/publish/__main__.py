"""List the warehouse's snapshots, or publish an earlier one again.

    python -m pipelines.publish list                 # make snapshots
    python -m pipelines.publish rollback [--to ID]   # make rollback [TO=ID]

`--to` takes a snapshot id or a run id, or the start of one; without it, rollback publishes
the snapshot before the published one. A rollback takes the run lock (so it waits for a
running pipeline, RUN_LOCK_TIMEOUT) and resets the pipeline's private copy to the snapshot it
publishes, so the next run starts from it. With DAGSTER_HOME set (the Makefile sets it), the
UI records the rollback as a materialization of `warehouse_snapshot` with the snapshot's own
time, so the freshness check measures the age of what is published.
"""

import argparse
import os
import sys
import uuid

from pipelines import settings, warehouse
from pipelines.publish import snapshots
from pipelines.runlock import Holder, WarehouseBusy, lock_path_for, run_lock, waiting_message

SHOWN_TABLES = ("articles", "incidents", "actors", "places")


def list_command(where: snapshots.Layout) -> int:
    found = snapshots.list_snapshots(where)
    if not found:
        print(f"No snapshots in {where.snapshots}: run `make run` first.")
        return 0
    current = snapshots.current_snapshot(where, found)
    print(f"Snapshots of {where.warehouse} (newest first; {settings.snapshots_keep()} kept, "
          f"in {where.snapshots}); * = published")
    for s in found:
        mark = "*" if current and s.snapshot_id == current.snapshot_id else " "
        counts = "  ".join(f"{t} {s.row_counts.get(t, 0)}" for t in SHOWN_TABLES)
        print(f"{mark} {s.snapshot_id:<32} {s.published_at:%Y-%m-%d %H:%M:%S} UTC  "
              f"run {s.run_id[:8]}  {counts}")
    if current is None:
        print(f"(the file at {where.warehouse} is none of these)")
    return 0


def rollback_command(where: snapshots.Layout, wanted: str | None) -> int:
    try:
        with run_lock(lock_path_for(where.pipeline_db), f"rollback-{uuid.uuid4().hex[:8]}",
                      settings.run_lock_timeout(), _announce, label="make rollback"):
            target = snapshots.find_snapshot(where, wanted)
            with warehouse.connect(where.pipeline_db) as conn:
                snapshots.rollback(conn, where, target)
    except LookupError as problem:
        print(f"Nothing rolled back: {problem}", file=sys.stderr)
        return 1
    except WarehouseBusy as busy:
        print(f"Nothing rolled back: {busy}", file=sys.stderr)
        return 1
    print(f"Published snapshot {target.snapshot_id} (run {target.run_id}, "
          f"{target.published_at:%Y-%m-%d %H:%M:%S} UTC) at {where.warehouse}.")
    if os.getenv("DAGSTER_HOME"):
        import dagster as dg

        from pipelines.publish.assets import report_rollback

        with dg.DagsterInstance.get() as instance:
            report_rollback(instance, target, str(where.warehouse))
    return 0


def _announce(holder: Holder | None) -> None:
    print(waiting_message(holder, settings.run_lock_timeout()), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.publish", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the snapshots, the published one marked *")
    back = commands.add_parser("rollback", help="publish an earlier snapshot")
    back.add_argument("--to", help="snapshot id or run id (or its start)")
    args = parser.parse_args(argv)
    where = snapshots.Layout.for_warehouse(settings.warehouse_path())
    if args.command == "list":
        return list_command(where)
    return rollback_command(where, args.to)


if __name__ == "__main__":
    sys.exit(main())

