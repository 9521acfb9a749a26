"""The overview's first screen answers "how is it going?", through the HTTP client.

One sentence counts the commitments with a measurable target that are done or on
track; then the next safety dialogue and the districts, before the introduction
(folded away in a <details>) and the progress of each commitment. At 360 × 740 in
a browser: staff/tests/test_narrow_screens.py.
"""

import datetime

import pytest

from promises.models import Activity, Target
from promises.tests.factories import local, make_activity, make_commitment, make_promise

pytestmark = pytest.mark.django_db

# The suite's day is Tuesday 1 December 2026: 48 Fridays have passed.
FRIDAYS = [datetime.date(2026, 1, 2) + datetime.timedelta(weeks=n) for n in range(48)]


@pytest.fixture
def promise(promise_haninge):
    """Four commitments: four dialogues a year, every Friday, two inventories a
    half-year, and visible presence, followed up without a measurable target (one
    done)."""
    Kind, Period = Activity.Kind, Target.Period
    for title, kind, count, period in [
        ("Trygghetsdialoger", Kind.DIALOGUE, 4, Period.YEAR),
        ("Fredagsutsättningar", Kind.DEPLOYMENT, 1, Period.WEEK),
        ("Trygghetsinventeringar", Kind.INVENTORY, 2, Period.HALF_YEAR),
        ("Synlig polisnärvaro", Kind.PRESENCE, None, Period.QUARTER),
    ]:
        make_commitment(
            promise_haninge,
            title,
            kind=kind,
            count=count,
            period=period,
            weekday=Target.Weekday.FRIDAY if kind == Kind.DEPLOYMENT else None,
        )
    make_activity(promise_haninge, Kind.PRESENCE, local(2026, 2, 3))
    return promise_haninge


def dialogues(promise, months):
    for month in months:
        make_activity(promise, Activity.Kind.DIALOGUE, local(2026, month, 10, 18))


def deployments(promise, days):
    for day in days:
        make_activity(
            promise, Activity.Kind.DEPLOYMENT, local(day.year, day.month, day.day)
        )


def inventories(promise, months):
    for month in months:
        make_activity(promise, Activity.Kind.INVENTORY, local(2026, month, 15))


def overview(client, promise=None) -> str:
    year = promise.year if promise else 2026
    response = client.get(f"/haninge/{year}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_counts_the_commitments_with_a_measurable_target_done_or_on_track(
    client, promise
):
    dialogues(promise, [3, 5, 9, 11])  # done: four this year
    deployments(promise, FRIDAYS[:40])  # behind: 40 of 48 Fridays
    inventories(promise, [3, 5, 9, 10])  # done: two each half-year
    html = overview(client)
    assert "2 av 3 åtaganden med mätbart mål är klara eller i fas." in html


def test_one_done_or_on_track_reads_in_the_singular(client, promise):
    dialogues(promise, [3, 5, 9, 11])
    html = overview(client)
    assert "1 av 3 åtaganden med mätbart mål är klart eller i fas." in html


def test_none_done_or_on_track(client, promise):
    deployments(promise, FRIDAYS[:10])
    assert "0 av 3 åtaganden med mätbart mål är klara eller i fas." in overview(client)


def test_all_done_or_on_track(client, promise):
    dialogues(promise, [3, 5, 9, 11])
    deployments(promise, FRIDAYS)  # on track: every Friday so far
    inventories(promise, [3, 5, 9, 10])
    html = overview(client)
    assert "Alla 3 åtaganden med mätbart mål är klara eller i fas." in html
    assert "48 av 48 fredagar" in html


def test_a_commitment_is_on_track_only_when_each_of_its_targets_is(client, promise):
    """Two targets of one commitment: the commitment counts once, and only when
    both are done or on track."""
    dialogues_commitment = promise.focus_areas.get().commitments.get(
        title="Trygghetsdialoger"
    )
    Target.objects.create(
        commitment=dialogues_commitment,
        kind=Activity.Kind.YOUTH_VISIT,
        count=1,
        period=Target.Period.MONTH,
    )
    dialogues(promise, [3, 5, 9, 11])
    inventories(promise, [3, 5, 9, 10])
    html = overview(client)
    assert "1 av 3 åtaganden med mätbart mål är klart eller i fas." in html


def test_a_single_measurable_commitment(client, promise_haninge):
    make_commitment(
        promise_haninge,
        "Trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
    )
    dialogues(promise_haninge, [3])
    html = overview(client)
    assert "0 av 1 åtagande med mätbart mål är klart eller i fas." in html


def test_before_anything_is_registered_it_says_so_instead(client, promise):
    promise.activities.all().delete()
    html = overview(client)
    assert "Inget har registrerats ännu." in html
    assert "med mätbart mål" not in html


def test_a_promise_not_begun_says_when_it_begins_instead(client, promise_haninge):
    next_year = make_promise(promise_haninge.municipality, 2027)
    make_commitment(
        next_year,
        "Trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
    )
    html = overview(client, next_year)
    assert "Börjar 1 januari 2027." in html
    assert "med mätbart mål" not in html
    first_screen = html[: html.index('id="progress-heading"')]
    assert "Börjar 1 januari 2027." in first_screen


def test_the_first_screen_has_the_answer_the_next_dialogue_and_the_districts(
    client, promise
):
    promise.introduction = "Samverkan mellan kommun och polis är viktigt."
    promise.save()
    dialogues(promise, [3, 5, 9, 11])
    for day, title in [(15, "Trygghetsdialog i Vega"), (8, "Trygghetsdialog i Handen")]:
        make_activity(
            promise,
            Activity.Kind.DIALOGUE,
            local(2026, 12, day, 18),
            status=Activity.Status.PLANNED,
            title=title,
        )
    html = overview(client)
    next_dialogue = html[html.index('id="next-dialogue"') :].split("</p>")[0]
    assert "Nästa trygghetsdialog:" in next_dialogue
    assert "Trygghetsdialog i Handen" in next_dialogue  # the first, not the next
    assert "tisdag 8 december 2026, 18:00" in next_dialogue
    handen = promise.activities.get(title="Trygghetsdialog i Handen")
    assert f'href="{handen.get_absolute_url()}"' in next_dialogue
    districts = html[html.index('id="choose-district"') :].split("</nav>")[0]
    assert "Välj din kommundel" in districts
    for name, slug in [("Handen", "handen"), ("Jordbro", "jordbro"), ("Vega", "vega")]:
        assert f'<a href="/haninge/2026/kommundel/{slug}/">{name}</a>' in districts
    # In this order, and the introduction folded away below them.
    order = [
        'id="how-is-it-going"',
        'id="next-dialogue"',
        'id="choose-district"',
        "<details",
        "Samverkan mellan kommun och polis är viktigt.",
        "</details>",
        'id="progress-heading"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    # Every dialogue still has its place in the list further down.
    announced = html[html.index('id="announced-heading"') :]
    assert "Trygghetsdialog i Vega" in announced
    assert "Trygghetsdialog i Handen" in announced


def test_without_a_dialogue_to_come_there_is_no_next_one(client, promise):
    dialogues(promise, [3])
    html = overview(client)
    assert 'id="next-dialogue"' not in html
    assert "Inga trygghetsdialoger är inplanerade just nu." in html
