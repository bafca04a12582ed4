"""Fusing a block of countries at a time (`run_events`) must publish what one fuse of the whole
corpus publishes (`build_events`), and store the same state, on a first night and on a night
fused from the stored state where reports changed country."""

from datetime import datetime

import polars as pl
import pytest

from pipelines import warehouse as wh
from pipelines.events import build
from pipelines.events import state as fusion_state
from pipelines.events.build import EventTables, blocks, build_events, read_previous, run_events
from pipelines.events.identity import Previous
from tests.test_events import REFERENCE, report
from tests.test_events_incremental import inputs, night_one, night_two

# The incidents and articles of a test night, where the asset's queries read them.
QUERIES = {
    "events/incident_features": "SELECT * FROM main.test_incidents ORDER BY incident_id",
    "events/incident_countries": "SELECT coalesce(country_iso3, '') AS country, count(*) "
                                "FROM main.test_incidents GROUP BY ALL",
    "events/article_texts": "SELECT * FROM main.test_articles ORDER BY article_id",
    "events/article_digests": "SELECT article_id, sha1(coalesce(body, '')) AS digest, "
                              "first_reported_at FROM main.test_articles ORDER BY article_id",
    "events/article_bodies": "SELECT article_id, body FROM main.test_articles "
                             "WHERE article_id IN (SELECT unnest($ids::VARCHAR[]))",
}
PARIS = {"place_id": "plc_Paris", "place_name": "Paris", "country_iso3": "FRA",
         "place_lineage_ids": ["plc_Paris", "plc_France"], "place_lineage": ["Paris", "France"],
         "latitude": 48.86, "longitude": 2.35}


@pytest.fixture
def queries(monkeypatch):
    real = wh.load_sql
    monkeypatch.setattr(wh, "load_sql", lambda name: QUERIES.get(name) or real(name))


def test_blocks_put_countries_together_up_to_the_limit():
    sizes = {"HTI": 5, "KEN": 2, "FRA": 1, "": 1, "BEN": 1}
    assert blocks(sizes, 3) == [["", "BEN", "FRA"], ["HTI"], ["KEN"]]
    assert blocks(sizes, 10) == [["", "BEN", "FRA", "HTI", "KEN"]]
    assert blocks({"A": 2, "B": 1}, 3) == [["A", "B"]]  # up to the limit, inclusive
    assert blocks({"A": 2, "B": 2}, 3) == [["A"], ["B"]]
    assert blocks({}, 3) == [[]]


def moved(rows: list[dict]) -> list[dict]:
    """Night two with reports that changed country, to blocks fused before theirs: a copy of
    the massacre story (fused with its original on night one) now placed in Paris, the Kenyan
    protest now in no country; and French reports naming an entity Haitian reports name too,
    on four days in all (not rare, though it is in each country alone)."""
    rows = [{**r, **PARIS} if r["incident_id"] == "i2" else r for r in rows]
    rows = [{**r, "country_iso3": None} if r["incident_id"] == "k1" else r for r in rows]
    rows = [{**r, "span_entities": ["ent_un"]} if r["incident_id"] in {"a0", "a1"} else r
            for r in rows]
    return rows + [report(f"f{n}", f"lemonde{n}", sub="Peaceful protest", place="Paris",
                          country="FRA", lineage=("Paris", "France"), lat=48.86, lon=2.35,
                          actor1=("protesters",), actor2=(), entities=("ent_un",),
                          day=f"2024-11-{19 + n}") for n in range(2)]


def night(conn, rows: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Write the night's incidents and articles; return them as the queries read them."""
    incidents, articles = inputs(rows)
    wh.write_table(conn, "main.test_incidents", incidents)
    wh.write_table(conn, "main.test_articles", articles)
    return (wh.frame(conn, QUERIES["events/incident_features"]),
            wh.frame(conn, QUERIES["events/article_texts"]))


def publish(conn, tables: EventTables) -> None:
    for name, frame in tables.frames().items():
        wh.write_table(conn, f"main.{name}", frame)


def assert_stored(conn, state: fusion_state.FusionState) -> None:
    stored = fusion_state.load(conn)
    assert stored is not None
    for name, frame in state.frames().items():
        assert stored.frames()[name].sort(frame.columns[:2]).equals(
            frame.sort(frame.columns[:2])), name


def test_blocks_publish_and_store_what_one_fuse_does(tmp_path, queries, monkeypatch):
    fused_blocks = []
    fuse_block = build.fuse_block
    monkeypatch.setattr(build, "fuse_block", lambda incidents, *args, **kwargs: (
        fused_blocks.append(sorted(incidents["country_iso3"].fill_null("").unique())),
        fuse_block(incidents, *args, **kwargs))[1])
    first_night, second_night = datetime(2025, 3, 1), datetime(2025, 3, 2)
    with wh.connect(tmp_path / "w.duckdb") as conn:
        incidents, articles = night(conn, night_one())
        one = build_events(incidents, articles, Previous.empty(), REFERENCE, first_night)
        fused_blocks.clear()
        blocked = run_events(conn, REFERENCE, first_night, block_incidents=1)
        assert fused_blocks == [["HTI"], ["KEN"]]  # a country a block
        for name, frame in one.frames().items():
            assert blocked.frames()[name].equals(frame), name
        assert blocked.changed is None
        assert_stored(conn, one.state)
        publish(conn, blocked)

        incidents, articles = night(conn, moved(night_two(night_one())))
        previous = read_previous(conn)
        full = build_events(incidents, articles, previous, REFERENCE, second_night)
        from_state = build_events(incidents, articles, previous, REFERENCE, second_night,
                                  state=one.state)
        fused_blocks.clear()
        blocked = run_events(conn, REFERENCE, second_night, block_incidents=1)
        assert fused_blocks == [[""], ["FRA"], ["HTI"], ["KEN"]]
        for name, frame in full.frames().items():
            assert blocked.frames()[name].equals(frame), name
        assert blocked.changed == from_state.changed
        assert_stored(conn, full.state)
        # The copy left the massacre's event for an event of its own in France.
        event_of = dict(blocked.event_incidents.select("incident_id", "event_id").iter_rows())
        assert event_of["i1"] != event_of["i2"]
        assert blocked.events.filter(pl.col("event_id") == event_of["i2"])[
            "country_iso3"].item() == "FRA"
        publish(conn, blocked)

        # A night with nothing new, from the blocks' state, changes nothing.
        again = run_events(conn, REFERENCE, second_night, block_incidents=1)
        assert again.changed == 0
        for name, frame in full.frames().items():
            assert again.frames()[name].equals(frame), name
        assert_stored(conn, full.state)
