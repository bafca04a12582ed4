"""Scoring a warehouse against the evaluation gold (see docs/evaluation.md).

Two gold sets:

- ACLED reports (`acled-haiti-2024/gold.jsonl`): one gold incident per report; the best matching
  predicted incident of the report's article is scored on type, date, place, fatalities and
  actors (`score_acled`).
- The seed article (`seed/gold.json`): required/optional incidents, places, actors and
  institutions, and `must_not` items that count as errors (`score_seed`).

Everything here is a plain function of values or Polars frames. The `load_*` helpers only read
an open (read-only) DuckDB connection. Name matching uses its own folding on purpose, so that the
scorer does not share a bug with the extractor it measures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from unidecode import unidecode

from pipelines.geo import haversine_km  # noqa: F401  (scorers import it from here)

# --------------------------------------------------------------------------------------------
# Targets and metric values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A threshold a metric must meet: `value >= threshold` or `value <= threshold`."""

    op: str  # ">=" or "<="
    threshold: float

    def passes(self, value: float | None) -> bool:
        if value is None:
            return False
        return value >= self.threshold if self.op == ">=" else value <= self.threshold

    def __str__(self) -> str:
        return f"{'≥' if self.op == '>=' else '≤'} {self.threshold:g}"


ACLED_TARGETS: dict[str, Target] = {
    "event_type": Target(">=", 0.85),
    "sub_event_type": Target(">=", 0.75),
    "date": Target(">=", 0.95),
    "loc25": Target(">=", 0.90),
    "loc5": Target(">=", 0.60),
    "admin1": Target(">=", 0.90),
    "killed_or_not": Target(">=", 0.90),
    "fatalities_exact": Target(">=", 0.75),
    "actor1_category": Target(">=", 0.80),
    "named_groups": Target(">=", 0.80),
    "incidents_per_report": Target("<=", 1.5),
}

# Per-report checks, in the order they are printed (named_groups is counted per group).
ACLED_CHECKS = (
    "event_type", "sub_event_type", "date", "loc25", "loc5", "admin1",
    "killed_or_not", "fatalities_exact", "actor1_category",
)

METRIC_DESCRIPTIONS: dict[str, str] = {
    "event_type": "event_type equals gold",
    "sub_event_type": "sub_event_type equals gold",
    "date": "gold date inside the predicted date's precision window",
    "loc25": "predicted place within 25 km of gold coordinates",
    "loc5": "predicted place within 5 km of gold coordinates",
    "admin1": "admin1 equal (case, accents, apostrophes folded)",
    "killed_or_not": "fatalities > 0 agrees with gold (NULL = 0)",
    "fatalities_exact": "fatalities equal gold (NULL = 0)",
    "actor1_category": "an actor1 participant has gold actor1's category class",
    "named_groups": "named gold armed group among the incident's participants",
    "incidents_per_report": "predicted incidents per report (mean)",
}


@dataclass(frozen=True)
class Metric:
    """One figure: `numerator / denominator`, with its target if it has one."""

    name: str
    numerator: float
    denominator: int
    target: Target | None = None
    description: str = ""

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def passed(self) -> bool | None:
        """PASS/FAIL against the target; None without a target or without anything to count."""
        if self.target is None or not self.denominator:
            return None
        return self.target.passes(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else round(self.value, 4),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": None if self.target is None else f"{self.target.op} {self.target.threshold}",
            "pass": self.passed,
            "description": self.description,
        }


# --------------------------------------------------------------------------------------------
# Text, distance and date helpers
# --------------------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENTHESISED = re.compile(r"\([^)]*\)")


