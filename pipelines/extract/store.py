"""Per-partition extraction output as Parquet files in a storage path (EXTRACT_STORE).

Layout: `<store>/<version key>/<partition>/<table>.parquet` for the cache tables (sentences,
mentions, entities, incidents, participants, extracted), then `manifest.json`, written last:
a partition without one is unfinished and never read. The store is a local folder by default
(beside the pipeline's DuckDB file) or any fsspec URL (`s3://bucket/extracted`, `gs://...`,
with the matching fsspec package installed): partitions are written through fsspec and read
by DuckDB, which is handed the same file system.

No Dagster here: `pipelines.extract.partitions` writes partitions, the `sentences` asset
imports them into the cache with `import_partitions` before it extracts what is still missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import duckdb
import fsspec
import polars as pl

from pipelines.extract.cache import CACHE_SCHEMAS, EXTRACTED_SCHEMA

TABLES = (*CACHE_SCHEMAS, "extracted")
MANIFEST = "manifest.json"


def version_key(version: str) -> str:
    """A folder name for an extractor version (which holds '/' and ':')."""
    return hashlib.sha256(version.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ExtractStore:
    url: str

    def _fs(self) -> tuple[fsspec.AbstractFileSystem, str]:
        fs, root = fsspec.core.url_to_fs(self.url)
        return fs, root.rstrip("/")

    def partition_path(self, version: str, partition: str) -> str:
        return f"{self._fs()[1]}/{version_key(version)}/{quote(partition, safe='')}"

    def write(self, version: str, partition: str, frames: dict[str, pl.DataFrame]) -> dict:
        """Write one partition's tables, then its manifest; returns the manifest."""
        fs, _ = self._fs()
        folder = self.partition_path(version, partition)
        fs.makedirs(folder, exist_ok=True)
        if fs.exists(f"{folder}/{MANIFEST}"):
            fs.rm(f"{folder}/{MANIFEST}")
        for table in TABLES:
            with fs.open(f"{folder}/{table}.parquet", "wb") as handle:
                frames[table].write_parquet(handle)
        manifest = {"partition": partition, "extractor_version": version,
                    "written_at": datetime.now(UTC).isoformat(),
                    "rows": {table: frames[table].height for table in TABLES}}
        with fs.open(f"{folder}/{MANIFEST}", "w") as handle:
            json.dump(manifest, handle)
        return manifest

    def finished(self, version: str) -> list[dict]:
        """Manifests of the finished partitions at `version`, by partition."""
        fs, root = self._fs()
        manifests = []
        for path in sorted(fs.glob(f"{root}/{version_key(version)}/*/{MANIFEST}")):
            with fs.open(path, "r") as handle:
                manifest = json.load(handle)
            manifest["folder"] = path.rsplit("/", 1)[0]
            manifests.append(manifest)
        return sorted(manifests, key=lambda m: m["partition"])

    def attach(self, conn: duckdb.DuckDBPyConnection) -> str:
        """Let `conn` read the store; the prefix to put before a folder from `finished`."""
        fs, _ = self._fs()
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        if protocol in ("file", "local"):
            return ""
        conn.register_filesystem(fs)
        return f"{protocol}://"


def empty_frames() -> dict[str, pl.DataFrame]:
    return {table: pl.DataFrame(schema=schema)
            for table, schema in {**CACHE_SCHEMAS, "extracted": EXTRACTED_SCHEMA}.items()}


def import_partitions(conn: duckdb.DuckDBPyConnection, store: ExtractStore, version: str
                      ) -> tuple[int, int]:
    """Copy into the cache the rows of every finished partition at `version` not imported
    yet (each partition in one transaction; an article already cached is skipped, so an
    article found in two files is imported once). Returns (partitions, articles) imported."""
    conn.execute("CREATE TABLE IF NOT EXISTS cache.imported_partitions ("
                 "extractor_version VARCHAR, partition VARCHAR, written_at VARCHAR, "
                 "articles BIGINT, PRIMARY KEY (extractor_version, partition))")
    done = {(row[0], row[1]) for row in conn.execute(
        "SELECT partition, written_at FROM cache.imported_partitions WHERE extractor_version = ?",
        [version]).fetchall()}
    manifests = [m for m in store.finished(version) if (m["partition"], m["written_at"]) not in done]
    if not manifests:
        return 0, 0
    prefix = store.attach(conn)
    articles = 0
    for manifest in manifests:
        folder = prefix + manifest["folder"]
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(
                "CREATE OR REPLACE TEMP TABLE _new_ids AS SELECT DISTINCT article_id "
                "FROM read_parquet(?) WHERE extractor_version = ? AND article_id NOT IN "
                "(SELECT article_id FROM cache.extracted WHERE extractor_version = ?)",
                [f"{folder}/extracted.parquet", version, version])
            for table in TABLES:
                conn.execute(f"DELETE FROM cache.{table} WHERE article_id IN "
                             "(SELECT article_id FROM _new_ids)")
                conn.execute(f"INSERT INTO cache.{table} BY NAME SELECT * FROM read_parquet(?) "
                             "WHERE article_id IN (SELECT article_id FROM _new_ids)",
                             [f"{folder}/{table}.parquet"])
            count = conn.execute("SELECT count(*) FROM _new_ids").fetchall()[0][0]
            conn.execute("INSERT OR REPLACE INTO cache.imported_partitions VALUES (?, ?, ?, ?)",
                         [version, manifest["partition"], manifest["written_at"], count])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        articles += count
    return len(manifests), articles
