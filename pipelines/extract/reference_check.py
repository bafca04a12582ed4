"""Check the reference lists (`seeds/reference/*.csv`) before a run uses them.

A row a user adds by hand can be malformed: a missing comma, a kind outside the vocabulary, a
latitude of 'abc'. `validate_reference_dir` reads every top-level list it knows (`SCHEMAS`)
and every list of each language pack (`<lang>/`, `LANGUAGE_SCHEMAS`) and returns one
`Problem` per error, naming the file, the line and what is wrong; the extract
and normalize stages refuse to run on lists with problems, so nothing is published from them.

To check a new list, add an entry to `SCHEMAS` (or `LANGUAGE_SCHEMAS`): its columns, and for
each column whether it is required and which check its value must pass. No Dagster here.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

# Vocabularies of ../shared/docs/warehouse-contract.md.
CATEGORIES = ("state_forces", "rebel_group", "political_militia", "identity_militia", "rioters",
              "protesters", "civilians", "external_forces", "other")
ACTOR_KINDS = ("person", "armed_group", "civilians", "protesters", "rioters", "other")
INSTITUTION_KINDS = ("police", "military", "multinational_force", "intergovernmental",
                     "government", "political_party", "judiciary", "financial", "ngo", "media",
                     "other")
PLACE_KINDS = ("country", "admin1", "admin2", "city", "locality", "neighbourhood", "road",
               "facility", "region", "other")
EVENT_TYPES = ("Battles", "Violence against civilians", "Explosions/Remote violence", "Riots",
               "Protests", "Strategic developments")

Check = Callable[[str], str | None]  # a value -> what is wrong with it, or None
RowCheck = Callable[[dict[str, str]], str | None]  # a row -> what is wrong with it, or None


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    check: Check | None = None


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{_shown(self.path)} line {self.line}" if self.line else _shown(self.path)
        return f"{where}: {self.message}"


class ReferenceDataError(ValueError):
    """The reference lists have problems; the message lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:MAX_REPORTED])
        more = len(problems) - MAX_REPORTED
        super().__init__(f"{len(problems)} problem(s) in the reference lists; nothing was "
                         f"published. Fix them and run again:\n{shown}"
                         + (f"\n  ... and {more} more" if more > 0 else ""))


MAX_REPORTED = 20


def one_of(*allowed: str) -> Check:
    return lambda value: None if value in allowed else (
        f"{value!r} is not one of: {', '.join(allowed)}")


def number_between(low: float, high: float) -> Check:
    def check(value: str) -> str | None:
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        return None if low <= number <= high else f"{value} is not between {low:g} and {high:g}"
    return check


def digits(value: str) -> str | None:
    return None if value.isdigit() else f"{value!r} is not a whole number"


@cache
def _countries() -> tuple[frozenset[str], frozenset[str]]:
    import pycountry

    # Kosovo's XK/XKX is user-assigned in ISO 3166 but used by ACLED, GeoNames and the EU.
    return (frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"},
            frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"})


def iso2(value: str) -> str | None:
    return None if value in _countries()[0] else f"{value!r} is not an ISO 3166 alpha-2 country code"


def iso3(value: str) -> str | None:
    return None if value in _countries()[1] else f"{value!r} is not an ISO 3166 alpha-3 country code"


def _places_row(row: dict[str, str]) -> str | None:
    latitude, longitude = row.get("latitude", ""), row.get("longitude", "")
    if bool(latitude) != bool(longitude):
        return "give both latitude and longitude, or neither"
    if latitude and longitude and _is_zero(latitude) and _is_zero(longitude):
        return "0,0 is not a place: leave latitude and longitude empty when unknown"
    return None


def _is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "places.csv": (
        Column("name", required=True), Column("aliases"), Column("place_kind", check=one_of(*PLACE_KINDS)),
        Column("country_iso3", required=True, check=iso3), Column("admin1"), Column("admin2"),
        Column("latitude", check=number_between(-90, 90)),
        Column("longitude", check=number_between(-180, 180)),
        Column("parent"), Column("geonames_id", check=digits),
    ),
    "admin1.csv": (
        Column("country_iso2", required=True, check=iso2),
        Column("geonames_admin1_code", required=True), Column("admin1", required=True),
    ),
    "institutions.csv": (
        Column("name", required=True), Column("acronym"), Column("aliases"),
        Column("institution_kind", check=one_of(*INSTITUTION_KINDS)),
        Column("category", check=one_of(*CATEGORIES)), Column("country_iso3", check=iso3),
    ),
    "actors.csv": (
        Column("name", required=True), Column("aliases"),
        Column("actor_kind", check=one_of(*ACTOR_KINDS)),
        Column("category", check=one_of(*CATEGORIES)), Column("country_iso3", check=iso3),
        Column("note"),
    ),
    "countries.csv": (
        Column("country_iso3", required=True, check=iso3), Column("name", required=True),
        Column("aliases"),
    ),
    "acled_regions.csv": (
        Column("iso3", required=True, check=iso3), Column("country", required=True),
        Column("region", required=True),
    ),
    "outlets.csv": (
        Column("outlet", required=True), Column("aliases"), Column("domain"),
        Column("scale", check=one_of("International", "National", "Regional", "Subnational")),
        Column("country_iso3", check=iso3),
    ),
    "demonyms.csv": (Column("demonym", required=True), Column("country_iso3", required=True, check=iso3)),
    "trigger_kinds.csv": (
        Column("kind", required=True),
        Column("event_type", required=True, check=one_of(*EVENT_TYPES)),
        Column("sub_event_type", required=True),
        Column("strength", required=True, check=number_between(0, 1)),
        Column("violent", required=True, check=one_of("true", "false")), Column("meaning"),
    ),
    "acled_taxonomy.csv": (
        Column("event_type", required=True, check=one_of(*EVENT_TYPES)),
        Column("sub_event_type", required=True),
    ),
}


