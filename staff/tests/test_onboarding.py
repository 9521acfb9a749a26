"""A new municipality in one step ("Ny kommun"), its people choosing their own
passwords from an e-mail link, and the user page naming their municipalities."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from promises.models import District, Municipality, Organisation, PoliceArea
from promises.roles import COORDINATOR, PARTNER_REPORTER, POLICE_LIAISON
from promises.tests.factories import login_verified, make_user

pytestmark = pytest.mark.django_db

NEW = reverse("admin:promises_municipality_add")


def botkyrka_form(**fields) -> dict:
    data = {
        "name": "Botkyrka",
        "districts": "Alby\nFittja\n\nHallunda-Norsborg\nTumba\nTullinge\n",
        "police_area": "",
        "new_police_area": "Lokalpolisområde Botkyrka",
        "coordinators": "Anna Andersson, anna.andersson@botkyrka.se",
        "liaisons": "Per Polis <per.polis@polisen.se>",
    }
    data.update(fields)
    return data


def test_a_superuser_creates_a_municipality_with_its_people_in_one_step(
    client, superuser
):
    login_verified(client, superuser)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, botkyrka_form(), follow=True)
    botkyrka = Municipality.objects.get(name="Botkyrka")
    assert response.redirect_chain[-1][0] == reverse(
        "admin:promises_municipality_change", args=[botkyrka.pk]
    )
    assert botkyrka.slug == "botkyrka"
    assert list(botkyrka.districts.values_list("name", flat=True)) == [
        "Alby",
        "Fittja",
        "Hallunda-Norsborg",
        "Tullinge",
        "Tumba",
    ]
    assert botkyrka.police_area.name == "Lokalpolisområde Botkyrka"
    assert botkyrka.police_area.organisation.kind == Organisation.Kind.POLICE
    assert Organisation.objects.get(municipality=botkyrka).name == "Botkyrka kommun"
    anna = get_user_model().objects.get(email="anna.andersson@botkyrka.se")
    per = get_user_model().objects.get(email="per.polis@polisen.se")
    assert (anna.first_name, anna.last_name, anna.username) == (
        "Anna",
        "Andersson",
        "anna.andersson@botkyrka.se",
    )
    assert [g.name for g in anna.groups.all()] == [COORDINATOR]
    assert [g.name for g in per.groups.all()] == [POLICE_LIAISON]
    for person in (anna, per):
        assert person.is_staff and not person.has_usable_password()
        assert list(person.municipalities.all()) == [botkyrka]
    assert [message.to for message in mail.outbox] == [[anna.email], [per.email]]
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Botkyrka är skapad med 5 kommundelar. En länk för att välja lösenord "
        "skickades till anna.andersson@botkyrka.se, per.polis@polisen.se."
    )


def test_each_person_chooses_their_own_password_from_the_link(client, superuser):
    login_verified(client, superuser)
    client.post(NEW, botkyrka_form())
    client.logout()
    message = mail.outbox[0]
    assert message.subject == "Välkommen till Medborgarlöfte: välj ditt lösenord"
    assert "Kommunsamordnare för Botkyrka" in message.body
    assert "anna.andersson@botkyrka.se" in message.body
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0]
    done = client.post(
        set_password,
        {
            "new_password1": "ett-eget-långt-lösenord",
            "new_password2": "ett-eget-långt-lösenord",
        },
    )
    assert done.status_code == 302
    anna = get_user_model().objects.get(email="anna.andersson@botkyrka.se")
    assert anna.check_password("ett-eget-långt-lösenord")
    # The link works once.
    assert "Länken fungerar inte" in client.get(link, follow=True).content.decode()


def test_an_existing_person_is_added_and_gets_no_new_password(
    client, superuser, haninge
):
    liaison = make_user("per", POLICE_LIAISON, [haninge], email="per.polis@polisen.se")
    login_verified(client, superuser)
    question = client.post(NEW, botkyrka_form(coordinators=""))
    assert question.status_code == 200
    assert not Municipality.objects.filter(name="Botkyrka").exists()
    assert question.context["form"].errors["add_existing"] == [
        "per.polis@polisen.se (Polisens kontaktperson för Haninge) har redan konton. "
        "Ska de arbeta för den nya kommunen också, med samma roll som i dag? "
        "Kryssa i rutan och skicka igen."
    ]
    assert 'type="checkbox" name="add_existing"' in question.content.decode()
    response = client.post(
        NEW, botkyrka_form(coordinators="", add_existing="on"), follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith(
        "per arbetar nu också för Botkyrka, med samma roll som förut."
    )
    botkyrka = Municipality.objects.get(name="Botkyrka")
    assert set(liaison.municipalities.all()) == {haninge, botkyrka}
    assert liaison.check_password("correct-horse-battery-staple")
    assert mail.outbox == []


def test_an_existing_police_area_serves_one_more_municipality(
    client, superuser, haninge, police
):
    login_verified(client, superuser)
    area = haninge.police_area
    client.post(NEW, botkyrka_form(police_area=area.pk, new_police_area=""))
    assert Municipality.objects.get(name="Botkyrka").police_area == area
    assert PoliceArea.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"name": "Haninge"}, "name", "Haninge finns redan."),
        ({"districts": "\n \n"}, "districts", "Skriv minst en kommundel."),
        ({"districts": "Alby\nalby"}, "districts", "Samma kommundel står flera gånger"),
        (
            {"coordinators": "Anna Andersson, inte-en-adress"},
            "coordinators",
            "Rad 1: skriv namn och e-postadress",
        ),
        ({"new_police_area": ""}, "new_police_area", "Välj ett lokalpolisområde"),
        (
            {"liaisons": "Anna Andersson, anna.andersson@botkyrka.se"},
            "liaisons",
            "står både som samordnare och kontaktperson",
        ),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(
    client, superuser, haninge, fields, field, error
):
    login_verified(client, superuser)
    before = Municipality.objects.count(), District.objects.count()
    response = client.post(NEW, botkyrka_form(**fields))
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert (Municipality.objects.count(), District.objects.count()) == before
    assert not get_user_model().objects.filter(email__endswith="botkyrka.se").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_only_superusers_create_municipalities(client, request, persona):
    login_verified(client, request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, botkyrka_form()).status_code == 403
    assert not Municipality.objects.filter(name="Botkyrka").exists()


def test_the_user_page_says_which_municipalities_a_person_works_for(
    client, superuser, coordinator_haninge, haninge, nynashamn
):
    login_verified(client, superuser)
    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Haninge" in listed
    url = reverse("admin:auth_user_change", args=[coordinator_haninge.pk])
    form = client.get(url).context["adminform"].form
    assert list(form.initial["municipalities"]) == [haninge]
    data = {
        "username": coordinator_haninge.username,
        "is_active": "on",
        "is_staff": "on",
        "municipalities": [haninge.pk, nynashamn.pk],
        "groups": [g.pk for g in coordinator_haninge.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(coordinator_haninge.municipalities.all()) == {haninge, nynashamn}


def test_a_coordinator_of_no_municipality_is_told_whom_to_ask(client, superuser):
    superuser.email = "admin@medborgarlofte.se"
    superuser.first_name = "Ada"
    superuser.save()
    lonely = make_user("ensam", COORDINATOR, [])
    login_verified(client, lonely)
    for url in [
        "/admin/",
        "/admin/promises/activity/add/",
        "/admin/promises/promise/add/",
    ]:
        html = client.get(url).content.decode()
        assert "Du är inte kopplad till någon kommun ännu" in html, url
        assert "admin@medborgarlofte.se" in html
        assert "<select" not in html


@pytest.mark.parametrize(
    ("role", "listed_as", "new_role"),
    [
        (PARTNER_REPORTER, "coordinators", COORDINATOR),
        (PARTNER_REPORTER, "liaisons", POLICE_LIAISON),
        (POLICE_LIAISON, "coordinators", COORDINATOR),
        (COORDINATOR, "liaisons", POLICE_LIAISON),
    ],
)
def test_an_existing_account_never_gets_a_new_role(
    client, superuser, haninge, role, listed_as, new_role
):
    """A role holds in every municipality the person works for: a new one here
    would be a new one in Haninge too. Refused, saying why, even when confirmed."""
    user = make_user("kim", role, [haninge], email="kim@haninge.se")
    login_verified(client, superuser)
    fields = {
        "coordinators": "",
        "liaisons": "",
        listed_as: "Kim Persson, kim@haninge.se",
    }
    response = client.post(NEW, botkyrka_form(**fields, add_existing="on"))
    assert response.status_code == 200
    assert response.context["form"].errors[listed_as] == [
        f"kim@haninge.se ({role} för Haninge) har redan ett konto. En roll gäller i "
        f"alla kommuner som personen arbetar för: som {new_role} här skulle "
        "personen få samma roll där också. Skriv en annan e-postadress för den nya "
        "rollen, eller lägg personen under den roll hen redan har."
    ]
    assert not Municipality.objects.filter(name="Botkyrka").exists()
    assert [group.name for group in user.groups.all()] == [role]
    assert list(user.municipalities.all()) == [haninge]


def test_an_inactive_account_is_refused(client, superuser, haninge):
    make_user(
        "per", POLICE_LIAISON, [haninge], email="per.polis@polisen.se", is_active=False
    )
    login_verified(client, superuser)
    response = client.post(NEW, botkyrka_form(add_existing="on"))
    assert response.context["form"].errors["liaisons"] == [
        "per.polis@polisen.se har ett avstängt konto. Aktivera det under Användare "
        "först, eller skriv en annan e-postadress."
    ]
    assert not Municipality.objects.filter(name="Botkyrka").exists()
