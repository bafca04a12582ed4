"""Candidate pairs of incidents and how much each comparison says they report one event.

Splink (5.x, on an in-memory DuckDB) generates the candidate pairs with one blocking rule (same
country, different articles, windows of days that touch) and scores them with seven
comparisons, each a list of levels with fixed m and u probabilities (a Fellegi-Sunter model
written down, not trained: training would make the weights, and so the events of last night,
depend on tonight's articles). The prior is not Splink's global one: it comes from how crowded
each pair's block is (`prior_weight`), so two reports of a clash that are the only incidents of
their week fuse on less evidence than two reports of attacks in a capital that has ten a day.

`LEVELS` is the model: one tuple per level, `(label, SQL condition, m, u)`; the clustering reads
the labels back to apply the hard constraints (`pipelines.events.fusion.vetoed`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.events.features import RARE_DAYS

NULL = None  # a level whose SQL condition is a null test: no evidence either way

_DISTANCE = (
    "2 * 6371 * asin(sqrt(pow(sin(radians({lat_r} - {lat_l}) / 2), 2)"
    " + cos(radians({lat_l})) * cos(radians({lat_r}))"
    " * pow(sin(radians({lon_r} - {lon_l}) / 2), 2)))"
)
_DISTANCE_KM = _DISTANCE.format(lat_l="latitude_l", lat_r="latitude_r", lon_l="longitude_l",
                                lon_r="longitude_r")
_INSIDE = "(list_contains(lineage_keys_l, place_key_r) OR list_contains(lineage_keys_r, place_key_l))"
_SHARED = "len(list_intersect(rare_entities_l, rare_entities_r))"
_RARE_PLACE = f"greatest(place_days_l, place_days_r) <= {RARE_DAYS}"
# Two places with different names this close are one place under two gazetteer entries.
SAME_SPOT_KM = 1.5
# One or two dead is the commonest toll there is; from three up an equal figure tells.
TELLING_FIGURE = 3

LEVELS: dict[str, list[tuple[str, str, float | None, float | None]]] = {
    "date": [
        ("same day", "date_exact_l AND date_exact_r AND day_lo_l = day_lo_r", 0.72, 0.004),
        ("next day", "date_exact_l AND date_exact_r AND abs(day_lo_l - day_lo_r) = 1", 0.14, 0.008),
        ("windows overlap", "NOT (date_exact_l AND date_exact_r) "
                            "AND day_lo_l <= day_hi_r + 1 AND day_lo_r <= day_hi_l + 1", 0.13, 0.05),
        ("apart", "ELSE", 0.01, 0.938),
    ],
    "place": [
        ("no place", "place_key_l IS NULL OR place_key_r IS NULL", NULL, NULL),
        ("same place", "specific_place_l AND specific_place_r AND place_key_l = place_key_r "
                       f"AND {_RARE_PLACE}", 0.45, 0.004),
        ("same busy place", "specific_place_l AND specific_place_r AND place_key_l = place_key_r",
         0.10, 0.02),
        ("one inside the other", f"specific_place_l AND specific_place_r AND {_INSIDE}", 0.22, 0.02),
        ("same spot", f"specific_place_l AND specific_place_r AND {_DISTANCE_KM} <= {SAME_SPOT_KM}",
         0.05, 0.005),
        ("same region", f"place_key_l = place_key_r OR {_INSIDE}", 0.15, 0.25),
        ("elsewhere", "ELSE", 0.08, 0.715),
    ],
    "type": [
        ("same sub-event type", "sub_event_type_l = sub_event_type_r", 0.80, 0.12),
        ("same event type, neighbouring reading",
         "event_type_l = event_type_r AND list_has_any(type_readings_l, type_readings_r)", 0.12, 0.10),
        ("related reading", "list_has_any(type_readings_l, type_readings_r)", 0.05, 0.10),
        ("different", "ELSE", 0.03, 0.68),
    ],
    "participants": [
        ("shared rare named participant", "list_has_any(rare_participants_l, rare_participants_r)",
         0.30, 0.005),
        ("shared named participant", "list_has_any(named_participants_l, named_participants_r)",
         0.20, 0.08),
        ("different named groups", "len(named_groups_l) > 0 AND len(named_groups_r) > 0 "
                                   "AND NOT list_has_any(named_groups_l, named_groups_r)", 0.05, 0.10),
        ("no category in common",
         "len(participant_categories_l) > 0 AND len(participant_categories_r) > 0 "
         "AND NOT list_has_any(participant_categories_l, participant_categories_r)", 0.05, 0.30),
        ("compatible", "ELSE", 0.50, 0.56),
    ],
    "entities": [
        ("two or more rare entities shared", f"{_SHARED} >= 2", 0.25, 0.001),
        ("one rare entity shared", f"{_SHARED} = 1", 0.30, 0.02),
        ("none shared", "ELSE", 0.40, 0.945),
    ],
    "fatalities": [
        ("no figure", "fatalities_l IS NULL OR fatalities_r IS NULL", NULL, NULL),
        ("same figure", f"fatalities_l = fatalities_r AND fatalities_l >= {TELLING_FIGURE}", 0.30, 0.01),
        ("same small figure", "fatalities_l = fatalities_r AND fatalities_l > 0", 0.15, 0.08),
        ("different figures", "ELSE", 0.60, 0.92),
    ],
    "wire": [
        ("same wire story", "wire_group_l = wire_group_r", 0.25, 0.005),
        ("one template, other events", "list_contains(templated_with_l, article_id_r)", 0.001, 0.01),
        ("independent reports", "ELSE", 0.75, 0.995),
    ],
}

# The block: reports of one country on days that can meet. Its size per incident is the prior.
BLOCKING_RULE = ("l.country_iso3 = r.country_iso3 AND l.article_id <> r.article_id "
                 "AND l.day_lo <= r.day_hi + 1 AND r.day_lo <= l.day_hi + 1")
# The pairs Splink scores: those of the block whose type and place levels can let them fuse
# (not 'different', not 'elsewhere': `fusion.vetoed` drops those whatever the rest). In a busy
# country most pairs of a block are of other types or other towns; scoring them only to veto
# them took memory in proportion to the block's square (11 GB at 20,000 articles).
CAN_FUSE_RULE = (
    f"{BLOCKING_RULE} AND (l.sub_event_type = r.sub_event_type "
    "OR list_has_any(l.type_readings, r.type_readings)) "
    "AND (l.place_key IS NULL OR r.place_key IS NULL OR l.place_key = r.place_key "
    "OR list_contains(l.lineage_keys, r.place_key) OR list_contains(r.lineage_keys, l.place_key) "
    "OR (l.specific_place AND r.specific_place AND "
    + _DISTANCE.format(lat_l="l.latitude", lat_r="r.latitude", lon_l="l.longitude",
                       lon_r="r.longitude") + f" <= {SAME_SPOT_KM}))"
)

COLUMNS = [
    "incident_id", "article_id", "country_iso3", "day_lo", "day_hi", "date_exact", "place_key",
    "lineage_keys", "specific_place", "latitude", "longitude", "event_type", "sub_event_type",
    "type_readings", "named_participants", "named_groups", "participant_categories",
    "rare_entities", "rare_participants", "place_days", "fatalities", "wire_group",
    "templated_with",
]

# Each comparison's level, as an enumeration of its labels: a byte a pair instead of a string
# (seven per pair, and a pair of reports per candidate: 776,751 pairs at 100,000 articles).
# Compared with strings as strings are; DuckDB stores them as VARCHAR.
LEVEL_DTYPES = {f"{name}_level": pl.Enum([label for label, *_ in levels])
                for name, levels in LEVELS.items()}
# What Splink says of a pair, which depends on its two incidents alone.
EVIDENCE_SCHEMA = {"incident_id_l": pl.String, "incident_id_r": pl.String,
                   "match_weight": pl.Float64, **LEVEL_DTYPES}
BLOCK_COLUMNS = COLUMNS[:5]  # what BLOCKING_RULE reads
PAIR_SCHEMA = {"incident_id_l": pl.String, "incident_id_r": pl.String, "match_weight": pl.Float64,
               "prior_weight": pl.Float64, "score": pl.Float64, "place_days": pl.Int64,
               **LEVEL_DTYPES}


def settings(link_type: str = "dedupe_only"):
    """The model for Splink: `dedupe_only` pairs the incidents of one table, `link_only` those
    of two tables across them (every condition of LEVELS and CAN_FUSE_RULE reads both sides
    alike, so a pair gets the same levels and weight either way)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator

    comparisons = []
    for name, levels in LEVELS.items():
        comparison_levels = []
        for label, condition, m, u in levels:
            level = {"sql_condition": condition, "label_for_charts": label}
            if m is None:
                level["is_null_level"] = True
            else:
                level.update(m_probability=m, u_probability=u)
            comparison_levels.append(level)
        comparisons.append(cl.CustomComparison(comparison_levels, output_column_name=name))
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="incident_id",
        # Evidence only: the prior is added per pair from the density of its block.
        probability_two_random_records_match=0.5,
        blocking_rules_to_generate_predictions=[CAN_FUSE_RULE],
        comparisons=comparisons,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


