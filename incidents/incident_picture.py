"""The incident picture, EST's "lägesbild" of the partners' incident reports (not
the police's operational lägesbild, promises.OperationalPicture).

The weekly picture: a district × category table for one ISO week, with the
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
from django.db.models.functions import (
    ExtractIsoYear,
    ExtractQuarter,
    ExtractWeek,
    Lower,
    Trim,
)
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from promises.models import Municipality, Priority
from reports.models import IndicatorValue

from .models import IncidentCategory, IncidentReport

# The weeks the mean is taken over, before the chosen one.
WEEKS_BEFORE = 4


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


# The years a lägesbild may be asked for (weekly and yearly); others are not a
# mistake worth an error page, and the first and last weeks a date can have
# would overflow the weeks before and after them.
YEARS = range(2000, 2201)


def parse_week(value: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written as 2026-W48 (the week of today if the
    value is missing, not a week, or not in YEARS)."""
    try:
        year, week = (value or "").upper().split("-W")
        if int(year) not in YEARS:
            raise ValueError
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


# --- The figures beside a quarter's choice of priorities ------------------------------

EVIDENCE_DAYS = 91  # a quarter's worth of weeks


@dataclasses.dataclass
class DistrictFigures:
    district: object
    count: int = 0
    count_before: int = 0  # the same number of days before
    top_category: str = ""
    top_count: int = 0
    survey: list = dataclasses.field(default_factory=list)  # (indicator, year, value)

    def summary(self, first: datetime.date, last: datetime.date) -> str:
        text = str(
            _(
                "Händelser %(first)s–%(last)s: %(count)d (de %(days)d dagarna före: %(before)d)."
            )
        ) % {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "count": self.count,
            "days": EVIDENCE_DAYS,
            "before": self.count_before,
        }
        if self.top_category:
            text += " " + str(_("Vanligast: %(category)s (%(count)d).")) % {
                "category": self.top_category,
                "count": self.top_count,
            }
        for indicator, year, value in self.survey:
            text += f" {indicator.name} {year}: {floatformat(value, -1)}"
            text += f" {indicator.unit}." if indicator.unit else "."
        return text


@dataclasses.dataclass
class QuarterEvidence:
    first: datetime.date
    last: datetime.date
    districts: list[DistrictFigures]

    def of(self, district) -> DistrictFigures | None:
        return next((f for f in self.districts if f.district.pk == district.pk), None)


def quarter_evidence(
    municipality: Municipality, first_day: datetime.date, today: datetime.date
) -> QuarterEvidence:
    """Each district's reports in the 91 days up to the quarter (or up to today,
    for a quarter under way), against the 91 days before; its most reported
    category; and the survey's values for it (reports.IndicatorValue). Four
    queries, whatever the number of reports."""
    last = min(today, first_day - datetime.timedelta(days=1))
    first = last - datetime.timedelta(days=EVIDENCE_DAYS - 1)
    before = first - datetime.timedelta(days=EVIDENCE_DAYS)
    figures = {
        district.pk: DistrictFigures(district)
        for district in municipality.districts.order_by("name")
    }
    reports = IncidentReport.objects.filter(
        district__municipality=municipality, date__range=(before, last)
    )
    sums = (
        reports.values("district_id", "category__name")
        .annotate(
            now=Sum("occurrences", filter=Q(date__gte=first)),
            then=Sum("occurrences", filter=Q(date__lt=first)),
        )
        .order_by()
    )
    for row in sums:
        district = figures[row["district_id"]]
        now, then = row["now"] or 0, row["then"] or 0
        district.count += now
        district.count_before += then
        if now > district.top_count:
            district.top_category, district.top_count = row["category__name"], now
    values = (
        # The survey's yearly values; the published counts are these reports'.
        IndicatorValue.objects.filter(
            municipality=municipality, district__isnull=False, quarter=None
        )
        .select_related("indicator")
        .order_by("indicator__name", "-year")
    )
    seen = set()
    for value in values:
        key = (value.district_id, value.indicator_id)
        if key not in seen and value.district_id in figures:
            seen.add(key)  # the latest year's only
            figures[value.district_id].survey.append(
                (value.indicator, value.year, value.value)
            )
    return QuarterEvidence(first, last, list(figures.values()))


# --- The yearly picture, for the action plan (lag 2023:196) ----------------------


@dataclasses.dataclass
class YearRow:
    district: object
    cells: list  # (category, count)
    total: int
    quarters: list[int]  # the reports per quarter, 1–4
    priorities: list  # the district's Priority objects of the year


@dataclasses.dataclass
class YearlyPicture:
    municipality: Municipality
    year: int
    categories: list
    rows: list[YearRow]
    totals: list  # (category, count)
    total: int
    quarter_totals: list[int]


def yearly_picture(municipality: Municipality, year: int) -> YearlyPicture:
    """The year per district and category, per quarter, with the priorities
    chosen. Four queries, whatever the number of reports."""
    sums = (
        IncidentReport.objects.filter(
            district__municipality=municipality, date__year=year
        )
        .annotate(quarter=ExtractQuarter("date"))
        .values("district_id", "category_id", "quarter")
        .annotate(total=Sum("occurrences"))
        .order_by()
    )
    counts = defaultdict(int)
    by_quarter = defaultdict(lambda: [0, 0, 0, 0])
    for row in sums:
        counts[row["district_id"], row["category_id"]] += row["total"]
        by_quarter[row["district_id"]][row["quarter"] - 1] += row["total"]
    priorities = defaultdict(list)
    for priority in Priority.objects.filter(
        municipality=municipality, year=year
    ).order_by("quarter"):
        priorities[priority.district_id].append(priority)
    used = {category_id for _district, category_id in counts}
    categories = [
        category
        for category in categories_of(municipality)
        if category.is_active or category.pk in used
    ]
    rows = []
    for district in municipality.districts.order_by("name"):
        cells = [(c, counts.get((district.pk, c.pk), 0)) for c in categories]
        quarters = by_quarter.get(district.pk, [0, 0, 0, 0])
        rows.append(
            YearRow(district, cells, sum(quarters), quarters, priorities[district.pk])
        )
    totals = [
        (category, sum(row.cells[index][1] for row in rows))
        for index, category in enumerate(categories)
    ]
    return YearlyPicture(
        municipality=municipality,
        year=year,
        categories=categories,
        rows=rows,
        totals=totals,
        total=sum(row.total for row in rows),
        quarter_totals=[sum(row.quarters[q] for row in rows) for q in range(4)],
    )
