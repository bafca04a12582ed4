"""Marts, the HTML report, the folder fingerprint behind the sensor, and the SQL shell."""

import io
import json
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from pipelines import warehouse as wh
from pipelines.contract import VIEWS, conform
from pipelines.marts.report import render_report
from pipelines.sensors import folder_fingerprint
from pipelines.settings import PROJECT_ROOT
from pipelines.sql_shell import run, statements

# Two events in the same ISO week (2024-W09), one undated; the clash is told by two articles
# (English without a toll, French with 3 dead), so it counts once with 3 dead; the police take
# part in two events, once with two roles.
TINY = {
    "articles": [
        {"article_id": "a1", "source_uri": "a1.txt", "external_id": "a1", "outlet": "Reuters",
         "url": "https://www.reuters.com/world/a1",
         "body": "Police clashed with gangs in Delmas. Two people died in Gonaives."},
        {"article_id": "a2", "source_uri": "a2.txt", "external_id": "a2", "outlet": "Le Nouvelliste",
         "body": "La police a affronté des gangs à Delmas."},
    ],
    "places": [
        {"place_id": "p1", "name": "Delmas", "place_kind": "city", "country_iso3": "HTI",
         "admin1": "Ouest", "latitude": 18.54, "longitude": -72.30},
        {"place_id": "p2", "name": "Gonaives", "place_kind": "city", "country_iso3": "HTI",
         "admin1": "Artibonite", "latitude": 19.45, "longitude": -72.69},
        {"place_id": "p0", "name": "Haiti", "place_kind": "country", "country_iso3": "HTI"},
    ],
    "incidents": [
        {"incident_id": "i1", "article_id": "a1", "event_date": date(2024, 2, 26),
         "date_precision": "day", "event_type": "Battles", "sub_event_type": "Armed clash",
         "place_id": "p1", "geo_precision": 1, "fatalities": None, "char_start": 0, "char_end": 36},
        {"incident_id": "i2", "article_id": "a1", "event_date": date(2024, 3, 3),
         "date_precision": "day", "event_type": "Violence against civilians",
         "sub_event_type": "Attack", "place_id": "p2", "geo_precision": 1, "fatalities": 2,
         "char_start": 37, "char_end": 65},
        {"incident_id": "i3", "article_id": "a1", "event_date": None, "date_precision": "unknown",
         "event_type": "Riots", "sub_event_type": "Mob violence", "place_id": None,
         "geo_precision": 3, "fatalities": 0, "char_start": 0, "char_end": 36},
        {"incident_id": "i4", "article_id": "a2", "event_date": date(2024, 2, 26),
         "date_precision": "day", "event_type": "Battles", "sub_event_type": "Armed clash",
         "place_id": "p1", "geo_precision": 1, "fatalities": 3, "char_start": 0, "char_end": 40},
    ],
    "actors": [{"actor_id": "g1", "name": "Gang <X>", "category": "political_militia"}],
    "institutions": [{"institution_id": "n1", "name": "Haitian National Police",
                      "category": "state_forces"}],
    "incident_actors": [{"incident_id": "i1", "actor_id": "g1", "role": "actor2"}],
    "incident_institutions": [
        {"incident_id": "i1", "institution_id": "n1", "role": "actor1"},
        {"incident_id": "i4", "institution_id": "n1", "role": "actor1"},
        {"incident_id": "i2", "institution_id": "n1", "role": "actor1"},
        {"incident_id": "i2", "institution_id": "n1", "role": "associated"},
    ],
    "events": [
        {"event_id": "e1", "event_id_cnty": "HTI1", "country_iso3": "HTI",
         "event_date": date(2024, 2, 26), "date_precision": "day", "event_type": "Battles",
         "sub_event_type": "Armed clash", "place_id": "p1", "geo_precision": 1, "fatalities": 3,
         "fatalities_min": 3, "fatalities_max": 3, "n_sources": 2, "n_independent_sources": 2,
         "source": "Reuters; Le Nouvelliste", "source_scale": "National-International",
         "summary": "Police clashed with gangs in Delmas.",
         "updated_at": datetime(2024, 3, 4, 12, 0)},
        {"event_id": "e2", "event_id_cnty": "HTI2", "country_iso3": "HTI",
         "event_date": date(2024, 3, 3), "date_precision": "day",
         "event_type": "Violence against civilians", "sub_event_type": "Attack", "place_id": "p2",
         "geo_precision": 1, "fatalities": 2, "n_sources": 1, "source": "Reuters"},
        {"event_id": "e3", "event_id_cnty": "HTI3", "country_iso3": "HTI", "event_date": None,
         "date_precision": "unknown", "event_type": "Riots", "sub_event_type": "Mob violence",
         "place_id": None, "geo_precision": 3, "fatalities": 0, "n_sources": 1,
         "source": "Reuters"},
    ],
    "event_incidents": [
        {"event_id": "e1", "incident_id": "i1", "article_id": "a1", "wire_group": "a1"},
        {"event_id": "e1", "incident_id": "i4", "article_id": "a2", "wire_group": "a2"},
        {"event_id": "e2", "incident_id": "i2", "article_id": "a1", "wire_group": "a1"},
        {"event_id": "e3", "incident_id": "i3", "article_id": "a1", "wire_group": "a1"},
    ],
    "countries": [{"iso3": "HTI", "iso": 332, "country": "Haiti", "region": "Caribbean"}],
}


