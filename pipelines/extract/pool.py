"""Extraction in worker processes: bounded batches in, cache rows out, as each batch finishes.

A lead process forked for the run loads the models, the language packs, the gazetteer and the
classifier once (`_load`), then forks the workers, which share those pages, and relays batches
to them (`_lead`). Each worker runs `batch.extract_records` (spaCy with one process, the rules,
the classifier) on one batch at a time. Only the batch's rows travel back, never spaCy's Docs,
so the rules cost no more than parsing does in parallel. At most one batch per worker (and one
waiting at the lead) is in flight: the caller writes each batch's rows as it arrives, holds no
more than that, and a crash loses at most the batches in flight.

The run's own process never loads the models: when extraction ends the lead exits and its
memory goes back to the system, so the stages that follow (normalization, the events, the
gates) run beside none of it. Python keeps the arenas of what it frees, so a process that had
loaded them would hold most of that memory to the end of the run (`docs/scaling.md`). A process
that runs many builds (the evaluation, the tests) calls `keep_models_loaded()`: it loads them
once itself and forks the workers straight from itself, with no lead.

With `workers` <= 1 the same function runs in the calling process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from datetime import date
from pathlib import Path

from pipelines import warehouse
from pipelines.extract.batch import Columns

_worker: dict = {}
# Set by `keep_models_loaded`: this process loads the models once and keeps them between runs.
_keep_loaded = False
# In a lead process: its pipe to the run's process.
_lead_connection: list = []
# How often the run's process checks that the lead is alive while it waits for rows.
LEAD_CHECK_SECONDS = 5.0
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


def keep_models_loaded() -> None:
    """For a process that builds many warehouses (the evaluation, the test session): load the
    models here on first use, keep them, and fork each run's workers straight from here, rather
    than have a lead load them again for every run (3 to 4 s a run)."""
    global _keep_loaded  # noqa: PLW0603 - a setting of the process
    _keep_loaded = True


def extract_batches(batches: Iterable[list[dict]], models: dict[str, str], reference_dir: Path,
                    workers: int = 2) -> Iterator[tuple[list[dict], Columns]]:
    """(batch, its rows) for every batch of article records, in the order they finish."""
    if workers <= 1:
        _start_worker(models, str(reference_dir))
        try:
            for batch in batches:
                yield batch, _extract(batch)
        finally:
            _release()
        return
    if _keep_loaded:
        _load(models, str(reference_dir))  # once, kept: the workers fork straight from here
    # Before every fork, whatever this process holds is frozen: a child's garbage collector
    # never frees it, so never runs the destructor of a DuckDB or Polars object whose threads
    # did not survive the fork (without this, the evaluation's 15th or 16th build lost a
    # worker or a lead to a segfault in libc).
    _prepare_fork()
    if _keep_loaded:
        yield from _pooled(batches, models, str(reference_dir), workers, _extract)
    else:
        yield from _through_lead(batches, models, str(reference_dir), workers)


def _pooled(items: Iterable, models: dict[str, str], reference_dir: str, workers: int,
            work: Callable) -> Iterator[tuple[object, Columns]]:
    """`work` on every item in workers forked from this process, which has loaded what they
    share (`_load`); (item, rows) as each finishes."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_pooled_worker,
                             initargs=(models, reference_dir)) as pool:
        yield from _in_flight(pool, items, workers, work)


