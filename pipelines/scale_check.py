"""`make test-scale`: a backfill through celery workers gives the tables of a local run.

    python -m pipelines.scale_check [--articles 240] [--files 6] [--workers 2] [--keep]

1. writes `--articles` synthetic articles as `--files` daily JSONL files (`pipelines.synthetic`);
2. builds a warehouse from them in this process, extraction included (the local run);
3. installs Debian's `redis-server` if it is missing, starts it on a free local port, starts
   `--workers` celery workers (`celery -A dagster_celery.app worker`, one process each) and
   the Dagster daemon (which launches queued runs), each in a process group of its own;
4. registers the files as partitions of `extracted_partition` and backfills all of them with
   `dagster job backfill` through the celery executor (EXTRACT_EXECUTOR=celery), each
   partition's run handing its step to a worker, which writes Parquet to EXTRACT_STORE;
5. runs `incidents_job` on the same folder with that store: it imports the partitions and
   must extract nothing itself, then normalizes and publishes;
6. compares every published table and view of the two warehouses row by row (ingestion
   timestamps aside), prints the comparison, stops everything it started, and exits 1 on any
   difference or failure.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

CELERY_CONFIG = PROJECT_ROOT / "deploy" / "celery"
RUN_TIMEOUT = 900
# The daemon dequeues the backfill's runs (several at a time) and launches each in a process
# of its own; each run hands its step to a celery worker.
INSTANCE_YAML = """telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 8
"""


def ensure_redis() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    print("installing redis-server (Debian package)", flush=True)
    install = ["apt-get", "install", "-y", "-q", "redis-server"]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode:
        subprocess.run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)
    # The package starts a system service on 6379; this check uses its own server.
    subprocess.run(["service", "redis-server", "stop"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Services:
    """Processes started in process groups of their own, all stopped on exit."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, process in reversed(self.processes):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            print(f"stopped {name} (pid {process.pid})", flush=True)


def wait_for_redis(port: int, timeout: float = 30) -> None:
    import redis

    deadline = time.monotonic() + timeout
    while True:
        try:
            redis.Redis(host="127.0.0.1", port=port).ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wait_for_workers(env: dict[str, str], count: int, timeout: float = 180) -> None:
    from celery import Celery

    app = Celery(broker=env["CELERY_BROKER_URL"], backend=env["CELERY_RESULT_BACKEND"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=2) or []
        if len(replies) >= count:
            return
        time.sleep(1)
    raise TimeoutError(f"fewer than {count} celery workers answered within {timeout:.0f}s")


def wait_for_runs(home: Path, expected: int, timeout: float = RUN_TIMEOUT) -> list:
    """The backfill's runs once all have finished."""
    import dagster as dg

    finished = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE,
                dg.DagsterRunStatus.CANCELED}
    deadline = time.monotonic() + timeout
    with dg.DagsterInstance.from_config(str(home)) as instance:
        while time.monotonic() < deadline:
            runs = instance.get_runs(dg.RunsFilter(job_name="extract_partitions_job"))
            if len(runs) >= expected and all(r.status in finished for r in runs):
                return runs
            time.sleep(2)
    raise TimeoutError(f"the backfill's runs did not finish within {timeout}s")


@contextlib.contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="test-scale-"))
    try:
        yield folder
    finally:
        if keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with workspace(args.keep) as tmp:
        try:
            ok = run_check(tmp, args)
        except (subprocess.CalledProcessError, TimeoutError) as error:
            print(f"test-scale stopped: {error}")
            ok = False
    print(f"test-scale {'passed' if ok else 'FAILED'} in {time.perf_counter() - started:.0f}s")
    return 0 if ok else 1