@pytest.fixture
def tiny_warehouse(tmp_path):
    """A hand-made warehouse with the tables the marts read, in the contract's shape."""
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as conn:
        for table, rows in TINY.items():
            wh.write_table(conn, f"main.{table}", conform(table, pl.DataFrame(rows)))
        wh.create_views(conn, list(VIEWS))
        for mart in ["weekly_incidents", "actor_activity"]:
            conn.execute(wh.load_sql(f"marts/{mart}"))
    return path


def test_weekly_incidents_counts_events_once_with_their_reconciled_toll(tiny_warehouse):
    with duckdb.connect(str(tiny_warehouse), read_only=True) as conn:
        rows = conn.sql("SELECT iso_week, week_start, event_type, admin1, events, fatalities, "
                        "reports, incidents FROM weekly_incidents ORDER BY event_type").fetchall()
    assert rows == [
        ("2024-W09", date(2024, 2, 26), "Battles", "Ouest", 1, 3, 2, 1),
        (None, None, "Riots", "unknown", 1, 0, 1, 1),
        ("2024-W09", date(2024, 2, 26), "Violence against civilians", "Artibonite", 1, 2, 1, 1),
    ]


def test_actor_activity_ranks_actors_and_institutions_together(tiny_warehouse):
    with duckdb.connect(str(tiny_warehouse), read_only=True) as conn:
        rows = conn.sql("SELECT entity_table, entity_id, events, events_as_actor1, fatalities, "
                        "first_seen, last_seen, reports, incidents FROM actor_activity").fetchall()
    assert rows == [
        # The clash told twice counts once with its 3 dead; two roles on i2 count its 2 dead once.
        ("institutions", "n1", 2, 2, 5, date(2024, 2, 26), date(2024, 3, 3), 3, 2),
        ("actors", "g1", 1, 0, 3, date(2024, 2, 26), date(2024, 2, 26), 1, 1),
    ]


