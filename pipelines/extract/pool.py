"""Extraction in worker processes: bounded batches in, cache rows out, as each batch finishes.

The workers are forked from a loader process, not from the pipeline's: the loader loads the
models, the language packs, the gazetteer and the classifier once (`_start_worker`), reads one
invented report (`_warm_up`), then forks the other workers, which share what it loaded, and
extracts as the first of them. Ingest starts them when a new file comes in (`start_workers`), so
that they load on the machine's other core while ingest reads and validates the file: the
pipeline's process never loads spaCy or the gazetteer, and a nightly run no longer waits 2 to
3 s for it before its first batch. Each worker runs `batch.extract_records` (spaCy with one
process, the rules, the classifier) on one batch at a time. Only the batch's rows travel back,
never spaCy's Docs, so the rules cost no more than parsing does in parallel. At most one batch
per worker is in flight: the caller writes each batch's rows as it arrives, holds no more than
that, and a crash loses at most the batches in flight.

With `workers` <= 1 the same function runs in the calling process.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing batch imports spaCy, which only the workers need
    from pipelines.extract.batch import Columns

_worker: dict = {}
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
    crew = start_workers(models, reference_dir, workers)
    try:
        yield from _in_flight(crew, batches)
    finally:
        stop_workers()


@dataclass
class _Crew:
    """Worker processes forked by `start_workers`: the loader's id (the others are its
    children) and one connection to each worker."""
    key: tuple
    loader: int
    connections: list[Connection]


_crew: _Crew | None = None


def start_workers(models: dict[str, str], reference_dir: Path, workers: int) -> _Crew:
    """Start `workers` extraction processes (at least two), or keep those started before with
    the same models and reference lists (however many); they load while the caller goes on.

    One loader process is forked from this one; it loads what extraction needs, builds what
    the rules build on their first article, then forks the other workers (which share it all
    as long as nobody writes to it: the gazetteer alone is ~0.45 GB) and extracts as the first
    of them. None touches DuckDB or Polars, whose threads do not survive a fork, and each
    leaves with `os._exit`, so no finalizer of this process's objects (the warehouse's
    connection) runs in them."""
    global _crew
    key = (tuple(sorted(models.items())), str(reference_dir))
    if _crew is not None and _crew.key == key:
        return _crew
    stop_workers()
    pipes = [Pipe() for _ in range(max(2, workers))]
    loader = os.fork()
    if loader == 0:
        _in_child(lambda: _load_and_serve(pipes, models, str(reference_dir)))
    for _, theirs in pipes:
        theirs.close()
    _crew = _Crew(key, loader, [ours for ours, _ in pipes])
    return _crew


def stop_workers() -> None:
    """End the workers `start_workers` started, if any (they finish the batch in hand)."""
    global _crew
    crew, _crew = _crew, None
    if crew is None:
        return
    for connection in crew.connections:
        with contextlib.suppress(OSError):
            connection.send(None)
        connection.close()
    with contextlib.suppress(ChildProcessError):
        os.waitpid(crew.loader, 0)


atexit.register(stop_workers)


def _in_child(body: Callable[[], None]) -> None:
    """Run `body` in a forked process and leave it without returning to the caller's code."""
    code = 1
    try:
        body()
        code = 0
    except KeyboardInterrupt:
        pass
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def _load_and_serve(pipes: list[tuple[Connection, Connection]], models: dict[str, str],
                    reference_dir: str) -> None:
    """The loader: load, fork the other workers, extract as the first of them, then wait for
    the others to end."""
    for ours, _ in pipes:
        ours.close()  # so that a worker sees the pipeline's process end
    _start_worker(models, reference_dir)
    _warm_up()
    _prepare_fork()
    ends = [theirs for _, theirs in pipes]
    others = []
    for end in ends[1:]:
        pid = os.fork()
        if pid == 0:
            for other in ends:
                if other is not end:
                    other.close()
            _in_child(lambda end=end: _serve(end))
        end.close()
        others.append(pid)
    try:
        _serve(ends[0])
    finally:
        for pid in others:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _serve(connection: Connection) -> None:
    """Extract each batch received and send back its rows (or the error), until told to stop
    or the pipeline's process is gone."""
    while True:
        try:
            batch = connection.recv()
        except EOFError:
            return
        if batch is None:
            return
        try:
            reply = ("rows", _extract(batch))
        except Exception as error:
            reply = ("error", (error, traceback.format_exc()))
        try:
            connection.send(reply)
        except (BrokenPipeError, ConnectionResetError):
            return  # the pipeline's process stopped waiting (it failed or was stopped)
        except Exception:  # an error that does not pickle
            connection.send(("error", (None, reply[1][1])))


class WorkerError(RuntimeError):
    """An extraction worker failed or died."""


def _in_flight(crew: _Crew, batches: Iterable[list[dict]]
               ) -> Iterator[tuple[list[dict], Columns]]:
    """One batch per worker in flight; the next is handed out as soon as one comes back."""
    pending: dict[Connection, list[dict]] = {}
    source = iter(batches)

    def hand_out(connection: Connection) -> None:
        following = next(source, None)
        if following is not None:
            connection.send(following)
            pending[connection] = following

    for connection in crew.connections:
        hand_out(connection)
    while pending:
        for connection in wait(list(pending)):
            batch = pending.pop(connection)
            try:
                kind, value = connection.recv()
            except EOFError:
                raise WorkerError("an extraction worker ended before returning its batch "
                                  "(killed, or out of memory?)") from None
            if kind == "error":
                error, remote = value
                raise (error or WorkerError("extraction failed")) from WorkerError(remote)
            hand_out(connection)
            yield batch, value


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
    if workers <= 1:
        stop_workers()  # ingest may have started them: one batch runs here
    log(f"extracting {len(ids):,} articles in {batches:,} batches of up to {batch_size:,} "
        f"on {workers} process{'es' if workers > 1 else ''}")
    progress = Progress(len(ids))
    for batch, columns in extract_batches(cache.article_batches(conn, ids, batch_size), models,
                                          reference_dir, workers):
        cache.store(conn, version, to_frames(columns), batch)
        log(f"extract: {progress.advance(len(batch))}")
