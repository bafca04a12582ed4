"""Marts, the HTML report, the folder fingerprint behind the sensor, and the SQL shell."""

import io
import json
import os
import time
from datetime import date

import duckdb
import polars as pl
import pytest

from pipelines.marts.report import render_report
from pipelines.sensors import folder_fingerprint
from pipelines.sql_shell import run


def test_fingerprint_changes_only_when_files_change(tmp_path):
    (tmp_path / "a.txt").write_text("one article")
    (tmp_path / "notes.csv").write_text("not an article")
    first = folder_fingerprint(tmp_path)
    assert folder_fingerprint(tmp_path) == first
    assert first[1] == 1
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text('{"id": 1, "text": "x"}\n')
    second = folder_fingerprint(tmp_path)
    assert second != first and second[1] == 2
    os.utime(tmp_path / "a.txt", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert folder_fingerprint(tmp_path) != second


def _incidents() -> pl.DataFrame:
    return pl.DataFrame({
        "event_id": ["inc_1", "inc_2"], "event_date": [date(2024, 3, 1), date(2024, 4, 2)],
        "time_precision": [1, 3], "event_type": ["Battles", "Protests"],
        "sub_event_type": ["Armed clash", "Peaceful protest"],
        "actor1": ["Police <b>Forces</b>", "Protesters (Haiti)"], "actor2": [None, None],
        "location": ["Delmas", "Gonaives"], "admin1": ["Ouest", "Artibonite"],
        "latitude": [18.54, 19.45], "longitude": [-72.30, -72.69], "fatalities": [2, 0],
        "source": ["a.txt", "b.txt"],
        "evidence": ["Police clashed with <script>gangs</script>.", "Residents marched."],
    })


def test_report_is_self_contained_escaped_and_linked():
    incidents = _incidents()
    points = incidents.select("event_id", "event_date", "event_type", "location", "latitude",
                              "longitude")
    activity = pl.DataFrame({"name": ["Police"], "entity_table": ["institutions"],
                             "category": ["state_forces"], "incidents": [1], "fatalities": [2],
                             "first_seen": [date(2024, 3, 1)], "last_seen": [date(2024, 3, 1)]})
    html = render_report(incidents, points, activity, "now")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Forces" in html
    assert html.count("<svg") == 2 and "http" not in html
    assert 'href="#evidence-inc_1"' in html and 'id="evidence-inc_1"' in html
    assert 'href="#incident-inc_2"' in html


@pytest.mark.slow
def test_marts_and_exports_in_the_built_warehouse(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as conn:
        weekly = conn.sql("SELECT sum(incidents) FROM weekly_incidents").fetchall()[0][0]
        total = conn.sql("SELECT count(*) FROM incidents").fetchall()[0][0]
        assert weekly == total > 0
        activity = conn.sql(
            "SELECT name, incidents, first_seen <= last_seen FROM actor_activity "
            "WHERE name = 'Haitian National Police'").fetchall()
        assert activity and activity[0][1] >= 1 and activity[0][2]
    reports = built_warehouse.parent / "reports"
    geojson = json.loads((reports / "incidents.geojson").read_text())
    assert geojson["type"] == "FeatureCollection" and geojson["features"]
    lon, lat = geojson["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and (lat, lon) != (0, 0)
    html = (reports / "incident_report.html").read_text()
    assert "Armed clash" in html and "Haitian National Police" in html


@pytest.mark.slow
def test_sql_shell_prints_a_table(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as conn:
        out = io.StringIO()
        run(conn, "SELECT event_type, count(*) AS n FROM acled_events GROUP BY 1", out=out)
    assert "event_type" in out.getvalue() and "Battles" in out.getvalue()