def test_acled_events_has_one_row_per_event_in_acleds_column_order(tiny_warehouse):
    from pipelines.marts.export import ACLED_COLUMNS

    with duckdb.connect(str(tiny_warehouse), read_only=True) as conn:
        frame = conn.sql("SELECT * FROM acled_events ORDER BY event_id_cnty").pl()
    assert frame.columns[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert frame.columns[len(ACLED_COLUMNS):len(ACLED_COLUMNS) + 2] == ["event_id", "n_sources"]
    clash, attack, riot = frame.to_dicts()
    assert (clash["event_id"], clash["n_sources"], clash["fatalities"]) == ("e1", 2, 3)
    assert clash["source"] == "Reuters; Le Nouvelliste"
    assert (clash["inter1"], clash["inter2"], clash["interaction"]) == (1, 3, 13)
    assert (clash["iso"], clash["region"], clash["country"], clash["year"]) == \
        (332, "Caribbean", "Haiti", 2024)
    assert clash["disorder_type"] == "Political violence" and clash["admin3"] is None
    assert clash["timestamp"] == int(datetime(2024, 3, 4, 12, 0, tzinfo=UTC).timestamp())
    assert clash["external_id"] == "a1; a2"
    assert (attack["inter1"], attack["inter2"], attack["interaction"]) == (1, 0, 10)
    assert riot["disorder_type"] == "Political violence" and riot["tags"] == "crowd size=no report"
    assert riot["fatalities"] == 0 and riot["latitude"] is None


def test_geojson_features_and_report_rows_from_sql(tiny_warehouse):
    with duckdb.connect(str(tiny_warehouse), read_only=True) as conn:
        features = [json.loads(text) for text in
                    wh.frame(conn, wh.load_sql("marts/incidents_geojson"))["feature"]]
        report = wh.frame(conn, wh.load_sql("marts/report_incidents"))
    assert [f["id"] for f in features] == ["e1", "e2"]  # e3 has no place, so no coordinates
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [-72.30, 18.54]}
    assert features[0]["properties"]["event_date"] == "2024-02-26"
    assert features[0]["properties"]["actor1"] == "Haitian National Police"
    assert features[0]["properties"]["fatalities"] == 3
    assert features[0]["properties"]["n_sources"] == 2
    evidence = dict(zip(report["incident_id"], report["evidence"], strict=True))
    assert report.filter(pl.col("event_id") == "e1")["incident_id"].sort().to_list() == ["i1", "i4"]
    assert evidence["i1"] == "Police clashed with gangs in Delmas."
    assert evidence["i4"] == "La police a affronté des gangs à Delmas."
    assert evidence["i2"] == "Two people died in Gonaives."


def test_sql_shell_reads_statements_from_a_pipe(tiny_warehouse):
    script = "select event_type,\n  count(*) as n from acled_events group by 1;\n.quit\nselect 1;\n"
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.sql_shell", "--path", str(tiny_warehouse)],
        input=script, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60, check=True)
    assert "Battles" in result.stdout and "Riots" in result.stdout
    assert "shape: (3, 2)" in result.stdout and "shape: (1, 1)" not in result.stdout


def test_sql_shell_splits_statements_on_semicolons():
    lines = ["select 1;", "", ".tables", "select", "  2;", "select 3", ".quit", "select 4;"]
    parsed = list(statements(iter(lines)))
    assert parsed[0] == "select 1;" and "information_schema" in parsed[1]
    assert parsed[2] == "select\n  2;"
    assert parsed[3] == "select 3\n.quit\nselect 4;"  # .quit inside a statement is text


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
    third = folder_fingerprint(tmp_path)
    assert third != second
    (tmp_path / ".hidden.txt").write_text("ingest skips hidden files")
    assert folder_fingerprint(tmp_path) == third


