"""Helpers for tests that compare, copy and inspect whole warehouses."""

import subprocess
from pathlib import Path

import duckdb

from pipelines.publish.compare import contents  # noqa: F401 (the tests import it from here)

NEW_ARTICLE = ("Gunmen attacked a minibus in Carrefour on Monday, killing two passengers and "
               "wounding three others, police said.")


def snapshot_id(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT snapshot_id FROM snapshot_info").fetchone()[0]


def copy_tree(source: Path, target: Path) -> Path:
    """A copy that keeps hard links (the published file is a link of its snapshot)."""
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return target


def leftovers(root: Path) -> list[str]:
    """Temporary files and DuckDB write-ahead logs anywhere under `root`."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if ".tmp-" in p.name or p.name.endswith(".wal"))
