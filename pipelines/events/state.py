"""What the events stage keeps between runs, so that a run with few new reports fuses few.

Fusion is a function of the incidents and the articles. Most of its cost is in steps whose
result for one article or one pair of incidents depends on those alone: an article's MinHash
signature and its copy or template relations (`wire.find_wire`), a pair's Splink evidence
(`linkage.score_pairs`), a cluster's reconciled event (`fusion.reconcile`). The state is what
the last fuse computed in those steps, with the features it computed them from; the next run
prepares the features of every incident again (cheap), compares them with the snapshot
(`changed_incidents`), and recomputes only what involves a changed incident. What depends on
the whole corpus is always recomputed in full: each incident's block size (the prior), the
rarity of places and names (in the features), the vetoes, the ambiguity of undated reports,
the clustering and the event ids.

The state lives in the private file's `cache` schema, next to the extraction cache; it is
read only when it was written by the same code and libraries (`state_key`), and the stage
fuses everything again (and writes a new state) when it was not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import version

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.events.features import RARE_DAYS
from pipelines.events.fusion import Fused
from pipelines.events.linkage import LEVEL_DTYPES
from pipelines.events.wire import WireState
from pipelines.extract import cache
from pipelines.settings import PROJECT_ROOT, SQL_DIR

# The code the state's contents were computed by: a change to any of it discards the state.
STATE_CODE = [*sorted((PROJECT_ROOT / "pipelines" / "events").glob("*.py")),
              *sorted((SQL_DIR / "events").glob("*.sql")),
              PROJECT_ROOT / "pipelines" / "extract" / "text.py"]
STATE_LIBRARIES = ("datasketch", "duckdb", "numpy", "polars", "splink")
STATE_KEY = "events_fusion_state"
# Each table's key: a run deletes and inserts the rows whose values changed.
KEYS = {"event_wire_articles": ["article_id"], "event_wire_pairs": ["article_a", "article_b"],
        "event_features": ["incident_id"], "event_pairs": ["incident_id_l", "incident_id_r"],
        "event_membership": ["incident_id"], "event_fused": ["cluster"],
        "event_block_sizes": ["incident_id"]}
TABLES = ("event_wire_articles", "event_wire_pairs", "event_features", "event_pairs",
          "event_membership", "event_fused", "event_block_sizes")


WIRE_TABLES, BLOCK_TABLES = TABLES[:2], TABLES[2:]


@dataclass(frozen=True)
class BlockState:
    """What the fuse of some countries' incidents computed (`FusionState` without the wire):
    their prepared features and the pairs, clusters and events fused from them. Pairs and
    clusters never cross a country, so the state of the corpus is that of its countries put
    together."""

    features: pl.DataFrame
    fused: Fused

    def frames(self) -> dict[str, pl.DataFrame]:
        return dict(zip(BLOCK_TABLES, (self.features, self.fused.pairs, self.fused.membership,
                                       self.fused.events, self.fused.block_sizes),
                        strict=True))


@dataclass(frozen=True)
class FusionState:
    """`wire`: see `WireState`; `features`: every incident's prepared features as fused;
    `fused`: the pairs (with their evidence), clusters and reconciled events of that fuse."""

    wire: WireState
    features: pl.DataFrame
    fused: Fused

    @property
    def block(self) -> BlockState:
        return BlockState(self.features, self.fused)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {**dict(zip(WIRE_TABLES, (self.wire.articles, self.wire.pairs), strict=True)),
                **self.block.frames()}


def state_key() -> str:
    """The code and the library versions the state was computed with."""
    libraries = ",".join(f"{name}={version(name)}" for name in STATE_LIBRARIES)
    return hashlib.sha256(f"{cache.file_hash(*STATE_CODE)}/{libraries}".encode()).hexdigest()


def is_stored(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the private file holds a state computed by this code."""
    return cache.recorded_state(conn, STATE_KEY) == state_key() and all(
        warehouse.table_exists(conn, "cache", table) for table in TABLES)


def load(conn: duckdb.DuckDBPyConnection) -> FusionState | None:
    """The state of the last fuse, or None when there is none computed by this code."""
    if not is_stored(conn):
        return None
    block = load_block(conn)
    return FusionState(load_wire(conn), block.features, block.fused)


