"""Progress computed from activities in the database: local time, statuses, queries."""

import datetime

import pytest

from promises.models import Activity, Organisation, Target
from promises.progress import Status, promise_progress
from promises.tests.factories import local, make_activity, make_commitment

UTC = datetime.UTC


@pytest.fixture
def fridays(promise_haninge):
    return make_commitment(
        promise_haninge,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )


def deployment_weeks(promise, as_of):
    (progress,) = promise_progress(promise, as_of).targets
    return progress


@pytest.mark.django_db
def test_3_friday_2330_stockholm_is_a_friday(promise_haninge, fridays):
    starts_at = datetime.datetime(2026, 1, 23, 22, 30, tzinfo=UTC)
    make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, starts_at)
    progress = deployment_weeks(promise_haninge, datetime.date(2026, 1, 24))
    week_4 = progress.periods[3]
    assert (week_4.start, week_4.done) == (datetime.date(2026, 1, 19), 1)


@pytest.mark.django_db
def test_4_saturday_0030_stockholm_is_not_a_friday(promise_haninge, fridays):
    starts_at = datetime.datetime(2026, 1, 23, 23, 30, tzinfo=UTC)  # Sat 00:30 local
    make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        starts_at,
        not_friday_reason="Flyttad till lördag natt",
    )
    progress = deployment_weeks(promise_haninge, datetime.date(2026, 1, 24))
    assert progress.done == 0
    assert progress.summary == "0 av 4 fredagar"


@pytest.mark.django_db
def test_5_friday_2330_in_summer_time_is_a_friday(promise_haninge, fridays):
    starts_at = datetime.datetime(2026, 6, 26, 21, 30, tzinfo=UTC)
    make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, starts_at)
    progress = deployment_weeks(promise_haninge, datetime.date(2026, 6, 27))
    (week,) = [p for p in progress.periods if p.start == datetime.date(2026, 6, 22)]
    assert week.done == 1


@pytest.mark.django_db
def test_only_done_activities_of_the_kind_count(promise_haninge, haninge):
    make_commitment(
        promise_haninge,
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
        min_districts=4,
    )
    handen, jordbro = haninge.districts.filter(name__in=["Handen", "Jordbro"])
    for status in [Activity.Status.PLANNED, Activity.Status.CANCELLED]:
        make_activity(promise_haninge, starts_at=local(2026, 2, 3), status=status)
    make_activity(promise_haninge, Activity.Kind.INVENTORY, local(2026, 2, 4))
    (progress,) = promise_progress(promise_haninge, datetime.date(2026, 3, 1)).targets
    assert progress.status == Status.NOT_STARTED

    make_activity(promise_haninge, starts_at=local(2026, 2, 5), districts=[handen])
    make_activity(
        promise_haninge, starts_at=local(2026, 2, 6), districts=[handen, jordbro]
    )
    (progress,) = promise_progress(promise_haninge, datetime.date(2026, 3, 1)).targets
    assert progress.done == 2
    assert progress.summary == "2 av 4 trygghetsdialoger, i 2 av 4 kommundelar"
    assert progress.status == Status.ON_TRACK


@pytest.mark.django_db
def test_joint_counts_only_when_police_and_municipality_took_part(
    promise_haninge, police, haninge_kommun
):
    make_commitment(
        promise_haninge,
        kind=Activity.Kind.INVENTORY,
        count=2,
        period=Target.Period.HALF_YEAR,
        joint=True,
    )
    partner = Organisation.objects.create(
        name="Haninge Bostäder", kind=Organisation.Kind.PARTNER
    )
    make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 2, 3),
        organisations=[police],
    )
    make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 2, 4),
        organisations=[police, partner],
    )
    make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 3, 4),
        organisations=[police, haninge_kommun, partner],
    )
    (progress,) = promise_progress(promise_haninge, datetime.date(2026, 7, 1)).targets
    assert progress.periods[0].done == 1
    assert progress.status == Status.BEHIND


def fill(promise, per_kind, districts, organisations):
    for kind in [
        Activity.Kind.DEPLOYMENT,
        Activity.Kind.DIALOGUE,
        Activity.Kind.PRESENCE,
    ]:
        for i in range(per_kind):
            make_activity(
                promise,
                kind,
                local(2026, 1, 2) + datetime.timedelta(days=7 * i),
                districts=districts[: 1 + i % len(districts)],
                organisations=organisations,
            )


@pytest.mark.django_db
def test_progress_of_a_promise_takes_the_same_queries_whatever_the_volume(
    promise_haninge, haninge, police, haninge_kommun, django_assert_num_queries
):
    for kind, count, period in [
        (Activity.Kind.DEPLOYMENT, 1, Target.Period.WEEK),
        (Activity.Kind.DIALOGUE, 4, Target.Period.YEAR),
        (Activity.Kind.PRESENCE, None, Target.Period.QUARTER),
    ]:
        make_commitment(promise_haninge, kind=kind, count=count, period=period)
    districts = list(haninge.districts.all())
    fill(promise_haninge, 1, districts, [police, haninge_kommun])
    # The targets and their kinds' stored days: no target counts publications.
    with django_assert_num_queries(2):
        few = promise_progress(promise_haninge, datetime.date(2026, 12, 31))
    fill(promise_haninge, 49, districts, [police, haninge_kommun])
    with django_assert_num_queries(2):
        many = promise_progress(promise_haninge, datetime.date(2026, 12, 31))
    assert [p.activity_count for p in few.targets] == [1, 1, 1]
    assert [p.activity_count for p in many.targets] == [50, 50, 50]
    # A target that counts the quarterly reports: one query more, for their days.
    make_commitment(
        promise_haninge, kind=Target.REPORT, count=4, period=Target.Period.YEAR
    )
    with django_assert_num_queries(3):
        promise_progress(promise_haninge, datetime.date(2026, 12, 31))
