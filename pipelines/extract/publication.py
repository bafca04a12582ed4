"""The publication date an article's own text gives: its dateline's or its byline's.

Shared by ingest (so that `articles.published_date` says it) and extraction (which dates
relative expressions by it). No model is needed: dates are read with the language packs.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from pipelines.extract.dates import find_dates
from pipelines.extract.language import LanguagePack, load_pack
from pipelines.ingest.dateline import Dateline, byline_text, find_dateline
from pipelines.settings import reference_dir

# Scrapers and CMS exports write a byline line's date in English ('El Universo | 18 February
# 2025 | https://...') whatever the language of the article under it.
BYLINE_LANGUAGE = "en"

# 'Hawke's Bay Today | 2025-07-16 | https://...': CMS exports and scrapers write the date of a
# byline line the ISO way, which no language's date words read.
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def text_publication(body: str, dateline: Dateline | None, published: date | None,
                     precision: str, fallback: date, pack: LanguagePack | None,
                     byline_pack: LanguagePack | None = None) -> tuple[date | None, str]:
    """The publication date, made precise by the dateline's date when the metadata only gave
    a month ('GOMA, Jan 27 (Reuters) -' in an article filed under /2025/01/). A file with no
    date at all (an article pasted into a .txt) is dated by its dateline too, a yearless one
    ('MAIDUGURI, Nigeria, June 3 (Reuters) -') taken as the last such day up to `fallback`
    (the ingestion day), else by the full date on its byline line."""
    if precision == "day" or pack is None:
        return published, precision
    if dateline is not None and dateline.date_text:
        reference, reference_precision = ((published, precision) if published is not None
                                          else (fallback, "day"))
        found = [d for d in find_dates(dateline.date_text, reference, reference_precision, pack)
                 if d.precision == "day"]
        if found:
            return found[0].date, "day"
    # A plain-text article whose only date is on its byline line ('La Prensa — 20 de agosto
    # de 2025 — https://...'): a full date there (with its year) is the publication date.
    byline = byline_text(body) if published is None else None
    readers = [pack] + ([byline_pack] if byline_pack not in (None, pack) else [])
    found = [d.date for reader in readers
             for d in (find_dates(byline, None, "unknown", reader) if byline else [])
             if d.precision == "day"]
    found = found or _iso_dates(byline or "")
    return (found[0], "day") if found else (published, precision)


def ingest_publication(body: str, language: str, published: date | None, precision: str,
                       ingested: date) -> tuple[date | None, str]:
    """What ingest stores as the publication date: the metadata's when it gives the day,
    else the date the article's dateline or byline gives (read with the article's language
    pack, English when it has none), else the metadata's (null, 'unknown' when none)."""
    if precision == "day":
        return published, precision
    found = text_publication(body, find_dateline(body), published, precision, ingested,
                             _pack(language) or _pack("en"), _pack(BYLINE_LANGUAGE))
    # A date after ingestion is a typo or a placeholder, as in the metadata (`metadata.py`).
    return found if found[0] is None or found[0] <= ingested else (published, precision)


@cache
def _pack(language: str) -> LanguagePack | None:
    return load_pack(reference_dir(), language)


def _iso_dates(text: str) -> list[date]:
    """The valid ISO dates (YYYY-MM-DD) written in `text`."""
    found = []
    for match in _ISO_DATE.finditer(text):
        try:
            found.append(date(*(int(part) for part in match.groups())))
        except ValueError:
            continue
    return found
