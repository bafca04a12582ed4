"""Event fusion on small frames: features, wire copy, the fusion rules, reconciliation, stable
ids, ACLED's source scale, and the events suite passing and failing."""

import shutil
from datetime import date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from pipelines import settings
from pipelines import warehouse as wh
from pipelines.contract import conform
from pipelines.events.build import build_events
from pipelines.events.features import date_window, load_update_cues, place_key, prepare
from pipelines.events.fusion import event_confidence, fuse, reconcile_figures
from pipelines.events.identity import Previous, assign, derived_id
from pipelines.events.sources import combine_scales, countries, outlet_scale
from pipelines.events.wire import relation, shingles, wire_groups

EVENT_TYPES = {"Armed clash": "Battles", "Mob violence": "Riots", "Attack": "Violence against civilians",
               "Abduction/forced disappearance": "Violence against civilians",
               "Peaceful protest": "Protests", "Air/drone strike": "Explosions/Remote violence"}
PETION_VILLE = ("Pétion-Ville", "Port-au-Prince", "Ouest", "Haiti")
REFERENCE = settings.PROJECT_ROOT / "seeds" / "reference"


def report(incident_id: str, article_id: str, *, day: str = "2024-11-19", precision: str = "day",
           source: str = "text", sub: str = "Armed clash", place: str | None = "Pétion-Ville",
           kind: str = "neighbourhood", lineage: tuple = PETION_VILLE, country: str = "HTI",
           lat: float = 18.51, lon: float = -72.29, fatalities: int | None = None,
           named: tuple = (), groups: tuple = (), actor1: tuple = ("state_forces",),
           actor2: tuple = ("political_militia",), entities: tuple = (), outlet: str = "AP",
           summary: str = "", published: str | None = None, confidence: float = 0.8) -> dict:
    """One incident as sql/events/incident_features.sql returns it."""
    published_day = date.fromisoformat(published or day)
    return {
        "incident_id": incident_id, "article_id": article_id, "outlet": outlet, "url": None,
        "source_uri": f"{article_id}.md", "external_id": article_id, "title": None,
        "language": "en", "published_date": published_day,
        "first_reported_at": datetime.combine(published_day, datetime.min.time()),
        "event_date": date.fromisoformat(day), "date_precision": precision, "date_source": source,
        "event_type": EVENT_TYPES[sub], "sub_event_type": sub,
        "place_id": f"plc_{place}" if place else None, "place_name": place,
        "place_kind": kind if place else None, "country_iso3": country, "admin1": "Ouest",
        "latitude": lat, "longitude": lon,
        "place_lineage_ids": [f"plc_{p}" for p in lineage] if place else [],
        "place_lineage": list(lineage) if place else [], "place_lineage_kinds": [],
        "geo_precision": 1, "fatalities": fatalities, "injuries": None, "confidence": confidence,
        "summary": summary, "char_start": 0, "char_end": 10,
        "named_participants": list(named), "named_groups": list(groups),
        "actor1_categories": list(actor1), "actor2_categories": list(actor2),
        "span_entities": list(entities),
    }


def fused(*rows: dict, copies: dict | None = None):
    frame = pl.DataFrame(list(rows), infer_schema_length=None)
    if copies:
        frame = frame.with_columns(wire_group=pl.col("article_id").replace(copies))
    return fuse(prepare(frame, load_update_cues(REFERENCE)))


def groups_of(result) -> list[list[str]]:
    members = result.membership.group_by("cluster").agg(pl.col("incident_id").sort())
    return sorted(members["incident_id"].to_list())


# --- features -------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "precision", "source", "window"), [
    ("2024-11-19", "day", "text", ("2024-11-19", "2024-11-19")),
    ("2024-11-11", "week", "text", ("2024-11-11", "2024-11-17")),
    ("2024-11-01", "month", "text", ("2024-11-01", "2024-11-30")),
    ("2024-11-21", "week", "publication", ("2024-11-14", "2024-11-27")),
])
def test_date_window_covers_the_precision(day, precision, source, window):
    first, last = date_window(date.fromisoformat(day), precision, source)
    assert (first.isoformat(), last.isoformat()) == window


