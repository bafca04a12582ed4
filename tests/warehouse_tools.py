"""Helpers for tests that compare, copy and inspect whole warehouses."""

import subprocess
from pathlib import Path

import duckdb

from pipelines.contract import VIEWS, published_tables

# Stamped with the time of the run that read them; everything else must be reproducible.
# Times a run stamps (ingestion, detection, and the event times derived from them).
VOLATILE_COLUMNS = {"ingested_at", "detected_at", "first_reported_at", "last_reported_at",
                    "updated_at", "timestamp"}

NEW_ARTICLE = ("Gunmen attacked a minibus in Carrefour on Monday, killing two passengers and "
               "wounding three others, police said.")


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every published table and view of a warehouse file, rows sorted, volatile columns out."""
    found = {}
    with duckdb.connect(str(path), read_only=True) as conn:
        for name in [*published_tables(), *VIEWS]:
            columns = [c for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
                "AND table_name = ? ORDER BY ordinal_position", [name]).fetchall()
                       if c not in VOLATILE_COLUMNS]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM main.{name}").fetchall()
            found[name] = sorted(rows, key=repr)
    return found


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
