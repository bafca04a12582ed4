"""Column names and types of the published tables (../shared/docs/warehouse-contract.md).

One place defines each table's shape; stages cast their frames to it before staging, so an
empty run still publishes every table with every column. It also names everything else a
snapshot carries (`MART_TABLES`, `VIEWS`), so publishing follows the contract as it grows.
"""

import polars as pl

STR = pl.String
INT = pl.Int64
FLOAT = pl.Float64
STR_LIST = pl.List(pl.String)

TABLES: dict[str, dict[str, pl.DataType]] = {
    "articles": {
        "article_id": STR, "source_uri": STR, "external_id": STR, "title": STR,
        "published_date": pl.Date, "published_precision": STR, "language": STR, "body": STR,
        "ingested_at": pl.Datetime("us"), "dateline_place": STR, "dateline_agency": STR,
        # Added: where a page came from, its versions (same canonical URL, different text),
        # its publisher and author, and when the fetch step downloaded it (NULL for files).
        "url": STR, "canonical_url": STR, "version": INT, "outlet": STR, "author": STR,
        "fetched_at": pl.Datetime("us"),
    },
    # Added: every request of the fetch step (feeds, sitemaps, robots.txt, pages) and every
    # refusal, with its outcome and reason (pipelines/ingest/fetch/run.py).
    "fetch_log": {
        "fetched_at": pl.Datetime("us"), "kind": STR, "url": STR, "final_url": STR, "feed": STR,
        "status": INT, "outcome": STR, "reason": STR, "detail": STR, "bytes": INT,
        "source_uri": STR, "canonical_url": STR, "entry_updated": STR, "content_sha256": STR,
    },
    "rejected_inputs": {
        "source_uri": STR, "reason": STR, "detail": STR, "size_bytes": INT,
        "detected_at": pl.Datetime("us"),
    },
    "sentences": {
        "article_id": STR, "sentence_index": INT, "char_start": INT, "char_end": INT, "text": STR,
    },
    "mentions": {
        "mention_id": STR, "article_id": STR, "sentence_index": INT, "char_start": INT,
        "char_end": INT, "text": STR, "entity_table": STR, "entity_id": STR,
    },
    "actors": {
        "actor_id": STR, "name": STR, "actor_kind": STR, "category": STR, "country_iso3": STR,
        "aliases": STR_LIST,
    },
    "institutions": {
        "institution_id": STR, "name": STR, "acronym": STR, "institution_kind": STR,
        "category": STR, "country_iso3": STR, "aliases": STR_LIST,
    },
    "places": {
        "place_id": STR, "name": STR, "place_kind": STR, "country_iso3": STR, "admin1": STR,
        "admin2": STR, "latitude": FLOAT, "longitude": FLOAT, "geonames_id": INT,
        "parent_place_id": STR,
    },
    "incidents": {
        "incident_id": STR, "article_id": STR, "event_date": pl.Date, "date_precision": STR,
        "event_type": STR, "sub_event_type": STR, "place_id": STR, "geo_precision": INT,
        "fatalities": INT, "injuries": INT, "summary": STR, "char_start": INT, "char_end": INT,
        "confidence": FLOAT, "date_source": STR,
    },
    "incident_actors": {"incident_id": STR, "actor_id": STR, "role": STR},
    # Reference table published beside the incidents so checks and analysts can join it.
    "event_taxonomy": {"event_type": STR, "sub_event_type": STR},
    "incident_institutions": {"incident_id": STR, "institution_id": STR, "role": STR},
    # One real-world event fused from every article that reports it (pipelines/events/).
    "events": {
        "event_id": STR, "event_date": pl.Date, "date_precision": STR, "event_type": STR,
        "sub_event_type": STR, "place_id": STR, "geo_precision": INT, "fatalities": INT,
        "injuries": INT, "n_sources": INT, "first_reported_at": pl.Datetime("us"),
        "summary": STR, "confidence": FLOAT,
        # Added: ACLED's id, the country, the spread of the reports' tolls and how the figure
        # was chosen ('lowest' or 'update'), independent reports (copies of one wire story
        # count once), outlets, the sources and their scale, the report the notes come from,
        # the last report and when the event last changed (ACLED's timestamp).
        "event_id_cnty": STR, "country_iso3": STR, "fatalities_min": INT, "fatalities_max": INT,
        "fatalities_basis": STR, "n_independent_sources": INT, "n_outlets": INT, "source": STR,
        "source_scale": STR, "primary_incident_id": STR, "last_reported_at": pl.Datetime("us"),
        "updated_at": pl.Datetime("us"),
    },
    "event_incidents": {
        "event_id": STR, "incident_id": STR,
        # Added: the incident's article, its group of wire copies, and the score of the pair
        # that brought it into the event (NULL for the event's first report).
        "article_id": STR, "wire_group": STR, "link_score": FLOAT,
    },
    # Added: ids of events merged into another when a new report showed they were one.
    "event_id_history": {
        "retired_event_id": STR, "event_id": STR, "retired_event_id_cnty": STR,
        "retired_at": pl.Datetime("us"),
    },
    # Added: ISO codes, ACLED's country names and regions (seeds/reference/acled_regions.csv).
    "countries": {"iso3": STR, "iso": INT, "country": STR, "region": STR},
}


# Tables the marts stage builds with SQL (`sql/marts/<name>.sql`), published beside the
# contract tables.
MART_TABLES: tuple[str, ...] = ("weekly_incidents", "actor_activity")
# Views (`sql/views/<name>.sql`), recreated inside every snapshot so they read its own tables.
# In creation order: the later ones read the earlier.
VIEWS: tuple[str, ...] = ("place_positions", "acled_incidents", "acled_events")


def published_tables() -> list[str]:
    """Every table a snapshot of the warehouse holds, in a stable order."""
    return [*TABLES, *MART_TABLES]


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Select and cast `frame` to the contract columns of `table`, in contract order."""
    schema = TABLES[table]
    missing = [name for name in schema if name not in frame.columns]
    frame = frame.with_columns(pl.lit(None).alias(name) for name in missing)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[table])
