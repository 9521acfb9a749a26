"""Bad input through the Swedish admin: a clear error, the form again, nothing lost.

Every case posts the admin's own add or change form as a browser would, and checks
that the form is shown again (200, never a 500), that the Swedish error is on the
page, and that nothing was saved.
"""

import datetime

import pytest
from django.utils import timezone

from promises.models import (
    Activity,
    Finding,
    OperationalPicture,
    Promise,
)
from promises.roles import COORDINATOR
from promises.tests.factories import (
    activity_form,
    deployment_form,
    inline,
    local,
    login_verified,
    make_activity,
    make_promise,
    make_user,
    promise_form,
)

ACTIVITY_ADD = "/admin/promises/activity/add/"
DEPLOYMENT_ADD = "/admin/promises/fridaydeployment/add/"
PROMISE_ADD = "/admin/promises/promise/add/"
FINDING_ADD = "/admin/promises/finding/add/"

THURSDAY = "2026-03-05"
FRIDAY = "2026-03-06"

NOT_FRIDAY = "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."
NEGATIVE = "Kontrollera att detta värde är större än eller lika med 0."
PERSONAL_DATA = (
    "Texten ser ut att innehålla {what}. Publik text får inte innehålla "
    "personuppgifter – ta bort uppgiften och spara igen."
)

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- Building the admin's POST data ---------------------------------------------------


def finding_fields(**fields) -> dict:
    data = {
        "id": "",
        "inventory": "",
        "category": Finding.Category.LIGHTING,
        "place": "Gångtunneln vid Handens station",
        "district": "",
        "responsible": "",
        "status": Finding.Status.OPEN,
        "fixed_on": "",
    }
    data.update(fields)
    return data


def refused(response, message: str) -> str:
    """The form is shown again with the message: never a crash, never a redirect."""
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errornote"' in html
    assert message in html
    return html


def accepted(response) -> None:
    assert response.status_code == 302, response.content.decode()[:4000]


@pytest.fixture
def handen(haninge):
    return haninge.districts.get(name="Handen")


@pytest.fixture
def sorunda(nynashamn):
    return nynashamn.districts.get(name="Sorunda")


# --- A deployment not on a Friday needs a reason ---------------------------------------


def test_it_refuses_a_thursday_deployment_without_reason_in_the_quick_form(
    client, liaison_haninge, promise_haninge, police
):
    login_verified(client, liaison_haninge)
    response = client.post(
        DEPLOYMENT_ADD,
        deployment_form(promise_haninge, THURSDAY, organisations=[police.pk]),
    )
    refused(response, NOT_FRIDAY)
    assert not Activity.objects.exists()
    assert not OperationalPicture.objects.exists()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("liaison_haninge", ACTIVITY_ADD + "?kind=deployment"),
        ("coordinator_haninge", ACTIVITY_ADD),
    ],
)
def test_it_refuses_a_thursday_deployment_without_reason_in_the_activity_form(
    client, request, promise_haninge, persona, url
):
    login_verified(client, request.getfixturevalue(persona))
    data = activity_form(
        promise_haninge, kind=Activity.Kind.DEPLOYMENT, starts_at_0=THURSDAY
    )
    if "kind=deployment" in url:
        data.update(
            inline("operational_picture", {"text": "Lägesbild", "id": ""}, max_num=1)
        )
    refused(client.post(url, data), NOT_FRIDAY)
    assert not Activity.objects.exists()
    assert not OperationalPicture.objects.exists()


def test_it_refuses_a_deployment_on_a_saturday_night_in_stockholm(
    client, liaison_haninge, promise_haninge
):
    # Saturday 00:30 in Stockholm is still Friday in UTC.
    login_verified(client, liaison_haninge)
    response = client.post(
        DEPLOYMENT_ADD,
        deployment_form(promise_haninge, "2026-03-07", starts_at_1="00:30"),
    )
    refused(response, NOT_FRIDAY)
    assert not Activity.objects.exists()


