"""Public pages for the follow-up: quarterly reports and the year-end evaluation."""

from collections import defaultdict

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from promises.caching import public_page
from promises.models import Activity
from promises.views import published_promise

from .charts import before_after_chart
from .models import Evaluation, IndicatorValue, QuarterlyReport


@require_safe
@public_page
def report_list(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    reports = QuarterlyReport.objects.published().filter(promise=promise)
    return render(
        request, "reports/report_list.html", {"promise": promise, "reports": reports}
    )


@require_safe
@public_page
def report(request, municipality: str, year: int, report_year: int, quarter: int):
    promise = published_promise(municipality, year)
    report = get_object_or_404(
        QuarterlyReport.objects.published().prefetch_related("channels"),
        promise=promise,
        year=report_year,
        quarter=quarter,
    )
    return render(
        request, "reports/report.html", {"promise": promise, "report": report}
    )


@require_safe
@public_page
def evaluation(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    evaluation = get_object_or_404(
        Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED), promise=promise
    )
    outcomes = evaluation.outcomes.select_related("commitment__focus_area")
    before, after = year - 1, year
    values = IndicatorValue.objects.filter(
        municipality=promise.municipality, year__in=[before, after]
    ).select_related("indicator", "district")
    activities = dict(
        Activity.objects.public()
        .filter(promise=promise, districts__isnull=False)
        .values_list("districts")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("districts", "n")
    )
    table = defaultdict(dict)  # indicator → {place: {year: value}}
    places = {}
    for value in values:
        place = value.district or promise.municipality
        key = (place.pk if value.district else None, str(place))
        places[key] = place
        table[value.indicator].setdefault(key, {})[value.year] = value.value
    indicators = []
    for indicator, rows in sorted(table.items(), key=lambda item: item[0].name):
        lines = []
        for (district_id, name), by_year in sorted(
            rows.items(), key=lambda item: (item[0][0] is not None, item[0][1])
        ):
            lines.append(
                {
                    "place": name,
                    "before": by_year.get(before),
                    "after": by_year.get(after),
                    "change": (by_year[after] - by_year[before])
                    if before in by_year and after in by_year
                    else None,
                    "activities": activities.get(district_id, 0)
                    if district_id
                    else None,
                }
            )
        indicators.append(
            {
                "indicator": indicator,
                "rows": lines,
                "chart": before_after_chart(indicator, lines, before, after),
            }
        )
    context = {
        "promise": promise,
        "evaluation": evaluation,
        "outcomes": outcomes,
        "indicators": indicators,
        "before": before,
        "after": after,
    }
    return render(request, "reports/evaluation.html", context)
