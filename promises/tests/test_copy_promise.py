"""Copying last year's promise as next year's draft ("Kopiera till nästa år")."""

import datetime

import pytest
from django.contrib.messages import ERROR, SUCCESS
from django.core.exceptions import ValidationError
from django.urls import reverse

from promises.models import (
    Activity,
    Commitment,
    FocusArea,
    Promise,
    Target,
)
from promises.tests.factories import (
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)
from promises.workflows import copy_promise_to_next_year

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:promises_promise_changelist")


@pytest.fixture
def promise(promise_haninge):
    """Haninge 2026 with two focus areas, three commitments, targets and activities."""
    promise_haninge.introduction = "Det här lovar vi invånarna i Haninge 2026."
    promise_haninge.save()
    make_commitment(
        promise_haninge,
        "Fredagsutsättningar",
        kind="deployment",
        count=1,
        period="week",
        weekday=5,
    )
    dialogues = make_commitment(
        promise_haninge,
        "Trygghetsdialoger",
        kind="dialogue",
        count=4,
        period="year",
        min_districts=4,
    )
    dialogues.description = "Minst fyra trygghetsdialoger i olika kommundelar."
    dialogues.internal_notes = "Boka lokaler i god tid."
    dialogues.order = 2
    dialogues.save()
    Target.objects.create(commitment=dialogues, kind=Target.REPORT, count=4)
    youth = FocusArea.objects.create(promise=promise_haninge, title="Barn och unga")
    youth.order = 1
    youth.save()
    Commitment.objects.create(
        focus_area=youth, title="Samverkan kring unga i riskzon", order=1
    )
    Target.objects.create(commitment=youth.commitments.get(), kind="youth_coordination")
    inventories = make_commitment(promise_haninge, "Trygghetsinventeringar")
    Target.objects.create(
        commitment=inventories,
        kind="inventory",
        count=2,
        period="half_year",
        joint=True,
    )
    make_activity(promise_haninge, Activity.Kind.DIALOGUE)
    make_activity(promise_haninge, Activity.Kind.DEPLOYMENT)
    return promise_haninge


def structure(promise: Promise) -> list:
    """Everything that is copied, without ids."""
    return [
        (
            area.title,
            area.order,
            [
                (
                    commitment.title,
                    commitment.description,
                    commitment.order,
                    commitment.internal_notes,
                    [
                        (
                            target.kind,
                            target.count,
                            target.period,
                            target.weekday,
                            target.min_districts,
                            target.joint,
                        )
                        for target in commitment.targets.order_by("id")
                    ],
                )
                for commitment in area.commitments.order_by("order", "id")
            ],
        )
        for area in promise.focus_areas.order_by("order", "id")
    ]


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in [Promise, FocusArea, Commitment, Target, Activity]
    )


def assert_is_next_years_draft(copy: Promise, original: Promise) -> None:
    assert copy.pk != original.pk
    assert copy.municipality == original.municipality
    assert copy.year == 2027
    assert copy.title == "Medborgarlöfte Haninge 2027"
    assert copy.introduction == original.introduction
    assert copy.starts_on == datetime.date(2027, 1, 1)
    assert copy.ends_on == datetime.date(2027, 12, 31)
    assert copy.status == Promise.Status.DRAFT
    assert copy.published_at is None
    assert structure(copy) == structure(original)
    assert len(structure(copy)) == 2
    assert sum(len(commitments) for _, _, commitments in structure(copy)) == 4
    assert (
        Target.objects.filter(commitment__focus_area__promise=copy).count()
        == Target.objects.filter(commitment__focus_area__promise=original).count()
        == 5
    )
    assert not copy.activities.exists()
    # The copy shares nothing with the original.
    assert not FocusArea.objects.filter(promise=copy).filter(
        pk__in=original.focus_areas.values("pk")
    )


# Through the admin


