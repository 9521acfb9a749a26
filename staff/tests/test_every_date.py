"""The flows that depend on the date, on the days of the year that break them.

The demo load, progress, every public page type, the reports target and the
report warnings, and the admin start page, on New Year's night, the first Friday
of January, the last day of the first quarter, Midsummer Eve and New Year's Eve.
The clock stands still on each day (time-machine), whatever day the suite runs.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from promises.models import Promise
from promises.roles import COORDINATOR
from promises.tests.factories import built_once, load_demo, login_verified, make_user
from public.tests.crawl import crawl, page_types, view_name

from .test_demo_progress import assert_progress_matches_a_hand_count

pytestmark = pytest.mark.django_db

DAYS = {
    "new-years-night": "2027-01-01 00:30 +01:00",  # a Friday, before the deployment
    "first-friday-of-january": "2028-01-07 16:00 +01:00",  # after it
    "end-of-the-first-quarter": "2027-03-31 23:30 +02:00",
    "midsummer-eve": "2027-06-25 12:00 +02:00",
    "new-years-eve": "2027-12-31 23:30 +01:00",
}
# The report warnings each day, with the promise of the year written "{year}".
REPORT_WARNINGS = {
    # Last year's fourth quarter: its report comes a week into the new year.
    "new-years-night": [
        "Kvartal 4 2026 saknar en publicerad rapport (Medborgarlöfte Haninge 2026)."
    ],
    "first-friday-of-january": [],
    "end-of-the-first-quarter": [
        "Kvartal 1 slutar 31 mars och ingen rapport till invånarna är publicerad "
        "för Medborgarlöfte Haninge 2027."
    ],
    "midsummer-eve": [
        "Kvartal 2 slutar 30 juni och ingen rapport till invånarna är publicerad "
        "för Medborgarlöfte Haninge 2027."
    ],
    "new-years-eve": [
        "Kvartal 4 slutar 31 december och ingen rapport till invånarna är "
        "publicerad för Medborgarlöfte Haninge 2027."
    ],
}
PAGE_TYPES = {
    "public:start",
    "public:overview",
    "public:commitment",
    "public:district",
    "public:activity",
    "public:report_list",
    "public:report",
    "public:evaluation",
    "public:open_data",
    "public:embed",
    "public:accessibility",
}
OTHER_TYPES = {
    "public:calendar",
    "public:feed",
    "public:open_data_csv",
    "public:open_data_json",
}


@pytest.fixture(scope="module", params=DAYS, ids=list(DAYS))
def demo_of_the_day(request, django_db_setup, django_db_blocker):
    """The demo loaded on the day, once for the day's tests (pytest runs them
    together), each in a savepoint rolled back after it (built_once)."""
    with built_once(django_db_blocker, DAYS[request.param], tick=False):
        load_demo()
        yield request.param


@pytest.fixture
def day(demo_of_the_day):
    """The test runs on the day, the clock standing still."""
    with time_machine.travel(DAYS[demo_of_the_day], tick=False):
        yield demo_of_the_day


@pytest.fixture
def this_year():
    return Promise.objects.get(
        municipality__name="Haninge", year=timezone.localdate().year
    )


def test_the_demo_has_last_year_and_this_year_up_to_today(day, this_year):
    today = timezone.localdate()
    last_year = Promise.objects.get(
        municipality=this_year.municipality, year=today.year - 1
    )
    assert last_year.activities.filter(
        starts_at__date__gte=datetime.date(today.year - 1, 12, 1)
    ).exists()
    assert last_year.evaluation.is_published
    assert not this_year.activities.filter(
        status="done", starts_at__gt=timezone.now()
    ).exists()


def test_progress_matches_a_hand_count(day, this_year):
    assert_progress_matches_a_hand_count(this_year, timezone.localdate())


def test_every_public_page_type_has_content_and_every_link_works(day):
    pages = crawl(Client())
    assert not pages.broken
    assert not pages.truncated
    assert set(page_types(pages)) >= PAGE_TYPES
    assert {view_name(url) for url in pages.other} >= OTHER_TYPES


def test_the_new_promise_comes_first_with_last_years_evaluation_a_click_away(
    day, this_year
):
    html = Client().get(this_year.get_absolute_url()).content.decode()
    last_year = this_year.year - 1
    assert f"Så gick det {last_year}: läs utvärderingen" in html
    assert f"/haninge/{last_year}/utvardering/" in html
    assert "0 av 0" not in html


def test_the_report_warnings_and_the_admin_start_page(day, this_year):
    coordinator = make_user("samordnaren", COORDINATOR, [this_year.municipality])
    client = Client()
    login_verified(client, coordinator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["report_warnings"] == REPORT_WARNINGS[day]
    html = response.content.decode()
    assert f"Så går det: {this_year}" in html
    last_year = this_year.year - 1
    in_the_first_quarter = timezone.localdate().month <= 3
    assert (f"Så gick det: Medborgarlöfte Haninge {last_year}" in html) == (
        in_the_first_quarter
    )
    if in_the_first_quarter:
        assert f"Utvärderingen av {last_year} är publicerad" in html
    assert "0 av 0" not in html
