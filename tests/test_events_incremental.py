"""Incremental fusion: a build that starts from the state of an earlier one (pipelines/events/
state.py) must publish exactly what a build from nothing publishes, whatever the new night
brings: new reports of old events, a wire copy dated before the article it copies, a report
that tears an undated one between two raids, a place that becomes busy, a corrected and a
removed report."""

import hashlib
from datetime import date, datetime, timedelta

import polars as pl

from pipelines import warehouse as wh
from pipelines.events import state as fusion_state
from pipelines.events.build import EventTables, build_events
from pipelines.events.identity import Previous
from tests.test_events import REFERENCE, REPRINT, STORY, TEMPLATED, report

BELOT = {"place": "Belot", "lineage": ("Belot", "Kenscoff", "Ouest", "Haiti"), "sub": "Attack",
         "groups": ("act_viv",), "named": ("act_viv",), "actor2": ("civilians",)}
DELMAS = {"place": "Delmas", "lineage": ("Delmas", "Ouest", "Haiti"), "sub": "Attack",
          "actor2": ("civilians",), "named": ("act_viv",)}
# Two halves of one dispatch, and later the whole of it: the whole copies both halves, which
# become one wire story (so their reports, at a busy place, can now fuse).
FIRST_HALF = ("Gunmen attacked a market in Delmas before dawn and set stalls on fire while "
              "traders were still arriving with their goods from the countryside, witnesses "
              "told reporters at the scene later in the morning.")
SECOND_HALF = ("Firefighters struggled for hours because the access road was blocked by burning "
               "tyres and abandoned cars, and residents formed lines to carry water in buckets "
               "from a nearby spring until the flames died down.")


def night_one() -> list[dict]:
    rows = [
        report("i1", "ap", named=("act_viv",), fatalities=20),
        report("i2", "abc", named=("act_viv",), fatalities=20, outlet="ABC",
               published="2024-11-20"),
        report("k1", "kenya", sub="Peaceful protest", place="Nairobi", country="KEN",
               lineage=("Nairobi", "Kenya"), lat=-1.29, lon=36.82, actor1=("protesters",),
               actor2=(), day="2024-07-02"),
        report("a0", "ap0", day="2025-01-05", **BELOT),
        report("a1", "gp1", day="2025-02-03", **BELOT),
        report("a2", "hl1", day="2025-02-03", outlet="HL", **BELOT),
        report("u1", "gp2", day="2025-02-10", precision="week", source="publication",
               outlet="GP", **BELOT),
        report("t1", "tpl", place="Delmas", lineage=("Delmas", "Ouest", "Haiti"), fatalities=12),
        report("c1", "fix", day="2024-12-20", fatalities=3, **DELMAS),
        report("c2", "fix2", day="2024-12-20", fatalities=3, outlet="HL", **DELMAS),
        report("p1", "half1", day="2024-12-26", **DELMAS),
        report("q1", "half2", day="2024-12-26", outlet="HL", **DELMAS),
    ]
    rows += [report(f"x{n}", f"x{n}", day=(date(2024, 12, 1) + timedelta(days=n)).isoformat(),
                    **DELMAS) for n in range(1, 3)]
    return rows


def night_two(rows: list[dict]) -> list[dict]:
    kept = [r for r in rows if r["incident_id"] != "x2"]  # an article taken down
    kept = [{**r, "fatalities": 4} if r["incident_id"] == "c2" else r for r in kept]  # corrected
    return kept + [
        report("i3", "nouvelliste", named=("act_viv",), fatalities=25, outlet="Le Nouvelliste",
               published="2024-11-20"),
        # A copy of "ap" published (so ordered) before it: the group's name changes.
        report("i4", "early", named=("act_viv",), fatalities=20, outlet="AFP",
               published="2024-11-18", day="2024-11-19"),
        # The whole dispatch, with an incident of its own elsewhere.
        report("w1", "whole", sub="Peaceful protest", place="Mombasa", country="KEN",
               lineage=("Mombasa", "Kenya"), lat=-4.04, lon=39.67, actor1=("protesters",),
               actor2=(), day="2024-12-26"),
        # A second raid on Belot five days later: the undated report fits both, joins neither.
        report("b1", "ap3", day="2025-02-08", **BELOT),
        report("b2", "nv", day="2025-02-08", outlet="NV", **BELOT),
        # ... and a fourth day of incidents there: Belot becomes a busy place.
        report("b3", "ap4", day="2025-01-15", **BELOT),
        # Delmas reaches more than RARE_DAYS days of incidents: a busy place now.
        *[report(f"y{n}", f"y{n}", day=(date(2024, 12, 5) + timedelta(days=n)).isoformat(),
                 **DELMAS) for n in range(3)],
    ]


