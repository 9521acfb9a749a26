"""Demo data for the follow-up: indicators, quarterly reports and an evaluation.

Called by `load_haninge --demo`; idempotent like it. All of it is made up.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from promises.models import Commitment, Municipality, Promise
from promises.periods import quarter_span

from . import workflows
from .models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)

# name, unit, source, higher is better, commitments it should move (by title start)
INDICATORS = [
    (
        "Andel som känner sig otrygga ute sent på kvällen",
        "%",
        "Polisens och kommunens trygghetsmätning",
        False,
        ["Gemensamma trygghetsinventeringar", "Minst fyra trygghetsdialoger"],
    ),
    (
        "Anmälda brott per 1 000 invånare",
        "per 1 000 invånare",
        "Brottsförebyggande rådet (Brå), anmälda brott",
        False,
        ["Veckovisa utsättningar", "Synlig polisnärvaro"],
    ),
    (
        "Problemindex i trygghetsmätningen",
        "index",
        "Polisens och kommunens trygghetsmätning",
        False,
        ["Gemensamma trygghetsinventeringar"],
    ),
]
# Made-up values per district, per indicator: the year before last, last year and
# this year. Each year's survey results come in October (RESULTS_IN).
DISTRICT_VALUES = {
    "Handen": [(31, 28, 27), (98, 91, 88), (1.9, 1.7, 1.6)],
    "Jordbro": [(38, 33, 31), (112, 104, 99), (2.3, 2.0, 1.9)],
    "Brandbergen": [(29, 30, 28), (87, 85, 86), (1.8, 1.8, 1.7)],
    "Västerhaninge": [(22, 20, 19), (64, 66, 61), (1.4, 1.3, 1.3)],
    "Vendelsö": [(14, 15, 14), (41, 39, 40), (0.9, 1.0, 0.9)],
}
MUNICIPALITY_VALUES = [(27, 25, 24), (81, 77, 75), (1.6, 1.5, 1.4)]
RESULTS_IN = (10, 1)

CHANNELS = [
    (ReportChannel.Kind.WEBSITE, "https://www.haninge.se/medborgarloften"),
    (ReportChannel.Kind.FACEBOOK, "https://www.facebook.com/haningekommun"),
]


def load_indicators(municipality: Municipality, today: datetime.date) -> None:
    """The indicators and their values of the year before last, last year and,
    once its results are in, this year."""
    years = [today.year - 2, today.year - 1, today.year]
    if today < datetime.date(today.year, *RESULTS_IN):
        years.pop()
    districts = {d.name: d for d in municipality.districts.all()}
    for index, (name, unit, source, higher, commitment_titles) in enumerate(INDICATORS):
        indicator, _ = Indicator.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"unit": unit, "source": source, "higher_is_better": higher},
        )
        for title in commitment_titles:
            indicator.commitments.add(
                *Commitment.objects.filter(
                    focus_area__promise__municipality=municipality,
                    title__startswith=title,
                )
            )
        places = [(None, MUNICIPALITY_VALUES)] + [
            (districts[n], v) for n, v in DISTRICT_VALUES.items() if n in districts
        ]
        for district, values in places:
            for year, value in zip(years, values[index], strict=False):
                IndicatorValue.objects.get_or_create(
                    indicator=indicator,
                    municipality=municipality,
                    district=district,
                    year=year,
                    defaults={"value": Decimal(str(value))},
                )


# Goals for the commitments with a problem (promises.demo.PROBLEMS): indicator
# (index in INDICATORS), the target value, and by the end of which year (after
# the promise's).
GOALS = {
    "Gemensamma trygghetsinventeringar": [(0, 20, 1), (2, "1.2", 1)],
    "Synlig polisnärvaro i kollektivtrafik och centrum": [(1, 70, 1)],
    "Förebygga att unga hamnar i kriminalitet": [(1, 65, 3)],
    "Minst fyra trygghetsdialoger i olika delar av kommunen": [(0, 22, 0)],
}


def load_goals(promise: Promise) -> None:
    """Each goal from the municipality's earliest value of the indicator (the
    baseline) to its target; idempotent."""
    municipality = promise.municipality
    for title, goals in GOALS.items():
        commitment = Commitment.objects.filter(
            focus_area__promise=promise, title=title
        ).first()
        if commitment is None:
            continue
        for index, target, years_after in goals:
            indicator = Indicator.objects.get(
                municipality=municipality, name=INDICATORS[index][0]
            )
            baseline = (
                IndicatorValue.objects.filter(
                    indicator=indicator, municipality=municipality, district=None
                )
                .order_by("year")
                .first()
            )
            if baseline is None:
                continue
            Goal.objects.get_or_create(
                commitment=commitment,
                indicator=indicator,
                defaults={
                    "baseline_value": baseline.value,
                    "baseline_year": baseline.year,
                    "target_value": Decimal(str(target)),
                    "target_by": datetime.date(promise.year + years_after, 12, 31),
                },
            )


REPORT_DELAY = datetime.timedelta(days=6)  # from the end of a quarter to its report


def load_reports(promise: Promise, today: datetime.date) -> None:
    """A report for each quarter of the promise that has begun: published a week
    after the quarter ended, a draft until then, written again from the data at
    each run so that no draft is left telling an older day's figures."""
    for quarter in range(1, 5):
        starts_on, ends_on = quarter_span(promise.year, quarter)
        if starts_on > today or not (
            promise.starts_on <= ends_on and starts_on <= promise.ends_on
        ):
            continue
        report = QuarterlyReport.objects.filter(
            promise=promise, year=promise.year, quarter=quarter
        ).first() or workflows.build_report_draft(
            promise, year=promise.year, quarter=quarter
        )
        if report.is_published:
            continue
        workflows.refresh_report_draft(report=report)
        publish_on = ends_on + REPORT_DELAY
        if publish_on > today:
            continue
        report.published_at = at_ten(publish_on)
        report.publish()
        for kind, url in CHANNELS:
            ReportChannel.objects.get_or_create(report=report, kind=kind, url=url)


