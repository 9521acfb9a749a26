"""Who may be a partner's reporter (issue 23): someone who works for the
organisation's municipality and has no other role there, so that a reporter is
never another municipality's, and a coordinator or the police liaison never
becomes one."""

import pytest

from incidents.models import Reporter
from incidents.tests.factories import make_housing_company
from promises.roles import COORDINATOR, PARTNER_REPORTER
from promises.tests.factories import login_verified, make_user

pytestmark = pytest.mark.django_db

ADD = "/admin/incidents/reporter/add/"


@pytest.fixture
def coordinator_both(haninge, nynashamn):
    return make_user("samordnare_sodertorn", COORDINATOR, [haninge, nynashamn])


def test_a_reporter_of_another_municipalitys_organisation_is_refused(
    client, haninge, nynashamn, coordinator_both
):
    nynashamns_company = make_housing_company(nynashamn)
    haninges_partner = make_user("partner_haninge", PARTNER_REPORTER, [haninge])
    login_verified(client, coordinator_both)
    response = client.post(
        ADD, {"user": haninges_partner.pk, "organisation": nynashamns_company.pk}
    )
    assert response.status_code == 200
    assert "arbetar inte för Nynäshamn" in response.content.decode()
    assert not Reporter.objects.exists()


def test_the_liaison_or_a_coordinator_never_becomes_a_reporter(
    client, haninge, housing_company, coordinator_haninge, liaison_haninge
):
    login_verified(client, coordinator_haninge)
    for user in [liaison_haninge, coordinator_haninge]:
        response = client.post(
            ADD, {"user": user.pk, "organisation": housing_company.pk}
        )
        assert response.status_code == 200
        assert "läser hela lägesbilden" in response.content.decode()
    assert not Reporter.objects.exists()


def test_a_partner_of_the_municipality_becomes_its_reporter(
    client, haninge, housing_company, coordinator_haninge
):
    partner = make_user("partner_haninge", PARTNER_REPORTER, [haninge])
    login_verified(client, coordinator_haninge)
    response = client.post(
        ADD, {"user": partner.pk, "organisation": housing_company.pk}
    )
    assert response.status_code == 302
    assert Reporter.objects.get().user == partner
