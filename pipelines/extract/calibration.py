"""Confidence that means what it says: a logistic model over what the extractor knows about
an incident, fitted on labelled articles.

`incidents.confidence` is the probability that an incident is a real event its article
reports, with the right sub-event type. Full-length articles and short reports (snippets,
summaries) have weights of their own. The extractor describes each incident with a few
numbers (how sure the trigger words are, what the classifier thinks, whether the text dates
and places it, where in the article it is told...); `seeds/models/confidence.json` holds the
weights, fitted by `python -m pipelines.evaluation.calibrate` (make calibrate) on a
development set the rules were not tuned on. Without the file, a hand-set formula is used.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / "seeds" / "models" / "confidence.json"

FEATURES = (
    "rule_strength",  # strength of the trigger words that typed the event (0..1)
    "classifier_probability",  # the classifier's probability of the chosen sub-event type
    "classifier_best",  # its highest probability over all labels
    "classifier_none",  # its probability that the text reports no event
    "classifier_agrees",  # 1 when its best label is the chosen sub-event type
    "typed_by_classifier",  # 1 when the classifier overruled the rules
    "dated_in_text",  # 1 when the text dates the event (not the publication date)
    "placed_precisely",  # 1 when geo_precision is 1 or 2
    "sentences",  # log(1 + number of sentences telling the event)
    "lead_position",  # where the event is first told: 0 at the top, 1 at the end
    "has_casualties",  # 1 when a death or injury count was read
    "named_participant",  # 1 when a participant is named (not a generic actor)
)


def hand_set(features: dict[str, float]) -> float:
    """The formula used before any fit: trigger strength scaled by what else is known."""
    return features["rule_strength"] * (0.55 + 0.15 * features["placed_precisely"]
                                        + 0.15 * features["dated_in_text"]
                                        + 0.15 * features["named_participant"])


REGULARISATION = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # candidate inverse strengths (C)
# Short reports (a snippet, a one-paragraph summary: `short_report` in the features) are
# another domain: one event each, no background to misread, so the same features mean
# another chance of being right. They get weights of their own, fitted on short reports,
# under this key of the model file; full-length articles keep theirs.
SHORT_REPORTS = "short_reports"


@cache
def load_weights(path: Path = MODEL_PATH) -> dict | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def confidence(features: dict[str, float], path: Path = MODEL_PATH) -> float:
    weights = load_weights(path)
    if weights is not None and features.get("short_report") and SHORT_REPORTS in weights:
        weights = weights[SHORT_REPORTS]
    if weights is None or "intercept" not in weights:
        value = hand_set(features)
    else:
        score = weights["intercept"] + sum(weights["coefficients"][name] * features[name]
                                           for name in FEATURES)
        value = 1.0 / (1.0 + math.exp(-score))
    return round(min(max(value, 0.0), 1.0), 3)


def fit(rows: list[dict], fitted_on: str, path: Path = MODEL_PATH,
        short_reports: bool = False) -> dict:
    """Fit the weights on rows of FEATURES plus `correct` (bool) and save them: the weights of
    full-length articles, or with `short_reports` those of short reports (the other set of
    weights in the file is kept)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    matrix = [[row[name] for name in FEATURES] for row in rows]
    labels = [bool(row["correct"]) for row in rows]
    # How strongly to shrink the weights: chosen by five-fold cross-validated log-loss on the
    # same rows, so a small set does not fit its own noise.
    strength = max(REGULARISATION, key=lambda c: cross_val_score(
        LogisticRegression(C=c, max_iter=2000), matrix, labels, cv=5,
        scoring="neg_log_loss").mean())
    model = LogisticRegression(C=strength, max_iter=2000).fit(matrix, labels)
    weights = {
        "fitted_on": fitted_on,
        "rows": len(rows),
        "C": strength,
        "intercept": float(model.intercept_[0]),
        "coefficients": {name: float(w) for name, w in zip(FEATURES, model.coef_[0],
                                                          strict=True)},
    }
    saved = load_weights(path) or {}
    if short_reports:
        weights = {**saved, SHORT_REPORTS: weights}
    elif SHORT_REPORTS in saved:
        weights[SHORT_REPORTS] = saved[SHORT_REPORTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    load_weights.cache_clear()
    return weights