def test_it_accepts_a_friday_late_evening_deployment(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    accepted(
        client.post(
            DEPLOYMENT_ADD,
            deployment_form(promise_haninge, "2026-06-05", starts_at_1="23:30"),
        )
    )
    assert Activity.objects.get().starts_at == local(2026, 6, 5, 23, 30)


def test_it_accepts_a_thursday_deployment_with_a_reason_in_the_quick_form(
    client, liaison_haninge, promise_haninge, police, handen
):
    login_verified(client, liaison_haninge)
    response = client.post(
        DEPLOYMENT_ADD,
        deployment_form(
            promise_haninge,
            THURSDAY,
            not_friday_reason="Fredagen var långfredag.",
            organisations=[police.pk],
            districts=[handen.pk],
        ),
    )
    accepted(response)
    deployment = Activity.objects.get()
    assert deployment.kind == Activity.Kind.DEPLOYMENT
    assert deployment.starts_at == local(2026, 3, 5, 14)
    assert deployment.not_friday_reason == "Fredagen var långfredag."
    assert deployment.publication_level == Activity.PublicationLevel.AGGREGATE
    assert list(deployment.districts.all()) == [handen]
    assert deployment.operational_picture.text == "Lugnt läge."


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("liaison_haninge", ACTIVITY_ADD + "?kind=deployment"),
        ("coordinator_haninge", ACTIVITY_ADD),
    ],
)
def test_it_accepts_a_thursday_deployment_with_a_reason_in_the_activity_form(
    client, request, promise_haninge, persona, url
):
    login_verified(client, request.getfixturevalue(persona))
    data = activity_form(
        promise_haninge,
        kind=Activity.Kind.DEPLOYMENT,
        starts_at_0=THURSDAY,
        not_friday_reason="Gemensam insats med skolan på torsdagen.",
    )
    if "kind=deployment" in url:
        data.update(inline("operational_picture", max_num=1))
    accepted(client.post(url, data))
    deployment = Activity.objects.get()
    assert deployment.kind == Activity.Kind.DEPLOYMENT
    assert deployment.not_friday_reason == "Gemensam insats med skolan på torsdagen."


@pytest.mark.parametrize("kind", ["inventory", "dialogue"])
def test_another_kinds_quick_form_cannot_be_switched_to_a_deployment(
    client, coordinator_haninge, promise_haninge, kind
):
    """The add page of a kind (?kind=inventory) is that kind's quick form: its
    kind is not shown, and a posted other kind (a Thursday deployment) is not
    taken."""
    login_verified(client, coordinator_haninge)
    data = activity_form(
        promise_haninge, kind=Activity.Kind.DEPLOYMENT, starts_at_0=THURSDAY
    )
    data.update(inline("findings" if kind == "inventory" else "topics"))
    accepted(client.post(f"{ACTIVITY_ADD}?kind={kind}", data))
    assert Activity.objects.get().kind == kind


def test_it_refuses_changing_a_dialogue_into_a_thursday_deployment(
    client, coordinator_haninge, promise_haninge
):
    dialogue = make_activity(
        promise_haninge, Activity.Kind.DIALOGUE, local(2026, 3, 5, 18)
    )
    login_verified(client, coordinator_haninge)
    data = activity_form(
        promise_haninge, kind=Activity.Kind.DEPLOYMENT, starts_at_0=THURSDAY
    )
    response = client.post(f"/admin/promises/activity/{dialogue.pk}/change/", data)
    refused(response, NOT_FRIDAY)
    dialogue.refresh_from_db()
    assert dialogue.kind == Activity.Kind.DIALOGUE


# --- An activity inside its promise's period --------------------------------------------


def test_it_refuses_an_activity_outside_its_promise_period(
    client, coordinator_haninge, haninge, promise_haninge
):
    last_year = make_promise(haninge, 2025)
    login_verified(client, coordinator_haninge)
    response = client.post(ACTIVITY_ADD, activity_form(last_year))
    refused(response, "Datumet ligger utanför löftets period (2025-01-01–2025-12-31).")
    assert not Activity.objects.exists()


