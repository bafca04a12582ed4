"""The code location loads fast, has the stages as groups and the schedule the README promises."""

import subprocess
import sys
import time

import dagster as dg

from pipelines.definitions import defs


def test_definitions_load_and_resolve():
    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    for table in ["articles", "rejected_inputs", "sentences", "mentions", "actors",
                  "institutions", "places", "incidents", "incident_actors",
                  "incident_institutions", "events", "event_incidents", "event_id_history",
                  "countries", "acled_events", "acled_export"]:
        assert table in keys


def test_every_asset_has_group_description_kinds_and_owner():
    for node in defs.get_repository_def().asset_graph.asset_nodes:
        assert node.group_name in {"ingest", "extract", "normalize", "events", "marts", "publish"}, node.key
        assert node.description, node.key
        assert node.kinds, node.key
        assert node.owners, node.key


def test_nightly_schedule_runs_the_whole_graph_at_two_utc():
    schedule = defs.get_schedule_def("nightly_incidents")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    job = defs.get_job_def(schedule.job_name)
    assert job.name == "incidents_job"


def test_gated_tables_have_blocking_checks():
    checks = {
        (key.asset_key.to_user_string(), key.name): spec
        for key, spec in defs.get_repository_def().asset_graph.asset_check_specs_by_key.items()
    } if hasattr(defs.get_repository_def().asset_graph, "asset_check_specs_by_key") else None
    specs = checks or {
        (s.asset_key.to_user_string(), s.name): s
        for a in defs.assets for s in getattr(a, "check_specs", [])
    }
    for table in ["articles", "sentences", "incidents", "places", "mentions", "events",
                  "event_incidents"]:
        assert specs[(table, "expectation_suite")].blocking


def test_importing_definitions_is_fast_and_loads_no_model():
    code = ("import sys, time; t = time.perf_counter(); import pipelines.definitions; "
            "print(time.perf_counter() - t); "
            "print('spacy' in sys.modules, 'great_expectations' in sys.modules)")
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert output[1:] == ["False", "False"], "definitions must not import spaCy or GE"
    assert time.perf_counter() - started < 30


def test_new_articles_sensor_is_off_by_default_and_targets_the_job():
    sensor = defs.get_sensor_def("new_articles_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.job_name == "incidents_job"


def test_sensor_requests_one_run_per_set_of_files(tmp_path, monkeypatch):
    monkeypatch.setenv("ARTICLES_DIR", str(tmp_path))
    (tmp_path / "a.txt").write_text("Gunmen attacked a bus on Monday, killing two people.")
    sensor = defs.get_sensor_def("new_articles_sensor")
    first = sensor(dg.build_sensor_context())
    assert isinstance(first, dg.RunRequest)
    again = sensor(dg.build_sensor_context(cursor=first.run_key.removeprefix("articles-")))
    assert isinstance(again, dg.SkipReason)


def test_events_sit_between_normalize_and_marts():
    graph = defs.get_repository_def().asset_graph
    events = graph.get(dg.AssetKey("events"))
    assert events.group_name == "events"
    assert dg.AssetKey("incidents") in events.parent_keys
    assert dg.AssetKey("events") in graph.get(dg.AssetKey("acled_events")).parent_keys


def test_fetching_is_the_first_asset_of_the_ingest_group():
    graph = defs.get_repository_def().asset_graph
    fetch = graph.get(dg.AssetKey("fetch_log"))
    assert fetch.group_name == "ingest" and fetch.description
    assert dg.AssetKey("fetch_log") in graph.get(dg.AssetKey("articles")).parent_keys
    assert "fetch_log" in {key.to_user_string() for key in
                           defs.get_job_def("incidents_job").asset_layer.asset_graph.get_all_asset_keys()}


def test_the_default_feeds_file_is_empty_so_runs_stay_offline():
    from pipelines import settings
    from pipelines.ingest.fetch.feeds import read_feeds_file

    assert settings.feeds_file().is_file()
    assert read_feeds_file(settings.feeds_file()) == []


def test_feeds_sensor_is_off_by_default_and_needs_an_enabled_feed(tmp_path, monkeypatch):
    sensor = defs.get_sensor_def("feeds_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert sensor.job_name == "incidents_job"
    feeds = tmp_path / "feeds.csv"
    monkeypatch.setenv("FEEDS_FILE", str(feeds))
    feeds.write_text("url,outlet,language,enabled\nhttps://a.example/rss,A,en,false\n")
    with dg.instance_for_test() as instance:
        assert isinstance(sensor(dg.build_sensor_context(instance=instance)), dg.SkipReason)
        feeds.write_text("url,outlet,language,enabled\nhttps://a.example/rss,A,en,true\n")
        request = sensor(dg.build_sensor_context(instance=instance))
        instance.add_run(dg.DagsterRun(job_name="incidents_job", run_id="running",
                                       status=dg.DagsterRunStatus.STARTED))
        busy = sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(request, dg.RunRequest) and request.run_key.startswith("feeds-")
    assert request.tags["trigger"] == "feeds_sensor"
    assert isinstance(busy, dg.SkipReason) and "already" in busy.skip_message
