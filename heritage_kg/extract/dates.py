"""Time expressions -> TimeBounds, resolved against the article's publication date.

Only spans already recognised as dates are parsed (never free text: dateparser reads a year out of
"a 1,800-year-old"). News conventions dateparser does not follow are handled here: a bare month is the
latest such month not after publication ("in December" in March 2017 is 2016-12), "last March" is the
latest March before the current month, and a weekday is the latest such day on or before publication
("on Wednesday" in an article of Wednesday 1 March is that day).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from ..model import TimeBounds

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_LEADING = re.compile(r"^(?:(?:in|on|at|since|during|by|from|until|of|the|early|late|mid|mid-|around|about)\s+)+")
_YEAR = re.compile(r"^(\d{4})$")
_BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+)$")
_MONTH_ONLY = re.compile(rf"^(last|this|past)?\s*{_MONTH}$")
_MONTH_YEAR = re.compile(rf"^{_MONTH},?\s+(\d{{4}})$")
_WEEKDAY = re.compile(r"^(last|this|past)?\s*(" + "|".join(WEEKDAYS) + r")$")
_DECADE = re.compile(r"^(\d{3})0s$")
_CENTURY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)\s+century$")
_HAS_DIGIT_AND_MONTH = re.compile(rf"\b{_MONTH}\b.*\d|\d.*\b{_MONTH}\b")
_RELATIVE_WORDS = re.compile(r"\b(yesterday|today|tonight|ago)\b")


def parse_published(value: str | None) -> date | None:
    """The last day the header's date allows: 2017-03 -> 2017-03-31 (an article dated by month)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def year_bounds(year: int, text: str | None = None) -> TimeBounds:
    return TimeBounds(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), text)


def month_bounds(year: int, month: int, text: str | None = None) -> TimeBounds:
    last = calendar.monthrange(year, month)[1]
    return TimeBounds(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last), text)


def day_bounds(day: date, text: str | None = None) -> TimeBounds:
    return TimeBounds(day.isoformat(), day, day, text)


def interval(start: TimeBounds, end: TimeBounds, text: str | None = None) -> TimeBounds:
    return TimeBounds(f"{start.edtf}/{end.edtf}", start.earliest, end.latest, text)


def resolve_date(text: str, published: date | None) -> TimeBounds | None:
    """The time a date expression names, or None when it names no resolvable point or period."""
    words = re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))
    if words.startswith("since ") and published is not None:  # "since 2011": from then to the report
        start = resolve_date(words.removeprefix("since "), published)
        if start is not None and start.earliest <= published:
            return interval(start, day_bounds(published), text)
    words = _LEADING.sub("", words).strip(" ,.")
    if not words:
        return None
    if match := _BETWEEN.match(words):  # "between 27 august 2015 and 2 september 2015"
        first, last = resolve_date(match.group(1), published), resolve_date(match.group(2), published)
        if first is not None and last is not None and first.earliest <= last.latest:
            return interval(first, last, text)
        return None
    if match := _YEAR.match(words):
        return year_bounds(int(match.group(1)), text)
    if match := _DECADE.match(words):
        decade = int(match.group(1)) * 10
        return TimeBounds(f"{decade}/{decade + 9}", date(decade, 1, 1), date(decade + 9, 12, 31), text)
    if match := _CENTURY.match(words):
        century = int(match.group(1))
        start_year, end_year = (century - 1) * 100 + 1, century * 100
        return TimeBounds(f"{start_year:04d}/{end_year:04d}", date(start_year, 1, 1), date(end_year, 12, 31), text)
    if match := _MONTH_YEAR.match(words):
        return month_bounds(int(match.group(2)), MONTHS[match.group(1)], text)
    if published is None:
        # Relative expressions need a publication date; an absolute one still parses below.
        if _HAS_DIGIT_AND_MONTH.search(words) and re.search(r"\d{4}", words):
            return _parse_with_dateparser(words, None, text)
        return None
    if match := _MONTH_ONLY.match(words):
        month = MONTHS[match.group(2)]
        strictly_before = match.group(1) in ("last", "past")
        year = published.year
        if month > published.month or (strictly_before and month >= published.month):
            year -= 1
        return month_bounds(year, month, text)
    if match := _WEEKDAY.match(words):
        weekday = WEEKDAYS[match.group(2)]
        back = (published.weekday() - weekday) % 7
        if back == 0 and match.group(1) in ("last", "past"):
            back = 7
        return day_bounds(published - timedelta(days=back), text)
    relative = _relative_period(words, published, text)
    if relative is not None:
        return relative
    if _HAS_DIGIT_AND_MONTH.search(words) or _RELATIVE_WORDS.search(words):
        return _parse_with_dateparser(words, published, text)
    return None


def _relative_period(words: str, published: date, text: str) -> TimeBounds | None:
    if words in ("last year", "past year"):
        return year_bounds(published.year - 1, text)
    if words in ("this year", "earlier this year", "so far this year"):
        return TimeBounds(str(published.year), date(published.year, 1, 1), published, text)
    if words in ("last month", "past month"):
        first = published.replace(day=1) - timedelta(days=1)
        return month_bounds(first.year, first.month, text)
    if words in ("this month", "earlier this month"):
        return TimeBounds(published.strftime("%Y-%m"), published.replace(day=1), published, text)
    if words in ("last week", "past week", "this week", "earlier this week"):
        start = published - timedelta(days=7)
        return TimeBounds(f"{start.isoformat()}/{published.isoformat()}", start, published, text)
    if words in ("last night", "this morning", "today", "tonight", "earlier today"):
        return day_bounds(published, text)
    return None


def _parse_with_dateparser(words: str, published: date | None, text: str) -> TimeBounds | None:
    found = _parser(published).get_date_data(words)
    if found is None or found.date_obj is None:
        return None
    day = found.date_obj.date()
    if published is not None and day > published:
        return None  # news reports what happened; a future date here is a misreading
    if found.period == "year":
        return year_bounds(day.year, text)
    if found.period == "month":
        return month_bounds(day.year, day.month, text)
    if found.period in ("day", "time"):
        return day_bounds(day, text)
    return None


@lru_cache(maxsize=64)
def _parser(published: date | None) -> DateDataParser:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                                   "RETURN_TIME_AS_PERIOD": True}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    return DateDataParser(languages=["en"], settings=settings)
