"""What became of a partner's reports: the feedback EST puts first.

A partner organisation reports what it sees; here it sees, per district it
reported in, what the municipality and the police did next (the district
prioritised for a quarter, the safety inventories held there, the problems
found and fixed) and the counts published for the district. Only the facts
residents may see, and the fact of a priority (never its reason, which is
internal), so that nothing confidential passes to a partner. A fixed number of
queries, whatever the number of reports.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum

from promises.models import Activity, District, Finding, Organisation, Priority
from promises.periods import quarter_span
from reports.models import IndicatorValue

from .models import IncidentReport

# How far back the page looks: a year of reports.
WINDOW = datetime.timedelta(days=365)


@dataclass
class DistrictFeedback:
    district: District
    reports: int = 0
    occurrences: int = 0
    latest: datetime.date | None = None
    priorities: list = field(default_factory=list)
    inventories: list = field(default_factory=list)
    fixed: list = field(default_factory=list)
    findings: int = 0
    counts: list = field(default_factory=list)

    @property
    def anything_done(self) -> bool:
        return bool(self.priorities or self.inventories or self.fixed)


def partner_feedback(
    organisation: Organisation, today: datetime.date
) -> list[DistrictFeedback]:
    """Per district the organisation reported in during the last year, busiest
    first: its reports and what followed."""
    since = today - WINDOW
    rows = (
        IncidentReport.objects.filter(organisation=organisation, date__gte=since)
        .values("district")
        .annotate(
            reports=Count("pk"), occurrences=Sum("occurrences"), latest=Max("date")
        )
        .order_by()
    )
    by_district = {row["district"]: row for row in rows}
    if not by_district:
        return []
    districts = District.objects.filter(pk__in=by_district).select_related(
        "municipality"
    )
    feedback = {
        district.pk: DistrictFeedback(
            district=district,
            reports=by_district[district.pk]["reports"],
            occurrences=by_district[district.pk]["occurrences"],
            latest=by_district[district.pk]["latest"],
        )
        for district in districts
    }
    for priority in Priority.objects.filter(
        district__in=feedback, year__gte=since.year
    ).order_by("year", "quarter"):
        if quarter_span(priority.year, priority.quarter)[1] >= since:
            feedback[priority.district_id].priorities.append(priority)
    inventories = (
        Activity.objects.public_in_detail()
        .filter(
            kind=Activity.Kind.INVENTORY,
            districts__in=feedback,
            starts_at__date__gte=since,
        )
        .select_related("promise__municipality")
        .prefetch_related("districts")
        .order_by("starts_at")
        .distinct()
    )
    for inventory in inventories:
        for district in inventory.districts.all():
            if district.pk in feedback:
                feedback[district.pk].inventories.append(inventory)
    findings = Finding.objects.public().filter(
        district__in=feedback, inventory__starts_at__date__gte=since
    )
    for district_id, count in (
        findings.values_list("district").annotate(n=Count("pk")).order_by()
    ):
        feedback[district_id].findings = count
    for finding in findings.filter(status=Finding.Status.FIXED).order_by(
        "fixed_on", "pk"
    ):
        feedback[finding.district_id].fixed.append(finding)
    for value in (
        IndicatorValue.objects.filter(
            district__in=feedback, quarter__isnull=False, year__gte=since.year
        )
        .select_related("indicator")
        .order_by("indicator__name", "year", "quarter")
    ):
        feedback[value.district_id].counts.append(value)
    return sorted(
        feedback.values(), key=lambda item: (-item.reports, item.district.name)
    )