def test_it_uses_stockholm_time_for_the_promise_period(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    # New Year's Eve 23:30 in Stockholm is before the 2026 promise starts.
    response = client.post(
        ACTIVITY_ADD,
        activity_form(promise_haninge, starts_at_0="2025-12-31", starts_at_1="23:30"),
    )
    refused(response, "Datumet ligger utanför löftets period (2026-01-01–2026-12-31).")
    assert not Activity.objects.exists()
    # 00:30 on New Year's Day is inside, though it is still 2025 in UTC.
    response = client.post(
        ACTIVITY_ADD,
        activity_form(promise_haninge, starts_at_0="2026-01-01", starts_at_1="00:30"),
    )
    accepted(response)
    assert Activity.objects.get().starts_at == local(2026, 1, 1, 0, 30)


def test_it_refuses_a_friday_deployment_outside_its_promise_period(
    client, liaison_haninge, haninge, promise_haninge
):
    last_year = make_promise(haninge, 2025)
    login_verified(client, liaison_haninge)
    response = client.post(DEPLOYMENT_ADD, deployment_form(last_year, FRIDAY))
    refused(response, "Datumet ligger utanför löftets period (2025-01-01–2025-12-31).")
    assert not Activity.objects.exists()


# --- Counts are never negative ---------------------------------------------------------


@pytest.mark.parametrize("field", ["participants", "residents_met"])
def test_it_refuses_a_negative_count_in_the_activity_form(
    client, coordinator_haninge, promise_haninge, field
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, **{field: "-5"})
    )
    refused(response, NEGATIVE)
    assert not Activity.objects.exists()


def test_it_refuses_a_negative_count_in_the_quick_form(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.post(
        DEPLOYMENT_ADD, deployment_form(promise_haninge, FRIDAY, participants="-1")
    )
    refused(response, NEGATIVE)
    assert not Activity.objects.exists()
    assert not OperationalPicture.objects.exists()


def test_it_refuses_a_negative_count_on_change(
    client, coordinator_haninge, promise_haninge
):
    dialogue = make_activity(promise_haninge, residents_met=40)
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"/admin/promises/activity/{dialogue.pk}/change/",
        activity_form(promise_haninge, residents_met="-40"),
    )
    refused(response, NEGATIVE)
    dialogue.refresh_from_db()
    assert dialogue.residents_met == 40


# --- The end is not before the start -----------------------------------------------------


def test_it_refuses_an_activity_ending_before_it_starts(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD,
        activity_form(promise_haninge, ends_at_0=FRIDAY, ends_at_1="17:00"),
    )
    refused(response, "Sluttiden måste vara efter starttiden.")
    assert not Activity.objects.exists()


def test_it_refuses_a_promise_ending_before_it_starts(
    client, coordinator_haninge, haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        PROMISE_ADD, promise_form(haninge, starts_on="2026-06-01", ends_on="2026-03-01")
    )
    refused(response, "Slutdatum måste vara efter startdatum.")
    assert not Promise.objects.exists()


# --- One promise per municipality and year ------------------------------------------------


def test_it_refuses_a_second_promise_for_the_same_municipality_and_year(
    client, coordinator_haninge, haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(PROMISE_ADD, promise_form(haninge, title="Ett till löfte"))
    refused(response, "Kommunen har redan ett medborgarlöfte för det året.")
    assert Promise.objects.filter(municipality=haninge).count() == 1
    assert Promise.objects.get(municipality=haninge).title != "Ett till löfte"


# --- Districts of the promise's own municipality -----------------------------------------


def test_it_refuses_another_municipalitys_district_for_a_coordinator(
    client, coordinator_haninge, promise_haninge, sorunda
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, districts=[sorunda.pk])
    )
    # Sorunda is not even offered to Haninge's coordinator.
    refused(
        response,
        f"Välj ett giltigt alternativ. {sorunda.pk} finns inte bland tillgängliga "
        "alternativ.",
    )
    assert not Activity.objects.exists()


def test_it_refuses_another_municipalitys_district_for_a_superuser(
    client, superuser, promise_haninge, handen, sorunda
):
    login_verified(client, superuser)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, districts=[handen.pk, sorunda.pk])
    )
    refused(response, "Välj bara kommundelar i Haninge.")
    assert not Activity.objects.exists()


def test_it_refuses_another_municipalitys_district_in_the_quick_form(
    client, superuser, promise_haninge, sorunda
):
    login_verified(client, superuser)
    response = client.post(
        DEPLOYMENT_ADD, deployment_form(promise_haninge, FRIDAY, districts=[sorunda.pk])
    )
    refused(response, "Välj bara kommundelar i Haninge.")
    assert not Activity.objects.exists()


@pytest.fixture
def coordinator_both(haninge, nynashamn):
    """A coordinator working for both municipalities sees both sets of districts."""
    return make_user("samordnare_sodertorn", COORDINATOR, [haninge, nynashamn])


