"""The extraction cache: NLP output per article and extractor version, kept in schema `cache`.

A run extracts only the articles whose (article_id, extractor_version) is not cached with the
same publication date, title and language, so a folder where 10 of 10,000 articles are new
costs NLP on 10.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse

# The extraction code itself is part of the version: a change to any rule redoes every article.
EXTRACT_CODE = Path(__file__).resolve().parent

CACHE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "sentences": {"article_id": pl.String, "sentence_index": pl.Int64, "char_start": pl.Int64,
                  "char_end": pl.Int64, "text": pl.String},
    "mentions": {"mention_id": pl.String, "article_id": pl.String, "sentence_index": pl.Int64,
                 "char_start": pl.Int64, "char_end": pl.Int64, "text": pl.String,
                 "entity_table": pl.String, "entity_id": pl.String, "via": pl.String},
    "entities": {"article_id": pl.String, "entity_table": pl.String, "entity_id": pl.String,
                 "entity_key": pl.String, "name": pl.String, "kind": pl.String,
                 "category": pl.String, "country_iso3": pl.String, "acronym": pl.String,
                 "admin1": pl.String, "admin2": pl.String, "latitude": pl.Float64,
                 "longitude": pl.Float64, "geonames_id": pl.Int64, "parent_id": pl.String,
                 "alias": pl.String, "source": pl.String},
    "incidents": {"incident_id": pl.String, "article_id": pl.String, "event_date": pl.Date,
                  "date_precision": pl.String, "date_source": pl.String,
                  "event_type": pl.String, "sub_event_type": pl.String, "place_id": pl.String,
                  "geo_precision": pl.Int64, "fatalities": pl.Int64, "injuries": pl.Int64,
                  "summary": pl.String, "char_start": pl.Int64, "char_end": pl.Int64,
                  "confidence": pl.Float64, "features": pl.String},
    "participants": {"article_id": pl.String, "incident_id": pl.String,
                     "entity_table": pl.String, "entity_id": pl.String, "role": pl.String},
}

# Besides the body (whose hash is the article id), extraction reads these columns of an
# article: a corrected publication date or title, or another language, extract it again.
# (`ingested_at` is left out: it dates only undated articles' relative dates, and it differs
# between a partition's extraction and the run that imports it.)
READ_COLUMNS = {"title": pl.String, "published_date": pl.Date, "published_precision": pl.String,
                "language": pl.String}
EXTRACTED_SCHEMA = {"article_id": pl.String, "extractor_version": pl.String,
                    "extracted_at": pl.Datetime("us"), **READ_COLUMNS}


def ensure_cache_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the cache tables; a cache written by an older version with other columns is
    dropped whole (it is only a cache: every article is extracted again)."""
    tables = {**CACHE_SCHEMAS, "extracted": EXTRACTED_SCHEMA}
    stale = any(_columns(conn, name) not in (None, list(schema)) for name, schema in tables.items())
    for name, schema in tables.items():
        if stale and warehouse.table_exists(conn, "cache", name):
            conn.execute(f"DROP TABLE cache.{name}")
        if not warehouse.table_exists(conn, "cache", name):
            warehouse.write_table(conn, f"cache.{name}", pl.DataFrame(schema=schema))


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    if not warehouse.table_exists(conn, "cache", table):
        return None
    return [row[0] for row in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'cache' "
        "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def articles_to_extract(conn: duckdb.DuckDBPyConnection, version: str) -> list[str]:
    """Ids of the published articles with no cached extraction at `version`, sorted."""
    return [row[0] for row in conn.execute(warehouse.load_sql("extract/articles_to_extract"),
                                           {"version": version}).fetchall()]


def article_batches(conn: duckdb.DuckDBPyConnection, ids: list[str], size: int
                    ) -> Iterator[list[dict]]:
    """The records extraction reads, `size` articles at a time: only one batch of bodies is
    read from the database at once, whatever the number of articles."""
    query = warehouse.load_sql("extract/articles_by_id")
    for start in range(0, len(ids), size):
        result = conn.execute(query, {"ids": ids[start:start + size]})
        columns = [column[0] for column in result.description]
        yield [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def extracted_rows(records: list[dict], version: str, at: datetime | None = None
                   ) -> pl.DataFrame:
    """The `cache.extracted` rows of a batch of article records: what was extracted, by which
    version, from which values of READ_COLUMNS."""
    at = at or datetime.now(UTC).replace(tzinfo=None)
    return pl.DataFrame(
        {"article_id": [r["article_id"] for r in records],
         **{column: [r.get(column) for r in records] for column in READ_COLUMNS}},
        schema={"article_id": pl.String, **READ_COLUMNS},
    ).with_columns(extractor_version=pl.lit(version),
                   extracted_at=pl.lit(at).cast(pl.Datetime("us"))).select(list(EXTRACTED_SCHEMA))


def store(conn: duckdb.DuckDBPyConnection, version: str, frames: dict[str, pl.DataFrame],
          records: list[dict]) -> None:
    """Replace the cached rows of the articles `records` with `frames`, in one transaction."""
    extracted = extracted_rows(records, version)
    ids = extracted.select("article_id")
    conn.register("_ids", ids.to_arrow())
    conn.execute("BEGIN TRANSACTION")
    try:
        cached_before = _any_cached(conn)
        for name, frame in {**frames, "extracted": extracted}.items():
            if cached_before:
                conn.execute(f"DELETE FROM cache.{name} WHERE article_id IN "
                             "(SELECT article_id FROM _ids)")
            conn.register("_rows", frame.to_arrow())
            conn.execute(f"INSERT INTO cache.{name} BY NAME SELECT * FROM _rows")
            conn.unregister("_rows")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.unregister("_ids")


def _any_cached(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether any article of `_ids` has cached rows. An article's rows are stored in one
    transaction with its `cache.extracted` row, so that small table answers for all: a night's
    new articles then skip the deletes, each of which scans a whole cache table to find
    nothing (about 2 s of CPU in a +1% run at 20,000 articles)."""
    return warehouse.scalar(conn, "SELECT count(*) FROM cache.extracted "
                            "WHERE article_id IN (SELECT article_id FROM _ids)") > 0


def select_current(conn: duckdb.DuckDBPyConnection, version: str) -> None:
    """Make temp table `current_articles`: published articles with a current extraction."""
    conn.execute(warehouse.load_sql("extract/current_articles").format(
        articles_to_extract=warehouse.load_sql("extract/articles_to_extract")),
        {"version": version})


def record_version(conn: duckdb.DuckDBPyConnection, version: str) -> None:
    """The extractor version the last extraction ran with. Later stages of the run read it
    rather than recomputing it, so a reference list edited during a run cannot leave them
    looking for extractions that do not exist yet."""
    record_state(conn, "extractor_version", version)


def recorded_version(conn: duckdb.DuckDBPyConnection) -> str | None:
    return recorded_state(conn, "extractor_version")


def record_state(conn: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Remember a value across runs in the private file (`cache.state`)."""
    conn.execute("CREATE TABLE IF NOT EXISTS cache.state (key VARCHAR PRIMARY KEY, value VARCHAR)")
    conn.execute("INSERT OR REPLACE INTO cache.state VALUES (?, ?)", [key, value])


def recorded_state(conn: duckdb.DuckDBPyConnection, key: str) -> str | None:
    if not warehouse.table_exists(conn, "cache", "state"):
        return None
    return warehouse.scalar(conn, "SELECT value FROM cache.state WHERE key = ?", [key])


def current_extractor_version(models: dict[str, str], reference_dir: Path) -> str:
    """What an article's cached extraction depends on: rules, models and reference lists.

    Computed without loading a model or the gazetteer, so a run with nothing new is cheap."""
    from pipelines.extract.calibration import MODEL_PATH as CALIBRATION
    from pipelines.extract.classifier import MODEL_PATH as CLASSIFIER
    from pipelines.extract.reference import reference_version

    installed = ",".join(f"{lang}:{installed_model_version(name)}"
                         for lang, name in sorted(models.items()))
    return (f"rules-{rules_version()}/{installed}/models-{file_hash(CLASSIFIER, CALIBRATION)}"
            f"/ref-{reference_version(reference_dir)}")


def file_hash(*paths: Path) -> str:
    """Hash of some files' contents ('none' for a missing one)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"none")
    return digest.hexdigest()[:10]


def rules_version() -> str:
    """Hash of the extraction code (pipelines/extract/*.py)."""
    digest = hashlib.sha256()
    for path in sorted(EXTRACT_CODE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def installed_model_version(name: str) -> str:
    """'<name>-<version>' of an installed model package or a model folder, without loading it."""
    path = Path(name)
    if (path / "meta.json").is_file():
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return f"{meta.get('name')}-{meta.get('version')}"
    try:
        return f"{name}-{package_version(name.replace('_', '-'))}"
    except PackageNotFoundError:
        return name