def fold(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces: "Gonaïves" -> 'gonaives'."""
    if not text:
        return ""
    return _NON_ALNUM.sub(" ", unidecode(text).lower()).strip()


def as_date(value: date | str | None) -> date | None:
    """A `date` from a date or an ISO 'YYYY-MM-DD' string."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def date_window(event_date: date, precision: str | None) -> tuple[date, date]:
    """First and last day the predicted date can mean, given its precision.

    day: the day; week: the ISO week of the date together with the 7 days starting on it
    (Monday of that week .. date + 6); month and 'unknown' (ACLED time_precision 3): the
    calendar month; year: the calendar year.
    """
    if precision == "day":
        return event_date, event_date
    if precision == "week":
        return event_date - timedelta(days=event_date.weekday()), event_date + timedelta(days=6)
    if precision == "year":
        return date(event_date.year, 1, 1), date(event_date.year, 12, 31)
    first = event_date.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return first, next_month - timedelta(days=1)


def date_matches(
    gold: date | str | None, predicted: date | str | None, precision: str | None
) -> bool:
    """Whether the gold date lies inside the predicted date's precision window."""
    gold_day, predicted_day = as_date(gold), as_date(predicted)
    if gold_day is None or predicted_day is None:
        return False
    first, last = date_window(predicted_day, precision)
    return first <= gold_day <= last


_ADMIN_NOISE = {"departement", "department", "dept", "de", "du", "des", "l", "la", "le"}


def admin1_key(name: str | None) -> str:
    """Comparable key for a first-level division name.

    Case, accents and punctuation are folded, 'Département de l'…' is dropped, and a final 'e' of
    every word is dropped, so "Grand'Anse", 'Grande-Anse' and 'Grande Anse' all agree.
    """
    words = [w for w in fold(name).split() if w not in _ADMIN_NOISE]
    return " ".join(w[:-1] if len(w) > 2 and w.endswith("e") else w for w in words)


def admin1_equal(a: str | None, b: str | None) -> bool:
    key = admin1_key(a)
    return bool(key) and key == admin1_key(b)


# --------------------------------------------------------------------------------------------
# Actor categories and named groups
# --------------------------------------------------------------------------------------------

ARMED_GROUP_CATEGORIES = {"political_militia", "identity_militia", "rebel_group"}
_IDENTITY_MILITIA_WORDS = (
    "vigilante", "self defense", "self defence", "bwa kale", "communal militia", "brigade",
)
_GENERIC_GROUP_PREFIXES = (
    "unidentified", "police forces", "military forces", "civilians", "protesters", "rioters",
    "militia ", "government of",
)


def gold_actor_category(name: str | None) -> str | None:
    """Category of an ACLED actor name: 'Police Forces of Haiti (2024-)' -> 'state_forces'.

    Haiti's police, military and government are state forces; other countries' forces and the
    multinational mission are external forces; gangs, unidentified armed groups and other
    militias are political militias; vigilante / self-defence / communal groups are identity
    militias; 'Civilians (…)', 'Protesters (…)', 'Rioters (…)' are what they say; else 'other'.
    """
    if not name:
        return None
    n = fold(name)
    if n.startswith(("police forces of haiti", "military forces of haiti", "government of haiti")):
        return "state_forces"
    if (
        n.startswith(("police forces of", "military forces of", "mss "))
        or "multinational" in n
        or "kenya" in n.split()
        or "kenyan" in n.split()
    ):
        return "external_forces"
    for prefix in ("civilians", "protesters", "rioters"):
        if n.startswith(prefix):
            return prefix
    if any(word in n for word in _IDENTITY_MILITIA_WORDS):
        return "identity_militia"
    words = set(n.split())
    if words & {"gang", "gangs", "militia"} or "armed group" in n or "viv ansanm" in n:
        return "political_militia"
    return "other"


def coarse_class(category: str | None) -> str | None:
    """Category class used to compare actors: the three kinds of armed group are one class."""
    if category is None:
        return None
    return "armed_group" if category in ARMED_GROUP_CATEGORIES else category


def is_named_group(name: str | None) -> bool:
    """Whether an ACLED actor name is a named armed group (not 'Unidentified…', not forces)."""
    if not name:
        return False
    return coarse_class(gold_actor_category(name)) == "armed_group" and not fold(name).startswith(
        _GENERIC_GROUP_PREFIXES
    )


def normalise_group_name(name: str) -> str:
    """'Kraze Barye Gang' -> 'kraze barye'; '(2024-)'-style suffixes and the word 'gang' go."""
    without_brackets = _PARENTHESISED.sub(" ", unidecode(name))
    words = fold(without_brackets.replace("Communal Militia", " ")).split()
    return " ".join(w for w in words if w not in {"gang", "gangs"})


def group_token_sets(name: str) -> list[frozenset[str]]:
    """Word sets of a normalised group name, with hyphens/apostrophes splitting and joining.

    'G-9 Gang' -> [{'g', '9'}, {'g9'}]; both spellings are tried when matching.
    """
    base = _PARENTHESISED.sub(" ", unidecode(name))
    joined = re.sub(r"(?<=\w)['’\-](?=\w)", "", base)
    variants = {frozenset(normalise_group_name(text).split()) for text in (base, joined)}
    return [v for v in variants if v]


def group_found(gold_name: str, candidate_names: Iterable[str]) -> bool:
    """Whether a named gold group is among candidate names (token containment either way)."""
    gold_sets = group_token_sets(gold_name)
    for candidate in candidate_names:
        if not candidate:
            continue
        for cand in group_token_sets(candidate):
            if any(g <= cand or cand <= g for g in gold_sets):
                return True
    return False


# --------------------------------------------------------------------------------------------
# ACLED scoring
# --------------------------------------------------------------------------------------------

GOLD_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.String, "event_date": pl.Date, "event_type": pl.String,
    "sub_event_type": pl.String, "actor1": pl.String, "actor2": pl.String, "admin1": pl.String,
    "admin2": pl.String, "location": pl.String, "latitude": pl.Float64,
    "longitude": pl.Float64, "fatalities": pl.Int64,
}


