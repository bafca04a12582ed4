"""Start several pipeline runs at once, each to be killed at its own crash point.

    python -m tests.crash_runner CASE_DIR=POINT [CASE_DIR=POINT ...]

A run in a fresh interpreter spends about 8 of its 12 seconds importing Dagster, Great
Expectations and spaCy's language data. This runner imports those once, then forks one child
per case. Each child is an ordinary process running the whole graph (`build_warehouse`) on
CASE_DIR/articles into CASE_DIR/warehouse/incidents.duckdb with PIPELINE_CRASH_AT=POINT, its
output in CASE_DIR/run.log, until it SIGKILLs itself. Polars and DuckDB start thread pools,
which do not survive a fork, so they are imported only in the children (checked below).

Prints one JSON object: case directory -> exit status (negative: killed by that signal;
"hung": still running after DEADLINE_SECONDS, killed by the runner).
"""

import json
import os
import signal
import sys
import time
from pathlib import Path

DEADLINE_SECONDS = 240


def child(case: Path, point: str) -> None:
    log = os.open(case / "run.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.environ["PIPELINE_CRASH_AT"] = point
    from pipelines.build import build_warehouse

    result = build_warehouse(case / "articles", case / "warehouse" / "incidents.duckdb",
                             raise_on_error=False)
    os._exit(0 if result.success else 1)


def main(cases: list[str]) -> None:
    import dagster  # noqa: F401
    import great_expectations  # noqa: F401
    import spacy.lang.de
    import spacy.lang.en
    import spacy.lang.es
    import spacy.lang.fr
    import spacy.lang.pt  # noqa: F401

    assert not {"polars", "duckdb"} & set(sys.modules), "would fork their thread pools"
    children = {}
    for case in cases:
        folder, point = case.rsplit("=", 1)
        pid = os.fork()
        if pid == 0:
            try:
                child(Path(folder), point)
            finally:
                os._exit(2)
        children[pid] = folder
    statuses, hung, deadline = {}, set(), time.monotonic() + DEADLINE_SECONDS
    while children:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            if time.monotonic() > deadline:  # never hang the suite: kill, report, fail
                hung = set(children)
                for stuck in hung:
                    os.kill(stuck, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.1)
            continue
        statuses[children.pop(pid)] = ("hung" if pid in hung else -os.WTERMSIG(status)
                                       if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
    print(json.dumps(statuses))


if __name__ == "__main__":
    main(sys.argv[1:])
