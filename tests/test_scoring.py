"""Tests of the evaluation scorer, on small invented data (no evaluation rows are used)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.evaluation import __main__ as cli
from pipelines.evaluation import report, scoring
from pipelines.evaluation.__main__ import DEV_SETS
from pipelines.evaluation.calibrate import SHORT_FIT_SETS
from pipelines.settings import PROJECT_ROOT
from pipelines.warehouse import load_sql

# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    assert scoring.haversine_km(18.5, -72.3, 18.5, -72.3) == pytest.approx(0.0)
    # One degree of latitude is about 111.2 km anywhere.
    assert scoring.haversine_km(10.0, 5.0, 11.0, 5.0) == pytest.approx(111.2, abs=0.1)
    # One degree of longitude shrinks with cos(latitude).
    assert scoring.haversine_km(60.0, 0.0, 60.0, 1.0) == pytest.approx(55.6, abs=0.1)
    assert scoring.haversine_km(None, -72.3, 18.5, -72.3) is None


@pytest.mark.parametrize(
    ("gold", "predicted", "precision", "expected"),
    [
        ("2024-03-06", "2024-03-06", "day", True),
        ("2024-03-07", "2024-03-06", "day", False),
        # 2024-03-06 is a Wednesday: ISO week Mon 03-04 .. Sun 03-10, 7-day window to 03-12.
        ("2024-03-04", "2024-03-06", "week", True),
        ("2024-03-12", "2024-03-06", "week", True),
        ("2024-03-03", "2024-03-06", "week", False),
        ("2024-03-13", "2024-03-06", "week", False),
        ("2024-02-29", "2024-02-01", "month", True),
        ("2024-03-01", "2024-02-01", "month", False),
        ("2024-02-10", "2024-02-20", "unknown", True),
        ("2024-12-31", "2024-01-01", "year", True),
        ("2025-01-01", "2024-06-01", "year", False),
        ("2024-03-06", None, "day", False),
    ],
)
def test_date_windows(gold: str, predicted: str | None, precision: str, expected: bool) -> None:
    assert scoring.date_matches(gold, predicted, precision) is expected


def test_date_window_bounds() -> None:
    december = (date(2024, 12, 1), date(2024, 12, 31))
    assert scoring.date_window(date(2024, 12, 15), "month") == december
    # Sunday 2024-03-10: ISO week from Monday 03-04, seven days from the date to 03-16.
    assert scoring.date_window(date(2024, 3, 10), "week") == (date(2024, 3, 4), date(2024, 3, 16))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Grand'Anse", "Grande Anse", True),
        ("Grand'Anse", "Grande-Anse", True),
        ("GRAND ANSE", "grande-anse", True),
        ("Département de l'Ouest", "Ouest", True),
        ("Nord-Est", "Nord Est", True),
        ("Nord-Est", "Nord", False),
        ("Nord-Ouest", "Ouest", False),
        ("Sud", None, False),
        (None, None, False),
    ],
)
def test_admin1_folding(a: str | None, b: str | None, expected: bool) -> None:
    assert scoring.admin1_equal(a, b) is expected


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Police Forces of Haiti (2024-)", "state_forces"),
        ("Police Forces of Haiti (2017-2024) Prison Guards", "state_forces"),
        ("Military Forces of Haiti (2024-)", "state_forces"),
        ("Police Forces of Freedonia (2020-)", "external_forces"),
        ("Multinational Patrol Mission (2023-)", "external_forces"),
        ("Kenyan police", "external_forces"),
        ("Civilians (Haiti)", "civilians"),
        ("Protesters (Haiti)", "protesters"),
        ("Rioters (Haiti)", "rioters"),
        ("Red Lantern Gang", "political_militia"),
        ("Unidentified Gang (Haiti)", "political_militia"),
        ("Unidentified Armed Group (Haiti)", "political_militia"),
        ("Viv Ansanm Gang", "political_militia"),
        ("Testville Vigilante Brigade", "identity_militia"),
        ("Bwa Kale Movement", "identity_militia"),
        ("Somewhere Communal Militia (Haiti)", "identity_militia"),
        ("Chamber of Commerce", "other"),
        (None, None),
    ],
)
def test_gold_actor_category(name: str | None, category: str | None) -> None:
    assert scoring.gold_actor_category(name) == category


def test_coarse_class_groups_armed_groups() -> None:
    classes = {scoring.coarse_class(c) for c in ("political_militia", "identity_militia",
                                                 "rebel_group")}
    assert classes == {"armed_group"}
    assert scoring.coarse_class("state_forces") == "state_forces"
    assert scoring.coarse_class(None) is None


def test_named_group_normalisation_and_matching() -> None:
    assert scoring.normalise_group_name("Red Lantern Gang") == "red lantern"
    assert scoring.normalise_group_name("Blue Shark Gang (2024-)") == "blue shark"
    assert scoring.is_named_group("Red Lantern Gang")
    assert not scoring.is_named_group("Unidentified Gang (Haiti)")
    assert not scoring.is_named_group("Police Forces of Haiti (2024-)")
    assert not scoring.is_named_group("Civilians (Haiti)")
    # token containment in either direction, case and accents folded
    assert scoring.group_found("Red Lantern Gang", ["the Red Lantern gang"])
    assert scoring.group_found("Base Red Lantern Gang", ["Red Lantérn"])
    assert scoring.group_found("Q-7 Gang", ["Q7 family"])
    assert scoring.group_found("Grand-Marsh Gang", ["Grand Marsh"])
    assert not scoring.group_found("Red Lantern Gang", ["Blue Shark", "gang"])
    assert not scoring.group_found("Red Lantern Gang", [])


# --------------------------------------------------------------------------------------------
# ACLED scoring on frames
# --------------------------------------------------------------------------------------------

GOLD_ROWS = [
    {"report_id": "r-1", "event_date": date(2024, 3, 3), "event_type": "Violence against civilians",
     "sub_event_type": "Attack", "actor1": "Red Lantern Gang", "actor2": "Civilians (Haiti)",
     "admin1": "Grande-Anse", "admin2": None, "location": "Testville", "latitude": 18.51,
     "longitude": -72.30, "fatalities": 2},
    {"report_id": "r-2", "event_date": date(2024, 3, 6), "event_type": "Riots",
     "sub_event_type": "Violent demonstration", "actor1": "Rioters (Haiti)", "actor2": None,
     "admin1": "Ouest", "admin2": None, "location": "Otherton", "latitude": 18.90,
     "longitude": -72.30, "fatalities": 0},
    {"report_id": "r-3", "event_date": date(2024, 3, 3), "event_type": "Violence against civilians",
     "sub_event_type": "Attack", "actor1": "Red Lantern Gang", "actor2": "Civilians (Haiti)",
     "admin1": "Grand'Anse", "admin2": None, "location": "Testville", "latitude": 18.51,
     "longitude": -72.30, "fatalities": 3},
    {"report_id": "r-4", "event_date": date(2024, 3, 9), "event_type": "Battles",
     "sub_event_type": "Armed clash", "actor1": "Police Forces of Haiti (2024-)",
     "actor2": "Blue Shark Gang", "admin1": "Ouest", "admin2": None, "location": "Quaytown",
     "latitude": 18.55, "longitude": -72.34, "fatalities": 0},
]

PREDICTION_ROWS = [
    {"external_id": "r-1", "incident_id": "inc_a", "event_date": date(2024, 3, 3),
     "date_precision": "day", "event_type": "Violence against civilians",
     "sub_event_type": "Attack", "admin1": "Grand'Anse", "location": "Testville",
     "latitude": 18.50, "longitude": -72.30, "fatalities": 2, "confidence": 0.6},
    {"external_id": "r-1", "incident_id": "inc_b", "event_date": date(2024, 3, 3),
     "date_precision": "day", "event_type": "Strategic developments",
     "sub_event_type": "Looting/property destruction", "admin1": "Grand'Anse",
     "location": "Testville", "latitude": 18.50, "longitude": -72.30, "fatalities": None,
     "confidence": 0.95},
    {"external_id": "r-2", "incident_id": "inc_c", "event_date": date(2024, 3, 4),
     "date_precision": "week", "event_type": "Protests", "sub_event_type": "Peaceful protest",
     "admin1": "Nord", "location": "Elsewhere", "latitude": 19.30, "longitude": -72.30,
     "fatalities": None, "confidence": 0.7},
]

PARTICIPANT_ROWS = [
    {"incident_id": "inc_a", "role": "actor1", "name": "Red Lantern",
     "aliases": ["Red Lantern gang"], "acronym": None, "category": "political_militia"},
    {"incident_id": "inc_a", "role": "actor2", "name": "civilians", "aliases": [],
     "acronym": None, "category": "civilians"},
    {"incident_id": "inc_c", "role": "actor1", "name": "protesters", "aliases": [],
     "acronym": None, "category": "protesters"},
]


def frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(GOLD_ROWS, schema=scoring.GOLD_SCHEMA),
        pl.DataFrame(PREDICTION_ROWS),
        pl.DataFrame(PARTICIPANT_ROWS),
    )


def test_select_best_prefers_sub_event_type_over_confidence() -> None:
    gold, predictions, _ = frames()
    best = scoring.select_best(gold, predictions)
    chosen = dict(zip(best["report_id"], best["incident_id"], strict=True))
    assert chosen == {"r-1": "inc_a", "r-2": "inc_c"}


def test_select_best_falls_back_to_event_type_then_confidence() -> None:
    gold = pl.DataFrame(
        [{"report_id": "x", "event_type": "Battles", "sub_event_type": "Armed clash"}]
    )
    predictions = pl.DataFrame([
        {"external_id": "x", "incident_id": "p1", "event_type": "Riots",
         "sub_event_type": "Mob violence", "confidence": 0.99},
        {"external_id": "x", "incident_id": "p2", "event_type": "Battles",
         "sub_event_type": "Government regains territory", "confidence": 0.2},
        {"external_id": "x", "incident_id": "p3", "event_type": "Battles",
         "sub_event_type": "Non-state actor overtakes territory", "confidence": 0.5},
    ])
    assert scoring.select_best(gold, predictions)["incident_id"].to_list() == ["p3"]


def test_missing_prediction_fails_every_check() -> None:
    checks, groups = scoring.score_incident(GOLD_ROWS[3], None)
    assert not any(checks.values())
    assert set(checks) == set(scoring.ACLED_CHECKS)
    assert groups == [("Blue Shark Gang", False)]


def test_fatalities_null_counts_as_zero() -> None:
    gold = {**GOLD_ROWS[1]}
    checks, _ = scoring.score_incident(gold, PREDICTION_ROWS[2], [])
    assert checks["killed_or_not"] and checks["fatalities_exact"]


def test_score_acled_on_frames() -> None:
    gold, predictions, participants = frames()
    refs = scoring.shared_text_articles([
        {"id": "r-1", "text": "Same words."}, {"id": "r-2", "text": "Other words."},
        {"id": "r-3", "text": "Same  words. "}, {"id": "r-4", "text": "Quiet day."},
    ])
    assert refs["r-3"] == "r-1"
    score = scoring.score_acled(gold, predictions, participants, refs)
    values = {m.name: m.value for m in score.metrics}
    assert values["event_type"] == 0.5  # r-1 and r-3 (via r-1's article)
    assert values["date"] == 0.75  # r-2's week window holds the gold day; r-4 has nothing
    assert values["loc5"] == 0.5
    assert values["admin1"] == 0.5  # Grand'Anse == Grande-Anse
    assert values["killed_or_not"] == 0.75
    assert values["fatalities_exact"] == 0.5  # r-3 gold says 3
    assert values["actor1_category"] == 0.5  # protesters are not rioters
    assert score.metric("named_groups").denominator == 3
    assert values["named_groups"] == pytest.approx(2 / 3)
    assert values["incidents_per_report"] == 5 / 4
    assert score.metric("incidents_per_report").passed is True
    assert score.metric("event_type").passed is False
    assert score.stats["reports_with_incident"] == 3
    assert score.stats["reports_sharing_an_article"] == 1

    misses = report.acled_misses(score, {"r-4": "Nothing was reported in Quaytown."})
    assert "## No incident extracted (1)" in misses
    assert "Nothing was reported in Quaytown." in misses
    assert "### r-2" in misses.split("## event_type")[1]
    printed = report.acled_summary(score, {"score": 0.1})
    assert "event_type" in printed and "FAIL" in printed and "≥ 0.85" in printed


# --------------------------------------------------------------------------------------------
# Seed scoring
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "predicted", "precision", "expected"),
    [
        ("2024-11-18", date(2024, 11, 18), "day", True),
        ("2024-11-18", date(2024, 11, 17), "day", False),
        ("2024-11-18", date(2024, 11, 18), "month", False),
        ("2024-11", date(2024, 11, 1), "month", True),
        ("2024-11", date(2024, 11, 20), "day", True),
        ("2024-11", date(2024, 12, 1), "day", False),
        ("2024-11", date(2024, 11, 1), "year", False),
        ("2024-11", None, "day", False),
    ],
)
def test_seed_date_accepted(accept: str, predicted: date | None, precision: str,
                            expected: bool) -> None:
    assert scoring.date_accepted(accept, predicted, precision) is expected


SEED_GOLD = {
    "id": "000_invented",
    "file": "000_invented.txt",
    "incidents": [
        {"required": True, "event_type": "Battles", "sub_event_type": "Armed clash",
         "event_date": "2024-05-06", "accept_dates": ["2024-05-06", "2024-05"],
         "location": "Testville", "latitude": 18.50, "longitude": -72.30},
        {"required": False, "event_type": "Strategic developments", "sub_event_type": "Agreement",
         "event_date": "2024-05-01", "location": None},
    ],
    "places": [
        {"required": True, "name": "Testville", "country_iso3": "HTI", "latitude": 18.50,
         "longitude": -72.30, "surface": ["Testville centre"]},
        {"required": True, "name": "Haiti", "country_iso3": "HTI", "kind": "country"},
        {"required": False, "name": "Farplace", "country_iso3": "HTI", "latitude": 19.9,
         "longitude": -72.0},
    ],
    "actors": [
        {"required": True, "name": "Jon Doé", "aliases": ["Doe"]},
    ],
    "institutions": [
        {"required": True, "name": "Invented National Police", "acronym": "INP", "aliases": []},
        {"required": True, "name": "Council of Examples", "acronym": "COE", "aliases": []},
    ],
    "must_not": [
        {"table": "actors", "name": "Testville"},
        {"table": "places", "name": "Testville", "latitude": 18.90, "longitude": -72.30},
        {"table": "institutions", "name": "Headline Words Office"},
    ],
}


# --------------------------------------------------------------------------------------------
# End to end: a hand-built warehouse with the contract tables and the repository's view
# --------------------------------------------------------------------------------------------

CREATE_TABLES = """
CREATE TABLE articles (article_id VARCHAR, source_uri VARCHAR, external_id VARCHAR,
    title VARCHAR, published_date DATE, published_precision VARCHAR, language VARCHAR,
    body VARCHAR, ingested_at TIMESTAMP);
