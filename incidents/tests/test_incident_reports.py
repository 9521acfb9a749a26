"""Incident reports through the admin: a partner reports in three fields, sees
and corrects their own organisation's reports for a few days, and nothing else."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from incidents.models import IncidentReport
from incidents.tests.factories import category, make_report
from promises.models import Organisation
from promises.tests.factories import login_verified

pytestmark = pytest.mark.django_db

ADD = reverse("admin:incidents_incidentreport_add")
CHANGELIST = reverse("admin:incidents_incidentreport_changelist")


def change_url(report) -> str:
    return reverse("admin:incidents_incidentreport_change", args=[report.pk])


def add_form_defaults(client) -> dict:
    """What the add form is filled in with, as the browser would send it."""
    response = client.get(ADD)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    return data


def test_a_partner_reports_an_incident_filling_in_three_fields(
    client, haninge, partner_haninge, housing_company
):
    login_verified(client, partner_haninge)
    data = add_form_defaults(client)
    assert "organisation" not in data  # it is the partner's own
    handen = haninge.districts.get(name="Handen")
    filled = {
        "category": category("Klotter").pk,
        "district": handen.pk,
        "place_type": IncidentReport.PlaceType.STAIRWELL,
    }
    response = client.post(ADD, {**data, **filled})
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = IncidentReport.objects.get()
    assert report.organisation == housing_company
    assert report.reported_by == partner_haninge
    assert report.date == datetime.date(2026, 12, 1)  # the suite's day
    assert report.part_of_day == IncidentReport.PartOfDay.DAY  # 10:00
    assert report.occurrences == 1


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("place", "Porten hos 19850312-1234"),
        ("place", "Ring 070-123 45 67"),
        ("internal_note", "Kontakt: anna.andersson@example.se"),
    ],
)
def test_text_that_looks_like_personal_data_is_refused(
    client, haninge, partner_haninge, field, text
):
    login_verified(client, partner_haninge)
    data = add_form_defaults(client) | {
        "category": category().pk,
        "district": haninge.districts.get(name="Jordbro").pk,
        "place_type": IncidentReport.PlaceType.YARD,
        field: text,
    }
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "personuppgifter" in str(response.context["adminform"].form.errors[field])
    assert not IncidentReport.objects.exists()


def test_a_future_date_and_too_many_occurrences_are_refused(
    client, haninge, partner_haninge
):
    login_verified(client, partner_haninge)
    data = add_form_defaults(client) | {
        "category": category().pk,
        "district": haninge.districts.get(name="Jordbro").pk,
        "place_type": IncidentReport.PlaceType.YARD,
        "date": "2026-12-24",
        "occurrences": "9999",
    }
    response = client.post(ADD, data)
    errors = response.context["adminform"].form.errors
    assert "Datumet har inte varit än." in errors["date"]
    assert errors["occurrences"]
    assert not IncidentReport.objects.exists()


def test_another_municipalitys_district_and_category_are_no_choice(
    client, haninge, nynashamn, partner_haninge
):
    from incidents.models import IncidentCategory

    theirs = IncidentCategory.objects.create(municipality=nynashamn, name="Sorundas")
    login_verified(client, partner_haninge)
    form = client.get(ADD).context["adminform"].form
    assert nynashamn.districts.first() not in form.fields["district"].queryset
    assert theirs not in form.fields["category"].queryset
    data = add_form_defaults(client) | {
        "category": theirs.pk,
        "district": nynashamn.districts.first().pk,
        "place_type": IncidentReport.PlaceType.YARD,
    }
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert not IncidentReport.objects.exists()


def test_a_partner_sees_and_corrects_only_their_own_recent_reports(
    client, haninge, nynashamn, partner_haninge, housing_company
):
    handen = haninge.districts.get(name="Handen")
    own = make_report(handen, housing_company, place="Trapphus A")
    other_partner = Organisation.objects.create(
        name="Bevakningsbolaget", kind=Organisation.Kind.PARTNER, municipality=haninge
    )
    others = make_report(handen, other_partner, place="Hemligt ställe")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        old = make_report(
            handen, housing_company, datetime.date(2026, 11, 20), place="Gammal plats"
        )
    login_verified(client, partner_haninge)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [own]
    assert client.get(change_url(own)).status_code == 200
    for hidden in (others, old):
        response = client.get(change_url(hidden))
        assert response.status_code == 404
        assert hidden.place.encode() not in response.content
    # Correcting their own: the count was wrong.
    data = add_form_defaults(client) | {
        "category": own.category_id,
        "district": handen.pk,
        "place_type": own.place_type,
        "place": own.place,
        "date": own.date.isoformat(),
        "occurrences": "3",
    }
    assert client.post(change_url(own), data).status_code == 302
    own.refresh_from_db()
    assert own.occurrences == 3
    assert own.organisation == housing_company


def test_a_partner_opens_nothing_else(client, partner_haninge, promise_haninge):
    login_verified(client, partner_haninge)
    for url in [
        reverse("admin:promises_promise_changelist"),
        reverse("admin:promises_activity_changelist"),
        reverse("admin:incidents_incidentcategory_changelist"),
        reverse("admin:incidents_reporter_changelist"),
        reverse("admin:incidents_incidentreport_lagesbild"),
    ]:
        assert client.get(url).status_code == 403, url
    start = client.get(reverse("admin:index"))
    assert start.status_code == 200
    assert promise_haninge.title.encode() not in start.content
    assert ADD.encode() in start.content  # "Rapportera händelse"


def test_a_partner_without_an_organisation_cannot_report(client, haninge):
    from promises.roles import PARTNER_REPORTER
    from promises.tests.factories import make_user

    user = make_user("utan_organisation", PARTNER_REPORTER, [haninge])
    login_verified(client, user)
    assert client.get(ADD).status_code == 403


def test_the_coordinator_reports_for_the_municipality_and_sees_every_report(
    client, haninge, coordinator_haninge, haninge_kommun, housing_company
):
    handen = haninge.districts.get(name="Handen")
    partners = make_report(handen, housing_company)
    login_verified(client, coordinator_haninge)
    data = add_form_defaults(client)
    assert data["organisation"] == haninge_kommun.pk
    data |= {
        "category": category("Nedskräpning").pk,
        "district": handen.pk,
        "place_type": IncidentReport.PlaceType.PARK,
    }
    assert client.post(ADD, data).status_code == 302
    listed = set(client.get(CHANGELIST).context["cl"].result_list)
    assert listed == set(IncidentReport.objects.all())
    assert partners in listed


def test_the_role_samverkanspart_has_exactly_the_incident_report_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Samverkanspart")  # made by the data migration
    assert set(
        group.permissions.values_list("content_type__app_label", "codename")
    ) == {
        ("incidents", "view_incidentreport"),
        ("incidents", "add_incidentreport"),
        ("incidents", "change_incidentreport"),
        ("incidents", "view_own_feedback"),  # what became of their reports
    }


def test_a_partner_never_sees_what_staff_filed_under_their_organisation(
    client, haninge, partner_haninge, liaison_haninge, housing_company
):
    """Decided (issue 23, docs/architecture.md): a report the police liaison or
    the municipality filed under a partner's organisation is theirs, with their
    internal note; the partner sees and corrects what their organisation's
    reporters filed (a colleague's too), not what staff filed for them."""
    from incidents.models import Reporter
    from promises.roles import PARTNER_REPORTER
    from promises.tests.factories import make_user

    handen = haninge.districts.get(name="Handen")
    polisens = make_report(
        handen,
        housing_company,
        place="Trapphuset vid torget",
        internal_note="Polisens iakttagelse: känd samlingsplats",
        reported_by=liaison_haninge,
    )
    colleague = make_user("kollega_hb", PARTNER_REPORTER, [haninge])
    Reporter.objects.create(user=colleague, organisation=housing_company)
    kollegans = make_report(handen, housing_company, reported_by=colleague)
    login_verified(client, partner_haninge)
    listed = client.get(CHANGELIST)
    assert list(listed.context["cl"].result_list) == [kollegans]
    assert b"Polisens iakttagelse" not in listed.content
    response = client.get(change_url(polisens))
    assert response.status_code == 404
    assert b"Polisens iakttagelse" not in response.content
    assert client.get(change_url(kollegans)).status_code == 200
