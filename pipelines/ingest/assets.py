"""Ingest stage: feeds -> `fetch_log` (pages in the raw zone); the article folder and the
fetched pages -> `articles` and `rejected_inputs`."""

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines import faults
from pipelines import warehouse as wh
from pipelines.ingest.readers import IngestResult, input_fingerprints, merge, read_articles
from pipelines.quality.dagster_gate import check_specs, gate_and_publish
from pipelines.quality.gates import imported_meanwhile
from pipelines.resources import ArticlesFolderResource, FetchResource, WarehouseResource

TABLES = ["articles", "rejected_inputs"]
# The row of cache.ingested_inputs holding the fingerprint of the tables read from the inputs.
TABLES_KEY = ".published-tables"


@dg.asset(
    name="fetch_log", group_name="ingest", kinds={"python", "duckdb"}, owners=["team:data-eng"],
    check_specs=check_specs(["fetch_log"]),
)
def fetch_log(context: dg.AssetExecutionContext, fetch: FetchResource,
              warehouse: WarehouseResource):
    """Poll the feeds of FEEDS_FILE (RSS, Atom, sitemaps), fetch the pages not fetched before
    into FETCH_DIR for ingest to read, and publish the log of every request and refusal.

    Politely (User-Agent with FETCH_CONTACT_URL, robots.txt, one request per host per
    FETCH_HOST_INTERVAL, conditional GET) and safely (no private addresses outside
    FETCH_ALLOW_HOSTS, size cap, timeouts, bounded retries and redirects). With no enabled feed
    it requests nothing and republishes the log as it is.
    """
    from pipelines.ingest.fetch.feeds import read_feeds_file
    from pipelines.ingest.fetch.run import FetchSummary, fetch_feeds
    from pipelines.ingest.fetch.store import RawZone, log_frame

    try:
        sources = read_feeds_file(Path(fetch.feeds_file)) if fetch.feeds_file else []
    except ValueError as error:
        raise dg.Failure(f"FEEDS_FILE: {error}") from error
    enabled = [source for source in sources if source.enabled]
    zone = RawZone(Path(fetch.fetch_dir))
    summary = FetchSummary()
    if enabled:
        with fetch.fetcher() as fetcher:
            context.log.info(f"polling {len(enabled)} feeds as {fetcher.user_agent!r}")
            summary = fetch_feeds(enabled, zone, fetcher,
                                  now=datetime.now(UTC).replace(tzinfo=None),
                                  max_pages=fetch.max_pages_per_feed)
    context.log.info(
        f"{summary.feeds_polled} feeds polled ({summary.feeds_not_modified} not modified), "
        f"{summary.new_entries} new entries, {summary.pages_fetched} pages fetched, "
        f"failures: {dict(summary.failures) or 'none'}")
    with warehouse.connect() as conn:
        yield from gate_and_publish(conn, {"fetch_log": log_frame(zone.log_rows())}, extra_metadata={
            "fetch_log": {
                "feeds_listed": len(sources), "feeds_enabled": len(enabled),
                **{name: value for name, value in asdict(summary).items() if name != "failures"},
                "failures_by_reason": dg.MetadataValue.json(dict(summary.failures)),
                "fetch_dir": fetch.fetch_dir,
            }})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "articles", group_name="ingest", kinds={"polars", "duckdb"}, owners=["team:data-eng"],
            deps=["fetch_log"],
            description="One article per row: the main text of each page (trafilatura) or the "
            "cleaned text of each file, with title, publication date and its precision, URL, "
            "outlet and version; an article seen twice is kept once.",
        ),
        dg.AssetSpec(
            "rejected_inputs", group_name="ingest", kinds={"polars", "duckdb"},
            owners=["team:data-eng"],
            description="Input files, records or pages that could not be loaded, with the reason.",
        ),
    ],
    check_specs=check_specs(TABLES),
)
def ingest_articles(
    context: dg.AssetExecutionContext,
    articles_folder: ArticlesFolderResource,
    fetch: FetchResource,
    warehouse: WarehouseResource,
):
    """Read every article file under ARTICLES_DIR and every fetched page, clean it and stage it
    behind the gate."""
    root = Path(articles_folder.path)
    if not root.is_dir():
        raise dg.Failure(f"ARTICLES_DIR {root} is not a folder")
    now = datetime.now(UTC).replace(tzinfo=None)
    fingerprints = input_fingerprints(root, fetch.pages_dir)
    with warehouse.connect() as conn:
        known = _known_inputs(conn)
        if known == fingerprints:
            # No file changed since the published tables were read from them.
            context.log.info(f"no input changed in {root} and {fetch.pages_dir}: "
                             "articles and rejected_inputs are kept as they are")
            tables = {table: f"SELECT * FROM main.{table}" for table in TABLES}
            yield from gate_and_publish(conn, tables, extra_metadata={"articles": {"files_read": 0}})
        else:
            # Rows will be validated: Great Expectations is imported while the files are read.
            with imported_meanwhile():
                yield from gate_and_publish(conn, *_read_inputs(context, conn, root, fetch.pages_dir,
                                                                known, fingerprints, now))
        _record_inputs(conn, fingerprints)
    faults.crash_point("ingest")


