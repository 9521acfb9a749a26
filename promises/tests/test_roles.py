"""The two staff roles: exactly the permissions they need, and what each may open.

The groups come from the data migration 0002_role_groups (the test database is
migrated), so these tests check the groups as they exist in a real installation.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from promises.models import Activity, Promise
from promises.roles import (
    COORDINATOR,
    PARTNER_REPORTER,
    POLICE_LIAISON,
    ROLE_PERMISSIONS,
    codenames,
)
from promises.tests.factories import local, login_verified, make_activity, make_promise

pytestmark = pytest.mark.django_db


COORDINATOR_PERMISSIONS = {
    ("promises.municipality", "view_municipality"),
    ("promises.municipality", "change_municipality"),
    ("promises.municipality", "export_municipality"),
    ("promises.policearea", "view_policearea"),
    ("promises.district", "view_district"),
    ("promises.district", "add_district"),
    ("promises.district", "change_district"),
    ("promises.organisation", "view_organisation"),
    ("promises.organisation", "add_organisation"),
    ("promises.organisation", "change_organisation"),
    ("promises.promise", "view_promise"),
    ("promises.promise", "add_promise"),
    ("promises.promise", "change_promise"),
    ("promises.promise", "publish_promise"),
    ("promises.focusarea", "view_focusarea"),
    ("promises.focusarea", "add_focusarea"),
    ("promises.focusarea", "change_focusarea"),
    ("promises.focusarea", "delete_focusarea"),
    ("promises.commitment", "view_commitment"),
    ("promises.commitment", "add_commitment"),
    ("promises.commitment", "change_commitment"),
    ("promises.commitment", "delete_commitment"),
    ("promises.target", "view_target"),
    ("promises.target", "add_target"),
    ("promises.target", "change_target"),
    ("promises.target", "delete_target"),
    ("promises.activity", "view_activity"),
    ("promises.activity", "add_activity"),
    ("promises.activity", "change_activity"),
    ("promises.activity", "delete_activity"),
    ("promises.activity", "log_any_activity_kind"),
    ("promises.fridaydeployment", "view_fridaydeployment"),
    ("promises.finding", "view_finding"),
    ("promises.finding", "add_finding"),
    ("promises.finding", "change_finding"),
    ("promises.finding", "delete_finding"),
    ("promises.dialoguetopic", "view_dialoguetopic"),
    ("promises.dialoguetopic", "add_dialoguetopic"),
    ("promises.dialoguetopic", "change_dialoguetopic"),
    ("promises.dialoguetopic", "delete_dialoguetopic"),
    ("promises.priority", "view_priority"),
    ("promises.priority", "add_priority"),
    ("promises.priority", "change_priority"),
    ("promises.priority", "delete_priority"),
    ("promises.kind", "view_kind"),
    ("promises.kind", "add_kind"),
    ("promises.kind", "change_kind"),
}

LIAISON_PERMISSIONS = {
    ("promises.municipality", "view_municipality"),
    ("promises.policearea", "view_policearea"),
    ("promises.district", "view_district"),
    ("promises.organisation", "view_organisation"),
    ("promises.promise", "view_promise"),
    ("promises.focusarea", "view_focusarea"),
    ("promises.commitment", "view_commitment"),
    ("promises.target", "view_target"),
    ("promises.activity", "view_activity"),
    ("promises.activity", "add_activity"),
    ("promises.activity", "change_activity"),
    ("promises.fridaydeployment", "view_fridaydeployment"),
    ("promises.fridaydeployment", "add_fridaydeployment"),
    ("promises.fridaydeployment", "change_fridaydeployment"),
    ("promises.operationalpicture", "view_operationalpicture"),
    ("promises.operationalpicture", "add_operationalpicture"),
    ("promises.operationalpicture", "change_operationalpicture"),
    ("promises.finding", "view_finding"),
    ("promises.dialoguetopic", "view_dialoguetopic"),
    ("promises.priority", "view_priority"),
    ("promises.kind", "view_kind"),
}


def group_permissions(role: str) -> set[tuple[str, str]]:
    """("app_label.model", codename) of every permission of the group."""
    group = Group.objects.get(name=role)
    return {
        (f"{app_label}.{model}", codename)
        for app_label, model, codename in group.permissions.values_list(
            "content_type__app_label", "content_type__model", "codename"
        )
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [(COORDINATOR, COORDINATOR_PERMISSIONS), (POLICE_LIAISON, LIAISON_PERMISSIONS)],
)
def test_the_migration_gives_each_group_exactly_its_permissions(role, expected):
    in_promises = {
        (model, codename)
        for model, codename in group_permissions(role)
        if model.startswith("promises.")
    }
    assert in_promises == expected


@pytest.mark.parametrize("role", [COORDINATOR, POLICE_LIAISON, PARTNER_REPORTER])
def test_the_groups_match_roles_py(role):
    from_roles_py = set()
    for label, actions in ROLE_PERMISSIONS[role].items():
        app_label, _, model = label.rpartition(".")
        from_roles_py |= {
            (f"{app_label or 'promises'}.{model}", codename)
            for codename in codenames(model, actions)
        }
    assert group_permissions(role) == from_roles_py


@pytest.mark.parametrize("role", [COORDINATOR, POLICE_LIAISON, PARTNER_REPORTER])
def test_the_groups_get_no_user_admin_nor_history_rows(role):
    for model, codename in group_permissions(role):
        app_label, model_name = model.split(".")
        assert app_label not in {"auth", "admin", "contenttypes", "sessions"}, codename
        assert not model_name.startswith("historical"), codename


@pytest.mark.parametrize(
    ("persona", "permission", "allowed"),
    [
        # The coordinator owns the promise and publishes it ...
        ("coordinator_haninge", "promises.publish_promise", True),
        ("coordinator_haninge", "promises.add_promise", True),
        ("coordinator_haninge", "promises.change_promise", True),
        ("coordinator_haninge", "promises.add_commitment", True),
        ("coordinator_haninge", "promises.change_target", True),
        ("coordinator_haninge", "promises.delete_target", True),
        ("coordinator_haninge", "promises.add_finding", True),
        ("coordinator_haninge", "promises.log_any_activity_kind", True),
        ("coordinator_haninge", "promises.delete_activity", True),
        ("coordinator_haninge", "promises.export_municipality", True),
        # ... but never reads the operational lägesbild, nor logs the liaison's form,
        ("coordinator_haninge", "promises.view_operationalpicture", False),
        ("coordinator_haninge", "promises.add_operationalpicture", False),
        ("coordinator_haninge", "promises.change_operationalpicture", False),
        ("coordinator_haninge", "promises.add_fridaydeployment", False),
        ("coordinator_haninge", "promises.change_fridaydeployment", False),
        # ... nor deletes whole promises or edits municipalities and users.
        ("coordinator_haninge", "promises.delete_promise", False),
        ("coordinator_haninge", "promises.add_municipality", False),
        ("coordinator_haninge", "promises.change_municipality", True),
        ("coordinator_haninge", "promises.delete_district", False),
        ("coordinator_haninge", "auth.add_user", False),
        ("coordinator_haninge", "auth.change_group", False),
        # The liaison logs deployments and reads the lägesbild ...
        ("liaison_haninge", "promises.add_fridaydeployment", True),
        ("liaison_haninge", "promises.change_fridaydeployment", True),
        ("liaison_haninge", "promises.add_activity", True),
        ("liaison_haninge", "promises.change_activity", True),
        ("liaison_haninge", "promises.view_operationalpicture", True),
        ("liaison_haninge", "promises.add_operationalpicture", True),
        ("liaison_haninge", "promises.view_promise", True),
        # ... but never publishes, creates or changes promises and their targets,
        ("liaison_haninge", "promises.publish_promise", False),
        ("liaison_haninge", "promises.add_promise", False),
        ("liaison_haninge", "promises.change_promise", False),
        ("liaison_haninge", "promises.delete_promise", False),
        ("liaison_haninge", "promises.add_commitment", False),
        ("liaison_haninge", "promises.change_target", False),
        ("liaison_haninge", "promises.add_focusarea", False),
        # ... logs only the police's kinds and deletes nothing,
        ("liaison_haninge", "promises.log_any_activity_kind", False),
        ("liaison_haninge", "promises.delete_activity", False),
        ("liaison_haninge", "promises.delete_fridaydeployment", False),
        ("liaison_haninge", "promises.delete_operationalpicture", False),
        # ... and leaves the coordinator's findings, districts and users alone.
        ("liaison_haninge", "promises.add_finding", False),
        ("liaison_haninge", "promises.change_finding", False),
        ("liaison_haninge", "promises.add_district", False),
        ("liaison_haninge", "promises.add_organisation", False),
        ("liaison_haninge", "auth.add_user", False),
        ("liaison_haninge", "promises.export_municipality", False),
        # Staff without a role may do nothing.
        ("staff_without_group", "promises.view_promise", False),
        ("staff_without_group", "promises.view_activity", False),
        ("staff_without_group", "promises.export_municipality", False),
    ],
)
def test_must_haves_and_must_nots(request, persona, permission, allowed):
    user = request.getfixturevalue(persona)
    assert user.has_perm(permission) is allowed


# Model: coordinator's changelist and add page, then the liaison's.
PAGES = [
    ("promises.municipality", 200, 403, 200, 403),
    ("promises.district", 200, 200, 200, 403),
    ("promises.organisation", 200, 200, 200, 403),
    ("promises.promise", 200, 200, 200, 403),
    ("promises.commitment", 200, 200, 200, 403),
    ("promises.activity", 200, 200, 200, 200),
    ("promises.fridaydeployment", 200, 403, 200, 200),
    ("promises.finding", 200, 200, 200, 403),
    ("auth.user", 403, 403, 403, 403),
    ("auth.group", 403, 403, 403, 403),
]
PERSONA_PAGES = [
    (persona, page)
    for persona in ["coordinator_haninge", "liaison_haninge"]
    for page in ["changelist", "add"]
]
ROLE_TABLE = [
    pytest.param(persona, model, page, status, id=f"{persona}-{model}-{page}")
    for model, *statuses in PAGES
    for (persona, page), status in zip(PERSONA_PAGES, statuses, strict=True)
]


def admin_url(model: str, page: str, *args) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{page}", args=args)


ALL_ADMIN_PAGES = [
    admin_url(model, page) for model, *_ in PAGES for page in ["changelist", "add"]
]


@pytest.mark.parametrize(("persona", "model", "page", "status"), ROLE_TABLE)
def test_each_role_opens_exactly_its_pages(
    client, request, promise_haninge, persona, model, page, status
):
    login_verified(client, request.getfixturevalue(persona))
    assert client.get(admin_url(model, page)).status_code == status


@pytest.mark.parametrize("url", ALL_ADMIN_PAGES)
def test_staff_without_a_role_gets_403_everywhere(
    client, staff_without_group, promise_haninge, url
):
    login_verified(client, staff_without_group)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("page", ["change", "delete", "history"])
@pytest.mark.parametrize("model", ["promise", "activity", "district"])
def test_staff_without_a_role_cannot_open_own_municipalitys_objects(
    client, staff_without_group, promise_haninge, haninge, model, page
):
    obj = {
        "promise": promise_haninge,
        "activity": make_activity(promise_haninge),
        "district": haninge.districts.first(),
    }[model]
    login_verified(client, staff_without_group)
    response = client.get(admin_url(f"promises.{model}", page, obj.pk))
    assert response.status_code == 403


def test_staff_without_a_role_sees_no_models_on_the_index(
    client, staff_without_group, promise_haninge
):
    login_verified(client, staff_without_group)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert b"fridaydeployment" not in response.content


@pytest.mark.parametrize("url", [reverse("admin:index"), *ALL_ADMIN_PAGES])
def test_anonymous_is_sent_to_the_login(client, promise_haninge, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_anonymous_cannot_open_an_object_either(client, promise_haninge, page):
    response = client.get(admin_url("promises.promise", page, promise_haninge.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert promise_haninge.title.encode() not in response.content


# Publishing


@pytest.fixture
def draft_haninge(haninge):
    return make_promise(haninge, year=2027, status=Promise.Status.DRAFT)


def post_action(client, action, *promises):
    return client.post(
        reverse("admin:promises_promise_changelist"),
        {
            "action": action,
            "_selected_action": [str(promise.pk) for promise in promises],
            "index": "0",
            "select_across": "0",
        },
        follow=True,
    )


def test_the_liaison_is_not_offered_the_publish_action(
    client, liaison_haninge, draft_haninge
):
    login_verified(client, liaison_haninge)
    response = client.get(reverse("admin:promises_promise_changelist"))
    assert response.status_code == 200
    assert b'value="publish"' not in response.content
    assert b'value="copy_to_next_year"' not in response.content


def test_the_liaison_cannot_run_the_publish_action(
    client, liaison_haninge, draft_haninge
):
    login_verified(client, liaison_haninge)
    response = post_action(client, "publish", draft_haninge)
    assert response.status_code in (200, 403)
    draft_haninge.refresh_from_db()
    assert draft_haninge.status == Promise.Status.DRAFT
    assert draft_haninge.published_at is None
    assert not draft_haninge.history.filter(status=Promise.Status.PUBLISHED).exists()


def test_the_liaison_cannot_publish_through_the_change_form(
    client, liaison_haninge, draft_haninge, haninge
):
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_promise_change", args=[draft_haninge.pk])
    response = client.post(
        url,
        {
            "municipality": haninge.pk,
            "year": 2027,
            "title": draft_haninge.title,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "status": "published",
            "focus_areas-TOTAL_FORMS": "0",
            "focus_areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    draft_haninge.refresh_from_db()
    assert draft_haninge.status == Promise.Status.DRAFT


def test_the_coordinator_is_offered_both_actions(
    client, coordinator_haninge, draft_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.get(reverse("admin:promises_promise_changelist"))
    assert b'value="publish"' in response.content
    assert b'value="copy_to_next_year"' in response.content


def test_the_coordinator_can_publish(client, coordinator_haninge, draft_haninge):
    login_verified(client, coordinator_haninge)
    before = timezone.now()
    response = post_action(client, "publish", draft_haninge)
    assert response.status_code == 200
    draft_haninge.refresh_from_db()
    assert draft_haninge.status == Promise.Status.PUBLISHED
    assert before <= draft_haninge.published_at <= timezone.now()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["1 medborgarlöfte publicerades."]


def test_publishing_again_keeps_the_first_publication_time(
    client, coordinator_haninge, haninge
):
    first = timezone.now() - datetime.timedelta(days=30)
    promise = make_promise(haninge, year=2027, published_at=first)
    login_verified(client, coordinator_haninge)
    post_action(client, "publish", promise)
    promise.refresh_from_db()
    assert promise.published_at == first


# Activity kinds: the liaison logs only the police's kinds


POLICE_KINDS = {"deployment", "presence", "youth_visit"}


def kind_choices(response) -> set[str]:
    return {
        value for value, _ in response.context["adminform"].form.fields["kind"].choices
    }


def test_the_liaison_is_offered_only_the_police_kinds(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.get(reverse("admin:promises_activity_add"))
    assert response.status_code == 200
    assert kind_choices(response) - {""} == POLICE_KINDS
    assert b'value="inventory"' not in response.content


def test_the_coordinator_is_offered_every_kind(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.get(reverse("admin:promises_activity_add"))
    assert kind_choices(response) - {""} == set(Activity.Kind.values)


def activity_data(promise, kind, title, **fields):
    return {
        "promise": promise.pk,
        "kind": kind,
        "status": "done",
        "starts_at_0": "2026-03-10",
        "starts_at_1": "18:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place_type": "",
        "title": title,
        "summary": "",
        "publication_level": "",
        "participants": "",
        "residents_met": "",
        "district_reason": "",
        "residents_raised": "",
        "not_friday_reason": "",
        "internal_notes": "",
        **fields,
    }


@pytest.mark.parametrize("kind", ["presence", "youth_visit"])
def test_the_liaison_may_add_police_kinds(
    client, liaison_haninge, promise_haninge, kind
):
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_data(promise_haninge, kind, "Närvaro i Handen"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Närvaro i Handen")
    assert activity.kind == kind
    assert {h.history_user for h in activity.history.all()} == {liaison_haninge}


@pytest.mark.parametrize("kind", ["inventory", "dialogue", "traffic", "other"])
def test_the_liaison_may_not_add_other_kinds(
    client, liaison_haninge, promise_haninge, kind
):
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_data(promise_haninge, kind, "Fel typ"),
    )
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not Activity.objects.filter(title="Fel typ").exists()


@pytest.fixture
def inventory_haninge(promise_haninge, coordinator_haninge):
    return make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 4, 14, 18),
        title="Trygghetsinventering i Jordbro",
    )


def test_the_coordinators_inventory_is_read_only_for_the_liaison(
    client, liaison_haninge, inventory_haninge
):
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_activity_change", args=[inventory_haninge.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert b'name="title"' not in response.content
    assert b'name="_save"' not in response.content
    assert b"Trygghetsinventering i Jordbro" in response.content


def test_the_liaison_cannot_change_the_coordinators_inventory(
    client, liaison_haninge, inventory_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_activity_change", args=[inventory_haninge.pk])
    response = client.post(
        url, activity_data(promise_haninge, "inventory", "Ändrad av polisen")
    )
    assert response.status_code == 403
    inventory_haninge.refresh_from_db()
    assert inventory_haninge.title == "Trygghetsinventering i Jordbro"


def test_the_liaison_cannot_turn_an_inventory_into_a_police_kind(
    client, liaison_haninge, inventory_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_activity_change", args=[inventory_haninge.pk])
    client.post(url, activity_data(promise_haninge, "presence", "Nu närvaro"))
    inventory_haninge.refresh_from_db()
    assert inventory_haninge.kind == Activity.Kind.INVENTORY


def test_the_liaison_cannot_turn_a_presence_into_an_inventory(
    client, liaison_haninge, promise_haninge
):
    presence = make_activity(promise_haninge, Activity.Kind.PRESENCE, title="Närvaro")
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_activity_change", args=[presence.pk])
    response = client.post(
        url, activity_data(promise_haninge, "inventory", "Nu inventering")
    )
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    presence.refresh_from_db()
    assert presence.kind == Activity.Kind.PRESENCE
    assert presence.title == "Närvaro"


def test_the_liaison_can_change_a_presence(client, liaison_haninge, promise_haninge):
    presence = make_activity(promise_haninge, Activity.Kind.PRESENCE, title="Närvaro")
    login_verified(client, liaison_haninge)
    url = reverse("admin:promises_activity_change", args=[presence.pk])
    response = client.post(
        url, activity_data(promise_haninge, "presence", "Närvaro i Handens centrum")
    )
    assert response.status_code == 302
    presence.refresh_from_db()
    assert presence.title == "Närvaro i Handens centrum"


def test_the_coordinator_can_change_an_inventory(
    client, coordinator_haninge, inventory_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_activity_change", args=[inventory_haninge.pk])
    response = client.post(
        url,
        activity_data(
            promise_haninge,
            "inventory",
            "Inventering i Jordbro C",
            **{"findings-TOTAL_FORMS": "0", "findings-INITIAL_FORMS": "0"},
        ),
    )
    assert response.status_code == 302
    inventory_haninge.refresh_from_db()
    assert inventory_haninge.title == "Inventering i Jordbro C"
