"""Build a warehouse from a folder in this process: used by the evaluation command and tests."""

from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.definitions import ALL_ASSETS
from pipelines.resources import (
    ArticlesFolderResource,
    ReferenceResource,
    WarehouseResource,
    nlp_resource,
)


def build_warehouse(articles_dir: Path, warehouse_path: Path, reference_dir: Path | None = None,
                    model: str | None = None, raise_on_error: bool = True
                    ) -> dg.ExecuteInProcessResult:
    """Materialize the whole graph from `articles_dir` into the DuckDB file `warehouse_path`."""
    return dg.materialize(
        ALL_ASSETS,
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path)),
            "articles_folder": ArticlesFolderResource(path=str(articles_dir)),
            "nlp": nlp_resource(model),
            "reference": ReferenceResource(path=str(reference_dir or settings.reference_dir())),
        },
        raise_on_error=raise_on_error,
    )