def _through_lead(batches: Iterable[list[dict]], models: dict[str, str], reference_dir: str,
                  workers: int) -> Iterator[tuple[list[dict], Columns]]:
    """Hand the batches to a lead process (`_lead`) and take back each batch's rows. It is
    kept one batch ahead of its workers, so it never waits for this process to send the next
    before it answers."""
    # fork: the lead touches neither DuckDB nor Polars, whose threads do not survive a fork.
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    lead = context.Process(target=_lead, args=(there, here, models, reference_dir, workers),
                           name="extraction-lead")
    lead.start()
    there.close()
    sent: dict[int, list[dict]] = {}  # by number, until answered
    numbered = enumerate(batches)
    exhausted = False

    def send_next() -> None:
        nonlocal exhausted
        if exhausted:
            return
        number, batch = next(numbered, (None, None))
        exhausted = batch is None
        if batch is not None:
            sent[number] = batch
        # A lead that failed has closed its end: what it said is read below.
        with contextlib.suppress(OSError):
            here.send(None if batch is None else (number, batch))

    try:
        for _ in range(workers + 1):
            send_next()
        while sent:
            # Never wait on a lead that died (a signal, the system out of memory): its
            # workers, if any are left, may still hold its end of the pipe open.
            while not here.poll(LEAD_CHECK_SECONDS) and lead.is_alive():
                pass
            try:
                answer = here.recv() if here.poll() else None
            except (EOFError, OSError):  # its end closed, or reset
                answer = None
            if answer is None:
                lead.join(timeout=LEAD_CHECK_SECONDS)
                raise RuntimeError(f"the extraction process ended without answering (exit code "
                                   f"{lead.exitcode}: killed, or out of memory?)")
            if answer[0] == "error":
                raise RuntimeError("extraction failed (in its lead or worker processes):\n"
                                   + answer[1])
            number, columns = answer
            batch = sent.pop(number)
            if len(sent) <= workers:
                send_next()
            yield batch, columns
    finally:
        # Closing our end tells a lead still waiting for batches to stop (it finishes the
        # batches in flight, then exits with its workers).
        here.close()
        lead.join(timeout=120)
        if lead.is_alive():
            lead.terminate()
            lead.join()


def _lead(parent, parent_end, models: dict[str, str], reference_dir: str, workers: int) -> None:
    """The lead process: load once, fork the workers (they share what it loaded), relay."""
    parent_end.close()  # so that this process notices when the run's process closes its end
    _lead_connection.append(parent)  # for the workers to close (`_start_pooled_worker`)
    try:
        _load(models, reference_dir)
        for (number, _), columns in _pooled(_received(parent), models, reference_dir, workers,
                                            _extract_numbered):
            parent.send((number, columns))
    except (EOFError, BrokenPipeError):
        return  # the run's process stopped listening: nothing to tell it
    except BaseException:  # noqa: BLE001 - told to the run's process, which raises it
        with contextlib.suppress(OSError):
            parent.send(("error", traceback.format_exc()))


def _start_pooled_worker(models: dict[str, str], reference_dir: str) -> None:
    # A worker forked by a lead closes its copy of the lead's pipe to the run's process, so
    # that the run's process sees the pipe end should the lead die.
    for connection in _lead_connection:
        connection.close()
    _lead_connection.clear()
    _start_worker(models, reference_dir)


def _received(parent) -> Iterator[tuple[int, list[dict]]]:
    """(number, batch) sent by the run's process, until it sends None."""
    while (item := parent.recv()) is not None:
        yield item


def _extract_numbered(item: tuple[int, list[dict]]) -> Columns:
    return _extract(item[1])


def _load(models: dict[str, str], reference_dir: str) -> None:
    """Load what the workers share, build what the rules build on a first article, and make
    the process ready to fork (once per process and models)."""
    if _worker.get("key") == (tuple(sorted(models.items())), reference_dir):
        return
    _start_worker(models, reference_dir)
    _warm_up()
    _prepare_fork()


def _release() -> None:
    """Give back what extraction loaded in this process, unless it keeps it for later runs.
    What was loaded stays frozen (freed all the same): the stages that follow collect without
    scanning it."""
    if not _keep_loaded:
        _worker.clear()
        _trim_heap()


def _in_flight(pool: ProcessPoolExecutor, items: Iterable, workers: int,
               work: Callable) -> Iterator[tuple[object, Columns]]:
    """One item per worker in flight; the next is handed out as soon as one comes back."""
    pending: dict[Future, object] = {}
    source = iter(items)
    for item in source:
        pending[pool.submit(work, item)] = item
        if len(pending) >= workers:
            break
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            item = pending.pop(future)
            following = next(source, None)
            if following is not None:
                pending[pool.submit(work, following)] = following
            yield item, future.result()


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
