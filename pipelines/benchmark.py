"""Throughput benchmark: whole pipeline runs against a bare pass of the same model, in one run.

    python -m pipelines.benchmark [--articles N] [--source PATH] [--files 10]

The texts are N synthetic article-length stories (`pipelines.synthetic`, 2,000 by default,
ten daily JSONL files), or the articles of PATH (a folder or a .jsonl file). On the same texts
it times:
  1. bare: spaCy's nlp.pipe with the pipeline's English model (NER and a sentencizer, the
     other components excluded), NLP_PROCESSES processes, nothing else; before and after the
     full run, because other work on the machine moves the figures;
  2. full: the whole Dagster graph into a new warehouse (ingest, extraction, normalize, gates,
     marts, publish);
  3. no-op: the graph again with nothing new;
  4. +1%: the graph again after a new daily file of 1% more articles;
  3 and 4 in --repeats pairs (3), each +1% run against the no-op before it, medians reported.
Each run is a process of its own (`pipelines.benchmark run`); its time is measured inside it
(from the start of the run to its end, interpreter start excluded; both are reported), and
its peak memory over the whole process tree (its extraction workers included) by sampling:
`peak_pss_mb` counts pages shared between processes once, `peak_rss_mb` sums each
process's resident set. The targets: full <= 1.3 x bare, no-op <= 5% of full, +1% <= no-op +
5% of full, peak memory <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipelines import settings
from pipelines.synthetic import DAYS


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        import psutil

        self._root = psutil.Process(pid)
        self._interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            rss = pss = 0
            try:
                processes = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            for process in processes:
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self._interval)


def timed_run(articles: Path, warehouse: Path) -> dict:
    """One whole run in a process of its own: its seconds and the tree's peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.benchmark", "run", str(articles), str(warehouse)],
        stdout=subprocess.PIPE, text=True, cwd=settings.PROJECT_ROOT)
    with TreeMemory(process.pid) as memory:
        output, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"benchmark run failed (exit {process.returncode})")
    inner = json.loads(output.strip().splitlines()[-1])
    return {"seconds": inner["seconds"], "steps": inner["steps"],
            "process_seconds": round(time.perf_counter() - started, 2),
            "peak_pss_mb": round(memory.peak_pss / 2**20), "peak_rss_mb": round(memory.peak_rss / 2**20)}


