"""The quarterly report's draft tells a municipality's own kind of work in its
own words (issue 20, item 2)."""

import time_machine

from promises.models import Activity, Kind, Target
from promises.tests.factories import local, make_activity, make_commitment
from reports import workflows


def test_a_draft_says_the_kinds_own_words(promise_haninge):
    kind = Kind.objects.create(
        municipality=promise_haninge.municipality, name="Tillsyn", plural="tillsyner"
    )
    commitment = make_commitment(
        promise_haninge,
        "Tillsyn av serveringsställen",
        kind=kind.code,
        count=4,
        period=Target.Period.YEAR,
    )
    make_commitment(
        promise_haninge,
        "Informationskampanjer",
        kind=Kind.objects.create(
            municipality=promise_haninge.municipality,
            name="Informationskampanj",
            plural="informationskampanjer",
        ).code,
        count=2,
        period=Target.Period.YEAR,
    )
    for day in (3, 10):
        make_activity(
            promise_haninge,
            kind.code,
            local(2026, 8, day),
            publication_level=Activity.PublicationLevel.DETAIL,
            commitments=[commitment],
        )
    with time_machine.travel("2026-10-05 10:00 +02:00"):
        body = workflows.draft_text(promise_haninge, 2026, 3)
    own, campaigns = (
        paragraph
        for paragraph in body.split("\n\n")
        if paragraph.startswith("Vi har lovat")
    )
    assert "4 tillsyner" in own
    assert "Under kvartalet gjorde vi 2 tillsyner." in own
    assert "Under kvartalet blev det inga informationskampanjer." in campaigns
