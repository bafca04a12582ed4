"""The Dagster code location: assets by stage, the nightly job and its schedule, the publish
job and the operations sensors.

Nothing heavy happens here (no model, no Great Expectations import): the UI and every test
load these definitions.
"""

import dagster as dg

from pipelines.events.assets import fuse_events
from pipelines.extract.assets import extract_sentences
from pipelines.extract.partitions import extract_partitions_job, extracted_partition
from pipelines.ingest.assets import fetch_log, ingest_articles
from pipelines.marts.assets import (
    acled_events,
    acled_export,
    actor_activity,
    incident_report,
    incidents_geojson,
    weekly_incidents,
)
from pipelines.normalize.assets import normalize_entities
from pipelines.publish.assets import (
    build_publish_job,
    build_publish_sensor,
    build_snapshot_asset,
    freshness_checks,
    freshness_sensor,
)
from pipelines.resources import default_resources
from pipelines.sensors import feeds_sensor, new_articles_sensor, run_failure_alert

STAGE_ASSETS = [fetch_log, ingest_articles, extract_sentences, normalize_entities, fuse_events,
                acled_events, weekly_incidents, actor_activity, incidents_geojson, incident_report,
                acled_export]
warehouse_snapshot = build_snapshot_asset(STAGE_ASSETS)
ALL_ASSETS = [*STAGE_ASSETS, warehouse_snapshot]

# The pipeline's private DuckDB file has one writer: steps run one after another in one
# process, and the run lock (pipelines/runlock.py) keeps other runs out meanwhile.
incidents_job = dg.define_asset_job(
    "incidents_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(*freshness_checks)
    - dg.AssetSelection.assets(extracted_partition),
    description="Fetch new pages from FEEDS_FILE, then rebuild the warehouse from ARTICLES_DIR and "
    "the fetched pages (ingest, extract, normalize, events, marts) and publish a snapshot.",
    executor_def=dg.in_process_executor,
)
publish_job = build_publish_job()
# Partitions run side by side on Dagster's executors (EXTRACT_EXECUTOR); they write Parquet,
# never the DuckDB file, which incidents_job alone writes.
partitions_job = extract_partitions_job()

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_incidents",
    job=incidents_job,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 UTC, pick up new articles and republish the warehouse.",
)

defs = dg.Definitions(
    assets=[*ALL_ASSETS, extracted_partition],
    asset_checks=freshness_checks,
    jobs=[incidents_job, publish_job, partitions_job],
    schedules=[nightly_schedule],
    sensors=[new_articles_sensor, feeds_sensor, build_publish_sensor(publish_job),
             freshness_sensor, run_failure_alert],
    resources=default_resources(),
    executor=dg.in_process_executor,
)