CREATE TABLE sentences (article_id VARCHAR, sentence_index INTEGER, char_start INTEGER,
    char_end INTEGER, text VARCHAR);
CREATE TABLE mentions (mention_id VARCHAR, article_id VARCHAR, sentence_index INTEGER,
    char_start INTEGER, char_end INTEGER, text VARCHAR, entity_table VARCHAR, entity_id VARCHAR);
CREATE TABLE actors (actor_id VARCHAR, name VARCHAR, actor_kind VARCHAR, category VARCHAR,
    country_iso3 VARCHAR, aliases VARCHAR[]);
CREATE TABLE institutions (institution_id VARCHAR, name VARCHAR, acronym VARCHAR,
    institution_kind VARCHAR, category VARCHAR, country_iso3 VARCHAR, aliases VARCHAR[]);
CREATE TABLE places (place_id VARCHAR, name VARCHAR, place_kind VARCHAR, country_iso3 VARCHAR,
    admin1 VARCHAR, admin2 VARCHAR, latitude DOUBLE, longitude DOUBLE, geonames_id BIGINT,
    parent_place_id VARCHAR);
CREATE TABLE incidents (incident_id VARCHAR, article_id VARCHAR, event_date DATE,
    date_precision VARCHAR, event_type VARCHAR, sub_event_type VARCHAR, place_id VARCHAR,
    geo_precision INTEGER, fatalities INTEGER, injuries INTEGER, summary VARCHAR,
    char_start INTEGER, char_end INTEGER, confidence DOUBLE);
