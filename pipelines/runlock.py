"""One writer at a time: a run-level lock on a file beside the pipeline's private database.

A run (from the UI, the schedule, `make run` or a test) takes the lock when it starts and
releases it when it ends. A second run waits for it, bounded by RUN_LOCK_TIMEOUT, with a log
line naming the run that holds it, then gives up with `WarehouseBusy`, whose message names that
run too. The lock is `flock(2)`: the kernel releases it when its process dies, so a run killed
with SIGKILL never leaves a stale lock behind. The lock file holds the holder's run id, pid,
start time and command as JSON, for those messages; stale content is harmless.

    python -m pipelines.runlock [--timeout SECONDS]   # wait until no run holds the lock

No Dagster here: `pipelines.resources` takes the lock for each run.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock."""

    run_id: str
    pid: int
    started_at: str
    command: str

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid}, started {self.started_at}, {self.command})"


def who(holder: Holder | None) -> str:
    return holder.describe() if holder else "another run"


def waiting_message(holder: Holder | None, timeout: float) -> str:
    return (f"The warehouse is being written by {who(holder)}; waiting up to {timeout:.0f} s "
            "for it to finish (RUN_LOCK_TIMEOUT).")


class WarehouseBusy(RuntimeError):
    """Another run kept the lock longer than this one was willing to wait."""

    def __init__(self, lock_path: Path, holder: Holder | None, waited: float) -> None:
        super().__init__(
            f"The warehouse is being written by {who(holder)}. Waited {waited:.0f} s "
            f"(RUN_LOCK_TIMEOUT); nothing was changed. Try again when it has finished. "
            f"Lock file: {lock_path}")
        self.holder = holder


def lock_path_for(pipeline_db: Path) -> Path:
    return pipeline_db.with_name(pipeline_db.name + ".lock")


def read_holder(lock_path: Path) -> Holder | None:
    """The holder recorded in the lock file (the current one if the lock is held)."""
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8") or "null")
        return Holder(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def is_locked(lock_path: Path) -> bool:
    if not lock_path.exists():
        return False
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def wait_until_free(lock_path: Path, timeout: float,
                    on_wait: Callable[[Holder | None], None] | None = None) -> bool:
    """True once no run holds the lock (without taking it); False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    announced = False
    while is_locked(lock_path):
        if not announced and on_wait:
            on_wait(read_holder(lock_path))
            announced = True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


@contextlib.contextmanager
def run_lock(lock_path: Path, run_id: str, timeout: float,
             on_wait: Callable[[Holder | None], None] | None = None, label: str = ""
             ) -> Iterator[Holder]:
    """Hold the lock for the duration of the block; wait up to `timeout` seconds for it.

    `label` says what the run is (a job name) in the messages of those who wait."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = read_holder(lock_path)
                if not announced and on_wait:
                    on_wait(holder)
                    announced = True
                waited = time.monotonic() - started
                if waited >= timeout:
                    raise WarehouseBusy(lock_path, holder, waited) from None
                time.sleep(POLL_SECONDS)
        holder = Holder(run_id=run_id, pid=os.getpid(),
                        started_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                        command=label or " ".join([Path(sys.argv[0]).name, *sys.argv[1:3]])[:120])
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(holder)).encode(), 0)
        try:
            yield holder
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    from pipelines import settings

    parser = argparse.ArgumentParser(description="Wait until no run is writing the warehouse.")
    parser.add_argument("--timeout", type=float, default=settings.run_lock_timeout(),
                        help="seconds to wait (default RUN_LOCK_TIMEOUT, 900)")
    args = parser.parse_args(argv)
    lock = lock_path_for(settings.pipeline_db())

    def announce(holder: Holder | None) -> None:
        print(waiting_message(holder, args.timeout), file=sys.stderr, flush=True)

    if wait_until_free(lock, args.timeout, announce):
        return 0
    print(f"Still being written by {who(read_holder(lock))} after {args.timeout:.0f} s; "
          "nothing was started. "
          "Try again when it has finished, or raise RUN_LOCK_TIMEOUT.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
