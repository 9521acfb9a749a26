"""A commitment's page lists its own activities, and the open data says which
commitments each activity delivers (issue 20)."""

import csv
import io

from promises.models import Activity, Target
from promises.tests.factories import local, make_activity, make_commitment

OTHER = Activity.Kind.OTHER


def test_a_commitments_page_lists_its_own_activities_and_counts_only_them(
    client, promise_haninge
):
    drugs = make_commitment(
        promise_haninge,
        "Information om narkotika i krogmiljö",
        kind=OTHER,
        count=2,
        period=Target.Period.YEAR,
    )
    fraud = make_commitment(
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
            local(2026, 3, day),
            title=f"Krogbesök {day} mars",
            publication_level=Activity.PublicationLevel.DETAIL,
            commitments=[drugs],
        )
    base = "/haninge/2026/"
    drugs_page = client.get(f"{base}atagande/{drugs.pk}/").content.decode()
    assert "Krogbesök 3 mars" in drugs_page
    assert "2 av 2 aktiviteter" in drugs_page
    fraud_page = client.get(f"{base}atagande/{fraud.pk}/").content.decode()
    assert "Krogbesök" not in fraud_page
    assert "0 av 3 aktiviteter" in fraud_page
    assert "Inga aktiviteter är publicerade ännu." in fraud_page
    # The activity's page names the commitment it delivers.
    activity = drugs.activities.first()
    page = client.get(f"{base}aktivitet/{activity.pk}/").content.decode()
    assert "Hör till" in page
    assert f'href="{base}atagande/{drugs.pk}/">{drugs.title}</a>' in page

    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"{base}oppna-data/aktiviteter.csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert {row["rubrik"]: row["atagande_id"] for row in rows} == {
        "Krogbesök 3 mars": str(drugs.pk),
        "Krogbesök 10 mars": str(drugs.pk),
    }
    progress = {
        row["atagande"]: row["genomfort"]
        for row in csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"{base}oppna-data/framsteg.csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    }
    assert progress == {drugs.title: "2", fraud.title: "0"}
