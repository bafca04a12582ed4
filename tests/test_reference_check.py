"""Malformed rows in the reference lists stop the run before anything is published."""

import shutil

import pytest
from dagster import DagsterEventType

from pipelines.extract.reference_check import (
    LANGUAGE_SCHEMAS,
    SCHEMAS,
    ReferenceDataError,
    check_reference_dir,
    validate_reference_dir,
)
from pipelines.settings import PROJECT_ROOT
from tests.warehouse_tools import contents, copy_tree

REFERENCE = PROJECT_ROOT / "seeds" / "reference"


@pytest.fixture
def lists(tmp_path):
    return shutil.copytree(REFERENCE, tmp_path / "reference")


def append(path, line):
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def lines_of(path) -> int:
    return path.read_bytes().count(b"\n")


def test_the_project_lists_are_valid_and_all_known():
    assert validate_reference_dir(REFERENCE) == []
    assert {p.name for p in REFERENCE.glob("*.csv")} == set(SCHEMAS)
    packs = [d for d in REFERENCE.iterdir() if d.is_dir()]
    assert {d.name for d in packs} >= {"en", "fr", "ht", "es"}
    for pack in packs:
        assert {p.name for p in pack.glob("*.csv")} <= set(LANGUAGE_SCHEMAS), pack


@pytest.mark.parametrize(("name", "row", "problem"), [
    ("places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,18.55,abc,,", "longitude: 'abc' is not a number"),
    ("places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,118.5,-72.3,,",
     "latitude: 118.5 is not between -90 and 90"),
    ("places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,18.55,,,", "give both latitude and longitude"),
    ("places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,0,0,,", "0,0 is not a place"),
    ("places.csv", "Bel Air,,suburb,HTI,Ouest,,,,,", "place_kind: 'suburb' is not one of"),
    ("places.csv", "Bel Air,,neighbourhood,HAI,Ouest,,,,,", "country_iso3: 'HAI' is not an ISO 3166"),
    ("places.csv", "Bel Air,neighbourhood,HTI,Ouest,,,,,", "9 fields where the header has 10"),
    ("places.csv", ",,neighbourhood,HTI,Ouest,,,,,", "name is empty"),
    ("places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,,,,12x", "geonames_id: '12x' is not a whole number"),
    ("actors.csv", "Gang X,,gang,political_militia,HTI,", "actor_kind: 'gang' is not one of"),
    ("institutions.csv", "Police X,PX,,police,police_forces,HTI", "category: 'police_forces' is not one of"),
    ("en/descriptors.csv", "bandits,armed_group,political_militia,groups,", "entity_table: 'groups'"),
    ("fr/numbers.csv", "douze,12a,", "value: '12a' is not a whole number"),
    ("trigger_kinds.csv", "clash2,Battles,Armed clash,1.5,true,", "strength: 1.5 is not between 0 and 1"),
    ("demonyms.csv", "Haitian,", "country_iso3 is empty"),
    ("admin1.csv", "XX,01,Nowhere", "country_iso2: 'XX' is not an ISO 3166 alpha-2"),
    ("acled_taxonomy.csv", "Battle,Armed clash", "event_type: 'Battle' is not one of"),
    ("en/cues.csv", r"background,accused (?:\w+ ){0,5}of", "ends inside a {m,n} quantifier"),
    ("en/triggers.csv", "kill,killed (?:by", "not a valid regular expression"),
])
def test_a_malformed_row_is_named_by_file_line_and_problem(lists, name, row, problem):
    path = lists / name
    append(path, row)
    problems = validate_reference_dir(lists)
    assert len(problems) == 1, problems
    assert problems[0].path == path and problems[0].line == lines_of(path)
    assert problem in problems[0].message
    assert f"{name} line {lines_of(path)}: " in str(problems[0])


def test_header_encoding_and_quoted_commas(lists):
    (lists / "demonyms.csv").write_text("demonym,iso3\nHaitian,HTI\n", encoding="utf-8")
    (lists / "admin1.csv").write_bytes((lists / "admin1.csv").read_bytes() + b"HT,16,Sud-Est \xe9\n")
    append(lists / "actors.csv", "")
    append(lists / "actors.csv", '"Gang, with a comma",,armed_group,political_militia,HTI,"a note"')
    found = {p.path.name: p for p in validate_reference_dir(lists)}
    assert set(found) == {"demonyms.csv", "admin1.csv"}
    assert found["demonyms.csv"].line == 1
    assert "lacks column(s) country_iso3" in found["demonyms.csv"].message
    assert found["admin1.csv"].line == lines_of(lists / "admin1.csv")
    assert "not UTF-8" in found["admin1.csv"].message


def test_the_error_shows_twenty_problems_and_counts_the_rest(lists):
    for number in range(25):
        append(lists / "demonyms.csv", f"Nowhereish{number},NWH")
    with pytest.raises(ReferenceDataError) as raised:
        check_reference_dir(lists)
    text = str(raised.value)
    assert text.startswith("25 problem(s) in the reference lists; nothing was published")
    assert text.count("demonyms.csv line") == 20 and text.endswith("... and 5 more")


@pytest.mark.slow
def test_a_bad_row_stops_the_run_before_anything_is_published(
        built_warehouse, seed_articles, lists, tmp_path):
    from pipelines.build import build_warehouse

    root = copy_tree(built_warehouse.parent, tmp_path / "case")
    published = root / "incidents.duckdb"
    before = contents(published)
    append(lists / "places.csv", "Bel Air,,neighbourhood,HTI,Ouest,,18.55,-72.33x,,")

    result = build_warehouse(seed_articles, published, reference_dir=lists, raise_on_error=False)

    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
    assert failure.step_key == "extract_sentences"
    message = failure.event_specific_data.error.message
    assert f"places.csv line {lines_of(lists / 'places.csv')}: longitude: '-72.33x' is not a number" \
        in message
    assert "Traceback" not in message
    assert contents(published) == before

    (lists / "places.csv").write_text((REFERENCE / "places.csv").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    assert build_warehouse(seed_articles, published, reference_dir=lists).success
    assert contents(published) == before
