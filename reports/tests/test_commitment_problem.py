"""The problem behind a commitment, and its goals for indicators (issue 13).

The coordinator records on the commitment's page what the problem is, where and
since when, where it showed, why it exists, the kind of measure and who is
responsible, and a goal for an indicator from a baseline to a target. The choices
are the commitment's municipality's; copying to next year carries it all forward.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from promises.models import Activity, Commitment, Organisation
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)
from promises.workflows import copy_promise_to_next_year, promise_from_template
from reports.models import Goal, Indicator

pytestmark = pytest.mark.django_db


def change_url(commitment) -> str:
    return reverse("admin:promises_commitment_change", args=[commitment.pk])


def management(prefix: str, forms: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, form in enumerate(forms):
        data.update({f"{prefix}-{number}-{k}": v for k, v in form.items()})
    return data


def commitment_form(commitment, *, goals=(), **fields) -> dict:
    data = {
        "focus_area": commitment.focus_area_id,
        "title": commitment.title,
        "description": "",
        "order": "0",
        "problem": "",
        "problem_since": "",
        "problem_source": "",
        "cause_analysis": "",
        "measure_kind": "",
        "measure_term": "",
        "internal_notes": "",
        **management("targets", []),
        **management("goals", list(goals)),
    }
    data.update(fields)
    return data


@pytest.fixture
def setting(haninge, nynashamn, promise_haninge, police, haninge_kommun):
    commitment = make_commitment(promise_haninge, "Tryggare kring Handens station")
    dialogue = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 2, 10, 18),
        title="Trygghetsdialog i Handen",
    )
    indicator = Indicator.objects.create(
        municipality=haninge, name="Otrygghet kvällstid", unit="%", source="Enkät"
    )
    other = {
        "district": nynashamn.districts.get(name="Sorunda"),
        "organisation": Organisation.objects.create(
            name="Nynäshamns kommun",
            kind=Organisation.Kind.MUNICIPALITY,
            municipality=nynashamn,
        ),
        "dialogue": make_activity(
            make_promise(nynashamn),
            Activity.Kind.DIALOGUE,
            local(2026, 2, 11, 18),
            title="Trygghetsdialog i Sorunda",
        ),
        "indicator": Indicator.objects.create(
            municipality=nynashamn, name="Nynäshamns enkät", unit="%", source="Enkät"
        ),
    }
    return {
        "commitment": commitment,
        "dialogue": dialogue,
        "indicator": indicator,
        "handen": haninge.districts.get(name="Handen"),
        "police": police,
        "kommun": haninge_kommun,
        "other": other,
    }


def test_the_coordinator_records_the_problem_and_a_goal(
    client, coordinator_haninge, setting
):
    login_verified(client, coordinator_haninge)
    commitment = setting["commitment"]
    page = client.get(change_url(commitment)).content.decode()
    for heading in ["Problemet", "Åtgärden", "Mål för indikatorer"]:
        assert heading in page
    # Only Haninge's districts, dialogues, organisations and indicators to choose.
    assert "Handen" in page and "Trygghetsdialog i Handen" in page
    assert "Otrygghet kvällstid" in page and "Haninge kommun" in page
    for name in ["Sorunda", "Nynäshamns kommun", "Nynäshamns enkät"]:
        assert name not in page

    response = client.post(
        change_url(commitment),
        commitment_form(
            commitment,
            problem="Många känner sig otrygga vid stationen på kvällen.",
            problem_districts=[setting["handen"].pk],
            problem_since="2023",
            problem_source=Commitment.Source.SURVEY,
            source_dialogues=[setting["dialogue"].pk],
            cause_analysis="Dålig belysning och få människor i rörelse.",
            measure_kind=Commitment.MeasureKind.SITUATIONAL,
            measure_term=Commitment.MeasureTerm.SHORT,
            responsible_organisations=[setting["police"].pk, setting["kommun"].pk],
            goals=[
                {
                    "indicator": setting["indicator"].pk,
                    "baseline_value": "38",
                    "baseline_year": "2025",
                    "target_value": "30",
                    "target_by": "2027-12-31",
                }
            ],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment.refresh_from_db()
    assert commitment.problem.startswith("Många känner sig otrygga")
    assert commitment.problem_since == 2023
    assert list(commitment.problem_districts.all()) == [setting["handen"]]
    assert list(commitment.source_dialogues.all()) == [setting["dialogue"]]
    assert set(commitment.responsible_organisations.all()) == {
        setting["police"],
        setting["kommun"],
    }
    goal = commitment.goals.get()
    assert (goal.baseline_value, goal.baseline_year, goal.target_value) == (
        Decimal("38"),
        2025,
        Decimal("30"),
    )


def test_another_municipalitys_choices_are_refused(client, superuser, setting):
    """Even a superuser, who sees every choice, cannot mix municipalities."""
    login_verified(client, superuser)
    commitment = setting["commitment"]
    other = setting["other"]
    response = client.post(
        change_url(commitment),
        commitment_form(
            commitment,
            problem_districts=[other["district"].pk],
            source_dialogues=[other["dialogue"].pk],
            responsible_organisations=[other["organisation"].pk],
            goals=[
                {
                    "indicator": other["indicator"].pk,
                    "baseline_value": "38",
                    "baseline_year": "2025",
                    "target_value": "30",
                    "target_by": "2027-12-31",
                }
            ],
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj bara kommundelar i Haninge." in page
    # Another municipality's dialogue is not even a choice.
    assert "source_dialogues" in response.context["adminform"].form.errors
    assert "Välj bara organisationer som samverkar med Haninge" in page
    assert "Indikatorn hör till en annan kommun." in page
    assert not commitment.problem_districts.exists()
    assert not commitment.goals.exists()


def test_personal_data_and_impossible_goals_are_refused(
    client, coordinator_haninge, setting
):
    login_verified(client, coordinator_haninge)
    commitment = setting["commitment"]
    response = client.post(
        change_url(commitment),
        commitment_form(
            commitment,
            problem="Ring Kalle på 070-123 45 67 om stationen.",
            cause_analysis="Se anna.svensson@haninge.se",
            problem_since="1800",
            goals=[
                {
                    "indicator": setting["indicator"].pk,
                    "baseline_value": "38",
                    "baseline_year": "2025",
                    "target_value": "38",
                    "target_by": "2024-12-31",
                }
            ],
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texten ser ut att innehålla ett telefonnummer." in page
    assert "Texten ser ut att innehålla en e-postadress." in page
    assert "1950" in page  # the earliest year
    assert "Målet kan inte nås före utgångsåret." in page
    assert "Målvärdet är detsamma som utgångsvärdet." in page
    commitment.refresh_from_db()
    assert commitment.problem == ""


def with_problem_and_goal(setting) -> Commitment:
    commitment = setting["commitment"]
    commitment.problem = "Otrygghet vid stationen."
    commitment.problem_since = 2023
    commitment.problem_source = Commitment.Source.DIALOGUE
    commitment.cause_analysis = "Mörkt och folktomt."
    commitment.measure_kind = Commitment.MeasureKind.SOCIAL
    commitment.measure_term = Commitment.MeasureTerm.LONG
    commitment.internal_notes = "Internt."
    commitment.save()
    commitment.problem_districts.set([setting["handen"]])
    commitment.responsible_organisations.set([setting["kommun"]])
    commitment.source_dialogues.set([setting["dialogue"]])
    Goal.objects.create(
        commitment=commitment,
        indicator=setting["indicator"],
        baseline_value=38,
        baseline_year=2025,
        target_value=30,
        target_by=datetime.date(2027, 12, 31),
    )
    return commitment


def test_copying_to_next_year_carries_the_problem_and_the_goals(setting):
    source = with_problem_and_goal(setting)
    copy = copy_promise_to_next_year(source.promise).commitments.get()
    for field in Commitment.PROBLEM_FIELDS:
        assert getattr(copy, field) == getattr(source, field), field
    assert list(copy.problem_districts.all()) == [setting["handen"]]
    assert list(copy.responsible_organisations.all()) == [setting["kommun"]]
    # The dialogues were last year's: next year's problem names its own.
    assert not copy.source_dialogues.exists()
    goal = copy.goals.get()
    assert (goal.indicator, goal.baseline_value, goal.target_value) == (
        setting["indicator"],
        38,
        30,
    )
    assert goal.target_by == datetime.date(2027, 12, 31)


def test_another_municipalitys_template_brings_the_text_not_the_choices(
    setting, nynashamn
):
    source = with_problem_and_goal(setting)
    promise = promise_from_template(
        template=source.promise, municipality=nynashamn, year=2027
    )
    copy = promise.commitments.get()
    assert copy.problem == "Otrygghet vid stationen."
    assert copy.internal_notes == ""
    assert not copy.problem_districts.exists()
    assert not copy.responsible_organisations.exists()
    assert not copy.goals.exists()
