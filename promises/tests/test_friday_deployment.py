"""The police liaison's quick form "Ny fredagsutsättning" and its lägesbild.

The lägesbild (OperationalPicture) is confidential: the liaison reads and writes
it, the coordinator sees the deployment but never its lägesbild.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from promises.models import (
    Activity,
    FridayDeployment,
    OperationalPicture,
    Promise,
    PublicationLevel,
)
from promises.tests.factories import (
    deployment_form,
    local,
    login_verified,
    make_activity,
    make_promise,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:promises_fridaydeployment_add")
SECRET = "SEKRETESS-7431"
LAGESBILD = f"Gruppering vid Handens pendeltågsstation efter kl. 21. {SECRET}"


def this_weeks_friday() -> datetime.date:
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday + datetime.timedelta(days=4)


@pytest.fixture
def current_promise(haninge, nynashamn) -> Promise:
    """Haninge's promise covering this Friday; Nynäshamn has one too."""
    year = this_weeks_friday().year
    make_promise(nynashamn, year=year)
    return make_promise(haninge, year=year)


# The admin index


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("liaison_haninge", True),
        ("superuser", True),
        ("coordinator_haninge", False),
        ("staff_without_group", False),
    ],
)
def test_the_index_links_the_quick_form_for_those_allowed(
    client, request, db, persona, shown
):
    login_verified(client, request.getfixturevalue(persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert ("Ny fredagsutsättning" in body) is shown
    assert (f'href="{ADD_URL}"' in body) is shown


# The quick form's defaults


def test_the_quick_form_defaults_to_this_fridays_deployment(
    client, liaison_haninge, current_promise, police, haninge_kommun
):
    friday = this_weeks_friday()
    login_verified(client, liaison_haninge)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["adminform"].form
    starts_at = timezone.localtime(form.initial["starts_at"])
    assert starts_at.date() == friday
    assert starts_at.date().isoweekday() == 5
    assert form.initial["promise"] == current_promise.pk
    assert list(form.initial["organisations"]) == [police.pk]
    assert str(form.initial["title"]) == "Fredagsutsättning"
    expected_status = "done" if starts_at <= timezone.now() else "planned"
    assert form.initial["status"] == expected_status

    body = response.content.decode()
    assert f'value="{friday:%Y-%m-%d}"' in body
    assert 'value="Fredagsutsättning"' in body
    assert f'<option value="{current_promise.pk}" selected>' in body


def test_the_quick_form_is_one_short_page_with_the_lagesbild(
    client, liaison_haninge, current_promise
):
    login_verified(client, liaison_haninge)
    response = client.get(ADD_URL)
    form = response.context["adminform"].form
    # The kind is given; nothing for the coordinator's kinds or publication.
    for field in ["kind", "summary", "publication_level", "district_reason"]:
        assert field not in form.fields
    for field in ["promise", "starts_at", "status", "districts", "title"]:
        assert field in form.fields
    body = response.content.decode()
    assert 'name="operational_picture-TOTAL_FORMS"' in body
    assert 'name="operational_picture-0-text"' in body


def test_the_default_promise_is_the_own_municipalitys(
    client, liaison_haninge, current_promise
):
    login_verified(client, liaison_haninge)
    response = client.get(ADD_URL)
    form = response.context["adminform"].form
    assert set(form.fields["promise"].queryset) == {current_promise}


def test_saving_the_defaults_with_a_lagesbild_logs_this_friday(
    client, liaison_haninge, current_promise, police
):
    """The under-a-minute path: accept the defaults, write the lägesbild, save."""
    login_verified(client, liaison_haninge)
    initial = client.get(ADD_URL).context["adminform"].form.initial
    starts_at = timezone.localtime(initial["starts_at"])
    response = client.post(
        ADD_URL,
        deployment_form(
            Promise.objects.get(pk=initial["promise"]),
            lagesbild=LAGESBILD,
            day=f"{starts_at:%Y-%m-%d}",
            status=initial["status"],
            organisations=initial["organisations"],
            title=str(initial["title"]),
        ),
    )
    assert response.status_code == 302
    deployment = FridayDeployment.objects.get()
    assert deployment.promise == current_promise
    assert deployment.local_date == this_weeks_friday()
    assert timezone.localtime(deployment.starts_at).time() == datetime.time(14, 0)
    assert list(deployment.organisations.all()) == [police]
    assert deployment.operational_picture.text == LAGESBILD


def test_the_liaison_saves_a_deployment_with_a_lagesbild(
    client, liaison_haninge, promise_haninge, haninge, police
):
    handen = haninge.districts.get(name="Handen")
    login_verified(client, liaison_haninge)
    response = client.post(
        ADD_URL,
        deployment_form(
            promise_haninge,
            lagesbild=LAGESBILD,
            districts=[handen.pk],
            organisations=[police.pk],
            participants="6",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:promises_fridaydeployment_changelist")
    deployment = Activity.objects.get()
    assert deployment.kind == Activity.Kind.DEPLOYMENT
    assert deployment.starts_at == local(2026, 3, 13, 14)
    assert deployment.status == Activity.Status.DONE
    assert deployment.title == "Fredagsutsättning"
    assert deployment.participants == 6
    assert list(deployment.districts.all()) == [handen]
    assert list(deployment.organisations.all()) == [police]
    # Police work is public only in aggregate.
    assert deployment.publication_level == PublicationLevel.AGGREGATE
    assert OperationalPicture.objects.get().activity == deployment
    assert deployment.operational_picture.text == LAGESBILD
    assert deployment.history.exists()
    assert {h.history_user for h in deployment.history.all()} == {liaison_haninge}
    picture = deployment.operational_picture
    assert {h.history_user for h in picture.history.all()} == {liaison_haninge}


def test_a_deployment_not_on_a_friday_needs_a_reason(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.post(
        ADD_URL, deployment_form(promise_haninge, "2026-03-12", lagesbild=LAGESBILD)
    )
    assert response.status_code == 200
    assert "not_friday_reason" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()
    assert not OperationalPicture.objects.exists()

    response = client.post(
        ADD_URL,
        deployment_form(
            promise_haninge,
            lagesbild=LAGESBILD,
            day="2026-03-12",
            not_friday_reason="Långfredag dagen efter.",
        ),
    )
    assert response.status_code == 302
    assert Activity.objects.get().not_friday_reason == "Långfredag dagen efter."


def test_a_deployment_outside_the_promise_is_refused(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.post(
        ADD_URL, deployment_form(promise_haninge, "2025-12-26", lagesbild=LAGESBILD)
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_the_list_shows_the_week(client, liaison_haninge, deployment):
    login_verified(client, liaison_haninge)
    response = client.get(reverse("admin:promises_fridaydeployment_changelist"))
    assert [obj.pk for obj in response.context["cl"].result_list] == [deployment.pk]
    # 6 March 2026 is in ISO week 10.
    assert re.search(r'class="field-week">(<a [^>]*>)?10<', response.content.decode())


# Who sees the lägesbild


@pytest.fixture
def deployment(promise_haninge, liaison_haninge, police) -> Activity:
    """The liaison's deployment of Friday 6 March, with its lägesbild."""
    activity = make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 6),
        title="Fredagsutsättning vecka 10",
        organisations=[police],
    )
    OperationalPicture.objects.create(activity=activity, text=LAGESBILD)
    return activity


def test_the_coordinator_sees_the_deployment_in_the_activity_list(
    client, coordinator_haninge, deployment
):
    login_verified(client, coordinator_haninge)
    response = client.get(reverse("admin:promises_activity_changelist"))
    assert response.status_code == 200
    assert [obj.pk for obj in response.context["cl"].result_list] == [deployment.pk]
    body = response.content.decode()
    assert "Fredagsutsättning vecka 10" in body
    assert SECRET not in body


@pytest.mark.parametrize(
    "url",
    [
        "admin:promises_activity_change",
        "admin:promises_fridaydeployment_change",
        "admin:promises_activity_delete",
        "admin:promises_activity_history",
        "admin:promises_activity_simple_history",
    ],
)
def test_the_coordinator_never_sees_the_lagesbild(
    client, coordinator_haninge, deployment, url
):
    args = [deployment.pk]
    if url.endswith("simple_history"):
        args.append(deployment.history.latest().history_id)
    login_verified(client, coordinator_haninge)
    response = client.get(reverse(url, args=args))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fredagsutsättning vecka 10" in body
    assert SECRET not in body
    assert "operational_picture" not in body


def test_the_coordinator_cannot_find_a_deployment_by_its_lagesbild(
    client, coordinator_haninge, deployment
):
    login_verified(client, coordinator_haninge)
    response = client.get(reverse("admin:promises_activity_changelist"), {"q": SECRET})
    assert list(response.context["cl"].result_list) == []


def test_the_coordinator_editing_the_deployment_keeps_the_lagesbild(
    client, coordinator_haninge, deployment, promise_haninge, police
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_activity_change", args=[deployment.pk]),
        {
            "promise": promise_haninge.pk,
            "kind": "deployment",
            "status": "done",
            "starts_at_0": "2026-03-06",
            "starts_at_1": "14:00",
            "organisations": [police.pk],
            "title": "Fredagsutsättning i Handen",
            "publication_level": "aggregate",
        },
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.title == "Fredagsutsättning i Handen"
    assert OperationalPicture.objects.get(activity=deployment).text == LAGESBILD


@pytest.mark.parametrize(
    "url", ["admin:promises_fridaydeployment_change", "admin:promises_activity_change"]
)
def test_the_liaison_sees_the_lagesbild(client, liaison_haninge, deployment, url):
    login_verified(client, liaison_haninge)
    response = client.get(reverse(url, args=[deployment.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET in body
    assert 'name="operational_picture-0-text"' in body


def test_the_liaison_updates_the_lagesbild(
    client, liaison_haninge, deployment, promise_haninge, police
):
    picture = deployment.operational_picture
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_fridaydeployment_change", args=[deployment.pk]),
        deployment_form(
            promise_haninge,
            lagesbild=LAGESBILD,
            day="2026-03-06",
            title=deployment.title,
            organisations=[police.pk],
            **{
                "operational_picture-INITIAL_FORMS": "1",
                "operational_picture-0-id": str(picture.pk),
                "operational_picture-0-activity": str(deployment.pk),
                "operational_picture-0-text": "Lugnt. Inga grupperingar.",
            },
        ),
    )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.text == "Lugnt. Inga grupperingar."
    assert OperationalPicture.objects.count() == 1


# "Förra fredagen, genomförd": one tap for logging after the shift


@pytest.mark.parametrize(
    ("now", "last_friday"),
    [
        ("2026-12-01 10:00 +01:00", "2026-11-27"),  # a Tuesday
        ("2026-12-04 22:00 +01:00", "2026-11-27"),  # a Friday: the one before
        # A Saturday: the form has yesterday's Friday; one tap, the one before.
        ("2026-12-05 09:00 +01:00", "2026-11-27"),
        ("2026-12-06 20:00 +01:00", "2026-11-27"),  # a Sunday
        ("2027-01-02 09:00 +01:00", "2026-12-25"),  # across the new year
        ("2027-01-08 09:00 +01:00", "2027-01-01"),
    ],
)
def test_one_tap_fills_in_last_friday_as_done(
    client, liaison_haninge, haninge, now, last_friday
):
    make_promise(haninge, 2026)
    make_promise(haninge, 2027)
    with time_machine.travel(now, tick=False):
        login_verified(client, liaison_haninge)
        page = client.get(ADD_URL)
        assert "?forra-fredagen" in page.content.decode()
        response = client.get(ADD_URL + "?forra-fredagen")
    initial = response.context["adminform"].form.initial
    assert f"{initial['starts_at']:%Y-%m-%d %H:%M}" == f"{last_friday} 14:00"
    assert initial["status"] == Activity.Status.DONE
    assert "Ifyllt för" in response.content.decode()


@pytest.mark.parametrize("now", ["2026-12-05 09:00 +01:00", "2026-12-04 18:00 +01:00"])
def test_last_friday_is_another_form_than_the_one_shown(
    client, liaison_haninge, haninge, now
):
    """On a Saturday the form starts on yesterday's Friday: "Förra fredagen"
    offers the Friday before, not the same form again."""
    make_promise(haninge, 2026)
    with time_machine.travel(now, tick=False):
        login_verified(client, liaison_haninge)
        page = client.get(ADD_URL)
        again = client.get(ADD_URL + "?forra-fredagen")
    shown = page.context["adminform"].form.initial["starts_at"]
    offered = again.context["adminform"].form.initial["starts_at"]
    assert f"{shown:%Y-%m-%d}" == "2026-12-04"
    assert f"{offered:%Y-%m-%d}" == "2026-11-27"
    assert "Förra fredagen (27 november), genomförd" in page.content.decode()


# A second deployment in the same week (issue 22: "10 utsättningar" beside 9 weeks)


def test_a_second_deployment_in_the_week_is_saved_only_if_confirmed(
    client, liaison_haninge, promise_haninge
):
    first = make_activity(
        promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 13, 14)
    )
    login_verified(client, liaison_haninge)
    # The Wednesday of the same week, with its reason.
    data = deployment_form(
        promise_haninge, "2026-03-11", not_friday_reason="Extra insats."
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    (error,) = form.errors["second_in_week"]
    assert error.startswith("Vecka 11 har redan en utsättning: ")
    first_url = reverse("admin:promises_fridaydeployment_change", args=[first.pk])
    body = response.content.decode()
    assert f'<a href="{first_url}">' in body
    assert 'type="checkbox" name="second_in_week"' in body
    assert Activity.objects.count() == 1

    response = client.post(ADD_URL, {**data, "second_in_week": "on"})
    assert response.status_code == 302
    assert Activity.objects.count() == 2


def test_the_week_check_leaves_other_weeks_and_cancelled_ones_and_itself_alone(
    client, liaison_haninge, promise_haninge
):
    make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 13, 14),
        status=Activity.Status.CANCELLED,
    )
    make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 6, 14))
    login_verified(client, liaison_haninge)
    response = client.post(ADD_URL, deployment_form(promise_haninge, "2026-03-13"))
    assert response.status_code == 302
    saved = Activity.objects.latest("pk")
    url = reverse("admin:promises_fridaydeployment_change", args=[saved.pk])
    data = deployment_form(promise_haninge, "2026-03-13", title="Ändrad")
    data["operational_picture-INITIAL_FORMS"] = "1"
    data["operational_picture-0-id"] = str(saved.operational_picture.pk)
    data["operational_picture-0-activity"] = str(saved.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Activity.objects.get(pk=saved.pk).title == "Ändrad"


def test_the_quick_form_says_this_week_already_has_one(
    client, liaison_haninge, current_promise
):
    friday = this_weeks_friday()
    first = make_activity(
        current_promise,
        Activity.Kind.DEPLOYMENT,
        timezone.make_aware(datetime.datetime.combine(friday, datetime.time(9))),
        status=Activity.Status.PLANNED,
    )
    login_verified(client, liaison_haninge)
    body = client.get(ADD_URL).content.decode()
    week = friday.isocalendar().week
    assert f"Vecka {week} har redan en utsättning: " in body
    first_url = reverse("admin:promises_fridaydeployment_change", args=[first.pk])
    assert f'<a href="{first_url}">' in body
    # Last week's Friday has none: nothing said.
    assert "har redan en utsättning" not in (
        client.get(ADD_URL + "?forra-fredagen").content.decode()
    )
