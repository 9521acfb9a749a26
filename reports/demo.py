"""Demo data for the follow-up: indicators, quarterly reports and an evaluation.

Called by `load_haninge --demo`; idempotent like it. All of it is made up.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from promises.models import Commitment, Municipality, Promise

from . import workflows
from .models import (
    CommitmentOutcome,
    Evaluation,
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
# Made-up values per district: (year before, year of the promise) per indicator.
DISTRICT_VALUES = {
    "Handen": [(31, 28), (98, 91), (1.9, 1.7)],
    "Jordbro": [(38, 33), (112, 104), (2.3, 2.0)],
    "Brandbergen": [(29, 30), (87, 85), (1.8, 1.8)],
    "Västerhaninge": [(22, 20), (64, 66), (1.4, 1.3)],
    "Vendelsö": [(14, 15), (41, 39), (0.9, 1.0)],
}
MUNICIPALITY_VALUES = [(27, 25), (81, 77), (1.6, 1.5)]

CHANNELS = [
    (ReportChannel.Kind.WEBSITE, "https://www.haninge.se/medborgarloften"),
    (ReportChannel.Kind.FACEBOOK, "https://www.facebook.com/haningekommun"),
]


def load_indicators(municipality: Municipality, years: tuple[int, int]) -> None:
    districts = {d.name: d for d in municipality.districts.all()}
    for index, (name, unit, source, higher, commitment_titles) in enumerate(INDICATORS):
        indicator, _ = Indicator.objects.get_or_create(
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
            for year, value in zip(years, values[index], strict=True):
                IndicatorValue.objects.get_or_create(
                    indicator=indicator,
                    municipality=municipality,
                    district=district,
                    year=year,
                    defaults={"value": Decimal(str(value))},
                )


def load_reports(promise: Promise, today: datetime.date) -> None:
    """Published reports for the quarters that have ended, a draft for the current."""
    current = workflows.quarter_of(today)
    for quarter in range(1, 5):
        key = (promise.year, quarter)
        if (
            key > current
            or QuarterlyReport.objects.filter(
                promise=promise, year=promise.year, quarter=quarter
            ).exists()
        ):
            continue
        report = workflows.build_report_draft(
            promise, year=promise.year, quarter=quarter
        )
        if key < current:
            end = workflows.quarter_end(*key)
            report.published_at = min(
                timezone.now(),
                timezone.make_aware(
                    datetime.datetime.combine(
                        end + datetime.timedelta(days=6), datetime.time(10)
                    )
                ),
            )
            workflows.publish_report(report)
            for kind, url in CHANNELS:
                ReportChannel.objects.create(report=report, kind=kind, url=url)


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


def load_evaluation(promise: Promise) -> None:
    evaluation, created = Evaluation.objects.get_or_create(
        promise=promise,
        defaults={
            "summary": EVALUATION_SUMMARY,
            "method": EVALUATION_METHOD,
            "status": Evaluation.Status.PUBLISHED,
            "published_at": timezone.make_aware(
                datetime.datetime(promise.year, 12, 18, 10)
            ),
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
