"""A failing expectation blocks publication: main keeps what it had, downstream is skipped."""

import json
import shutil

import duckdb
import pytest

from pipelines.settings import EXPECTATIONS_DIR

pytestmark = pytest.mark.slow


def test_failed_gate_leaves_main_unchanged(seed_articles, tmp_path, monkeypatch):
    from pipelines.build import build_warehouse

    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    warehouse = tmp_path / "incidents.duckdb"
    assert build_warehouse(articles, warehouse).success

    def counts():
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ["articles", "sentences", "incidents"]}

    before = counts()
    # A stricter suite: no article may mention a 'quarantine' keyword; then such an article lands.
    suites = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    suite = json.loads((suites / "articles.json").read_text())
    suite["expectations"].append({
        "type": "expect_column_values_to_not_match_regex",
        "kwargs": {"column": "body", "regex": "QUARANTINE-ME"},
    })
    (suites / "articles.json").write_text(json.dumps(suite))
    monkeypatch.setattr("pipelines.quality.gates.EXPECTATIONS_DIR", suites)
    (articles / "bad.txt").write_text(
        "QUARANTINE-ME. Gunmen attacked a bus in the capital on Monday, killing two people.")

    result = build_warehouse(articles, warehouse, raise_on_error=False)

    assert not result.success
    assert counts() == before
    evaluations = [e.asset_check_evaluation_data for e in result.all_events
                   if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = [e for e in evaluations if not e.passed]
    assert [e.asset_key.to_user_string() for e in failed] == ["articles"]
    report = failed[0].metadata["result"].value
    assert "expect_column_values_to_not_match_regex" in report and "QUARANTINE-ME" in report
    skipped = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}
    assert "extract_sentences" in skipped or not any(
        e.step_key == "extract_sentences" for e in result.all_events)


def test_great_expectations_imported_meanwhile_is_the_one_validations_use():
    import threading

    from pipelines.quality import gates

    with gates.imported_meanwhile():
        pass
    # Joined when the block ends: extraction forks its workers after ingest, and a thread
    # left importing would leave them a held import lock.
    assert not [t for t in threading.enumerate() if t.name == "import-great-expectations"]
    assert gates._new_context.cache_info().currsize == 1
    assert gates._context() is gates._new_context()



def test_a_suite_that_passes_is_checked_pass_or_fail_and_a_failure_gets_its_rows():
    import polars as pl

    from pipelines.quality.gates import validate

    parameters = {"min_rows_error": 1, "min_rows_warn": 0}
    good = pl.DataFrame({"iso3": ["HTI", "KEN"], "iso": [332, 404], "country": ["Haiti", "Kenya"],
                         "region": ["Caribbean", "Eastern Africa"]})
    passed = validate(good, "countries", parameters)
    assert passed.outcomes and all(o.success for o in passed.outcomes)
    assert {o.observed for o in passed.outcomes} == {"-"}  # nothing computed beyond the verdict

    bad = good.with_columns(region=pl.Series(["Caribbean", "Atlantis"]))
    failed = validate(bad, "countries", parameters)
    [failure] = [o for o in failed.outcomes if not o.success]
    assert failure.expectation == "expect_column_values_to_be_in_set"
    assert failure.observed == "1 unexpected of 2"
    assert [row["iso3"] for row in failure.sample_rows] == ["KEN"]


def test_a_staged_table_is_published_by_renaming_it(tmp_path):
    """Publishing moves the staged rows into `main` without copying them: the staged table
    becomes the published one, and `staging.<table>` shows the same rows before and after."""
    import polars as pl

    from pipelines import warehouse as wh

    conn = wh.connect(tmp_path / "w.duckdb")
    frame = pl.DataFrame({"place_id": ["plc_a", "plc_b"], "name": ["Alpha", "Beta"]})
    wh.stage(conn, "places", frame)
    staged = wh.fingerprint(conn, "staging", "places")
    storage = conn.execute("SELECT table_oid FROM duckdb_tables() WHERE schema_name = 'main' "
                           "AND table_name = '_staged_places'").fetchall()
    wh.publish(conn, ["places"])
    assert wh.fingerprint(conn, "main", "places") == staged
    assert wh.fingerprint(conn, "staging", "places") == staged
    assert not wh.table_exists(conn, "main", "_staged_places")
    assert conn.execute("SELECT table_oid FROM duckdb_tables() WHERE schema_name = 'main' "
                        "AND table_name = 'places'").fetchall() == storage
    # A table staged by hand, as an older file holds it, is copied as before.
    conn.execute("DROP VIEW staging.places")
    conn.execute("CREATE TABLE staging.places AS SELECT * FROM main.places LIMIT 1")
    wh.publish(conn, ["places"])
    assert wh.row_count(conn, "main", "places") == 1
    wh.stage(conn, "places", frame)  # and staged again, as a view of the staged table
    assert wh.table_type(conn, "staging", "places") == "VIEW"
    assert wh.row_count(conn, "staging", "places") == 2


def test_a_first_publication_is_validated_slice_by_slice_and_every_slice_counts(
        tmp_path, monkeypatch):
    """A table's first publication is validated a slice of rows at a time (bounded memory,
    whatever the corpus); a bad row in a later slice still fails the gate, with its row, and a
    duplicate across slices is still found (uniqueness is checked over the whole table)."""
    import polars as pl

    from pipelines import warehouse as wh
    from pipelines.quality import dagster_gate, gates

    monkeypatch.setattr(dagster_gate, "SLICE_ROWS", 2)
    validated = []

    def validate(frame, *args, **kwargs):
        validated.append(frame.height)
        return gates.validate(frame, *args, **kwargs)

    monkeypatch.setattr(dagster_gate, "validate", validate)
    conn = wh.connect(tmp_path / "w.duckdb")
    countries = pl.DataFrame({"iso3": ["HTI", "KEN", "MEX", "NGA", "PAK"],
                              "iso": [332, 404, 484, 566, 586],
                              "country": ["Haiti", "Kenya", "Mexico", "Nigeria", "Pakistan"],
                              "region": ["Caribbean", "Eastern Africa", "Central America",
                                         "Western Africa", "South Asia"]})
    wh.stage(conn, "countries", countries)
    report = dagster_gate._validate_staged(conn, "countries")
    assert report.passed and report.rows == 5 and validated == [2, 2, 1]

    wh.stage(conn, "countries", countries.with_columns(
        region=pl.Series(["Caribbean", "Eastern Africa", "Central America", "Western Africa",
                          "Atlantis"]),
        iso3=pl.Series(["HTI", "KEN", "MEX", "HTI", "PAK"])))
    report = dagster_gate._validate_staged(conn, "countries")
    failures = {o.expectation: o for o in report.errors}
    assert report.rows == 5 and set(failures) == {"expect_column_values_to_be_in_set",
                                                  "expect_column_values_to_be_unique"}
    assert failures["expect_column_values_to_be_in_set"].observed == "1 unexpected of 5"
    assert [r["iso3"] for r in failures["expect_column_values_to_be_in_set"].sample_rows] == ["PAK"]