def copy_action(client, *promises):
    return client.post(
        CHANGELIST,
        {
            "action": "copy_to_next_year",
            "_selected_action": [str(promise.pk) for promise in promises],
            "index": "0",
            "select_across": "0",
        },
        follow=True,
    )


def messages_of(response) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in response.context["messages"]]


def test_the_coordinator_copies_a_promise_to_next_year(
    client, coordinator_haninge, promise
):
    login_verified(client, coordinator_haninge)
    response = copy_action(client, promise)
    assert response.status_code == 200
    assert response.redirect_chain == [(CHANGELIST, 302)]
    copy = Promise.objects.get(municipality=promise.municipality, year=2027)
    assert_is_next_years_draft(copy, promise)
    assert messages_of(response) == [
        (SUCCESS, "”Medborgarlöfte Haninge 2027” skapades som utkast.")
    ]
    # The original is untouched.
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED
    assert promise.year == 2026
    assert promise.activities.count() == 2


def test_a_second_copy_is_refused_with_a_clear_message(
    client, coordinator_haninge, promise
):
    login_verified(client, coordinator_haninge)
    copy_action(client, promise)
    before = counts()
    response = copy_action(client, promise)
    assert response.status_code == 200
    assert messages_of(response) == [
        (ERROR, "Haninge har redan ett medborgarlöfte för 2027.")
    ]
    assert counts() == before


def test_copying_over_an_existing_next_year_creates_nothing(
    client, coordinator_haninge, promise, haninge
):
    existing = make_promise(haninge, year=2027, status=Promise.Status.DRAFT)
    before = counts()
    login_verified(client, coordinator_haninge)
    response = copy_action(client, promise)
    assert messages_of(response) == [
        (ERROR, "Haninge har redan ett medborgarlöfte för 2027.")
    ]
    assert counts() == before
    assert not existing.focus_areas.exists()


def test_the_copy_can_be_opened_and_edited_as_a_draft(
    client, coordinator_haninge, promise
):
    login_verified(client, coordinator_haninge)
    copy_action(client, promise)
    copy = Promise.objects.get(year=2027)
    response = client.get(reverse("admin:promises_promise_change", args=[copy.pk]))
    assert response.status_code == 200
    assert "Medborgarlöfte Haninge 2027" in response.content.decode()


def test_the_liaison_cannot_copy(client, liaison_haninge, promise):
    login_verified(client, liaison_haninge)
    before = counts()
    copy_action(client, promise)
    assert counts() == before


# The workflow itself


def test_the_workflow_copies_as_a_draft(promise):
    copy = copy_promise_to_next_year(promise)
    copy.refresh_from_db()
    assert_is_next_years_draft(copy, promise)


def test_the_workflow_refuses_a_second_copy_and_creates_nothing(promise):
    copy_promise_to_next_year(promise)
    before = counts()
    with pytest.raises(ValidationError) as error:
        copy_promise_to_next_year(promise)
    assert error.value.messages == ["Haninge har redan ett medborgarlöfte för 2027."]
    assert counts() == before


def test_a_copy_of_the_copy_is_the_year_after(promise):
    copy = copy_promise_to_next_year(copy_promise_to_next_year(promise))
    assert copy.year == 2028
    assert copy.title == "Medborgarlöfte Haninge 2028"
    assert structure(copy) == structure(promise)


def test_a_draft_copies_as_a_draft(haninge):
    draft = make_promise(haninge, year=2026, status=Promise.Status.DRAFT)
    copy = copy_promise_to_next_year(draft)
    assert copy.status == Promise.Status.DRAFT
    assert copy.published_at is None


def test_a_period_ending_on_29_february_copies_to_28_february(haninge):
    promise = make_promise(
        haninge,
        year=2027,
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2028, 2, 29),
    )
    copy = copy_promise_to_next_year(promise)
    assert copy.starts_on == datetime.date(2028, 3, 1)
    assert copy.ends_on == datetime.date(2029, 2, 28)