def level_labels(name: str) -> dict[int, str]:
    """Splink's gamma value -> our label: -1 for a null level, then n-1 ... 0 from the top."""
    levels = [label for label, _, m, _ in LEVELS[name] if m is not None]
    labels = {len(levels) - 1 - index: label for index, label in enumerate(levels)}
    labels.update((-1, label) for label, _, m, _ in LEVELS[name] if m is None)
    return labels


@dataclass(frozen=True)
class Scored:
    """`pairs` (PAIR_SCHEMA); `block_sizes`: every located incident's block columns and how
    many reports its block holds (`len`, 0 for none), what an incremental call starts from."""

    pairs: pl.DataFrame
    block_sizes: pl.DataFrame


def score_pairs(features: pl.DataFrame, previous: Scored | None = None,
                changed: set[str] | None = None) -> Scored:
    """Every candidate pair (incident_id_l < incident_id_r) with Splink's match weight (the sum
    of the comparisons' log2 Bayes factors), the block's prior weight, their sum `score`, and
    the level each comparison took.

    `previous` (what an earlier call returned) and `changed` (the incidents whose row of
    COLUMNS is not the one that call saw, or that it did not see) make the call incremental:
    whether two incidents are candidates, their levels and match weight depend on their two
    rows alone, so the pairs of two unchanged incidents are taken from `previous` and Splink
    scores only the pairs with a changed side. Block sizes are updated by what joined and
    left each block (`_block_sizes`); the prior of every pair is then computed again."""
    located = features.filter(pl.col("country_iso3").is_not_null() & pl.col("day_lo").is_not_null())
    blocks = located.select(BLOCK_COLUMNS)
    if previous is None or changed is None:
        evidence = _predict([located]) if located.height >= 2 else pl.DataFrame(schema=EVIDENCE_SCHEMA)
        sizes = _block_sizes(blocks)
    else:
        dirty = located.filter(pl.col("incident_id").is_in(list(changed)))
        clean = located.filter(~pl.col("incident_id").is_in(list(changed)))
        clean_ids = clean["incident_id"].implode()
        kept = previous.pairs.filter(pl.col("incident_id_l").is_in(clean_ids)
                                     & pl.col("incident_id_r").is_in(clean_ids))
        evidence = pl.concat([kept.select(list(EVIDENCE_SCHEMA)), _pairs_with(dirty, clean)])
        sizes = _block_sizes(blocks, previous.block_sizes)
    per_incident = located.select("incident_id", "place_days").join(
        sizes.select("incident_id", "len"), on="incident_id")
    pairs = _with_prior(evidence, per_incident)
    return Scored(pairs.select(list(PAIR_SCHEMA)).sort("incident_id_l", "incident_id_r"), sizes)


