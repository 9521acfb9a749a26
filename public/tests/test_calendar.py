"""The calendar of upcoming safety dialogues (.ics), read back with icalendar."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from promises.models import Activity, Promise
from promises.tests.factories import local, make_activity, make_promise

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def year():
    """Next year: its dialogues are upcoming whenever the tests run."""
    return timezone.localdate().year + 1


@pytest.fixture
def promise(haninge, year):
    return make_promise(haninge, year)


@pytest.fixture
def dialogues(promise, haninge, year, police, haninge_kommun):
    handen = haninge.districts.get(name="Handen")
    jordbro = haninge.districts.get(name="Jordbro")
    planned = {"status": Activity.Status.PLANNED, "organisations": [police]}
    summer = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(year, 6, 10, 18),
        ends_at=local(year, 6, 10, 20),
        districts=[handen, jordbro],
        title="Trygghetsdialog i Handen; alla, välkomna",
        summary="Öppet möte med polisen och kommunen.\nTa med grannarna.",
        **planned,
    )
    winter = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(year, 12, 9, 18, 30),
        districts=[jordbro],
        title="Trygghetsdialog i Jordbro",
        **planned,
    )
    # Not announced: internal, cancelled, done, another kind, a draft's.
    make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(year, 5, 5, 18),
        publication_level=Activity.PublicationLevel.INTERNAL,
        title="HEMLIG intern dialog",
        **planned,
    )
    make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(year, 5, 6, 18),
        status=Activity.Status.CANCELLED,
        title="HEMLIG inställd dialog",
    )
    make_activity(
        promise,
        Activity.Kind.INVENTORY,
        local(year, 5, 7, 18),
        title="HEMLIG inventering",
        **planned,
    )
    draft = make_promise(haninge, year + 1, status=Promise.Status.DRAFT)
    make_activity(
        draft,
        Activity.Kind.DIALOGUE,
        local(year + 1, 3, 3, 18),
        title="HEMLIG utkastdialog",
        **planned,
    )
    return summer, winter


def fetch(client, year):
    response = client.get(f"/haninge/{year}/trygghetsdialoger.ics")
    assert response.status_code == 200
    return response


def events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_has_the_announced_dialogues_and_nothing_else(
    client, dialogues, year
):
    summer, winter = dialogues
    response = fetch(client, year)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"HEMLIG" not in response.content
    found = events(response)
    assert list(found) == [
        f"activity-{summer.pk}@medborgarlofte",
        f"activity-{winter.pk}@medborgarlofte",
    ]
    event = found[f"activity-{summer.pk}@medborgarlofte"]
    assert str(event["summary"]) == "Trygghetsdialog i Handen; alla, välkomna"
    assert str(event["location"]) == "Handen, Jordbro, Haninge"
    page = f"http://testserver/haninge/{year}/aktivitet/{summer.pk}/"
    assert str(event["url"]) == page
    assert str(event["description"]) == (
        f"Öppet möte med polisen och kommunen.\nTa med grannarna.\n\n{page}"
    )
    assert isinstance(event.decoded("dtstamp"), datetime.datetime)


def test_times_are_right_in_stockholm_summer_and_winter(client, dialogues, year):
    summer, winter = dialogues
    found = events(fetch(client, year))
    summer_event = found[f"activity-{summer.pk}@medborgarlofte"]
    winter_event = found[f"activity-{winter.pk}@medborgarlofte"]
    # Written in UTC: 18:00 summer time is 16:00Z, 18:30 winter time is 17:30Z.
    assert summer_event["dtstart"].to_ical() == f"{year}0610T160000Z".encode()
    assert summer_event["dtend"].to_ical() == f"{year}0610T180000Z".encode()
    assert winter_event["dtstart"].to_ical() == f"{year}1209T173000Z".encode()
    start = summer_event.decoded("dtstart").astimezone(STOCKHOLM)
    assert start == datetime.datetime(year, 6, 10, 18, tzinfo=STOCKHOLM)
    assert summer_event.decoded("dtend").astimezone(STOCKHOLM).hour == 20
    start = winter_event.decoded("dtstart").astimezone(STOCKHOLM)
    assert (start.date(), start.hour, start.minute) == (
        datetime.date(year, 12, 9),
        18,
        30,
    )
    assert "dtend" not in winter_event  # no end time was given


def test_uids_are_stable_between_downloads(client, dialogues, year):
    assert list(events(fetch(client, year))) == list(events(fetch(client, year)))


def test_the_file_follows_rfc_5545_lines(client, dialogues, year):
    content = fetch(client, year).content
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VCALENDAR\r\n")
    lines = content.split(b"\r\n")
    assert all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    calendar = Calendar.from_ical(content)
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    assert str(calendar["x-wr-calname"]) == "Trygghetsdialoger i Haninge"


def test_no_dialogues_gives_an_empty_calendar(client, promise, year):
    calendar = Calendar.from_ical(fetch(client, year).content)
    assert calendar.walk("VEVENT") == []


def test_a_draft_promise_has_no_calendar(client, dialogues, year):
    assert client.get(f"/haninge/{year + 1}/trygghetsdialoger.ics").status_code == 404


def test_the_overview_links_to_the_calendar(client, promise, year):
    html = client.get(f"/haninge/{year}/").content.decode()
    link = f'<a href="/haninge/{year}/trygghetsdialoger.ics">'
    assert f"{link}Lägg in trygghetsdialogerna i din kalender</a>" in html


def test_the_calendar_runs_a_fixed_number_of_queries(
    client, promise, year, haninge, django_assert_num_queries
):
    def add(count):
        for day in range(count):
            make_activity(
                promise,
                Activity.Kind.DIALOGUE,
                local(year, 3, 1 + day, 18),
                districts=haninge.districts.all(),
                status=Activity.Status.PLANNED,
            )

    add(1)
    # The promise, the dialogues, their districts.
    with django_assert_num_queries(3):
        assert len(events(fetch(client, year))) == 1
    add(20)
    with django_assert_num_queries(3):
        assert len(events(fetch(client, year))) == 21


# "Lägg till i kalender" on each dialogue (issue 22 §6)


def test_the_calendar_says_what_it_is_without_repeating_the_promise(
    client, dialogues, year
):
    calendar = Calendar.from_ical(fetch(client, year).content)
    description = str(calendar["x-wr-caldesc"])
    assert description == (
        "Kommande trygghetsdialoger i Haninge: öppna möten där invånarna berättar "
        "för polisen och kommunen vad som känns otryggt. Ur Medborgarlöfte Haninge "
        f"{year}."
    )
    assert "medborgarlöftet Medborgarlöfte" not in description


def test_each_dialogue_adds_itself_to_a_calendar(client, dialogues, year):
    summer, winter = dialogues
    page = client.get(summer.get_absolute_url()).content.decode()
    url = f"/haninge/{year}/aktivitet/{summer.pk}/kalender.ics"
    assert f'<a href="{url}" download>Lägg till i kalender</a>' in page
    overview = client.get(f"/haninge/{year}/").content.decode()
    assert f'href="{url}" download>Lägg till i kalender' in overview
    district = client.get(f"/haninge/{year}/kommundel/jordbro/").content.decode()
    assert f'href="{url}" download>Lägg till i kalender' in district

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="trygghetsdialog-haninge-{year}-06-10.ics"'
    )
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    # The same event as in the whole calendar: a calendar with both shows it once.
    assert str(event["uid"]) == f"activity-{summer.pk}@medborgarlofte"
    assert str(event["summary"]) == "Trygghetsdialog i Handen; alla, välkomna"
    assert event["dtstart"].to_ical() == f"{year}0610T160000Z".encode()
    assert str(event["location"]) == "Handen, Jordbro, Haninge"


def test_only_an_announced_dialogue_has_a_calendar_file(client, dialogues, year):
    others = Activity.objects.filter(title__startswith="HEMLIG")
    assert others.count() == 4
    for other in others:
        url = f"/haninge/{other.promise.year}/aktivitet/{other.pk}/kalender.ics"
        assert client.get(url).status_code == 404
    summer, _winter = dialogues
    assert (
        client.get(f"/haninge/{year}/aktivitet/999999/kalender.ics").status_code == 404
    )
    assert (
        client.get(
            f"/haninge/{year + 5}/aktivitet/{summer.pk}/kalender.ics"
        ).status_code
        == 404
    )


def test_a_dialogue_file_runs_a_fixed_number_of_queries(
    client, dialogues, year, django_assert_num_queries
):
    summer, _winter = dialogues
    # The promise, the dialogue, its districts.
    with django_assert_num_queries(3):
        client.get(f"/haninge/{year}/aktivitet/{summer.pk}/kalender.ics")
