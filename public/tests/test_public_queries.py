"""Public pages run the same number of SQL queries whatever the data volume."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import Activity, DialogueTopic, Finding, Target
from promises.tests.factories import local, make_activity, make_commitment
from reports.models import QuarterlyReport

KINDS = [
    (Activity.Kind.DIALOGUE, 4, Target.Period.YEAR),
    (Activity.Kind.DEPLOYMENT, 1, Target.Period.WEEK),
    (Activity.Kind.INVENTORY, 2, Target.Period.HALF_YEAR),
    (Activity.Kind.PRESENCE, None, Target.Period.QUARTER),
]


# Findings in each outcome (issue 13), and dialogue topics answered by them.
OUTCOMES = [
    {},
    {"status": "fixed", "fixed_on": datetime.date(2026, 11, 1)},
    {"status": "planned", "planned_on": datetime.date(2027, 3, 1)},
    {"status": "referred", "referred_to": "Trafikverket"},
    {"status": "not_fixed", "not_fixed_reason": "Platsen byggs om."},
]


def add_activities(promise, per_commitment, districts, organisations):
    finding = None
    for kind, _, _ in reversed(KINDS):  # inventories before dialogues
        for i in range(per_commitment):
            activity = make_activity(
                promise,
                kind,
                local(2026, 1, 2) + datetime.timedelta(days=7 * (i % 40)),
                districts=districts[: 1 + i % len(districts)],
                organisations=organisations,
                place_type=Activity.PlaceType.HUB,
            )
            if kind == Activity.Kind.INVENTORY:
                finding = Finding.objects.create(
                    inventory=activity,
                    district=districts[0],
                    category=Finding.Category.LIGHTING,
                    place=f"Plats {i}",
                    **OUTCOMES[i % len(OUTCOMES)],
                )
            if kind == Activity.Kind.DIALOGUE:
                topic = DialogueTopic.objects.create(
                    dialogue=activity, text=f"Ämne {i}", finding=finding
                )
                topic.districts.set(districts[:1])


def add_reports(promise, quarters):
    for quarter in quarters:
        QuarterlyReport.objects.create(
            promise=promise,
            year=2026,
            quarter=quarter,
            title=f"Kvartal {quarter}",
            body="Så gick det.",
            status=QuarterlyReport.Status.PUBLISHED,
            published_at=local(2026, 3 * quarter, 28),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), url
    return len(queries)


@pytest.mark.django_db
def test_each_public_page_runs_a_fixed_number_of_queries(
    client, promise_haninge, haninge, police, haninge_kommun
):
    commitments = [
        make_commitment(
            promise_haninge, f"Åtagande {kind}", kind=kind, count=n, period=p
        )
        for kind, n, p in KINDS
    ]
    districts = list(haninge.districts.all())
    organisations = [police, haninge_kommun]
    add_activities(promise_haninge, 1, districts, organisations)
    inventory = Activity.objects.filter(kind=Activity.Kind.INVENTORY).first()
    dialogue = Activity.objects.filter(kind=Activity.Kind.DIALOGUE).first()
    urls = [
        "/",
        "/haninge/2026/",
        *[f"/haninge/2026/atagande/{c.pk}/" for c in commitments],
        f"/haninge/2026/kommundel/{districts[0].slug}/",
        inventory.get_absolute_url(),
        dialogue.get_absolute_url(),
        "/tillganglighet/",
    ]
    urls += ["/haninge/2026/rapporter/", "/haninge/rapporter.atom"]
    urls += [
        "/haninge/2026/rapporter/2026/kvartal-1/",
        "/haninge/2026/inbaddning/",
        "/haninge/2026/oppna-data/",
        "/haninge/2026/trygghetsdialoger.ics",
    ]
    add_reports(promise_haninge, [1])
    # Measured as rendered: the national pages stay cached through Haninge's
    # changes (staff/tests/test_cache_per_municipality.py).
    cache.clear()
    few = {url: count_queries(client, url) for url in urls}
    add_activities(promise_haninge, 49, districts, organisations)
    add_reports(promise_haninge, [2, 3, 4])
    cache.clear()
    many = {url: count_queries(client, url) for url in urls}
    assert many == few
    assert max(few.values()) <= 16


@pytest.mark.django_db
def test_the_overview_query_count_is_locked(
    client, promise_haninge, haninge, police, haninge_kommun, django_assert_num_queries
):
    for kind, n, p in KINDS:
        make_commitment(
            promise_haninge, f"Åtagande {kind}", kind=kind, count=n, period=p
        )
    add_activities(promise_haninge, 3, list(haninge.districts.all()), [police])
    # promise, targets and activity days for progress (no target counts reports
    # or evaluations, so their days are not asked for), focus areas, commitments
    # and the parties that promise them, latest activities and their districts, weeks held, announced dialogues
    # (none, so no districts for them), districts, other years, reports and
    # evaluation to link.
    with django_assert_num_queries(14):
        client.get("/haninge/2026/")
