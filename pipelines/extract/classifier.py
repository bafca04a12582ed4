"""The sub-event classifier: which of ACLED's 25 sub-event types (or none) a text reports.

A TF-IDF (words and character n-grams) + logistic regression model trained on the labelled
snippets in `seeds/training/` (our own writing, four languages). It sits beside the rules:
the rules know who did what to whom (ACLED's conventions on actors), the classifier knows how
news words each kind of event, in any language it was trained on. `python -m
pipelines.extract.classifier train` (make train) rebuilds it; the model file is part of the
extractor version. Everything runs offline.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.loading import collector_paused
from pipelines.settings import PROJECT_ROOT

TRAINING_DIR = PROJECT_ROOT / "seeds" / "training"
# A plain pickle (protocol 5), not joblib's format: joblib reads its files with Python's own
# unpickler, 1.2 s to 4 s for this model's 100,000-entry vocabularies against 0.3 s for the C
# one, and a run with a few new articles pays the load before its workers start.
MODEL_PATH = PROJECT_ROOT / "seeds" / "models" / "subevent_classifier.pickle"
NONE = "NONE"
REGULARISATION = 20.0
_DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """Lower case with digits folded ('killed 12' and 'killed 40' are one feature)."""
    return _DIGITS.sub("0", text.lower())


# A capitalised word inside a sentence, and the vocabulary of words the snippets also write in
# lower case: 'Base', 'Police', 'Gang' are words, 'Tokyo', 'Delmas', 'Cherizier' names.
_CAPITALISED = re.compile(r"(?<=[^\s.!?:\"“«—-] )[A-Z][a-zà-ÿ'’]+")
_LOWER_WORD = re.compile(r"\b[a-zà-ÿ'’]+\b")
MIN_WORD_COUNT = 3
NAME = "Xname"


class NameMasker:
    """`normalise`, with every capitalised word that is no common word of the training snippets
    replaced by one placeholder. Names say which gang or town, not what happened: unmasked, the
    model learnt 'Base Nan Tokyo' as a base being set up, and town names of the snippets as
    evidence of their types. Right on ACLED's real summaries 0.62 -> 0.65, held-out snippets
    0.932 -> 0.936 (docs/decisions.md)."""

    def __init__(self, texts: list[str]) -> None:
        counts = Counter(word for text in texts for word in _LOWER_WORD.findall(text))
        self.words = frozenset(w for w, n in counts.items() if n >= MIN_WORD_COUNT)

    def _mask(self, match: re.Match) -> str:
        word = match.group(0)
        return word if word.lower() in self.words else NAME

    def __call__(self, text: str) -> str:
        return normalise(_CAPITALISED.sub(self._mask, text))


def training_rows(folder: Path = TRAINING_DIR) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("snippets-*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def _label(row: dict) -> str:
    return NONE if row["sub_event_type"] == NONE else row["sub_event_type"]


def build_model(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # Capped vocabularies keep the model file small (a few MB in the repository).
    masker = NameMasker(texts)
    features = make_union(
        TfidfVectorizer(preprocessor=masker, ngram_range=(1, 2), sublinear_tf=True,
                        min_df=2, max_features=40_000),
        TfidfVectorizer(preprocessor=masker, analyzer="char_wb", ngram_range=(3, 5),
                        min_df=3, sublinear_tf=True, max_features=60_000),
    )
    # Balanced class weights: NONE has five times the snippets of any event type, and with
    # its weight as is the model answers NONE to reports worded unlike the snippets (on
    # ACLED's summaries, real text none of the snippets resembles, 30% of them; 19% balanced).
    return make_pipeline(features, LogisticRegression(C=REGULARISATION, max_iter=3000,
                                                      class_weight="balanced"))


def train(folder: Path = TRAINING_DIR, destination: Path = MODEL_PATH) -> dict:
    """Fit on every snippet, report 5-fold cross-validated weighted F1, save the model."""
    import numpy as np
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows = training_rows(folder)
    texts = [r["text"] for r in rows]
    labels = [_label(r) for r in rows]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    predicted = cross_val_predict(build_model(texts), texts, labels, cv=folds)
    languages = np.array([r["language"] for r in rows])
    report = {"snippets": len(rows), "weighted_f1": round(f1_score(labels, predicted,
                                                                   average="weighted"), 4)}
    for language in sorted(set(languages)):
        mask = languages == language
        report[f"weighted_f1_{language}"] = round(f1_score(
            np.array(labels)[mask], predicted[mask], average="weighted"), 4)
    model = build_model(texts).fit(texts, labels)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as handle:
        pickle.dump(model, handle, protocol=5)
    return report


@dataclass(frozen=True)
class Prediction:
    probabilities: dict[str, float]  # sub_event_type (or NONE) -> probability

    @property
    def best(self) -> tuple[str, float]:
        label = max(self.probabilities, key=self.probabilities.get)
        return label, self.probabilities[label]

    def of(self, sub_event_type: str) -> float:
        return self.probabilities.get(sub_event_type, 0.0)


@cache
def event_type_of() -> dict[str, str]:
    """ACLED's event type of each sub-event type (seeds/reference/acled_taxonomy.csv)."""
    import csv

    path = PROJECT_ROOT / "seeds" / "reference" / "acled_taxonomy.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["sub_event_type"]: row["event_type"] for row in csv.DictReader(handle)}


def load_classifier(path: Path = MODEL_PATH):
    """The fitted model, or None when none has been trained (rules alone then decide)."""
    # One cache entry per file whether or not the path is passed: a worker that loaded it
    # with `load_classifier()` must not load it again for `classify(texts)`.
    return _load_classifier(Path(path))


@cache
def _load_classifier(path: Path):
    if not path.exists():
        return None
    with path.open("rb") as handle, collector_paused():
        return pickle.load(handle)


def classify(texts: list[str], path: Path = MODEL_PATH) -> list[Prediction] | None:
    model = load_classifier(path)
    if model is None or not texts:
        return None
    classes = list(model.classes_)
    return [Prediction(dict(zip(map(str, classes), map(float, row), strict=True)))
            for row in model.predict_proba(texts)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the sub-event classifier.")
    parser.add_argument("command", choices=["train"])
    parser.parse_args(argv)
    # Through the module's import name, so the pickled model refers to
    # pipelines.extract.classifier.normalise and not to __main__.normalise.
    from pipelines.extract import classifier

    report = classifier.train()
    print(json.dumps(report, indent=2))
    print(f"model written to {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
