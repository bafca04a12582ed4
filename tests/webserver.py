"""Start a real Dagster webserver (or `dagster dev`: webserver and daemon, as `make ui` does) on
127.0.0.1 for tests, and always stop it by its process group."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from pipelines.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _restore_signals() -> None:
    # A child started from a background job may inherit ignored SIGINT/SIGTERM (stack-notes).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def dagster_webserver(env: dict[str, str], log: Path, daemon: bool = False):
    """Yield the base URL of a webserver serving pipelines.definitions with `env`; with
    `daemon`, `dagster dev` also runs the daemon (schedules, sensors) as `make ui` does."""
    port = free_port()
    binaries = Path(sys.executable).parent
    command = [str(binaries / "dagster"), "dev"] if daemon else [str(binaries / "dagster-webserver")]
    env = {**os.environ, "PATH": f"{binaries}{os.pathsep}{os.environ['PATH']}", **env}
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=_restore_signals, start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"webserver exited: {log.read_text()[-2000:]}")
                try:
                    urllib.request.urlopen(f"{url}/server_info", timeout=2)
                    break
                except OSError:
                    time.sleep(1)
            else:
                raise TimeoutError("webserver did not answer within 120 s")
            yield url
        finally:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                if process.poll() is not None:
                    break
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name } } } }"
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""
STATUS = "query Status($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
RUNS = """
query Runs($job: String!) {
  runsOrError(filter: {pipelineName: $job}) { ... on Runs { results { runId status tags { key value } } } }
}"""


def runs_of(url: str, job: str) -> list[dict]:
    return graphql(url, RUNS, {"job": job})["runsOrError"]["results"]


def launch_job(url: str, job: str, assets: list[str] | None = None) -> str:
    """Launch a job, or (job "__ASSET_JOB", `assets`) materialize a selection as the UI does."""
    location = graphql(url, LOCATIONS)["workspaceOrError"]["locationEntries"][0]["name"]
    selector = {"repositoryLocationName": location, "repositoryName": "__repository__",
                "jobName": job}
    if assets:
        selector["assetSelection"] = [{"path": [key]} for key in assets]
    result = graphql(url, LAUNCH, {"params": {"selector": selector}})["launchRun"]
    if result["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(result)
    return result["run"]["runId"]


def wait_for_run(url: str, run_id: str, timeout: float = 360) -> str:
    deadline = time.monotonic() + timeout
    status = "UNKNOWN"
    while time.monotonic() < deadline:
        status = graphql(url, STATUS, {"id": run_id})["runOrError"]["status"]
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            return status
        time.sleep(2)
    return status
