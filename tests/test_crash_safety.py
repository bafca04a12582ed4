"""Runs killed with SIGKILL leave the published warehouse as it was; the next run converges.

Every case starts from the same published warehouse (the seed articles), adds one article
and starts a real run in a subprocess that dies by SIGKILL at a chosen moment:

* five moments chosen by the pipeline's own crash points (PIPELINE_CRASH_AT,
  pipelines/faults.py), where the process SIGKILLs itself: after ingest wrote the private
  copy (the issue's case), after normalize, after a mart, with the snapshot file half written,
  and with the snapshot complete but WAREHOUSE_PATH not yet replaced;
* one moment chosen from outside: `dg launch` (what `make run` starts) is killed by this test
  as soon as it logs that extraction finished, i.e. with the new NLP output committed to the
  cache and the sentences not yet gated.

After each kill the published file must still be the previous snapshot, table for table; the
next run must produce exactly the tables of a run nothing interrupted (every published table
and view, row for row, but for the ingestion timestamps) and leave no temporary file.

Cost: the crash-point runs are forked together from one process that has imported the heavy
libraries once (tests/crash_runner.py), each in its own copy, while the external case runs
and the reference runs are computed here; the baseline's cache already holds the extraction
of the article the crash points add, so only the external case loads spaCy.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipelines.build import build_warehouse
from pipelines.settings import PROJECT_ROOT
from tests.warehouse_tools import (
    FRESH_ARTICLE,
    NEW_ARTICLE,
    contents,
    copy_tree,
    leftovers,
    snapshot_id,
)

pytestmark = pytest.mark.slow

CRASH_POINTS = ["ingest", "normalize", "marts", "publish", "publish-swap"]
EXTERNAL = "killed-from-outside-after-extraction"


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


def kill_when_extracted(process: subprocess.Popen, log: list[str]) -> None:
    for line in process.stdout:
        log.append(line)
        if "extracted 1 new articles" in line:
            os.killpg(process.pid, signal.SIGKILL)
            return


def launch(root: Path, home: Path) -> subprocess.Popen:
    binaries = Path(sys.executable).parent
    home.mkdir()
    env = {**os.environ, "ARTICLES_DIR": str(root / "articles"),
           "WAREHOUSE_PATH": str(warehouse(root)), "DAGSTER_HOME": str(home),
           "PATH": f"{binaries}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.Popen(
        [str(binaries / "dg"), "launch", "--job", "incidents_job",
         "--config", "pipelines/config/run.yaml"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)


@pytest.fixture(scope="module")
def runs(baseline, tmp_path_factory) -> dict:
    """Start every killed run at once; meanwhile compute the uninterrupted references.

    Returns {"killed": {case: (root, exit status, log)}, "reference": {article: tables}}."""
    base = tmp_path_factory.mktemp("killed")
    cases = {point: add(copy_tree(baseline, base / point), NEW_ARTICLE) for point in CRASH_POINTS}
    runner = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_runner",
         *(f"{root}={point}" for point, root in cases.items())],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    root = add(copy_tree(baseline, base / EXTERNAL), FRESH_ARTICLE)
    process, lines = launch(root, base / "dagster_home"), []
    watcher = threading.Thread(target=kill_when_extracted, args=(process, lines))
    watcher.start()

    reference = {}
    for article in (NEW_ARTICLE, FRESH_ARTICLE):
        case = add(copy_tree(baseline, base / f"uninterrupted-{len(reference)}"), article)
        assert build_warehouse(case / "articles", warehouse(case)).success
        reference[article] = contents(warehouse(case))

    statuses = json.loads(runner.communicate(timeout=300)[0])
    killed = {point: (root, statuses[str(root)], (root / "run.log").read_text())
              for point, root in cases.items()}
    watcher.join(timeout=300)
    process.wait(timeout=60)
    killed[EXTERNAL] = (root, process.returncode, "".join(lines))
    return {"killed": killed, "reference": reference}


@pytest.mark.parametrize("case", [*CRASH_POINTS, EXTERNAL])
def test_killed_run_leaves_previous_snapshot_and_next_run_converges(case, runs, baseline):
    root, status, log = runs["killed"][case]
    assert status == -signal.SIGKILL, log[-3000:]
    published = warehouse(root)
    assert snapshot_id(published) == snapshot_id(warehouse(baseline))
    assert contents(published) == contents(warehouse(baseline))

    result = build_warehouse(root / "articles", published)

    assert result.success
    article = FRESH_ARTICLE if case == EXTERNAL else NEW_ARTICLE
    assert contents(published) == runs["reference"][article]
    assert leftovers(root) == []