def _read_inputs(context: dg.AssetExecutionContext, conn, root: Path, pages_dir: Path,
                 known: dict[str, str] | None, fingerprints: dict[str, str], now: datetime
                 ) -> tuple[dict, dict]:
    """The tables and their metadata from the new files alone when only files were added,
    else from every file."""
    added = sorted(set(fingerprints) - set(known or {}))
    if known is not None and all(fingerprints.get(k) == v for k, v in known.items()):
        # Only new files: read those, and take the others' rows as published.
        result = merge(_published(conn), read_articles(
            root, now=now, fetched_pages=pages_dir, only=added), added)
        files_read = len(added)
    else:
        result = read_articles(root, now=now, fetched_pages=pages_dir)
        files_read = len(fingerprints)
    context.log.info(
        f"{result.articles.height} articles, {result.rejected.height} rejected inputs, "
        f"{result.duplicates} duplicates dropped from {root} and {pages_dir} "
        f"({files_read} of {len(fingerprints)} files read)")
    fetched = result.articles.filter(result.articles["fetched_at"].is_not_null()).height
    return ({"articles": result.articles, "rejected_inputs": result.rejected},
            {"articles": {"duplicates_dropped": result.duplicates, "source_folder": str(root),
                          "fetched_articles": fetched, "files_read": files_read,
                          "later_versions": int((result.articles["version"] > 1).sum())}})


def _tables_fingerprint(conn) -> str:
    return "|".join(str(wh.fingerprint(conn, "main", table)) for table in TABLES)


def _known_inputs(conn) -> dict[str, str] | None:
    """The input fingerprints the published articles were read from; None when unknown or
    when `main` no longer holds what was read then (reset to a snapshot after a failed run)."""
    if not wh.table_exists(conn, "cache", "ingested_inputs"):
        return None
    rows = dict(conn.execute("SELECT source, fingerprint FROM cache.ingested_inputs").fetchall())
    if rows.pop(TABLES_KEY, None) != _tables_fingerprint(conn):
        return None
    return rows


def _record_inputs(conn, fingerprints: dict[str, str]) -> None:
    rows = [*fingerprints.items(), (TABLES_KEY, _tables_fingerprint(conn))]
    with wh.transaction(conn):
        conn.execute("CREATE OR REPLACE TABLE cache.ingested_inputs "
                     "(source VARCHAR PRIMARY KEY, fingerprint VARCHAR)")
        conn.executemany("INSERT INTO cache.ingested_inputs VALUES (?, ?)", rows)


def _published(conn) -> IngestResult:
    return IngestResult(articles=wh.frame(conn, "SELECT * FROM main.articles"),
                        rejected=wh.frame(conn, "SELECT * FROM main.rejected_inputs"),
                        duplicates=0)
