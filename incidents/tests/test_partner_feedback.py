"""A partner sees what became of their reports (issue 22 §6): per district they
reported in, the district prioritised, the inventories held there, the problems
fixed, and the counts published for it. Their own organisation's only, and
nothing the public may not see (a priority's reason is internal)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.tests.factories import make_report
from promises.models import Activity, Finding, Organisation, Priority
from promises.tests.factories import local, login_verified, make_activity
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

URL = reverse("admin:incidents_incidentreport_feedback")


@pytest.fixture
def what_followed(haninge, promise_haninge, housing_company):
    handen, jordbro, vega = (
        haninge.districts.get(name=name) for name in ("Handen", "Jordbro", "Vega")
    )
    make_report(handen, housing_company, datetime.date(2026, 4, 2), occurrences=2)
    make_report(handen, housing_company, datetime.date(2026, 6, 30))
    make_report(jordbro, housing_company, datetime.date(2026, 11, 20))
    school = Organisation.objects.create(
        name="Skolan", kind=Organisation.Kind.PARTNER, municipality=haninge
    )
    make_report(vega, school, datetime.date(2026, 5, 5))  # another organisation's
    Priority.objects.create(
        municipality=haninge,
        year=2026,
        quarter=3,
        district=handen,
        reason="HEMLIGT SKÄL ur lägesbilden",
    )
    Priority.objects.create(
        municipality=haninge, year=2026, quarter=3, district=vega, reason="Vega"
    )
    inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 8, 12, 18),
        districts=[handen],
        title="Trygghetsinventering i Handen",
    )
    for place, outcome in [
        ("Gångtunneln", {"status": "fixed", "fixed_on": datetime.date(2026, 9, 1)}),
        ("Parkeringen", {}),
    ]:
        Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LIGHTING,
            place=place,
            district=handen,
            **outcome,
        )
    internal = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 9, 12, 18),
        districts=[handen],
        title="HEMLIG intern inventering",
        publication_level=Activity.PublicationLevel.INTERNAL,
    )
    Finding.objects.create(
        inventory=internal,
        category=Finding.Category.GRAFFITI,
        place="HEMLIG plats",
        district=handen,
        status="fixed",
        fixed_on=datetime.date(2026, 10, 1),
    )
    klotter = Indicator.objects.create(
        municipality=haninge,
        name="Händelser: klotter",
        unit="antal",
        source="Samverkansparters rapporter (EST)",
        hides_small_counts=True,
    )
    IndicatorValue.objects.create(
        indicator=klotter,
        municipality=haninge,
        district=handen,
        year=2026,
        quarter=2,
        value=Decimal(3),
    )
    return inventory


def section(page: str, district) -> str:
    start = page.index(f'id="kommundel-{district.pk}"')
    return page[start : page.index("</div>", start)]


def test_a_partner_sees_what_became_of_their_reports(
    client, partner_haninge, haninge, what_followed
):
    login_verified(client, partner_haninge)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    handen = section(page, haninge.districts.get(name="Handen"))
    assert "Ni har rapporterat 2 händelser här (3 gånger), senast 30 juni 2026." in (
        handen
    )
    assert "Handen valdes som prioriterad kommundel för kvartal 3 2026" in handen
    assert f'<a href="{what_followed.get_absolute_url()}">' in handen
    assert "1 av 2 brister som hittades vid inventeringar är åtgärdade." in handen
    assert "Belysning vid Gångtunneln: åtgärdat 1 september 2026." in handen
    assert "<td>färre än 5</td>" in handen  # the published count, as residents see it
    jordbro = section(page, haninge.districts.get(name="Jordbro"))
    assert "Inget ännu." in jordbro
    # Nothing the public may not see, nothing of other organisations.
    for secret in ("HEMLIG", "Vega", "Skolan"):
        assert secret not in page
    # Busiest district first.
    assert page.index("kommundel-" + str(haninge.districts.get(name="Handen").pk)) < (
        page.index("kommundel-" + str(haninge.districts.get(name="Jordbro").pk))
    )


def test_the_start_page_and_the_reports_lead_there(
    client, partner_haninge, coordinator_haninge
):
    login_verified(client, partner_haninge)
    link = f'<a href="{URL}">Vad hände med era rapporter?</a>'
    assert link in client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:incidents_incidentreport_changelist")
    assert link in client.get(changelist).content.decode()
    login_verified(client, coordinator_haninge)
    assert URL not in client.get(reverse("admin:index")).content.decode()


def test_a_partner_who_has_reported_nothing_is_told_so(client, partner_haninge):
    login_verified(client, partner_haninge)
    page = client.get(URL).content.decode()
    assert "Haninge Bostäder har inte rapporterat något det senaste året." in page


def test_others_may_not_open_it(client, coordinator_haninge, liaison_haninge):
    assert client.get(URL).status_code == 302
    for user in (coordinator_haninge, liaison_haninge):
        login_verified(client, user)
        assert client.get(URL).status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(
    client, partner_haninge, haninge, housing_company, what_followed
):
    login_verified(client, partner_haninge)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for district in haninge.districts.all():
        for day in range(1, 6):
            make_report(district, housing_company, datetime.date(2026, 10, day))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
