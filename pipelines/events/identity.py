"""Stable event ids: a nightly run adds reports to events without renumbering them.

Fusion gives the groups a fuse of all incidents gives, on every run (the same incidents give
the same groups, in any order of arrival, whether the run fused everything or only what
changed since the stored state); ids then come from the previous publication:

- every previous event claims the new group holding most of its incidents (ties: the group
  holding its smallest incident id, then the smaller group key);
- a group claimed by one previous event keeps that id; claimed by several (a new report
  bridged two events) it keeps the id of the earliest reported of them, and the others are
  retired into it (`event_id_history`: retired id -> surviving id), so an analyst holding an
  old id still finds the event;
- a group nobody claims is new: its id is derived from its earliest incident (first reported,
  then by id), so a fresh build on another machine gives the same ids; an id retired earlier
  comes back to life when its group reappears;
- `event_id_cnty` (ACLED's ISO3 + sequence) is kept with the id; new events take the next
  numbers of their country, in order of date then id;
- `updated_at` is kept while an event's members and reconciled figures stay the same, and is
  the run's time when they change (ACLED's `timestamp`).

An event whose every report disappeared (articles removed) disappears with them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import polars as pl

# What changes an event for `updated_at`: its reports and what was reconciled from them.
CONTENT_COLUMNS = ["event_date", "date_precision", "event_type", "sub_event_type", "place_id",
                   "fatalities", "fatalities_min", "fatalities_max", "injuries", "n_sources",
                   "source"]
# What `assign` reads of the previous events.
PREVIOUS_COLUMNS = ["event_id", "event_id_cnty", "first_reported_at", "updated_at",
                    *CONTENT_COLUMNS]
HISTORY_SCHEMA = {"retired_event_id": pl.String, "event_id": pl.String,
                  "retired_event_id_cnty": pl.String, "retired_at": pl.Datetime("us")}
UNKNOWN_COUNTRY = "XXX"
_SEQUENCE = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Previous:
    """The last publication: `events` (event_id, event_id_cnty, first_reported_at, updated_at
    and CONTENT_COLUMNS), `event_incidents` (event_id, incident_id), `history`."""

    events: pl.DataFrame
    event_incidents: pl.DataFrame
    history: pl.DataFrame

    @classmethod
    def empty(cls) -> Previous:
        return cls(pl.DataFrame(schema={"event_id": pl.String, "event_id_cnty": pl.String,
                                        "first_reported_at": pl.Datetime("us"),
                                        "updated_at": pl.Datetime("us")}),
                   pl.DataFrame(schema={"event_id": pl.String, "incident_id": pl.String}),
                   pl.DataFrame(schema=HISTORY_SCHEMA))


def derived_id(anchor_incident_id: str, salt: int = 0) -> str:
    digest = hashlib.sha256(f"event\x1f{anchor_incident_id}\x1f{salt}".encode()).hexdigest()
    return f"evt_{digest[:16]}"


def assign(events: pl.DataFrame, membership: pl.DataFrame, previous: Previous, now: datetime
           ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(events with `event_id`, `event_id_cnty`, `updated_at`; the id history).

    `events` has one row per `cluster` (its anchor incident); `membership` maps each
    incident_id to its cluster."""
    # Only the columns read here: a named row of every column of every event is slow and,
    # at 150,000 events, 400 MB. `updated_at` is compared in Polars (`_with_updated_at`).
    read = ["event_id", "event_id_cnty", "first_reported_at"]
    old = {row["event_id"]: row for row in previous.events.select(
        [c for c in read if c in previous.events.columns]).iter_rows(named=True)}
    claims = _claims(membership, previous.event_incidents)

    def seniority(event_id: str) -> tuple:
        reported = old.get(event_id, {}).get("first_reported_at")
        return (reported is None, reported or datetime.min, event_id)

    retired_before = {row["retired_event_id"]: row for row in previous.history.iter_rows(named=True)}
    assigned: dict[str, str] = {}
    retired: dict[str, str] = {}
    for cluster, claimants in claims.items():
        keeper, *others = sorted(claimants, key=seniority)
        assigned[cluster] = keeper
        for event_id in others:
            retired[event_id] = keeper
    taken = set(assigned.values()) | set(retired) | set(retired_before)
    for cluster in sorted(set(membership["cluster"].unique().to_list()) - set(assigned)):
        candidate, salt = derived_id(cluster), 0
        while candidate in taken and not (candidate in retired_before and candidate not in retired
                                          and candidate not in assigned.values()):
            salt += 1
            candidate = derived_id(cluster, salt)
        assigned[cluster] = candidate
        taken.add(candidate)
    revived = set(assigned.values()) & set(retired_before)

    frame = events.with_columns(event_id=pl.col("cluster").replace_strict(assigned,
                                                                          return_dtype=pl.String))
    frame = _with_country_codes(frame, old, previous.history)
    frame = _with_updated_at(frame, membership, previous, now)
    history = _history(previous.history, retired, old, revived, set(assigned.values()), now)
    return frame, history