@pytest.mark.parametrize("persona", ["superuser", "coordinator_both"])
def test_it_refuses_another_municipalitys_district_on_a_new_finding(
    client, request, promise_haninge, handen, sorunda, persona
):
    """A finding's district is asked for where the inventory walked several
    (a new finding otherwise takes the inventory's)."""
    jordbro = promise_haninge.municipality.districts.get(name="Jordbro")
    inventory = make_activity(
        promise_haninge, Activity.Kind.INVENTORY, local(2026, 3, 6, 18)
    )
    inventory.districts.set([handen, jordbro])
    login_verified(client, request.getfixturevalue(persona))
    data = activity_form(
        promise_haninge,
        kind=Activity.Kind.INVENTORY,
        title="Trygghetsinventering i Handen",
        districts=[handen.pk, jordbro.pk],
        **inline("findings", finding_fields(district=sorunda.pk)),
    )
    response = client.post(f"/admin/promises/activity/{inventory.pk}/change/", data)
    refused(response, "Kommundelen hör till en annan kommun.")
    assert not Finding.objects.exists()


def test_it_refuses_a_finding_fixed_before_a_new_inventory(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    data = activity_form(
        promise_haninge,
        kind=Activity.Kind.INVENTORY,
        title="Trygghetsinventering i Handen",
        **inline(
            "findings",
            finding_fields(status=Finding.Status.FIXED, fixed_on="2026-03-01"),
        ),
    )
    response = client.post(f"{ACTIVITY_ADD}?kind=inventory", data)
    refused(response, "Iakttagelsen kan inte åtgärdas före inventeringen.")
    assert not Activity.objects.exists()
    assert not Finding.objects.exists()


def test_it_refuses_another_municipalitys_district_on_a_finding(
    client, superuser, promise_haninge, sorunda
):
    inventory = make_activity(promise_haninge, Activity.Kind.INVENTORY)
    login_verified(client, superuser)
    data = finding_fields(inventory=inventory.pk, district=sorunda.pk, description="")
    del data["id"]
    response = client.post(FINDING_ADD, data)
    refused(response, "Kommundelen hör till en annan kommun.")
    assert not Finding.objects.exists()


# --- No personal data in public text -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "what"),
    [
        ("title", "Samtal med 19811218-9876", "ett personnummer"),
        ("summary", "Pojken 811218-9876 sågs i Handen.", "ett personnummer"),
        ("summary", "Frågor till anna.svensson@haninge.se", "en e-postadress"),
        ("summary", "Ring 070-123 45 67 vid frågor.", "ett telefonnummer"),
        ("title", "Tips: +46 70 123 45 67", "ett telefonnummer"),
        ("residents_raised", "Granne (811218-9876) klagade.", "ett personnummer"),
    ],
)
def test_it_refuses_personal_data_in_public_activity_text(
    client, coordinator_haninge, promise_haninge, field, text, what
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, **{field: text})
    )
    refused(response, PERSONAL_DATA.format(what=what))
    assert not Activity.objects.exists()


def test_it_refuses_personal_data_in_the_quick_form_title(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.post(
        DEPLOYMENT_ADD,
        deployment_form(
            promise_haninge, FRIDAY, title="Utsättning, ring 070-123 45 67"
        ),
    )
    refused(response, PERSONAL_DATA.format(what="ett telefonnummer"))
    assert not Activity.objects.exists()


def test_it_refuses_personal_data_in_a_promise(client, coordinator_haninge, haninge):
    login_verified(client, coordinator_haninge)
    response = client.post(
        PROMISE_ADD,
        promise_form(haninge, introduction="Kontakta per.olsson@polisen.se."),
    )
    refused(response, PERSONAL_DATA.format(what="en e-postadress"))
    assert not Promise.objects.exists()


def test_it_refuses_personal_data_in_a_finding_place(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    data = activity_form(
        promise_haninge,
        kind=Activity.Kind.INVENTORY,
        **inline("findings", finding_fields(place="Utanför 19811218-9876:s port")),
    )
    response = client.post(f"{ACTIVITY_ADD}?kind=inventory", data)
    refused(response, PERSONAL_DATA.format(what="ett personnummer"))
    assert not Activity.objects.exists()
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        (
            "Trygghetsvandring i Handen 2026-03-15",
            "Under 2026 lagades 12 av 15 lampor. Nästa vandring 2026-09-15.",
        ),
        (
            "Trygghetsdialog vecka 11, 2026",
            "45 besökare, 3 av 4 kommundelar. Trygghetsmätningen 2025: 38 %.",
        ),
        ("Trygghetsdialog 2026-03-15", "2026-03-15 120 besökare i Handen."),
    ],
    ids=["dates-and-counts", "years-and-percent", "date-then-count"],
)
def test_it_accepts_ordinary_text_with_dates_years_and_counts(
    client, coordinator_haninge, promise_haninge, title, summary
):
    login_verified(client, coordinator_haninge)
    accepted(
        client.post(
            ACTIVITY_ADD, activity_form(promise_haninge, title=title, summary=summary)
        )
    )
    activity = Activity.objects.get()
    assert (activity.title, activity.summary) == (title, summary)


