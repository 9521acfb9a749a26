"""A safety dialogue says where it is held: on its page, in the lists, in the
calendar and in the open data. And the accessibility statement says whom to ask."""

import csv
import io

import pytest
from django.urls import reverse
from icalendar import Calendar

from promises.models import Activity
from promises.tests.factories import local, login_verified, make_activity

pytestmark = pytest.mark.django_db

VENUE = "Haninge kulturhus, Poststigen 7"


@pytest.fixture
def dialogues(promise_haninge, haninge):
    handen = haninge.districts.get(name="Handen")
    held = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 25, 18),
        districts=[handen],
        venue=VENUE,
        title="Trygghetsdialog i Handen",
        publication_level="detail",
    )
    coming = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 12, 9, 18),
        status=Activity.Status.PLANNED,
        districts=[handen],
        venue="Vendelsö gårds skola, aulan",
        title="Trygghetsdialog i Vendelsö",
    )
    return held, coming


def test_the_dialogues_page_and_the_lists_say_where(client, dialogues):
    held, coming = dialogues
    page = client.get(held.get_absolute_url()).content.decode()
    assert f"<dt>Lokal</dt><dd>{VENUE}</dd>" in page
    overview = client.get("/haninge/2026/").content.decode()
    assert "Vendelsö gårds skola, aulan" in overview
    district = client.get("/haninge/2026/kommundel/handen/").content.decode()
    assert "Vendelsö gårds skola, aulan" in district


def test_the_calendar_says_where(client, dialogues):
    response = client.get("/haninge/2026/trygghetsdialoger.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["LOCATION"]) == "Vendelsö gårds skola, aulan, Handen, Haninge"


def test_the_open_data_says_where(client, dialogues):
    response = client.get("/haninge/2026/oppna-data/aktiviteter.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["lokal"] == VENUE


def test_a_venue_with_personal_data_is_refused(
    client, coordinator_haninge, promise_haninge
):
    from promises.tests.factories import activity_form

    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_form(promise_haninge, venue="Hos Anna, 070-123 45 67"),
    )
    assert "venue" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


# The accessibility statement ---------------------------------------------------------


def test_the_statement_names_each_municipalitys_contact(
    client, haninge, promise_haninge
):
    haninge.accessibility_email = "kontaktcenter@haninge.example"
    haninge.accessibility_phone = "08-606 70 00"
    haninge.save()
    html = client.get("/tillganglighet/").content.decode()
    assert '<a href="mailto:kontaktcenter@haninge.example">' in html
    assert '<a href="tel:08-6067000">08-606 70 00</a>' in html
    assert "kontakta din kommun" not in html


def test_the_statement_names_the_installations_contact(client, settings, db):
    settings.ACCESSIBILITY_CONTACT = {
        "organisation": "Södertörns samverkansnämnd",
        "email": "tillganglighet@medborgarlofte.example",
        "phone": "",
        "response_days": 5,
    }
    html = client.get("/tillganglighet/").content.decode()
    assert "förvaltas av Södertörns samverkansnämnd" in html
    assert "tillganglighet@medborgarlofte.example" in html
    assert "Vi brukar svara inom 5 arbetsdagar." in html


def test_the_coordinator_keeps_the_contact_and_nothing_else(
    client, coordinator_haninge, haninge, nynashamn
):
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_municipality_change", args=[haninge.pk])
    response = client.post(
        url,
        {
            "name": "Omdöpt",
            "slug": "omdopt",
            "accessibility_email": "kontaktcenter@haninge.example",
            "accessibility_phone": "08-606 70 00",
            "accessibility_form_url": "",
        },
    )
    assert response.status_code == 302
    haninge.refresh_from_db()
    assert (haninge.name, haninge.slug) == ("Haninge", "haninge")
    assert haninge.accessibility_email == "kontaktcenter@haninge.example"
    other = reverse("admin:promises_municipality_change", args=[nynashamn.pk])
    assert client.get(other).status_code == 404
