"""Command line: build a warehouse from each evaluation set and score it against gold.

    python -m pipelines.evaluation --eval-dir ../shared/eval --out warehouse/eval \
        [--only SET ...] [--limit N] [--warehouse-dir DIR] [--no-build]

For each set: write the input folder (`<out>/<set>/input/`: articles only, never gold), build a
warehouse from it with `pipelines.build.build_warehouse`, open it read-only, score it, print the
metrics and write `<out>/<set>/metrics.json` and `<out>/<set>/misses.md`.

The `pages` set is the project's own saved news pages (`seeds/eval/pages/`): they go through the
ingest reader only (no warehouse), and their bodies and dates are scored against gold. The
development sets (`seeds/eval/<set>/`, docs/dev-sets.md) are built and scored like the seed.

Exit code 0 whenever scoring ran (pass/fail is in the metrics); 1 when something broke.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.evaluation import devset, fusion, pages, report, scoring, snippets
from pipelines.settings import PROJECT_ROOT

ACLED_SET = "acled-haiti-2024"
DEV_SETS_DIR = PROJECT_ROOT / "seeds" / "eval"
PAGES_DIR = DEV_SETS_DIR / "pages"
# Our own full-length articles with gold (docs/dev-sets.md), scored by pipelines.evaluation.devset.
DEV_SETS = ("news-en", "news-en-holdout", "news-en-holdout2", "news-fr", "news-ht", "news-es",
            "news-es-fr-holdout", "news-holdout3", "news-holdout4", "news-holdout5", "news-holdout6",
            "news-holdout7", "news-dev7", "news-dev8", "news-dev9", "news-dev10", "news-dev11",
            "news-dev12", "news-dev13", "news-dev14", "news-dev15", "news-dev16", "news-dev17",
            "news-dev18", "news-dev19", "news-dev20", "news-dev21", "news-dev22", "news-dev23",
            "news-dev24", "news-dev25", "news-dev26", "news-dev27", "news-dev28",
            "news-dev29", "news-dev30", "news-dev31",
            "fusion",
            "calibration", "calibration2", "calibration3")
# Short descriptions of one event each, labelled with a sub-event type (the public
# benchmark's shape), scored by pipelines.evaluation.snippets.
SNIPPET_SETS = ("snippets", "snippets-holdout")
SETS = ("seed", "acled", "pages", *DEV_SETS, *SNIPPET_SETS)
# Sets neither the rules nor the confidence model were fitted on: their incidents, pooled, say
# how well confidence holds on unseen news (one set alone is too small to tell, see
# `devset.calibration_metrics`).
HELD_OUT_SETS = ("news-en-holdout", "news-holdout5", "news-holdout6", "news-holdout7")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.evaluation",
        description="Build warehouses from the evaluation articles and score them against gold.",
    )
    parser.add_argument("--eval-dir", type=Path, default=PROJECT_ROOT.parent / "shared" / "eval",
                        help="folder with seed/gold.json and acled-haiti-2024/ (read only)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "warehouse" / "eval",
                        help="output folder (inputs, warehouses, metrics.json, misses.md)")
    parser.add_argument("--only", choices=SETS, action="append",
                        help="run this set only (repeatable)")
    parser.add_argument("--pages-dir", type=Path, default=PAGES_DIR,
                        help="saved pages with gold bodies (articles/ and gold/)")
    parser.add_argument("--limit", type=int, help="ACLED: only the first N reports (file order)")
    parser.add_argument("--warehouse-dir", type=Path,
                        help="where the DuckDB files go (<dir>/<set>.duckdb); "
                             "default <out>/<set>/warehouse.duckdb")
    parser.add_argument("--no-build", action="store_true",
                        help="score the existing warehouse files without rebuilding them")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be a positive number")
    return args


def warehouse_file(args: argparse.Namespace, name: str) -> Path:
    if args.warehouse_dir is not None:
        return args.warehouse_dir.resolve() / f"{name}.duckdb"
    return args.out.resolve() / name / "warehouse.duckdb"


def fresh_dir(path: Path) -> Path:
    """Empty folder at `path` (only ever called on `<out>/<set>/input`)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def build(articles_dir: Path, warehouse: Path) -> float:
    """Run the whole pipeline into `warehouse`; returns the seconds it took."""
    from pipelines.build import build_warehouse  # imported late: heavy, and built separately
    from pipelines.extract import pool

    pool.keep_models_loaded()  # dozens of builds in this process: the models load once
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build_warehouse(articles_dir, warehouse)
    return time.perf_counter() - started


