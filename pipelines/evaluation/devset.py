"""Scoring a warehouse built from a development set of full-length articles (docs/dev-sets.md).

Each article has a gold file with required/optional incidents, entities and `must_not` errors.
Predicted incidents are matched one-to-one to gold incidents of the same article; precision,
recall, type, date, place and fatality accuracy, entity recall, calibration of `confidence`
and (for the fusion set) pairwise fusion precision and recall follow from the matching.
Plain functions over Polars frames; `load_devset_tables` only reads an open connection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.evaluation.scoring import (
    Metric,
    Target,
    as_date,
    date_accepted,
    fold,
    haversine_km,
    names_match,
    query_frame,
)

LOCATION_KM = 25.0
ENTITY_PLACE_KM = 10.0
MUST_NOT_PLACE_KM = 2.0
CALIBRATION_BINS = 10
NOISE_DRAWS = 1000

DEVSET_TARGETS: dict[str, Target] = {
    "recall": Target(">=", 0.90),
    "precision": Target(">=", 0.80),
    "sub_event_type": Target(">=", 0.85),
    "fatalities_exact": Target(">=", 0.80),
    "entity_recall": Target(">=", 0.90),
    "must_not_violations": Target("<=", 0.0),
    "ece": Target("<=", 0.05),
    "fusion_pair_precision": Target(">=", 0.95),
    "fusion_pair_recall": Target(">=", 0.90),
}


# --------------------------------------------------------------------------------------------
# Reading gold and the warehouse
# --------------------------------------------------------------------------------------------


def load_gold(folder: Path) -> list[dict[str, Any]]:
    """Every gold file of a set, sorted by id."""
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((folder / "gold").glob("*.json"))]


PREDICTIONS_SQL = """
WITH RECURSIVE ancestry(place_id, ancestor_id, depth) AS (
    SELECT place_id, place_id, 0 FROM main.places
    UNION ALL
    SELECT a.place_id, p.parent_place_id, a.depth + 1
    FROM ancestry AS a JOIN main.places AS p ON p.place_id = a.ancestor_id
    WHERE p.parent_place_id IS NOT NULL AND a.depth < 8
),
place_names AS (
    SELECT a.place_id, list(p.name ORDER BY a.depth) AS names
    FROM ancestry AS a JOIN main.places AS p ON p.place_id = a.ancestor_id
    GROUP BY a.place_id
),
-- Where the product publishes each place (the `place_positions` view): its own coordinates,
-- else its nearest located ancestor's.
positions AS (
    SELECT a.place_id, arg_min(p.latitude, a.depth) AS position_latitude,
           arg_min(p.longitude, a.depth) AS position_longitude
    FROM ancestry AS a JOIN main.places AS p ON p.place_id = a.ancestor_id
    WHERE p.latitude IS NOT NULL
    GROUP BY a.place_id
)
SELECT a.source_uri, i.incident_id, i.article_id, i.event_date, i.date_precision,
       i.event_type, i.sub_event_type, i.fatalities, i.confidence, i.char_start, i.char_end,
       i.summary, p.name AS location, p.admin1, p.latitude, p.longitude,
       coalesce(n.names, []) AS place_names, s.position_latitude, s.position_longitude
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN place_names AS n USING (place_id)
LEFT JOIN positions AS s USING (place_id)
ORDER BY a.source_uri, i.char_start, i.incident_id
"""

ENTITIES_SQL = """
SELECT DISTINCT a.source_uri, m.entity_table, m.text AS mention,
       coalesce(ac.name, ins.name, pl.name) AS name,
       coalesce(ac.aliases, ins.aliases, []) AS aliases, ins.acronym,
       pl.latitude, pl.longitude, pl.country_iso3
FROM main.mentions AS m
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.actors AS ac ON m.entity_table = 'actors' AND ac.actor_id = m.entity_id
LEFT JOIN main.institutions AS ins
       ON m.entity_table = 'institutions' AND ins.institution_id = m.entity_id
