"""The extraction cache: NLP output per article and extractor version, kept in schema `cache`.

A run extracts only the articles whose (article_id, extractor_version) is not cached, so a
folder where 10 of 10,000 articles are new costs NLP on 10.
"""

from datetime import UTC, datetime

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.extract.batch import CACHE_SCHEMAS

EXTRACTED_SCHEMA = {"article_id": pl.String, "extractor_version": pl.String,
                    "extracted_at": pl.Datetime("us")}


def ensure_cache_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for name, schema in {**CACHE_SCHEMAS, "extracted": EXTRACTED_SCHEMA}.items():
        if not warehouse.table_exists(conn, "cache", name):
            warehouse.write_table(conn, f"cache.{name}", pl.DataFrame(schema=schema))


def articles_to_extract(conn: duckdb.DuckDBPyConnection, version: str) -> pl.DataFrame:
    return conn.execute(warehouse.load_sql("extract/articles_to_extract"), {"version": version}).pl()


def store(conn: duckdb.DuckDBPyConnection, version: str, frames: dict[str, pl.DataFrame],
          article_ids: list[str]) -> None:
    """Replace the cached rows of `article_ids` with `frames`, in one transaction."""
    ids = pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String})
    extracted = ids.with_columns(
        extractor_version=pl.lit(version),
        extracted_at=pl.lit(datetime.now(UTC).replace(tzinfo=None)).cast(pl.Datetime("us")),
    )
    conn.register("_ids", ids.to_arrow())
    conn.execute("BEGIN TRANSACTION")
    try:
        for name, frame in {**frames, "extracted": extracted}.items():
            conn.execute(f"DELETE FROM cache.{name} WHERE article_id IN (SELECT article_id FROM _ids)")
            conn.register("_rows", frame.to_arrow())
            conn.execute(f"INSERT INTO cache.{name} BY NAME SELECT * FROM _rows")
            conn.unregister("_rows")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.unregister("_ids")


def select_current(conn: duckdb.DuckDBPyConnection, version: str) -> None:
    """Make temp table `current_articles`: published articles with a current extraction."""
    conn.execute(warehouse.load_sql("extract/current_articles"), {"version": version})