CREATE TABLE incident_actors (incident_id VARCHAR, actor_id VARCHAR, role VARCHAR);
CREATE TABLE incident_institutions (incident_id VARCHAR, institution_id VARCHAR, role VARCHAR);
"""

ACLED_BODIES = {
    "r-1": "Gunmen of the Red Lantern gang attacked a market in Testville. Two vendors died.",
    "r-2": "Residents marched in Elsewhere against fuel prices. The march ended calmly.",
    "r-4": "Nothing was reported in Quaytown.",
}


def insert(conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(rows[0]))
    conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def build_acled_warehouse(path: Path) -> None:
    """Warehouse for the invented ACLED reports (r-3 repeats r-1's text, so it has no row)."""
    with duckdb.connect(str(path)) as conn:
        conn.execute(CREATE_TABLES)
        insert(conn, "articles", [
            (f"art{rid}", f"articles.jsonl#{rid}", rid, None, date(2024, 3, 3), "day", "en", body,
             None)
            for rid, body in ACLED_BODIES.items()
        ])
        body1 = ACLED_BODIES["r-1"]
        first_end = body1.index(".") + 1
        insert(conn, "sentences", [
            ("artr-1", 0, 0, first_end, body1[:first_end]),
            ("artr-1", 1, first_end + 1, len(body1), body1[first_end + 1:]),
        ])
        insert(conn, "places", [
            ("pl_hti", "Haiti", "country", "HTI", None, None, 19.0, -72.4, None, None),
            ("pl_test", "Testville", "city", "HTI", "Grand'Anse", None, 18.50, -72.30, None, None),
            ("pl_else", "Elsewhere", "city", "HTI", "Nord", None, 19.30, -72.30, None, None),
        ])
        insert(conn, "actors", [
            ("ac_red", "Red Lantern", "armed_group", "political_militia", "HTI",
             ["Red Lantern gang"]),
            ("ac_civ", "civilians", "civilians", "civilians", "HTI", []),
            ("ac_pro", "protesters", "protesters", "protesters", "HTI", []),
        ])
        insert(conn, "institutions", [
            ("in_pol", "Invented National Police", "INP", "police", "state_forces", "HTI", []),
        ])
        insert(conn, "incidents", [
            ("inc_a", "artr-1", date(2024, 3, 3), "day", "Violence against civilians", "Attack",
             "pl_test", 1, 2, None, "market attack", 0, first_end, 0.6),
            ("inc_b", "artr-1", date(2024, 3, 3), "day", "Strategic developments",
             "Looting/property destruction", "pl_test", 1, None, None, "stalls burned", 0,
             first_end, 0.95),
            ("inc_c", "artr-2", date(2024, 3, 4), "week", "Protests", "Peaceful protest",
             "pl_else", 1, None, None, "march", 0, 20, 0.7),
        ])
        insert(conn, "incident_actors", [
            ("inc_a", "ac_red", "actor1"), ("inc_a", "ac_civ", "actor2"),
            ("inc_c", "ac_pro", "actor1"),
        ])
        insert(conn, "incident_institutions", [("inc_c", "in_pol", "actor2")])
        conn.execute(load_sql("views/place_positions"))
        conn.execute(load_sql("views/acled_incidents"))


def build_seed_warehouse(path: Path) -> None:
    """Warehouse for the invented seed article."""
    body = ("On Monday police of the INP fought a gang in Testville centre, said Jon Doe. "
            "Officials of the Headline Words Office met in Testville.")
    with duckdb.connect(str(path)) as conn:
        conn.execute(CREATE_TABLES)
        insert(conn, "articles", [
            ("art_s", "000_invented.txt", "000_invented", None, None, "unknown", "en", body, None),
        ])
        insert(conn, "sentences", [("art_s", 0, 0, 76, body[:76])])
        insert(conn, "places", [
            ("pl_hti", "Haiti", "country", "HTI", None, None, 19.0, -72.4, None, None),
            ("pl_test", "Testville", "city", "HTI", "Ouest", None, 18.501, -72.301, None, None),
            ("pl_far", "Farplace", "city", "HTI", "Nord", None, 18.0, -72.0, None, None),
        ])
        insert(conn, "mentions", [
            ("m1", "art_s", 0, 45, 62, "Testville centre", "places", "pl_test"),
        ])
        insert(conn, "actors", [("ac_doe", "Jon Doe", "person", "other", "HTI", [])])
        insert(conn, "institutions", [
            ("in_pol", "Invented National Police", "INP", "police", "state_forces", "HTI", []),
            ("in_bad", "Headline Words Office", None, "other", "other", None, []),
        ])
        insert(conn, "incidents", [
            ("inc_s", "art_s", date(2024, 5, 6), "day", "Battles", "Armed clash", "pl_test", 1,
             None, None, "clash", 0, 76, 0.8),
        ])
        insert(conn, "incident_institutions", [("inc_s", "in_pol", "actor1")])
        conn.execute(load_sql("views/place_positions"))
        conn.execute(load_sql("views/acled_incidents"))


@pytest.fixture
def eval_dir(tmp_path: Path) -> Path:
    """An invented evaluation folder laid out like ../shared/eval (plus ../seeds)."""
    root = tmp_path / "shared"
    acled = root / "eval" / "acled-haiti-2024"
    acled.mkdir(parents=True)
    texts = {**ACLED_BODIES, "r-3": ACLED_BODIES["r-1"]}
    order = ["r-1", "r-2", "r-3", "r-4"]
    with (acled / "articles.jsonl").open("w", encoding="utf-8") as handle:
        for rid in order:
            handle.write(json.dumps({"id": rid, "published": "2024-03-03", "source": "Test",
                                     "text": texts[rid]}) + "\n")
    with (acled / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for row in GOLD_ROWS:
            incident = {k: v for k, v in row.items() if k != "report_id"}
            incident["event_date"] = row["event_date"].isoformat()
            handle.write(json.dumps({"id": row["report_id"], "incidents": [incident]}) + "\n")
    (root / "eval" / "seed").mkdir()
    (root / "eval" / "seed" / "gold.json").write_text(json.dumps(SEED_GOLD), encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / "000_invented.txt").write_text("Invented seed article.", encoding="utf-8")
    return root / "eval"


def fake_build(articles_dir: Path, warehouse: Path) -> float:
    """Stands in for pipelines.build.build_warehouse: checks the input, writes a warehouse."""
    warehouse.unlink(missing_ok=True)
    names = sorted(p.name for p in articles_dir.iterdir())
    if names == ["articles.jsonl"]:
        lines = (articles_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        assert all("incidents" not in json.loads(line) for line in lines)  # never gold
        build_acled_warehouse(warehouse)
    else:
        assert names == ["000_invented.txt"]
        build_seed_warehouse(warehouse)
    return 0.0


def test_cli_end_to_end(eval_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "build", fake_build)
    out = tmp_path / "out"
    assert cli.main(["--eval-dir", str(eval_dir), "--out", str(out),
                     "--only", "seed", "--only", "acled"]) == 0
    printed = capsys.readouterr().out
    assert "ACLED" in printed and "Seed article" in printed

    acled = json.loads((out / "acled" / "metrics.json").read_text(encoding="utf-8"))
    assert acled["stats"]["reports"] == 4
    assert acled["metrics"]["event_type"]["value"] == 0.5
    assert acled["metrics"]["named_groups"]["denominator"] == 3
    assert acled["metrics"]["incidents_per_report"]["pass"] is True
    assert acled["passed"] is False
    misses = (out / "acled" / "misses.md").read_text(encoding="utf-8")
    assert "Gunmen of the Red Lantern gang attacked a market in Testville." in misses  # evidence
    assert (out / "acled" / "warehouse.duckdb").exists()
    assert not (out / "acled" / "input" / "gold.jsonl").exists()

    seed = json.loads((out / "seed" / "metrics.json").read_text(encoding="utf-8"))
    found = {(i["kind"], i["label"]): i["found"] for i in seed["items"]}
    assert found[("incident", "Battles / Armed clash 2024-05-06 at Testville")] is True
    assert found[("incident", "Strategic developments / Agreement 2024-05-01")] is False
    assert found[("place", "Testville")] is True  # name, 5 km, same country
    assert found[("place", "Haiti")] is True
    assert found[("place", "Farplace")] is False  # right name, 200 km away
    assert found[("actor", "Jon Doé")] is True  # accent-insensitive
    assert found[("institution", "Invented National Police")] is True
    assert found[("institution", "Council of Examples")] is False
    assert found[("must_not", "actors: Testville")] is False
    assert found[("must_not", "places: Testville")] is False  # 44 km from the bad coordinates
    assert found[("must_not", "institutions: Headline Words Office")] is True
    assert seed["metrics"]["required_institutions"]["value"] == 0.5
    assert seed["metrics"]["must_not_violations"]["numerator"] == 1
    assert seed["passed"] is False
    seed_misses = (out / "seed" / "misses.md").read_text(encoding="utf-8")
    assert "Council of Examples" in seed_misses and "Headline Words Office" in seed_misses


def test_cli_limit_and_no_build(eval_dir: Path, tmp_path: Path) -> None:
    """--limit keeps the first N records; --no-build scores an existing warehouse."""
    warehouses = tmp_path / "wh"
    warehouses.mkdir()
    build_acled_warehouse(warehouses / "acled.duckdb")
    out = tmp_path / "out"
    args = ["--eval-dir", str(eval_dir), "--out", str(out), "--only", "acled", "--limit", "2",
            "--warehouse-dir", str(warehouses), "--no-build"]
    assert cli.main(args) == 0
    written = (out / "acled" / "input" / "articles.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in written.splitlines()] == ["r-1", "r-2"]
    metrics = json.loads((out / "acled" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["stats"]["reports"] == 2
    assert metrics["metrics"]["event_type"]["value"] == 0.5
    assert not (out / "seed").exists()


def test_cli_reports_breakage(eval_dir: Path, tmp_path: Path) -> None:
    """No warehouse to score: non-zero exit."""
    args = ["--eval-dir", str(eval_dir), "--out", str(tmp_path / "out"), "--only", "seed",
            "--no-build"]
    assert cli.main(args) == 1


@pytest.mark.parametrize("name", DEV_SETS)
def test_every_development_set_is_well_formed(name):
    """Each set `make eval` scores exists and its gold agrees with its articles (quotes found
    in the text, sub-event types in the taxonomy, ...)."""
    from pipelines.evaluation.devset_check import check_set

    folder = PROJECT_ROOT / "seeds" / "eval" / name
    assert (folder / "gold").is_dir()
    assert check_set(folder) == []


def test_confidence_is_fitted_only_on_sets_that_measure_nothing_else():
    """The sets `make calibrate` fits on are scored by `make eval` but are neither the held-out
    sets (their ECE is the honest figure) nor tuning sets."""
    from pipelines.evaluation.__main__ import HELD_OUT_SETS
    from pipelines.evaluation.calibrate import FIT_SETS

    assert set(FIT_SETS) <= set(DEV_SETS)
    assert not set(FIT_SETS) & set(HELD_OUT_SETS)
    assert all(name.startswith("calibration") for name in FIT_SETS)
    # Short reports: fitted on a set of their own, never on the snippet sets `make eval` scores.
    assert not set(SHORT_FIT_SETS) & set(cli.SNIPPET_SETS)


def test_ece_noise_floor_shrinks_with_the_number_of_incidents() -> None:
    from pipelines.evaluation.devset import ece_noise_floor

    few = ece_noise_floor([0.3, 0.5, 0.7, 0.9] * 10)
    many = ece_noise_floor([0.3, 0.5, 0.7, 0.9] * 1000)
    assert few == ece_noise_floor([0.3, 0.5, 0.7, 0.9] * 10)  # a fixed seed: same figures
    assert few[0] < few[1] and many[0] < many[1]  # mean below the 95th percentile
    assert many[1] < 0.03 < few[0]
    # Confidences of 0 and 1 are always right about themselves: no noise at all.
    assert ece_noise_floor([0.0, 1.0] * 50) == (0.0, 0.0)


def test_calibration_metrics_report_the_error_beside_its_noise_floor() -> None:
    from pipelines.evaluation.devset import calibration_metrics

    # Confidence 0.9, right half the time: miscalibrated far beyond chance.
    points = [(0.9, index % 2 == 0) for index in range(400)]
    table, metrics = calibration_metrics(points)
    by_name = {m.name: m.value for m in metrics}
    assert table == [{"bin": "0.9-1.0", "n": 400, "mean_confidence": 0.9, "accuracy": 0.5}]
    assert by_name["ece"] == pytest.approx(0.4)
    assert by_name["ece_noise_floor"] < by_name["ece_noise_floor_p95"] < 0.05
    assert calibration_metrics([]) == ([], [])


def test_snippet_label_is_the_surest_incident_and_none_without_one() -> None:
    from pipelines.evaluation import snippets

    predictions = pl.DataFrame({
        "external_id": ["s1", "s1", "s2", "s2"],
        "incident_id": ["a", "b", "c", "d"],
        "sub_event_type": ["Attack", "Armed clash", "Grenade", "Looting/property destruction"],
        "confidence": [0.4, 0.9, 0.7, 0.7],
        "char_start": [0, 50, 30, 10],
    })
    assert snippets.surest_labels(predictions) == {
        "s1": "Armed clash", "s2": "Looting/property destruction"}  # a tie: the first told
    labelled = [
        {"id": "s1", "text": "Soldiers and rebels fought.", "sub_event_type": "Armed clash"},
        {"id": "s2", "text": "A grenade hit a bar.", "sub_event_type": "Grenade"},
        {"id": "s3", "text": "Gunmen shot a farmer.", "sub_event_type": "Attack"},
        {"id": "s4", "text": "Parliament passed a budget.", "sub_event_type": "NONE"},
    ]
    metrics, table = snippets.score(labelled, snippets.surest_labels(predictions))
    by_name = {m.name: m for m in metrics}
    assert by_name["accuracy"].value == pytest.approx(1 / 3)
    assert by_name["no_incident"].numerator == 1  # s3
    assert by_name["none_kept_quiet"].value == 1.0
    # Weighted by support (one each): only Armed clash is right.
    assert by_name["weighted_f1"].value == pytest.approx(1 / 3)
    assert [row["sub_event_type"] for row in table] == ["Armed clash", "Attack", "Grenade"]
    written = snippets.misses(labelled, snippets.surest_labels(predictions), {"s3": "Attack"})
    assert "| Grenade | Looting/property destruction | 1 |" in written
    assert "`s3` gold **Attack**, pipeline **NONE**, classifier Attack" in written
    assert "s1" not in written


@pytest.mark.parametrize("name", [*cli.SNIPPET_SETS, *SHORT_FIT_SETS])
def test_every_snippet_set_is_well_formed(name):
    """Labels from the taxonomy, unique ids, and no snippet the classifier was trained on."""
    import csv

    from pipelines.evaluation import snippets
    from pipelines.extract.classifier import training_rows

    labelled = snippets.load_snippets(cli.DEV_SETS_DIR / name / "snippets.jsonl")
    with (PROJECT_ROOT / "seeds" / "reference" / "acled_taxonomy.csv").open() as handle:
        taxonomy = {(r["event_type"], r["sub_event_type"]) for r in csv.DictReader(handle)}
    assert len({s["id"] for s in labelled}) == len(labelled) >= 100
    assert all((s["event_type"], s["sub_event_type"]) in taxonomy | {("NONE", "NONE")}
               for s in labelled)
    trained = {" ".join(row["text"].split()) for row in training_rows()}
    assert not [s["id"] for s in labelled if " ".join(s["text"].split()) in trained]


def test_short_reports_have_confidence_weights_of_their_own(tmp_path) -> None:
    import random

    from pipelines.extract import calibration

    path = tmp_path / "confidence.json"
    rng = random.Random(0)

    def rows(right_when_agreeing: float) -> list[dict]:
        made = []
        for _ in range(200):
            features = {name: rng.random() for name in calibration.FEATURES}
            features["classifier_agrees"] = float(rng.random() < 0.5)
            chance = right_when_agreeing if features["classifier_agrees"] else 0.2
            made.append({**features, "correct": rng.random() < chance})
        return made

    long_weights = calibration.fit(rows(0.6), "articles", path)
    both = calibration.fit(rows(0.95), "snippets", path, short_reports=True)
    assert both["intercept"] == long_weights["intercept"]  # the articles' weights are kept
    again = calibration.fit(rows(0.6), "articles again", path)
    assert again[calibration.SHORT_REPORTS] == both[calibration.SHORT_REPORTS]
    agreeing = {name: 0.5 for name in calibration.FEATURES} | {"classifier_agrees": 1.0}
    article = calibration.confidence({**agreeing, "short_report": 0.0}, path)
    brief = calibration.confidence({**agreeing, "short_report": 1.0}, path)
    assert 0.45 < article < 0.75 and brief > 0.85


def test_a_place_without_coordinates_is_judged_at_the_position_it_is_published_at():
    from pipelines.evaluation.devset import _location_ok
    gold = {"location": "Bourg-Neuf", "latitude": 18.50, "longitude": -72.30}
    # 'Bourg-Neuf 12', a part of the town the gazetteer lacks, published at its town's position.
    village = {"location": "Bourg-Neuf 12", "latitude": None, "longitude": None,
               "position_latitude": 18.51, "position_longitude": -72.31}
    assert _location_ok(gold, village)
    far = dict(village, position_latitude=19.5, position_longitude=-72.3)
    assert not _location_ok(gold, far)
