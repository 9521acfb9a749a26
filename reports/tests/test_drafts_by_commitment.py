"""The quarterly report's draft tells each commitment what was done for it, not
what was done of its kind for another (issue 20)."""

import time_machine

from promises.models import Activity, Target
from promises.tests.factories import local, make_activity, make_commitment
from reports import workflows

OTHER = Activity.Kind.OTHER


def test_a_draft_tells_each_commitment_its_own_activities(promise_haninge):
    drugs = make_commitment(
        promise_haninge,
        "Information om narkotika i krogmiljö",
        kind=OTHER,
        count=2,
        period=Target.Period.YEAR,
    )
    make_commitment(
        promise_haninge,
        "Information mot bedrägerier",
        kind=OTHER,
        count=3,
        period=Target.Period.YEAR,
    )
    for day in (3, 10):
        make_activity(
            promise_haninge,
            OTHER,
            local(2026, 8, day),
            publication_level=Activity.PublicationLevel.DETAIL,
            commitments=[drugs],
        )
    with time_machine.travel("2026-10-05 10:00 +02:00"):
        body = workflows.draft_text(promise_haninge, 2026, 3)
    drugs_paragraph, fraud_paragraph = (
        paragraph
        for paragraph in body.split("\n\n")
        if paragraph.startswith("Vi har lovat")
    )
    assert "Information om narkotika" in drugs_paragraph
    assert "Under kvartalet" in drugs_paragraph and " 2 " in drugs_paragraph
    assert "Information mot bedrägerier" in fraud_paragraph
    assert "Under kvartalet blev det inga" in fraud_paragraph
