"""The worked examples of docs/progress-rules.md, one test each (promise 2026)."""

import datetime

import pytest

from promises.models import Activity, Target
from promises.progress import (
    Occurrence,
    Status,
    periods,
    target_progress,
)

Kind = Activity.Kind
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def day(month, dom, year=2026):
    return datetime.date(year, month, dom)


def friday_deployments():
    return Target(
        kind=Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )


def progress(target, occurrences, as_of, starts_on=START, ends_on=END):
    return target_progress(
        target,
        starts_on=starts_on,
        ends_on=ends_on,
        occurrences=occurrences,
        as_of=as_of,
    )


def deployments(*days):
    return [Occurrence(Kind.DEPLOYMENT, d) for d in days]


def test_1_a_missed_friday_is_behind_and_a_thursday_never_counts():
    result = progress(
        friday_deployments(),
        deployments(day(1, 2), day(1, 9), day(1, 15), day(1, 23), day(1, 30)),
        as_of=day(1, 31),
    )
    assert result.status == Status.BEHIND
    assert result.summary == "4 av 5 fredagar"


def test_2_every_friday_is_on_track():
    result = progress(
        friday_deployments(),
        deployments(day(1, 2), day(1, 9), day(1, 16), day(1, 23), day(1, 30)),
        as_of=day(1, 31),
    )
    assert result.status == Status.ON_TRACK
    assert result.summary == "5 av 5 fredagar"


def test_an_extra_deployment_in_the_same_week_does_not_make_up_for_a_missed_one():
    # Two on Friday 2 January (same week), none in the week of 9 January.
    occurrences = [Occurrence(Kind.DEPLOYMENT, day(1, 2), count=2)]
    result = progress(friday_deployments(), occurrences, as_of=day(1, 10))
    assert result.status == Status.BEHIND
    assert result.summary == "1 av 2 fredagar"


def test_6_joint_inventories_per_half_year():
    target = Target(
        kind=Kind.INVENTORY, count=2, period=Target.Period.HALF_YEAR, joint=True
    )
    occurrences = [
        Occurrence(Kind.INVENTORY, day(3, 10), joint=True),
        Occurrence(Kind.INVENTORY, day(5, 12), joint=True),
        Occurrence(Kind.INVENTORY, day(4, 2), joint=False),  # police only
    ]
    result = progress(target, occurrences, as_of=day(8, 15))
    first, second = result.periods
    assert (first.done, first.met) == (2, True)
    assert (second.expected, second.done) == (0, 0)  # floor(2 × 46 / 184)
    assert result.status == Status.ON_TRACK
    assert result.summary == "2 av 4 trygghetsinventeringar hittills"


def test_7_a_half_year_short_of_joint_inventories_is_behind():
    target = Target(
        kind=Kind.INVENTORY, count=2, period=Target.Period.HALF_YEAR, joint=True
    )
    occurrences = [Occurrence(Kind.INVENTORY, day(3, 10), joint=True)]
    assert progress(target, occurrences, as_of=day(8, 15)).status == Status.BEHIND


def dialogues_in_districts(*districts):
    return [
        Occurrence(Kind.DIALOGUE, day(3 + i, 10), districts=frozenset([d]), joint=True)
        for i, d in enumerate(districts)
    ]


FOUR_DIALOGUES = Target(
    kind=Kind.DIALOGUE, count=4, period=Target.Period.YEAR, min_districts=4
)
HANDEN, JORDBRO, BRANDBERGEN, VEGA = 1, 2, 3, 4


def test_8_districts_are_not_held_against_a_year_still_running():
    occurrences = dialogues_in_districts(HANDEN, HANDEN, JORDBRO, BRANDBERGEN)
    result = progress(FOUR_DIALOGUES, occurrences, as_of=day(11, 25))
    assert result.periods[0].expected == 3  # floor(4 × 329 / 365)
    assert result.status == Status.ON_TRACK
    assert result.summary == "4 av 4 trygghetsdialoger, i 3 av 4 kommundelar"


def test_9_too_few_districts_when_the_year_has_ended_is_behind():
    occurrences = dialogues_in_districts(HANDEN, HANDEN, JORDBRO, BRANDBERGEN)
    result = progress(FOUR_DIALOGUES, occurrences, as_of=day(12, 31))
    assert result.status == Status.BEHIND


