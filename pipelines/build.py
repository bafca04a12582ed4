"""Build a warehouse from a folder in this process: used by the evaluation command and tests."""

from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.definitions import ALL_ASSETS
from pipelines.resources import (
    ArticlesFolderResource,
    ExtractStoreResource,
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
    return dg.materialize(ALL_ASSETS, resources=resources(articles_dir, warehouse_path,
                                                          reference_dir, model, fetch),
                          raise_on_error=raise_on_error)


def resources(articles_dir: Path, warehouse_path: Path, reference_dir: Path | None = None,
              model: str | None = None, fetch: FetchResource | None = None,
              **warehouse: object) -> dict[str, dg.ConfigurableResource]:
    """The resources of a run from `articles_dir` into `warehouse_path` (published file);
    `warehouse` sets other fields of the warehouse resource (lock_timeout, ...)."""
    return {
        "warehouse": WarehouseResource(path=str(warehouse_path), **warehouse),
        "articles_folder": ArticlesFolderResource(path=str(articles_dir)),
        "fetch": fetch or FetchResource(fetch_dir=str(Path(warehouse_path).parent / "fetched")),
        "nlp": nlp_resource(model),
        "reference": ReferenceResource(path=str(reference_dir or settings.reference_dir())),
        "extract_store": ExtractStoreResource(url=settings.extract_store(Path(warehouse_path))),
    }
