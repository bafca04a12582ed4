"""The events stage as one plain function: published incidents -> the event tables.

`build_events` chains the modules of this package (wire copy, features, linkage, fusion,
identity, sources) over frames; the Dagster asset only reads the warehouse, calls it and
publishes what it returns through the gate.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines import settings, warehouse
from pipelines.contract import conform
from pipelines.events import state as fusion_state
from pipelines.events.features import RARITY_COLUMNS, Rarity, load_update_cues, prepare, rarity
from pipelines.events.fusion import MEMBERSHIP_SCHEMA, Fused, fuse
from pipelines.events.identity import HISTORY_SCHEMA, PREVIOUS_COLUMNS, Previous, assign
from pipelines.events.sources import combine_scales, countries, iso2, outlet_scale
from pipelines.events.state import BlockState, FusionState, changed_incidents
from pipelines.events.wire import find_wire

NO_COUNTRY = ""  # the block key of incidents without a country


@dataclass(frozen=True)
class EventTables:
    events: pl.DataFrame
    event_incidents: pl.DataFrame
    event_id_history: pl.DataFrame
    countries: pl.DataFrame
    # What the fuse computed and the next run can start from (pipelines/events/state.py):
    # kept by `build_events`; `run_events` stores it block by block and keeps neither.
    fused: Fused | None = None
    state: FusionState | None = None
    changed: int | None = None  # incidents fused again from the state; None: all (no state)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {"events": self.events, "event_incidents": self.event_incidents,
                "event_id_history": self.event_id_history, "countries": self.countries}


@dataclass(frozen=True)
class Block:
    """A block of countries fused: its events (with `source_scale`), its incidents' clusters
    (with their article and wire group), the state to store and the incidents fused again
    (None: all)."""

    events: pl.DataFrame
    members: pl.DataFrame
    state: BlockState | None  # None once stored
    changed: set[str] | None


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


def run_events(conn: duckdb.DuckDBPyConnection, reference_dir: Path, now: datetime,
               block_incidents: int | None = None) -> EventTables:
    """What the asset runs: the published incidents and articles read from `conn` and fused a
    block of countries at a time (`blocks`, of up to `block_incidents`, by default
    EVENTS_BLOCK_INCIDENTS: memory follows the largest block, not the corpus), each from its
    part of the stored state when there is one (`pipelines/events/state.py`; without it, or
    from other code, everything is), and the new state stored. Kept whether or not the gate
    passes: the state describes a computation, not a publication. The tables are those
    `build_events` gives for the whole corpus: incidents of different countries never fuse,
    and what is counted over the whole corpus (wire copy, the rarity of places and names,
    event ids) is counted over it.

    DuckDB is made to hand back what each read freed (`warehouse.release_memory`): the
    incident features query alone leaves 400 MB behind at 100,000 articles."""
    stored = fusion_state.is_stored(conn)
    # Wire copy first, over every article (windowed in time, not by country); its bodies are
    # dropped before any incident is read. From the stored state, only the bodies it compares
    # are read (the digests tell which changed): a night's few hundred, not every article's.
    wire_before = fusion_state.load_wire(conn) if stored else None
    if wire_before is None:
        copies, wire = find_wire(_read(conn, warehouse.load_sql("events/article_texts")))
    else:
        copies, wire = find_wire(_read(conn, warehouse.load_sql("events/article_digests")),
                                 wire_before, bodies=lambda ids: _bodies(conn, ids))
    writer = fusion_state.Writer(conn, incremental=stored)
    writer.wire(wire, wire_before)
    del wire, wire_before
    cues = load_update_cues(reference_dir)
    done: list[Block] = []
    limit = block_incidents or settings.events_block_incidents()
    for part, incidents, counts in _incident_blocks(conn, limit):
        before = fusion_state.load_block(conn, part) if stored else None
        block = fuse_block(incidents, copies, cues, reference_dir, counts, before)
        del incidents
        writer.block(block.state, before)
        done.append(Block(block.events, block.members, None, block.changed))
        del block, before
    writer.close()
    previous = read_previous(conn)
    warehouse.release_memory(conn)
    return _tables(done, previous, reference_dir, now)


def _incident_blocks(conn: duckdb.DuckDBPyConnection, limit: int
                     ) -> Iterator[tuple[list[str] | None, pl.DataFrame, Rarity | None]]:
    """(countries, their rows of sql/events/incident_features.sql, the rarity counts of the
    whole corpus) for each block; (None, every row, None) when one block holds them all.

    Several blocks: the query runs once, written to a file DuckDB streams to, and each block
    is read back from it: no frame holds every incident's features. The blocks are then made
    from the countries of the file, so that no incident can be left out of all of them."""
    sizes = dict(conn.execute(warehouse.load_sql("events/incident_countries")).fetchall())
    query = warehouse.load_sql("events/incident_features")
    if len(blocks(sizes, limit)) == 1:
        yield None, _read(conn, query), None
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incident_features.parquet"
        conn.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet, COMPRESSION uncompressed)")
        warehouse.release_memory(conn)
        rows = pl.scan_parquet(path)
        counts = rarity(rows.select(RARITY_COLUMNS).collect())
        country = pl.col("country_iso3").fill_null(NO_COUNTRY)
        sizes = dict(rows.group_by(country).len().collect().iter_rows())
        for part in blocks(sizes, limit):
            yield part, rows.filter(country.is_in(part)).collect(), counts


def _bodies(conn: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    return dict(conn.execute(warehouse.load_sql("events/article_bodies"),
                             {"ids": article_ids}).fetchall())


def _read(conn: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    frame = warehouse.frame(conn, query)
    warehouse.release_memory(conn)
    return frame


def blocks(sizes: dict[str, int], limit: int) -> list[list[str]]:
    """Countries (NO_COUNTRY for incidents without one), with their incidents, put together
    in order of their codes into blocks of at most `limit` incidents; a larger country is a
    block of its own. At least one block, empty when there is no incident."""
    result: list[list[str]] = [[]]
    held = 0
    for country in sorted(sizes):
        if result[-1] and held + sizes[country] > limit:
            result.append([])
            held = 0
        result[-1].append(country)
        held += sizes[country]
    return result


def build_events(incidents: pl.DataFrame, articles: pl.DataFrame, previous: Previous,
                 reference_dir: Path, now: datetime, state: FusionState | None = None
                 ) -> EventTables:
    """`incidents`: rows of sql/events/incident_features.sql; `articles`: article_id, body,
    first_reported_at (sql/events/article_texts.sql); `state`: what an earlier build computed
    (`EventTables.state`), to redo only what involves new or changed articles and incidents.
    The tables are the same with or without it. Everything is fused at once, as one block."""
    copies, wire = find_wire(articles, state.wire if state else None)
    block = fuse_block(incidents, copies, load_update_cues(reference_dir), reference_dir,
                       state=state.block if state else None)
    tables = _tables([block], previous, reference_dir, now)
    return replace(tables, fused=block.state.fused,
                   state=FusionState(wire, block.state.features, block.state.fused))


def fuse_block(incidents: pl.DataFrame, copies: pl.DataFrame, update_cues: re.Pattern[str] | None,
               reference_dir: Path, counts: Rarity | None = None,
               state: BlockState | None = None) -> Block:
    """Fuse `incidents` (rows of sql/events/incident_features.sql: all of some countries),
    with `copies` (`find_wire`'s, over every article), `counts` (`features.rarity` over the
    whole corpus; None: over `incidents`) and `state` (what the last fuse stored of those
    incidents, `state.load_block`)."""
    # The wire columns lined up with the incidents and added beside theirs: a join of the
    # whole frame would copy every column of every incident.
    wire_of = incidents.select("article_id").join(copies, on="article_id", how="left",
                                                  maintain_order="left")
    features = prepare(incidents.with_columns(wire_of["wire_group"], wire_of["templated_with"]),
                       update_cues, counts)
    del wire_of
    changed = changed_incidents(features, state.features) if state else None
    fused = fuse(features, previous=state.fused if state else None, changed=changed)
    events = fused.events.with_columns(source_scale=_source_scales(features, fused, fused.events,
                                                                   reference_dir))
    members = fused.membership.join(features.select("incident_id", "article_id", "wire_group"),
                                    on="incident_id")
    return Block(events, members, BlockState(features, fused), changed)


def _tables(done: list[Block], previous: Previous, reference_dir: Path, now: datetime
            ) -> EventTables:
    """The event tables of the blocks fused, with ids kept from the previous publication
    (`identity.assign`, over the whole corpus: an incident may have changed country)."""
    events = pl.concat([block.events for block in done])
    members = pl.concat([block.members for block in done])
    changes = [block.changed for block in done]
    events, history = assign(events, members.select(list(MEMBERSHIP_SCHEMA)), previous, now)
    event_of = dict(events.select("cluster", "event_id").iter_rows())
    event_incidents = (members
                       .with_columns(event_id=pl.col("cluster").replace_strict(
                           event_of, return_dtype=pl.String))
                       .sort("event_id", "incident_id"))
    return EventTables(
        events=conform("events", events.sort("event_id")),
        event_incidents=conform("event_incidents", event_incidents),
        event_id_history=conform("event_id_history", history),
        countries=conform("countries", countries(reference_dir)),
        changed=None if any(c is None for c in changes) else sum(len(c) for c in changes),
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