def test_10_four_dialogues_in_four_districts_is_done():
    occurrences = dialogues_in_districts(HANDEN, JORDBRO, BRANDBERGEN, VEGA)
    result = progress(FOUR_DIALOGUES, occurrences, as_of=day(9, 30))
    assert result.status == Status.DONE
    assert result.percent == 100


def test_11_nothing_done_and_no_period_ended_is_not_started():
    # Planned and cancelled activities never become occurrences (see the DB tests).
    target = Target(kind=Kind.DIALOGUE, count=4, period=Target.Period.YEAR)
    result = progress(target, [], as_of=day(3, 1))
    assert result.status == Status.NOT_STARTED


def test_not_started_before_the_promise_starts():
    target = Target(kind=Kind.DIALOGUE, count=4, period=Target.Period.YEAR)
    result = progress(target, [], as_of=day(12, 1, year=2025))
    assert result.status == Status.NOT_STARTED


def test_12_a_month_without_a_youth_visit_is_behind():
    target = Target(kind=Kind.YOUTH_VISIT, count=1, period=Target.Period.MONTH)
    occurrences = [
        Occurrence(Kind.YOUTH_VISIT, day(1, 20)),
        Occurrence(Kind.YOUTH_VISIT, day(3, 3)),
        Occurrence(Kind.YOUTH_VISIT, day(3, 24)),
    ]
    result = progress(target, occurrences, as_of=day(3, 31))
    assert result.status == Status.BEHIND
    assert result.summary == "3 besök, 2 av 3 månader"


def test_13_three_published_reports_of_four_at_year_end_is_behind():
    target = Target(kind=Target.REPORT, count=4, period=Target.Period.YEAR)
    occurrences = [
        Occurrence(Target.REPORT, day(3, 30)),
        Occurrence(Target.REPORT, day(6, 29)),
        Occurrence(Target.REPORT, day(9, 28)),
    ]
    result = progress(target, occurrences, as_of=day(12, 31))
    assert result.status == Status.BEHIND
    assert result.summary == "3 av 4 rapporter"


def test_14_a_commitment_without_a_count_shows_the_count_and_the_latest():
    target = Target(kind=Kind.PRESENCE, period=Target.Period.QUARTER)
    occurrences = [
        Occurrence(Kind.PRESENCE, day(1, 1) + datetime.timedelta(days=7 * i))
        for i in range(17)
    ]
    result = progress(target, occurrences, as_of=day(11, 25))
    assert result.status == Status.NO_TARGET
    assert result.summary == "17 insatser, senast 23 april 2026"


def test_15_iso_week_53_runs_across_the_new_year_as_one_period():
    weeks = periods(Target.Period.WEEK, day(7, 1), day(6, 30, year=2027))
    assert (day(12, 28), day(1, 3, year=2027)) in weeks
    assert weeks[0] == (day(7, 1), day(7, 5))  # clipped first week
    result = progress(
        friday_deployments(),
        deployments(day(1, 1, year=2027)),
        as_of=day(1, 3, year=2027),
        starts_on=day(7, 1),
        ends_on=day(6, 30, year=2027),
    )
    week_53 = next(p for p in result.periods if p.start == day(12, 28))
    assert (week_53.done, week_53.met) == (1, True)


def test_a_week_without_its_weekday_asks_for_nothing():
    # A promise ending on Wednesday 30 December: its last week has no Friday.
    weeks = progress(friday_deployments(), [], as_of=day(12, 31), ends_on=day(12, 30))
    assert weeks.periods[-1].required == 0
    assert weeks.periods[-1].met


@pytest.mark.parametrize(
    ("period", "count"),
    [
        (Target.Period.WEEK, 53),  # 2026 has ISO week 53, clipped at both ends
        (Target.Period.MONTH, 12),
        (Target.Period.QUARTER, 4),
        (Target.Period.HALF_YEAR, 2),
        (Target.Period.YEAR, 1),
    ],
)
def test_periods_of_a_calendar_year(period, count):
    result = periods(period, START, END)
    assert len(result) == count
    assert result[0][0] == START
    assert result[-1][1] == END
