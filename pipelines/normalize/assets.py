"""Normalize stage: cached extractions -> the published entity, incident and bridge tables.

Entities carry ids derived from what they are (a registry key, a GeoNames id, a folded
name), so deduplicating across articles is a GROUP BY in `sql/normalize/`, cheap enough to
recompute on every run.
"""

from pathlib import Path

import dagster as dg
import polars as pl

from pipelines import faults
from pipelines import warehouse as wh
from pipelines.extract import cache
from pipelines.quality.dagster_gate import (
    check_specs,
    gate_and_publish,
    markdown_preview,
    require_valid_reference,
)
from pipelines.resources import NlpResource, ReferenceResource, WarehouseResource

DESCRIPTIONS = {
    "actors": "People and non-state groups, deduplicated across articles, with ACLED category "
    "and every surface form as an alias.",
    "institutions": "Formal organisations (police, armies, missions, intergovernmental bodies, "
    "banks), deduplicated across articles, with acronym and aliases.",
    "places": "Places named in the articles, resolved with the reference lists and GeoNames, "
    "with coordinates (NULL when unknown) and parent place.",
    "mentions": "Every span of article text that names an actor, institution or place.",
    "incidents": "One row per event reported in an article, typed with ACLED's taxonomy, with "
    "date and precision, place, casualties, evidence span and confidence.",
    "incident_actors": "Which actors took part in each incident, as actor1, actor2 or associated.",
    "incident_institutions": "Which institutions took part in each incident, and their role.",
    "event_taxonomy": "ACLED's 25 event type / sub-event type pairs (the allowed vocabulary).",
}
TABLES = list(DESCRIPTIONS)
PREVIEW_COLUMNS = ["event_date", "event_type", "sub_event_type", "fatalities", "summary"]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(table, group_name="normalize", deps=["sentences"],
                     kinds={"polars", "duckdb"}, owners=["team:data-eng"],
                     description=description)
        for table, description in DESCRIPTIONS.items()
    ],
    check_specs=check_specs(TABLES),
)
def normalize_entities(
    warehouse: WarehouseResource,
    nlp: NlpResource,
    reference: ReferenceResource,
):
    """Deduplicate entities across articles and publish them with incidents, all or nothing."""
    with warehouse.connect() as conn:
        require_valid_reference(Path(reference.path))
        cache.ensure_cache_tables(conn)
        version = cache.recorded_version(conn) or \
            cache.current_extractor_version(nlp.models(), Path(reference.path))
        cache.select_current(conn, version)
        # DuckDB builds every table from the cache; no row passes through Python.
        queries = {table: wh.load_sql(f"normalize/{table}") for table in TABLES
                   if table != "event_taxonomy"}
        taxonomy = pl.read_csv(Path(reference.path) / "acled_taxonomy.csv")
        yield from gate_and_publish(
            conn,
            {**queries, "event_taxonomy": taxonomy},
            extra_metadata={"incidents": _incidents_metadata},
        )
    faults.crash_point("normalize")


def _incidents_metadata(conn) -> dict:
    newest = wh.frame(conn, f"SELECT {', '.join(PREVIEW_COLUMNS)} FROM staging.incidents "
                      "ORDER BY event_date DESC NULLS LAST, incident_id LIMIT 10")
    return {
        "preview": markdown_preview(newest, PREVIEW_COLUMNS),
        "fatalities_reported": int(wh.scalar(
            conn, "SELECT coalesce(sum(fatalities), 0) FROM staging.incidents")),
    }