def inputs(rows: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    incidents = pl.DataFrame(rows, infer_schema_length=None)
    bodies = {"ap": STORY, "abc": REPRINT, "early": REPRINT, "tpl": TEMPLATED,
              "half1": FIRST_HALF, "half2": SECOND_HALF, "whole": f"{FIRST_HALF} {SECOND_HALF}"}
    articles = incidents.select("article_id", "first_reported_at").unique("article_id").with_columns(
        body=pl.col("article_id").replace_strict(bodies, default=None).fill_null(
            pl.concat_str(pl.lit("Text of article "), pl.col("article_id"))))
    return incidents, articles


def assert_same(incremental: EventTables, full: EventTables) -> None:
    for name, frame in full.frames().items():
        assert incremental.frames()[name].equals(frame), name
    assert incremental.fused.pairs.equals(full.fused.pairs)
    for name, frame in full.state.frames().items():
        assert incremental.state.frames()[name].sort(frame.columns[:2]).equals(
            frame.sort(frame.columns[:2])), name


def spy(monkeypatch) -> tuple[list[list[str]], list[str]]:
    """Record the incidents Splink is asked to score on the changed side, and the clusters
    reconciled."""
    from pipelines.events import fusion, linkage

    scored, reconciled = [], []
    predict, reconcile_one = linkage._predict, fusion._reconcile_one

    def recording_predict(tables):
        scored.append(tables[0]["incident_id"].to_list())
        return predict(tables)

    def recording_reconcile(key, reports):
        reconciled.append(key)
        return reconcile_one(key, reports)

    monkeypatch.setattr(linkage, "_predict", recording_predict)
    monkeypatch.setattr(fusion, "_reconcile_one", recording_reconcile)
    return scored, reconciled


def test_an_incremental_build_publishes_what_a_full_build_publishes(tmp_path, monkeypatch):
    first = build_events(*inputs(night_one()), Previous.empty(), REFERENCE, datetime(2025, 3, 1))
    assert first.events.filter(pl.col("primary_incident_id") == "i1")["n_sources"].item() == 2
    previous = Previous(first.events, first.event_incidents, first.event_id_history)
    # Through the warehouse's cache schema, as the asset keeps it between runs.
    with wh.connect(tmp_path / "w.duckdb") as conn:
        fusion_state.save(conn, first.state)
        stored = fusion_state.load(conn)
    assert stored is not None

    incidents, articles = inputs(night_two(night_one()))
    full = build_events(incidents, articles, previous, REFERENCE, datetime(2025, 3, 2))
    scored, reconciled = spy(monkeypatch)
    incremental = build_events(incidents, articles, previous, REFERENCE, datetime(2025, 3, 2),
                               state=stored)
    assert_same(incremental, full)
    # Only what a changed incident touches was done again: Kenya's protest and the fixed
    # Delmas report were neither scored nor reconciled.
    assert scored and not {"k1", "c1"} & set(scored[0]) and "k1" not in reconciled
    # The night did change events: a third report, a torn undated one, a new group name.
    assert full.events.filter(pl.col("primary_incident_id") == "i1")["n_sources"].item() == 4
    assert full.event_incidents.filter(pl.col("incident_id") == "u1")["event_id"].n_unique() == 1
    assert full.event_incidents.filter(pl.col("incident_id") == "i2")["wire_group"].item() == "early"
    assert first.event_incidents.filter(pl.col("incident_id") == "i2")["wire_group"].item() == "ap"
    assert first.event_incidents.filter(pl.col("incident_id").is_in(["p1", "q1"]))[
        "event_id"].n_unique() == 2
    assert full.event_incidents.filter(pl.col("incident_id").is_in(["p1", "q1"]))[
        "event_id"].n_unique() == 1

    # Stored as the asset stores it (only the rows that changed), it reads back whole.
    with wh.connect(tmp_path / "w.duckdb") as conn:
        fusion_state.save(conn, incremental.state, stored)
        restored = fusion_state.load(conn)
    for name, frame in full.state.frames().items():
        assert restored.frames()[name].sort(frame.columns[:2]).equals(
            frame.sort(frame.columns[:2])), name

    # And from the incremental build's own state, a night with nothing new changes nothing.
    again = build_events(incidents, articles, previous, REFERENCE, datetime(2025, 3, 2),
                         state=incremental.state)
    assert_same(again, full)


def test_an_incremental_build_asks_splink_once_for_the_changed_incidents_pairs(monkeypatch):
    """The changed incidents' pairs, among themselves and with the unchanged ones, come from
    one Splink call, and are those of the full build."""
    from pipelines.events import linkage

    first = build_events(*inputs(night_one()), Previous.empty(), REFERENCE, datetime(2025, 3, 1))
    previous = Previous(first.events, first.event_incidents, first.event_id_history)
    incidents, articles = inputs(night_two(night_one()))
    full = build_events(incidents, articles, previous, REFERENCE, datetime(2025, 3, 2))
    calls = []
    splink = linkage._splink

    def counted(tables):
        calls.append(len(tables))
        return splink(tables)

    monkeypatch.setattr(linkage, "_splink", counted)
    incremental = build_events(incidents, articles, previous, REFERENCE, datetime(2025, 3, 2),
                               state=first.state)
    assert calls == [2]
    assert_same(incremental, full)


def test_a_state_from_other_code_is_not_used(tmp_path, monkeypatch):
    first = build_events(*inputs(night_one()), Previous.empty(), REFERENCE, datetime(2025, 3, 1))
    with wh.connect(tmp_path / "w.duckdb") as conn:
        assert fusion_state.load(conn) is None
        fusion_state.save(conn, first.state)
        monkeypatch.setattr(fusion_state, "state_key", lambda: "other code")
        assert fusion_state.load(conn) is None


def test_wire_copy_found_incrementally_is_the_full_pass_result():
    """Many articles over months, a fifth of them copies or templates of a few stories: the
    pairs found from the stored signatures (new against old, within the window) are those of
    a full pass, after new, changed, redated and removed articles."""
    import random

    from pipelines.events.wire import find_wire

    rng = random.Random(3)
    words = [f"w{i}" for i in range(2000)]
    stories = [" ".join(rng.choice(words) for _ in range(80)) for _ in range(20)]
    rows = []
    for i in range(400):
        story, roll = stories[rng.randrange(20)], rng.random()
        if roll < 0.3:
            body = f"{story} {' '.join(rng.choice(words) for _ in range(rng.randrange(8)))}"
        elif roll < 0.45:
            body = f"On Monday in Town{i % 5} {story[150:]} 1{i}"
        else:
            body = " ".join(rng.choice(words) for _ in range(90))
        rows.append({"article_id": f"a{i:03d}", "body": "short" if roll > 0.97 else body,
                     "first_reported_at": datetime(2025, 1, 1)
                     + timedelta(days=rng.randrange(150), hours=rng.randrange(24))})
    articles = pl.DataFrame(rows)
    ids = articles["article_id"].to_list()
    rng.shuffle(ids)
    _, state = find_wire(articles.filter(pl.col("article_id").is_in(ids[:360])))
    later = articles.with_columns(
        body=pl.when(pl.col("article_id") == ids[0]).then(pl.lit(stories[0]))
        .otherwise("body"),
        first_reported_at=pl.when(pl.col("article_id") == ids[1])
        .then(pl.lit(datetime(2025, 3, 3))).otherwise("first_reported_at"),
    ).filter(pl.col("article_id") != ids[2])
    full, full_state = find_wire(later)
    incremental, incremental_state = find_wire(later, state)
    assert incremental.equals(full)
    assert incremental_state.pairs.equals(full_state.pairs)
    # The same from the bodies' digests, reading only the bodies compared.
    read: list[str] = []
    text = dict(later.select("article_id", "body").iter_rows())

    def bodies(article_ids):
        read.extend(article_ids)
        return {article_id: text[article_id] for article_id in article_ids}

    digests = later.select("article_id", "first_reported_at", digest=pl.col("body").map_elements(
        lambda body: hashlib.sha1(body.encode("utf-8")).hexdigest(), return_dtype=pl.String))
    on_demand, on_demand_state = find_wire(digests, state, bodies=bodies)
    assert on_demand.equals(full)
    assert on_demand_state.articles.equals(incremental_state.articles)
    assert on_demand_state.pairs.equals(full_state.pairs)
    assert 2 <= len(set(read)) < later.height / 4
    assert (full["wire_group"] != full["article_id"]).sum() > 20
    assert full["templated_with"].list.len().sum() > 20
