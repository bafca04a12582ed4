"""DuckDB helpers: SQL files, staging writes and the one-transaction publish to `main`.

No Dagster here: the assets call these with a connection they opened.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines import settings
from pipelines.contract import TABLES, conform, empty
from pipelines.settings import SQL_DIR

SCHEMAS = ("staging", "cache")


@cache
def load_sql(name: str) -> str:
    """Text of `sql/<name>.sql` (name may contain a sub-folder, e.g. 'marts/actor_activity')."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writer creates the folder and the working schemas."""
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(path), config={"memory_limit": settings.duckdb_memory_limit()})
    ensure_schemas(conn)
    return conn


def ensure_schemas(conn: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")


def write_table(conn: duckdb.DuckDBPyConnection, qualified_name: str, frame: pl.DataFrame) -> None:
    """Replace `qualified_name` with the rows of `frame` (types come from the frame)."""
    arrow = frame.to_arrow()
    conn.register("_frame_to_write", arrow)
    try:
        conn.execute(f"CREATE OR REPLACE TABLE {qualified_name} AS SELECT * FROM _frame_to_write")
    finally:
        conn.unregister("_frame_to_write")


def release_memory(conn: duckdb.DuckDBPyConnection) -> None:
    """Hand back to the system what DuckDB's last queries freed. DuckDB keeps it for the next
    query (400 MB after reading the incident features of 100,000 articles), which a caller
    that goes on to work in Polars for minutes does not need; setting the memory limit again,
    to its own value, makes DuckDB flush it."""
    limit = scalar(conn, "SELECT current_setting('memory_limit')")
    conn.execute(f"SET memory_limit = '{limit}'")


@contextmanager
def memory_limited(conn: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """Run the block with DuckDB's memory limit lowered to `limit`, then give the connection
    the run's limit (DUCKDB_MEMORY_LIMIT, which `connect` set) again. DuckDB keeps the table
    blocks a long series of small writes leaves in its buffer pool until the pool reaches its
    limit: appending 100,000 articles to the cache batch by batch held more and more of the
    run's memory for nothing."""
    conn.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        conn.execute(f"SET memory_limit = '{settings.duckdb_memory_limit()}'")


# A staged table is written in `main` under this prefix, beside the table it may replace, and
# read as `staging.<table>` (a view): publishing it is then a rename, not a copy of every row
# (DuckDB cannot move a table to another schema). Copying the staged tables of a nightly run
# into `main` took 1.5 s of CPU at 20,000 articles, most of it compressing `sentences`,
# `mentions` and `event_incidents` a second time.
STAGED_PREFIX = "_staged_"


def staged_table(table: str) -> str:
    """Where `staging.<table>` is written (a table of `main`, not published)."""
    return f"main.{STAGED_PREFIX}{table}"


def stage(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Conform `frame` to the contract and write it to `staging.<table>`."""
    conformed = conform(table, frame)
    write_table(conn, staged_table(table), conformed)
    _show_staged(conn, table, staged_table(table))
    return conformed


def stage_query(conn: duckdb.DuckDBPyConnection, table: str, query: str) -> None:
    """Write the rows of `query` to `staging.<table>`, cast to the contract's columns, without
    bringing them into Python."""
    write_table(conn, staged_table(table), empty(table))
    columns = ", ".join(TABLES[table])
    conn.execute(f"INSERT INTO {staged_table(table)} BY NAME SELECT {columns} FROM ({query})")
    _show_staged(conn, table, staged_table(table))


def _show_staged(conn: duckdb.DuckDBPyConnection, table: str, source: str) -> None:
    """Make `staging.<table>` the view of `source` (a table a file of an older layout holds
    under that name is dropped)."""
    if table_type(conn, "staging", table) == "BASE TABLE":
        conn.execute(f"DROP TABLE staging.{table}")
    conn.execute(f"CREATE OR REPLACE VIEW staging.{table} AS SELECT * FROM {source}")


def fingerprint(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> str | None:
    """Row count and an order-independent hash of every row (None when the table is missing):
    equal fingerprints mean equal contents."""
    if not table_exists(conn, schema, table):
        return None
    columns = scalar(conn, "SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY "
                     "ordinal_position) FROM information_schema.columns WHERE table_schema = ? "
                     "AND table_name = ?", [schema, table])
    count, total = conn.execute(
        f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {schema}.{table} AS t"
    ).fetchall()[0]
    return f"{count}:{total}:{columns}"


def frame(conn: duckdb.DuckDBPyConnection, query: str, params: dict | None = None
          ) -> pl.DataFrame:
    """Result of a query as a Polars frame (DuckDB 2 builds frames from relations)."""
    return conn.sql(query, params=params).pl()


def scalar(conn: duckdb.DuckDBPyConnection, query: str, params: list | None = None):
    """First value of a query's result. fetchall() completes the result, which DuckDB 2
    requires before the connection runs anything else."""
    rows = conn.execute(query, params or []).fetchall()
    return rows[0][0] if rows else None


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(scalar(
        conn,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ))


def table_type(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> str | None:
    """'BASE TABLE', 'VIEW', or None when `schema.table` does not exist."""
    return scalar(conn, "SELECT table_type FROM information_schema.tables WHERE table_schema = ? "
                  "AND table_name = ?", [schema, table])


def row_count(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    """Rows in `schema.table`, or None when the table does not exist yet."""
    if not table_exists(conn, schema, table):
        return None
    return scalar(conn, f"SELECT count(*) FROM {schema}.{table}")


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All the statements of the block, or none of them."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


def publish(conn: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Make `staging.<t>` `main.<t>` for every table, all or nothing: the staged table is
    renamed (a table staged by other means, not by `stage`, is copied), and `staging.<t>`
    shows `main.<t>` after, as it showed the same rows before."""
    staged = {table for table in tables
              if table_type(conn, "main", f"{STAGED_PREFIX}{table}") == "BASE TABLE"
              and table_type(conn, "staging", table) == "VIEW"}
    with transaction(conn):
        for table in tables:
            if table not in staged:
                conn.execute(f"CREATE OR REPLACE TABLE main.{table} AS SELECT * FROM staging.{table}")
                continue
            conn.execute(f"DROP TABLE IF EXISTS main.{table}")
            conn.execute(f"ALTER TABLE {staged_table(table)} RENAME TO {table}")
            _show_staged(conn, table, f"main.{table}")


def create_views(conn: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """(Re)create views from `sql/views/<name>.sql`, each a CREATE OR REPLACE VIEW statement."""
    for name in names:
        conn.execute(load_sql(f"views/{name}"))
