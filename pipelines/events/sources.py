"""ACLED's source columns and country codes, from reference lists users can extend.

`source_scale` says how far from the event its sources are: an outlet of the event's country
is National, a wire agency or a foreign outlet International (ACLED joins several with '-',
"National-International"). Outlets are looked up in `seeds/reference/outlets.csv` by name,
alias or web domain; an outlet not listed there is National when its domain ends in the
event country's top-level domain (`.ht` for Haiti), and unknown otherwise. `countries` gives
ISO's numeric code (pycountry) with ACLED's country names and regions
(`seeds/reference/acled_regions.csv`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
from unidecode import unidecode

SCALE_ORDER = ("Subnational", "National", "Regional", "International")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Outlet:
    name: str
    scale: str
    country_iso3: str | None


def _key(text: str) -> str:
    return _NON_ALNUM.sub("", unidecode(text).lower())


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@cache
def load_outlets(reference_dir: Path) -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    """(outlets by folded name or alias, outlets by web domain)."""
    by_name, by_domain = {}, {}
    for row in _rows(reference_dir / "outlets.csv"):
        outlet = Outlet(row["outlet"], row["scale"], row.get("country_iso3") or None)
        for name in [row["outlet"], *row.get("aliases", "").split("|")]:
            if name.strip():
                by_name[_key(name)] = outlet
        if row.get("domain"):
            by_domain[row["domain"].lower()] = outlet
    return by_name, by_domain


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


def outlet_scale(outlet: str | None, url: str | None, event_iso2: str | None,
                 event_iso3: str | None, reference_dir: Path) -> str | None:
    host = _host(url)
    known = _known_outlet(outlet, host, reference_dir)
    if known is not None:
        if known.scale in ("National", "Subnational") and known.country_iso3 \
                and event_iso3 and known.country_iso3 != event_iso3:
            return "International"
        return known.scale
    if host and event_iso2 and host.endswith("." + event_iso2.lower()):
        return "National"
    return None


@cache
def _known_outlet(outlet: str | None, host: str, reference_dir: Path) -> Outlet | None:
    """The listed outlet by name, else by web domain (remembered: every report of an outlet
    asks, and the domains are scanned one by one)."""
    by_name, by_domain = load_outlets(reference_dir)
    known = by_name.get(_key(outlet)) if outlet else None
    return known or next((o for domain, o in by_domain.items()
                          if host == domain or host.endswith("." + domain)), None)


def combine_scales(scales: Iterable[str | None]) -> str | None:
    """ACLED's form: the distinct scales, nearest first, joined by '-'."""
    found = {s for s in scales if s}
    ordered = [s for s in SCALE_ORDER if s in found] + sorted(found - set(SCALE_ORDER))
    return "-".join(ordered) or None


@cache
def iso2(iso3: str | None) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    return country.alpha_2 if country else None


def countries(reference_dir: Path) -> pl.DataFrame:
    """iso3, iso (numeric), country (ACLED's name), region."""
    import pycountry

    rows = []
    for row in _rows(reference_dir / "acled_regions.csv"):
        country = pycountry.countries.get(alpha_3=row["iso3"])
        rows.append({"iso3": row["iso3"], "iso": int(country.numeric) if country else None,
                     "country": row["country"], "region": row["region"]})
    return pl.DataFrame(rows, schema={"iso3": pl.String, "iso": pl.Int64, "country": pl.String,
                                      "region": pl.String})