def test_place_key_folds_spellings_and_languages():
    assert place_key("Pétion-Ville") == place_key("Petionville") == place_key("Petion Ville")
    assert place_key("Delmas 24") != place_key("Delmas 33")


# A wire story, a reprint of it (last sentence cut, credit line added) and the same template
# filled in for another event.
STORY = ("PORT-AU-PRINCE (AP) - Haitian police backed by residents killed at least 20 gang "
         "members on Tuesday after gunmen tried to push into Petion-Ville, police said. "
         "The fighting lasted hours along the Route de Freres. Residents counted bodies. "
         "A police spokesman said two officers were wounded in the fighting.")
REPRINT = STORY.rsplit(" A police", 1)[0] + " Copyright ABC News."
TEMPLATED = STORY.replace("Petion-Ville", "Delmas").replace("20", "12")


def test_wire_copy_template_and_unrelated_texts():
    story, reprint, templated = STORY, REPRINT, TEMPLATED
    other = "Protesters marched through Nairobi against fuel prices on Tuesday, police said."
    assert relation(story, reprint, shingles(story), shingles(reprint)) == "copy"
    assert relation(story, templated, shingles(story), shingles(templated)) == "template"
    assert relation(story, other, shingles(story), shingles(other)) is None
    groups = wire_groups(pl.DataFrame({
        "article_id": ["b", "a", "c"], "body": [reprint, story, templated],
        "first_reported_at": [datetime(2024, 11, 20), datetime(2024, 11, 19), datetime(2024, 11, 19)],
    })).sort("article_id")
    assert groups["wire_group"].to_list() == ["a", "a", "c"]
    assert groups["templated_with"].to_list() == [["c"], ["c"], ["a", "b"]]


# --- fusion ---------------------------------------------------------------------------------


def test_reports_of_one_clash_fuse_across_languages_with_the_updated_toll():
    result = fused(
        report("i1", "ap", fatalities=20, named=("ins_hnp",), groups=("act_viv",)),
        report("i2", "nouvelliste", place="Pétionville", fatalities=25, outlet="Le Nouvelliste",
               named=("ins_hnp", "act_viv"), groups=("act_viv",), published="2024-11-20"),
        report("i3", "reuters", fatalities=28, named=("act_viv",), groups=("act_viv",),
               outlet="Reuters", published="2024-11-21",
               summary="The death toll from Tuesday's clash in Petion-Ville rose to 28."),
    )
    assert groups_of(result) == [["i1", "i2", "i3"]]
    event = result.events.row(0, named=True)
    assert (event["fatalities"], event["fatalities_min"], event["fatalities_max"]) == (28, 20, 28)
    assert event["fatalities_basis"] == "update" and event["n_sources"] == 3
    assert event["source"] == "AP; Le Nouvelliste; Reuters"
    assert event["event_date"] == date(2024, 11, 19) and event["cluster"] == "i1"


def test_without_an_update_the_lowest_toll_wins_never_the_sum():
    result = fused(report("i1", "a", fatalities=8, named=("act_viv",)),
                   report("i2", "b", fatalities=7, named=("act_viv",), outlet="Reuters"))
    event = result.events.row(0, named=True)
    assert (event["fatalities"], event["fatalities_basis"]) == (7, "lowest")


def test_same_day_same_city_events_of_other_types_or_places_stay_apart():
    result = fused(
        report("c1", "ap", named=("ins_hnp",)),
        report("c2", "reuters", named=("ins_hnp",), outlet="Reuters"),
        # A crowd lynches two alleged gang scouts the same day in the same district.
        report("m1", "ap2", sub="Mob violence", actor1=("rioters",), actor2=("civilians",)),
        report("m2", "haitilibre", sub="Mob violence", actor1=("rioters",), actor2=("civilians",),
               outlet="Haïti Libre"),
        # A clash the same day in another district.
        report("d1", "loop", place="Delmas", lineage=("Delmas", "Ouest", "Haiti"), lat=18.54,
               lon=-72.30, outlet="Loop Haiti", named=("ins_hnp",)),
    )
    assert groups_of(result) == [["c1", "c2"], ["d1"], ["m1", "m2"]]


