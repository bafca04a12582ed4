"""What fusion compares, derived from one row per incident (sql/events/incident_features.sql).

`prepare` adds the columns the linkage model and the clustering read: the window of days the
event can have happened in (from the date and its precision), folded place keys for the place
and the places containing it, the readings of the event type that another report could give,
whether the evidence reports an updated toll, and the entities named in the evidence besides
the place and the participants. Plain Polars, no Dagster.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
from unidecode import unidecode

# How long before its publication an event an article does not date can have happened.
UNDATED_DAYS = 7

# Places this coarse only say which part of the country; two reports naming them agree on little.
COARSE_PLACE_KINDS = ("country", "admin1", "region")
# A place or a name found in incidents of more days than this is background (the capital, the
# national police, the main gang coalition, a politician every story quotes): two reports
# agreeing on it prove little. Days, not reports, so that five reports of one event do not
# make its village look busy.
RARE_DAYS = 3

# The readings of an event another report may give: two incidents are compatible in type when
# their sub-event types are equal or share a reading. Within a family the sub-event type is a
# finer or a neighbouring reading (an "air strike" and a "missile strike"; a protest seen as
# peaceful by one outlet and dispersed by another); across event types only the confusions
# reporters make (a gang raid repelled by police is an attack for one outlet and a clash for
# another; a lynching is mob violence or an attack). Strategic developments only match
# themselves.
READINGS: dict[str, list[str]] = {
    "Armed clash": ["battle", "armed assault"],
    "Government regains territory": ["battle"],
    "Non-state actor overtakes territory": ["battle"],
    "Air/drone strike": ["strike from afar"],
    "Shelling/artillery/missile attack": ["strike from afar"],
    "Remote explosive/landmine/IED": ["bombing"],
    "Suicide bomb": ["bombing"],
    "Grenade": ["bombing"],
    "Chemical weapon": ["chemical"],
    "Attack": ["violence against civilians", "armed assault", "mob"],
    "Abduction/forced disappearance": ["violence against civilians"],
    "Sexual violence": ["violence against civilians"],
    "Peaceful protest": ["demonstration"],
    "Protest with intervention": ["demonstration"],
    "Excessive force against protesters": ["demonstration"],
    "Violent demonstration": ["demonstration", "mob"],
    "Mob violence": ["mob"],
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
LIST_COLUMNS = ["place_lineage_ids", "place_lineage", "place_lineage_kinds", "named_participants",
                "named_groups", "actor1_categories", "actor2_categories", "span_entities"]


def place_key(name: str | None) -> str | None:
    """'Pétion-Ville', 'Petion Ville' and 'Pétionville' are one key: 'petionville'."""
    if name is None:
        return None
    key = _NON_ALNUM.sub("", unidecode(name).lower())
    return key or None


def readings(sub_event_type: str | None) -> list[str]:
    if sub_event_type is None:
        return []
    return [sub_event_type, *READINGS.get(sub_event_type, [])]


def date_window(event_date: date | None, precision: str | None, source: str | None
                ) -> tuple[date | None, date | None]:
    """First and last day the event can have happened on.

    A date read from the text covers its precision (a day, a week from the given Monday, a
    month, a year). A publication date (nothing in the text dated the event) only bounds it:
    the event came before, usually within a week. An ingestion date says nothing: no window,
    and the incident stays an event of its own (it would be a candidate of every incident of
    its country)."""
    if event_date is None or source == "ingestion" or precision == "unknown":
        return None, None
    first, last = _precision_span(event_date, precision)
    if source == "publication":
        return date.fromordinal(first.toordinal() - UNDATED_DAYS), last
    return first, last


def _precision_span(day: date, precision: str | None) -> tuple[date, date]:
    if precision == "week":
        return day, date.fromordinal(day.toordinal() + 6)
    if precision == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day.replace(day=1), date.fromordinal(following.toordinal() - 1)
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def load_update_cues(reference_dir: Path) -> re.Pattern[str] | None:
    """The 'update' and 'correction' cues of every language pack (`<lang>/cues.csv`): the
    phrases that say a figure replaces an earlier one ("rose to", "le bilan s'est alourdi")."""
    phrases = []
    for path in sorted(reference_dir.glob("*/cues.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            phrases += [row["phrase"].strip() for row in csv.DictReader(handle)
                        if (row.get("cue") or "").strip() in {"update", "correction"}
                        and (row.get("phrase") or "").strip()]
    if not phrases:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(set(phrases))), re.IGNORECASE)


def prepare(incidents: pl.DataFrame, update_cues: re.Pattern[str] | None = None,
            counts: Rarity | None = None) -> pl.DataFrame:
    """The incident features with the derived columns fusion reads (see the module docstring).

    `counts`: the rarity of places and names (`rarity`) over the whole corpus when `incidents`
    are a part of it (a block of countries); without it, counted over `incidents`.
    `wire_group` (the article's group of near-identical copies) defaults to the article,
    `templated_with` (articles filling the same template for other events) to none."""
    incidents = incidents.with_columns(pl.col(LIST_COLUMNS).cast(pl.List(pl.String)))
    windows = [date_window(d, p, s) for d, p, s in
               incidents.select("event_date", "date_precision", "date_source").iter_rows()]
    frame = incidents.with_columns(
        date_lo=pl.Series([w[0] for w in windows], dtype=pl.Date),
        date_hi=pl.Series([w[1] for w in windows], dtype=pl.Date),
        date_exact=(pl.col("date_source") == "text") & (pl.col("date_precision") == "day"),
        place_key=_place_key(),
        lineage_keys=pl.col("place_lineage").list.eval(
            pl.element().map_elements(place_key, return_dtype=pl.String)),
        specific_place=pl.col("place_id").is_not_null()
        & ~pl.col("place_kind").fill_null("").is_in(COARSE_PLACE_KINDS),
        # Looked up per sub-event type: a Python function returning a list per row left
        # half a gigabyte of garbage at 150,000 incidents. Null stays null, as it did.
        type_readings=pl.col("sub_event_type").replace_strict(
            {t: readings(t) for t in incidents["sub_event_type"].drop_nulls().unique()},
            default=None, return_dtype=pl.List(pl.String)),
        participant_categories=pl.concat_list("actor1_categories", "actor2_categories")
        .list.unique().list.sort(),
        # Rust's regex engine, linear in the text: Python's tries each alternative in turn.
        toll_update=pl.col("summary").str.contains(f"(?i){update_cues.pattern}").fill_null(False)
        if update_cues else pl.lit(False),
        other_entities=_other_entities(),
    )
    if "wire_group" not in frame.columns:
        frame = frame.with_columns(wire_group=pl.col("article_id"))
    if "templated_with" not in frame.columns:
        frame = frame.with_columns(templated_with=pl.lit([], dtype=pl.List(pl.String)))
    frame = frame.with_columns(
        day_lo=pl.col("date_lo").dt.epoch("d").cast(pl.Int64),
        day_hi=pl.col("date_hi").dt.epoch("d").cast(pl.Int64),
    )
    return with_rarity(frame, counts)


def _place_key() -> pl.Expr:
    return pl.col("place_name").map_elements(place_key, return_dtype=pl.String)


def _other_entities() -> pl.Expr:
    """The place, what contains it and the participants are compared on their own."""
    return pl.col("span_entities").list.set_difference(
        pl.concat_list("place_lineage_ids", "named_participants")).list.sort()


@dataclass(frozen=True)
class Rarity:
    """What `with_rarity` counts over the whole corpus: `place_days` (place_key, place_days)
    and `rare`, the names found on at most RARE_DAYS days (a list of one row)."""

    place_days: pl.DataFrame
    rare: pl.Series


# What `rarity` reads of the rows of sql/events/incident_features.sql.
RARITY_COLUMNS = ["event_date", "place_name", "span_entities", "place_lineage_ids",
                  "named_participants"]


def rarity(incidents: pl.DataFrame) -> Rarity:
    """The counts `prepare` takes from every incident of the corpus, from RARITY_COLUMNS of
    its rows alone: fusing a block of countries at a time, a place's or a name's days are
    still those of the whole corpus (a place key or an entity can be found in several
    countries)."""
    lists = [c for c in RARITY_COLUMNS if c in LIST_COLUMNS]
    frame = (incidents.select(RARITY_COLUMNS).with_columns(pl.col(lists).cast(pl.List(pl.String)))
             .with_columns(place_key=_place_key(), other_entities=_other_entities()))
    return _count_rarity(frame)


def _count_rarity(frame: pl.DataFrame) -> Rarity:
    day = pl.col("event_date").dt.epoch("d")
    place_days = (frame.filter(pl.col("place_key").is_not_null())
                  .group_by("place_key").agg(place_days=day.n_unique()))
    rare = set()
    for column in ("other_entities", "named_participants"):
        counts = (frame.select(day.alias("day"), pl.col(column).alias("value")).explode("value")
                  .drop_nulls("value").group_by("value").agg(pl.col("day").n_unique().alias("days")))
        rare |= set(counts.filter(pl.col("days") <= RARE_DAYS)["value"].to_list())
    return Rarity(place_days, pl.Series("rare", sorted(rare), dtype=pl.String).implode())


def with_rarity(frame: pl.DataFrame, counts: Rarity | None = None) -> pl.DataFrame:
    """`place_days`: on how many days the data has incidents at the place; `rare_entities`,
    `rare_participants`: the other entities and named participants found on at most
    `RARE_DAYS` days (see RARE_DAYS). Counted over `frame`, or taken from `counts`."""
    if counts is None:
        counts = _count_rarity(frame)
    rare_list = counts.rare
    # Lined up with the rows and added beside them (a join of the frame would copy it whole).
    days_of = frame.select("place_key").join(counts.place_days, on="place_key", how="left",
                                             maintain_order="left")
    return (frame.with_columns(days_of["place_days"])
            .with_columns(place_days=pl.col("place_days").fill_null(0).cast(pl.Int64),
                          rare_entities=pl.col("other_entities").list.set_intersection(rare_list)
                          .list.sort(),
                          rare_participants=pl.col("named_participants")
                          .list.set_intersection(rare_list).list.sort()))