def _pairs_with(dirty: pl.DataFrame, clean: pl.DataFrame) -> pl.DataFrame:
    """The candidate pairs with at least one side in `dirty` (EVIDENCE_SCHEMA): `dirty`
    linked with `dirty` and `clean` together, one Splink call where a dedupe of `dirty` and a
    link with `clean` made two (each pays Splink's fixed 0.2-0.3 s of CPU). A pair of two
    dirty incidents is met once each way, with the same levels and weight (every condition
    reads both sides alike), and kept once."""
    both = pl.concat([dirty, clean])
    return _predict([dirty, both]).unique(["incident_id_l", "incident_id_r"], keep="first",
                                          maintain_order=True)


# Incidents whose pairs Splink generates at once. Splink holds every candidate pair of its
# tables with both sides' columns, so the tables it sees are slices of days, not the corpus.
PREDICT_CHUNK = 5000
# Splink checks a model's settings against the input columns each time a Linker is made:
# it parses every comparison's SQL with sqlglot (about 0.2 s of CPU a call, and a nightly run
# makes two to a dozen) to log what is missing. Its only effect is that log; these settings
# are this module's and the columns are COLUMNS, checked once by the test that sets it back.
VALIDATE_SETTINGS = False


def _predict(tables: list[pl.DataFrame]) -> pl.DataFrame:
    """Splink's candidate pairs within one table (dedupe) or across two (link), with their
    match weight and levels (EVIDENCE_SCHEMA).

    Splink sees the incidents a chunk at a time (PREDICT_CHUNK of them, in order of their
    first possible day) with the rows whose days can meet the chunk's: within one table, a
    chunk is paired with itself and with the earlier rows whose window reaches its first
    day; across two, a chunk of the first with the rows of the second whose days can meet
    its own. Each pair is generated once, and its levels and weight depend on its two rows
    alone (every condition reads both sides alike), so the pairs are those of one call."""
    first = tables[0].sort("day_lo", "incident_id")
    parts = []
    for start in range(0, first.height, PREDICT_CHUNK):
        chunk = first.slice(start, PREDICT_CHUNK)
        day_lo, day_hi = chunk["day_lo"].min(), chunk["day_hi"].max()
        if len(tables) == 1:
            earlier = first.slice(0, start).filter(pl.col("day_hi") + 1 >= day_lo)
            parts += [_splink([chunk]), _splink([chunk, earlier])]
        else:
            near = tables[1].filter((pl.col("day_hi") + 1 >= day_lo)
                                    & (pl.col("day_lo") <= day_hi + 1))
            parts.append(_splink([chunk, near]))
    return pl.concat(parts) if parts else pl.DataFrame(schema=EVIDENCE_SCHEMA)