def test_an_undated_follow_up_joins_its_event_but_not_one_of_two_raids():
    belot = ("Belot", "Kenscoff", "Ouest", "Haiti")
    first = [report("a1", "ap", day="2025-02-03", sub="Attack", place="Belot", lineage=belot,
                    groups=("act_viv",), named=("act_viv",), actor2=("civilians",)),
             report("a2", "hl", day="2025-02-03", sub="Attack", place="Belot", lineage=belot,
                    groups=("act_viv",), named=("act_viv",), actor2=("civilians",), outlet="HL")]
    follow_up = report("u1", "gp", day="2025-02-10", precision="week", source="publication",
                       sub="Attack", place="Belot", lineage=belot, groups=("act_viv",),
                       named=("act_viv",), actor2=("civilians",), outlet="GP")
    assert groups_of(fused(*first, follow_up)) == [["a1", "a2", "u1"]]
    second = [report("b1", "ap3", day="2025-02-08", sub="Attack", place="Belot", lineage=belot,
                     groups=("act_viv",), named=("act_viv",), actor2=("civilians",)),
              report("b2", "nv", day="2025-02-08", sub="Attack", place="Belot", lineage=belot,
                     groups=("act_viv",), named=("act_viv",), actor2=("civilians",), outlet="NV")]
    # Five days apart the two raids are two events; the follow-up fits both, so joins neither.
    assert groups_of(fused(*first, *second, follow_up)) == [["a1", "a2"], ["b1", "b2"], ["u1"]]


def test_at_a_busy_place_reports_fuse_only_on_a_rare_shared_detail():
    delmas = {"place": "Delmas", "lineage": ("Delmas", "Ouest", "Haiti"), "sub": "Attack",
              "actor2": ("civilians",), "named": ("act_viv",)}
    background = [report(f"x{n}", f"x{n}", day=(date(2024, 12, 1) + timedelta(days=n)).isoformat(),
                         **delmas) for n in range(1, 6)]
    day = "2024-12-15"
    result = fused(
        *background,
        # Two attacks in Delmas that day, told alike: distinct events look like this there.
        report("p1", "p1", day=day, fatalities=1, entities=("plc_delmas19",), **delmas),
        report("p2", "p2", day=day, fatalities=1, entities=("plc_delmas30",), **delmas),
        # One attack told by two outlets: the same street named, the same toll.
        report("q1", "q1", day=day, fatalities=4, entities=("plc_route_frères",), **delmas),
        report("q2", "q2", day=day, fatalities=4, entities=("plc_route_frères",), outlet="HL",
               **delmas),
    )
    grouped = groups_of(result)
    assert ["q1", "q2"] in grouped and ["p1"] in grouped and ["p2"] in grouped


def test_articles_filling_one_template_stay_apart():
    rows = [report("t1", "t1", named=("act_viv",), fatalities=3),
            report("t2", "t2", named=("act_viv",), fatalities=3)]
    frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
        templated_with=pl.Series([["t2"], ["t1"]]))
    result = fuse(prepare(frame))
    assert groups_of(result) == [["t1"], ["t2"]]


