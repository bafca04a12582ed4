"""Marts stage: analyst-facing views, tables, a GeoJSON export and an HTML report."""

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines import faults
from pipelines import warehouse as wh
from pipelines.marts.report import render_report
from pipelines.publish.snapshots import atomic_write_text
from pipelines.quality.dagster_gate import table_metadata
from pipelines.resources import WarehouseResource

PUBLISHED = ["incidents", "incident_actors", "incident_institutions", "actors", "institutions",
             "places", "articles"]


@dg.asset(group_name="marts", deps=PUBLISHED, kinds={"duckdb", "sql"}, owners=["team:data-eng"])
def acled_events(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """View with one row per incident and ACLED's export column names (sql/views/acled_events.sql)."""
    with warehouse.connect() as conn:
        wh.create_views(conn, ["acled_events"])
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
    """Incidents and fatalities per ISO week, event type and admin1 (sql/marts/weekly_incidents.sql)."""
    result = _mart_table(warehouse, "weekly_incidents")
    faults.crash_point("marts")
    return result


@dg.asset(group_name="marts", deps=[acled_events], kinds={"duckdb", "sql"},
          owners=["team:data-eng"])
def actor_activity(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Per actor and institution: incidents, fatalities, first and last seen.

    Built by sql/marts/actor_activity.sql."""
    return _mart_table(warehouse, "actor_activity")


@dg.asset(group_name="marts", deps=[acled_events], kinds={"duckdb", "json"},
          owners=["team:data-eng"])
def incidents_geojson(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """GeoJSON FeatureCollection of the incidents that have coordinates, in REPORTS_DIR.

    DuckDB builds one Feature per incident (sql/marts/incidents_geojson.sql); the row count
    and column schema describe the features' properties (sql/marts/incident_points.sql)."""
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
    """Self-contained HTML report: timeline, map, most active actors, incidents with evidence."""
    with warehouse.connect(read_only=True) as conn:
        incidents = wh.frame(conn, wh.load_sql("marts/report_incidents"))
        points = wh.frame(conn, wh.load_sql("marts/incident_points"))
        activity = wh.frame(conn, "SELECT * FROM main.actor_activity")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    path = _reports_dir(warehouse) / "incident_report.html"
    atomic_write_text(path, render_report(incidents, points, activity, generated))
    return dg.MaterializeResult(metadata={**table_metadata(incidents),
                                          "path": dg.MetadataValue.path(str(path))})


def _reports_dir(warehouse: WarehouseResource) -> Path:
    """REPORTS_DIR when set, else `reports/` beside the published warehouse."""
    folder = warehouse.layout().reports
    folder.mkdir(parents=True, exist_ok=True)
    return folder
