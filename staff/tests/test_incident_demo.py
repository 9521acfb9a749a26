"""The demo's incident reports: a year up to today, varied by district, with the
Jordbro hotspot on top of last week's lägesbild, on any day."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from incidents import demo
from incidents.models import IncidentReport
from promises.models import Priority
from promises.periods import quarter_of
from promises.tests.factories import built_once, load_demo, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo of the day it is, with the demo users' password, loaded once for
    the module's tests (built_once)."""
    with (
        built_once(django_db_blocker, day=None),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
        load_demo()
        yield


@pytest.mark.any_day
def test_the_demo_has_a_year_of_reports_and_a_hotspot(client, loaded):
    today = timezone.localdate()
    reports = IncidentReport.objects.filter(is_demo=True)
    dates = reports.order_by("date").values_list("date", flat=True)
    assert dates.first() >= today - datetime.timedelta(days=365)
    assert dates.first() <= today - datetime.timedelta(days=350)
    assert dates.last() <= today
    per_district = dict(
        reports.values_list("district__name").annotate(n=Count("id")).order_by()
    )
    assert per_district["Handen"] > 3 * per_district.get("Skärgården", 0)

    # The partner demo user has the password and reports for the housing company.
    partner = get_user_model().objects.get(username=demo.PARTNER_USERNAME)
    assert partner.check_password("demo-password-for-tests")
    assert partner.reporter.organisation.name == demo.HOUSING_COMPANY
    assert partner.groups.get().name == "Samverkanspart"

    coordinator = get_user_model().objects.get(username="samordnare")
    login_verified(client, coordinator)
    last_week = today - datetime.timedelta(days=7)
    response = client.get(
        "/admin/incidents/incidentreport/lagesbild/",
        {"vecka": f"{last_week.isocalendar().year}-W{last_week.isocalendar().week}"},
    )
    assert response.status_code == 200
    picture = response.context["picture"]
    top = max(picture.rows, key=lambda row: row.total.count)
    assert top.district.name == demo.HOTSPOT
    assert demo.HOTSPOT_PLACE in [place.place for place in picture.places]

    # This quarter's priority names the hotspot, with the figures behind it.
    year, quarter = quarter_of(today)
    priority = Priority.objects.get(
        municipality__name="Haninge",
        year=year,
        quarter=quarter,
        district__name="Jordbro",
    )
    assert priority.evidence.startswith("Händelser ")
    start = client.get("/admin/").content.decode()
    assert "Handen är prioriterad" in start  # no activity answers it yet


@pytest.mark.any_day
def test_the_demo_has_published_last_quarters_counts(client, loaded):
    from promises.periods import previous_quarter
    from reports.models import IndicatorValue

    year, quarter = previous_quarter(*quarter_of(timezone.localdate()))
    values = IndicatorValue.objects.filter(
        indicator__hides_small_counts=True, indicator__name="Händelser: klotter"
    )
    assert set(values.values_list("year", "quarter")) == {(year, quarter)}
    assert values.filter(value__gte=5).exists()  # the hotspot, at least
    handen = values.get(district__name="Handen")
    page = client.get(f"/haninge/{timezone.localdate().year}/kommundel/handen/")
    assert "Händelser: klotter" in page.content.decode()
    assert handen.value >= 5 or "färre än 5" in page.content.decode()
