"""Sensors for operations. All are off by default.

- `new_articles_sensor`: when new or changed files land in ARTICLES_DIR. The run key is a
  fingerprint of the folder's supported files (path, size, modification time), so the same set
  of files never starts two runs, and the cursor remembers the last fingerprint.
- `feeds_sensor`: every FEEDS_SENSOR_INTERVAL seconds while FEEDS_FILE lists an enabled feed,
  a run that fetches the feeds and rebuilds what depends on them. The run key is the time
  window, and no run is requested while one is queued or running.
- `run_failure_alert`: a failed run sends an alert through ALERT_COMMAND and/or ALERT_WEBHOOK
  (pipelines/alerts.py); switch it on after setting them for the daemon.

Turn them on in the UI (Automation) when articles arrive continuously; the nightly schedule
covers everyone else.
"""

import hashlib
import time
from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.alerts import send_alert
from pipelines.ingest.fetch.feeds import read_feeds_file
from pipelines.ingest.readers import SUPPORTED_SUFFIXES

ACTIVE_STATUSES = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED,
                   dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def folder_fingerprint(root: Path) -> tuple[str, int]:
    """(hash of every supported file's relative path, size and mtime, number of files).

    Hidden files and folders are left out, as ingest leaves them out."""
    digest = hashlib.sha256()
    count = 0
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES or any(
                part.startswith(".") for part in relative.parts):
            continue
        stat = path.stat()
        digest.update(f"{relative.as_posix()}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode())
        count += 1
    return digest.hexdigest()[:20], count


@dg.sensor(
    name="new_articles_sensor",
    job_name="incidents_job",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts incidents_job when the files in ARTICLES_DIR change (off by default).",
)
def new_articles_sensor(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    root = settings.articles_dir()
    if not root.is_dir():
        return dg.SkipReason(f"ARTICLES_DIR {root} does not exist")
    fingerprint, files = folder_fingerprint(root)
    if not files:
        return dg.SkipReason(f"no article files under {root}")
    if fingerprint == context.cursor:
        return dg.SkipReason(f"no change in {files} files under {root}")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=f"articles-{fingerprint}", tags={"articles_files": str(files)})


@dg.sensor(
    name="feeds_sensor",
    job_name="incidents_job",
    minimum_interval_seconds=settings.feeds_sensor_interval(),
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Every FEEDS_SENSOR_INTERVAL seconds, fetch the feeds of FEEDS_FILE and rebuild "
    "what depends on them (off by default).",
)
def feeds_sensor(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    path = settings.feeds_file()
    try:
        enabled = [source for source in read_feeds_file(path) if source.enabled]
    except ValueError as error:
        return dg.SkipReason(str(error))
    if not enabled:
        return dg.SkipReason(f"no enabled feed in {path}")
    active = context.instance.get_run_records(
        dg.RunsFilter(job_name="incidents_job", statuses=ACTIVE_STATUSES), limit=1)
    if active:
        return dg.SkipReason("a run of incidents_job is already queued or running")
    window = int(time.time()) // settings.feeds_sensor_interval()
    return dg.RunRequest(run_key=f"feeds-{window}",
                         tags={"trigger": "feeds_sensor", "feeds": str(len(enabled))})


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Sends an alert through ALERT_COMMAND and/or ALERT_WEBHOOK when a run fails "
    "(off by default).",
)
def run_failure_alert(context: dg.RunFailureSensorContext) -> dg.SkipReason | None:
    command, webhook = settings.alert_command(), settings.alert_webhook()
    if not (command or webhook):
        return dg.SkipReason("neither ALERT_COMMAND nor ALERT_WEBHOOK is set")
    run = context.dagster_run
    alert = {
        "run_id": run.run_id,
        "job": run.job_name,
        "message": context.failure_event.message or f"run {run.run_id} of {run.job_name} failed",
        "steps_failed": [e.step_key for e in context.get_step_failure_events()],
    }
    for line in send_alert(alert, command, webhook):
        context.log.info(line)
    return None
