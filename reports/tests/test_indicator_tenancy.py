"""Indicators belong to one municipality; shared definitions are changed by
superusers only, and every choice list offers only what the user may see."""

import pytest
from django.urls import reverse

from promises.tests.factories import login_verified, make_commitment
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


# --- Indicators -----------------------------------------------------------------------


@pytest.fixture
def indicators(haninge, nynashamn):
    def make(name, municipality=None):
        return Indicator.objects.create(
            name=name, unit="%", source="Enkät", municipality=municipality
        )

    return {
        "haninges": make("Otrygghet i Handen", haninge),
        "nynashamns": make("Otrygghet i Sorunda", nynashamn),
        "shared": make("Anmälda brott (nationellt)"),
    }


def test_the_coordinator_sees_their_own_and_shared_indicators_only(
    client, coordinator_haninge, indicators
):
    login_verified(client, coordinator_haninge)
    listed = client.get(reverse("admin:reports_indicator_changelist"))
    assert {i.name for i in listed.context["cl"].result_list} == {
        "Otrygghet i Handen",
        "Anmälda brott (nationellt)",
    }
    assert "Sorunda" not in listed.content.decode()
    url = reverse("admin:reports_indicator_change", args=[indicators["nynashamns"].pk])
    assert client.get(url).status_code == 404


def test_a_shared_indicator_is_read_only_and_names_no_ones_commitments(
    client, coordinator_haninge, indicators, promise_nynashamn
):
    indicators["shared"].commitments.add(
        make_commitment(promise_nynashamn, "Nynäshamns hemliga åtagande")
    )
    login_verified(client, coordinator_haninge)
    url = reverse("admin:reports_indicator_change", args=[indicators["shared"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Nynäshamns hemliga åtagande" not in page.content.decode()
    assert client.post(url, {"name": "Omdöpt"}).status_code == 403


def test_an_indicator_value_offers_own_and_shared_indicators(
    client, coordinator_haninge, indicators, haninge
):
    login_verified(client, coordinator_haninge)
    add = reverse("admin:reports_indicatorvalue_add")
    form = client.get(add).context["adminform"].form
    assert {i.name for i in form.fields["indicator"].queryset} == {
        "Otrygghet i Handen",
        "Anmälda brott (nationellt)",
    }
    response = client.post(
        add,
        {
            "indicator": indicators["nynashamns"].pk,
            "municipality": haninge.pk,
            "district": "",
            "year": 2025,
            "value": "12",
        },
    )
    assert "indicator" in response.context["adminform"].form.errors
    assert not IndicatorValue.objects.exists()


def test_the_filter_sidebars_name_only_what_the_user_may_see(
    client, coordinator_haninge, indicators
):
    login_verified(client, coordinator_haninge)
    html = client.get(
        reverse("admin:reports_indicatorvalue_changelist")
    ).content.decode()
    assert "Otrygghet i Handen" in html and "Sorunda" not in html
