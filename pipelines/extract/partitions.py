"""Partitioned extraction: one partition per input file, run by Dagster's own executors.

`extracted_partition` reads one file of ARTICLES_DIR (the partition key is its path under the
folder), extracts its articles with the same functions as the nightly run (`pipelines.extract.
batch`), and writes the cache tables' rows as Parquet into EXTRACT_STORE
(`pipelines.extract.store`). It touches no DuckDB file and takes no run lock, so a backfill of
many files runs its partitions in parallel: with the multiprocess executor on one machine, or
with the celery executor (EXTRACT_EXECUTOR=celery, dagster-celery with a Redis broker) or the
Kubernetes one (EXTRACT_EXECUTOR=k8s, dagster-k8s) across machines. The single writer, the
`sentences` asset of `incidents_job`, imports the finished partitions into its cache with
DuckDB before it extracts whatever is still missing, then normalizes and publishes as usual.

Partitions are the files found in ARTICLES_DIR: `python -m pipelines.extract.partitions
register` adds the new ones to the instance (the UI then offers them for a backfill).
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.resources import (
    ArticlesFolderResource,
    ExtractStoreResource,
    NlpResource,
    ReferenceResource,
)

input_files = dg.DynamicPartitionsDefinition(name="input_files")
EXECUTORS = ("multiprocess", "celery", "k8s")


@dg.asset(
    partitions_def=input_files, group_name="extract", kinds={"spacy", "parquet"},
    owners=["team:data-eng"],
)
def extracted_partition(context: dg.AssetExecutionContext, articles_folder: ArticlesFolderResource,
                        nlp: NlpResource, reference: ReferenceResource,
                        extract_store: ExtractStoreResource) -> dg.MaterializeResult:
    """The extraction of one input file (the partition key is its path under ARTICLES_DIR):
    sentences, mentions, entities, incidents and participants of its articles, as Parquet in
    EXTRACT_STORE. `incidents_job` imports finished partitions instead of extracting again."""
    import polars as pl

    from pipelines.extract.batch import records_of, to_frames
    from pipelines.extract.cache import current_extractor_version, extracted_rows
    from pipelines.extract.pool import extract_batches
    from pipelines.extract.store import empty_frames
    from pipelines.ingest.readers import read_articles
    from pipelines.progress import Progress

    key = context.partition_key
    now = datetime.now(UTC).replace(tzinfo=None)
    articles = read_articles(Path(articles_folder.path), now, only={key}).articles
    version = current_extractor_version(nlp.models(), Path(reference.path))
    records = records_of(articles)
    frames = empty_frames()
    progress = Progress(len(records))
    batches = [records[i:i + nlp.batch_size] for i in range(0, len(records), nlp.batch_size)]
    # One process per partition: the executor runs partitions side by side.
    for batch, columns in extract_batches(batches, nlp.models(), Path(reference.path), workers=1):
        found = to_frames(columns)
        for table, frame in {**found, "extracted": extracted_rows(batch, version, now)}.items():
            frames[table] = pl.concat([frames[table], frame])
        context.log.info(f"{key}: {progress.advance(len(batch))}")
    manifest = extract_store.store().write(version, key, frames)
    return dg.MaterializeResult(metadata={
        "articles": len(records), "dagster/row_count": len(records),
        "incidents": manifest["rows"]["incidents"], "sentences": manifest["rows"]["sentences"],
        "path": extract_store.store().partition_path(version, key), "extractor_version": version,
    })


def executor() -> dg.ExecutorDefinition:
    """The executor of `extract_partitions_job`, chosen by EXTRACT_EXECUTOR when the
    definitions load (the run's process and every worker read the same variable)."""
    name = os.getenv("EXTRACT_EXECUTOR", "multiprocess")
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor.configured(
            {"broker": {"env": "CELERY_BROKER_URL"}, "backend": {"env": "CELERY_RESULT_BACKEND"}},
            name="celery")
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if name != "multiprocess":
        raise ValueError(f"EXTRACT_EXECUTOR must be one of {', '.join(EXECUTORS)}, not {name!r}")
    return dg.multiprocess_executor


def extract_partitions_job():
    return dg.define_asset_job(
        "extract_partitions_job", selection=[extracted_partition], partitions_def=input_files,
        executor_def=executor(),
        description="Extract input files (one partition each) to Parquet in EXTRACT_STORE; "
        "backfill many partitions to run them in parallel (EXTRACT_EXECUTOR).")


def input_file_keys(root: Path) -> list[str]:
    """The partition keys of a folder: paths of its article files, as ingest names them."""
    from pipelines.ingest.readers import SUPPORTED_SUFFIXES, is_sidecar

    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                  if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
                  and not is_sidecar(path)
                  and not any(part.startswith(".") for part in path.relative_to(root).parts))


def register(instance: dg.DagsterInstance, root: Path) -> list[str]:
    """Add the files of `root` not yet known as partitions; returns every key."""
    keys = input_file_keys(root)
    known = set(instance.get_dynamic_partitions(input_files.name))
    instance.add_dynamic_partitions(input_files.name, [k for k in keys if k not in known])
    return keys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["register"]:
        print("usage: python -m pipelines.extract.partitions register", file=sys.stderr)
        return 2
    with dg.DagsterInstance.get() as instance:
        keys = register(instance, settings.articles_dir())
    print(",".join(keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
