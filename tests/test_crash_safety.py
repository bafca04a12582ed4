"""Runs killed with SIGKILL leave the published warehouse as it was; the next run converges.

Every case starts from the same published warehouse (the seed articles), adds one article
and starts a real run in a subprocess that dies by SIGKILL at a chosen moment:

* five moments chosen by the pipeline's own crash points (PIPELINE_CRASH_AT,
  pipelines/faults.py), where the process SIGKILLs itself: after ingest wrote the private
  copy (the issue's case), after normalize, after a mart, with the snapshot file half written,
  and with the snapshot complete but WAREHOUSE_PATH not yet replaced;
* one moment chosen from outside: another process SIGKILLs a run as soon as its log shows the
  extraction step started.

After each kill the published file must still be the previous snapshot, table for table; the
next run (in another process) must produce exactly the tables of a run nothing interrupted
(every published table and view, row for row, but for the ingestion timestamps) and leave no
temporary file.

Cost: the killed and the converging runs are forked, each case in its own copy, from one
process that has imported the heavy libraries once (tests/crash_runner.py), while the
reference run is computed here; the baseline's cache already holds the extraction of the
article they add, so none loads spaCy.
"""

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.build import build_warehouse
from pipelines.settings import PROJECT_ROOT
from tests.warehouse_tools import (
    NEW_ARTICLE,
    contents,
    copy_tree,
    leftovers,
    snapshot_id,
)

pytestmark = pytest.mark.slow

CRASH_POINTS = ["ingest", "normalize", "marts", "publish", "publish-swap"]
EXTERNAL = "killed-from-outside-during-extraction"
CASES = {**{point: point for point in CRASH_POINTS}, EXTERNAL: "@extract_sentences"}


def warehouse(root: Path) -> Path:
    return root / "warehouse" / "incidents.duckdb"


def add(root: Path, text: str) -> Path:
    (root / "articles" / "new-report.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def baseline(seed_articles, tmp_path_factory) -> Path:
    """The seed articles published; the cache also holds NEW_ARTICLE's extraction (a run saw
    it, then it was removed), so runs that add it back need no NLP."""
    root = tmp_path_factory.mktemp("crash") / "baseline"
    shutil.copytree(seed_articles, root / "articles")
    add(root, NEW_ARTICLE)
    assert build_warehouse(root / "articles", warehouse(root)).success
    (root / "articles" / "new-report.txt").unlink()
    assert build_warehouse(root / "articles", warehouse(root)).success
    return root


@pytest.fixture(scope="module")
def runs(baseline, tmp_path_factory) -> dict:
    """Every case killed and converged by tests/crash_runner.py, all at once; meanwhile the
    run nothing interrupted is computed here.

    Returns {"cases": {case: (root, {"killed": status, "converged": status})},
             "reference": tables of the uninterrupted run, "baseline": tables published before}."""
    base = tmp_path_factory.mktemp("killed")
    roots = {case: add(copy_tree(baseline, base / case), NEW_ARTICLE) for case in CASES}
    runner = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_runner",
         *(f"{roots[case]}={moment}" for case, moment in CASES.items())],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)

    uninterrupted = add(copy_tree(baseline, base / "uninterrupted"), NEW_ARTICLE)
    assert build_warehouse(uninterrupted / "articles", warehouse(uninterrupted)).success

    outcome = json.loads(runner.communicate(timeout=400)[0])
    return {"cases": {case: (root, outcome[str(root)]) for case, root in roots.items()},
            "reference": contents(warehouse(uninterrupted)),
            "baseline": contents(warehouse(baseline))}


@pytest.mark.parametrize("case", list(CASES))
def test_killed_run_leaves_previous_snapshot_and_next_run_converges(case, runs, baseline):
    root, status = runs["cases"][case]
    assert status["killed"] == -signal.SIGKILL, (root / "run.log").read_text()[-3000:]
    after_kill = root / "after-kill.duckdb"
    assert snapshot_id(after_kill) == snapshot_id(warehouse(baseline))
    assert contents(after_kill) == runs["baseline"]

    assert status["converged"] == 0, (root / "converge.log").read_text()[-3000:]
    assert contents(warehouse(root)) == runs["reference"]
    assert leftovers(root) == []
