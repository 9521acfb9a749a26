"""Prioritised districts per quarter: chosen with the lägesbild's figures and
the survey beside the choice, kept with it; named by an activity; and the start
page says which have had no activity yet this quarter."""

import datetime

import pytest
from django.urls import reverse

from incidents.tests.factories import make_report
from promises.models import Activity, Priority
from promises.tests.factories import activity_form, local, login_verified
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

ADD = reverse("admin:promises_priority_add")


@pytest.fixture
def jordbro_reports(haninge, housing_company):
    jordbro = haninge.districts.get(name="Jordbro")
    for day in range(5):
        make_report(jordbro, housing_company, datetime.date(2026, 11, 2 + day))
    make_report(
        jordbro,
        housing_company,
        datetime.date(2026, 7, 1),
        category_name="Bränder",
        occurrences=2,
    )
    survey = Indicator.objects.create(
        municipality=haninge, name="Andel trygga", unit="%", source="Mätningen"
    )
    IndicatorValue.objects.create(
        indicator=survey, municipality=haninge, district=jordbro, year=2025, value=61
    )
    return jordbro


def test_the_coordinator_chooses_with_the_figures_beside_the_choice(
    client, haninge, coordinator_haninge, jordbro_reports
):
    login_verified(client, coordinator_haninge)
    response = client.get(ADD)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert (form.initial["year"], form.initial["quarter"]) == (2027, 1)
    evidence = response.context["evidence"]
    jordbro = evidence.of(jordbro_reports)
    # 2 September – 1 December 2026 (today), and the 91 days before.
    assert (jordbro.count, jordbro.count_before, jordbro.top_category) == (
        5,
        2,
        "Klotter",
    )
    body = response.content.decode()
    assert "Andel trygga 2025: 61 %" in body
    assert "Klotter (5)" in body

    response = client.post(
        ADD,
        {
            "municipality": haninge.pk,
            "year": "2027",
            "quarter": "1",
            "district": jordbro_reports.pk,
            "reason": "Klottret ökar vid centrum.",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    priority = Priority.objects.get()
    assert "Händelser 2026-09-02–2026-12-01: 5" in priority.evidence
    assert "Vanligast: Klotter (5)." in priority.evidence
    assert "Andel trygga 2025: 61 %." in priority.evidence


def test_another_municipalitys_district_is_refused(
    client, haninge, nynashamn, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ADD,
        {
            "municipality": haninge.pk,
            "year": "2027",
            "quarter": "1",
            "district": nynashamn.districts.first().pk,
            "reason": "Fel kommun.",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["district"]
    assert not Priority.objects.exists()


def test_the_start_page_names_priorities_no_activity_answers_yet(
    client, haninge, coordinator_haninge, promise_haninge
):
    jordbro = haninge.districts.get(name="Jordbro")
    priority = Priority.objects.create(
        municipality=haninge, district=jordbro, year=2026, quarter=4, reason="Klotter"
    )
    Priority.objects.create(  # next quarter's: not yet
        municipality=haninge,
        district=haninge.districts.get(name="Handen"),
        year=2027,
        quarter=1,
        reason="Senare",
    )
    login_verified(client, coordinator_haninge)
    start = client.get(reverse("admin:index")).content.decode()
    assert "Jordbro är prioriterad kvartal 4 men ingen aktivitet" in start
    assert "Handen är prioriterad" not in start

    # An inventory this quarter names the priority it answers.
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_form(
            promise_haninge,
            kind=Activity.Kind.INVENTORY,
            starts_at_0="2026-11-24",
            title="Trygghetsinventering i Jordbro",
            districts=[jordbro.pk],
            priority=priority.pk,
            district_reason="Prioriterad kommundel.",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Activity.objects.get(title="Trygghetsinventering i Jordbro").priority == (
        priority
    )
    start = client.get(reverse("admin:index")).content.decode()
    assert "Jordbro är prioriterad" not in start


def test_an_activity_names_only_a_priority_of_its_municipality(
    client, haninge, nynashamn, coordinator_haninge, promise_haninge
):
    theirs = Priority.objects.create(
        municipality=nynashamn,
        district=nynashamn.districts.first(),
        year=2026,
        quarter=4,
        reason="Deras",
    )
    login_verified(client, coordinator_haninge)
    form = client.get(reverse("admin:promises_activity_add")).context["adminform"].form
    assert theirs not in form.fields["priority"].queryset
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_form(promise_haninge, priority=theirs.pk),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["priority"]


def test_a_friday_deployment_names_its_priority(
    client, haninge, liaison_haninge, promise_haninge
):
    priority = Priority.objects.create(
        municipality=haninge,
        district=haninge.districts.get(name="Jordbro"),
        year=2026,
        quarter=4,
        reason="Klotter",
    )
    from promises.models import FridayDeployment

    deployment = FridayDeployment.objects.create(
        promise=promise_haninge, starts_at=local(2026, 11, 27, 18), title="Fredag"
    )
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_fridaydeployment_change", args=[deployment.pk])
    form = client.get(url).context["adminform"].form
    assert list(form.fields["priority"].queryset) == [priority]


@pytest.mark.parametrize(
    "query",
    [
        "?year=99999999999999999999",
        "?year=99999999999999999999&quarter=",
        "?year=2026&quarter=99999999999999999999",
        "?year=0&quarter=1",
        "?year=-5&quarter=0",
    ],
)
def test_a_crafted_year_or_quarter_is_no_500(client, coordinator_haninge, query):
    login_verified(client, coordinator_haninge)
    response = client.get("/admin/promises/priority/add/" + query)
    assert response.status_code == 200
    assert response.context["evidence"] is None
