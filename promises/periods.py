"""Calendar periods: ISO weeks, months, quarters, half-years and years.

The one place that does date arithmetic on periods; progress, reports and their
warnings all use it. Periods are plain dates, first and last day inclusive.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)
WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
HALF_YEAR = "half_year"
YEAR = "year"
MONTHS = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}

Span = tuple[datetime.date, datetime.date]


def calendar_period(period: str, day: datetime.date) -> Span:
    """The calendar period (ISO week for weeks) that holds a day, first and last day."""
    if period == WEEK:
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, monday + datetime.timedelta(days=6)
    length = MONTHS[period]
    first_month = (day.month - 1) // length * length + 1
    start = datetime.date(day.year, first_month, 1)
    next_month = first_month + length
    if next_month > 12:
        end = datetime.date(day.year + 1, next_month - 12, 1) - ONE_DAY
    else:
        end = datetime.date(day.year, next_month, 1) - ONE_DAY
    return start, end


def periods(
    period: str, starts_on: datetime.date, ends_on: datetime.date
) -> list[Span]:
    """Calendar periods from starts_on to ends_on, the first and last clipped."""
    result = []
    day = starts_on
    while day <= ends_on:
        start, end = calendar_period(period, day)
        result.append((max(start, starts_on), min(end, ends_on)))
        day = end + ONE_DAY
    return result


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """(year, quarter 1–4) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_span(year: int, quarter: int) -> Span:
    """First and last day of a quarter."""
    return calendar_period(QUARTER, datetime.date(year, 3 * quarter - 2, 1))


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def weekdays_between(start: datetime.date, end: datetime.date, weekday: int) -> int:
    """How many of an ISO weekday (1 = Monday) fall from start to end, inclusive."""
    if end < start:
        return 0
    first = start + datetime.timedelta(days=(weekday - start.isoweekday()) % 7)
    if first > end:
        return 0
    return (end - first).days // 7 + 1


def period_label(period: str, start: datetime.date) -> str:
    """A period's name for people: "vecka 23, 2026", "mars 2026", "kvartal 2 2026"."""
    if period == WEEK:
        year, week, _weekday = start.isocalendar()
        return _("vecka %(week)d, %(year)d") % {"week": week, "year": year}
    if period == MONTH:
        return date_format(start, "F Y")
    if period == QUARTER:
        return _("kvartal %(quarter)d %(year)d") % {
            "quarter": quarter_of(start)[1],
            "year": start.year,
        }
    if period == HALF_YEAR:
        if start.month <= 6:
            return _("första halvåret %(year)d") % {"year": start.year}
        return _("andra halvåret %(year)d") % {"year": start.year}
    return str(start.year)
