"""A finding's outcome (issue 13): åtgärdat, planerat, överlämnat, åtgärdas inte or
still open, each with its own required field, in the form and in the database; and
reopening a finding when the problem comes back."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from promises.models import Activity, Finding
from promises.tests.factories import local, login_verified, make_activity

pytestmark = pytest.mark.django_db

FIXED_ON = datetime.date(2026, 4, 20)
PLANNED_ON = datetime.date(2027, 5, 1)
# Each decided outcome, its one required field and a value for it, and the Swedish
# message when it is missing.
OUTCOMES = [
    (Finding.Status.FIXED, "fixed_on", FIXED_ON, "Ange när iakttagelsen åtgärdades."),
    (
        Finding.Status.PLANNED,
        "planned_on",
        PLANNED_ON,
        "Ange när åtgärden är planerad.",
    ),
    (
        Finding.Status.REFERRED,
        "referred_to",
        "Trafikverket",
        "Ange vem iakttagelsen har lämnats över till.",
    ),
    (
        Finding.Status.NOT_FIXED,
        "not_fixed_reason",
        "Platsen byggs om nästa år.",
        "Ange varför bristen inte åtgärdas. Skälet visas publikt.",
    ),
]
EMPTY = {
    "fixed_on": None,
    "planned_on": None,
    "referred_to": "",
    "not_fixed_reason": "",
}


@contextlib.contextmanager
def refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


@pytest.fixture
def inventory(promise_haninge):
    return make_activity(
        promise_haninge, Activity.Kind.INVENTORY, local(2026, 4, 14, 18)
    )


def finding(inventory, **fields) -> Finding:
    fields.setdefault("category", Finding.Category.LIGHTING)
    fields.setdefault("place", "Gångtunneln vid Handens station")
    return Finding(inventory=inventory, **fields)


@pytest.mark.parametrize(("status", "field", "value", "message"), OUTCOMES)
def test_each_outcome_needs_its_field(inventory, status, field, value, message):
    with refused_by_database():
        finding(inventory, status=status).save()
    assert errors_of(finding(inventory, status=status)) == {field: [message]}

    accepted = finding(inventory, status=status, **{field: value})
    accepted.full_clean()
    accepted.save()
    assert Finding.objects.get().status == status


@pytest.mark.parametrize(("status", "field", "value", "message"), OUTCOMES)
def test_each_outcomes_field_only_with_that_outcome(
    inventory, status, field, value, message
):
    for other in Finding.Status:
        if other == status:
            continue
        fields = {"status": other, field: value}
        for other_status, other_field, other_value, _ in OUTCOMES:
            if other_status == other:
                fields[other_field] = other_value
        with refused_by_database():
            finding(inventory, **fields).save()
        assert errors_of(finding(inventory, **fields))[field] == [
            f"Fyll bara i det här när utfallet är ”{status.label}”."
        ]
    assert not Finding.objects.exists()


def test_an_open_finding_has_none_of_them(inventory):
    open_finding = finding(inventory)
    open_finding.full_clean()
    open_finding.save()
    assert Finding.objects.get().status == "open"


def test_an_unknown_outcome_is_refused_by_the_database(inventory):
    # "Pågår" is no outcome any more (the migration made those open).
    with refused_by_database():
        finding(inventory, status="in_progress").save()


def test_a_blank_owner_or_reason_is_missing(inventory):
    referred = finding(inventory, status=Finding.Status.REFERRED, referred_to="  ")
    assert errors_of(referred) == {
        "referred_to": ["Ange vem iakttagelsen har lämnats över till."]
    }


def test_a_plan_before_the_inventory_is_refused(inventory):
    early = finding(
        inventory, status=Finding.Status.PLANNED, planned_on=datetime.date(2026, 4, 1)
    )
    assert errors_of(early) == {
        "planned_on": ["Åtgärden kan inte planeras till före inventeringen."]
    }


def test_the_owner_and_the_reason_refuse_personal_data(inventory):
    referred = finding(
        inventory,
        status=Finding.Status.REFERRED,
        referred_to="Fastighetsägaren, 070-123 45 67",
    )
    assert "referred_to" in errors_of(referred)
    not_fixed = finding(
        inventory,
        status=Finding.Status.NOT_FIXED,
        not_fixed_reason="Fråga anna.svensson@example.se",
    )
    assert "not_fixed_reason" in errors_of(not_fixed)


def test_reopening_clears_the_outcome_records_the_day_and_keeps_the_history(
    inventory,
):
    fixed = finding(inventory, status=Finding.Status.FIXED, fixed_on=FIXED_ON)
    fixed.full_clean()
    fixed.save()
    fixed.reopen(on=datetime.date(2026, 9, 1))

    fixed.refresh_from_db()
    assert (fixed.status, fixed.fixed_on) == ("open", None)
    assert (fixed.reopened_on, fixed.times_reopened) == (datetime.date(2026, 9, 1), 1)
    versions = list(fixed.history.order_by("history_date"))
    assert [(v.status, v.fixed_on) for v in versions] == [
        ("fixed", FIXED_ON),
        ("open", None),
    ]

    fixed.status, fixed.fixed_on = Finding.Status.FIXED, datetime.date(2026, 10, 1)
    fixed.save()
    fixed.reopen()  # today: the suite's day
    fixed.refresh_from_db()
    assert (fixed.reopened_on, fixed.times_reopened) == (datetime.date(2026, 12, 1), 2)


# --- In the admin --------------------------------------------------------------------


def finding_form(found: Finding, **fields) -> dict:
    data = {
        "inventory": found.inventory_id,
        "category": found.category,
        "place": found.place,
        "description": "",
        "district": "",
        "responsible": "",
        "status": found.status,
        "fixed_on": "",
        "planned_on": "",
        "referred_to": "",
        "not_fixed_reason": "",
    }
    data.update(fields)
    return data


def test_the_coordinator_sees_the_missing_field_in_swedish(
    client, coordinator_haninge, inventory
):
    found = finding(inventory)
    found.save()
    login_verified(client, coordinator_haninge)
    url = f"/admin/promises/finding/{found.pk}/change/"

    response = client.post(url, finding_form(found, status="planned"))
    assert response.status_code == 200
    assert "Ange när åtgärden är planerad." in response.content.decode()

    response = client.post(
        url, finding_form(found, status="planned", planned_on="2027-05-01")
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.status, found.planned_on) == ("planned", PLANNED_ON)


def test_the_coordinator_reopens_a_fixed_finding(
    client, coordinator_haninge, inventory
):
    fixed = finding(inventory, status=Finding.Status.FIXED, fixed_on=FIXED_ON)
    fixed.save()
    still_open = finding(inventory, place="Torget")
    still_open.save()
    login_verified(client, coordinator_haninge)

    response = client.post(
        "/admin/promises/finding/",
        {"action": "reopen", "_selected_action": [fixed.pk, still_open.pk]},
        follow=True,
    )
    assert "1 iakttagelse öppnades igen." in response.content.decode()
    fixed.refresh_from_db()
    still_open.refresh_from_db()
    assert (fixed.status, fixed.reopened_on) == ("open", datetime.date(2026, 12, 1))
    assert (still_open.times_reopened, still_open.reopened_on) == (0, None)


def test_another_municipalitys_coordinator_cannot_reopen_it(
    client, coordinator_nynashamn, inventory
):
    fixed = finding(inventory, status=Finding.Status.FIXED, fixed_on=FIXED_ON)
    fixed.save()
    login_verified(client, coordinator_nynashamn)
    client.post(
        "/admin/promises/finding/",
        {"action": "reopen", "_selected_action": [fixed.pk]},
    )
    fixed.refresh_from_db()
    assert fixed.status == "fixed"
    response = client.get(f"/admin/promises/finding/{fixed.pk}/change/")
    assert response.status_code == 404