LEFT JOIN main.places AS pl ON m.entity_table = 'places' AND pl.place_id = m.entity_id
"""

PARTICIPANT_ENTITIES_SQL = """
SELECT a.source_uri, 'actors' AS entity_table, ac.name AS mention, ac.name, ac.aliases,
       CAST(NULL AS VARCHAR) AS acronym, CAST(NULL AS DOUBLE) AS latitude,
       CAST(NULL AS DOUBLE) AS longitude, ac.country_iso3
FROM main.incident_actors AS ia
JOIN main.incidents AS i USING (incident_id)
JOIN main.articles AS a USING (article_id)
JOIN main.actors AS ac USING (actor_id)
"""


@dataclass
class DevTables:
    predictions: pl.DataFrame
    entities: pl.DataFrame
    sentences: pl.DataFrame  # source_uri, char_start, char_end
    bodies: dict[str, str]  # source_uri -> body
    event_of: dict[str, str] = field(default_factory=dict)  # incident_id -> event_id


def load_devset_tables(conn: duckdb.DuckDBPyConnection) -> DevTables:
    tables = {r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    event_of = {}
    if "event_incidents" in tables:
        event_of = dict(conn.execute(
            "SELECT incident_id, event_id FROM main.event_incidents").fetchall())
    entities = query_frame(conn, ENTITIES_SQL)
    participants = query_frame(conn, PARTICIPANT_ENTITIES_SQL)
    return DevTables(
        predictions=query_frame(conn, PREDICTIONS_SQL),
        entities=pl.concat([entities, participants.cast(entities.schema)]),
        sentences=query_frame(conn, "SELECT a.source_uri, s.char_start, s.char_end "
                                    "FROM main.sentences AS s JOIN main.articles AS a "
                                    "USING (article_id)"),
        bodies=dict(conn.execute("SELECT source_uri, body FROM main.articles").fetchall()),
        event_of=event_of,
    )


# --------------------------------------------------------------------------------------------
# Evidence spans
# --------------------------------------------------------------------------------------------

_QUOTE_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def quote_span(body: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` is in `body`, whitespace and curly quotes aside."""
    words = quote.translate(_QUOTE_CHARS).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, body)
    return match.span() if match else None


def sentence_range(span: tuple[int, int], sentences: Sequence[tuple[int, int]]
                   ) -> tuple[int, int]:
    """The span widened to the sentences it touches."""
    touched = [s for s in sentences if s[0] < span[1] and span[0] < s[1]]
    if not touched:
        return span
    return min(s[0] for s in touched), max(s[1] for s in touched)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


@dataclass
class IncidentMatch:
    gold: dict[str, Any] | None
    predicted: dict[str, Any] | None
    evidence_overlap: bool = False

    @property
    def checks(self) -> dict[str, bool]:
        if self.gold is None or self.predicted is None:
            return {}
        g, p = self.gold, self.predicted
        return {
            "event_type": p["event_type"] == g["event_type"],
            "sub_event_type": p["sub_event_type"] == g["sub_event_type"],
            "date": _date_ok(g, p),
            "location": _location_ok(g, p),
            "fatalities_exact": (p["fatalities"] or 0) == (g.get("fatalities") or 0),
        }


