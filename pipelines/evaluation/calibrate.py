"""Fit the confidence model on a labelled development set (make calibrate).

    python -m pipelines.evaluation.calibrate [--fit-on calibration ...] [--out warehouse/eval]
    python -m pipelines.evaluation.calibrate --short-reports snippets-calibration \
        --short-reports notes-calibration

Builds a warehouse from each set (or reuses it with --no-build), labels every predicted incident
right or wrong with the development-set scorer (right = a gold incident of its article with
the right sub-event type), reads the features the extractor recorded for it, fits the
logistic model of `pipelines.extract.calibration` and writes `seeds/models/confidence.json`.
The sets must be ones the rules were not tuned on: by default `seeds/eval/calibration/`,
`calibration2/` and `calibration3/`, written for this alone, their incidents pooled;
`make eval` then reports the reliability table and the expected calibration error on every
other set (the English holdout, ACLED Haiti 2024).

Short reports (at most four sentences: snippets, summaries) have weights of their own, fitted
(`make calibrate-short`) on 400 snippets and 320 analysts' event notes written for that alone;
`snippets-holdout` and ACLED's summaries measure them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from pipelines.evaluation import devset, scoring, snippets
from pipelines.evaluation.__main__ import DEV_SETS, DEV_SETS_DIR, SNIPPET_SETS, build, fresh_dir
from pipelines.extract import calibration
from pipelines.settings import PROJECT_ROOT, pipeline_db

# The sets written for fitting confidence alone (never read while tuning rules): the
# incidents of all of them, pooled.
FIT_SETS = ("calibration", "calibration2", "calibration3")
# The same for short reports, pooled: labelled snippets written to be as hard as real news
# snippets are, and analysts' event notes in ACLED's style (half of them on Haiti), never
# read while tuning (`make calibrate-short`).
SHORT_FIT_SETS = ("snippets-calibration", "notes-calibration")


def incident_features(warehouse: Path) -> dict[str, dict[str, float]]:
    """incident_id -> the features the extractor recorded (kept in the cache of the pipeline's
    private database, beside the published warehouse)."""
    with duckdb.connect(str(pipeline_db(warehouse)), read_only=True) as conn:
        rows = conn.execute("SELECT incident_id, features FROM cache.incidents").fetchall()
    return {incident_id: json.loads(features) for incident_id, features in rows if features}


def snippet_rows(name: str, out: Path, build_it: bool) -> list[dict]:
    """Features and right/wrong (`snippets.rightness`) of every short-report incident of a
    snippet set's warehouse."""
    labelled = {s["id"]: s for s in snippets.load_snippets(DEV_SETS_DIR / name / "snippets.jsonl")}
    set_dir = out.resolve() / f"calibrate-{name}"
    warehouse = set_dir / "warehouse.duckdb"
    if build_it:
        input_dir = fresh_dir(set_dir / "input")
        snippets.write_articles(list(labelled.values()), input_dir / "snippets.jsonl")
        build(input_dir, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        predictions = scoring.load_predictions(conn)
    features = incident_features(warehouse)
    return [{**features[incident_id], "correct": right}
            for incident_id, right in snippets.rightness(predictions, labelled.values()).items()
            if features.get(incident_id, {}).get("short_report")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit-on", choices=DEV_SETS, action="append",
                        help=f"a set to fit on (repeatable; default: {', '.join(FIT_SETS)})")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "warehouse" / "eval")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--short-reports", choices=(*SHORT_FIT_SETS, *SNIPPET_SETS),
                        action="append", help="fit the weights of short reports on this snippet "
                        f"set instead (repeatable, pooled; {', '.join(SHORT_FIT_SETS)} by "
                        "`make calibrate-short`)")
    args = parser.parse_args(argv)
    if args.short_reports:
        rows = [row for name in args.short_reports
                for row in snippet_rows(name, args.out, not args.no_build)]
        return fit_and_report(rows, "+".join(args.short_reports), short_reports=True)
    sets = args.fit_on or list(FIT_SETS)
    rows = [row for name in sets for row in devset_rows(name, args.out, not args.no_build)]
    return fit_and_report(rows, "+".join(sets))


def devset_rows(name: str, out: Path, build_it: bool) -> list[dict]:
    """Features and right/wrong of every incident of a development set's warehouse."""
    source = DEV_SETS_DIR / name
    set_dir = out.resolve() / f"calibrate-{name}"
    warehouse = set_dir / "warehouse.duckdb"
    if build_it:
        input_dir = fresh_dir(set_dir / "input")
        for path in (source / "articles").iterdir():
            (input_dir / path.name).write_bytes(path.read_bytes())
        build(input_dir, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        score = devset.score_devset(devset.load_gold(source), devset.load_devset_tables(conn))
    features = incident_features(warehouse)
    return [{**features[point["incident_id"]], "correct": point["correct"]}
            for point in devset.calibration_points(score.articles)
            if point["incident_id"] in features]


def fit_and_report(rows: list[dict], name: str, short_reports: bool = False) -> int:
    if len(rows) < 30:
        print(f"only {len(rows)} labelled incidents in {name}: not enough to fit")
        return 1
    weights = calibration.fit(rows, fitted_on=name, short_reports=short_reports)
    if short_reports:
        weights = weights[calibration.SHORT_REPORTS]
    fitted = [calibration.confidence(row) for row in rows]
    table, ece = devset.reliability_table(list(zip(fitted, [r["correct"] for r in rows],
                                                   strict=True)))
    print(json.dumps(weights, indent=2))
    print(f"fitted on {len(rows)} incidents of {name}; in-sample ECE {ece}")
    for line in table:
        print(line)
    print(f"written {calibration.MODEL_PATH}; run make eval for the held-out figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
