"""Scoring sub-event types on short event descriptions, one labelled event per snippet.

The public benchmark of ACLED sub-event classification is a set of world-wide news snippets,
each describing one event; systems are ranked by weighted F1 over the sub-event types. A
snippet set (`seeds/eval/snippets*/snippets.jsonl`, docs/dev-sets.md) is scored the same way
through the whole pipeline: each snippet is an article, and its label is the sub-event type
of the incident the pipeline is surest of (no incident: `NONE`). Beside it, the classifier
alone on the same texts, to tell the rules' part from the classifier's.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.evaluation.scoring import Metric, Target

NONE = "NONE"
TARGETS = {"weighted_f1": Target(">=", 0.84)}


def load_snippets(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_articles(snippets: Sequence[Mapping[str, Any]], path: Path) -> None:
    """The snippets as a JSONL feed of id and text, as the benchmark gives them: no label and
    no publication date (with one, an event told months before it is background, rightly)."""
    with path.open("w", encoding="utf-8") as out:
        for snippet in snippets:
            out.write(json.dumps({"id": snippet["id"], "text": snippet["text"]},
                                 ensure_ascii=False) + "\n")


def surest(predictions: pl.DataFrame) -> pl.DataFrame:
    """Each article's most confident incident (the first told on a tie)."""
    if predictions.height == 0:
        return predictions
    ranked = predictions.sort(["external_id", "confidence", "char_start", "incident_id"],
                              descending=[False, True, False, False], nulls_last=True)
    return ranked.group_by("external_id", maintain_order=True).first()


def surest_labels(predictions: pl.DataFrame) -> dict[str, str]:
    """external_id -> the sub-event type of its most confident incident."""
    if predictions.height == 0:
        return {}
    return dict(surest(predictions).select("external_id", "sub_event_type").iter_rows())


def rightness(predictions: pl.DataFrame, snippets: Sequence[Mapping[str, Any]]
              ) -> dict[str, bool]:
    """incident_id -> whether it is right: a snippet's surest incident when its sub-event type
    is the snippet's label; any other incident of a snippet of one event is wrong."""
    if predictions.height == 0:
        return {}
    label = {s["id"]: s["sub_event_type"] for s in snippets}
    first = dict(surest(predictions).select("incident_id", "external_id").iter_rows())
    return {incident_id: first.get(incident_id) == external_id
            and sub_event_type == label.get(external_id)
            for incident_id, external_id, sub_event_type in predictions.select(
                "incident_id", "external_id", "sub_event_type").iter_rows()}


def score(snippets: Sequence[Mapping[str, Any]], predicted: Mapping[str, str],
          name: str = "pipeline") -> tuple[list[Metric], list[dict[str, Any]]]:
    """Metrics and a per-type table of `predicted` (snippet id -> label) against the gold."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    events = [s for s in snippets if s["sub_event_type"] != NONE]
    quiet = [s for s in snippets if s["sub_event_type"] == NONE]
    truth = [s["sub_event_type"] for s in events]
    guess = [predicted.get(s["id"], NONE) for s in events]
    labels = sorted(set(truth))
    metrics = [
        Metric("weighted_f1", float(f1_score(truth, guess, labels=labels, average="weighted",
                                             zero_division=0)), 1, TARGETS["weighted_f1"],
               f"{name}: weighted F1 of the sub-event type over the event snippets"),
        Metric("macro_f1", float(f1_score(truth, guess, labels=labels, average="macro",
                                          zero_division=0)), 1, None,
               f"{name}: macro F1 over the sub-event types"),
        Metric("accuracy", sum(t == g for t, g in zip(truth, guess, strict=True)), len(events),
               None, f"{name}: event snippets given their sub-event type"),
        Metric("no_incident", sum(g == NONE for g in guess), len(events), None,
               f"{name}: event snippets left without an incident"),
        Metric("none_kept_quiet", sum(predicted.get(s["id"], NONE) == NONE for s in quiet),
               len(quiet), None, f"{name}: snippets reporting no event given no incident"),
    ]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, labels=labels, zero_division=0)
    table = [{"sub_event_type": label, "n": int(n), "precision": round(float(p), 3),
              "recall": round(float(r), 3), "f1": round(float(f), 3)}
             for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=True)]
    return metrics, table


def misses(snippets: Sequence[Mapping[str, Any]], predicted: Mapping[str, str],
           classifier: Mapping[str, str]) -> str:
    """Every snippet whose label the pipeline got wrong, most frequent confusions first."""
    wrong = [s for s in snippets if predicted.get(s["id"], NONE) != s["sub_event_type"]]
    confusions = Counter((s["sub_event_type"], predicted.get(s["id"], NONE)) for s in wrong)
    lines = ["# Snippet misses", "", "| gold | predicted | n |", "|---|---|---|"]
    lines += [f"| {gold} | {guess} | {n} |" for (gold, guess), n in confusions.most_common()]
    lines.append("")
    for snippet in sorted(wrong, key=lambda s: (s["sub_event_type"], s["id"])):
        lines.append(f"- `{snippet['id']}` gold **{snippet['sub_event_type']}**, pipeline "
                     f"**{predicted.get(snippet['id'], NONE)}**, classifier "
                     f"{classifier.get(snippet['id'], NONE)}: {snippet['text']}")
    return "\n".join(lines) + "\n"


def classifier_labels(snippets: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """snippet id -> the sub-event classifier's best label for the whole text."""
    from pipelines.extract.classifier import classify

    predictions = classify([s["text"] for s in snippets]) or []
    return {s["id"]: p.best[0] for s, p in zip(snippets, predictions, strict=True)}
