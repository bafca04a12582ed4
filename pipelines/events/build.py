"""The events stage as one plain function: published incidents -> the event tables.

`build_events` chains the modules of this package (wire copy, features, linkage, fusion,
identity, sources) over frames; the Dagster asset only reads the warehouse, calls it and
publishes what it returns through the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.contract import conform
from pipelines.events.features import load_update_cues, prepare
from pipelines.events.fusion import Fused, fuse
from pipelines.events.identity import HISTORY_SCHEMA, Previous, assign
from pipelines.events.sources import combine_scales, countries, iso2, outlet_scale
from pipelines.events.state import FusionState, changed_incidents
from pipelines.events.wire import find_wire


@dataclass(frozen=True)
class EventTables:
    events: pl.DataFrame
    event_incidents: pl.DataFrame
    event_id_history: pl.DataFrame
    countries: pl.DataFrame
    fused: Fused
    state: FusionState  # what the next run can start from (pipelines/events/state.py)
    changed: int | None = None  # incidents fused again from the state; None: all (no state)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {"events": self.events, "event_incidents": self.event_incidents,
                "event_id_history": self.event_id_history, "countries": self.countries}


def read_previous(conn: duckdb.DuckDBPyConnection) -> Previous:
    """The event tables of the last publication, or none."""
    if not (warehouse.table_exists(conn, "main", "events")
            and warehouse.table_exists(conn, "main", "event_incidents")):
        return Previous.empty()
    history = (warehouse.frame(conn, "SELECT * FROM main.event_id_history")
               if warehouse.table_exists(conn, "main", "event_id_history")
               else pl.DataFrame(schema=HISTORY_SCHEMA))
    return Previous(warehouse.frame(conn, "SELECT * FROM main.events"),
                    warehouse.frame(conn, "SELECT event_id, incident_id FROM main.event_incidents"),
                    history)


def build_events(incidents: pl.DataFrame, articles: pl.DataFrame, previous: Previous,
                 reference_dir: Path, now: datetime, state: FusionState | None = None
                 ) -> EventTables:
    """`incidents`: rows of sql/events/incident_features.sql; `articles`: article_id, body,
    first_reported_at (sql/events/article_texts.sql); `state`: what an earlier build computed
    (`EventTables.state`), to redo only what involves new or changed articles and incidents.
    The tables are the same with or without it."""
    copies, wire = find_wire(articles, state.wire if state else None)
    features = prepare(incidents.join(copies, on="article_id", how="left"),
                       load_update_cues(reference_dir))
    changed = changed_incidents(features, state.features) if state else None
    fused = fuse(features, previous=state.fused if state else None, changed=changed)
    events, history = assign(fused.events, fused.membership, previous, now)
    events = events.with_columns(source_scale=_source_scales(features, fused, events,
                                                             reference_dir))
    event_of = dict(events.select("cluster", "event_id").iter_rows())
    event_incidents = (fused.membership
                       .join(features.select("incident_id", "article_id", "wire_group"),
                             on="incident_id")
                       .with_columns(event_id=pl.col("cluster").replace_strict(
                           event_of, return_dtype=pl.String))
                       .sort("event_id", "incident_id"))
    return EventTables(
        events=conform("events", events.sort("event_id")),
        event_incidents=conform("event_incidents", event_incidents),
        event_id_history=conform("event_id_history", history),
        countries=conform("countries", countries(reference_dir)),
        fused=fused,
        state=FusionState(wire, features, fused),
        changed=None if changed is None else len(changed),
    )


def _source_scales(features: pl.DataFrame, fused: Fused, events: pl.DataFrame,
                   reference_dir: Path) -> pl.Series:
    country_of = dict(events.select("cluster", "country_iso3").iter_rows())
    scales: dict[str, set] = {cluster: set() for cluster in country_of}
    rows = fused.membership.join(features.select("incident_id", "outlet", "url"), on="incident_id")
    for cluster, outlet, url in rows.select("cluster", "outlet", "url").iter_rows():
        iso3 = country_of[cluster]
        scales[cluster].add(outlet_scale(outlet, url, iso2(iso3), iso3, reference_dir))
    return pl.Series("source_scale", [combine_scales(scales[c]) for c in events["cluster"]],
                     dtype=pl.String)