# --- Markup is text ------------------------------------------------------------------------


def test_it_stores_markup_as_text_and_shows_it_escaped(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    accepted(
        client.post(
            ACTIVITY_ADD,
            activity_form(
                promise_haninge,
                title=SCRIPT,
                summary=f"Före {SCRIPT} efter",
                internal_notes=SCRIPT,
            ),
        )
    )
    activity = Activity.objects.get()
    assert activity.title == SCRIPT
    assert activity.summary == f"Före {SCRIPT} efter"
    assert activity.internal_notes == SCRIPT

    for url in [
        f"/admin/promises/activity/{activity.pk}/change/",
        "/admin/promises/activity/",
        f"/admin/promises/activity/{activity.pk}/history/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert ESCAPED_SCRIPT in html, url
        assert SCRIPT not in html, url


def test_it_stores_markup_in_the_lagesbild_as_text_and_shows_it_escaped(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    data = deployment_form(promise_haninge, FRIDAY)
    data["operational_picture-0-text"] = SCRIPT
    accepted(client.post(DEPLOYMENT_ADD, data))
    deployment = Activity.objects.get()
    assert deployment.operational_picture.text == SCRIPT
    response = client.get(f"/admin/promises/fridaydeployment/{deployment.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ESCAPED_SCRIPT in html
    assert SCRIPT not in html


# --- A done activity is not in the future ---------------------------------------------------


@pytest.fixture
def next_week(haninge, promise_haninge) -> datetime.datetime:
    """A moment next week, with a Haninge promise covering it."""
    moment = timezone.localtime() + datetime.timedelta(days=7)
    if not promise_haninge.contains(moment.date()):
        make_promise(haninge, moment.year)
    return moment


def test_it_refuses_a_done_activity_in_the_future(
    client, coordinator_haninge, next_week
):
    login_verified(client, coordinator_haninge)
    promise = Promise.objects.covering(next_week.date()).get()
    data = activity_form(
        promise,
        starts_at_0=next_week.strftime("%Y-%m-%d"),
        starts_at_1=next_week.strftime("%H:%M"),
    )
    response = client.post(ACTIVITY_ADD, data)
    refused(
        response, "En aktivitet i framtiden kan inte vara genomförd. Välj ”Planerad”."
    )
    assert not Activity.objects.exists()

    data["status"] = Activity.Status.PLANNED
    accepted(client.post(ACTIVITY_ADD, data))
    assert Activity.objects.get().status == Activity.Status.PLANNED


# --- A finding marked fixed has a date --------------------------------------------------------


def test_it_refuses_a_fixed_finding_without_date_on_a_new_inventory(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    data = activity_form(
        promise_haninge,
        kind=Activity.Kind.INVENTORY,
        title="Trygghetsinventering i Handen",
        **inline("findings", finding_fields(status=Finding.Status.FIXED)),
    )
    response = client.post(f"{ACTIVITY_ADD}?kind=inventory", data)
    refused(response, "Ange när iakttagelsen åtgärdades.")
    assert not Activity.objects.exists()
    assert not Finding.objects.exists()


def test_it_refuses_a_fixed_finding_without_date_in_the_finding_form(
    client, coordinator_haninge, promise_haninge
):
    inventory = make_activity(promise_haninge, Activity.Kind.INVENTORY)
    login_verified(client, coordinator_haninge)
    data = finding_fields(
        inventory=inventory.pk, status=Finding.Status.FIXED, description=""
    )
    del data["id"]
    response = client.post(FINDING_ADD, data)
    refused(response, "Ange när iakttagelsen åtgärdades.")
    assert not Finding.objects.exists()

    data["fixed_on"] = "2026-03-20"
    accepted(client.post(FINDING_ADD, data))
    assert Finding.objects.get().fixed_on == datetime.date(2026, 3, 20)
