"""Marts stage: analyst-facing views, tables, a GeoJSON export and an HTML report."""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines import contract, faults
from pipelines import warehouse as wh
from pipelines.marts.export import export_acled
from pipelines.marts.report import render_report
from pipelines.publish.snapshots import atomic_write_text
from pipelines.quality.dagster_gate import table_metadata
from pipelines.resources import WarehouseResource

# Created in this order: each reads the ones before it.
PUBLISHED = ["events", "event_incidents", "countries", "incidents", "incident_actors",
             "incident_institutions", "actors", "institutions", "places", "articles"]


@dg.asset(group_name="marts", deps=PUBLISHED, kinds={"duckdb", "sql"}, owners=["team:data-eng"])
def acled_events(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """View with one row per event (fused across articles) and ACLED's export columns in
    ACLED's order, then event_id and n_sources (sql/views/acled_events.sql); beside it
    acled_incidents, the same shape per article-level incident (what the view was before
    events were fused)."""
    with warehouse.connect() as conn:
        wh.create_views(conn, list(contract.VIEWS))
        frame = wh.frame(conn, "SELECT * FROM main.acled_events")
    return dg.MaterializeResult(metadata=table_metadata(frame))


def _mart_table(warehouse: WarehouseResource, name: str) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        conn.execute(wh.load_sql(f"marts/{name}"))
        frame = wh.frame(conn, f"SELECT * FROM main.{name}")
    return dg.MaterializeResult(metadata=table_metadata(frame))


@dg.asset(group_name="marts", deps=[acled_events], kinds={"duckdb", "sql"},
          owners=["team:data-eng"])
def weekly_incidents(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Events, reconciled fatalities and reports per ISO week, event type and admin1
    (sql/marts/weekly_incidents.sql)."""
    result = _mart_table(warehouse, "weekly_incidents")
    faults.crash_point("marts")
    return result


@dg.asset(group_name="marts", deps=[acled_events], kinds={"duckdb", "sql"},
          owners=["team:data-eng"])
def actor_activity(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Per actor and institution: events taken part in, fatalities, first and last seen.

    Built by sql/marts/actor_activity.sql."""
    return _mart_table(warehouse, "actor_activity")


@dg.asset(group_name="marts", deps=[acled_events], kinds={"duckdb", "json"},
          owners=["team:data-eng"])
def incidents_geojson(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """GeoJSON FeatureCollection of the events that have coordinates, in REPORTS_DIR.

    DuckDB builds one Feature per event (sql/marts/incidents_geojson.sql); the row count and
    column schema describe the features' properties (sql/marts/incident_points.sql)."""
    with warehouse.connect(read_only=True) as conn:
        features = [json.loads(text) for text in
                    wh.frame(conn, wh.load_sql("marts/incidents_geojson"))["feature"]]
        points = wh.frame(conn, wh.load_sql("marts/incident_points"))
    path = _reports_dir(warehouse) / "incidents.geojson"
    atomic_write_text(path, json.dumps({"type": "FeatureCollection", "features": features},
                                       ensure_ascii=False))
    return dg.MaterializeResult(metadata={**table_metadata(points, rows=len(features)),
                                          "path": dg.MetadataValue.path(str(path))})


@dg.asset(group_name="marts", deps=[acled_events, actor_activity], kinds={"html"},
          owners=["team:data-eng"])
def incident_report(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Self-contained HTML report: timeline, map, most active actors, and every event with its
    sources, each linked to the sentence it was read from."""
    with warehouse.connect(read_only=True) as conn:
        reports = wh.frame(conn, wh.load_sql("marts/report_incidents"))
        points = wh.frame(conn, wh.load_sql("marts/incident_points"))
        activity = wh.frame(conn, "SELECT * FROM main.actor_activity")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    path = _reports_dir(warehouse) / "incident_report.html"
    atomic_write_text(path, render_report(reports, points, activity, generated))
    return dg.MaterializeResult(metadata={**table_metadata(reports),
                                          "events": reports["event_id"].n_unique(),
                                          "path": dg.MetadataValue.path(str(path))})


@dg.asset(group_name="marts", deps=[acled_events], kinds={"csv", "parquet"},
          owners=["team:data-eng"])
def acled_export(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """acled_events as ACLED's CSV (ACLED's columns, in ACLED's order) and as Parquet (every
    column), in REPORTS_DIR (pipelines/marts/export.py; `make export` does the same)."""
    with warehouse.connect(read_only=True) as conn:
        csv_path, parquet_path, rows = export_acled(conn, _reports_dir(warehouse))
        frame = wh.frame(conn, "SELECT * FROM main.acled_events LIMIT 0")
    return dg.MaterializeResult(metadata={**table_metadata(frame, rows=rows),
                                          "csv": dg.MetadataValue.path(str(csv_path)),
                                          "parquet": dg.MetadataValue.path(str(parquet_path))})


def _reports_dir(warehouse: WarehouseResource) -> Path:
    """REPORTS_DIR when set, else `reports/` beside the published warehouse."""
    folder = warehouse.layout().reports
    folder.mkdir(parents=True, exist_ok=True)
    return folder
