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
from functools import cache

from pipelines.extract.language import CaseFree, LanguagePack, alternation, lowered
from pipelines.extract.text import fold


@cache
def _patterns(pack: LanguagePack) -> list[tuple[str, CaseFree]]:
    """The date patterns of a language, built from its month, weekday and relative words."""
    words = pack.date_alternation
    month = r"(?P<month>" + alternation([re.escape(m) for m in pack.months]) + r")\.?"
    day = r"(?P<day>[0-3]?\d)" + "(?:" + words("day_suffix") + ")?"
    year = r"(?P<year>(?:19|20)\d\d)"
    weekday = r"(?P<weekday>" + alternation([re.escape(w) for w in pack.weekdays]) + r")"
    connector = r"(?:" + words("connector") + r"\s+)?"
    until = r"(?:\s*(?:-|" + words("range_connector") + r")\s*[0-3]?\d)?"
    no_year_after = r"(?!,?\s+(?:" + words("connector") + r"\s+)?(?:19|20)\d\d)"
    patterns = [
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("day_month_year", rf"\b{day}{until}\s+{connector}{month},?\s+{connector}{year}\b"),
        ("month_day_year", rf"\b{month}\s+{day}{until},?\s+{year}\b"),
        ("day_month", rf"\b{day}{until}\s+{connector}{month}\b{no_year_after}"),
        # the day in words ('le mardi dix-sept novembre', 'el dos de noviembre de 2026')
        ("word_day_month", rf"\b(?P<day>{words('day_word')})"
                           rf"(?:\s*(?:-|{words('range_connector')})\s*{words('day_word')})?"
                           rf"\s+{connector}{month}\b"
                           rf"(?:,?\s+{connector}{year}\b)?"),
        ("month_day", rf"\b{month}\s+{day}\b{no_year_after}"
                      r"(?!\s*(?:%|percent|people|members))"),
        ("month_year", rf"\b(?:(?:{words('month_prefix')})[- ])?{month},?\s+{connector}{year}\b"),
        # ('In July 12 ...' is a day, 'in July, 2024' a year; 'En juillet, 12 civils ...'
        # is July: a count after the comma, no day)
        ("month", rf"\b(?:{words('month_prefix')})[- ]{connector}{month}\b"
                  r"(?!\s+[0-3]?\d\b)(?![\s,]+(?:19|20)\d\d\b)"),
        ("weekday", rf"\b(?:(?:{words('weekday_prefix')})\s+)?{weekday}\b"
                    rf"(?:\s+(?:{words('weekday_suffix')})\b)?"),
        ("year", rf"\b(?:{words('year_prefix')})\s+{year}\b(?!-)"),
    ]
    for kind in RELATIVE_KINDS:
        if pack.date_words.get(kind):
            patterns.append((kind, rf"\b{words(kind)}\b"))
    return [(kind, CaseFree.of(re.compile(pattern, re.I))) for kind, pattern in patterns]


# The kinds whose pattern has a day or a year in digits: a sentence without a digit skips them.
DIGIT_KINDS = {"iso", "day_month_year", "month_day_year", "day_month", "month_day",
               "month_year", "year"}
_DIGIT = re.compile(r"\d")

RELATIVE_KINDS = ("day_before_yesterday", "yesterday", "today", "last_week", "last_weekend",
                  "this_month", "last_month")


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


def _month_number(text: str, pack: LanguagePack) -> int:
    return int(text) if text.isdigit() else pack.months[text.lower().rstrip(".")]


def latest_publication(published: date | None, precision: str) -> date | None:
    """The last day the publication date can be: a month-precise date may be any day of it."""
    if published is None:
        return None
    if precision == "month":
        return published.replace(day=calendar.monthrange(published.year, published.month)[1])
    if precision == "year":
        return published.replace(month=12, day=31)
    return published


def _year_for(month: int, day: int, latest: date | None, upcoming: int = 0) -> int | None:
    """The year that puts a date given without one on or before the publication date, unless
    it falls at most `upcoming` days after it: then it is a day to come this year."""
    if latest is None:
        return None
    candidate = _safe_date(latest.year, month, day)
    if candidate is not None and candidate > latest + timedelta(days=max(1, upcoming)):
        return latest.year - 1
    return latest.year


# A day and month without a year up to two weeks after the publication date is a day to come
# (the vote 'on 30 November', a hearing, a deadline), not the same day nearly a year ago: a
# writer recalling last year's day would name the year. It dates nothing (`find_dates` drops
# days after the publication).
UPCOMING_DAYS = 14