def _splink(tables: list[pl.DataFrame]) -> pl.DataFrame:
    """One Splink prediction over one table (dedupe) or two (link)."""
    if (len(tables) == 1 and tables[0].height < 2) or any(t.height == 0 for t in tables):
        return pl.DataFrame(schema=EVIDENCE_SCHEMA)
    from splink import DuckDBAPI, Linker

    with duckdb.connect() as conn:
        api = DuckDBAPI(conn)
        registered = [api.register(table.select(COLUMNS).to_arrow(),
                                   table_name=f"incident_features_{index}")
                      for index, table in enumerate(tables)]
        linker = Linker(registered if len(registered) > 1 else registered[0],
                        settings("link_only" if len(tables) > 1 else "dedupe_only"),
                        log_level=logging.ERROR, validate_settings=VALIDATE_SETTINGS)
        # Only the columns read below leave DuckDB: the prediction also holds both sides'
        # features and every Bayes factor.
        predictions = (linker.inference.predict(warning_mode="never").as_duckdbpyrelation()
                       .select("incident_id_l", "incident_id_r", "match_weight",
                               *[f"gamma_{name}" for name in LEVELS]).pl())
    return predictions.select(
        pl.min_horizontal("incident_id_l", "incident_id_r").alias("incident_id_l"),
        pl.max_horizontal("incident_id_l", "incident_id_r").alias("incident_id_r"),
        pl.col("match_weight").cast(pl.Float64),
        *[pl.col(f"gamma_{name}").replace_strict(level_labels(name),
                                                  return_dtype=LEVEL_DTYPES[f"{name}_level"])
          .alias(f"{name}_level") for name in LEVELS],
    )


