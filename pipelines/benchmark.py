"""Throughput benchmark: a whole pipeline run against a bare pass of the same model.

    python -m pipelines.benchmark [--articles PATH] [--limit N]

PATH is a folder of articles or a single .jsonl file (default: the ACLED evaluation reports
in ../shared/eval when present, else seeds/articles). It times, on the same texts:
  1. bare: spaCy's nlp.pipe with the pipeline's model configuration, nothing else;
  2. run: the whole Dagster graph into a new warehouse (ingest, NLP, rules, gates, publish);
  3. rerun: the graph again with nothing new (the incremental path).
The target is run <= 1.3 x bare. The gazetteer is built before timing (it is cached on disk
between runs in normal use).
"""

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from pipelines import settings


def _prepare(source: Path, limit: int | None, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    if source.is_file():
        lines = source.read_text(encoding="utf-8").splitlines()[:limit]
        (folder / source.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return len(lines)
    shutil.copytree(source, folder, dirs_exist_ok=True)
    return sum(1 for p in folder.rglob("*") if p.is_file())


def main() -> None:
    default = settings.PROJECT_ROOT.parent / "shared" / "eval" / "acled-haiti-2024" / "articles.jsonl"
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path,
                        default=default if default.exists() else settings.PROJECT_ROOT / "seeds" / "articles")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    from datetime import datetime

    from pipelines.build import build_warehouse
    from pipelines.extract.nlp import load_model, parse
    from pipelines.extract.reference import load_gazetteer
    from pipelines.ingest.readers import read_articles

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        inputs = _prepare(args.articles, args.limit, folder)
        bodies = read_articles(folder, datetime.now()).articles["body"].to_list()
        words = sum(len(b.split()) for b in bodies)
        load_gazetteer(settings.reference_dir())
        nlp = load_model(settings.nlp_model())

        started = time.perf_counter()
        for _ in parse(nlp, bodies, processes=settings.nlp_processes()):
            pass
        bare = time.perf_counter() - started

        warehouse = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        build_warehouse(folder, warehouse)
        run = time.perf_counter() - started

        started = time.perf_counter()
        build_warehouse(folder, warehouse)
        rerun = time.perf_counter() - started

    result = {
        "inputs": inputs, "articles": len(bodies), "words": words,
        "bare_model_seconds": round(bare, 2), "run_seconds": round(run, 2),
        "rerun_seconds": round(rerun, 2), "ratio_run_to_bare": round(run / bare, 2),
        "words_per_second_run": round(words / run), "target_ratio": 1.3,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