def load_wire(conn: duckdb.DuckDBPyConnection) -> WireState:
    """The stored wire state (the key checked by the caller: `is_stored`)."""
    return WireState(*(_read(conn, f"SELECT * FROM cache.{table}") for table in WIRE_TABLES))


def load_block(conn: duckdb.DuckDBPyConnection, countries: list[str] | None = None
               ) -> BlockState:
    """The stored rows of the incidents whose stored features are of `countries` ('' for
    incidents of none), or of all: their features, pairs, membership, block sizes and the
    events they anchor. Pairs and clusters never cross a country: the rows are those a fuse
    of those incidents alone stored."""
    if countries is None:
        queries = [f"SELECT * FROM cache.{table}" for table in BLOCK_TABLES]
    else:
        ids = ("SELECT incident_id FROM cache.event_features "
               "WHERE list_contains($countries, coalesce(country_iso3, ''))")
        queries = [f"SELECT * FROM cache.{table} WHERE {key} IN ({ids})" for table, key in
                   zip(BLOCK_TABLES, ("incident_id", "incident_id_l", "incident_id", "cluster",
                                      "incident_id"), strict=True)]
    features, pairs, membership, events, block_sizes = (
        _read(conn, query, {"countries": countries} if countries is not None else None)
        for query in queries)
    pairs = pairs.cast(LEVEL_DTYPES)  # stored as VARCHAR: the enumerations they were
    return BlockState(features, Fused(pairs, membership, events, block_sizes))


def _read(conn: duckdb.DuckDBPyConnection, query: str, params: dict | None = None
          ) -> pl.DataFrame:
    frame = warehouse.frame(conn, query, params)
    warehouse.release_memory(conn)  # what reading the table took, before the next one
    return frame


def save(conn: duckdb.DuckDBPyConnection, state: FusionState,
         stored: FusionState | None = None) -> None:
    """Replace the stored state with `state`. `stored`: what the tables hold (the state `load`
    returned at the start of this run), so that only the rows that differ from it are deleted
    and inserted; without it every table is written whole."""
    writer = Writer(conn, incremental=stored is not None)
    writer.wire(state.wire, stored.wire if stored is not None else None)
    writer.block(state.block, stored.block if stored is not None else None)
    writer.close()


