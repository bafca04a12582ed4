"""Article metadata: title, publication date with its precision, language and article id.

All functions are pure (no I/O, no clock: "now" is passed in) so the same input gives the same
row on every run and machine.

Publication date sources, most trusted first (`infer_published`):

1. explicit values: a JSON field, a front-matter key, a page's sidecar, the date trafilatura
   (htmldate) read in an HTML page; parsed with python-dateutil, precision 'day', 'month'
   (e.g. '2024-03', 'March 2024') or 'year' ('2024');
2. a date in a URL: the record's own URL, then URLs found in the raw text (scraped pages keep
   image links such as `/wp-content/uploads/2024/11/x.png`): `/2024/11/05/` gives a day,
   `/2024/11/` a month;
3. the source path relative to the input root: `2024/11/05/x.txt`, `2024-11-05-x.md`,
   `2024/11/x.txt`, or a `2024/` folder (year).

When none of them gives the day, `readers` takes the day the article's own dateline or byline
line gives (`pipelines.extract.publication.ingest_publication`: 'KANO, Nigeria, June 3
(Reuters) -', 'Outlet | Section | 9 November 2026'), which extraction dates events by too.

A month or year is stored as its first day. Dates before 1900 or after `now` are ignored (typos,
placeholders, or a timezone-free clock) and the next source is tried; with none left the date is
null and the precision 'unknown'.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil import parser as date_parser

from pipelines.ingest.cleaning import clean_inline

Precision = Literal["day", "month", "year", "unknown"]
DateGuess = tuple[date | None, Precision]
UNKNOWN: DateGuess = (None, "unknown")

MIN_YEAR = 1900
MAX_TITLE_CHARS = 150

_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# `/2024/11/05/` (or at the end of the path) -> day; `/2024/11/` -> month. The month must be
# followed by '/' so `/2024/1234-slug` is not read as a month.
_URL_DAY = re.compile(rf"/({_YEAR})/({_MONTH})/({_DAY})(?:/|$)")
_URL_MONTH = re.compile(rf"/({_YEAR})/({_MONTH})/")
_PATH_ISO_DAY = re.compile(rf"(?<!\d)({_YEAR})-({_MONTH})-({_DAY})(?!\d)")
_PATH_YEAR_DIR = re.compile(rf"(?:^|/)({_YEAR})/")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_MD_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


# Query parameters that only track where a reader came from; they never change the article.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid",
    "ito", "ref", "ref_src", "smid", "sr_share", "s_cid", "ncid", "at_medium", "at_campaign",
})


def article_id(body: str) -> str:
    """First 16 hex characters of the sha256 of the cleaned body (stable across machines)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _checked(day: date, precision: Precision, now: datetime) -> DateGuess:
    """Accept a date only inside [1900-01-01, now]; otherwise report it unknown."""
    if day.year < MIN_YEAR or day > now.date():
        return UNKNOWN
    return day, precision


def _safe_date(year: str | int, month: str | int = 1, day: str | int = 1) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # 2024/02/31
        return None


def parse_date_string(text: str, now: datetime) -> DateGuess:
    """Parse an explicit date string, telling how precise it is.

    dateutil fills missing parts from a default; parsing with two different defaults shows which
    parts the string actually gave (no month tables of our own). A string without a year is
    rejected: guessing the year is the extractor's job, not ingest's.
    """
    text = text.strip()
    if not text:
        return UNKNOWN
    first_default = datetime(2000, 1, 1)
    second_default = datetime(2001, 2, 2)
    for fuzzy in (False, True):
        try:
            first = date_parser.parse(text, default=first_default, fuzzy=fuzzy)
            second = date_parser.parse(text, default=second_default, fuzzy=fuzzy)
        except (ValueError, OverflowError, TypeError):
            continue
        if first.year != second.year:
            return UNKNOWN
        if first.month != second.month:
            return _checked(date(first.year, 1, 1), "year", now)
        if first.day != second.day:
            return _checked(date(first.year, first.month, 1), "month", now)
        # The local date as written: a timestamp with an offset is not shifted to UTC.
        return _checked(first.date(), "day", now)
    return UNKNOWN


