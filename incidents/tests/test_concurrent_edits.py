"""An incident report edited by two at once (issue 23): a count another saved is
never put back by the second save."""

import pytest
from django.test import Client

from incidents.models import IncidentReport
from incidents.tests.factories import make_report
from promises.roles import COORDINATOR
from promises.tests.admin_forms import form_values
from promises.tests.factories import login_verified, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(haninge, housing_company):
    return make_report(haninge.districts.get(name="Handen"), housing_company)


def client_of(user) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_a_count_changed_by_another_is_not_put_back(haninge, partner_haninge, report):
    coordinator = client_of(make_user("anna_samordnare", COORDINATOR, [haninge]))
    partner = client_of(partner_haninge)
    url = f"/admin/incidents/incidentreport/{report.pk}/change/"
    coordinators_page = form_values(coordinator.get(url), "incidentreport_form")
    partners_page = form_values(partner.get(url), "incidentreport_form")

    coordinators_page["occurrences"] = "9"
    assert coordinator.post(url, coordinators_page).status_code == 302

    partners_page["place"] = "Trapphuset på Runstensvägen 4"
    response = partner.post(url, partners_page)

    assert response.status_code == 200
    assert "Någon annan har sparat" in response.content.decode()
    assert IncidentReport.objects.get(pk=report.pk).occurrences == 9
    again = form_values(response, "incidentreport_form")
    assert again["occurrences"] == "9"
    assert again["place"] == "Trapphuset på Runstensvägen 4"
    assert partner.post(url, again).status_code == 302
    report.refresh_from_db()
    assert (report.occurrences, report.place) == (9, "Trapphuset på Runstensvägen 4")
