"""Fit the confidence model on a labelled development set (make calibrate).

    python -m pipelines.evaluation.calibrate [--fit-on fusion] [--out warehouse/eval]

Builds a warehouse from the set (or reuses it with --no-build), labels every predicted incident
right or wrong with the development-set scorer (right = a gold incident of its article with
the right sub-event type), reads the features the extractor recorded for it, fits the
logistic model of `pipelines.extract.calibration` and writes `seeds/models/confidence.json`.
The set must be one the rules were not tuned on: by default `seeds/eval/calibration/`, written
for this alone;
`make eval` then reports the reliability table and the expected calibration error on every
other set (the English holdout, ACLED Haiti 2024).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from pipelines.evaluation import devset
from pipelines.evaluation.__main__ import DEV_SETS, DEV_SETS_DIR, build, fresh_dir
from pipelines.extract import calibration
from pipelines.settings import PROJECT_ROOT, pipeline_db


def incident_features(warehouse: Path) -> dict[str, dict[str, float]]:
    """incident_id -> the features the extractor recorded (kept in the cache of the pipeline's
    private database, beside the published warehouse)."""
    with duckdb.connect(str(pipeline_db(warehouse)), read_only=True) as conn:
        rows = conn.execute("SELECT incident_id, features FROM cache.incidents").fetchall()
    return {incident_id: json.loads(features) for incident_id, features in rows if features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit-on", choices=DEV_SETS, default="calibration")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "warehouse" / "eval")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args(argv)

    source = DEV_SETS_DIR / args.fit_on
    set_dir = args.out.resolve() / f"calibrate-{args.fit_on}"
    warehouse = set_dir / "warehouse.duckdb"
    if not args.no_build:
        input_dir = fresh_dir(set_dir / "input")
        for path in (source / "articles").iterdir():
            (input_dir / path.name).write_bytes(path.read_bytes())
        build(input_dir, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        score = devset.score_devset(devset.load_gold(source), devset.load_devset_tables(conn))
    features = incident_features(warehouse)
    rows = [{**features[point["incident_id"]], "correct": point["correct"]}
            for point in devset.calibration_points(score.articles)
            if point["incident_id"] in features]
    if len(rows) < 30:
        print(f"only {len(rows)} labelled incidents in {args.fit_on}: not enough to fit")
        return 1
    weights = calibration.fit(rows, fitted_on=args.fit_on)
    fitted = [calibration.confidence(row) for row in rows]
    table, ece = devset.reliability_table(list(zip(fitted, [r["correct"] for r in rows],
                                                   strict=True)))
    print(json.dumps(weights, indent=2))
    print(f"fitted on {len(rows)} incidents of {args.fit_on}; in-sample ECE {ece}")
    for line in table:
        print(line)
    print(f"written {calibration.MODEL_PATH}; run make eval for the held-out figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
