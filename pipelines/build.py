"""Build a warehouse from a folder in this process: used by the evaluation command and tests."""

from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.definitions import ALL_ASSETS
from pipelines.resources import (
    ArticlesFolderResource,
    FetchResource,
    ReferenceResource,
    WarehouseResource,
    nlp_resource,
)


def build_warehouse(articles_dir: Path, warehouse_path: Path, reference_dir: Path | None = None,
                    model: str | None = None, raise_on_error: bool = True,
                    fetch: FetchResource | None = None) -> dg.ExecuteInProcessResult:
    """Materialize the whole graph from `articles_dir` into the DuckDB file `warehouse_path`.

    Without `fetch`, no feed is polled and the raw zone is `fetched/` beside the warehouse.
    """
    return dg.materialize(
        ALL_ASSETS,
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path)),
            "articles_folder": ArticlesFolderResource(path=str(articles_dir)),
            "fetch": fetch or FetchResource(fetch_dir=str(Path(warehouse_path).parent / "fetched")),
            "nlp": nlp_resource(model),
            "reference": ReferenceResource(path=str(reference_dir or settings.reference_dir())),
        },
        raise_on_error=raise_on_error,
    )
