"""Compare two published warehouses table by table and row by row (tests, make test-scale)."""

from pathlib import Path

import duckdb

from pipelines.contract import VIEWS, published_tables

# Times a run stamps (ingestion, detection, and the event times derived from them); everything
# else must be reproducible.
VOLATILE_COLUMNS = {"ingested_at", "detected_at", "first_reported_at", "last_reported_at",
                    "updated_at", "timestamp"}


def contents(path: Path, ignore: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every published table and view of a warehouse file, rows sorted, volatile columns (and
    the `ignore` ones) out."""
    found = {}
    with duckdb.connect(str(path), read_only=True) as conn:
        for name in [*published_tables(), *VIEWS]:
            columns = [c for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
                "AND table_name = ? ORDER BY ordinal_position", [name]).fetchall()
                       if c not in VOLATILE_COLUMNS | ignore]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM main.{name}").fetchall()
            found[name] = sorted(rows, key=repr)
    return found


def differences(left: Path, right: Path, ignore: frozenset[str] = frozenset()
                ) -> list[tuple[str, int, int, int]]:
    """(table, rows on the left, rows on the right, rows in one and not the other) per table."""
    a, b = contents(left, ignore), contents(right, ignore)
    report = []
    for name in a:
        only = _multiset_difference(a[name], b[name]) + _multiset_difference(b[name], a[name])
        report.append((name, len(a[name]), len(b[name]), only))
    return report


def _multiset_difference(rows: list[tuple], others: list[tuple]) -> int:
    from collections import Counter

    return sum((Counter(map(repr, rows)) - Counter(map(repr, others))).values())
