"""A history of every change (who, when, what), shown on the admin history page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Activity, Finding, Promise
from promises.tests.factories import (
    deployment_form,
    local,
    login_verified,
    make_activity,
    make_promise,
    promise_form,
)

pytestmark = pytest.mark.django_db


def history_url(model: str, obj) -> str:
    return reverse(f"admin:promises_{model}_history", args=[obj.pk])


def version_url(model: str, obj, record) -> str:
    return reverse(
        f"admin:promises_{model}_simple_history", args=[obj.pk, record.history_id]
    )


@pytest.fixture
def edited_promise(client, coordinator_haninge, promise_haninge):
    """The coordinator renames Haninge's promise in the admin."""
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_promise_change", args=[promise_haninge.pk]),
        promise_form(promise_haninge, title="Trygghetslöfte Haninge 2026"),
    )
    assert response.status_code == 302
    return promise_haninge


def test_an_edit_in_the_admin_records_who_when_and_what(
    client, coordinator_haninge, promise_haninge
):
    before = timezone.now()
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_promise_change", args=[promise_haninge.pk]),
        promise_form(promise_haninge, title="Trygghetslöfte Haninge 2026"),
    )
    assert response.status_code == 302
    latest, previous = promise_haninge.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == coordinator_haninge
    assert before <= latest.history_date <= timezone.now()
    assert latest.title == "Trygghetslöfte Haninge 2026"
    assert previous.title == "Medborgarlöfte Haninge 2026"
    delta = latest.diff_against(previous)
    assert delta.changed_fields == ["title"]


def test_the_history_page_shows_who_changed_what(
    client, coordinator_haninge, edited_promise
):
    response = client.get(history_url("promise", edited_promise))
    assert response.status_code == 200
    body = response.content.decode()
    assert coordinator_haninge.username in body
    assert "Medborgarlöfte Haninge 2026" in body
    assert "Trygghetslöfte Haninge 2026" in body


def test_the_history_page_is_readable_by_a_colleague(
    client, liaison_haninge, coordinator_haninge, edited_promise
):
    login_verified(client, liaison_haninge)
    response = client.get(history_url("promise", edited_promise))
    assert response.status_code == 200
    assert coordinator_haninge.username in response.content.decode()


def test_an_old_version_can_be_viewed(client, coordinator_haninge, edited_promise):
    first = edited_promise.history.earliest()
    response = client.get(version_url("promise", edited_promise, first))
    assert response.status_code == 200
    assert 'value="Medborgarlöfte Haninge 2026"' in response.content.decode()


def test_posting_to_an_old_version_reverts_nothing(
    client, coordinator_haninge, edited_promise
):
    """SIMPLE_HISTORY_REVERT_DISABLED: the history is kept, never reverted from."""
    first = edited_promise.history.earliest()
    response = client.post(
        version_url("promise", edited_promise, first),
        promise_form(edited_promise, title="Medborgarlöfte Haninge 2026"),
    )
    assert response.status_code in (403, 405)
    edited_promise.refresh_from_db()
    assert edited_promise.title == "Trygghetslöfte Haninge 2026"


def test_a_district_edit_is_recorded(client, coordinator_haninge, haninge):
    district = haninge.districts.get(name="Vega")
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_district_change", args=[district.pk]),
        {"municipality": haninge.pk, "name": "Vega centrum", "slug": "vega"},
    )
    assert response.status_code == 302
    latest = district.history.latest()
    assert latest.history_user == coordinator_haninge
    assert latest.name == "Vega centrum"
    body = client.get(history_url("district", district)).content.decode()
    assert "Vega centrum" in body
    assert coordinator_haninge.username in body


def test_a_deletion_is_recorded(client, coordinator_haninge, promise_haninge):
    inventory = make_activity(promise_haninge, Activity.Kind.INVENTORY)
    finding = Finding.objects.create(
        inventory=inventory, category=Finding.Category.GRAFFITI, place="Tunneln"
    )
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_finding_delete", args=[finding.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Finding.objects.exists()
    deleted = Finding.history.get(id=finding.pk, history_type="-")
    assert deleted.history_user == coordinator_haninge
    assert deleted.place == "Tunneln"


def test_publishing_is_recorded(client, coordinator_haninge, haninge):
    draft = make_promise(haninge, year=2027, status=Promise.Status.DRAFT)
    login_verified(client, coordinator_haninge)
    client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], "index": "0"},
    )
    latest = draft.history.latest()
    assert latest.status == Promise.Status.PUBLISHED
    assert latest.history_user == coordinator_haninge


def test_a_copy_is_recorded(client, coordinator_haninge, promise_haninge):
    login_verified(client, coordinator_haninge)
    client.post(
        reverse("admin:promises_promise_changelist"),
        {
            "action": "copy_to_next_year",
            "_selected_action": [promise_haninge.pk],
            "index": "0",
        },
    )
    copy = Promise.objects.get(year=2027)
    created = copy.history.get()
    assert created.history_type == "+"
    assert created.history_user == coordinator_haninge


# The liaison's deployments


@pytest.fixture
def logged_deployment(client, liaison_haninge, promise_haninge):
    """A deployment logged by the liaison on the quick form."""
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_fridaydeployment_add"),
        deployment_form(promise_haninge, title="Fredagsutsättning"),
    )
    assert response.status_code == 302
    return Activity.objects.get(starts_at=local(2026, 3, 13))


def test_a_deployment_logged_on_the_quick_form_is_recorded(
    liaison_haninge, logged_deployment
):
    records = logged_deployment.history.all()
    assert [record.history_type for record in records] == ["+"]
    assert records[0].history_user == liaison_haninge


