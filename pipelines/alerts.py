"""Send an alert about a failed run through a command and/or a webhook.

    ALERT_COMMAND='mail -s "news-incidents run failed" ops@example.org'
    ALERT_WEBHOOK=https://hooks.example.org/T000/B000

The command runs through the shell with the alert as JSON on its standard input and as
ALERT_RUN_ID, ALERT_JOB and ALERT_MESSAGE in its environment; the webhook receives the same
JSON in a POST. No Dagster here: `pipelines.sensors.run_failure_alert` calls `send_alert`.
"""

import json
import os
import subprocess
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 30


class AlertError(RuntimeError):
    """The command exited with an error or the webhook did not accept the alert."""


def send_alert(alert: dict[str, Any], command: str | None, webhook: str | None) -> list[str]:
    """Deliver `alert` to every configured channel; what was done, one line per channel."""
    body = json.dumps(alert, default=str, ensure_ascii=False)
    done = []
    if command:
        env = {**os.environ, "ALERT_RUN_ID": str(alert.get("run_id", "")),
               "ALERT_JOB": str(alert.get("job", "")),
               "ALERT_MESSAGE": str(alert.get("message", ""))}
        result = subprocess.run(command, shell=True, input=body, text=True, env=env,
                                capture_output=True, timeout=TIMEOUT_SECONDS)
        if result.returncode != 0:
            raise AlertError(f"ALERT_COMMAND exited with {result.returncode}: "
                             f"{result.stderr.strip()[:500]}")
        done.append(f"ran ALERT_COMMAND ({command.split()[0]})")
    if webhook:
        request = urllib.request.Request(webhook, data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except OSError as error:
            raise AlertError(f"ALERT_WEBHOOK failed: {error}") from error
        done.append(f"posted to ALERT_WEBHOOK (HTTP {status})")
    return done
