"""Sensors for operations: new articles start a run; a failed run sends an alert.

`new_articles_sensor` is off by default: turn it on in the UI (Automation ->
new_articles_sensor) when articles arrive continuously; the nightly schedule covers everyone
else. The run key is a fingerprint of the folder's supported files (path, size, modification
time), so the same set of files never starts two runs, and the cursor remembers the last
fingerprint.

`run_failure_alert` is off by default too: switch it on after setting ALERT_COMMAND and/or
ALERT_WEBHOOK (pipelines/alerts.py) for the daemon.
"""

import hashlib
from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.alerts import send_alert
from pipelines.ingest.readers import SUPPORTED_SUFFIXES


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
