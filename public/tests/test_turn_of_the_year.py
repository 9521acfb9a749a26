"""The public site around the turn of the year: which promise is current, a
promise that has not begun, and the years before and after."""

import pytest
import time_machine

from promises.models import Activity, Promise, Target
from promises.tests.factories import (
    local,
    make_activity,
    make_dialogue_and_friday_commitments,
    make_promise,
)
from reports.models import Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def haninge_years(haninge):
    """Haninge's promises of 2025, 2026 (each evaluated) and 2027, all published."""
    promises = {year: make_promise(haninge, year) for year in (2025, 2026, 2027)}
    for promise in promises.values():
        make_dialogue_and_friday_commitments(promise)
    for year in (2025, 2026):
        Evaluation.objects.create(
            promise=promises[year],
            summary=f"Så gick det {year}.",
            status=Evaluation.Status.PUBLISHED,
        )
    return promises


@pytest.mark.parametrize(
    ("now", "current"),
    [
        ("2026-12-31 23:59 +01:00", 2026),  # next year's is published, not begun
        ("2027-01-01 00:01 +01:00", 2027),
        ("2027-06-19 12:00 +02:00", 2027),
    ],
)
def test_the_start_page_goes_to_the_promise_running_today(
    client, haninge_years, now, current
):
    with time_machine.travel(now, tick=False):
        response = client.get("/")
    assert response["Location"] == f"/haninge/{current}/"


def test_in_a_new_year_without_a_new_promise_the_last_one_stays_current(
    client, haninge
):
    make_promise(haninge, 2026)
    make_promise(haninge, 2027, status=Promise.Status.DRAFT)
    with time_machine.travel("2027-01-04 09:00 +01:00", tick=False):
        assert client.get("/")["Location"] == "/haninge/2026/"


def test_with_nothing_begun_the_start_page_goes_to_the_next_promise(client, haninge):
    make_promise(haninge, 2027)
    assert client.get("/")["Location"] == "/haninge/2027/"


def test_a_promise_that_has_not_begun_says_when_it_begins(client, haninge_years):
    """In December 2026 the published 2027 promise: no "0 av 0", no period
    tables, the targets and the day it begins."""
    overview = client.get("/haninge/2027/").content.decode()
    assert "Börjar 1 januari 2027." in overview
    assert "0 av 0" not in overview
    assert "Ej påbörjat" not in overview
    assert (
        "Mål: Minst 4 trygghetsdialoger per år, i minst 4 olika kommundelar" in overview
    )
    commitment = haninge_years[2027].focus_areas.get().commitments.first()
    page = client.get(f"/haninge/2027/atagande/{commitment.pk}/").content.decode()
    assert "Börjar 1 januari 2027." in page
    assert "Per period, hittills" not in page
    assert "0 av 0" not in page
    embed = client.get("/haninge/2027/inbaddning/").content.decode()
    assert "Börjar 1 januari 2027." in embed
    assert "0 av 0" not in embed


def test_a_promise_under_way_shows_its_figures(client, haninge_years):
    make_activity(haninge_years[2026], Activity.Kind.DIALOGUE, local(2026, 3, 6))
    overview = client.get("/haninge/2026/").content.decode()
    assert "Börjar" not in overview
    assert "1 av 4 trygghetsdialoger" in overview


def test_other_years_are_earlier_or_later_never_mixed(client, haninge_years):
    html = client.get("/haninge/2026/").content.decode()
    earlier = html[html.index('id="years-heading"') :]
    later = html[
        html.index('id="later-years-heading"') : html.index('id="years-heading"')
    ]
    assert "Medborgarlöfte Haninge 2025" in earlier
    assert "Medborgarlöfte Haninge 2027" not in earlier
    assert "Medborgarlöfte Haninge 2027" in later
    first = client.get("/haninge/2025/").content.decode()
    assert 'id="years-heading"' not in first  # nothing before 2025


def test_the_overview_links_last_years_evaluation(client, haninge_years):
    html = client.get("/haninge/2027/").content.decode()
    assert "Så gick det 2026: läs utvärderingen" in html
    assert "/haninge/2026/utvardering/" in html
    assert "Så gick det 2024" not in client.get("/haninge/2025/").content.decode()


def test_a_districts_upcoming_dialogues_come_soonest_first(client, haninge):
    promise = make_promise(haninge, 2026)
    handen = haninge.districts.get(name="Handen")
    for day in (20, 4, 12):  # created out of order
        make_activity(
            promise,
            Activity.Kind.DIALOGUE,
            local(2026, 12, day, 18),
            status=Activity.Status.PLANNED,
            districts=[handen],
            title=f"Trygghetsdialog den {day} december",
        )
    html = client.get("/haninge/2026/kommundel/handen/").content.decode()
    positions = [
        html.index(f"Trygghetsdialog den {day} december") for day in (4, 12, 20)
    ]
    assert positions == sorted(positions)


def test_progress_is_counted_by_the_day_it_is(client, haninge):
    """A target page shows the weeks so far: on the first Friday of 2027 at
    noon, one Friday has come and none has been held."""
    promise = make_promise(haninge, 2027)
    make_dialogue_and_friday_commitments(promise)
    commitment = promise.focus_areas.get().commitments.get(
        targets__kind=Activity.Kind.DEPLOYMENT
    )
    assert commitment.targets.get().weekday == Target.Weekday.FRIDAY
    with time_machine.travel("2027-01-01 12:00 +01:00", tick=False):
        html = client.get(f"/haninge/2027/atagande/{commitment.pk}/").content.decode()
    assert "0 av 1 fredag" in html
