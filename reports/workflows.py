"""Quarterly reports: a draft built from the quarter's data, and publishing it."""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from promises.models import Activity, Finding, Promise
from promises.periods import previous_quarter, quarter_of, quarter_span
from promises.progress import KIND_COUNTS, promise_progress

from .models import QuarterlyReport


def draft_text(promise: Promise, year: int, quarter: int) -> str:
    """The quarter told from public data only: activities, progress, fixes, dialogues.

    Takes a fixed number of queries.
    """
    starts_on, ends_on = quarter_span(year, quarter)
    as_of = min(ends_on, timezone.localdate())
    public = Activity.objects.public().filter(
        promise=promise,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
    )
    counts = dict(
        public.values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("kind", "n")
    )
    progress = promise_progress(promise, as_of)
    lines = [
        _(
            "Så här har kommunen och polisen arbetat med medborgarlöftet under "
            "kvartal %(quarter)d %(year)d."
        )
        % {"quarter": quarter, "year": year},
        "",
    ]
    for target in progress.targets:
        line = f"{target.target.commitment.title}: {target.summary}"
        if target.target.kind in counts:
            line += _(" (under kvartalet: %(count)s)") % {
                "count": KIND_COUNTS[target.target.kind]
                % {"n": counts[target.target.kind]}
            }
        lines.append(f"– {line}. {target.status.label}.")
    dialogues = public.filter(
        kind=Activity.Kind.DIALOGUE, publication_level=Activity.PublicationLevel.DETAIL
    ).prefetch_related("districts")
    if dialogues:
        lines += ["", _("Trygghetsdialoger under kvartalet:")]
        for dialogue in dialogues.order_by("starts_at"):
            districts = ", ".join(d.name for d in dialogue.districts.all())
            lines.append(
                f"– {date_format(dialogue.local_date, 'j F')}: {dialogue.title}"
                + (f" ({districts})" if districts else "")
            )
    fixed = Finding.objects.public().filter(
        inventory__promise=promise, fixed_on__gte=starts_on, fixed_on__lte=ends_on
    )
    fixed_count = fixed.count()
    if fixed_count:
        lines += [
            "",
            _(
                "%(count)d brister som hittades vid trygghetsinventeringar åtgärdades "
                "under kvartalet."
            )
            % {"count": fixed_count},
        ]
    return "\n".join(lines)


def build_report_draft(promise: Promise, *, year: int, quarter: int) -> QuarterlyReport:
    """Create the quarter's report as a draft, written from the data, to be edited.

    Raises ValidationError when the quarter already has a report or lies outside
    the promise.
    """
    report = QuarterlyReport(
        promise=promise,
        year=year,
        quarter=quarter,
        title=_("Så arbetade vi med medborgarlöftet, kvartal %(quarter)d %(year)d")
        % {"quarter": quarter, "year": year},
        body=draft_text(promise, year, quarter),
    )
    report.full_clean()
    report.save()
    return report


def reports_due(promise: Promise, today: datetime.date, days: int = 14) -> list[str]:
    """Warnings for the coordinator: a quarter of the promise ending within `days`
    without a published report, or the last quarter ended without one. Called
    for last year's promise too: in January its fourth quarter is still due."""
    published = set(
        QuarterlyReport.objects.filter(
            promise=promise, status=QuarterlyReport.Status.PUBLISHED
        ).values_list("year", "quarter")
    )

    def in_promise(year: int, quarter: int) -> bool:
        start, end = quarter_span(year, quarter)
        return promise.starts_on <= end and start <= promise.ends_on

    warnings = []
    year, quarter = quarter_of(today)
    end = quarter_span(year, quarter)[1]
    if (
        in_promise(year, quarter)
        and (year, quarter) not in published
        and (end - today).days <= days
    ):
        warnings.append(
            _(
                "Kvartal %(quarter)d slutar %(date)s och ingen rapport till "
                "invånarna är publicerad för %(promise)s."
            )
            % {"quarter": quarter, "date": date_format(end, "j F"), "promise": promise}
        )
    previous = previous_quarter(year, quarter)
    if in_promise(*previous) and previous not in published:
        warnings.append(
            _(
                "Kvartal %(quarter)d %(year)d saknar en publicerad rapport (%(promise)s)."
            )
            % {"quarter": previous[1], "year": previous[0], "promise": promise}
        )
    return warnings
