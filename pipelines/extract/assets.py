"""Extract stage: spaCy and the gazetteer over new articles -> cache, then `sentences`."""

import time
from pathlib import Path

import dagster as dg

from pipelines import warehouse as wh
from pipelines.extract import cache
from pipelines.extract.store import import_partitions
from pipelines.quality.dagster_gate import check_specs, gate_and_publish, require_valid_reference
from pipelines.resources import (
    ExtractStoreResource,
    NlpResource,
    ReferenceResource,
    WarehouseResource,
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "sentences", group_name="extract", deps=["articles"],
            kinds={"spacy", "polars", "duckdb"}, owners=["team:data-eng"],
            description="Sentences of every article with their character offsets in the body. "
            "Running this asset also extracts mentions and incidents of articles that are new "
            "(or whose extractor version changed) into the `cache` schema.",
        )
    ],
    check_specs=check_specs(["sentences"]),
)
def extract_sentences(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    nlp: NlpResource,
    reference: ReferenceResource,
    extract_store: ExtractStoreResource,
):
    """NLP once per article and extractor version; cached articles are reused, and so are
    the partitions `extract_partitions_job` extracted (imported from EXTRACT_STORE)."""
    with warehouse.connect() as conn:
        require_valid_reference(Path(reference.path))
        version = cache.current_extractor_version(nlp.models(), Path(reference.path))
        cache.ensure_cache_tables(conn)
        partitions, imported = import_partitions(conn, extract_store.store(), version)
        if partitions:
            context.log.info(f"imported {imported:,} extracted articles from {partitions} "
                             f"partitions in {extract_store.url}")
        todo = cache.articles_to_extract(conn, version)
        started = time.perf_counter()
        if todo:
            # Imported here: spaCy and the gazetteer load only when there is work to do.
            from pipelines.extract.pool import extract_into_cache

            extract_into_cache(conn, todo, version, nlp.models(), Path(reference.path),
                               workers=nlp.processes, batch_size=nlp.batch_size,
                               log=context.log.info)
        seconds = time.perf_counter() - started
        context.log.info(f"extracted {len(todo)} new articles in {seconds:.1f}s ({version})")
        cache.record_version(conn, version)
        cache.select_current(conn, version)
        yield from gate_and_publish(
            conn,
            {"sentences": wh.load_sql("extract/sentences")},
            extra_metadata={"sentences": {
                "articles_extracted": len(todo),
                "articles_imported_from_partitions": imported,
                "extraction_seconds": round(seconds, 2),
                "extractor_version": version,
            }},
        )
