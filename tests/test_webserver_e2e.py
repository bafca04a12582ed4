"""The nightly job launched through the GraphQL API the UI uses, on a real webserver."""

import shutil

import duckdb
import pytest

from tests.webserver import dagster_webserver, launch_job, wait_for_run

pytestmark = [pytest.mark.slow, pytest.mark.webserver]


def write_instance_config(home):
    """Without a daemon, runs must launch at once rather than wait in a queue."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        "run_coordinator:\n  module: dagster.core.run_coordinator\n"
        "  class: DefaultRunCoordinator\ntelemetry:\n  enabled: false\n")


def test_nightly_job_runs_from_the_webserver(seed_articles, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    warehouse = tmp_path / "incidents.duckdb"
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    env = {"ARTICLES_DIR": str(articles), "WAREHOUSE_PATH": str(warehouse),
           "DAGSTER_HOME": str(home)}
    with dagster_webserver(env, tmp_path / "webserver.log") as url:
        run_id = launch_job(url, "incidents_job")
        assert wait_for_run(url, run_id) == "SUCCESS"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.sql("SELECT count(*) FROM incidents").fetchall()[0][0] > 0
        assert conn.sql("SELECT count(*) FROM places WHERE latitude IS NOT NULL"
                        ).fetchall()[0][0] > 0
        clash = conn.sql("SELECT count(*) FROM acled_events WHERE location LIKE 'Delmas%' "
                         "AND sub_event_type = 'Armed clash'").fetchall()[0][0]
        assert clash == 1
    assert (tmp_path / "reports" / "incident_report.html").exists()
