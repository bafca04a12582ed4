"""Kill pipeline runs at chosen moments, then run each case again, all cases at once.

    python -m tests.crash_runner CASE_DIR=POINT [CASE_DIR=@STEP ...]

For each case: a run of the whole graph (`build_warehouse`) on CASE_DIR/articles into
CASE_DIR/warehouse/incidents.duckdb, killed with SIGKILL, by itself at crash point POINT
(PIPELINE_CRASH_AT) or, with `@STEP`, by this runner from outside as soon as its log shows
that STEP started. Once it is dead, the published file is kept as CASE_DIR/after-kill.duckdb
(a hard link: the file the kill left, whatever happens next) and a second run, with no crash
point, converges the case. Logs: CASE_DIR/run.log, CASE_DIR/converge.log.

A run in a fresh interpreter spends about 8 of its 12 seconds importing Dagster, Great
Expectations and spaCy's language data: this runner imports those once and forks every run,
so the cases also share the two cores instead of waiting for each other. Each child is an
ordinary process running the pipeline's code. Polars and DuckDB start thread pools, which do
not survive a fork, so they are imported only in the children (checked below).

Prints one JSON object: case directory -> {"killed": status, "converged": status}, a status
being the exit code, minus the signal number when killed, or "hung" when still running after
DEADLINE_SECONDS (the runner then kills it).
"""

import json
import os
import signal
import sys
import time
from pathlib import Path

DEADLINE_SECONDS = 240


def run(case: Path, log_name: str, point: str | None) -> None:
    """In a forked child: one whole run, then exit with its outcome (or die at `point`)."""
    log = os.open(case / log_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    if point:
        os.environ["PIPELINE_CRASH_AT"] = point
    from pipelines.build import build_warehouse

    result = build_warehouse(case / "articles", case / "warehouse" / "incidents.duckdb",
                             raise_on_error=False)
    os._exit(0 if result.success else 1)


def fork(case: Path, log_name: str, point: str | None) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            run(case, log_name, point)
        finally:
            os._exit(2)
    return pid


def main(cases: list[str]) -> None:
    import dagster  # noqa: F401
    import great_expectations  # noqa: F401
    import spacy.lang.de
    import spacy.lang.en
    import spacy.lang.es
    import spacy.lang.fr
    import spacy.lang.pt  # noqa: F401

    assert not {"polars", "duckdb"} & set(sys.modules), "would fork their thread pools"
    running: dict[int, tuple[Path, str]] = {}  # pid -> (case, "killed" or "converged")
    watched: dict[int, tuple[Path, str]] = {}  # pid -> (log, line that triggers the kill)
    for spec in cases:
        folder, point = spec.rsplit("=", 1)
        case = Path(folder)
        external = point.startswith("@")
        pid = fork(case, "run.log", None if external else point)
        running[pid] = (case, "killed")
        if external:
            watched[pid] = (case / "run.log", f'Started execution of step "{point[1:]}"')

    outcome: dict[str, dict[str, int | str]] = {}
    hung: set[int] = set()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while running:
        for pid, (log, started) in list(watched.items()):
            if log.exists() and started in log.read_text(errors="replace"):
                os.kill(pid, signal.SIGKILL)
                del watched[pid]
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            if time.monotonic() > deadline:  # never hang the suite: kill, report, fail
                hung = set(running)
                for stuck in hung:
                    os.kill(stuck, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.1)
            continue
        case, phase = running.pop(pid)
        outcome.setdefault(str(case), {})[phase] = (
            "hung" if pid in hung else -os.WTERMSIG(status) if os.WIFSIGNALED(status)
            else os.WEXITSTATUS(status))
        if phase == "killed" and pid not in hung:
            published = case / "warehouse" / "incidents.duckdb"
            if published.exists():
                os.link(published, case / "after-kill.duckdb")
            running[fork(case, "converge.log", None)] = (case, "converged")
    print(json.dumps(outcome))


if __name__ == "__main__":
    main(sys.argv[1:])
