"""A JSONL feed far larger than one article is read whole, record by record, with bounded
memory; its one oversized record and a link out of the folder are rejected alone.

The default size runs in `make test` (a few seconds). The issue's size, 60 MB and 40,000
records through the ingest gate, is marked `heavy` (about 20 s): `pytest -m heavy`.
"""

import json
import os
import subprocess
import sys

import pytest

from pipelines.settings import PROJECT_ROOT


def stress(records: int, megabytes: float, limit: int, *flags: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.ingest.stress", "--records", str(records),
         "--megabytes", str(megabytes), *flags],
        env={**os.environ, "MAX_RECORD_BYTES": str(limit)}, cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("records", "megabytes", "limit", "flags"), [
    pytest.param(4_000, 6, 256 * 1024, (), id="6MB-read"),
    pytest.param(40_000, 60, 20 * 1024 * 1024, ("--gate",), id="60MB-gate",
                 marks=pytest.mark.heavy),
])
def test_large_jsonl_is_ingested_whole_with_bounded_memory(records, megabytes, limit, flags):
    measured = stress(records, megabytes, limit, *flags)
    assert measured["file_megabytes"] == pytest.approx(megabytes, rel=0.05)
    assert measured["articles"] == records - 1
    assert measured["rejected"] == [f"feed.jsonl#line-{records // 2 + 1}:too_large",
                                    "leak.txt:outside_folder"]
    assert measured["peak_rss_mib"] < 2048, measured
