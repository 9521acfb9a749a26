"""The public pages: what was promised, what has been done, and where; the
quarterly reports and the year-end evaluation.

Every view takes its activities from Activity.objects.public() and friends, and
runs a fixed number of queries whatever the data volume. The pages are cached
(page_cache.public_page) until the data changes.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, When
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from promises.models import (
    Activity,
    Commitment,
    DialogueTopic,
    District,
    Finding,
    Municipality,
    Promise,
    Target,
)
from promises.progress import PromiseProgress, Status, promise_progress
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    IndicatorValue,
    QuarterlyReport,
    without_revealing_totals,
)
from reports.workflows import freeze_evaluation

from .charts import (
    TREND_BAR_WIDTH,
    before_after_chart,
    indicator_trends,
    written_alike,
)
from .page_cache import PAGE_PARAMETER, public_page

LATEST_ACTIVITIES = 8
ACTIVITIES_PER_PAGE = 25
FINDINGS_SHOWN = ACTIVITIES_PER_PAGE  # 25, like the lists of activities


def published_promise(municipality: str, year: int) -> Promise:
    return get_object_or_404(
        Promise.objects.published().select_related("municipality__police_area"),
        municipality__slug=municipality,
        year=year,
    )


def _with_places(activities):
    return activities.select_related("promise__municipality").prefetch_related(
        "districts"
    )


def _page(request, activities):
    """One page of the activities, newest first (?sida=2…); 404 past the end."""
    paginator = Paginator(
        _with_places(activities).order_by("-starts_at", "-pk"), ACTIVITIES_PER_PAGE
    )
    try:
        return paginator.page(request.GET.get(PAGE_PARAMETER, 1))
    except InvalidPage:
        raise Http404 from None


def how_it_is_going(progress: PromiseProgress) -> str:
    """ "7 av 9 åtaganden med mätbart mål är klara eller i fas.": the commitments
    with a measurable target, and those whose every such target is done (klart)
    or on track (i fas). Empty when no commitment has a measurable target."""
    statuses = defaultdict(list)  # commitment → its measurable targets' statuses
    for target in progress.targets:
        if target.status != Status.NO_TARGET:
            statuses[target.target.commitment_id].append(target.status)
    total = len(statuses)
    good = sum(
        all(status in (Status.DONE, Status.ON_TRACK) for status in of_one)
        for of_one in statuses.values()
    )
    if not total:
        return ""
    if total == 1:
        text = _("%(good)d av 1 åtagande med mätbart mål är klart eller i fas.")
    elif good == total:
        text = _("Alla %(total)d åtaganden med mätbart mål är klara eller i fas.")
    elif good == 1:
        text = _("1 av %(total)d åtaganden med mätbart mål är klart eller i fas.")
    else:
        text = _(
            "%(good)d av %(total)d åtaganden med mätbart mål är klara eller i fas."
        )
    return text % {"good": good, "total": total}


@dataclass(frozen=True)
class HeldWeek:
    """An ISO week with a deployment; `weekday` names the day ("torsdag") when
    none that week was on a Friday, the only day the progress rule counts."""

    year: int
    week: int
    weekday: str = ""

    @property
    def on_friday(self) -> bool:
        return not self.weekday


class HeldWeeks(list):
    """The weeks with a deployment, in order, and what they add up to."""

    @property
    def moved(self) -> list[HeldWeek]:
        return [week for week in self if not week.on_friday]

    @property
    def in_words(self) -> str:
        """ "Utsättning har hållits 46 veckor, 45 av dem på en fredag." """
        held, fridays = len(self), len(self) - len(self.moved)
        if fridays == held:
            text = ngettext(
                "Utsättning har hållits %(held)d vecka, på en fredag.",
                "Utsättning har hållits %(held)d veckor, alla på en fredag.",
                held,
            )
        elif not fridays:
            text = ngettext(
                "Utsättning har hållits %(held)d vecka, inte på en fredag.",
                "Utsättning har hållits %(held)d veckor, ingen av dem på en fredag.",
                held,
            )
        else:
            text = _(
                "Utsättning har hållits %(held)d veckor, %(fridays)d av dem på en "
                "fredag."
            )
        return text % {"held": held, "fridays": fridays}


def held_weeks(deployments) -> HeldWeeks:
    """The weeks with a deployment, in local time, and whether one was on a Friday.
    One query: the local days with a deployment (one expression to compute per
    row, where the ISO year, week and weekday were three)."""
    days = (
        deployments.annotate(
            day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
        )
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )
    weekdays = defaultdict(set)
    for day in days:
        year, week, weekday = day.isocalendar()
        weekdays[year, week].add(weekday)
    return HeldWeeks(
        HeldWeek(year, week)
        if Target.Weekday.FRIDAY in days
        else HeldWeek(year, week, str(Target.Weekday(min(days)).label))
        for (year, week), days in weekdays.items()
    )


@require_safe
@public_page
def start(request):
    """The current published promise of each municipality; straight to it if one.

    In the first days of a year that is the new promise once it is published,
    with last year's evaluation linked from its page.
    """
    promises = Promise.objects.published().current_of_each_municipality(
        timezone.localdate()
    )
    if len(promises) == 1:
        return redirect(promises[0])
    return render(request, "public/start.html", {"promises": promises})


@require_safe
@public_page
def overview(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    return render(request, "public/overview.html", overview_context(promise))


def overview_context(promise: Promise) -> dict:
    """The overview of a promise (also a draft's, previews.py)."""
    progress = promise_progress(promise)
    focus_areas = promise.focus_areas.prefetch_related(
        "commitments__responsible_organisations"
    )
    public = Activity.objects.public().filter(promise=promise)
    other_years = (
        Promise.objects.published()
        .filter(municipality=promise.municipality)
        .exclude(pk=promise.pk)
    )
    evaluations = {
        evaluation.promise.year: evaluation
        for evaluation in Evaluation.objects.published().filter(
            promise__municipality=promise.municipality,
            promise__year__in=[promise.year, promise.year - 1],
        )
    }
    return {
        "promise": promise,
        "progress": progress,
        "focus_areas": [
            (area, [(c, progress.for_commitment(c.pk)) for c in area.commitments.all()])
            for area in focus_areas
        ],
        "how_it_is_going": how_it_is_going(progress),
        "latest": _with_places(public.public_in_detail())[:LATEST_ACTIVITIES],
        "deployment_weeks": held_weeks(public.filter(kind=Activity.Kind.DEPLOYMENT)),
        # A list: the first screen names the next one, the section lists them all.
        "announced": list(
            _with_places(
                Activity.objects.announced()
                .filter(promise=promise)
                .order_by("starts_at")
            )
        ),
        "districts": promise.municipality.districts.all(),
        "earlier_years": [p for p in other_years if p.year < promise.year],
        "later_years": [p for p in other_years if p.year > promise.year],
        "reports": QuarterlyReport.objects.published().filter(promise=promise),
        "evaluation": evaluations.get(promise.year),
        "last_years_evaluation": evaluations.get(promise.year - 1),
    }


@require_safe
@public_page
def commitment(request, municipality: str, year: int, pk: int):
    promise = published_promise(municipality, year)
    commitment = get_object_or_404(
        Commitment.objects.select_related("focus_area").prefetch_related(
            "problem_districts",
            "responsible_organisations",
            Prefetch(
                "source_dialogues",
                queryset=Activity.objects.public_in_detail()
                .select_related("promise")
                .order_by("starts_at"),
                to_attr="public_source_dialogues",
            ),
            Prefetch("goals", queryset=Goal.objects.select_related("indicator")),
        ),
        pk=pk,
        focus_area__promise=promise,
    )
    progress = promise_progress(promise)
    targets = progress.for_commitment(commitment.pk)
    # The commitment's own activities: those linked to it, whatever their kind.
    public = Activity.objects.public().filter(promise=promise, commitments=commitment)
    aggregate = public.exclude(publication_level=Activity.PublicationLevel.DETAIL)
    context = {
        "promise": promise,
        "commitment": commitment,
        "progress": progress,
        "targets": targets,
        "timeline": _page(request, public.public_in_detail()),
        "per_quarter": aggregate.per_quarter(),
        "deployment_weeks": held_weeks(aggregate.filter(kind=Activity.Kind.DEPLOYMENT)),
        "goals": goals_with_latest(commitment, promise),
        "outcome": CommitmentOutcome.objects.filter(
            commitment=commitment, evaluation__status=Evaluation.Status.PUBLISHED
        ).first(),
    }
    return render(request, "public/commitment.html", context)


def goals_with_latest(commitment, promise) -> list[dict]:
    """Each goal with the indicator's latest value for the whole municipality
    (one query, or none without goals)."""
    goals = list(commitment.goals.all())
    if not goals:
        return []
    latest = {}
    for value in IndicatorValue.objects.filter(
        indicator__in=[goal.indicator_id for goal in goals],
        municipality=promise.municipality,
        district=None,
        quarter=None,
    ).order_by("indicator", "year"):
        latest[value.indicator_id] = value
    return [{"goal": goal, "latest": latest.get(goal.indicator_id)} for goal in goals]


# The district page lists findings by outcome: still open first, fixed last.
OUTCOME_ORDER = [
    Finding.Status.OPEN,
    Finding.Status.PLANNED,
    Finding.Status.REFERRED,
    Finding.Status.NOT_FIXED,
    Finding.Status.FIXED,
]
# Its counts: what was done first, what is still open last.
COUNTED_ORDER = [
    Finding.Status.FIXED,
    Finding.Status.PLANNED,
    Finding.Status.REFERRED,
    Finding.Status.NOT_FIXED,
    Finding.Status.OPEN,
]


def public_topics(topics):
    """Topics with what the public may see of their answer, in one query: the
    dialogue (with its page's URL parts), the finding only if its inventory is
    public in detail (`finding_is_public`), the commitment with its promise."""
    return (
        topics.public()
        .select_related(
            "dialogue__promise__municipality",
            "finding__inventory",
            "commitment__promise",
        )
        .annotate(
            finding_is_public=Exists(
                Finding.objects.public().filter(pk=OuterRef("finding"))
            )
        )
        .order_by("dialogue__starts_at", "pk")
    )


def answer_of(topic: DialogueTopic, municipality: Municipality) -> SimpleNamespace:
    """What was done about a topic, public parts only. No queries after
    public_topics()."""
    commitment = topic.commitment
    if commitment is not None and commitment.promise.status != Promise.Status.PUBLISHED:
        commitment = None
    return SimpleNamespace(
        topic=topic,
        finding=topic.finding if topic.finding_is_public else None,
        commitment=commitment,
        commitment_url=commitment
        and reverse(
            "public:commitment",
            args=[municipality.slug, commitment.promise.year, commitment.pk],
        ),
    )


def median_days_to_fix(findings) -> int | None:
    """The median of the days from inventory to fix over the fixed findings of a
    queryset: one query for their two dates."""
    days = [
        (fixed_on - timezone.localdate(inventory_at)).days
        for fixed_on, inventory_at in findings.filter(
            status=Finding.Status.FIXED, fixed_on__isnull=False
        ).values_list("fixed_on", "inventory__starts_at")
    ]
    return round(statistics.median(days)) if days else None


@require_safe
@public_page
def district(request, municipality: str, year: int, district: str):
    promise = published_promise(municipality, year)
    district = get_object_or_404(
        District, municipality=promise.municipality, slug=district
    )
    public = Activity.objects.public().filter(promise=promise, districts=district)
    findings = Finding.objects.public().filter(
        inventory__promise=promise, district=district
    )
    # Counted in the database, listed up to FINDINGS_SHOWN in the order of
    # OUTCOME_ORDER (all of them are in the open data): a district's year can have
    # hundreds (docs/performance.md).
    by_status = dict(
        findings.order_by().values_list("status").annotate(count=Count("pk"))
    )
    shown = (
        list(
            findings.select_related("responsible", "inventory").order_by(
                Case(*(When(status=s, then=i) for i, s in enumerate(OUTCOME_ORDER))),
                "category",
                "pk",
            )[:FINDINGS_SHOWN]
        )
        if by_status
        else []
    )
    # A topic without districts of its own is about the dialogue's.
    topics = public_topics(
        DialogueTopic.objects.filter(
            Q(districts=district) | Q(districts=None, dialogue__districts=district),
            dialogue__promise=promise,
        ).distinct()
    )
    # Yearly values and the incident picture's quarterly counts (shown through the
    # indicator's rule for small counts: `number` in the template).
    indicator_values = list(
        without_revealing_totals(IndicatorValue.objects.filter(district=district))
        .select_related("indicator")
        .order_by(
            "indicator__name", "indicator", "year", F("quarter").asc(nulls_first=True)
        )
    )
    context = {
        "promise": promise,
        "district": district,
        "activities": _page(request, public.public_in_detail()),
        "per_quarter": public.exclude(
            publication_level=Activity.PublicationLevel.DETAIL
        ).per_quarter(),
        "topics": [answer_of(topic, promise.municipality) for topic in topics],
        "findings": shown,
        "on_page": {finding.pk for finding in shown},
        "findings_total": sum(by_status.values()),
        "fixed": by_status.get(Finding.Status.FIXED, 0),
        "outcomes": [
            (status, by_status[status])
            for status in COUNTED_ORDER
            if by_status.get(status)
        ],
        # Open first in the table: those of them on this page.
        "still_open": [f for f in shown if f.status == Finding.Status.OPEN],
        "open_total": by_status.get(Finding.Status.OPEN, 0),
        "median_days": median_days_to_fix(findings) if by_status else None,
        "indicator_trends": indicator_trends(indicator_values),
        "bar_width": TREND_BAR_WIDTH,
        "small_counts_hidden": any(
            value.indicator.hides_small_counts for value in indicator_values
        ),
        "announced": _with_places(
            Activity.objects.announced()
            .filter(promise=promise, districts=district)
            .order_by("starts_at")
        ),
    }
    return render(request, "public/district.html", context)


@require_safe
@public_page
def activity(request, municipality: str, year: int, pk: int):
    promise = published_promise(municipality, year)
    visible = Activity.objects.public_in_detail() | Activity.objects.announced()
    activity = get_object_or_404(
        visible.filter(promise=promise).prefetch_related(
            "districts",
            "organisations",
            "commitments",
            Prefetch(
                "findings",
                Finding.objects.select_related("district", "responsible"),
            ),
        ),
        pk=pk,
    )
    topics = []
    if activity.kind == Activity.Kind.DIALOGUE:
        topics = [
            answer_of(topic, promise.municipality)
            for topic in public_topics(
                DialogueTopic.objects.filter(dialogue=activity)
            ).prefetch_related("districts")
        ]
    return render(
        request,
        "public/activity.html",
        {"promise": promise, "activity": activity, "topics": topics},
    )


@require_safe
@public_page
def accessibility(request):
    """The accessibility statement (lagen 2018:1937, DIGG's model): where to turn
    is each municipality's contact, and the installation's (settings)."""
    municipalities = (
        Municipality.objects.filter(promises__status=Promise.Status.PUBLISHED)
        .distinct()
        .order_by("name")
    )
    context = {
        "municipalities": municipalities,
        "operator": settings.ACCESSIBILITY_CONTACT,
    }
    return render(request, "public/accessibility.html", context)


# The follow-up: quarterly reports and the evaluation ------------------------------


@require_safe
@public_page
def report_list(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    reports = QuarterlyReport.objects.published().filter(promise=promise)
    return render(
        request, "public/report_list.html", {"promise": promise, "reports": reports}
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
    return render(request, "public/report.html", {"promise": promise, "report": report})


@require_safe
@public_page
def evaluation(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    evaluation = get_object_or_404(
        Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED), promise=promise
    )
    # The figures stored when it was published; one published before figures
    # were stored is frozen now, at its first showing.
    freeze_evaluation(evaluation)
    return render(
        request,
        "public/evaluation.html",
        evaluation_context(promise, evaluation, evaluation.figures),
    )


def evaluation_context(promise: Promise, evaluation: Evaluation, figures: dict) -> dict:
    """The evaluation's page with its figures: those stored when it was
    published, or a draft's of today (previews.py)."""
    outcomes = evaluation.outcomes.select_related("commitment__focus_area")
    before, after = figures["before"], figures["after"]
    indicators = []
    for indicator in figures["indicators"]:
        rows = [
            {
                **row,
                **{
                    key: None if row[key] is None else Decimal(row[key])
                    for key in ("before", "after", "change")
                },
            }
            for row in indicator["rows"]
        ]
        rows = written_alike(
            rows, ("before", "after"), indicator["hides_small_counts"], ("change",)
        )
        indicators.append(
            {
                "indicator": indicator,
                "rows": rows,
                "chart": before_after_chart(
                    SimpleNamespace(**indicator), rows, before, after
                ),
            }
        )
    return {
        "promise": promise,
        "evaluation": evaluation,
        "outcomes": outcomes,
        "indicators": indicators,
        "before": before,
        "after": after,
    }