def write_outputs(set_dir: Path, metrics: dict[str, Any], misses: str) -> None:
    set_dir.mkdir(parents=True, exist_ok=True)
    (set_dir / "metrics.json").write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    (set_dir / "misses.md").write_text(misses, encoding="utf-8")


# --------------------------------------------------------------------------------------------
# ACLED
# --------------------------------------------------------------------------------------------


def prepare_acled_input(source: Path, input_dir: Path, limit: int | None) -> list[dict[str, Any]]:
    """Copy the first `limit` article records (never gold) to `<input_dir>/articles.jsonl`."""
    fresh_dir(input_dir)
    records: list[dict[str, Any]] = []
    with source.open(encoding="utf-8") as handle, \
            (input_dir / "articles.jsonl").open("w", encoding="utf-8") as out:
        for line in handle:
            if not line.strip():
                continue
            records.append(json.loads(line))
            out.write(line if line.endswith("\n") else line + "\n")
            if limit is not None and len(records) >= limit:
                break
    return records


def run_acled(args: argparse.Namespace) -> None:
    set_dir = args.out.resolve() / "acled"
    source_dir = args.eval_dir.resolve() / ACLED_SET
    started = time.perf_counter()
    records = prepare_acled_input(source_dir / "articles.jsonl", set_dir / "input", args.limit)
    warehouse = warehouse_file(args, "acled")
    seconds: dict[str, float] = {}
    if not args.no_build:
        seconds["build"] = build(set_dir / "input", warehouse)

    scoring_started = time.perf_counter()
    gold = scoring.read_acled_gold(source_dir / "gold.jsonl", [r["id"] for r in records])
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        predictions = scoring.load_predictions(conn)
        participants = scoring.load_participants(conn)
        bodies = scoring.load_article_bodies(conn)
        fused = fusion.merged_reports(conn, len(records)) if "event_incidents" in {
            r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'main'").fetchall()} else None
    score = scoring.score_acled(
        gold, predictions, participants, scoring.shared_text_articles(records)
    )
    if fused is not None:
        score.metrics.append(fused)
    seconds["score"] = time.perf_counter() - scoring_started
    seconds["total"] = time.perf_counter() - started

    stats = dict(score.stats)
    stats["incidents_per_report"] = score.metric("incidents_per_report").value
    metrics = {
        "set": "acled",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(source_dir / "gold.jsonl"),
        "warehouse": str(warehouse),
        "limit": args.limit,
        "stats": stats,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "metrics": {m.name: m.to_dict() for m in score.metrics},
        "passed": all(m.passed is not False for m in score.metrics),
    }
    write_outputs(set_dir, metrics, report.acled_misses(score, bodies, title="ACLED Haiti 2024"))
    print(f"\n== ACLED Haiti 2024 ({len(records)} reports) ==")
    print(report.acled_summary(score, seconds))
    print(f"written: {set_dir / 'metrics.json'}, {set_dir / 'misses.md'}")


# --------------------------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------------------------


def run_seed(args: argparse.Namespace) -> None:
    set_dir = args.out.resolve() / "seed"
    eval_dir = args.eval_dir.resolve()
    gold = json.loads((eval_dir / "seed" / "gold.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    input_dir = fresh_dir(set_dir / "input")
    shutil.copy2(eval_dir.parent / "seeds" / gold["file"], input_dir / gold["file"])
    warehouse = warehouse_file(args, "seed")
    seconds: dict[str, float] = {}
    if not args.no_build:
        seconds["build"] = build(input_dir, warehouse)

    scoring_started = time.perf_counter()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        score = scoring.score_seed(gold, scoring.load_seed_tables(conn))
    seconds["score"] = time.perf_counter() - scoring_started
    seconds["total"] = time.perf_counter() - started

    metrics = {
        "set": "seed",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(eval_dir / "seed" / "gold.json"),
        "warehouse": str(warehouse),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "metrics": {m.name: m.to_dict() for m in score.metrics},
        "items": [
            {"kind": i.kind, "label": i.label, "required": i.required, "found": i.found,
             "detail": i.detail}
            for i in score.items
        ],
        "passed": score.passed,
    }
    write_outputs(set_dir, metrics, report.seed_misses(score, title=f"seed {gold['id']}"))
    print(f"\n== Seed article {gold['id']} ==")
    print(report.seed_summary(score, seconds))
    print(f"written: {set_dir / 'metrics.json'}, {set_dir / 'misses.md'}")


# --------------------------------------------------------------------------------------------
# Development sets of full-length articles
# --------------------------------------------------------------------------------------------


def run_devset(args: argparse.Namespace, name: str) -> dict[str, Any] | None:
    source = DEV_SETS_DIR / name
    if not (source / "gold").is_dir():
        print(f"\n== {name}: no gold in {source}, skipped ==")
        return None
    set_dir = args.out.resolve() / name
    started = time.perf_counter()
    input_dir = fresh_dir(set_dir / "input")
    shutil.copytree(source / "articles", input_dir, dirs_exist_ok=True)
    warehouse = warehouse_file(args, name)
    seconds: dict[str, float] = {}
    if not args.no_build:
        seconds["build"] = build(input_dir, warehouse)
    scoring_started = time.perf_counter()
    golds = devset.load_gold(source)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        score = devset.score_devset(golds, devset.load_devset_tables(conn))
    seconds["score"] = time.perf_counter() - scoring_started
    seconds["total"] = time.perf_counter() - started
    gold_like = None
    if name == "fusion":
        bench = fusion.run(source)
        gold_like = {key: bench["pairs"][key] for key in
                     ("precision", "recall", "true_positive", "predicted_pairs", "gold_pairs")}
        gold_like.update({key: value for key, value in bench["events"].items()
                          if key != "fatalities_wrong"})
    metrics = {
        "set": name,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(source / "gold"),
        "warehouse": str(warehouse),
        "articles": len(golds),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "metrics": {m.name: m.to_dict() for m in score.metrics},
        "reliability": score.reliability,
        "calibration_points": devset.calibration_points(score.articles),
        "fusion_on_gold_incidents": gold_like,
    }
    write_outputs(set_dir, metrics, devset.devset_misses(score, name))
    print(f"\n== {name} ({len(golds)} articles) ==")
    print(report.metrics_table(score.metrics))
    print()
    print(report.format_table(("confidence", "n", "mean confidence", "accuracy"),
                              [(r["bin"], r["n"], r["mean_confidence"], r["accuracy"])
                               for r in score.reliability], right=(1, 2, 3)))
    if gold_like:
        print(f"fusion on gold incidents (extraction aside): pairwise precision "
              f"{gold_like['precision']:.3f} ({gold_like['true_positive']}/"
              f"{gold_like['predicted_pairs']}), recall {gold_like['recall']:.3f} "
              f"({gold_like['true_positive']}/{gold_like['gold_pairs']}); "
              f"{gold_like['gold_events_in_one_event']}/{gold_like['gold_events']} events whole, "
              f"fatalities right for {gold_like['fatalities_right']}")
    print("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()))
    print(f"written: {set_dir / 'metrics.json'}, {set_dir / 'misses.md'}")
    return metrics


def report_held_out_calibration(out: Path, results: dict[str, dict[str, Any]]) -> None:
    """Calibration over the incidents of every held-out set scored in this run, pooled."""
    points = [(p["confidence"] or 0.0, p["correct"]) for name in HELD_OUT_SETS
              if name in results for p in results[name]["calibration_points"]]
    if not points:
        return
    table, metrics = devset.calibration_metrics(points)
    names = [name for name in HELD_OUT_SETS if name in results]
    summary = {"sets": names, "incidents": len(points), "reliability": table,
               "metrics": {m.name: m.to_dict() for m in metrics}}
    (out / "held-out-calibration.json").write_text(json.dumps(summary, indent=2) + "\n",
                                                   encoding="utf-8")
    print(f"\n== calibration on the held-out sets pooled ({', '.join(names)}: "
          f"{len(points)} incidents) ==")
    print(report.metrics_table(metrics))


# --------------------------------------------------------------------------------------------
# Snippets
# --------------------------------------------------------------------------------------------


def run_snippets(args: argparse.Namespace, name: str) -> None:
    source = DEV_SETS_DIR / name / "snippets.jsonl"
    if not source.is_file():
        print(f"\n== {name}: no {source}, skipped ==")
        return
    set_dir = args.out.resolve() / name
    started = time.perf_counter()
    labelled = snippets.load_snippets(source)
    input_dir = fresh_dir(set_dir / "input")
    snippets.write_articles(labelled, input_dir / "snippets.jsonl")
    warehouse = warehouse_file(args, name)
    seconds: dict[str, float] = {}
    if not args.no_build:
        seconds["build"] = build(input_dir, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        predictions = scoring.load_predictions(conn)
    predicted = snippets.surest_labels(predictions)
    classifier = snippets.classifier_labels(labelled)
    metrics, table = snippets.score(labelled, predicted)
    right = snippets.rightness(predictions, labelled)
    reliability, calibration_rows = devset.calibration_metrics(
        [(confidence or 0.0, right[incident_id]) for incident_id, confidence
         in predictions.select("incident_id", "confidence").iter_rows()],
        ": an incident is right when it is its snippet's surest, with the snippet's label")
    metrics += calibration_rows
    classifier_metrics, _ = snippets.score(labelled, classifier, "classifier alone")
    seconds["total"] = time.perf_counter() - started
    write_outputs(set_dir, {
        "set": name,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(source),
        "warehouse": str(warehouse),
        "snippets": len(labelled),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "metrics": {m.name: m.to_dict() for m in metrics},
        "classifier_alone": {m.name: m.to_dict() for m in classifier_metrics},
        "by_sub_event_type": table,
        "reliability": reliability,
    }, snippets.misses(labelled, predicted, classifier))
    print(f"\n== {name} ({len(labelled)} snippets) ==")
    print(report.metrics_table(metrics))
    print()
    print(report.metrics_table(classifier_metrics))
    print()
    print(report.format_table(("sub-event type", "n", "precision", "recall", "F1"),
                              [(r["sub_event_type"], r["n"], r["precision"], r["recall"],
                                r["f1"]) for r in table], right=(1, 2, 3, 4)))
    print("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items()))
    print(f"written: {set_dir / 'metrics.json'}, {set_dir / 'misses.md'}")


# --------------------------------------------------------------------------------------------
# Saved pages
# --------------------------------------------------------------------------------------------


def run_pages(args: argparse.Namespace) -> None:
    from pipelines.ingest.cleaning import clean_body
    from pipelines.ingest.pages import decode_html
    from pipelines.ingest.readers import read_articles

    set_dir = args.out.resolve() / "pages"
    pages_dir = args.pages_dir.resolve()
    gold = pages.load_gold(pages_dir)
    started = time.perf_counter()
    # A fixed clock: the pages' dates are scored, not the day the command runs.
    result = read_articles(pages_dir / "articles", now=datetime(2026, 1, 1))
    seconds = {"read": time.perf_counter() - started}
    scores = pages.score_pages(gold, result.articles, result.rejected)
    metrics = pages.summarise(scores)

    # The reader this one replaced: tag rules over the whole page, for comparison.
    tag_rules = pl.DataFrame([
        {"source_uri": page["file"], "body": clean_body(
            decode_html((pages_dir / "articles" / page["file"]).read_bytes()) or "", "html"),
         "published_date": None} for page in gold])
    compared = {"trafilatura (ingest)": metrics,
                "tag rules (previous reader)": pages.summarise(
                    pages.score_pages(gold, tag_rules, result.rejected.clear()))}
    seconds["total"] = time.perf_counter() - started

    by_file = {row["source_uri"]: row["body"] for row in result.articles.iter_rows(named=True)}
    bodies = {page["id"]: by_file.get(page["file"], "") for page in gold}
    write_outputs(set_dir, {
        "set": "pages",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(pages_dir / "gold"),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "metrics": {m.name: m.to_dict() for m in metrics},
        "compared": {name: {m.name: m.to_dict() for m in found} for name, found in compared.items()},
        "pages": [vars(s) | {"date_right": s.date_right} for s in scores],
        "passed": all(m.passed is not False for m in metrics),
    }, report.pages_misses(scores, {page["id"]: page["body"] for page in gold}, bodies))
    print(f"\n== Saved pages ({len(gold)} pages, {pages_dir}) ==")
    print(report.pages_summary(scores, metrics, compared, seconds))
    print(f"written: {set_dir / 'metrics.json'}, {set_dir / 'misses.md'}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runners = {"seed": run_seed, "acled": run_acled, "pages": run_pages}
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in SETS:
            if args.only is not None and name not in args.only:
                continue
            if name in DEV_SETS:
                if (metrics := run_devset(args, name)) is not None:
                    results[name] = metrics
            elif name in SNIPPET_SETS:
                run_snippets(args, name)
            else:
                runners[name](args)
        report_held_out_calibration(args.out.resolve(), results)
    except Exception:
        traceback.print_exc()
        print("evaluation failed before scoring finished", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
