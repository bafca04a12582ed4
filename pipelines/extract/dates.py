"""Dates in a sentence, resolved against the article's publication date.

Explicit dates ("1 January 2024", "November 13", "2024-01-05") give day precision; a month
("in March 2024", "early November") month precision; relative expressions ("on Monday",
"yesterday", "overnight", "last week", "earlier this month") are resolved from the
publication date, and are only as precise as that date is: with a month-precise publication
date, "on Monday" can only be placed in that month.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {abbr.lower(): number for number, abbr in enumerate(calendar.month_abbr) if abbr}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("day_month_year", re.compile(rf"\b{_DAY}(?:\s*(?:and|-|to)\s*[0-3]?\d)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*(?:and|-|to)\s*[0-3]?\d)?,?\s+{_YEAR}\b", re.I)),
    ("day_month", re.compile(rf"\b{_DAY}(?:\s*(?:and|-|to)\s*[0-3]?\d)?\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)(?!\s*(?:%|percent|people|members))", re.I)),
    ("month_year", re.compile(rf"\b(?:(?:early|mid|late|end of|beginning of)[- ])?{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("month", re.compile(rf"\b(?:in|during|since|early|mid|late|end of|beginning of)[- ](?:of\s+)?{_MONTH}\b(?![\s,]+(?:[0-3]?\d|(?:19|20)\d\d)\b)", re.I)),
    ("weekday", re.compile(rf"\b(?:on|last|this past|early|late|since)?\s*{_WEEKDAY}\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|overnight|earlier today)\b", re.I)),
    ("last_week", re.compile(r"\b(?:last week|the previous week|the week before)\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier this month|this month)\b", re.I)),
    ("last_month", re.compile(r"\b(?:last month|the previous month)\b", re.I)),
    ("year", re.compile(rf"\b(?:in|during|since)\s+{_YEAR}\b(?!-)", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    date: date
    precision: str  # 'day', 'week', 'month', 'year'
    source: str  # 'explicit', 'relative'
    start: int
    end: int
    text: str


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower().rstrip(".")]


def latest_publication(published: date | None, precision: str) -> date | None:
    """The last day the publication date can be: a month-precise date may be any day of it."""
    if published is None:
        return None
    if precision == "month":
        return published.replace(day=calendar.monthrange(published.year, published.month)[1])
    if precision == "year":
        return published.replace(month=12, day=31)
    return published


def _year_for(month: int, day: int, latest: date | None) -> int | None:
    """The year that puts a date given without one on or before the publication date."""
    if latest is None:
        return None
    candidate = _safe_date(latest.year, month, day)
    if candidate is not None and candidate > latest + timedelta(days=1):
        return latest.year - 1
    return latest.year


def _resolve(kind: str, match: re.Match, published: date | None, published_precision: str
             ) -> tuple[date, str, str] | None:
    groups = match.groupdict()
    latest = latest_publication(published, published_precision)
    if kind in {"iso", "day_month_year", "month_day_year"}:
        found = _safe_date(int(groups["year"]), _month_number(groups["month"]), int(groups["day"]))
        return (found, "day", "explicit") if found else None
    if kind in {"day_month", "month_day"}:
        month, day = _month_number(groups["month"]), int(groups["day"])
        year = _year_for(month, day, latest)
        found = _safe_date(year, month, day) if year else None
        return (found, "day", "explicit") if found else None
    if kind == "month_year":
        return date(int(groups["year"]), _month_number(groups["month"]), 1), "month", "explicit"
    if kind == "month":
        month = _month_number(groups["month"])
        year = _year_for(month, 1, latest)
        return (date(year, month, 1), "month", "explicit") if year else None
    if kind == "year":
        return date(int(groups["year"]), 1, 1), "year", "explicit"
    if published is None:
        return None
    return _relative(kind, groups, published, published_precision)


def _relative(kind: str, groups: dict, published: date, published_precision: str
              ) -> tuple[date, str, str] | None:
    exact = published_precision == "day"
    month_start = published.replace(day=1)
    if kind in {"weekday", "yesterday", "today"}:
        if not exact:
            return month_start, "month", "relative"
        if kind == "weekday":
            back = (published.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        else:
            back = 1 if kind == "yesterday" else 0
        return published - timedelta(days=back), "day", "relative"
    if kind == "last_week":
        if not exact:
            return month_start, "month", "relative"
        monday = published - timedelta(days=published.weekday() + 7)
        return monday, "week", "relative"
    if kind == "this_month":
        return month_start, "month", "relative"
    if kind == "last_month":
        return (month_start - timedelta(days=1)).replace(day=1), "month", "relative"
    return None


def find_dates(sentence: str, published: date | None, published_precision: str
               ) -> list[DateMention]:
    """Every date the sentence gives, in text order; longer explicit forms win overlaps."""
    latest = latest_publication(published, published_precision)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            resolved = _resolve(kind, match, published, published_precision)
            if resolved is None:
                continue
            when, precision, source = resolved
            if when.year < 1900 or (latest and when > latest + timedelta(days=1)):
                continue
            taken.append((start, end))
            found.append(DateMention(when, precision, source, start, end, match.group(0).strip()))
    return sorted(found, key=lambda d: d.start)