def test_a_deployment_edited_on_the_quick_form_is_recorded(
    client, liaison_haninge, promise_haninge
):
    deployment = make_activity(
        promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 13)
    )
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_fridaydeployment_change", args=[deployment.pk]),
        deployment_form(promise_haninge, title="Fredagsutsättning i Jordbro"),
    )
    assert response.status_code == 302
    latest = deployment.history.latest()
    assert latest.title == "Fredagsutsättning i Jordbro"
    assert latest.history_user == liaison_haninge


def test_the_activity_history_page_shows_the_liaison(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    client.post(
        reverse("admin:promises_activity_add"),
        {
            "promise": promise_haninge.pk,
            "kind": "presence",
            "status": "done",
            "starts_at_0": "2026-03-10",
            "starts_at_1": "18:00",
            "title": "Närvaro i Handen",
        },
    )
    presence = Activity.objects.get(title="Närvaro i Handen")
    response = client.get(history_url("activity", presence))
    assert response.status_code == 200
    assert liaison_haninge.username in response.content.decode()


@pytest.mark.parametrize("page", ["history", "version"])
def test_the_deployment_history_pages_open(
    client, liaison_haninge, promise_haninge, page
):
    """The "Historik" button on the quick form's change page must work."""
    deployment = make_activity(
        promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 13)
    )
    url = (
        history_url("fridaydeployment", deployment)
        if page == "history"
        else version_url("fridaydeployment", deployment, deployment.history.get())
    )
    login_verified(client, liaison_haninge)
    response = client.get(url)
    assert response.status_code == 200
    assert "Fredagsutsättning" in response.content.decode()


def test_the_history_never_shows_the_lagesbild_to_the_coordinator(
    client, coordinator_haninge, logged_deployment
):
    login_verified(client, coordinator_haninge)
    response = client.get(history_url("activity", logged_deployment))
    assert response.status_code == 200
    assert "Lugnt läge." not in response.content.decode()


# Another municipality's history


@pytest.mark.parametrize("page", ["history", "version"])
@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_another_municipalitys_history_is_a_404(
    client, request, coordinator_nynashamn, promise_nynashamn, persona, page
):
    # Nynäshamn's coordinator edits their promise: there is a history to hide.
    login_verified(client, coordinator_nynashamn)
    client.post(
        reverse("admin:promises_promise_change", args=[promise_nynashamn.pk]),
        promise_form(promise_nynashamn, introduction="Hemligt utkast."),
    )
    assert promise_nynashamn.history.count() == 2
    record = promise_nynashamn.history.latest()
    url = (
        history_url("promise", promise_nynashamn)
        if page == "history"
        else version_url("promise", promise_nynashamn, record)
    )
    assert client.get(url).status_code == 200

    login_verified(client, request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nynäshamn" not in body
    assert "Hemligt utkast." not in body
    assert coordinator_nynashamn.username not in body


@pytest.mark.parametrize("page", ["history", "version"])
def test_another_municipalitys_activity_history_is_a_404(
    client, coordinator_haninge, promise_nynashamn, page
):
    activity = make_activity(
        promise_nynashamn, Activity.Kind.DIALOGUE, title="Dialog i Sorunda"
    )
    url = (
        history_url("activity", activity)
        if page == "history"
        else version_url("activity", activity, activity.history.latest())
    )
    login_verified(client, coordinator_haninge)
    response = client.get(url)
    assert response.status_code == 404
    assert "Sorunda" not in response.content.decode()


# The history is read-only: nothing is changed or reverted from the history view.


def test_a_liaison_cannot_change_a_promise_through_its_history_page(
    client, liaison_haninge, promise_haninge
):
    """The liaison may only view promises; the version page must not save a POST."""
    record = promise_haninge.history.latest()
    login_verified(client, liaison_haninge)
    response = client.post(
        version_url("promise", promise_haninge, record),
        promise_form(promise_haninge, title="Ändrad av polisen"),
    )
    assert response.status_code in (403, 405)
    promise_haninge.refresh_from_db()
    assert promise_haninge.title == "Medborgarlöfte Haninge 2026"


def test_a_liaison_cannot_change_an_inventory_through_its_history_page(
    client, liaison_haninge, promise_haninge
):
    inventory = make_activity(
        promise_haninge, Activity.Kind.INVENTORY, title="Inventering i Jordbro"
    )
    login_verified(client, liaison_haninge)
    response = client.post(
        version_url("activity", inventory, inventory.history.latest()),
        {
            "promise": promise_haninge.pk,
            "kind": "presence",
            "status": "done",
            "starts_at_0": "2026-03-06",
            "starts_at_1": "14:00",
            "title": "Ändrad av polisen",
            "publication_level": "aggregate",
        },
    )
    assert response.status_code in (403, 405)
    inventory.refresh_from_db()
    assert inventory.title == "Inventering i Jordbro"
    assert inventory.kind == Activity.Kind.INVENTORY


def test_a_coordinator_cannot_change_the_municipality_through_its_history_page(
    client, coordinator_haninge, staff_without_group, haninge
):
    """Coordinators only view municipalities: they must not edit names or staff."""
    login_verified(client, coordinator_haninge)
    response = client.post(
        version_url("municipality", haninge, haninge.history.earliest()),
        {"name": "Haninge kommun", "slug": "haninge", "staff": []},
    )
    assert response.status_code in (403, 405)
    haninge.refresh_from_db()
    assert haninge.name == "Haninge"
    assert set(haninge.staff.all()) == {coordinator_haninge, staff_without_group}
