"""Fusion: scored pairs of incidents -> events, and each event reconciled from its reports.

Clustering is greedy and constrained. Pairs are taken strongest first; two groups merge when
the pair's score clears `THRESHOLD` and every incident of one group is compatible with every
incident of the other (a candidate pair that no hard constraint forbids). Splink's connected
components would chain: an undated follow-up that fits two attacks on the same village five
days apart would join them into one. Incidents of one article never fuse (its extraction
already told them apart), nor do incidents of different countries, of days that cannot meet, of
types no reading reconciles, or of distinct places.

Reconciliation follows ACLED: date and place from the most precise report; the sub-event type
most reports (weighted by confidence) give; fatalities the lowest figure among the reports
that give one, unless a report updates the toll (its evidence says "rose to", "revised" ...),
when the latest update wins; `fatalities_min`/`fatalities_max` show the spread.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from pipelines.events.features import RARE_DAYS
from pipelines.events.linkage import Scored, score_pairs

THRESHOLD = 4.0
# What an extra independent report adds to the event's confidence, relative to an independent
# witness: reports of one event share sources and framing, so they are not independent trials.
CORROBORATION = 0.5
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
SPECIFIC_LEVELS = {"same place", "same busy place", "one inside the other", "same spot"}
CONFLICT_LEVELS = {"different named groups", "no category in common"}
SHARED_PARTICIPANT_LEVELS = {"shared rare named participant", "shared named participant"}

EVENT_SCHEMA = {
    "cluster": pl.String, "event_date": pl.Date, "date_precision": pl.String,
    "event_type": pl.String, "sub_event_type": pl.String, "place_id": pl.String,
    "geo_precision": pl.Int64, "country_iso3": pl.String, "fatalities": pl.Int64,
    "fatalities_min": pl.Int64, "fatalities_max": pl.Int64, "fatalities_basis": pl.String,
    "injuries": pl.Int64, "n_sources": pl.Int64, "n_independent_sources": pl.Int64,
    "n_outlets": pl.Int64, "first_reported_at": pl.Datetime("us"),
    "last_reported_at": pl.Datetime("us"), "source": pl.String, "summary": pl.String,
    "confidence": pl.Float64, "primary_incident_id": pl.String,
}
MEMBERSHIP_SCHEMA = {"incident_id": pl.String, "cluster": pl.String, "link_score": pl.Float64}
# What `_reconcile_one` reads of a report, and how many events are built as dictionaries
# before they become a frame.
RECONCILE_COLUMNS = ["incident_id", "article_id", "outlet", "external_id", "source_uri",
                     "first_reported_at", "event_date", "date_source", "date_precision",
                     "place_id", "geo_precision", "place_lineage", "country_iso3", "event_type",
                     "sub_event_type", "fatalities", "injuries", "toll_update", "confidence",
                     "wire_group", "summary"]
RECONCILE_BATCH = 10_000


@dataclass(frozen=True)
class Fused:
    pairs: pl.DataFrame  # every candidate pair with its score, levels and veto
    membership: pl.DataFrame  # incident_id, cluster (the group's anchor incident), link_score
    events: pl.DataFrame  # one reconciled row per cluster (EVENT_SCHEMA)
    block_sizes: pl.DataFrame  # each located incident's block and its size (linkage.Scored)


def fuse(features: pl.DataFrame, threshold: float = THRESHOLD, previous: Fused | None = None,
         changed: set[str] | None = None) -> Fused:
    """Prepared incident features (`pipelines.events.features.prepare`) -> events.

    With `previous` (what an earlier call returned) and `changed` (the incidents whose row of
    features is not the one that call saw, or that it did not see), pairs of unchanged
    incidents keep their Splink evidence and clusters made of the same unchanged incidents
    keep their reconciled event (see `score_pairs`, `reconcile`). The constraints and the
    clustering always run over every pair: a new report can tear an undated one from its
    event, or bridge two."""
    incremental = previous is not None and changed is not None
    scored = score_pairs(features, Scored(previous.pairs, previous.block_sizes)
                         if incremental else None, changed)
    pairs = scored.pairs
    pairs = pairs.with_columns(vetoed=vetoed(pairs))
    undated = set(features.filter(~pl.col("date_exact"))["incident_id"].to_list())
    pairs = pairs.with_columns(vetoed=pl.col("vetoed") | ambiguous(pairs, undated, threshold))
    membership = cluster(anchor_order(features), pairs, threshold)
    if incremental:
        events = reconcile(features, membership, previous, changed)
    else:
        events = reconcile(features, membership)
    return Fused(pairs, membership, events, scored.block_sizes)


def anchor_order(features: pl.DataFrame) -> list[str]:
    """Incidents in the order that names events: first reported first, then by id."""
    return features.sort("first_reported_at", "incident_id", nulls_last=True)["incident_id"].to_list()


def vetoed(pairs: pl.DataFrame) -> pl.Series:
    """Pairs no score can fuse (the hard constraints; the score weighs the rest).

    - days that cannot meet, types no reading reconciles, distinct places, articles that fill
      one template for different events;
    - a busy place (incidents on more than RARE_DAYS days) or a report naming only a region:
      agreeing on day, place, type and the usual actors is what distinct events there look
      like too, so the reports must be copies or share details rare in the data (an entity
      found on few days, and the same toll of TELLING_FIGURE or more);
    - an undated report (a window of days) joins only a report of the same place, with the
      same sub-event type and no conflicting participants, and at a busy place only with a
      shared detail (a named participant, an entity, the toll); `ambiguous` then drops those
      that fit two events;
    - two reports dated a day apart are one event when one copies the other, or at a quiet
      place when they read the same sub-event type and share a rare detail (an overnight
      attack dated by its start and by its end);
    - a reading across event types (a clash and an attack) needs a shared detail, and never
      at a busy place.
    """
    copies = pl.col("wire_level") == "same wire story"
    rare_detail = (pl.col("participants_level") == "shared rare named participant") \
        | (pl.col("entities_level") != "none shared") | (pl.col("fatalities_level") == "same figure")
    some_detail = rare_detail | pl.col("participants_level").is_in(SHARED_PARTICIPANT_LEVELS) \
        | (pl.col("fatalities_level") == "same small figure")
    busy = (pl.col("place_days") > RARE_DAYS) | pl.col("place_level").is_in(["same region",
                                                                             "no place"])
    same_type = pl.col("type_level") == "same sub-event type"
    undated_but_agreeing = (pl.col("place_level").is_in(SPECIFIC_LEVELS) & same_type
                            & ~pl.col("participants_level").is_in(CONFLICT_LEVELS)
                            & (some_detail | ~busy))
    busy_but_corroborated = copies | ((pl.col("entities_level") != "none shared")
                                      & (pl.col("fatalities_level") == "same figure"))
    return pairs.select(
        (pl.col("date_level") == "apart")
        | (pl.col("wire_level") == "one template, other events")
        | (pl.col("type_level") == "different")
        | (pl.col("place_level") == "elsewhere")
        | (busy & ~busy_but_corroborated)
        | ((pl.col("date_level") == "windows overlap") & ~undated_but_agreeing)
        | ((pl.col("date_level") == "next day") & ~(copies | (~busy & same_type & rare_detail)))
        | ((pl.col("type_level") == "related reading") & ~(copies | (~busy & some_detail)))
    ).to_series().alias("vetoed")


def ambiguous(pairs: pl.DataFrame, undated: set[str], threshold: float = THRESHOLD
              ) -> pl.Series:
    """Pairs of an undated report that fits two events: its candidates above the threshold
    include two that cannot be one event (the gang's first and second raid on a village)."""
    usable = pairs.filter(~pl.col("vetoed"))
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in usable.filter(pl.col("score") >= threshold).select(
            "incident_id_l", "incident_id_r").iter_rows():
        if a in undated:
            partners[a].append(b)
        if b in undated:
            partners[b].append(a)
    # Compatibility is only asked of two partners of one undated report.
    asked = pl.Series([i for found in partners.values() for i in found],
                      dtype=pl.String).unique().implode()
    compatible = set(usable.filter(pl.col("incident_id_l").is_in(asked)
                                   & pl.col("incident_id_r").is_in(asked))
                     .select("incident_id_l", "incident_id_r").iter_rows())
    torn = {incident_id for incident_id, found in partners.items()
            if any((min(x, y), max(x, y)) not in compatible
                   for i, x in enumerate(found) for y in found[i + 1:])}
    return pairs.select(pl.col("incident_id_l").is_in(list(torn))
                        | pl.col("incident_id_r").is_in(list(torn))).to_series()


def cluster(order: Sequence[str], pairs: pl.DataFrame, threshold: float = THRESHOLD
            ) -> pl.DataFrame:
    """Greedy merge, strongest pair first, of groups that are compatible throughout.

    Deterministic: ties are broken by the incident ids. Each group is named after its first
    incident in `order` (its anchor); `link_score` is the score of the pair that brought the
    incident in (NULL for the anchor)."""
    rank = {incident_id: index for index, incident_id in enumerate(order)}
    edges = (pairs.filter(~pl.col("vetoed") & (pl.col("score") >= threshold))
             .sort(["score", "incident_id_l", "incident_id_r"], descending=[True, False, False])
             .select("incident_id_l", "incident_id_r", "score").rows())
    # Groups only ever hold incidents of some edge, so compatibility is asked of no other
    # pair: the set is the pairs among those incidents, not every candidate pair.
    linked = pl.Series([incident_id for a, b, _ in edges for incident_id in (a, b)],
                       dtype=pl.String).unique().implode()
    compatible = set(pairs.filter(~pl.col("vetoed") & pl.col("incident_id_l").is_in(linked)
                                  & pl.col("incident_id_r").is_in(linked))
                     .select("incident_id_l", "incident_id_r").iter_rows())
    root = {incident_id: incident_id for incident_id in order}
    members: dict[str, list[str]] = {incident_id: [incident_id] for incident_id in order}
    link: dict[str, float] = {}
    for a, b, score in edges:
        ra, rb = root[a], root[b]
        if ra == rb or not all((min(x, y), max(x, y)) in compatible
                               for x in members[ra] for y in members[rb]):
            continue
        keep, absorbed = sorted((ra, rb), key=rank.__getitem__)
        link[b if root[b] == absorbed else a] = score
        for incident_id in members.pop(absorbed):
            root[incident_id] = keep
            members[keep].append(incident_id)
    return pl.DataFrame({"incident_id": list(order), "cluster": [root[i] for i in order],
                         "link_score": [link.get(i) for i in order]}, schema=MEMBERSHIP_SCHEMA)


def reconcile(features: pl.DataFrame, membership: pl.DataFrame, previous: Fused | None = None,
              changed: set[str] | None = None) -> pl.DataFrame:
    """One row per cluster: the event as ACLED would code it from all its reports.

    An event depends on its cluster's key and its reports' rows only: with `previous` and
    `changed` (see `fuse`), a cluster whose key and members are those of a previous cluster,
    none of them changed, keeps that cluster's event."""
    if previous is not None and changed is not None:
        kept = _unchanged_clusters(membership, previous.membership, changed)
        todo = membership.filter(~pl.col("cluster").is_in(list(kept)))
        reused = previous.events.filter(pl.col("cluster").is_in(list(kept)))
        return pl.concat([reused.cast(EVENT_SCHEMA), reconcile(features, todo)]).sort("cluster")
    # Only the columns `_reconcile_one` reads, a cluster's reports together in the order they
    # are reconciled in (first reported first), read a buffer of rows at a time and turned
    # into frames a batch of events at a time: no row of every incident as a dictionary.
    rows = (features.select(RECONCILE_COLUMNS)
            .join(membership.select("incident_id", "cluster"), on="incident_id")
            .sort("cluster", "first_reported_at", "incident_id", nulls_last=True))
    frames, batch = [], []
    key, reports = None, []
    for row in rows.iter_rows(named=True):
        if row["cluster"] != key:
            if reports:
                batch.append(_reconcile_one(key, reports))
            key, reports = row["cluster"], []
            if len(batch) >= RECONCILE_BATCH:
                frames.append(pl.DataFrame(batch, schema=EVENT_SCHEMA))
                batch = []
        reports.append(row)
    if reports:
        batch.append(_reconcile_one(key, reports))
    frames.append(pl.DataFrame(batch, schema=EVENT_SCHEMA))
    return pl.concat(frames).sort("cluster")


def _unchanged_clusters(membership: pl.DataFrame, before: pl.DataFrame, changed: set[str]
                        ) -> set[str]:
    """Clusters with the same key and the same members as before, none of them changed."""
    def members(frame: pl.DataFrame) -> dict[str, frozenset[str]]:
        grouped: dict[str, set[str]] = defaultdict(set)
        for incident_id, key in frame.select("incident_id", "cluster").iter_rows():
            grouped[key].add(incident_id)
        return {key: frozenset(ids) for key, ids in grouped.items()}

    now, then = members(membership), members(before)
    return {key for key, ids in now.items() if then.get(key) == ids and not ids & changed}


def _date_rank(report: dict) -> tuple[int, int]:
    return (0 if report["date_source"] == "text" else 1,
            PRECISION_RANK.get(report["date_precision"], 5))


def _place_rank(report: dict) -> tuple[int, int, int]:
    return (report["place_id"] is None, report["geo_precision"] or 9, -len(report["place_lineage"]))


def _reconcile_one(key: str, reports: list[dict]) -> dict:
    dated = [r for r in reports if r["event_date"] is not None]
    best_date = min((_date_rank(r) for r in dated), default=None)
    date_reports = [r for r in dated if _date_rank(r) == best_date]
    counts = Counter(r["event_date"] for r in date_reports)
    event_date = min(counts, key=lambda d: (-counts[d], d)) if counts else None
    date_precision = next((r["date_precision"] for r in date_reports if r["event_date"] == event_date),
                          "unknown")

    place_report = min(reports, key=lambda r: (*_place_rank(r), -(r["confidence"] or 0),
                                               r["incident_id"]))
    votes: Counter[tuple[str, str]] = Counter()
    for r in reports:
        votes[(r["event_type"], r["sub_event_type"])] += r["confidence"] or 0.01
    event_type, sub_event_type = min(votes, key=lambda t: (-votes[t], t))

    fatalities, low, high, basis = reconcile_figures(reports, "fatalities")
    injuries = reconcile_figures(reports, "injuries")[0]
    primary = min(reports, key=lambda r: (_date_rank(r), *_place_rank(r),
                                          r["sub_event_type"] != sub_event_type,
                                          -(r["confidence"] or 0), r["incident_id"]))
    sources = list(dict.fromkeys(r["outlet"] or r["external_id"] or r["source_uri"]
                                 for r in reports))
    countries = Counter(r["country_iso3"] for r in reports if r["country_iso3"])
    return {
        "cluster": key,
        "event_date": event_date,
        "date_precision": date_precision,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "place_id": place_report["place_id"],
        "geo_precision": place_report["geo_precision"],
        "country_iso3": place_report["country_iso3"] or
        (min(countries, key=lambda c: (-countries[c], c)) if countries else None),
        "fatalities": fatalities,
        "fatalities_min": low,
        "fatalities_max": high,
        "fatalities_basis": basis,
        "injuries": injuries,
        "n_sources": len({r["article_id"] for r in reports}),
        "n_independent_sources": len({r["wire_group"] for r in reports}),
        "n_outlets": len({r["outlet"] for r in reports if r["outlet"]}),
        "first_reported_at": min((r["first_reported_at"] for r in reports
                                  if r["first_reported_at"]), default=None),
        "last_reported_at": max((r["first_reported_at"] for r in reports
                                 if r["first_reported_at"]), default=None),
        "source": "; ".join(s for s in sources if s),
        "summary": primary["summary"],
        "confidence": event_confidence(reports, sub_event_type),
        "primary_incident_id": primary["incident_id"],
    }


def reconcile_figures(reports: Sequence[dict], column: str
                      ) -> tuple[int | None, int | None, int | None, str | None]:
    """(figure, lowest, highest, basis) over the reports that give one.

    ACLED's rule is the most conservative credible figure, never a sum. A figure that a later
    report explicitly updates ("the toll rose to 28") is no longer credible: when a report
    updates the toll, the most recent update wins (the lowest of several on its day). An
    "update" below what was reported before it says the toll rose and fell at once: it is a
    misreading, not credible, and left out of the choice (not of the spread)."""
    given = [r for r in reports if r[column] is not None]
    if not given:
        return None, None, None, None
    figures = [r[column] for r in given]
    credible = [r for r in given if not (r.get("toll_update") and r[column] < min(
        (o[column] for o in given if _reported(o) < _reported(r)), default=r[column]))]
    updates = [r for r in credible if r.get("toll_update")]
    if updates:
        latest = max(_reported(r) for r in updates)
        return min(r[column] for r in updates if _reported(r) == latest), min(figures), \
            max(figures), "update"
    return min(r[column] for r in credible), min(figures), max(figures), "lowest"


def _reported(report: dict) -> datetime:
    return report["first_reported_at"] or datetime.min


def event_confidence(reports: Sequence[dict], sub_event_type: str) -> float:
    """Grows with independent reports that agree on the sub-event type: the best report's
    confidence, and each further wire group (copies of one story count once) closes part
    (`CORROBORATION`) of the remaining doubt with its own confidence."""
    best_by_group: dict[str, float] = {}
    for r in reports:
        if r["sub_event_type"] == sub_event_type:
            group = r["wire_group"]
            best_by_group[group] = max(best_by_group.get(group, 0.0), r["confidence"] or 0.0)
    if not best_by_group:
        return 0.0
    ordered = sorted(best_by_group.values(), reverse=True)
    doubt = 1.0 - ordered[0]
    for confidence in ordered[1:]:
        doubt *= 1.0 - CORROBORATION * confidence
    return round(min(1.0 - doubt, 0.99), 3)