def median_run(runs: list[dict]) -> dict:
    """The run of median time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]


def _run_child(articles: Path, warehouse: Path) -> None:
    import logging

    logging.disable(logging.INFO)
    from pipelines.build import build_warehouse

    started = time.perf_counter()
    result = build_warehouse(articles, warehouse)
    seconds = round(time.perf_counter() - started, 2)
    steps = {event.step_key: round(event.event_specific_data.duration_ms / 1000, 1)
             for event in result.all_events if event.event_type_value == "STEP_SUCCESS"}
    print(json.dumps({"seconds": seconds, "steps": steps}))


def bare_pass(bodies: list[str]) -> float:
    from pipelines.extract.nlp import load_model, parse

    nlp = load_model(settings.nlp_model())
    started = time.perf_counter()
    for _ in parse(nlp, bodies, processes=settings.nlp_processes()):
        pass
    return time.perf_counter() - started


def _prepare(source: Path | None, count: int, files: int, folder: Path, days: int) -> None:
    from pipelines.synthetic import write_corpus

    if source is None:
        write_corpus(folder, count, files, days=days)
    elif source.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / source.name).write_bytes(source.read_bytes())
    else:
        import shutil

        shutil.copytree(source, folder, dirs_exist_ok=True)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        _run_child(Path(argv[1]), Path(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles")
    parser.add_argument("--files", type=int, default=10, help="daily files they are split into")
    parser.add_argument("--days", type=int, default=DAYS,
                        help="days the synthetic articles are published over (120: about 170 a "
                             "day at 20,000; give 600 at 100,000 for the same density)")
    parser.add_argument("--source", type=Path, default=None,
                        help="a folder or .jsonl of articles instead of synthetic ones")
    parser.add_argument("--tmp", type=Path, default=None, help="where to work (default: /tmp)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="no-op and +1%% runs measured in this many pairs (medians reported)")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip the bare passes (the runs' times and memory only)")
    args = parser.parse_args(argv)

    from datetime import datetime

    from pipelines.extract.reference import load_gazetteer
    from pipelines.ingest.readers import read_articles
    from pipelines.synthetic import write_corpus

    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        folder = Path(tmp) / "articles"
        _prepare(args.source, args.articles, args.files, folder, args.days)
        bodies = read_articles(folder, datetime.now()).articles["body"].to_list()
        words = sum(len(b.split()) for b in bodies)
        if args.no_bare:
            bodies = [""] * len(bodies)  # the texts are not needed any more
        load_gazetteer(settings.reference_dir())  # built once, outside the timings
        print(f"{len(bodies):,} articles, {words:,} words", file=sys.stderr, flush=True)

        bare_before = 0.0 if args.no_bare else bare_pass(bodies)
        print(f"bare pass: {bare_before:.1f}s", file=sys.stderr, flush=True)
        warehouse = Path(tmp) / "warehouse" / "bench.duckdb"
        full = timed_run(folder, warehouse)
        print(f"full run: {full}", file=sys.stderr, flush=True)
        bare_after = 0.0 if args.no_bare else bare_pass(bodies)
        print(f"bare pass again: {bare_after:.1f}s", file=sys.stderr, flush=True)
        # A nightly run's few seconds move by one or two from run to run on a shared machine:
        # the no-op and +1% runs are measured in pairs, each +1% run against the no-op just
        # before it (the same warehouse without the new file), and the medians reported.
        noops, pluses = [], []
        extra = max(1, len(bodies) // 100)
        for repeat in range(1, max(1, args.repeats) + 1):
            noops.append(timed_run(folder, warehouse))
            print(f"no-op run {repeat}: {noops[-1]}", file=sys.stderr, flush=True)
            write_corpus(Path(tmp) / "new", extra, files=1, seed=repeat, days=args.days)
            (Path(tmp) / "new" / "day-01.jsonl").rename(folder / f"day-new-{repeat}.jsonl")
            pluses.append(timed_run(folder, warehouse))
            print(f"+1% run {repeat}: {pluses[-1]}", file=sys.stderr, flush=True)

    bare = (bare_before + bare_after) / 2
    result = {
        "articles": len(bodies), "words": words, "new_articles_in_plus_run": extra,
        "processes": settings.nlp_processes(), "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "bare_seconds": round(bare, 2),
        "bare_seconds_before_after": [round(bare_before, 2), round(bare_after, 2)],
        "full": full, "noop": median_run(noops), "plus_1pct": median_run(pluses),
        "noop_runs": noops, "plus_1pct_runs": pluses,
        "ratio_full_to_bare": round(full["seconds"] / bare, 2) if bare else None,
        "noop_share_of_full": round(median_run(noops)["seconds"] / full["seconds"], 3),
        "plus_1pct_extra_share_of_full": round(statistics.median(
            plus["seconds"] - noop["seconds"] for noop, plus in zip(noops, pluses, strict=True))
            / full["seconds"], 3),
        "plus_1pct_extra_shares": [round((plus["seconds"] - noop["seconds"]) / full["seconds"], 3)
                                   for noop, plus in zip(noops, pluses, strict=True)],
        "words_per_second_full": round(words / full["seconds"]),
        "words_per_second_bare": round(words / bare) if bare else None,
        "peak_pss_mb": max(r["peak_pss_mb"] for r in (full, *noops, *pluses)),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in (full, *noops, *pluses)),
        "targets": {"ratio_full_to_bare": 1.3, "noop_share_of_full": 0.05,
                    "plus_1pct_extra_share_of_full": 0.05, "peak_memory_mb": 2048},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
