"""Incident reports from CSV: a preview, then all rows or none; errors by line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import IncidentReport
from promises.models import StagedUpload
from promises.tests.factories import login_verified

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:incidents_incidentreport_import")
GOOD = (
    "datum;kommundel;kategori;typ_av_plats;plats;tid_på_dygnet;antal\n"
    "2026-11-30;Handen;Klotter;Trapphus eller källare;Port 4;Kväll;3\n"
    "2026-11-29;jordbro;bränder;Parkering eller garage;;;\n"
)


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("händelser.csv", text.encode("utf-8-sig"), "text/csv")


def test_a_partner_previews_then_imports_every_row(
    client, partner_haninge, housing_company
):
    login_verified(client, partner_haninge)
    preview = client.post(IMPORT, {"file": upload(GOOD)})
    assert preview.status_code == 200
    assert preview.context["result"].ok
    assert not IncidentReport.objects.exists()
    assert "2 händelser importeras" in preview.content.decode()
    staged = StagedUpload.objects.get()
    response = client.post(IMPORT, {"upload": staged.pk, "confirm": "1"})
    assert response.status_code == 302
    reports = IncidentReport.objects.order_by("date")
    assert [(r.district.name, r.category.name, r.occurrences) for r in reports] == [
        ("Jordbro", "Bränder", 1),
        ("Handen", "Klotter", 3),
    ]
    assert {r.organisation for r in reports} == {housing_company}
    assert reports[1].part_of_day == IncidentReport.PartOfDay.EVENING
    assert reports[0].part_of_day == IncidentReport.PartOfDay.DAY
    assert not StagedUpload.objects.exists()


def test_one_bad_row_and_nothing_is_saved(client, partner_haninge, nynashamn):
    login_verified(client, partner_haninge)
    text = GOOD + (
        "2026-13-01;Handen;Klotter;Gård;;;\n"
        "2026-11-30;Sorunda;Klotter;Gård eller lekplats;;;\n"
        "2026-11-30;Handen;Okänt;Rymden;;middag;0\n"
        "2026-11-30;Handen;Klotter;Park;Ring 070-123 45 67;;\n"
        "2027-01-01;Handen;Klotter;Park;;;\n"
    )
    response = client.post(IMPORT, {"file": upload(text)})
    result = response.context["result"]
    assert not result.ok
    lines = result.error_lines()
    assert any(line.startswith("Rad 4: Datumet") for line in lines)
    assert any(line.startswith("Rad 5: Okänd kommundel ”Sorunda”") for line in lines)
    assert "Rad 6: Okänd kategori ”Okänt”." in lines
    assert "Rad 6: Okänd typ av plats ”Rymden”." in lines
    assert any(line.startswith("Rad 6: Tid på dygnet") for line in lines)
    assert any(line.startswith("Rad 6: Antal") for line in lines)
    assert any("telefonnummer" in line and line.startswith("Rad 7") for line in lines)
    assert any(
        "har inte varit än" in line and line.startswith("Rad 8") for line in lines
    )
    assert "Ingenting har sparats." in response.content.decode()
    assert not IncidentReport.objects.exists()
    assert not StagedUpload.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "tom"),  # the form's own error: the file is empty
        (b"datum;kommun\n", "Saknas: kommundel, kategori, typ_av_plats."),
        (b"datum;kommundel;kategori;typ_av_plats\n", "inga rader"),
        ("datum;kommundel\n\xe5".encode("latin-1"), "inte UTF-8"),
    ],
)
def test_a_file_that_is_not_a_list_of_incidents(
    client, partner_haninge, content, message
):
    login_verified(client, partner_haninge)
    file = SimpleUploadedFile("x.csv", content, "text/csv")
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncidentReport.objects.exists()


def test_the_coordinator_imports_for_the_municipality(
    client, coordinator_haninge, haninge_kommun
):
    login_verified(client, coordinator_haninge)
    client.post(IMPORT, {"file": upload(GOOD)})
    client.post(IMPORT, {"upload": StagedUpload.objects.get().pk, "confirm": "1"})
    assert {r.organisation for r in IncidentReport.objects.all()} == {haninge_kommun}


def test_the_import_leaves_history_as_every_change_does(
    client, partner_haninge, housing_company
):
    """Issue 23: the import wrote its rows with bulk_create, so their history
    pages were empty; now each row is "created" by the person who imported."""
    login_verified(client, partner_haninge)
    client.post(IMPORT, {"file": upload(GOOD)})
    staged = StagedUpload.objects.get()
    assert client.post(IMPORT, {"upload": staged.pk, "confirm": "1"}).status_code == 302
    for report in IncidentReport.objects.all():
        (record,) = report.history.all()
        assert record.history_type == "+"
        assert record.history_user == partner_haninge
        assert record.history_change_reason == "Importerad från CSV"
