"""ACLED-format export of `acled_events`: a CSV with ACLED's columns in ACLED's order (what
scripts written for ACLED's downloads read), and a Parquet file with every column of the view.

    python -m pipelines.marts.export [--warehouse PATH] [--out DIR]    (make export)

Reads the warehouse read-only; writes `acled_events.csv` and `acled_events.parquet` into
REPORTS_DIR (default `reports/` beside the warehouse). The `acled_export` asset writes the
same files at the end of every run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl

from pipelines import settings, warehouse

# ACLED's export header, in its order.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
QUERY = "SELECT * FROM main.acled_events ORDER BY event_date, event_id_cnty"


def export_acled(conn: duckdb.DuckDBPyConnection, folder: Path) -> tuple[Path, Path, int]:
    """Write both files; returns their paths and the number of events."""
    frame = warehouse.frame(conn, QUERY)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = folder / "acled_events.csv", folder / "acled_events.parquet"
    # Written beside and renamed into place: a reader never sees half a file.
    partial_csv, partial_parquet = csv_path.with_suffix(".csv.tmp"), parquet_path.with_suffix(".parquet.tmp")
    frame.select(ACLED_COLUMNS).write_csv(partial_csv, date_format="%Y-%m-%d")
    frame.select(pl.col(ACLED_COLUMNS), pl.exclude(ACLED_COLUMNS)).write_parquet(partial_parquet)
    partial_csv.replace(csv_path)
    partial_parquet.replace(parquet_path)
    return csv_path, parquet_path, frame.height


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.marts.export",
                                     description="Write acled_events as ACLED's CSV and as Parquet.")
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse_path())
    parser.add_argument("--out", type=Path, help="folder (default: REPORTS_DIR)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"no warehouse at {args.warehouse}: run `make run` first", file=sys.stderr)
        return 1
    folder = args.out or (settings.reports_dir() if os.getenv("REPORTS_DIR")
                          else args.warehouse.parent / "reports")
    with warehouse.connect(args.warehouse, read_only=True) as conn:
        csv_path, parquet_path, rows = export_acled(conn, folder)
    print(f"{rows} events -> {csv_path}, {parquet_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