def _reports(urls: tuple = (None, None, None)) -> pl.DataFrame:
    """Two events; the first told by two outlets (20 and 25 dead), the second by one."""
    return pl.DataFrame({
        "event_id": ["evt_1", "evt_1", "evt_2"], "event_id_cnty": ["HTI1", "HTI1", "HTI2"],
        "event_date": [date(2024, 3, 1), date(2024, 3, 1), date(2024, 4, 2)],
        "time_precision": [1, 1, 3], "event_type": ["Battles", "Battles", "Protests"],
        "sub_event_type": ["Armed clash", "Armed clash", "Peaceful protest"],
        "actor1": ["Police <b>Forces</b>", "Police <b>Forces</b>", "Protesters (Haiti)"],
        "actor2": [None, None, None], "location": ["Delmas", "Delmas", "Gonaives"],
        "admin1": ["Ouest", "Ouest", "Artibonite"], "latitude": [18.54, 18.54, 19.45],
        "longitude": [-72.30, -72.30, -72.69], "fatalities": [20, 20, 0],
        "fatalities_min": [20, 20, None], "fatalities_max": [25, 25, None],
        "n_sources": [2, 2, 1], "n_independent_sources": [2, 2, 1],
        "source": ["AP; Le Nouvelliste", "AP; Le Nouvelliste", "b.txt"],
        "source_scale": ["National-International", "National-International", None],
        "incident_id": ["inc_1", "inc_3", "inc_2"], "outlet": ["AP", "Le Nouvelliste", "b.txt"],
        "url": list(urls), "title": ["Police clash", "Affrontements", None],
        "published_date": [date(2024, 3, 1), date(2024, 3, 2), None],
        "language": ["en", "fr", "en"], "wire_group": ["a", "c", "b"],
        "report_fatalities": [20, 25, None],
        "evidence": ["Police clashed with <script>gangs</script> in Delmas, killing 20.",
                     "Au moins 25 bandits ont été tués à Delmas.", "Residents marched."],
    })


def _report_html(reports: pl.DataFrame) -> str:
    points = reports.unique("event_id", keep="first", maintain_order=True).select(
        "event_id", "event_date", "event_type", "location", "latitude", "longitude")
    activity = pl.DataFrame({"name": ["Police"], "entity_table": ["institutions"],
                             "category": ["state_forces"], "events": [1], "fatalities": [2],
                             "first_seen": [date(2024, 3, 1)], "last_seen": [date(2024, 3, 1)]})
    return render_report(reports, points, activity, "now")


def test_report_is_self_contained_escaped_and_linked():
    html = _report_html(_reports())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Forces" in html
    assert html.count("<svg") == 2 and "http" not in html
    assert "2 events from 3 reports" in html
    # Each event lists its sources, each linked to its evidence.
    assert html.count('id="incident-evt_1"') == 1
    assert 'href="#evidence-inc_1"' in html and 'id="evidence-inc_1"' in html
    assert 'href="#evidence-inc_3"' in html and "Au moins 25 bandits" in html
    assert "(reports: 20–25)" in html
    assert 'href="#incident-evt_2"' in html


def test_report_links_each_source_to_its_sentence_in_the_article():
    html = _report_html(_reports(("https://apnews.com/article/x", None, None)))
    assert 'href="https://apnews.com/article/x#:~:text=Police%20clashed%20with' in html


@pytest.mark.slow
def test_marts_and_exports_in_the_built_warehouse(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as conn:
        weekly = conn.sql("SELECT sum(events), sum(reports) FROM weekly_incidents").fetchall()[0]
        events = conn.sql("SELECT count(*) FROM events").fetchall()[0][0]
        total = conn.sql("SELECT count(*) FROM incidents").fetchall()[0][0]
        assert weekly == (events, total) and 0 < events <= total
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
    from pipelines.marts.export import ACLED_COLUMNS

    exported = pl.read_csv(reports / "acled_events.csv", infer_schema=False)
    assert exported.columns == ACLED_COLUMNS and exported.height == events
    assert pl.read_parquet(reports / "acled_events.parquet").columns[:len(ACLED_COLUMNS)] == \
        ACLED_COLUMNS


@pytest.mark.slow
def test_sql_shell_prints_a_table(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as conn:
        out = io.StringIO()
        run(conn, "SELECT event_type, count(*) AS n FROM acled_events GROUP BY 1", out=out)
    assert "event_type" in out.getvalue() and "Battles" in out.getvalue()
