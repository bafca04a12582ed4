"""Ingest stage: the article folder -> `articles` and `rejected_inputs`."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines import faults
from pipelines.ingest.readers import read_articles
from pipelines.quality.dagster_gate import check_specs, gate_and_publish
from pipelines.resources import ArticlesFolderResource, WarehouseResource

TABLES = ["articles", "rejected_inputs"]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "articles", group_name="ingest", kinds={"polars", "duckdb"}, owners=["team:data-eng"],
            description="One cleaned article per row (markup removed, repeated lines dropped), "
            "with title, publication date and its precision; an article seen twice is kept once.",
        ),
        dg.AssetSpec(
            "rejected_inputs", group_name="ingest", kinds={"polars", "duckdb"},
            owners=["team:data-eng"],
            description="Input files or records that could not be loaded, with the reason.",
        ),
    ],
    check_specs=check_specs(TABLES),
)
def ingest_articles(
    context: dg.AssetExecutionContext,
    articles_folder: ArticlesFolderResource,
    warehouse: WarehouseResource,
):
    """Read every article file under ARTICLES_DIR, clean it and stage it behind the gate."""
    root = Path(articles_folder.path)
    if not root.is_dir():
        raise dg.Failure(f"ARTICLES_DIR {root} is not a folder")
    result = read_articles(root, now=datetime.now(UTC).replace(tzinfo=None))
    context.log.info(
        f"{result.articles.height} articles, {result.rejected.height} rejected inputs, "
        f"{result.duplicates} duplicates dropped from {root}"
    )
    with warehouse.connect() as conn:
        yield from gate_and_publish(
            conn,
            {"articles": result.articles, "rejected_inputs": result.rejected},
            extra_metadata={"articles": {"duplicates_dropped": result.duplicates,
                                         "source_folder": str(root)}},
        )
    faults.crash_point("ingest")
