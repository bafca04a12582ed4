"""The nightly job, then a partial materialization, launched through the GraphQL API the UI
uses, on `dagster dev` (webserver and daemon, as `make ui` starts them)."""

import shutil
import time

import duckdb
import pytest

from tests.warehouse_tools import snapshot_id
from tests.webserver import dagster_webserver, launch_job, runs_of, wait_for_run

pytestmark = [pytest.mark.slow, pytest.mark.webserver]


def write_instance_config(home):
    """Runs launch at once rather than wait in the daemon's queue: one fewer moving part."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n  module: dagster.core.run_coordinator\n"
        "  class: DefaultRunCoordinator\ntelemetry:\n  enabled: false\n")


def test_nightly_job_and_a_partial_run_publish_from_the_ui(seed_articles, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    warehouse = tmp_path / "incidents.duckdb"
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    env = {"ARTICLES_DIR": str(articles), "WAREHOUSE_PATH": str(warehouse),
           "DAGSTER_HOME": str(home)}
    with dagster_webserver(env, tmp_path / "webserver.log", daemon=True) as url:
        run_id = launch_job(url, "incidents_job")
        assert wait_for_run(url, run_id) == "SUCCESS"
        counts = check_published(warehouse, tmp_path)
        nightly = snapshot_id(warehouse)

        # Materialize one mart, as a user selecting it in the asset graph: the run does not
        # publish; the daemon's sensor starts publish_snapshot_job, which does. (That the
        # other tables stay as they were is tested in tests/test_snapshots.py.)
        partial = launch_job(url, "__ASSET_JOB", assets=["weekly_incidents"])
        assert wait_for_run(url, partial) == "SUCCESS"
        assert snapshot_id(warehouse) == nightly
        publications = wait_for_publication(url, partial)
        assert [r["status"] for r in publications] == ["SUCCESS"], publications
    assert snapshot_id(warehouse) != nightly
    assert check_published(warehouse, tmp_path) == counts


def wait_for_publication(url, partial_run, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [r for r in runs_of(url, "publish_snapshot_job")
                if {"key": "published_after_run", "value": partial_run} in r["tags"]]
        if runs and all(r["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for r in runs):
            return runs
        time.sleep(2)
    raise TimeoutError(f"no publish run after {partial_run} within {timeout} s")


def check_published(warehouse, tmp_path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.sql("SELECT count(*) FROM incidents").fetchall()[0][0] > 0
        assert conn.sql("SELECT count(*) FROM places WHERE latitude IS NOT NULL"
                        ).fetchall()[0][0] > 0
        clash = conn.sql("SELECT count(*) FROM acled_events WHERE location LIKE 'Delmas%' "
                         "AND sub_event_type = 'Armed clash'").fetchall()[0][0]
        assert clash == 1
        counts = {table: conn.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                  for table in ("articles", "incidents")}
    assert (tmp_path / "reports" / "incident_report.html").exists()
    return counts
