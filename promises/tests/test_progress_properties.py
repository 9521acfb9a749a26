"""Counting rules of the progress engine, checked on generated data (hypothesis)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from promises.models import Activity, Target
from promises.periods import calendar_period, periods
from promises.progress import Occurrence, target_progress

Kind = Activity.Kind
PERIODS = st.sampled_from(Target.Period.values)


@st.composite
def promise_span(draw):
    starts_on = draw(
        st.dates(
            min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31)
        )
    )
    length = draw(st.integers(min_value=1, max_value=800))
    return starts_on, starts_on + datetime.timedelta(days=length)


@st.composite
def scenario(draw, weekday=None):
    starts_on, ends_on = draw(promise_span())
    span = (ends_on - starts_on).days
    days = st.integers(min_value=-10, max_value=span + 10).map(
        lambda offset: starts_on + datetime.timedelta(days=offset)
    )
    occurrences = draw(
        st.lists(
            st.builds(
                Occurrence,
                kind=st.sampled_from([Kind.DIALOGUE, Kind.INVENTORY]),
                day=days,
                count=st.integers(min_value=1, max_value=3),
                districts=st.frozensets(st.integers(1, 6), max_size=3),
                joint=st.booleans(),
            ),
            max_size=40,
        )
    )
    target = Target(
        kind=Kind.DIALOGUE,
        count=draw(st.integers(min_value=1, max_value=6)),
        period=draw(PERIODS),
        weekday=weekday,
        min_districts=draw(st.none() | st.integers(min_value=1, max_value=4)),
        joint=draw(st.booleans()),
    )
    as_of = draw(days)
    return target, starts_on, ends_on, occurrences, as_of


def run(target, starts_on, ends_on, occurrences, as_of):
    return target_progress(
        target,
        starts_on=starts_on,
        ends_on=ends_on,
        occurrences=occurrences,
        as_of=as_of,
    )


def outcome(result):
    """What progress says of a target: its status and every period's numbers."""
    return result.status, result.periods


@given(promise_span(), PERIODS)
def test_periods_cover_the_promise_without_gaps_each_in_one_calendar_period(
    span, period
):
    starts_on, ends_on = span
    result = periods(period, starts_on, ends_on)
    assert result[0][0] == starts_on
    assert result[-1][1] == ends_on
    for (_, end), (next_start, _) in zip(result, result[1:], strict=False):
        assert next_start == end + datetime.timedelta(days=1)
    for start, end in result:
        calendar_start, calendar_end = calendar_period(period, start)
        assert calendar_start <= start <= end <= calendar_end


@given(scenario())
def test_done_counts_exactly_the_qualifying_activities_so_far(case):
    target, starts_on, ends_on, occurrences, as_of = case
    result = run(*case)
    expected = sum(
        o.count
        for o in occurrences
        if o.kind == target.kind
        and (o.joint or not target.joint)
        and starts_on <= o.day <= min(ends_on, as_of)
    )
    assert result.done == expected


@given(scenario())
def test_activities_of_other_kinds_or_not_joint_change_nothing(case):
    target, starts_on, ends_on, occurrences, as_of = case
    target.joint = True
    others = [o for o in occurrences if o.kind != target.kind or not o.joint]
    kept = [o for o in occurrences if o not in others]
    assert outcome(run(target, starts_on, ends_on, occurrences, as_of)) == outcome(
        run(target, starts_on, ends_on, kept, as_of)
    )


@given(scenario(weekday=Target.Weekday.FRIDAY))
def test_a_weekday_target_counts_weeks_with_an_activity_on_that_weekday(case):
    target, starts_on, ends_on, occurrences, as_of = case
    target.joint = False
    result = run(*case)
    weeks = {
        o.day.isocalendar()[:2]
        for o in occurrences
        if o.kind == target.kind
        and o.day.isoweekday() == 5
        and starts_on <= o.day <= min(ends_on, as_of)
    }
    if target.period == Target.Period.WEEK:
        assert result.done == len(weeks)
    assert result.done <= len(weeks) + len(result.periods)  # a week split by periods
    # A second activity on a Friday already counted, or more on other days,
    # change nothing.
    extra = [
        Occurrence(target.kind, o.day) for o in occurrences if o.kind == target.kind
    ]
    assert outcome(run(target, starts_on, ends_on, occurrences + extra, as_of)) == (
        outcome(result)
    )


@given(scenario(), st.integers(min_value=1, max_value=60))
def test_what_is_expected_never_exceeds_the_target_and_grows_with_time(case, days):
    target, starts_on, ends_on, occurrences, as_of = case
    earlier = run(*case)
    later = run(
        target, starts_on, ends_on, occurrences, as_of + datetime.timedelta(days)
    )
    for before, after in zip(earlier.periods, later.periods, strict=True):
        assert 0 <= before.expected <= before.required
        assert before.expected <= after.expected


@given(scenario())
def test_done_means_every_period_met(case):
    result = run(*case)
    if result.status == "done":
        assert all(p.met for p in result.periods)
        assert result.percent == 100