def at_ten(day: datetime.date) -> datetime.datetime:
    """10 o'clock that day, or now if that is still to come."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return min(moment, timezone.now())


EVALUATION_SUMMARY = (
    "Polisen och kommunen har tillsammans gått igenom årets medborgarlöfte. De flesta "
    "aktiviteter genomfördes som planerat. Otryggheten minskade i Handen och Jordbro, "
    "där flest trygghetsinventeringar och dialoger hölls, men vi kan inte säga att "
    "aktiviteterna ensamma ligger bakom förändringen."
)
EVALUATION_METHOD = (
    "Vi jämförde trygghetsmätningen och anmälda brott året före och under löftet, per "
    "kommundel, med de aktiviteter som genomfördes där, och gick igenom varje åtagande "
    "på ett gemensamt möte i december."
)


EVALUATION_LESSONS = (
    "Trygghetsinventeringarna gav mest när fastighetsägarna var med från början: "
    "då åtgärdades bristerna snabbare. Vi bjuder in dem till varje inventering. "
    "Invånarna vill veta vad som hände efter dialogerna, så vi berättar det på "
    "kommundelarnas sidor."
)

EVALUATED_ON = (12, 18)  # the joint meeting in December


def load_evaluation(promise: Promise, today: datetime.date) -> None:
    """The year-end evaluation, published on the day of the joint meeting."""
    published_on = datetime.date(promise.year, *EVALUATED_ON)
    if published_on > today:
        return
    evaluation, created = Evaluation.objects.get_or_create(
        promise=promise,
        defaults={
            "summary": EVALUATION_SUMMARY,
            "method": EVALUATION_METHOD,
            "lessons": EVALUATION_LESSONS,
            "status": Evaluation.Status.PUBLISHED,
            "published_at": at_ten(published_on),
        },
    )
    if not created:
        return
    outcomes = [
        CommitmentOutcome.Outcome.DONE,
        CommitmentOutcome.Outcome.DONE,
        CommitmentOutcome.Outcome.PARTLY,
        CommitmentOutcome.Outcome.PARTLY,
    ]
    commitments = Commitment.objects.filter(focus_area__promise=promise).order_by(
        "focus_area__order", "order"
    )
    for index, commitment in enumerate(commitments):
        outcome = outcomes[index % len(outcomes)]
        CommitmentOutcome.objects.create(
            evaluation=evaluation,
            commitment=commitment,
            outcome=outcome,
            comment="Genomfört enligt plan."
            if outcome == CommitmentOutcome.Outcome.DONE
            else "Genomfört under delar av året; fortsätter nästa år.",
        )
    # The evaluation counts towards a target: the drafts tell it too.
    for report in promise.reports.filter(status=QuarterlyReport.Status.DRAFT):
        workflows.refresh_report_draft(report=report)