def _date_ok(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    accept = [gold["event_date"], *_as_list(gold.get("accept_dates"))]
    event_date = as_date(predicted["event_date"])
    return any(date_accepted(a, event_date, predicted["date_precision"]) for a in accept)


def _distance(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> float | None:
    return haversine_km(predicted.get("latitude"), predicted.get("longitude"),
                        gold.get("latitude"), gold.get("longitude"))


def location_names(location: str | None) -> list[str]:
    """ACLED writes a city's district as 'Kinshasa - Gombe': either part names the place."""
    if not location:
        return []
    return [location, *(part.strip() for part in location.split(" - ") if part.strip())]


def _location_ok(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    distance = _distance(gold, predicted)
    if distance is not None:
        return distance <= LOCATION_KM
    if names_match(location_names(gold.get("location")), [predicted["location"]]):
        return True
    # A village the gazetteer lacks keeps its name and is published at the position of the
    # place the text anchors it to ('Delmas 33' at Delmas): judge that position.
    inherited = haversine_km(predicted.get("position_latitude"), predicted.get("position_longitude"),
                             gold.get("latitude"), gold.get("longitude"))
    return inherited is not None and inherited <= LOCATION_KM


def _place_compatible(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    """Same place, near, or one inside the other (a village and its state)."""
    if not gold.get("location"):
        return True
    if _location_ok(gold, predicted):
        return True
    names = predicted.get("place_names") or []
    inside = names_match(location_names(gold["location"]), names)  # lies in the gold place
    around = gold.get("admin1") and names_match([gold["admin1"]], names[:1])
    return bool(inside or around)


def match_article(golds: Sequence[dict[str, Any]], predictions: Sequence[dict[str, Any]],
                  body: str, sentences: Sequence[tuple[int, int]]) -> list[IncidentMatch]:
    """One-to-one matching of gold and predicted incidents of one article (best pairs first)."""
    evidence = []
    for gold in golds:
        spans = [quote_span(body, q) for q in _as_list(gold.get("evidence"))]
        evidence.append([sentence_range(s, sentences) for s in spans if s])
    pairs = []
    for gi, gold in enumerate(golds):
        for pi, predicted in enumerate(predictions):
            span = (predicted["char_start"], predicted["char_end"])
            overlap = any(_overlaps(span, e) for e in evidence[gi])
            same_type = predicted["event_type"] == gold["event_type"]
            compatible = same_type and _place_compatible(gold, predicted) and _date_ok(gold, predicted)
            if not (overlap or compatible):
                continue
            distance = _distance(gold, predicted)
            rank = (predicted["sub_event_type"] == gold["sub_event_type"], same_type, overlap,
                    -(distance if distance is not None else 1e6))
            pairs.append((rank, gi, pi, overlap))
    pairs.sort(key=lambda p: p[0], reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matches: list[IncidentMatch] = []
    for _, gi, pi, overlap in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        matches.append(IncidentMatch(golds[gi], predictions[pi], overlap))
    matches += [IncidentMatch(g, None) for i, g in enumerate(golds) if i not in used_gold]
    matches += [IncidentMatch(None, p) for i, p in enumerate(predictions) if i not in used_pred]
    return matches


# --------------------------------------------------------------------------------------------
# Entities and must_not
# --------------------------------------------------------------------------------------------


@dataclass
class EntityCheck:
    kind: str  # places, actors, institutions, must_not
    label: str
    required: bool
    found: bool


def _entity_found(kind: str, item: Mapping[str, Any], rows: Sequence[dict[str, Any]]) -> bool:
    names = [item["name"], *_as_list(item.get("aliases")), *_as_list(item.get("surface"))]
    if item.get("acronym"):
        names.append(item["acronym"])
    for row in rows:
        if row["entity_table"] != kind:
            continue
        if not names_match(names, [row["name"], row["mention"], row.get("acronym"),
                                   *(row["aliases"] or [])]):
            continue
        distance = haversine_km(row["latitude"], row["longitude"], item.get("latitude"),
                                item.get("longitude"))
        if kind != "places" or distance is None or distance <= ENTITY_PLACE_KM:
            return True
    return False


def _must_not_present(item: Mapping[str, Any], rows: Sequence[dict[str, Any]],
                      predictions: Sequence[dict[str, Any]], body: str) -> bool:
    table = item.get("table")
    if table == "incidents":
        if item.get("evidence"):
            span = quote_span(body, item["evidence"])
            return span is not None and any(
                _overlaps(span, (p["char_start"], p["char_end"])) for p in predictions)
        location = item.get("location")
        for predicted in predictions:
            if location and names_match([location], [predicted["location"]]):
                distance = _distance(item, predicted)
                if distance is None or distance <= MUST_NOT_PLACE_KM:
                    return True
        return False
    for row in rows:
        if row["entity_table"] == table and fold(row["name"]) == fold(item.get("name")):
            distance = haversine_km(row["latitude"], row["longitude"], item.get("latitude"),
                                    item.get("longitude"))
            if table != "places" or distance is None or distance <= MUST_NOT_PLACE_KM:
                return True
    return False


# --------------------------------------------------------------------------------------------
# Scoring a set
# --------------------------------------------------------------------------------------------


@dataclass
class ArticleScore:
    gold: dict[str, Any]
    source_uri: str
    loaded: bool
    matches: list[IncidentMatch]
    entities: list[EntityCheck]
    entity_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DevScore:
    articles: list[ArticleScore]
    metrics: list[Metric]
    reliability: list[dict[str, Any]]


def score_devset(golds: Sequence[dict[str, Any]], tables: DevTables) -> DevScore:
    predictions = tables.predictions.to_dicts()
    by_article: dict[str, list[dict[str, Any]]] = {}
    for row in predictions:
        by_article.setdefault(row["source_uri"], []).append(row)
    entity_rows: dict[str, list[dict[str, Any]]] = {}
    for row in tables.entities.to_dicts():
        entity_rows.setdefault(row["source_uri"], []).append(row)
    sentence_spans: dict[str, list[tuple[int, int]]] = {}
    for uri, start, end in tables.sentences.iter_rows():
        sentence_spans.setdefault(uri, []).append((start, end))

    articles = []
    for gold in golds:
        uri = gold["file"]
        body = tables.bodies.get(uri, "")
        predicted = by_article.get(uri, [])
        matches = match_article(gold.get("incidents", []), predicted, body,
                                sentence_spans.get(uri, []))
        rows = entity_rows.get(uri, [])
        entities = [
            EntityCheck(kind, item["name"], bool(item.get("required")),
                        _entity_found(kind, item, rows))
            for kind in ("places", "actors", "institutions") for item in gold.get(kind, [])
        ]
        entities += [
            EntityCheck("must_not", _must_not_label(item), True,
                        _must_not_present(item, rows, predicted, body))
            for item in gold.get("must_not", [])
        ]
        articles.append(ArticleScore(gold, uri, uri in tables.bodies, matches, entities, rows))
    reliability, calibration_rows = calibration_metrics(calibration(articles))
    metrics = summarise(articles) + calibration_rows
    metrics += fusion_metrics(articles, tables.event_of)
    return DevScore(articles, metrics, reliability)


def _must_not_label(item: Mapping[str, Any]) -> str:
    what = item.get("name") or item.get("location") or (item.get("evidence") or "")[:60]
    return f"{item.get('table')}: {what}"


def correct(match: IncidentMatch) -> bool:
    """A predicted incident is right when it is a gold event with the right sub-event type."""
    return match.gold is not None and match.predicted is not None and \
        match.predicted["sub_event_type"] == match.gold["sub_event_type"]


def calibration(articles: Sequence[ArticleScore]) -> list[tuple[float, bool]]:
    """(confidence, right) for every predicted incident."""
    return [(m.predicted["confidence"] or 0.0, correct(m))
            for a in articles for m in a.matches if m.predicted is not None]


def calibration_metrics(points: Sequence[tuple[float, bool]], description: str = ""
                        ) -> tuple[list[dict[str, Any]], list[Metric]]:
    """The reliability table, the expected calibration error and its noise floor: what ECE a
    perfectly calibrated confidence would show on this many incidents. On a set of a hundred
    incidents that floor is near 0.08, so an ECE above the 0.05 target there says little; the
    95th percentile says when an ECE is more than chance."""
    table, ece = reliability_table(points)
    if ece is None:
        return table, []
    floor, floor_high = ece_noise_floor([confidence for confidence, _ in points])
    return table, [
        Metric("ece", ece, 1, DEVSET_TARGETS["ece"],
               "expected calibration error of confidence (10 bins)" + description),
        Metric("ece_noise_floor", floor, 1, None,
               "mean ECE of a perfectly calibrated confidence on as many incidents "
               f"({NOISE_DRAWS} draws)"),
        Metric("ece_noise_floor_p95", floor_high, 1, None,
               "95th percentile of that ECE: above it, miscalibration is more than chance"),
    ]


def ece_noise_floor(confidences: Sequence[float], draws: int = 0, seed: int = 0
                    ) -> tuple[float, float]:
    """Mean and 95th percentile of the ECE of `confidences` when each incident is right with
    exactly its confidence (outcomes drawn `draws` times with a fixed seed)."""
    import numpy as np

    draws = draws or NOISE_DRAWS
    confidence = np.asarray(confidences, dtype=float)
    outcomes = np.random.default_rng(seed).random((draws, confidence.size)) < confidence
    bins = np.minimum((confidence * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    errors = np.zeros(draws)
    for index in np.unique(bins):
        members = bins == index
        accuracy = outcomes[:, members].mean(axis=1)
        errors += members.sum() / confidence.size * np.abs(confidence[members].mean() - accuracy)
    return round(float(errors.mean()), 4), round(float(np.percentile(errors, 95)), 4)


def reliability_table(points: Sequence[tuple[float, bool]]
                      ) -> tuple[list[dict[str, Any]], float | None]:
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(CALIBRATION_BINS)]
    for confidence, is_correct in points:
        index = min(int(confidence * CALIBRATION_BINS), CALIBRATION_BINS - 1)
        bins[index].append((confidence, is_correct))
    table, error = [], 0.0
    for index, members in enumerate(bins):
        if not members:
            continue
        mean_confidence = sum(c for c, _ in members) / len(members)
        accuracy = sum(ok for _, ok in members) / len(members)
        error += len(members) / len(points) * abs(mean_confidence - accuracy)
        table.append({"bin": f"{index / CALIBRATION_BINS:.1f}-{(index + 1) / CALIBRATION_BINS:.1f}",
                      "n": len(members), "mean_confidence": round(mean_confidence, 3),
                      "accuracy": round(accuracy, 3)})
    return table, (round(error, 4) if points else None)


def summarise(articles: Sequence[ArticleScore]) -> list[Metric]:
    matches = [m for a in articles for m in a.matches]
    required = [m for m in matches if m.gold is not None and m.gold.get("required")]
    predicted = [m for m in matches if m.predicted is not None]
    matched = [m for m in matches if m.gold is not None and m.predicted is not None]
    metrics = [
        Metric("recall", sum(m.predicted is not None for m in required), len(required),
               DEVSET_TARGETS["recall"], "required gold incidents matched"),
        Metric("precision", sum(m.gold is not None for m in predicted), len(predicted),
               DEVSET_TARGETS["precision"], "predicted incidents that are gold incidents"),
    ]
    for check in ("event_type", "sub_event_type", "date", "location", "fatalities_exact"):
        metrics.append(Metric(check, sum(m.checks[check] for m in matched), len(matched),
                              DEVSET_TARGETS.get(check), f"{check} right among matched"))
    entities = [e for a in articles for e in a.entities if e.kind != "must_not" and e.required]
    violations = [e for a in articles for e in a.entities if e.kind == "must_not"]
    metrics += [
        Metric("entity_recall", sum(e.found for e in entities), len(entities),
               DEVSET_TARGETS["entity_recall"], "required places, actors, institutions found"),
        Metric("must_not_violations", sum(e.found for e in violations), len(violations),
               None, "must_not items present (errors; target 0)"),
        Metric("incidents_per_article", len(predicted), len(articles), None,
               "predicted incidents per article"),
        Metric("articles_loaded", sum(a.loaded for a in articles), len(articles), None,
               "gold articles present in the warehouse"),
    ]
    return metrics


def fusion_metrics(articles: Sequence[ArticleScore], event_of: Mapping[str, str]) -> list[Metric]:
    """Pairwise precision and recall of fusion over matched incidents of different articles."""
    keyed = [(a.source_uri, m.gold["event_key"], m.predicted["incident_id"])
             for a in articles for m in a.matches
             if m.gold is not None and m.predicted is not None and m.gold.get("event_key")]
    if not keyed or not event_of:
        return []
    true_positive = predicted_pairs = gold_pairs = 0
    for (uri1, key1, inc1), (uri2, key2, inc2) in combinations(keyed, 2):
        if uri1 == uri2:
            continue
        same_gold = key1 == key2
        same_predicted = event_of.get(inc1) is not None and event_of.get(inc1) == event_of.get(inc2)
        gold_pairs += same_gold
        predicted_pairs += same_predicted
        true_positive += same_gold and same_predicted
    return [
        Metric("fusion_pair_precision", true_positive, predicted_pairs,
               DEVSET_TARGETS["fusion_pair_precision"], "fused pairs that report one event"),
        Metric("fusion_pair_recall", true_positive, gold_pairs,
               DEVSET_TARGETS["fusion_pair_recall"], "pairs reporting one event that were fused"),
    ]


def calibration_points(articles: Iterable[ArticleScore]) -> list[dict[str, Any]]:
    """Every predicted incident with its confidence and whether it was right (for fitting)."""
    return [{"incident_id": m.predicted["incident_id"], "confidence": m.predicted["confidence"],
             "correct": correct(m)}
            for a in articles for m in a.matches if m.predicted is not None]


# --------------------------------------------------------------------------------------------
# misses.md
# --------------------------------------------------------------------------------------------


def _describe(incident: Mapping[str, Any] | None, gold: bool) -> str:
    if incident is None:
        return "-"
    if gold:
        return (f"{incident['event_type']} / {incident['sub_event_type']}, {incident['event_date']}, "
                f"{incident.get('location')}, fatalities {incident.get('fatalities')}")
    return (f"{incident['event_type']} / {incident['sub_event_type']}, {incident['event_date']} "
            f"({incident['date_precision']}), {incident['location']}, fatalities "
            f"{incident['fatalities']}, confidence {incident['confidence']}")


def devset_misses(score: DevScore, title: str) -> str:
    lines = [f"# Misses: {title}", ""]
    for article in score.articles:
        problems = []
        for match in article.matches:
            if match.predicted is None and match.gold.get("required"):
                problems.append(f"- MISSED: {_describe(match.gold, True)}\n"
                                f"  > {_as_list(match.gold.get('evidence'))[:1]}")
            elif match.gold is None:
                text = (match.predicted["summary"] or "")[:240].replace("\n", " ")
                problems.append(f"- EXTRA: {_describe(match.predicted, False)}\n  > {text}")
            elif match.predicted is not None:
                wrong = [k for k, ok in match.checks.items() if not ok]
                if wrong:
                    problems.append(f"- WRONG {', '.join(wrong)}: gold {_describe(match.gold, True)}"
                                    f"\n  predicted {_describe(match.predicted, False)}")
        for entity in article.entities:
            if entity.kind == "must_not" and entity.found:
                problems.append(f"- MUST NOT: {entity.label}")
            elif entity.kind != "must_not" and entity.required and not entity.found:
                problems.append(f"- ENTITY NOT FOUND: {entity.kind}: {entity.label}")
        if not article.loaded:
            problems.insert(0, "- ARTICLE NOT LOADED")
        if problems:
            places = sorted({f"{r['name']} ({r['mention']})" for r in article.entity_rows
                             if r["entity_table"] == "places"})
            lines += [f"## {article.source_uri}", "", *problems,
                      f"- places found: {'; '.join(places)}", ""]
    return "\n".join(lines)