def test_reconciled_figures_and_confidence():
    reports = [{"fatalities": 20, "toll_update": False, "first_reported_at": datetime(2024, 11, 19)},
               {"fatalities": 28, "toll_update": True, "first_reported_at": datetime(2024, 11, 21)},
               {"fatalities": None, "toll_update": False, "first_reported_at": None}]
    assert reconcile_figures(reports, "fatalities") == (28, 20, 28, "update")
    assert reconcile_figures(reports[:1], "fatalities") == (20, 20, 20, "lowest")
    assert reconcile_figures(reports[2:], "fatalities") == (None, None, None, None)
    # "The toll rose to 4" after reports of 20 is a misreading: not taken, but in the spread.
    misread = [reports[0], {**reports[1], "fatalities": 4}]
    assert reconcile_figures(misread, "fatalities") == (20, 4, 20, "lowest")
    one = [{"sub_event_type": "Attack", "wire_group": "a", "confidence": 0.7}]
    copies = one + [{"sub_event_type": "Attack", "wire_group": "a", "confidence": 0.7}]
    independent = one + [{"sub_event_type": "Attack", "wire_group": "b", "confidence": 0.7}]
    assert event_confidence(one, "Attack") == event_confidence(copies, "Attack") == 0.7
    assert event_confidence(independent, "Attack") > 0.7


# --- ids ------------------------------------------------------------------------------------


def _events(membership: dict[str, list[str]], day: date = date(2024, 11, 19)) -> tuple:
    clusters = list(membership)
    events = pl.DataFrame({
        "cluster": clusters, "event_date": [day] * len(clusters),
        "first_reported_at": [datetime(2024, 11, 19, i) for i in range(len(clusters))],
        "country_iso3": ["HTI"] * len(clusters),
        **{c: [None] * len(clusters) for c in ["date_precision", "event_type", "sub_event_type",
                                               "place_id", "fatalities", "fatalities_min",
                                               "fatalities_max", "injuries", "source"]},
        "n_sources": [len(m) for m in membership.values()],
    })
    members = pl.DataFrame([{"incident_id": i, "cluster": c} for c, ids in membership.items()
                            for i in ids])
    return events, members


def _previous(events: pl.DataFrame, members: pl.DataFrame, history: pl.DataFrame) -> Previous:
    event_of = dict(events.select("cluster", "event_id").iter_rows())
    return Previous(events, members.with_columns(event_id=pl.col("cluster").replace(event_of)),
                    history)


def test_ids_come_from_the_earliest_incident_and_survive_new_reports():
    now = datetime(2024, 11, 20)
    events, members = _events({"i1": ["i1", "i2"], "i5": ["i5"]})
    first, history = assign(events, members, Previous.empty(), now)
    assert first.sort("cluster")["event_id"].to_list() == [derived_id("i1"), derived_id("i5")]
    assert first.sort("cluster")["event_id_cnty"].to_list() == ["HTI1", "HTI2"]
    # Next night: a report joins the first event, another starts a new one.
    later = datetime(2024, 11, 21)
    events2, members2 = _events({"i1": ["i1", "i2", "i3"], "i5": ["i5"], "i9": ["i9"]})
    second, _ = assign(events2, members2, _previous(first, members, history), later)
    ids = dict(second.select("cluster", "event_id").iter_rows())
    stamps = dict(second.select("cluster", "updated_at").iter_rows())
    codes = dict(second.select("cluster", "event_id_cnty").iter_rows())
    assert ids["i1"] == derived_id("i1") and ids["i5"] == derived_id("i5")
    assert codes == {"i1": "HTI1", "i5": "HTI2", "i9": "HTI3"}
    assert stamps["i1"] == later and stamps["i5"] == now  # only the changed event is updated


def test_a_report_that_bridges_two_events_keeps_the_older_id_and_retires_the_other():
    events, members = _events({"i1": ["i1", "i2"], "i5": ["i5", "i6"]})
    first, history = assign(events, members, Previous.empty(), datetime(2024, 11, 20))
    events2, members2 = _events({"i1": ["i1", "i2", "i5", "i6", "i7"]})
    second, history2 = assign(events2, members2, _previous(first, members, history),
                              datetime(2024, 11, 21))
    assert second["event_id"].to_list() == [derived_id("i1")]
    assert history2.select("retired_event_id", "event_id", "retired_event_id_cnty").rows() == \
        [(derived_id("i5"), derived_id("i1"), "HTI2")]
    # A third run with the same groups changes nothing.
    third, history3 = assign(events2, members2, _previous(second, members2, history2),
                             datetime(2024, 11, 22))
    assert third["event_id"].to_list() == second["event_id"].to_list()
    assert history3.rows() == history2.rows()