def read_acled_gold(path: Path, report_ids: Iterable[str] | None = None) -> pl.DataFrame:
    """Gold incidents of `gold.jsonl` (one per report), optionally only for `report_ids`."""
    wanted = None if report_ids is None else set(report_ids)
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if wanted is not None and record["id"] not in wanted:
                continue
            for incident in record["incidents"]:
                row = {name: incident.get(name) for name in GOLD_SCHEMA if name != "report_id"}
                row["report_id"] = record["id"]
                row["event_date"] = as_date(row["event_date"])
                rows.append(row)
    return pl.DataFrame(rows, schema=GOLD_SCHEMA)


def shared_text_articles(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Report id -> id of the report whose article holds the same text.

    The pipeline keeps one article per distinct text, the first by sorted source_uri
    (`articles.jsonl#<id>`), so reports sharing a text are scored against the article of the
    smallest id among them.
    """
    ids_by_text: dict[str, list[str]] = {}
    for record in records:
        text = " ".join(str(record.get("text", "")).split())
        ids_by_text.setdefault(text, []).append(record["id"])
    return {report: min(ids) for ids in ids_by_text.values() for report in ids}


def select_best(gold: pl.DataFrame, predictions: pl.DataFrame) -> pl.DataFrame:
    """The predicted incident that best matches each report's gold.

    `gold` has `report_id`, `event_type`, `sub_event_type` and optionally `article_ref` (the
    article external_id holding the report's text; default: the report id); `predictions` has
    `external_id`, `incident_id`, `event_type`, `sub_event_type`, `confidence`. Preference: same
    sub-event type, then same event type, then the highest confidence (then incident_id, so the
    choice is stable). Returns the prediction columns plus `report_id`, one row per report that
    has at least one prediction.
    """
    if "article_ref" not in gold.columns:
        gold = gold.with_columns(pl.col("report_id").alias("article_ref"))
    keys = gold.select(
        "report_id",
        "article_ref",
        pl.col("event_type").alias("_gold_event_type"),
        pl.col("sub_event_type").alias("_gold_sub_event_type"),
    )
    candidates = keys.join(predictions, left_on="article_ref", right_on="external_id", how="inner")
    ranked = candidates.with_columns(
        (pl.col("sub_event_type") == pl.col("_gold_sub_event_type")).fill_null(False).alias("_sub"),
        (pl.col("event_type") == pl.col("_gold_event_type")).fill_null(False).alias("_type"),
        pl.col("confidence").fill_null(-1.0).alias("_confidence"),
    ).sort(
        ["report_id", "_sub", "_type", "_confidence", "incident_id"],
        descending=[False, True, True, True, False],
    )
    best = ranked.unique(subset="report_id", keep="first", maintain_order=True)
    return best.drop("_gold_event_type", "_gold_sub_event_type", "_sub", "_type", "_confidence")


def participant_names(participants: Sequence[Mapping[str, Any]]) -> list[str]:
    """Names and aliases (and acronyms) of an incident's participants."""
    names: list[str] = []
    for participant in participants:
        names.append(participant.get("name") or "")
        names.extend(participant.get("aliases") or [])
        if participant.get("acronym"):
            names.append(participant["acronym"])
    return [n for n in names if n]


def score_incident(
    gold: Mapping[str, Any],
    predicted: Mapping[str, Any] | None,
    participants: Sequence[Mapping[str, Any]] = (),
) -> tuple[dict[str, bool], list[tuple[str, bool]]]:
    """Checks of one predicted incident against one gold incident.

    Returns `{check: passed}` for every name in `ACLED_CHECKS` and `[(gold group, found)]` for
    each named armed group among gold actor1/actor2. A missing prediction fails everything.
    `participants` are the predicted incident's participants (`role`, `name`, `aliases`,
    `category`).
    """
    groups = [
        name for name in (gold.get("actor1"), gold.get("actor2")) if name and is_named_group(name)
    ]
    if predicted is None:
        return dict.fromkeys(ACLED_CHECKS, False), [(name, False) for name in groups]

    distance = haversine_km(
        predicted.get("latitude"), predicted.get("longitude"),
        gold.get("latitude"), gold.get("longitude"),
    )
    gold_fatalities = gold.get("fatalities") or 0
    predicted_fatalities = predicted.get("fatalities") or 0
    gold_class = coarse_class(gold_actor_category(gold.get("actor1")))
    actor1_classes = {
        coarse_class(p.get("category")) for p in participants if p.get("role") == "actor1"
    }
    checks = {
        "event_type": predicted.get("event_type") == gold.get("event_type"),
        "sub_event_type": predicted.get("sub_event_type") == gold.get("sub_event_type"),
        "date": date_matches(
            gold.get("event_date"), predicted.get("event_date"), predicted.get("date_precision")
        ),
        "loc25": distance is not None and distance <= 25.0,
        "loc5": distance is not None and distance <= 5.0,
        "admin1": admin1_equal(predicted.get("admin1"), gold.get("admin1")),
        "killed_or_not": (predicted_fatalities > 0) == (gold_fatalities > 0),
        "fatalities_exact": predicted_fatalities == gold_fatalities,
        "actor1_category": gold_class is not None and gold_class in actor1_classes,
    }
    names = participant_names(participants)
    return checks, [(name, group_found(name, names)) for name in groups]


@dataclass
class ReportScore:
    """The outcome for one gold report."""

    report_id: str
    gold: dict[str, Any]
    predicted: dict[str, Any] | None
    participants: list[dict[str, Any]]
    n_predictions: int
    checks: dict[str, bool]
    groups: list[tuple[str, bool]]


@dataclass
class AcledScore:
    """All metrics of an ACLED run plus the per-report outcomes (for misses.md)."""

    metrics: list[Metric]
    reports: list[ReportScore]
    stats: dict[str, Any] = field(default_factory=dict)

    def metric(self, name: str) -> Metric:
        return next(m for m in self.metrics if m.name == name)


def score_acled(
    gold: pl.DataFrame,
    predictions: pl.DataFrame,
    participants: pl.DataFrame,
    article_refs: Mapping[str, str] | None = None,
) -> AcledScore:
    """Score predictions against ACLED gold.

    `gold`: `read_acled_gold` frame. `predictions`: one row per predicted incident with
    `external_id` (the article's report id), `incident_id`, `event_date`, `date_precision`,
    `event_type`, `sub_event_type`, `admin1`, `latitude`, `longitude`, `fatalities`,
    `confidence` (more columns are kept for the misses file). `participants`: `incident_id`,
    `role`, `name`, `aliases`, `category`. `article_refs`: report id -> external_id of the
    article holding its text (see `shared_text_articles`); default: the report id itself.
    """
    refs = dict(article_refs or {})
    gold = gold.with_columns(
        pl.Series("article_ref", [refs.get(r, r) for r in gold["report_id"]], dtype=pl.String)
    )
    counts = dict(
        predictions.group_by("external_id").len().iter_rows()
    ) if predictions.height else {}
    best = {row["report_id"]: row for row in select_best(gold, predictions).iter_rows(named=True)}
    gold_sub = dict(gold.select("report_id", "sub_event_type").iter_rows())
    by_incident: dict[str, list[dict[str, Any]]] = {}
    for row in participants.iter_rows(named=True):
        by_incident.setdefault(row["incident_id"], []).append(row)

    reports: list[ReportScore] = []
    for row in gold.iter_rows(named=True):
        predicted = best.get(row["report_id"])
        people = by_incident.get(predicted["incident_id"], []) if predicted else []
        checks, groups = score_incident(row, predicted, people)
        reports.append(
            ReportScore(
                report_id=row["report_id"], gold=row, predicted=predicted, participants=people,
                n_predictions=counts.get(row["article_ref"], 0), checks=checks, groups=groups,
            )
        )
    score = AcledScore(metrics=summarise_acled(reports), reports=reports, stats=_stats(reports))
    right = {row["incident_id"] for report_id, row in best.items()
             if row["sub_event_type"] == gold_sub.get(report_id)}
    points = [(c if c is not None else 0.0, incident_id in right)
              for incident_id, c in predictions.select("incident_id", "confidence").iter_rows()]
    if points:
        from pipelines.evaluation.devset import calibration_metrics

        table, metrics = calibration_metrics(points, ": an incident is right when it is its "
                                             "report's event with the right sub-event type")
        score.stats["reliability"] = table
        score.metrics += metrics
    return score


def summarise_acled(reports: Sequence[ReportScore]) -> list[Metric]:
    """Metrics (share of gold incidents) from per-report outcomes."""
    n = len(reports)
    metrics = [
        Metric(
            name, sum(r.checks[name] for r in reports), n, ACLED_TARGETS[name],
            METRIC_DESCRIPTIONS[name],
        )
        for name in ACLED_CHECKS
    ]
    group_outcomes = [found for r in reports for _, found in r.groups]
    metrics.append(
        Metric(
            "named_groups", sum(group_outcomes), len(group_outcomes),
            ACLED_TARGETS["named_groups"], METRIC_DESCRIPTIONS["named_groups"],
        )
    )
    metrics.append(
        Metric(
            "incidents_per_report", sum(r.n_predictions for r in reports), n,
            ACLED_TARGETS["incidents_per_report"], METRIC_DESCRIPTIONS["incidents_per_report"],
        )
    )
    return metrics


def _stats(reports: Sequence[ReportScore]) -> dict[str, Any]:
    n = len(reports)
    with_incident = sum(r.n_predictions > 0 for r in reports)
    return {
        "reports": n,
        "predicted_incidents": sum(r.n_predictions for r in reports),
        "reports_with_incident": with_incident,
        "share_with_incident": round(with_incident / n, 4) if n else None,
        "reports_sharing_an_article": sum(
            r.gold.get("article_ref", r.report_id) != r.report_id for r in reports
        ),
    }


# --------------------------------------------------------------------------------------------
# Reading the warehouse
# --------------------------------------------------------------------------------------------

_EVIDENCE_SQL = """
    coalesce(
        (SELECT string_agg(s.text, ' ' ORDER BY s.sentence_index)
         FROM main.sentences AS s
         WHERE s.article_id = i.article_id
           AND s.char_start < i.char_end AND s.char_end > i.char_start),
        substr(a.body, i.char_start + 1, i.char_end - i.char_start)
    )
"""

PREDICTIONS_SQL = f"""
SELECT
    a.external_id, i.incident_id, i.article_id, i.event_date, i.date_precision,
    i.event_type, i.sub_event_type, e.location, e.admin1, e.admin2, e.latitude, e.longitude,
    i.geo_precision, i.fatalities, i.confidence, i.char_start, i.char_end,
    e.actor1, e.actor2, e.assoc_actor_1, i.summary,
    {_EVIDENCE_SQL} AS evidence
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.acled_incidents AS e ON e.event_id = i.incident_id
ORDER BY a.external_id, i.incident_id
"""

PARTICIPANTS_SQL = """
SELECT ia.incident_id, ia.role, 'actors' AS entity_table, a.name, a.aliases,
       CAST(NULL AS VARCHAR) AS acronym, a.category, a.actor_kind AS kind
FROM main.incident_actors AS ia JOIN main.actors AS a USING (actor_id)
UNION ALL
SELECT ii.incident_id, ii.role, 'institutions', i.name, i.aliases,
       i.acronym, i.category, i.institution_kind
FROM main.incident_institutions AS ii JOIN main.institutions AS i USING (institution_id)
ORDER BY incident_id, role, name
"""


def query_frame(conn: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    """Result of a query as a Polars frame (DuckDB 2: `.pl()` lives on relations)."""
    return conn.sql(sql).pl()


def load_predictions(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every incident with its article's external_id, ACLED-view place and evidence text."""
    return query_frame(conn, PREDICTIONS_SQL)


def load_participants(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Actors and institutions of every incident with their role, aliases and category."""
    return query_frame(conn, PARTICIPANTS_SQL)


def load_article_bodies(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """external_id -> cleaned body, for reports without any incident."""
    return dict(conn.execute("SELECT external_id, body FROM main.articles").fetchall())


# --------------------------------------------------------------------------------------------
# Seed scoring
# --------------------------------------------------------------------------------------------


@dataclass
class SeedItem:
    """One gold item of the seed: found or not (for must_not: present = an error)."""

    kind: str  # 'incident', 'place', 'actor', 'institution', 'must_not'
    label: str
    required: bool
    found: bool
    detail: str
    gold: dict[str, Any]
    candidates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SeedScore:
    items: list[SeedItem]
    metrics: list[Metric]

    @property
    def passed(self) -> bool:
        return all(m.passed is not False for m in self.metrics)


@dataclass
class SeedTables:
    """What the seed scorer reads from the warehouse (Polars frames)."""

    incidents: pl.DataFrame  # incident columns + place name/lat/lon/country + evidence + actors
    places: pl.DataFrame  # places columns + mention_texts (list of mention texts)
    actors: pl.DataFrame
    institutions: pl.DataFrame


SEED_INCIDENTS_SQL = f"""
SELECT i.incident_id, i.event_date, i.date_precision, i.event_type, i.sub_event_type,
       i.fatalities, i.confidence, p.name AS location, p.admin1, p.country_iso3,
       e.latitude, e.longitude, e.actor1, e.actor2, {_EVIDENCE_SQL} AS evidence
FROM main.incidents AS i
JOIN main.articles AS a USING (article_id)
LEFT JOIN main.places AS p USING (place_id)
LEFT JOIN main.acled_incidents AS e ON e.event_id = i.incident_id
ORDER BY i.incident_id
"""

SEED_PLACES_SQL = """
SELECT p.place_id, p.name, p.place_kind, p.country_iso3, p.admin1, p.latitude, p.longitude,
       coalesce(list(DISTINCT m.text) FILTER (WHERE m.text IS NOT NULL), []) AS mention_texts
FROM main.places AS p
LEFT JOIN main.mentions AS m ON m.entity_table = 'places' AND m.entity_id = p.place_id
GROUP BY ALL
ORDER BY p.place_id
"""


def load_seed_tables(conn: duckdb.DuckDBPyConnection) -> SeedTables:
    return SeedTables(
        incidents=query_frame(conn, SEED_INCIDENTS_SQL),
        places=query_frame(conn, SEED_PLACES_SQL),
        actors=query_frame(
            conn, "SELECT actor_id, name, aliases, actor_kind, category FROM main.actors ORDER BY 1"
        ),
        institutions=query_frame(
            conn,
            "SELECT institution_id, name, acronym, aliases, institution_kind, category "
            "FROM main.institutions ORDER BY 1",
        ),
    )


def date_accepted(accept: str, predicted: date | None, precision: str | None) -> bool:
    """Whether a predicted date satisfies one `accept_dates` entry of the seed gold.

    'YYYY-MM-DD': the predicted (day or week precision) window contains that day.
    'YYYY-MM': the predicted date lies in that month, at day, week or month precision.
    """
    if predicted is None:
        return False
    if len(accept) == 7:
        year, month = (int(part) for part in accept.split("-"))
        in_month = (predicted.year, predicted.month) == (year, month)
        return in_month and precision in {"day", "week", "month"}
    return precision in {"day", "week"} and date_matches(accept, predicted, precision)


def names_match(gold_names: Iterable[str | None], row_names: Iterable[str | None]) -> bool:
    """Whether any folded gold name equals any folded row name."""
    wanted = {fold(n) for n in gold_names if n} - {""}
    return any(fold(n) in wanted for n in row_names if n)


def _gold_coordinates(item: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = item.get("latitude"), item.get("longitude")
    return (lat, lon) if lat is not None and lon is not None else None


def _seed_incident(gold: Mapping[str, Any], incidents: pl.DataFrame) -> SeedItem:
    accept = list(gold.get("accept_dates") or [gold["event_date"]])
    coords = _gold_coordinates(gold)
    found_row, same_type, others = None, [], []
    for row in incidents.iter_rows(named=True):
        distance = (
            None if coords is None
            else haversine_km(row["latitude"], row["longitude"], coords[0], coords[1])
        )
        row = {**row, "distance_km": None if distance is None else round(distance, 2)}
        if row["event_type"] != gold["event_type"]:
            others.append(row)
            continue
        same_type.append(row)
        ok = (
            row["sub_event_type"] == gold["sub_event_type"]
            and any(date_accepted(a, row["event_date"], row["date_precision"]) for a in accept)
            and (coords is None or (distance is not None and distance <= 25.0))
        )
        if ok and found_row is None:
            found_row = row
    label = f"{gold['event_type']} / {gold['sub_event_type']} {gold['event_date']}"
    if gold.get("location"):
        label += f" at {gold['location']}"
    if found_row:
        detail = f"{found_row['incident_id']} ({found_row['event_date']}, {found_row['location']})"
        candidates = []
    elif same_type:
        detail = f"{len(same_type)} incident(s) of the same event type, none matched"
        candidates = same_type
    else:
        detail = f"no incident of that event type ({len(others)} other incident(s))"
        candidates = others
    return SeedItem(
        "incident", label, bool(gold.get("required")), found_row is not None, detail, dict(gold),
        candidates=candidates,
    )


def _seed_place(gold: Mapping[str, Any], places: pl.DataFrame) -> SeedItem:
    gold_names = [gold["name"], *(gold.get("surface") or [])]
    coords = _gold_coordinates(gold)
    found_row, candidates = None, []
    for row in places.iter_rows(named=True):
        if not names_match(gold_names, [row["name"], *(row["mention_texts"] or [])]):
            continue
        distance = (
            None if coords is None
            else haversine_km(row["latitude"], row["longitude"], coords[0], coords[1])
        )
        row = {**row, "distance_km": None if distance is None else round(distance, 2)}
        candidates.append(row)
        ok = coords is None or (
            distance is not None and distance <= 5.0
            and row["country_iso3"] == gold.get("country_iso3")
        )
        if ok and found_row is None:
            found_row = row
    if found_row:
        detail = f"{found_row['name']} ({found_row['place_id']})"
    elif candidates:
        detail = "name found, but not within 5 km / same country"
    else:
        detail = "no place with that name or surface form"
    return SeedItem(
        "place", gold["name"], bool(gold.get("required")), found_row is not None, detail,
        dict(gold), candidates=[] if found_row else candidates,
    )


def _seed_entity(kind: str, gold: Mapping[str, Any], table: pl.DataFrame) -> SeedItem:
    gold_names = [gold["name"], *(gold.get("aliases") or [])]
    if kind == "institution" and gold.get("acronym"):
        gold_names.append(gold["acronym"])
    found_row = None
    for row in table.iter_rows(named=True):
        row_names = [row["name"], *(row["aliases"] or [])]
        if kind == "institution":
            row_names.append(row.get("acronym"))
        if names_match(gold_names, row_names):
            found_row = row
            break
    candidates = [] if found_row else _similar_rows(gold["name"], table)
    detail = found_row["name"] if found_row else "not found"
    return SeedItem(
        kind, gold["name"], bool(gold.get("required")), found_row is not None, detail, dict(gold),
        candidates=candidates,
    )


def _similar_rows(name: str, table: pl.DataFrame, limit: int = 5) -> list[dict[str, Any]]:
    """Rows sharing a word of 4+ letters with `name` (to show near misses)."""
    words = {w for w in fold(name).split() if len(w) >= 4}
    similar = [
        row for row in table.iter_rows(named=True)
        if words & set(fold(" ".join([row["name"], *(row.get("aliases") or [])])).split())
    ]
    return similar[:limit]


def _seed_must_not(item: Mapping[str, Any], tables: SeedTables) -> SeedItem:
    table = {"places": tables.places, "actors": tables.actors,
             "institutions": tables.institutions}[item["table"]]
    coords = _gold_coordinates(item)
    offending = []
    for row in table.iter_rows(named=True):
        if fold(row["name"]) != fold(item["name"]):
            continue
        if item["table"] == "places" and coords is not None:
            distance = haversine_km(row["latitude"], row["longitude"], coords[0], coords[1])
            if distance is None or distance > 2.0:
                continue
        offending.append(row)
    detail = f"present in {item['table']} ({len(offending)} row(s))" if offending else "absent"
    return SeedItem(
        "must_not", f"{item['table']}: {item['name']}", True, bool(offending), detail, dict(item),
        candidates=offending,
    )


SEED_KINDS = (("incidents", "incident"), ("places", "place"), ("actors", "actor"),
              ("institutions", "institution"))


def score_seed(gold: Mapping[str, Any], tables: SeedTables) -> SeedScore:
    """Found / not found for every seed gold item, plus summary metrics.

    Metrics: required items found per kind (target: all), optional items found (no target),
    and must_not violations (target: none).
    """
    items: list[SeedItem] = []
    for key, kind in SEED_KINDS:
        for entry in gold.get(key, []):
            if kind == "incident":
                items.append(_seed_incident(entry, tables.incidents))
            elif kind == "place":
                items.append(_seed_place(entry, tables.places))
            else:
                table = tables.actors if kind == "actor" else tables.institutions
                items.append(_seed_entity(kind, entry, table))
    items.extend(_seed_must_not(entry, tables) for entry in gold.get("must_not", []))

    metrics: list[Metric] = []
    for key, kind in SEED_KINDS:
        required = [i for i in items if i.kind == kind and i.required]
        optional = [i for i in items if i.kind == kind and not i.required]
        metrics.append(
            Metric(f"required_{key}", sum(i.found for i in required), len(required),
                   Target(">=", 1.0), f"required {key} found")
        )
        metrics.append(
            Metric(f"optional_{key}", sum(i.found for i in optional), len(optional), None,
                   f"optional {key} found")
        )
    violations = [i for i in items if i.kind == "must_not"]
    metrics.append(
        Metric("must_not_violations", sum(i.found for i in violations), len(violations),
               Target("<=", 0.0), "must_not items present (errors)")
    )
    return SeedScore(items=items, metrics=metrics)
