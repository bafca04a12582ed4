"""Publish stage: the `warehouse_snapshot` asset, its job, its sensor and its freshness check.

`incidents_job` ends with `warehouse_snapshot`, so a whole run publishes itself. A run that
materializes only some assets (a selection in the UI) does not include it; when such a run
succeeds, `publish_after_partial_run` asks for `publish_snapshot_job`, which publishes the
private copy: the tables that run rebuilt, the others as they were.
"""

import dataclasses
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import dagster as dg
from dagster import DagsterEventType
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from pipelines import settings
from pipelines.publish import snapshots
from pipelines.resources import WarehouseResource

SNAPSHOT_ASSET = "warehouse_snapshot"
PUBLISH_JOB = "publish_snapshot_job"
FRESHNESS_LIMIT = timedelta(hours=26)
OUTSIDE_THE_WAREHOUSE = {"extracted_partition"}


def build_snapshot_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The snapshot asset, downstream of every asset of the stages (so it runs last)."""
    deps = sorted({key for assets in upstream for key in assets.keys}, key=lambda k: k.path)

    @dg.asset(name=SNAPSHOT_ASSET, group_name="publish", deps=deps, kinds={"duckdb"},
              owners=["team:data-eng"])
    def warehouse_snapshot(context: dg.AssetExecutionContext,
                           warehouse: WarehouseResource) -> dg.MaterializeResult:
        """The published warehouse (WAREHOUSE_PATH): a complete snapshot of every published
        table and view, written beside it and swapped into place atomically, so open readers
        keep their view and new connections see this run. The newest SNAPSHOTS_KEEP are kept
        for `make rollback`."""
        keep = warehouse.keep_snapshots or settings.snapshots_keep()
        with warehouse.connect() as conn:
            # A whole run with nothing new keeps the published snapshot; a publication asked
            # for (publish_snapshot_job after a partial run) always writes one.
            snapshot, removed = snapshots.publish_run(
                conn, warehouse.layout(), context.run_id, keep,
                keep_unchanged=context.dagster_run.job_name != PUBLISH_JOB)
        unchanged = snapshot.run_id != context.run_id
        if unchanged:
            # Nothing changed: the published snapshot is this run's result, confirmed now.
            context.log.info(f"no published table changed: snapshot {snapshot.snapshot_id} "
                             f"stays published at {warehouse.path}")
            confirmed = dataclasses.replace(snapshot, published_at=datetime.now(UTC).replace(
                tzinfo=None))
            return dg.MaterializeResult(metadata=snapshot_metadata(confirmed, warehouse.path) | {
                "snapshots_removed": 0, "unchanged": True})
        context.log.info(f"published snapshot {snapshot.snapshot_id} at {warehouse.path}; "
                         f"{len(removed)} old snapshot(s) removed")
        return dg.MaterializeResult(metadata=snapshot_metadata(snapshot, warehouse.path) | {
            "snapshots_removed": len(removed), "unchanged": False})

    return warehouse_snapshot


def snapshot_metadata(snapshot: snapshots.Snapshot, published: str) -> dict:
    """What the UI shows of a published snapshot; its publication time is the asset's last
    update, which the freshness check measures (a rollback reports an older one)."""
    rows = "\n".join(f"| {table} | {count} |" for table, count in snapshot.row_counts.items())
    return {
        "snapshot_id": snapshot.snapshot_id,
        "run_id": snapshot.run_id,
        "dagster/last_updated_timestamp": dg.MetadataValue.timestamp(
            snapshot.published_at.replace(tzinfo=UTC)),
        "warehouse": dg.MetadataValue.path(published),
        "snapshot_file": dg.MetadataValue.path(str(snapshot.path)),
        "tables": dg.MetadataValue.md("| table | rows |\n|---|---|\n" + rows),
    }


def report_rollback(instance: dg.DagsterInstance, snapshot: snapshots.Snapshot, published: str
                    ) -> None:
    """Record in the UI that an earlier snapshot is published again."""
    instance.report_runless_asset_event(dg.AssetMaterialization(
        SNAPSHOT_ASSET, description=f"rolled back to snapshot {snapshot.snapshot_id}",
        metadata=snapshot_metadata(snapshot, published) | {"rollback": True}))


def build_publish_job() -> UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        PUBLISH_JOB, selection=[SNAPSHOT_ASSET], executor_def=dg.in_process_executor,
        description="Publish the pipeline's current tables as a new snapshot (after a partial run).")


def needs_publication(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Did the run materialize assets but not the snapshot?"""
    records = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records
    keys = {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in records}
    # Partitioned extraction writes Parquet, not the warehouse: nothing to publish after it.
    keys -= OUTSIDE_THE_WAREHOUSE
    return bool(keys) and SNAPSHOT_ASSET not in keys


def build_publish_sensor(publish_job: UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        name="publish_after_partial_run",
        run_status=dg.DagsterRunStatus.SUCCESS,
        request_job=publish_job,
        minimum_interval_seconds=5,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="After a successful run that rebuilt tables without publishing them (assets "
        "materialized from the UI), start publish_snapshot_job.",
    )
    def publish_after_partial_run(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        if not needs_publication(context.instance, run.run_id):
            return dg.SkipReason(f"run {run.run_id} published itself or materialized nothing")
        return dg.RunRequest(run_key=f"publish-after-{run.run_id}",
                             tags={"published_after_run": run.run_id})

    return publish_after_partial_run


# A freshness *check* (visible beside the snapshot's other checks, evaluated by the sensor
# below) rather than Dagster 1.13's FreshnessPolicy, which needs the instance's freshness
# daemon switched on and shows as asset health, not as a check (docs/decisions.md).
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    freshness_checks = dg.build_last_update_freshness_checks(
        assets=[SNAPSHOT_ASSET], lower_bound_delta=FRESHNESS_LIMIT,
        severity=dg.AssetCheckSeverity.WARN)
    freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=freshness_checks, name="snapshot_freshness_sensor",
        default_status=dg.DefaultSensorStatus.RUNNING)
