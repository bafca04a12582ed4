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
from pipelines.events import state as fusion_state
from pipelines.events.features import load_update_cues, prepare
from pipelines.events.fusion import Fused, fuse
from pipelines.events.identity import HISTORY_SCHEMA, PREVIOUS_COLUMNS, Previous, assign
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
    # Only the columns `assign` reads (an older publication may lack some): the summaries,
    # sources' scales and the rest of every event would be held for nothing.
    present = set(conn.sql("SELECT * FROM main.events LIMIT 0").columns)
    columns = ", ".join(c for c in PREVIOUS_COLUMNS if c in present)
    return Previous(warehouse.frame(conn, f"SELECT {columns} FROM main.events"),
                    warehouse.frame(conn, "SELECT event_id, incident_id FROM main.event_incidents"),
                    history)


def run_events(conn: duckdb.DuckDBPyConnection, reference_dir: Path, now: datetime
               ) -> EventTables:
    """What the asset runs: the published incidents and articles read from `conn`, fused
    from the stored state when there is one (`pipelines/events/state.py`; without it, or
    from other code, everything is), and the new state stored. Kept whether or not the
    gate passes: the state describes a computation, not a publication.

    DuckDB is made to hand back what each read freed (`warehouse.release_memory`): the
    incident features query alone leaves 400 MB behind at 100,000 articles."""
    incidents = _read(conn, warehouse.load_sql("events/incident_features"))
    articles = _read(conn, warehouse.load_sql("events/article_texts"))
    stored = fusion_state.load(conn)
    warehouse.release_memory(conn)
    previous = read_previous(conn)
    warehouse.release_memory(conn)
    tables = build_events(incidents, articles, previous, reference_dir, now, state=stored)
    del incidents, articles, previous
    fusion_state.save(conn, tables.state, stored)
    warehouse.release_memory(conn)
    return tables


def _read(conn: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    frame = warehouse.frame(conn, query)
    warehouse.release_memory(conn)
    return frame


def build_events(incidents: pl.DataFrame, articles: pl.DataFrame, previous: Previous,
                 reference_dir: Path, now: datetime, state: FusionState | None = None
                 ) -> EventTables:
    """`incidents`: rows of sql/events/incident_features.sql; `articles`: article_id, body,
    first_reported_at (sql/events/article_texts.sql); `state`: what an earlier build computed
    (`EventTables.state`), to redo only what involves new or changed articles and incidents.
    The tables are the same with or without it."""
    copies, wire = find_wire(articles, state.wire if state else None)
    # The wire columns lined up with the incidents and added beside theirs: a join of the
    # whole frame would copy every column of every incident.
    wire_of = incidents.select("article_id").join(copies, on="article_id", how="left",
                                                  maintain_order="left")
    features = prepare(incidents.with_columns(wire_of["wire_group"], wire_of["templated_with"]),
                       load_update_cues(reference_dir))
    del copies, wire_of
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