def run_check(tmp: Path, args: argparse.Namespace) -> bool:
    from pipelines.build import build_warehouse
    from pipelines.extract.partitions import input_file_keys
    from pipelines.publish.compare import differences
    from pipelines.synthetic import write_corpus

    articles = tmp / "articles"
    write_corpus(articles, args.articles, args.files)
    keys = input_file_keys(articles)
    print(f"{args.articles} articles in {len(keys)} files: {', '.join(keys)}", flush=True)

    os.environ["NLP_PROCESSES"] = "1"
    local = tmp / "local" / "incidents.duckdb"
    began = time.perf_counter()
    if not build_warehouse(articles, local).success:
        print("the local run failed")
        return False
    print(f"local run (one process): {time.perf_counter() - began:.0f}s", flush=True)

    redis_server = ensure_redis()
    port = free_port()
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE_YAML)
    store = tmp / "store"
    env = {**os.environ, "DAGSTER_HOME": str(home), "ARTICLES_DIR": str(articles),
           "EXTRACT_STORE": str(store), "EXTRACT_EXECUTOR": "celery",
           "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
           "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{port}/1",
           "WAREHOUSE_PATH": str(tmp / "distributed" / "incidents.duckdb"),
           "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(CELERY_CONFIG)]),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    logs = tmp / "logs"
    logs.mkdir()
    # Storage created once, before the daemon and the command line open it side by side.
    for command in (["dagster", "instance", "migrate"], ["pipelines.extract.partitions", "register"]):
        subprocess.run([sys.executable, "-m", *command], env=env, cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    services = Services(logs)
    try:
        services.start("redis", [redis_server, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(tmp)], env)
        wait_for_redis(port)
        for number in range(1, args.workers + 1):
            services.start(f"celery-worker-{number}", [
                sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker",
                "-Q", "dagster", "--concurrency", "1", "--hostname", f"scale{number}@%h",
                "--loglevel", "INFO"], env)
        wait_for_workers(env, args.workers)
        services.start("dagster-daemon", [str(Path(sys.executable).parent / "dagster-daemon"),
                                          "run", "-m", "pipelines.definitions"], env)
        print(f"redis on port {port}, {args.workers} celery workers and the Dagster daemon up",
              flush=True)

        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dagster", "job", "backfill", "-m",
                        "pipelines.definitions", "-j", "extract_partitions_job",
                        "--partitions", ",".join(keys), "--noprompt"],
                       env=env, cwd=PROJECT_ROOT, check=True)
        runs = wait_for_runs(home, len(keys))
        failed = [r.run_id for r in runs if r.status.value != "SUCCESS"]
        print(f"backfill: {len(runs)} partition runs through celery in "
              f"{time.perf_counter() - began:.0f}s, {len(failed)} failed", flush=True)
        if failed:
            print(f"failed runs: {failed}; logs in {logs}")
            return False
        served = _workers_that_ran(logs, args.workers)
        print(f"partitions per worker: {served}", flush=True)
    finally:
        services.stop()

    os.environ["EXTRACT_STORE"] = str(store)
    distributed = tmp / "distributed" / "incidents.duckdb"
    began = time.perf_counter()
    result = build_warehouse(articles, distributed)
    extracted = _metadata(result, "sentences", "articles_extracted")
    imported = _metadata(result, "sentences", "articles_imported_from_partitions")
    print(f"publish from partitions: {time.perf_counter() - began:.0f}s, {imported} articles "
          f"imported, {extracted} extracted by the single writer", flush=True)

    ok = result.success and extracted == 0 and imported > 0
    print(f"\n{'table':<24}{'local':>10}{'celery':>10}{'differing rows':>16}")
    for table, left, right, differing in differences(local, distributed):
        print(f"{table:<24}{left:>10}{right:>10}{differing:>16}")
        ok = ok and differing == 0
    return ok


def _metadata(result, asset: str, key: str):
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.to_user_string() == asset and key in materialization.metadata:
            return materialization.metadata[key].value
    return None


def _workers_that_ran(logs: Path, workers: int) -> dict[str, int]:
    return {f"celery-worker-{n}": (logs / f"celery-worker-{n}.log").read_text(
        errors="replace").count("succeeded in") for n in range(1, workers + 1)}


if __name__ == "__main__":
    sys.exit(main())