def parse_date_value(value: object, now: datetime) -> DateGuess:
    """Parse a date from a JSON / front-matter value: str, date, datetime or number.

    Integers 1900..2100 are years; larger numbers are Unix timestamps (seconds, or
    milliseconds above 10^11).
    """
    if value is None or isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, datetime):
        return _checked(value.date(), "day", now)
    if isinstance(value, date):
        return _checked(value, "day", now)
    if isinstance(value, int | float):
        number = int(value)
        if MIN_YEAR <= number <= 2100:
            return _checked(date(number, 1, 1), "year", now)
        if number > 10**11:
            number //= 1000
        try:
            return _checked(datetime.fromtimestamp(number, UTC).date(), "day", now)
        except (ValueError, OverflowError, OSError):
            return UNKNOWN
    if isinstance(value, str):
        return parse_date_string(value, now)
    return UNKNOWN


def date_from_url(url: str, now: datetime) -> DateGuess:
    """Date encoded in a URL path: `/2024/11/05/` -> day, `/2024/11/` -> month."""
    match = _URL_DAY.search(url)
    if match and (day := _safe_date(*match.groups())):
        guess = _checked(day, "day", now)
        if guess != UNKNOWN:
            return guess
    match = _URL_MONTH.search(url)
    if match and (day := _safe_date(*match.groups())):
        return _checked(day, "month", now)
    return UNKNOWN


def date_from_path(relative_path: str, now: datetime) -> DateGuess:
    """Date encoded in a path relative to the input root (folders or an ISO date in a name)."""
    path = "/" + relative_path.replace("\\", "/")
    guess = date_from_url(path, now)
    if guess != UNKNOWN:
        return guess
    match = _PATH_ISO_DAY.search(path)
    if match and (day := _safe_date(*match.groups())):
        guess = _checked(day, "day", now)
        if guess != UNKNOWN:
            return guess
    # A bare year folder is trusted in our own input tree, not in URLs (where a 4-digit path
    # segment is as likely an id as a year).
    match = _PATH_YEAR_DIR.search(path)
    if match:
        return _checked(date(int(match.group(1)), 1, 1), "year", now)
    return UNKNOWN


def find_urls(text: str) -> list[str]:
    """URLs in raw text, in order of appearance (markup not yet removed)."""
    return _URL.findall(text)


def infer_published(
    explicit: Iterable[object],
    urls: Iterable[str],
    relative_path: str,
    now: datetime,
) -> DateGuess:
    """Publication date and precision from the sources in order of trust (see module doc).

    `explicit` are raw values (field, front matter, HTML meta) in order of trust; `urls` are the
    record's own URL first, then the URLs found in its raw text.
    """
    for value in explicit:
        guess = parse_date_value(value, now)
        if guess != UNKNOWN:
            return guess
    for url in urls:
        guess = date_from_url(url, now)
        if guess != UNKNOWN:
            return guess
    return date_from_path(relative_path, now)


def canonical_url(url: str | None) -> str | None:
    """The form under which two URLs of the same article compare equal, or None if not http(s).

    Scheme and host lower-cased, default port, fragment and tracking parameters (`utm_*`,
    `fbclid`...) dropped, the remaining parameters kept in their order, an empty path made '/'.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not key.lower().startswith("utm_")
                       and key.lower() not in TRACKING_PARAMETERS])
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def url_domain(url: str | None) -> str | None:
    """The host of a URL without a leading 'www.' ('https://www.lenouvelliste.com/x' ->
    'lenouvelliste.com'), or None."""
    canonical = canonical_url(url)
    if canonical is None:
        return None
    host = urlsplit(canonical).hostname or ""
    return host.removeprefix("www.") or None


def language_code(value: object) -> str | None:
    """The primary subtag of a language tag a record or feed declares ('en-US' -> 'en'), or
    None when it is not one (then the language is detected from the text)."""
    match = _LANGUAGE_TAG.fullmatch(value.strip()) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 timestamp (a sidecar's or the fetch log's `fetched_at`) as naive UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp


def markdown_title(text: str) -> str | None:
    """Text of the first level-1 Markdown heading (`# Title`), if any."""
    match = _MD_H1.search(text)
    if match is None:
        return None
    return clean_inline(match.group(1)) or None


def title_from_first_line(body: str) -> str | None:
    """The body's first line when it reads like a headline: short and without a final period.

    Needs at least one more line, so a one-paragraph article does not become its own title.
    The line stays in the body: the title is metadata only.
    """
    first, _, rest = body.partition("\n")
    first = first.strip()
    if not first or not rest.strip():
        return None
    if len(first) >= MAX_TITLE_CHARS or first.endswith("."):
        return None
    return first
