"""Extraction in worker processes: bounded batches in, cache rows out, as each batch finishes.

Each worker loads the models, the language packs, the gazetteer and the classifier once (in
`_start_worker`), then runs `batch.extract_records` (spaCy with one process, the rules, the
classifier) on one batch at a time. Only the batch's rows travel back, never spaCy's Docs, so
the rules cost no more than parsing does in parallel. At most one batch per worker is in
flight: the caller writes each batch's rows as it arrives, holds no more than that, and a crash
loses at most the batches in flight.

With `workers` <= 1 the same function runs in the calling process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import date
from pathlib import Path

from pipelines import warehouse
from pipelines.extract.batch import Columns

_worker: dict = {}
# DuckDB's memory while extraction reads one batch of bodies and appends one batch of rows at a
# time. Under the run's limit (DUCKDB_MEMORY_LIMIT, 1 GB) the written blocks stay cached and the
# parent process grows with the corpus, up to that limit: storing 19,500 articles' rows batch by
# batch grew it by 100-140 MB, by 55-70 MB under this one (`docs/scaling.md`).
EXTRACTION_DUCKDB_MEMORY = "128MB"
# A night's few hundred articles go out in this many batches per worker (at least).
BATCHES_PER_WORKER = 4
# An invented English report extracted once before the fork (`_warm_up`), its rows dropped.
WARM_UP = {"article_id": "warm-up", "title": "Two killed in an attack on a market",
           "body": "Gunmen killed two traders and wounded a driver in an attack on the central "
                   "market of Port-au-Prince on Monday, police said.",
           "published_date": date(2025, 1, 7), "published_precision": "day",
           "ingested_at": None, "language": "en"}


def extract_batches(batches: Iterable[list[dict]], models: dict[str, str], reference_dir: Path,
                    workers: int = 2) -> Iterator[tuple[list[dict], Columns]]:
    """(batch, its rows) for every batch of article records, in the order they finish."""
    if workers <= 1:
        _start_worker(models, str(reference_dir))
        for batch in batches:
            yield batch, _extract(batch)
        return
    # fork: the workers share what this process loaded (the gazetteer alone is ~0.45 GB) as
    # long as nobody writes to it, and they touch neither DuckDB nor Polars, whose threads do
    # not survive a fork.
    _start_worker(models, str(reference_dir))
    _warm_up()
    _prepare_fork()
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(models, str(reference_dir))) as pool:
            yield from _in_flight(pool, batches, workers)
    finally:
        # The rest of the run needs none of it: give the memory back. What was loaded stays
        # frozen (freed all the same): the stages that follow collect without scanning it.
        _worker.clear()
        _trim_heap()


def _in_flight(pool: ProcessPoolExecutor, batches: Iterable[list[dict]], workers: int
               ) -> Iterator[tuple[list[dict], Columns]]:
    """One batch per worker in flight; the next is handed out as soon as one comes back."""
    pending: dict[Future, list[dict]] = {}
    source = iter(batches)
    for batch in source:
        pending[pool.submit(_extract, batch)] = batch
        if len(pending) >= workers:
            break
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            batch = pending.pop(future)
            following = next(source, None)
            if following is not None:
                pending[pool.submit(_extract, following)] = following
            yield batch, future.result()


def _warm_up() -> None:
    """Build what the rules compile or load on their first article (trigger and casualty
    patterns, the English pack, the paragraph language identifier: 1.6 s of CPU) once, here,
    rather than in every worker: the workers share it through the fork. Its wall time is the
    same (paid before the fork instead of beside the other worker), its CPU time halved."""
    from pipelines.ingest.language import classify

    _extract([WARM_UP])
    # The identifier loads on the first paragraph that is not plainly English.
    classify("Des habitants ont fui le quartier après une nuit de tirs.")


def _prepare_fork() -> None:
    """Return freed memory to the system (so workers do not inherit it) and keep the garbage
    collector from writing into the objects the workers share (which would copy their pages).
    No `gc.collect()` first: loading leaves no cyclic garbage worth it (a handful of objects),
    and a full collection over the gazetteer's millions of objects costs 0.6 s."""
    _trim_heap()
    gc.freeze()


def _trim_heap() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _start_worker(models: dict[str, str], reference_dir: str) -> None:
    from pipelines.extract.classifier import load_classifier
    from pipelines.extract.nlp import load_model, model_for
    from pipelines.extract.reference import load_gazetteer

    if _worker.get("key") == (tuple(sorted(models.items())), reference_dir):
        return
    _worker.update(key=(tuple(sorted(models.items())), reference_dir), models=models,
                   reference_dir=Path(reference_dir),
                   gazetteer=load_gazetteer(Path(reference_dir)))
    load_model(model_for("en", models))
    load_classifier()


def _extract(batch: list[dict]) -> Columns:
    from pipelines.extract.batch import extract_records

    return extract_records(batch, _worker["models"], _worker["gazetteer"],
                           _worker["reference_dir"])


def batch_plan(articles: int, workers: int, batch_size: int) -> tuple[int, int, int]:
    """(batch size, batches, worker processes) to extract `articles` on up to `workers`."""
    if workers > 1:
        # Few articles: batches small enough that every worker takes several, so that the
        # worker loading a rare language's model (articles come rarest language first) holds
        # no one up: the others go on with the next batches meanwhile.
        batch_size = min(batch_size, -(-articles // (workers * BATCHES_PER_WORKER)))
    batch_size = max(1, batch_size)
    batches = -(-articles // batch_size)
    return batch_size, batches, max(1, min(workers, batches))


def extract_into_cache(conn, ids: list[str], version: str, models: dict[str, str],
                       reference_dir: Path, workers: int, batch_size: int,
                       log: Callable[[str], None] = print) -> None:
    """Extract the articles `ids` in batches of `batch_size` and store each batch in the
    cache as it finishes, logging progress per batch."""
    from pipelines.extract import cache
    from pipelines.extract.batch import to_frames
    from pipelines.progress import Progress

    batch_size, batches, workers = batch_plan(len(ids), workers, batch_size)
    log(f"extracting {len(ids):,} articles in {batches:,} batches of up to {batch_size:,} "
        f"on {workers} process{'es' if workers > 1 else ''}")
    progress = Progress(len(ids))
    with warehouse.memory_limited(conn, EXTRACTION_DUCKDB_MEMORY):
        for batch, columns in extract_batches(cache.article_batches(conn, ids, batch_size),
                                              models, reference_dir, workers):
            cache.store(conn, version, to_frames(columns), batch)
            log(f"extract: {progress.advance(len(batch))}")
