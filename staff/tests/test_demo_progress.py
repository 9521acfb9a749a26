"""Progress on the demo data matches a count by hand of the activities entered."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from promises.models import Activity, Promise, Target
from promises.progress import Status, promise_progress

pytestmark = pytest.mark.any_day  # the demo and its progress on any day


@pytest.fixture
def demo(db):
    call_command("load_haninge", "--demo", stdout=io.StringIO())
    return Promise.objects.get(
        municipality__name="Haninge", year=timezone.localdate().year
    )


def by_kind(progress, kind):
    (target,) = [p for p in progress.targets if p.target.kind == kind]
    return target


def test_progress_on_the_demo_data_matches_a_hand_count(demo):
    assert_progress_matches_a_hand_count(demo, timezone.localdate())


def assert_progress_matches_a_hand_count(demo, today):
    """The engine's figures for the demo promise, against a count by hand."""
    progress = promise_progress(demo, today)
    done = Activity.objects.filter(promise=demo, status=Activity.Status.DONE)

    # Fridays: the weeks with a deployment held on a Friday, of the Fridays so far.
    friday_weeks = {
        timezone.localdate(a.starts_at).isocalendar()[:2]
        for a in done.filter(kind=Activity.Kind.DEPLOYMENT)
        if timezone.localdate(a.starts_at).isoweekday() == 5
    }
    fridays_so_far = sum(
        1
        for ordinal in range(demo.starts_on.toordinal(), today.toordinal() + 1)
        if demo.starts_on.fromordinal(ordinal).isoweekday() == 5
    )
    deployments = by_kind(progress, Activity.Kind.DEPLOYMENT)
    fridays = "fredag" if fridays_so_far == 1 else "fredagar"
    assert deployments.summary == f"{len(friday_weeks)} av {fridays_so_far} {fridays}"
    first_sunday = demo.starts_on + datetime.timedelta(6 - demo.starts_on.weekday())
    if not friday_weeks and today < first_sunday:  # nothing yet, no week has ended
        assert deployments.status == Status.NOT_STARTED
    else:
        assert deployments.status == (
            Status.ON_TRACK if len(friday_weeks) == fridays_so_far else Status.BEHIND
        )

    # Dialogues: how many were held, and in how many districts.
    dialogues = done.filter(kind=Activity.Kind.DIALOGUE)
    districts = {d.pk for a in dialogues for d in a.districts.all()}
    summary = by_kind(progress, Activity.Kind.DIALOGUE).summary
    assert summary == (
        f"{dialogues.count()} av 4 trygghetsdialoger, i {len(districts)} av 4 kommundelar"
    )

    # Presence: no number, just the count and the latest.
    presence = by_kind(progress, Activity.Kind.PRESENCE)
    assert presence.status == Status.NO_TARGET
    assert presence.activity_count == done.filter(kind=Activity.Kind.PRESENCE).count()

    # Reports to residents: those published, of four.
    reports = by_kind(progress, Target.REPORT)
    published = demo.reports.published().count()
    assert reports.done == published
    assert reports.summary.startswith(f"{published} av 4 rapporter")