# --- ACLED sources and countries -----------------------------------------------------------


def test_source_scale_from_the_outlets():
    assert outlet_scale("Le Nouvelliste", None, "HT", "HTI", REFERENCE) == "National"
    assert outlet_scale("AP", None, "HT", "HTI", REFERENCE) == "International"
    assert outlet_scale("Premium Times", None, "HT", "HTI", REFERENCE) == "International"
    assert outlet_scale(None, "https://www.radio-local.ht/a", "HT", "HTI", REFERENCE) == "National"
    assert outlet_scale("Blog", "https://blog.example.com/a", "HT", "HTI", REFERENCE) is None
    assert combine_scales(["International", None, "National"]) == "National-International"
    haiti = countries(REFERENCE).filter(pl.col("iso3") == "HTI").row(0, named=True)
    assert (haiti["iso"], haiti["country"], haiti["region"]) == (332, "Haiti", "Caribbean")


# --- the stage on frames, and its suite -----------------------------------------------------


def _stage_inputs(rows: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    incidents = pl.DataFrame(rows, infer_schema_length=None)
    articles = incidents.select("article_id", "first_reported_at").unique("article_id").with_columns(
        body=pl.concat_str(pl.lit("Text of article "), pl.col("article_id")))
    return incidents, articles


def test_a_nightly_run_with_new_reports_keeps_every_event_id():
    night1 = [report("i1", "ap", named=("act_viv",), fatalities=20),
              report("i2", "reuters", named=("act_viv",), fatalities=20, outlet="Reuters"),
              report("k1", "kenya", sub="Peaceful protest", place="Nairobi", country="KEN",
                     lineage=("Nairobi", "Kenya"), lat=-1.29, lon=36.82, actor1=("protesters",),
                     actor2=(), day="2024-07-02")]
    incidents, articles = _stage_inputs(night1)
    first = build_events(incidents, articles, Previous.empty(), REFERENCE, datetime(2024, 11, 20))
    night2 = night1 + [report("i3", "nouvelliste", named=("act_viv",), fatalities=25,
                              outlet="Le Nouvelliste", published="2024-11-20"),
                       report("n1", "new", sub="Attack", place="Gonaives",
                              lineage=("Gonaives", "Artibonite", "Haiti"), lat=19.45, lon=-72.69,
                              day="2024-11-20", actor2=("civilians",))]
    incidents2, articles2 = _stage_inputs(night2)
    previous = Previous(first.events, first.event_incidents, first.event_id_history)
    second = build_events(incidents2, articles2, previous, REFERENCE, datetime(2024, 11, 21))
    assert set(first.events["event_id"]) <= set(second.events["event_id"])
    assert second.events.height == first.events.height + 1
    clash = second.events.filter(pl.col("event_id") == derived_id("i1")).row(0, named=True)
    assert clash["n_sources"] == 3 and clash["event_id_cnty"] == first.events.filter(
        pl.col("event_id") == derived_id("i1"))["event_id_cnty"][0]
    again = build_events(incidents2, articles2, Previous(second.events, second.event_incidents,
                                                         second.event_id_history),
                         REFERENCE, datetime(2024, 11, 22))
    assert again.events.equals(second.events)


def _staged_warehouse(path, tables) -> duckdb.DuckDBPyConnection:
    conn = wh.connect(path)
    for name, frame in tables.items():
        schema, table = name.split(".")
        wh.write_table(conn, name, conform(table, frame) if table in {
            "incidents", "places", "event_taxonomy", "events", "event_incidents"} else frame)
    return conn


def test_events_suite_passes_and_fails(tmp_path):
    from pipelines.quality.gates import validate

    rows = [report("i1", "ap", fatalities=20), report("i2", "reuters", fatalities=28,
                                                      outlet="Reuters")]
    incidents, articles = _stage_inputs(rows)
    built = build_events(incidents, articles, Previous.empty(), REFERENCE, datetime(2024, 11, 20))
    assert built.events.height == 1
    base = {
        "main.incidents": incidents.with_columns(event_type=pl.lit("Battles")),
        "main.places": pl.DataFrame({"place_id": ["plc_Pétion-Ville"], "name": ["Pétion-Ville"]}),
        "main.event_taxonomy": pl.DataFrame({"event_type": ["Battles"],
                                             "sub_event_type": ["Armed clash"]}),
        "staging.event_incidents": built.event_incidents,
    }
    parameters = {"min_rows_error": 1, "min_rows_warn": 0}

    def check(events: pl.DataFrame, event_incidents: pl.DataFrame, table: str):
        with _staged_warehouse(tmp_path / f"{table}-{events.height}-{event_incidents.height}.duckdb",
                               {**base, "staging.events": events,
                                "staging.event_incidents": event_incidents}) as conn:
            frame = wh.frame(conn, wh.load_sql(f"checks/{table}"))
        return validate(frame, table, parameters)

    assert check(built.events, built.event_incidents, "events").passed
    assert check(built.events, built.event_incidents, "event_incidents").passed
    wrong = built.events.with_columns(n_sources=pl.lit(5), fatalities=pl.lit(48))
    failed = {o.column for o in check(wrong, built.event_incidents, "events").errors}
    assert {"n_sources_matches_articles", "fatalities_within_reports"} <= failed
    twice = pl.concat([built.event_incidents, built.event_incidents.head(1)])
    failed = {o.column for o in check(built.events, twice, "event_incidents").errors}
    assert "times_listed" in failed


def test_events_are_fused_again_only_when_what_they_stand_on_changed(tmp_path):
    from pipelines.events.assets import NORMALIZED, TABLES, built_from_key

    conn = wh.connect(tmp_path / "w.duckdb")
    for table in [*NORMALIZED, *TABLES]:
        conn.execute(f"CREATE TABLE main.{table} AS SELECT 1 AS id")
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    key = built_from_key(conn, reference)
    assert built_from_key(conn, reference) == key
    conn.execute("INSERT INTO main.incidents VALUES (2)")  # a new report
    assert built_from_key(conn, reference) != key
    key = built_from_key(conn, reference)
    conn.execute("UPDATE main.events SET id = 3")  # main reset to an older snapshot's events
    assert built_from_key(conn, reference) != key
    key = built_from_key(conn, reference)
    with open(reference / "outlets.csv", "a", encoding="utf-8") as outlets:
        outlets.write("\n")  # a list only the events stage reads
    assert built_from_key(conn, reference) != key


def test_events_key_reads_the_normalized_tables_once(tmp_path):
    """The stage reads what it does not write once per run (`built_from_inputs`): the key it
    records after publishing is the one read from scratch, and the same value as before."""
    import hashlib

    from pipelines.events.assets import (
        EVENT_CODE,
        EVENT_LISTS,
        NORMALIZED,
        TABLES,
        built_from_inputs,
        built_from_key,
    )
    from pipelines.extract import cache

    conn = wh.connect(tmp_path / "w.duckdb")
    for table in [*NORMALIZED, *TABLES]:
        conn.execute(f"CREATE TABLE main.{table} AS SELECT 1 AS id")
    inputs = built_from_inputs(conn, REFERENCE)
    conn.execute("INSERT INTO main.events VALUES (2)")  # what the stage publishes
    key = built_from_key(conn, REFERENCE, inputs)
    assert key == built_from_key(conn, REFERENCE)
    digest = hashlib.sha256()  # the key's formula: a recorded key stays valid
    for table in [*NORMALIZED, *TABLES]:
        digest.update(f"{table}={wh.fingerprint(conn, 'main', table)};".encode())
    digest.update((cache.recorded_version(conn) or "").encode())
    digest.update(cache.file_hash(*(REFERENCE / n for n in EVENT_LISTS), *EVENT_CODE).encode())
    assert key == digest.hexdigest()
    conn.execute("DROP TABLE main.mentions")  # not read again once `inputs` holds it
    assert built_from_key(conn, REFERENCE, inputs) != built_from_key(conn, REFERENCE)



def test_splink_settings_name_only_columns_the_features_have():
    """Splink's check of the settings against the input columns is skipped in every call
    (`linkage.VALIDATE_SETTINGS`: its only effect is a log). Made here on the columns the
    calls register, it logs nothing; on a table lacking one, it would."""
    import logging

    from splink import DuckDBAPI, Linker

    from pipelines.events import linkage

    features = prepare(pl.DataFrame([report("a", "art-a"), report("b", "art-b", day="2024-11-20")],
                                    infer_schema_length=None), load_update_cues(REFERENCE))

    def logged_by_check(columns: list[str], link_type: str) -> list[str]:
        logged: list[str] = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = lambda record: logged.append(record.getMessage())
        splink_logger = logging.getLogger("splink.internals.settings_validation")
        level = splink_logger.level
        splink_logger.addHandler(handler)
        splink_logger.setLevel(logging.WARNING)
        tables = [features] if link_type == "dedupe_only" else [features.head(1), features.tail(1)]
        try:
            with duckdb.connect() as conn:
                api = DuckDBAPI(conn)
                registered = [api.register(t.select(columns).to_arrow(), table_name=f"t{i}")
                              for i, t in enumerate(tables)]
                Linker(registered if len(registered) > 1 else registered[0],
                       linkage.settings(link_type), log_level=None, validate_settings=True)
        finally:
            splink_logger.removeHandler(handler)
            splink_logger.setLevel(level)
        return logged

    assert linkage.VALIDATE_SETTINGS is False
    assert logged_by_check(linkage.COLUMNS, "dedupe_only") == []
    assert logged_by_check(linkage.COLUMNS, "link_only") == []
    assert logged_by_check([c for c in linkage.COLUMNS if c != "place_key"], "dedupe_only")


def test_a_place_lineage_runs_from_the_place_up_whatever_order_the_places_are_stored(tmp_path):
    """The features query lists a place's ancestors nearest first, and takes coordinates and
    admin1 from the nearest that has them (sql/events/incident_features.sql)."""
    from pipelines.contract import empty

    places = pl.DataFrame({
        "place_id": ["plc_Land", "plc_Hill", "plc_Ward", "plc_Vale"],
        "name": ["Land", "Hill", "Ward", "Vale"],
        "place_kind": ["country", "admin1", "neighbourhood", "town"],
        "parent_place_id": [None, "plc_Land", "plc_Vale", "plc_Hill"],
        "country_iso3": ["HTI"] * 4, "admin1": [None, "Hill", None, None],
        "latitude": [19.0, None, None, 18.5], "longitude": [-72.0, None, None, -72.3],
    })
    incident = pl.DataFrame({"incident_id": ["i1"], "article_id": ["a1"], "place_id": ["plc_Ward"],
                             "event_type": ["Battles"], "sub_event_type": ["Armed clash"]})
    article = pl.DataFrame({"article_id": ["a1"], "body": ["Gunmen and police clashed."]})
    tables = {"main.places": places, "main.incidents": incident,
              "main.articles": conform("articles", article)}
    for table in ["actors", "institutions", "incident_actors", "incident_institutions",
                  "mentions"]:
        tables[f"main.{table}"] = empty(table)
    with _staged_warehouse(tmp_path / "w.duckdb", tables) as conn:
        row = wh.frame(conn, wh.load_sql("events/incident_features")).row(0, named=True)
    assert row["place_lineage_ids"] == ["plc_Ward", "plc_Vale", "plc_Hill", "plc_Land"]
    assert row["place_lineage"] == ["Ward", "Vale", "Hill", "Land"]
    assert row["place_lineage_kinds"] == ["neighbourhood", "town", "admin1", "country"]
    assert (row["latitude"], row["longitude"], row["admin1"]) == (18.5, -72.3, "Hill")
