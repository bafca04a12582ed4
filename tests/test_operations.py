"""Operations: the freshness check on the published snapshot, the run-failure alert."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import pytest
from dagster import DagsterEventType

from pipelines.alerts import AlertError, send_alert
from pipelines.definitions import defs
from pipelines.publish.assets import FRESHNESS_LIMIT, SNAPSHOT_ASSET, freshness_checks


def published(instance: dg.DagsterInstance, hours_ago: float) -> None:
    """Record a snapshot published `hours_ago`, as the snapshot asset or a rollback does."""
    when = datetime.now(UTC) - timedelta(hours=hours_ago)
    instance.report_runless_asset_event(dg.AssetMaterialization(
        SNAPSHOT_ASSET, metadata={"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(when)}))


def evaluate_freshness(instance: dg.DagsterInstance) -> dg.AssetCheckEvaluation:
    job = dg.Definitions(
        assets=[dg.AssetSpec(SNAPSHOT_ASSET)], asset_checks=freshness_checks,
        jobs=[dg.define_asset_job("freshness", selection=dg.AssetSelection.checks(*freshness_checks))],
    ).get_job_def("freshness")
    result = job.execute_in_process(instance=instance)
    [evaluation] = [e.event_specific_data for e in result.all_events
                    if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION]
    return evaluation


@pytest.mark.parametrize(("hours_ago", "passed"), [(2, True), (25.5, True), (27, False)])
def test_freshness_warns_when_the_newest_snapshot_is_older_than_26_hours(hours_ago, passed):
    instance = dg.DagsterInstance.ephemeral()
    published(instance, hours_ago)
    evaluation = evaluate_freshness(instance)
    assert evaluation.asset_key.to_user_string() == SNAPSHOT_ASSET
    assert evaluation.passed is passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN


def test_freshness_is_evaluated_by_a_running_sensor_and_left_out_of_the_job():
    assert timedelta(hours=26) == FRESHNESS_LIMIT
    assert defs.get_sensor_def("snapshot_freshness_sensor").default_status == \
        dg.DefaultSensorStatus.RUNNING
    freshness = dg.AssetCheckKey(dg.AssetKey(SNAPSHOT_ASSET), "freshness_check")
    assert freshness in defs.get_repository_def().asset_graph.asset_check_keys
    # In the job it would run beside the snapshot it measures; the sensor runs it instead.
    assert freshness not in defs.get_job_def("incidents_job").asset_layer.asset_graph.asset_check_keys


def test_publish_sensor_is_on_and_the_failure_alert_off_by_default():
    assert defs.get_sensor_def("publish_after_partial_run").default_status == \
        dg.DefaultSensorStatus.RUNNING
    assert defs.get_sensor_def("run_failure_alert").default_status == \
        dg.DefaultSensorStatus.STOPPED


# --- alerts ---------------------------------------------------------------------------------

ALERT = {"run_id": "abc123", "job": "incidents_job", "message": "step extract failed"}


def test_alert_command_gets_the_alert_as_json_and_variables(tmp_path):
    out = tmp_path / "alert.txt"
    command = f'cat > {out}; printf "\\n%s %s" "$ALERT_RUN_ID" "$ALERT_JOB" >> {out}'
    assert send_alert(ALERT, command, None) == ["ran ALERT_COMMAND (cat)"]
    body, variables = out.read_text().split("\n")
    assert json.loads(body) == ALERT and variables == "abc123 incidents_job"


def test_failing_alert_command_is_an_error():
    with pytest.raises(AlertError, match="exited with 3: nope"):
        send_alert(ALERT, "echo nope >&2; exit 3", None)


def test_alert_webhook_receives_the_alert():
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        assert send_alert(ALERT, None, url) == ["posted to ALERT_WEBHOOK (HTTP 204)"]
    finally:
        server.shutdown()
        thread.join()
    assert received == [ALERT]


@dg.asset
def broken_asset():
    raise RuntimeError("disk on fire")


def failure_context(instance: dg.DagsterInstance) -> dg.RunFailureSensorContext:
    result = dg.materialize([broken_asset], instance=instance, raise_on_error=False)
    [failure] = [e for e in result.all_events if e.event_type == DagsterEventType.RUN_FAILURE]
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert", dagster_event=failure, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id)).for_run_failure()


def test_run_failure_sensor_runs_the_alert_command(tmp_path, monkeypatch):
    out = tmp_path / "alert.json"
    monkeypatch.setenv("ALERT_COMMAND", f"cat > {out}")
    monkeypatch.delenv("ALERT_WEBHOOK", raising=False)
    instance = dg.DagsterInstance.ephemeral()
    context = failure_context(instance)

    defs.get_sensor_def("run_failure_alert")(context)

    alert = json.loads(out.read_text())
    assert alert["run_id"] == context.dagster_run.run_id
    assert alert["steps_failed"] == ["broken_asset"]
    assert "failed" in alert["message"]


def test_run_failure_sensor_without_a_channel_skips(monkeypatch):
    monkeypatch.delenv("ALERT_COMMAND", raising=False)
    monkeypatch.delenv("ALERT_WEBHOOK", raising=False)
    result = defs.get_sensor_def("run_failure_alert")(
        failure_context(dg.DagsterInstance.ephemeral()))
    assert isinstance(result, dg.SkipReason)
