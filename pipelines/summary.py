"""Print what the warehouse holds (row counts per published table), read-only.

    python -m pipelines.summary [WAREHOUSE_PATH]
"""

import sys
from pathlib import Path

from pipelines import settings, warehouse
from pipelines.contract import TABLES


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else settings.warehouse_path()
    if not path.exists():
        sys.exit(f"no warehouse at {path}")
    with warehouse.connect(path, read_only=True) as conn:
        print(f"warehouse {path}")
        if warehouse.table_exists(conn, "main", "snapshot_info"):
            snapshot_id, run_id, published_at = conn.execute(
                "SELECT snapshot_id, run_id, published_at FROM snapshot_info").fetchone()
            print(f"  snapshot {snapshot_id} (run {run_id}, published "
                  f"{published_at:%Y-%m-%d %H:%M:%S} UTC; `make snapshots` lists the others)")
        for table in TABLES:
            print(f"  {table:<24}{warehouse.row_count(conn, 'main', table) or 0:>8} rows")
        if warehouse.table_exists(conn, "main", "acled_events"):
            print("query it: make sql Q=\"select * from acled_events\"")


if __name__ == "__main__":
    main()