class Writer:
    """Stores a state a part at a time: the wire state, then each block of countries.

    One transaction per table and part: DuckDB holds what a transaction writes in memory until
    it commits: all the tables in one took 950 MB over the frames at 100,000 articles, one at a
    time 530 MB. The state's key is withdrawn first and recorded by `close`, so a state half
    written is never read (`load` finds no key: everything is fused again).

    `incremental`: the tables hold the state this run started from, and each part is compared
    with what they held of it (`before`): only the rows that differ are deleted and inserted.
    Those are gathered in temporary tables and applied by `close`, so that the stored rows of
    every block are still the old ones when it is read (an incident that moved to another
    country leaves one block and joins another), and a row one block drops while another
    writes it is not lost. Otherwise each table is written whole, block after block."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, incremental: bool) -> None:
        self.conn, self.incremental = conn, incremental
        self.written: set[str] = set()
        conn.execute("CREATE SCHEMA IF NOT EXISTS cache")
        cache.record_state(conn, STATE_KEY, "being written")
        if incremental:
            for table in BLOCK_TABLES:
                conn.execute(f"CREATE OR REPLACE TEMP TABLE _fresh_{table} AS "
                             f"SELECT * FROM cache.{table} LIMIT 0")
                conn.execute(f"CREATE OR REPLACE TEMP TABLE _drop_{table} AS "
                             f"SELECT {', '.join(KEYS[table])} FROM cache.{table} LIMIT 0")

    def wire(self, wire: WireState, before: WireState | None) -> None:
        olds = (before.articles, before.pairs) if before is not None else (None, None)
        for table, frame, old in zip(WIRE_TABLES, (wire.articles, wire.pairs), olds, strict=True):
            with warehouse.transaction(self.conn):
                if old is None or old.schema != frame.schema:
                    warehouse.write_table(self.conn, f"cache.{table}", frame)
                else:
                    _replace_differing(self.conn, table, frame, old)
            warehouse.release_memory(self.conn)

    def block(self, block: BlockState, before: BlockState | None) -> None:
        olds = before.frames() if before is not None else {}
        for table, frame in block.frames().items():
            with warehouse.transaction(self.conn):
                if self.incremental:
                    self._gather(table, frame, olds[table])
                elif table in self.written:
                    _insert(self.conn, f"cache.{table}", frame)
                else:
                    warehouse.write_table(self.conn, f"cache.{table}", frame)
                    self.written.add(table)
            warehouse.release_memory(self.conn)

    def _gather(self, table: str, frame: pl.DataFrame, before: pl.DataFrame) -> None:
        keys = KEYS[table]
        if before.schema != frame.schema:
            before = before.cast(dict(frame.schema))
        fresh, stale = _changes(frame, before, keys)
        _insert(self.conn, f"_fresh_{table}", fresh)
        _insert(self.conn, f"_drop_{table}", stale)

    def close(self) -> None:
        if self.incremental:
            for table in BLOCK_TABLES:
                match = " AND ".join(f"t.{key} = k.{key}" for key in KEYS[table])
                with warehouse.transaction(self.conn):
                    self.conn.execute(f"DELETE FROM cache.{table} t USING "
                                      f"(SELECT DISTINCT * FROM _drop_{table}) k WHERE {match}")
                    self.conn.execute(f"INSERT INTO cache.{table} BY NAME "
                                      f"SELECT * FROM _fresh_{table}")
                self.conn.execute(f"DROP TABLE _fresh_{table}")
                self.conn.execute(f"DROP TABLE _drop_{table}")
                warehouse.release_memory(self.conn)
        cache.record_state(self.conn, STATE_KEY, state_key())


def _insert(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    conn.register("_state_rows", frame.to_arrow())
    try:
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _state_rows")
    finally:
        conn.unregister("_state_rows")


def _replace_differing(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
                       before: pl.DataFrame) -> None:
    """Delete and insert the rows of `cache.<table>` (holding `before`) that `frame` changes."""
    keys = KEYS[table]
    fresh, stale = _changes(frame, before, keys)
    conn.register("_state_keys", stale.to_arrow())
    try:
        match = " AND ".join(f"t.{key} = k.{key}" for key in keys)
        conn.execute(f"DELETE FROM cache.{table} t USING _state_keys k WHERE {match}")
    finally:
        conn.unregister("_state_keys")
    _insert(conn, f"cache.{table}", fresh)


def _changes(frame: pl.DataFrame, before: pl.DataFrame, keys: list[str]
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the rows of `frame` to write, the keys of the stored rows to delete): the rows `before`
    lacks or holds with other values, and the keys of those and of the rows `frame` dropped."""
    fresh = _differing(frame, before, keys)
    gone = before.select(keys).join(frame.select(keys), on=keys, how="anti")
    return fresh, pl.concat([fresh.select(keys), gone])


def _differing(frame: pl.DataFrame, before: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The rows of `frame` that `before` lacks or holds with other values, compared a column
    at a time: a join of the two would hold both whole once more (380 MB for Haiti's block
    at 200,000 articles)."""
    at = (frame.select(keys)
          .join(before.select(keys).with_row_index("_row"), on=keys, how="left",
                maintain_order="left")["_row"])
    differs = at.is_null()
    for column in frame.columns:
        if column not in keys:
            differs = differs | ~frame[column].eq_missing(before[column].gather(at))
    return frame.filter(differs)


def changed_incidents(features: pl.DataFrame, before: pl.DataFrame) -> set[str] | None:
    """Incidents whose row of `features` differs from `before`'s (or that it lacks); None
    when the two cannot be compared column for column (then everything is fused again).

    `place_days` is compared capped at RARE_DAYS + 1: fusion only asks whether a place is
    busy (more than RARE_DAYS days), and a busy town gaining a day must not make all its
    incidents look new."""
    if set(features.columns) != set(before.columns):
        return None
    try:
        before = before.select(features.columns).cast(dict(features.schema))
    except pl.exceptions.PolarsError:
        return None
    capped = pl.col("place_days").clip(upper_bound=RARE_DAYS + 1)
    return set(_differing(features.with_columns(capped), before.with_columns(capped),
                          ["incident_id"])["incident_id"].to_list())
