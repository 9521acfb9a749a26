"""The Friday deployments' figures agree, and say what they count.

The progress rule counts the weeks with a deployment on a Friday ("3 av 48
fredagar"); the list of weeks held shows every week with a deployment, and names
the day of one moved off the Friday ("v. 25 (torsdag)"), in local time.
"""

import datetime

import pytest

from promises.models import Activity
from promises.tests.factories import local, make_activity, make_commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def fridays(promise_haninge):
    """Every Friday, as Haninge promises."""
    return make_commitment(
        promise_haninge,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period="week",
        weekday=5,
    )


def deployment(promise, starts_at, reason=""):
    return make_activity(
        promise, Activity.Kind.DEPLOYMENT, starts_at, not_friday_reason=reason
    )


def pages(client, promise, commitment) -> list[str]:
    return [
        client.get(url).content.decode()
        for url in [
            f"/haninge/{promise.year}/",
            f"/haninge/{promise.year}/atagande/{commitment.pk}/",
        ]
    ]


def weeks_held(html: str) -> str:
    return html[html.index('<p class="weeks">') :].split("</p>")[0]


def test_a_week_moved_off_the_friday_is_listed_with_its_day_and_not_counted(
    client, promise_haninge, fridays
):
    for day in [5, 12]:  # Fridays, weeks 23 and 24
        deployment(promise_haninge, local(2026, 6, day, 14))
    deployment(promise_haninge, local(2026, 6, 18, 14), reason="Midsommarafton")
    deployment(promise_haninge, local(2026, 6, 26, 14))  # week 26
    overview, commitment = pages(client, promise_haninge, fridays)
    assert "Utsättning har hållits 4 veckor, 3 av dem på en fredag." in overview
    assert "Gemensam utsättning" not in overview
    for html in [overview, commitment]:
        assert weeks_held(html) == (
            '<p class="weeks">v.&nbsp;23, v.&nbsp;24, v.&nbsp;25&nbsp;(torsdag), '
            "v.&nbsp;26"
        )
        assert "3 av 48 fredagar" in html  # the progress rule: Fridays only
        assert "Inom parentes: veckor då utsättningen hölls en annan dag" in html
    assert '<td data-label="Uppfyllt">Nej</td>' in commitment  # week 25


def test_a_week_with_a_friday_deployment_is_a_friday_week(
    client, promise_haninge, fridays
):
    """An extra deployment on the Thursday does not mark the week as moved."""
    deployment(promise_haninge, local(2026, 6, 18, 14), reason="Extra insats")
    deployment(promise_haninge, local(2026, 6, 19, 14))
    overview, commitment = pages(client, promise_haninge, fridays)
    assert "Utsättning har hållits 1 vecka, på en fredag." in overview
    for html in [overview, commitment]:
        assert weeks_held(html) == '<p class="weeks">v.&nbsp;25'
        assert "Inom parentes" not in html


def test_the_day_is_the_local_day(client, promise_haninge, fridays):
    """Friday 23:30 in Stockholm is Friday; Saturday 00:30 there is Saturday,
    although it is still Friday in UTC."""
    deployment(promise_haninge, local(2026, 1, 23, 23, 30))  # week 4
    deployment(promise_haninge, local(2026, 1, 31, 0, 30), reason="Väder")  # week 5
    overview, commitment = pages(client, promise_haninge, fridays)
    assert "Utsättning har hållits 2 veckor, 1 av dem på en fredag." in overview
    assert weeks_held(overview) == (
        '<p class="weeks">v.&nbsp;4, v.&nbsp;5&nbsp;(lördag)'
    )


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ([(6, 5), (6, 12)], "Utsättning har hållits 2 veckor, alla på en fredag."),
        ([(6, 18)], "Utsättning har hållits 1 vecka, inte på en fredag."),
        (
            [(6, 18), (6, 24)],
            "Utsättning har hållits 2 veckor, ingen av dem på en fredag.",
        ),
    ],
)
def test_the_sentence_reads_for_every_count(
    client, promise_haninge, fridays, days, words
):
    for month, day in days:
        starts_at = local(2026, month, day, 14)
        friday = datetime.date(2026, month, day).isoweekday() == 5
        deployment(promise_haninge, starts_at, reason="" if friday else "Flyttad")
    overview, _ = pages(client, promise_haninge, fridays)
    assert words in overview