def _claims(membership: pl.DataFrame, event_incidents: pl.DataFrame) -> dict[str, list[str]]:
    """Group -> the previous events claiming it: each claims the group holding most of its
    incidents (ties: the group holding its smallest incident id, then the smaller group key).
    Counted by Polars: sets of every event's and every group's members took 350 MB at
    150,000 events."""
    pairs = event_incidents.select("event_id", "incident_id").unique()
    cluster_of = membership.select("incident_id", "cluster")
    earliest = (pairs.group_by("event_id").agg(earliest=pl.col("incident_id").min())
                .join(cluster_of.rename({"incident_id": "earliest", "cluster": "earliest_in"}),
                      on="earliest", how="left"))
    counts = (pairs.join(cluster_of, on="incident_id").group_by("event_id", "cluster")
              .agg(n=pl.len())
              .join(earliest, on="event_id")
              .with_columns(holds_earliest=(pl.col("cluster") == pl.col("earliest_in"))
                            .fill_null(False)))
    best = (counts.sort(["event_id", "n", "holds_earliest", "cluster"],
                        descending=[False, True, True, False])
            .group_by("event_id", maintain_order=True).first())
    claims: dict[str, list[str]] = defaultdict(list)
    for event_id, cluster in best.select("event_id", "cluster").iter_rows():
        claims[cluster].append(event_id)
    return claims


def _sequence(code: str | None) -> int:
    match = _SEQUENCE.search(code or "")
    return int(match.group(1)) if match else 0


def _with_country_codes(frame: pl.DataFrame, old: dict[str, dict], history: pl.DataFrame
                        ) -> pl.DataFrame:
    codes = {event_id: row["event_id_cnty"] for event_id, row in old.items()
             if row.get("event_id_cnty")}
    for row in history.iter_rows(named=True):
        codes.setdefault(row["retired_event_id"], row["retired_event_id_cnty"])
    highest: dict[str, int] = defaultdict(int)
    for code in codes.values():
        if code:
            prefix = _SEQUENCE.sub("", code)
            highest[prefix] = max(highest[prefix], _sequence(code))
    result = {}
    pending = frame.sort("event_date", "first_reported_at", "event_id", nulls_last=True)
    for event_id, iso3 in pending.select("event_id", "country_iso3").iter_rows():
        if event_id in codes:
            result[event_id] = codes[event_id]
            continue
        prefix = iso3 or UNKNOWN_COUNTRY
        highest[prefix] += 1
        result[event_id] = f"{prefix}{highest[prefix]}"
    return frame.with_columns(event_id_cnty=pl.col("event_id").replace_strict(
        result, return_dtype=pl.String))


def _with_updated_at(frame: pl.DataFrame, membership: pl.DataFrame, previous: Previous,
                     now: datetime) -> pl.DataFrame:
    """`updated_at`: the previous one while the event's members and CONTENT_COLUMNS are
    those of the previous event with its id (and it had a time), else `now`."""
    def member_lists(rows: pl.DataFrame, key: str) -> pl.DataFrame:
        return rows.group_by(key).agg(_members=pl.col("incident_id").unique().sort())

    def before(column: str, dtype: pl.DataType) -> pl.Expr:  # null when it lacks the column
        found = pl.col(column) if column in previous.events.columns else pl.lit(None)
        return found.cast(dtype)

    old = previous.events.select(
        "event_id", before("updated_at", pl.Datetime("us")).alias("updated_at"),
        *[before(c, frame.schema[c]).alias(f"{c}_before") for c in CONTENT_COLUMNS])
    old = old.join(member_lists(previous.event_incidents, "event_id").rename(
        {"_members": "_members_before"}), on="event_id", how="left")
    rows = (frame.select("event_id", "cluster", *CONTENT_COLUMNS)
            .join(member_lists(membership, "cluster"), on="cluster", how="left",
                  maintain_order="left")
            .join(old, on="event_id", how="left", maintain_order="left"))
    unchanged = pl.all_horizontal(
        pl.col("updated_at").is_not_null(),
        (pl.col("_members") == pl.col("_members_before")).fill_null(False),
        *[pl.col(c).eq_missing(pl.col(f"{c}_before")) for c in CONTENT_COLUMNS])
    stamps = rows.select(pl.when(unchanged).then(pl.col("updated_at"))
                         .otherwise(pl.lit(now)).cast(pl.Datetime("us")))
    return frame.with_columns(updated_at=stamps.to_series())


def _history(before: pl.DataFrame, retired_now: dict[str, str], old: dict[str, dict],
             revived: set[str], live: set[str], now: datetime) -> pl.DataFrame:
    """Every retired id -> the live id that holds its reports now (chains followed)."""
    rows = {row["retired_event_id"]: dict(row) for row in before.iter_rows(named=True)
            if row["retired_event_id"] not in revived}
    for event_id, keeper in retired_now.items():
        rows[event_id] = {"retired_event_id": event_id, "event_id": keeper,
                          "retired_event_id_cnty": old.get(event_id, {}).get("event_id_cnty"),
                          "retired_at": now}
    target = {event_id: row["event_id"] for event_id, row in rows.items()}
    for row in rows.values():
        seen, current = set(), row["event_id"]
        while current in target and current not in seen and current not in live:
            seen.add(current)
            current = target[current]
        row["event_id"] = current
    kept = [row for row in rows.values() if row["event_id"] in live]
    return pl.DataFrame(kept, schema=HISTORY_SCHEMA).sort("retired_event_id")
