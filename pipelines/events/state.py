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


@dataclass(frozen=True)
class FusionState:
    """`wire`: see `WireState`; `features`: every incident's prepared features as fused;
    `fused`: the pairs (with their evidence), clusters and reconciled events of that fuse."""

    wire: WireState
    features: pl.DataFrame
    fused: Fused

    def frames(self) -> dict[str, pl.DataFrame]:
        return dict(zip(TABLES, (self.wire.articles, self.wire.pairs, self.features,
                                 self.fused.pairs, self.fused.membership, self.fused.events,
                                 self.fused.block_sizes),
                        strict=True))


def state_key() -> str:
    """The code and the library versions the state was computed with."""
    libraries = ",".join(f"{name}={version(name)}" for name in STATE_LIBRARIES)
    return hashlib.sha256(f"{cache.file_hash(*STATE_CODE)}/{libraries}".encode()).hexdigest()


def load(conn: duckdb.DuckDBPyConnection) -> FusionState | None:
    """The state of the last fuse, or None when there is none computed by this code."""
    if cache.recorded_state(conn, STATE_KEY) != state_key() or not all(
            warehouse.table_exists(conn, "cache", table) for table in TABLES):
        return None
    frames = []
    for table in TABLES:
        frames.append(warehouse.frame(conn, f"SELECT * FROM cache.{table}"))
        warehouse.release_memory(conn)  # what reading the table took, before the next one
    wire_articles, wire_pairs, features, pairs, membership, events, block_sizes = frames
    pairs = pairs.cast(LEVEL_DTYPES)  # stored as VARCHAR: the enumerations they were
    return FusionState(WireState(wire_articles, wire_pairs), features,
                       Fused(pairs, membership, events, block_sizes))


def save(conn: duckdb.DuckDBPyConnection, state: FusionState,
         stored: FusionState | None = None) -> None:
    """Replace the stored state. `stored`: what the tables hold (the state `load` returned at
    the start of this run), so that only the rows that differ from it are deleted and
    inserted; without it every table is written whole.

    One transaction per table: DuckDB holds what a transaction writes in memory until it
    commits: all the tables in one took 950 MB over the frames at 100,000 articles, one at a
    time 530 MB.
    The state's key is withdrawn before the first table and recorded after the last, so a
    state half written is never read (`load` finds no key: everything is fused again)."""
    before = stored.frames() if stored is not None else {}
    conn.execute("CREATE SCHEMA IF NOT EXISTS cache")
    cache.record_state(conn, STATE_KEY, "being written")
    for table, frame in state.frames().items():
        with warehouse.transaction(conn):
            if table not in before or before[table].schema != frame.schema:
                warehouse.write_table(conn, f"cache.{table}", frame)
            else:
                _replace_differing(conn, table, frame, before[table])
        warehouse.release_memory(conn)
    cache.record_state(conn, STATE_KEY, state_key())


def _replace_differing(conn: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
                       before: pl.DataFrame) -> None:
    """Delete and insert the rows of `cache.<table>` (holding `before`) that `frame` changes."""
    keys = KEYS[table]
    fresh = _differing(frame, before, keys)
    gone = before.select(keys).join(frame.select(keys), on=keys, how="anti")
    conn.register("_state_rows", fresh.to_arrow())
    conn.register("_state_keys", pl.concat([fresh.select(keys), gone]).to_arrow())
    try:
        match = " AND ".join(f"t.{key} = k.{key}" for key in keys)
        conn.execute(f"DELETE FROM cache.{table} t USING _state_keys k WHERE {match}")
        conn.execute(f"INSERT INTO cache.{table} BY NAME SELECT * FROM _state_rows")
    finally:
        conn.unregister("_state_rows")
        conn.unregister("_state_keys")


def _differing(frame: pl.DataFrame, before: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The rows of `frame` that `before` lacks or holds with other values."""
    columns = [c for c in frame.columns if c not in keys]
    joined = frame.join(before.with_columns(_seen=pl.lit(True)), on=keys, how="left",
                        suffix="_before")
    differs = pl.col("_seen").is_null() | pl.any_horizontal(
        [~pl.col(c).eq_missing(pl.col(f"{c}_before")) for c in columns] or [pl.lit(False)])
    return joined.filter(differs).select(frame.columns)


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
    now = features.with_columns(capped)
    then = before.with_columns(capped, _seen=pl.lit(True))
    columns = [c for c in features.columns if c != "incident_id"]
    joined = now.join(then, on="incident_id", how="left", suffix="_before")
    differs = pl.col("_seen").is_null() | pl.any_horizontal(
        [~pl.col(c).eq_missing(pl.col(f"{c}_before")) for c in columns])
    return set(joined.filter(differs)["incident_id"].to_list())
