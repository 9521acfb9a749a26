"""Publishing reports and evaluations in the admin: one mechanism for both, and
for promises (promises.models.Publishable, promises.admin.PublishableAdmin)."""

import pytest
from django.db import IntegrityError, transaction

from promises.tests.factories import login_verified, make_promise
from reports.models import Evaluation, QuarterlyReport

pytestmark = pytest.mark.django_db

PERSONAL_DATA = "Kontakta anna.andersson@example.se"


def messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_created_as_published_a_report_is_stamped_as_a_promise_is(promise_haninge):
    report = QuarterlyReport.objects.create(
        promise=promise_haninge,
        year=2026,
        quarter=1,
        title="Kvartal 1",
        body="Text",
        status=QuarterlyReport.Status.PUBLISHED,
    )
    assert report.published_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReport.objects.filter(pk=report.pk).update(published_at=None)


@pytest.fixture
def evaluations(haninge):
    """A draft, a draft that breaks the rules (written behind the forms) and one
    published in 2025."""
    draft = Evaluation.objects.create(
        promise=make_promise(haninge, 2026), summary="Så gick det."
    )
    broken = Evaluation.objects.create(
        promise=make_promise(haninge, 2024), summary=PERSONAL_DATA
    )
    published = Evaluation.objects.create(
        promise=make_promise(haninge, 2025),
        summary="Redan publicerad.",
        status=Evaluation.Status.PUBLISHED,
    )
    return draft, broken, published


def test_publish_publishes_the_valid_drafts_and_says_how_many(
    client, coordinator_haninge, evaluations
):
    draft, broken, published = evaluations
    first_published_at = published.published_at
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/evaluation/",
        {
            "action": "publish",
            "_selected_action": [e.pk for e in evaluations],
        },
        follow=True,
    )
    draft.refresh_from_db()
    broken.refresh_from_db()
    published.refresh_from_db()
    assert draft.is_published
    assert not broken.is_published and broken.published_at is None
    assert published.published_at == first_published_at
    assert messages(response) == [
        f"”{broken}” publicerades inte: Texten ser ut att innehålla en e-postadress. "
        "Publik text får inte innehålla personuppgifter – ta bort uppgiften och "
        "spara igen.",
        "1 utvärdering publicerades.",
    ]


def test_publish_says_so_in_the_plural(client, coordinator_haninge, haninge):
    evaluations = [
        Evaluation.objects.create(promise=make_promise(haninge, year), summary="Text")
        for year in (2025, 2026)
    ]
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/evaluation/",
        {"action": "publish", "_selected_action": [e.pk for e in evaluations]},
        follow=True,
    )
    assert messages(response) == ["2 utvärderingar publicerades."]


def test_a_report_that_fails_validation_shows_no_publication_time(
    client, coordinator_haninge, promise_haninge
):
    report = QuarterlyReport.objects.create(
        promise=promise_haninge, year=2026, quarter=2, title="Kvartal 2", body="Text"
    )
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"/admin/reports/quarterlyreport/{report.pk}/change/",
        {
            "promise": promise_haninge.pk,
            "year": "2026",
            "quarter": "2",
            "title": "Kvartal 2",
            "body": PERSONAL_DATA,
            "status": "published",
            "channels-TOTAL_FORMS": "0",
            "channels-INITIAL_FORMS": "0",
            "channels-MIN_NUM_FORMS": "0",
            "channels-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "body" in form.errors
    assert form.instance.published_at is None
    html = response.content.decode()
    published_at = html[html.index("field-published_at") :]
    assert '<div class="readonly">-</div>' in published_at[:600]
    report.refresh_from_db()
    assert not report.is_published and report.published_at is None