def _block_sizes(blocks: pl.DataFrame, before: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per incident of `blocks` (BLOCK_COLUMNS), how many reports its block holds (pairs under
    BLOCKING_RULE), counted by DuckDB without the pairs ever being stored.

    With `before` (an earlier result), only the incidents whose block row is new count their
    block; an incident whose row is unchanged takes its earlier count, less the earlier rows
    that left (removed or changed) and match it, plus the new rows that match it. Integers:
    the same counts as counting everything."""
    with duckdb.connect() as conn:
        conn.register("block_now", blocks.to_arrow())
        if before is None:
            counted = conn.sql(_COUNT.format(left="block_now", right="block_now")).pl()
            return _all_blocks(blocks, counted)
        rows = before.select(BLOCK_COLUMNS)
        conn.register("block_joined", blocks.join(rows, on=BLOCK_COLUMNS, how="anti").to_arrow())
        conn.register("block_left", rows.join(blocks, on=BLOCK_COLUMNS, how="anti").to_arrow())
        stay = blocks.join(rows, on=BLOCK_COLUMNS, how="semi")
        conn.register("block_stay", stay.to_arrow())
        fresh = conn.sql(_COUNT.format(left="block_joined", right="block_now")).pl()
        gained = conn.sql(_COUNT.format(left="block_stay", right="block_joined")).pl()
        lost = conn.sql(_COUNT.format(left="block_stay", right="block_left")).pl()
    kept = (stay.join(before.select("incident_id", "len"), on="incident_id")
            .join(gained.rename({"len": "gained"}), on="incident_id", how="left")
            .join(lost.rename({"len": "lost"}), on="incident_id", how="left")
            .select("incident_id", len=pl.col("len") + pl.col("gained").fill_null(0)
                    - pl.col("lost").fill_null(0)))
    return _all_blocks(blocks, pl.concat([kept, fresh.cast(kept.schema)]))


_COUNT = (f"SELECT l.incident_id, count(*) AS len FROM {{left}} l JOIN {{right}} r "
          f"ON {BLOCKING_RULE} GROUP BY l.incident_id")


def _all_blocks(blocks: pl.DataFrame, counted: pl.DataFrame) -> pl.DataFrame:
    return (blocks.join(counted.cast({"len": pl.Int64}), on="incident_id", how="left")
            .with_columns(pl.col("len").fill_null(0)))


def _with_prior(evidence: pl.DataFrame, per_incident: pl.DataFrame) -> pl.DataFrame:
    """The pairs with `place_days` (the busier side's) and their prior and score.

    Prior log-odds that a pair is one event: an incident is expected to have about one other
    report among the candidates of its block, so with c candidates on each side the prior odds
    are 1 : c (c = geometric mean of the two sides' candidate counts). Each side's values are
    looked up for the ids alone and added beside the pairs' columns: joins of the pairs would
    copy every pair's columns four times."""
    sides = [evidence.select(pl.col(f"incident_id_{side}").alias("incident_id"))
             .join(per_incident, on="incident_id", how="left", maintain_order="left")
             for side in ("l", "r")]
    return (evidence.with_columns(place_days=pl.max_horizontal(sides[0]["place_days"],
                                                               sides[1]["place_days"]),
                                  candidates_l=sides[0]["len"], candidates_r=sides[1]["len"])
            .with_columns(prior_weight=-(pl.col("candidates_l") * pl.col("candidates_r")).sqrt()
                          .log(base=2))
            .with_columns(score=pl.col("match_weight") + pl.col("prior_weight")))