def _resolve(kind: str, match: re.Match, published: date | None, published_precision: str,
             pack: LanguagePack) -> tuple[date, str, str] | None:
    groups = match.groupdict()
    latest = latest_publication(published, published_precision)
    if kind in {"iso", "day_month_year", "month_day_year"}:
        found = _safe_date(int(groups["year"]), _month_number(groups["month"], pack), int(groups["day"]))
        return (found, "day", "explicit") if found else None
    if kind in {"day_month", "month_day", "word_day_month"}:
        month = _month_number(groups["month"], pack)
        day = pack.day_words[fold(groups["day"])] if kind == "word_day_month" \
            else int(groups["day"])
        year = int(groups["year"]) if groups.get("year") \
            else _year_for(month, day, latest, UPCOMING_DAYS)
        found = _safe_date(year, month, day) if year else None
        return (found, "day", "explicit") if found else None
    if kind == "month_year":
        return date(int(groups["year"]), _month_number(groups["month"], pack), 1), "month", "explicit"
    if kind == "month":
        month = _month_number(groups["month"], pack)
        year = _year_for(month, 1, latest)
        return (date(year, month, 1), "month", "explicit") if year else None
    if kind == "year":
        return date(int(groups["year"]), 1, 1), "year", "explicit"
    if published is None:
        return None
    if kind == "weekday":
        groups = {**groups, "past": bool(_past_words(pack).search(match.group(0)))}
    return _relative(kind, groups, published, published_precision, pack)


@cache
def _past_words(pack: LanguagePack) -> re.Pattern:
    """'last', 'dernier', 'pasado': a weekday so marked is never the publication day itself."""
    return re.compile(rf"\b{pack.date_alternation('weekday_past')}\b", re.I)


def _relative(kind: str, groups: dict, published: date, published_precision: str,
              pack: LanguagePack) -> tuple[date, str, str] | None:
    exact = published_precision == "day"
    month_start = published.replace(day=1)
    if kind in {"weekday", "yesterday", "today", "day_before_yesterday"}:
        if not exact:
            return month_start, "month", "relative"
        if kind == "weekday":
            back = (published.weekday() - pack.weekdays[groups["weekday"].lower()]) % 7
            back = 7 if back == 0 and groups.get("past") else back
        else:
            back = {"yesterday": 1, "day_before_yesterday": 2}.get(kind, 0)
        return published - timedelta(days=back), "day", "relative"
    if kind == "last_weekend":
        if not exact:
            return month_start, "month", "relative"
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        return saturday, "week", "relative"
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


# A quoted name ending in a weekday ('"Bloody Friday"', '« Vendredi noir »' aside): the
# capitalised word right after an opening quotation mark, right before the weekday.
_NAMED_DAY = re.compile(r"[\"“«]\s*[A-Z][\w'’-]+\s+$")


# A capitalised word right before a capitalised 'Today' makes it part of a name.
_NAME_BEFORE = re.compile(r"[A-Z][\w'’.-]*\s+$")


# A capitalised word, not the sentence's first, then 'du', 'de', 'del', 'of': a date right
# after it ends a name ('le Mouvement du 23 mars', 'el Movimiento 19 de Abril' aside, 'the
# Movement of 23 March'), not the day of an event.
_NAME_OF = re.compile(r"\S[\s/(]+[A-Z][\w'’-]+\s+(?:du|de|del|de la|of|of the)\s+$")


def _capitalised_month(text: str, pack: LanguagePack) -> bool:
    """Whether a day and month ('9 de Octubre') write the month capitalised in a language that
    writes months in lower case (the pack's `month_case` setting): inside a sentence, that is
    the name of a street, a square or a district ('la avenida 10 de Agosto'), not a date."""
    month = text.split()[-1]
    return pack.settings.get("month_case") == "lower" and month[:1].isupper() and \
        month[1:].islower()


# The kinds that name a day of a month: a weekday written right before one ('Monday, November
# 2', 'lundi 2 novembre', 'el lunes 2 de noviembre') is that day's name and takes its date.
DAY_KINDS = {"iso", "day_month_year", "month_day_year", "day_month", "month_day",
             "word_day_month"}
_BEFORE_DAY = re.compile(r"[\s,]*(?:(?:the|le|el)\s+)?")


def _day_named_after(sentence: str, end: int, days: list[tuple[int, date | None]]
                     ) -> tuple[bool, date | None]:
    """Whether a weekday ending at `end` is followed by a day and month, and that day (None
    when it dates nothing: a day to come): read from the publication date, the weekday could
    name another week's day (a round-up published on a Monday dating 'Monday, November 2' to
    that Monday). The weekday keeps the day's date, should the day itself be set aside
    later (a sentence opening like a dateline, 'Jedi swa, 6 mas, ...')."""
    gap = _BEFORE_DAY.match(sentence, end).end()
    return next(((True, when) for start, when in days if start == gap), (False, None))


# A weekday after 'starting' is the nearest such day: one at most this many days after the
# publication is a day to come ('a curfew starting Wednesday' in Tuesday's paper), one further
# ahead is the last such day ('imposed a curfew starting on Tuesday' in Wednesday's paper).
STARTING_AHEAD = 3


@cache
def _starting(pack: LanguagePack) -> re.Pattern | None:
    """'starting', 'beginning', 'from' right before a weekday (its prefix 'on' included)."""
    words = pack.date_words.get("weekday_starting")
    return re.compile(rf"(?<!\w){alternation(words)}\s+$", re.I) if words else None


