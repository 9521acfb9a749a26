"""The public commitment page tells the chain: Problemet → Vad vi lovade → Vad vi
har gjort → Resultat, each part only where there is data (issue 13)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import Activity, Commitment, Organisation
from promises.tests.factories import local, make_activity, make_commitment
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
)

pytestmark = pytest.mark.django_db


def url(commitment) -> str:
    return f"/haninge/2026/atagande/{commitment.pk}/"


def indicator(haninge, name: str) -> Indicator:
    return Indicator.objects.create(
        municipality=haninge, name=name, unit="%", source="Polisens trygghetsmätning"
    )


@pytest.fixture
def commitment(promise_haninge, haninge, haninge_kommun):
    commitment = make_commitment(
        promise_haninge, "Tryggare kring stationen", kind="dialogue", count=4
    )
    commitment.description = "Vi ska göra stationen tryggare."
    commitment.problem = "Många undviker stationen på kvällen."
    commitment.problem_since = 2023
    commitment.problem_source = Commitment.Source.SURVEY
    commitment.cause_analysis = "Mörka gångar och få människor i rörelse."
    commitment.measure_kind = Commitment.MeasureKind.SITUATIONAL
    commitment.measure_term = Commitment.MeasureTerm.SHORT
    commitment.internal_notes = "Intern anteckning om stationen."
    commitment.save()
    commitment.problem_districts.set([haninge.districts.get(name="Handen")])
    commitment.responsible_organisations.set([haninge_kommun])
    public = make_activity(
        promise_haninge, "dialogue", local(2026, 2, 10, 18), title="Dialog i Handen"
    )
    internal = make_activity(
        promise_haninge,
        "dialogue",
        local(2026, 2, 12, 18),
        title="Intern dialog",
        publication_level=Activity.PublicationLevel.INTERNAL,
    )
    commitment.source_dialogues.set([public, internal])
    otrygghet = indicator(haninge, "Otrygghet kvällstid")
    Goal.objects.create(
        commitment=commitment,
        indicator=otrygghet,
        baseline_value=38,
        baseline_year=2025,
        target_value=30,
        target_by=datetime.date(2027, 12, 31),
    )
    IndicatorValue.objects.create(
        indicator=otrygghet, municipality=haninge, year=2025, value=38
    )
    IndicatorValue.objects.create(
        indicator=otrygghet, municipality=haninge, year=2026, value="34.5"
    )
    IndicatorValue.objects.create(
        indicator=otrygghet,
        municipality=haninge,
        district=haninge.districts.get(name="Jordbro"),
        year=2026,
        value=99,
    )
    return commitment


def test_the_page_tells_the_chain_in_order(client, commitment):
    page = client.get(url(commitment)).content.decode()
    headings = ["Problemet", "Vad vi lovade", "Vad vi har gjort", "Resultat"]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    problem = page[positions[0] : positions[1]]
    assert "Många undviker stationen på kvällen." in problem
    assert 'href="/haninge/2026/kommundel/handen/"' in problem
    assert "2023" in problem and "Trygghetsmätning" in problem
    assert "Mörka gångar och få människor i rörelse." in problem
    assert "Dialog i Handen" in problem
    assert "Intern dialog" not in page
    promised = page[positions[1] : positions[2]]
    assert "Vi ska göra stationen tryggare." in promised
    assert "Situationell (platsen)" in promised and "Kortsiktig" in promised
    assert "Haninge kommun" in promised
    assert "Mål: Minst 4 trygghetsdialoger per år" in promised
    result = page[positions[3] :]
    assert "Otrygghet kvällstid" in result
    assert "38 (2025)" in result  # the baseline
    assert "34,5 (2026)" in result  # the latest for the whole municipality
    assert "99" not in result  # not a district's value
    assert "30 senast 31 december 2027" in result
    assert "En förändring visar inte ensam att åtagandet orsakade den" in result
    assert "Intern anteckning" not in page


def test_a_published_evaluation_gives_the_result(client, commitment, promise_haninge):
    evaluation = Evaluation.objects.create(promise=promise_haninge, summary="Bra år.")
    CommitmentOutcome.objects.create(
        evaluation=evaluation,
        commitment=commitment,
        outcome=CommitmentOutcome.Outcome.PARTLY,
        comment="Belysningen är klar, tunneln inte.",
    )
    page = client.get(url(commitment)).content.decode()
    assert "Belysningen är klar" not in page  # a draft
    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.published_at = local(2026, 11, 30)
    evaluation.save()
    page = client.get(url(commitment)).content.decode()
    assert "Utvärderingen: Delvis genomfört." in page
    assert "Belysningen är klar, tunneln inte." in page


def test_without_a_problem_or_goals_those_parts_are_left_out(client, promise_haninge):
    plain = make_commitment(promise_haninge, "Utsättningar", kind="deployment", count=1)
    page = client.get(url(plain)).content.decode()
    assert ">Vad vi lovade</h2>" in page and ">Vad vi har gjort</h2>" in page
    assert ">Problemet</h2>" not in page
    assert ">Resultat</h2>" not in page


def count(client, commitment) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(commitment)).status_code == 200
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries(
    client, commitment, haninge, promise_haninge
):
    few = count(client, commitment)
    commitment.problem_districts.set(haninge.districts.all())
    commitment.responsible_organisations.add(
        *[
            Organisation.objects.create(
                name=f"Partner {n}",
                kind=Organisation.Kind.PARTNER,
                municipality=haninge,
            )
            for n in range(5)
        ]
    )
    commitment.source_dialogues.add(
        *[
            make_activity(promise_haninge, "dialogue", local(2026, 3, 1 + n, 18))
            for n in range(10)
        ]
    )
    for n in range(5):
        measured = indicator(haninge, f"Indikator {n}")
        Goal.objects.create(
            commitment=commitment,
            indicator=measured,
            baseline_value=n,
            baseline_year=2024,
            target_value=n + 1,
            target_by=datetime.date(2027, 12, 31),
        )
        for year in (2024, 2025, 2026):
            IndicatorValue.objects.create(
                indicator=measured, municipality=haninge, year=year, value=n
            )
    assert count(client, commitment) == few
    # The page's own (docs/performance.md), plus where the problem is, who is
    # responsible, the dialogues, the goals, their latest values and the outcome.
    assert few <= 18


def test_a_goal_of_counts_shows_small_counts_as_fewer_than_5(client, commitment):
    counts = indicator(commitment.promise.municipality, "Händelser: klotter")
    counts.hides_small_counts = True
    counts.unit = "antal"
    counts.save()
    Goal.objects.create(
        commitment=commitment,
        indicator=counts,
        baseline_value=4,
        baseline_year=2025,
        target_value=2,
        target_by=datetime.date(2027, 12, 31),
    )
    IndicatorValue.objects.create(
        indicator=counts, municipality=counts.municipality, year=2026, value=3
    )
    page = client.get(url(commitment)).content.decode()
    result = page[page.index("Händelser: klotter") :]
    result = result[: result.index("</tr>")]
    assert "färre än 5 (2025)" in result  # the baseline
    assert "färre än 5 (2026)" in result  # the latest
    assert "färre än 5 senast 31 december 2027" in result  # the target
    numbers = result.replace("färre än 5", "")
    assert "4 (2025)" not in numbers and "3 (2026)" not in numbers
    assert "2 senast" not in numbers
