"""The admin start page shows staff their current promise's progress, behind first."""

import datetime

import pytest
from django.utils import timezone

from promises.models import Activity, Target
from promises.tests.factories import (
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)


@pytest.fixture
def current_promises(haninge, nynashamn):
    year = timezone.localdate().year
    haninge_promise = make_promise(haninge, year)
    make_commitment(
        haninge_promise,
        "Trygghetsdialoger i Haninge",
        kind=Activity.Kind.DIALOGUE,
        count=1,
        period=Target.Period.YEAR,
    )
    make_commitment(
        haninge_promise,
        "Fredagsutsättningar i Haninge",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    make_activity(
        haninge_promise,
        Activity.Kind.DIALOGUE,
        timezone.now() - datetime.timedelta(minutes=5),
    )
    nynashamn_promise = make_promise(nynashamn, year)
    make_commitment(nynashamn_promise, "Nynäshamns åtagande", kind="dialogue", count=1)
    return haninge_promise


@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_staff_see_their_promise_with_what_is_behind_first(
    client, current_promises, persona, request
):
    login_verified(client, request.getfixturevalue(persona))
    html = client.get("/admin/").content.decode()
    if timezone.localdate() >= datetime.date(timezone.localdate().year, 1, 9):
        # A Friday has passed without a deployment: behind, and listed first.
        assert html.index("Fredagsutsättningar i Haninge") < html.index(
            "Trygghetsdialoger i Haninge"
        )
        assert "<strong>Efter</strong>" in html
    assert "Klart" in html  # the dialogue
    assert "Nynäshamns åtagande" not in html
    commitment = current_promises.focus_areas.get().commitments.first()
    assert f"/admin/promises/commitment/{commitment.pk}/change/" in html
    assert f"promise__id__exact={current_promises.pk}&amp;kind__exact=" in html


def test_staff_without_a_role_see_no_progress(
    client, current_promises, staff_without_group
):
    login_verified(client, staff_without_group)
    html = client.get("/admin/").content.decode()
    assert "Så går det" not in html


def test_the_start_page_names_activities_that_no_commitment_counts(
    client, current_promises, nynashamn, coordinator_haninge
):
    """An activity of a kind a target counts, linked to no commitment: nothing
    counts it, and the coordinator is told which."""
    now = timezone.now() - datetime.timedelta(hours=1)
    make_activity(
        current_promises,
        Activity.Kind.DIALOGUE,
        now,
        title="Olänkad dialog",
        commitments=[],
    )
    make_activity(current_promises, Activity.Kind.DIALOGUE, now, title="Länkad dialog")
    # No target counts traffic: nothing to link it to.
    make_activity(
        current_promises, Activity.Kind.TRAFFIC, now, title="Trafik", commitments=[]
    )
    nynashamns = nynashamn.promises.get()
    make_activity(
        nynashamns,
        Activity.Kind.DIALOGUE,
        now,
        title="Nynäshamns olänkade",
        commitments=[],
    )
    login_verified(client, coordinator_haninge)
    html = client.get("/admin/").content.decode()
    section = html[html.index('id="unlinked-activities"') :]
    section = section[: section.index("</div>")]
    assert "1 aktivitet hör inte till något åtagande" in section
    assert "Olänkad dialog" in section
    for other in ("Länkad dialog", "Trafik", "Nynäshamns olänkade"):
        assert other not in section

    Activity.objects.get(title="Olänkad dialog").commitments.set(
        current_promises.commitments.filter(targets__kind="dialogue")
    )
    assert 'id="unlinked-activities"' not in client.get("/admin/").content.decode()