def _upcoming_weekday(sentence: str, match: re.Match, published: date | None,
                      published_precision: str, pack: LanguagePack) -> bool:
    """Whether a weekday written after 'starting' is a day to come: 'officials announced a
    curfew starting Wednesday' in Tuesday's paper tells a curfew not yet in force."""
    starting = _starting(pack)
    if starting is None or published is None or published_precision != "day" or \
            not starting.search(sentence[:match.start()]) or _range_after(sentence, match, pack):
        return False
    ahead = (pack.weekdays[match.group("weekday").lower()] - published.weekday()) % 7
    return 0 < ahead <= STARTING_AHEAD


def _range_after(sentence: str, match: re.Match, pack: LanguagePack) -> bool:
    """'fighting from Friday to Sunday': the weekday opens a span of days gone by."""
    connectors = pack.date_words.get("range_connector")
    return bool(connectors) and re.match(rf"\s+(?:{alternation(connectors)})\b",
                                         sentence[match.end():], re.I) is not None


@cache
def _habitual(pack: LanguagePack) -> re.Pattern:
    """'every', 'chaque', 'cada' right before a weekday: a day that recurs, no date."""
    return re.compile(rf"(?<!\w){pack.date_alternation('weekday_habitual')}\s+$", re.I)


def find_dates(sentence: str, published: date | None, published_precision: str,
               pack: LanguagePack) -> list[DateMention]:
    """Every date the sentence gives, in text order; longer explicit forms win overlaps."""
    latest = latest_publication(published, published_precision)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    days: list[tuple[int, date | None]] = []  # where a day of a month starts, and its date
    digits = _DIGIT.search(sentence) is not None
    low = lowered(sentence)
    for kind, pattern in _patterns(pack):
        if not digits and kind in DIGIT_KINDS:
            continue
        # Most kinds are in no sentence: a search of the lowered sentence says so quickly
        # (`CaseFree`); the matches are read on the sentence as written.
        if pattern.lower is not None and low is not None and not pattern.lower.search(low):
            continue
        for match in pattern.pattern.finditer(sentence):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            if kind == "weekday" and _NAMED_DAY.search(sentence, 0, start):
                continue  # 'in what became known as "Bloody Friday"': a name, not a date
            if kind == "weekday" and _habitual(pack).search(sentence[:start]):
                continue  # 'traders gather every Sunday': a habit, not the day of an event
            if kind == "weekday" and _upcoming_weekday(sentence, match, published,
                                                       published_precision, pack):
                continue  # 'a curfew starting Wednesday': a day to come dates nothing
            if kind == "today" and _NAME_BEFORE.search(sentence, 0, start) and \
                    match.group(0).strip()[:1].isupper():
                continue  # 'a count by L'Orient Today', 'USA Today': an outlet's name
            if kind in DIGIT_KINDS and _NAME_OF.search(sentence, 0, start):
                continue  # 'le Mouvement du 23 mars': a name, not the day of an event
            if kind in {"day_month", "word_day_month"} and start > 0 and \
                    _capitalised_month(match.group(0), pack):
                continue  # 'la colonia 5 de Mayo': a street or a district, not a day
            resolved = _resolve(kind, match, published, published_precision, pack)
            if kind == "weekday":
                named, day = _day_named_after(sentence, end, days)
                if not named:  # the weekday's match may hold the day ('lundi 9 novembre')
                    named, day = _day_named_after(sentence, match.end("weekday"), days)
                if named and day is None:
                    continue  # 'Monday, December 2' to come: no date
                if named:
                    resolved = (day, "day", "explicit")  # 'Monday, November 2': that day
            if resolved is None:
                continue
            when, precision, source = resolved
            out_of_range = when.year < 1900 or (latest and when > latest + timedelta(days=1))
            if kind in DAY_KINDS:
                days.append((start, None if out_of_range else when))
            if out_of_range:
                continue
            taken.append((start, end))
            found.append(DateMention(when, precision, source, start, end, match.group(0).strip()))
    return sorted(found, key=lambda d: d.start)


def names_upcoming_day(sentence: str, published: date | None, published_precision: str,
                       pack: LanguagePack) -> bool:
    """Whether the sentence names a day and month without a year that is yet to come (within
    UPCOMING_DAYS after publication): 'will attend a vigil on 27 November' tells a plan; so
    does a weekday to come after 'starting' (`_upcoming_weekday`)."""
    latest = latest_publication(published, published_precision)
    if latest is None:
        return False
    for kind, pattern in _patterns(pack):
        if kind == "weekday" and _starting(pack) is not None:
            if any(_upcoming_weekday(sentence, match, published, published_precision, pack)
                   for match in pattern.pattern.finditer(sentence)):
                return True
            continue
        if kind not in {"day_month", "month_day"} or _DIGIT.search(sentence) is None:
            continue
        for match in pattern.pattern.finditer(sentence):
            resolved = _resolve(kind, match, published, published_precision, pack)
            if resolved is not None and resolved[0] > latest + timedelta(days=1):
                return True
    return False