@cache  # the extract and normalize stages both check the lists: compile each phrase once
def pattern(value: str) -> str | None:
    """A phrase is a regular expression: it must compile, and a `{m,n}` quantifier left
    unquoted in the CSV is cut at its comma ('(?:\\w+ ){0' then '5}of' in the next column),
    which still compiles, as a literal, and silently never matches."""
    if re.search(r"\{\d*$", value):
        return "ends inside a {m,n} quantifier: put the phrase in double quotes"
    try:
        re.compile(value)
    except re.error as error:
        return f"not a valid regular expression ({error})"
    return None


# The lists of a language pack, `seeds/reference/<lang>/` (see language.py for their meaning).
LANGUAGE_SCHEMAS: dict[str, tuple[Column, ...]] = {
    "triggers.csv": (Column("kind", required=True),
                     Column("phrase", required=True, check=pattern)),
    "cues.csv": (Column("cue", required=True), Column("phrase", required=True, check=pattern)),
    "casualties.csv": (Column("role", required=True),
                       Column("phrase", required=True, check=pattern)),
    "dates.csv": (Column("kind", required=True), Column("word", required=True), Column("value")),
    "numbers.csv": (Column("word", required=True), Column("value", required=True, check=digits)),
    "entities.csv": (Column("role", required=True), Column("word", required=True), Column("value")),
    "group_nouns.csv": (Column("noun", required=True), Column("canonical", required=True),
                        Column("category", check=one_of(*CATEGORIES))),
    "settings.csv": (Column("key", required=True), Column("value")),
    "descriptors.csv": (
        Column("phrase", required=True),
        Column("actor_kind", check=one_of(*dict.fromkeys(ACTOR_KINDS + INSTITUTION_KINDS))),
        Column("category", check=one_of(*CATEGORIES)),
        Column("entity_table", check=one_of("actors", "institutions")),
    ),
}
# Checks that need several columns of a row.
ROW_CHECKS: dict[str, RowCheck] = {"places.csv": _places_row}


def validate_reference_dir(reference_dir: Path) -> list[Problem]:
    """Every problem in the lists of `SCHEMAS` found in `reference_dir` (missing files are
    allowed: the loaders treat them as empty)."""
    problems: list[Problem] = []
    for name, columns in SCHEMAS.items():
        path = reference_dir / name
        if path.is_file():
            problems += validate_file(path, columns, ROW_CHECKS.get(name))
    for pack in sorted(language_pack_dirs(reference_dir)):
        for name, columns in LANGUAGE_SCHEMAS.items():
            if (pack / name).is_file():
                problems += validate_file(pack / name, columns)
    return problems


def language_pack_dirs(reference_dir: Path) -> list[Path]:
    """The language packs: sub-folders named by a language code that hold a trigger list."""
    return [d for d in reference_dir.iterdir() if d.is_dir() and (d / "triggers.csv").is_file()]


def check_reference_dir(reference_dir: Path) -> None:
    """Raise ReferenceDataError if any list has a problem."""
    problems = validate_reference_dir(reference_dir)
    if problems:
        raise ReferenceDataError(problems)


def validate_file(path: Path, columns: tuple[Column, ...], row_check: RowCheck | None = None
                  ) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return [Problem(path, _line_of(path, error.start), "not UTF-8 text (save the file as UTF-8)")]
    except OSError as error:
        return [Problem(path, None, f"cannot be read: {error.strerror or error}")]
    reader = csv.reader(text.splitlines(keepends=True))
    header = [name.strip() for name in next(reader, [])]
    missing = [c.name for c in columns if c.name not in header]
    if missing:
        return [Problem(path, 1, f"header lacks column(s) {', '.join(missing)}; expected "
                                 f"{','.join(c.name for c in columns)}")]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return [Problem(path, 1, f"column(s) {', '.join(repeated)} appear twice in the header")]
    problems = []
    line = reader.line_num + 1
    for fields in reader:
        if any(field.strip() for field in fields):
            problems += _row_problems(path, line, header, fields, columns, row_check)
        line = reader.line_num + 1
    return problems


def _row_problems(path: Path, line: int, header: list[str], fields: list[str],
                  columns: tuple[Column, ...], row_check: RowCheck | None) -> list[Problem]:
    if len(fields) < len(header) and all(name == "note" for name in header[len(fields):]):
        fields = fields + [""] * (len(header) - len(fields))  # a trailing note may be left off
    if len(fields) != len(header):
        return [Problem(path, line, f"{len(fields)} fields where the header has {len(header)} "
                                    "(a value holding a comma must be in double quotes)")]
    row = {name: value.strip() for name, value in zip(header, fields, strict=True)}
    problems = []
    for column in columns:
        value = row[column.name]
        if not value:
            if column.required:
                problems.append(Problem(path, line, f"{column.name} is empty"))
            continue
        wrong = column.check(value) if column.check else None
        if wrong:
            problems.append(Problem(path, line, f"{column.name}: {wrong}"))
    wrong = row_check(row) if row_check else None
    if wrong:
        problems.append(Problem(path, line, wrong))
    return problems


def _line_of(path: Path, offset: int) -> int:
    return path.read_bytes()[:offset].count(b"\n") + 1


def _shown(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) \
        else str(path)
