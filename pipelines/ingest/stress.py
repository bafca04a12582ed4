"""Ingest under load: a generated JSONL feed of tens of megabytes, read with bounded memory.

    python -m pipelines.ingest.stress [--records 40000] [--megabytes 60] [--gate]

Writes, in a temporary folder that is removed afterwards, one JSONL file of `--records`
distinct articles totalling about `--megabytes`, with one record larger than MAX_RECORD_BYTES
in its middle and, beside it, a symbolic link to a file outside the folder. Then reads the
folder with `read_articles` (with `--gate`: materializes the ingest stage, so the gate's
validation and the DuckDB write are measured too) and prints one JSON line: file size,
articles, rejections by reason, seconds, and the process's peak resident memory.
"""

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pipelines import settings

PLACES = ["Delmas", "Carrefour", "Gonaives", "Cite Soleil", "Petion-Ville", "Tabarre",
          "Croix-des-Bouquets", "Saint-Marc", "Cap-Haitien", "Mirebalais", "Kenscoff", "Martissant"]
ACTORS = ["Police officers", "Gang members", "Residents", "Protesters", "Soldiers", "Gunmen"]
VERBS = ["clashed with", "attacked", "fired on", "kidnapped", "blocked the road near", "marched past"]
FILLER = ("Witnesses said the shooting lasted for several hours and that schools and markets in "
          "the area stayed closed while families fled toward safer neighbourhoods. ")


def write_feed(folder: Path, records: int, megabytes: float, limit: int) -> Path:
    """The JSONL feed: `records` distinct articles, one of them oversized, the others of
    equal size so that the file holds about `megabytes`."""
    rng = random.Random(7)
    oversized = limit + 10 * len(FILLER)
    per_record = int((megabytes * 1024 * 1024 - oversized) / (records - 1))
    path = folder / "feed.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(records):
            lead = (f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(ACTORS).lower()} in "
                    f"{rng.choice(PLACES)} on day {number}, killing {rng.randint(0, 9)} people.")
            body = lead + " " + FILLER * max(1, (per_record - len(lead) - 120) // len(FILLER))
            if number == records // 2:
                body = lead + " " + FILLER * (oversized // len(FILLER))
            record = {"id": f"r{number}", "title": lead[:60], "published": "2024-11-05",
                      "url": f"https://news.example/2024/11/05/{number}", "text": body}
            out.write(json.dumps(record) + "\n")
    return path


def peak_rss_mib() -> float:
    """Largest resident set of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--megabytes", type=float, default=60)
    parser.add_argument("--gate", action="store_true",
                        help="materialize the ingest stage (gate, DuckDB) instead of reading only")
    args = parser.parse_args(argv)
    limit = settings.max_record_bytes()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "articles"
        root.mkdir()
        feed = write_feed(root, args.records, args.megabytes, limit)
        secret = Path(tmp) / "outside.txt"
        secret.write_text("not an article: " + FILLER, encoding="utf-8")
        (root / "leak.txt").symlink_to(secret)
        before = peak_rss_mib()
        started = time.perf_counter()
        if args.gate:
            articles, rejected = _through_the_gate(root, Path(tmp) / "warehouse" / "w.duckdb")
        else:
            from pipelines.ingest.readers import read_articles

            result = read_articles(root, datetime.now(UTC))
            articles, rejected = result.articles.height, result.rejected
        seconds = time.perf_counter() - started
        print(json.dumps({
            "file_megabytes": round(feed.stat().st_size / 1024 / 1024, 1),
            "records": args.records,
            "articles": articles,
            "rejected": sorted(f"{r['source_uri']}:{r['reason']}"
                               for r in rejected.iter_rows(named=True)),
            "seconds": round(seconds, 1),
            "peak_rss_mib_before": round(before),
            "peak_rss_mib": round(peak_rss_mib()),
            "gate": args.gate,
        }))


def _through_the_gate(root: Path, warehouse: Path):
    import dagster as dg

    from pipelines import warehouse as wh
    from pipelines.build import resources as run_resources
    from pipelines.ingest.assets import ingest_articles

    resources = run_resources(root, warehouse)
    assert dg.materialize([ingest_articles], resources=resources).success
    with wh.connect(resources["warehouse"].private_path, read_only=True) as conn:
        articles = wh.scalar(conn, "SELECT count(*) FROM main.articles")
        rejected = wh.frame(conn, "SELECT source_uri, reason FROM main.rejected_inputs")
    return articles, rejected


if __name__ == "__main__":
    main()
