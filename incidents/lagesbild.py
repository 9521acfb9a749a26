"""The weekly lägesbild: a district × category table for one ISO week, with the
change against the mean of the four weeks before, and the places that recur.

A fixed number of queries whatever the number of reports (docs/performance.md):
the districts, the categories, one sum per district, category and week, and one
count per district, place and week.
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek, Lower, Trim
from django.utils.formats import number_format

from promises.models import Municipality

from .models import IncidentCategory, IncidentReport

# The weeks the mean is taken over, before the chosen one.
WEEKS_BEFORE = 4


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written as 2026-W48 (the week of today if the
    value is missing or not a week)."""
    try:
        year, week = (value or "").upper().split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return monday_of(today)


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclasses.dataclass
class Cell:
    count: int = 0
    before: int = 0  # the sum of the four weeks before
    category: object = None  # the column's (None: all)

    @property
    def mean(self) -> float:
        return self.before / WEEKS_BEFORE

    @property
    def change(self) -> float:
        return self.count - self.mean

    @property
    def change_text(self) -> str:
        """The change with its sign, one decimal: "+2,5", "−1,0", "0,0"."""
        rounded = Decimal(str(self.change)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        text = number_format(rounded, decimal_pos=1)
        return f"+{text}" if self.change > 0 else text.replace("-", "−")

    @property
    def is_empty(self) -> bool:
        return not (self.count or self.before)


@dataclasses.dataclass
class Row:
    district: object
    cells: list[Cell]
    total: Cell


@dataclasses.dataclass
class Place:
    district: object
    place: str
    reports: int  # this week
    weeks: int  # of the five weeks, those it was reported in


@dataclasses.dataclass
class WeeklyPicture:
    municipality: Municipality
    monday: datetime.date
    categories: list
    rows: list[Row]
    totals: list[Cell]
    total: Cell
    places: list[Place]

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def week(self) -> str:
        return week_label(self.monday)

    @property
    def week_number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def previous(self) -> str:
        return week_label(self.monday - datetime.timedelta(days=7))

    @property
    def next(self) -> str:
        return week_label(self.monday + datetime.timedelta(days=7))


def categories_of(municipality: Municipality):
    return IncidentCategory.objects.filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    ).order_by("order", "name")


def _week_of(row) -> datetime.date:
    return datetime.date.fromisocalendar(row["iso_year"], row["iso_week"], 1)


def weekly_picture(municipality: Municipality, monday: datetime.date) -> WeeklyPicture:
    first = monday - datetime.timedelta(weeks=WEEKS_BEFORE)
    reports = IncidentReport.objects.filter(
        district__municipality=municipality,
        date__range=(first, monday + datetime.timedelta(days=6)),
    ).annotate(iso_year=ExtractIsoYear("date"), iso_week=ExtractWeek("date"))
    sums = (
        reports.values("district_id", "category_id", "iso_year", "iso_week")
        .annotate(total=Sum("occurrences"))
        .order_by()
    )
    cells = defaultdict(Cell)
    for row in sums:
        cell = cells[row["district_id"], row["category_id"]]
        if _week_of(row) == monday:
            cell.count += row["total"]
        else:
            cell.before += row["total"]
    districts = list(municipality.districts.order_by("name"))
    used = {category_id for _district, category_id in cells}
    categories = [
        category
        for category in categories_of(municipality)
        if category.is_active or category.pk in used
    ]
    rows = []
    totals = [Cell(category=category) for category in categories]
    total = Cell()
    for district in districts:
        row = Row(district, [], Cell())
        for index, category in enumerate(categories):
            found = cells.get((district.pk, category.pk), Cell())
            cell = Cell(found.count, found.before, category)
            row.cells.append(cell)
            for summed in (row.total, totals[index], total):
                summed.count += cell.count
                summed.before += cell.before
        rows.append(row)
    return WeeklyPicture(
        municipality=municipality,
        monday=monday,
        categories=categories,
        rows=rows,
        totals=totals,
        total=total,
        places=recurring_places(reports, districts, monday),
    )


def recurring_places(reports, districts, monday) -> list[Place]:
    """The places reported this week that were reported before in the five weeks,
    or more than once this week: most reports first."""
    by_pk = {district.pk: district for district in districts}
    counts = (
        reports.exclude(place="")
        .annotate(key=Lower(Trim("place")))
        .values("district_id", "key", "iso_year", "iso_week")
        .annotate(reports=Count("id"), spelled=Min("place"))
        .order_by()
    )
    places = {}
    for row in counts:
        key = (row["district_id"], row["key"])
        place = places.setdefault(
            key, Place(by_pk[row["district_id"]], row["spelled"], 0, 0)
        )
        place.weeks += 1
        if _week_of(row) == monday:
            place.reports += row["reports"]
    recurring = [
        place
        for place in places.values()
        if place.reports and (place.weeks > 1 or place.reports > 1)
    ]
    return sorted(recurring, key=lambda p: (-p.reports, -p.weeks, p.district.name))
