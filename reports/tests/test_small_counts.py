"""An indicator that hides small counts (the lägesbild's published counts) takes
no total that would give a hidden count away: no value for the year beside its
quarters, none for the municipality beside its districts. Refused in the CSV
import and in the admin, for every staff member; the evaluation shows the
districts alone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from promises.tests.factories import login_verified
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

IMPORT = "/admin/reports/indicatorvalue/importera/"
ADD = "/admin/reports/indicatorvalue/add/"
HEADER = "indikator;kommun;kommundel;år;värde\n"


@pytest.fixture
def fires(haninge):
    """The quarterly counts per district, as "Publicera antal" writes them: Vega's
    first quarter (3) shows as "färre än 5"."""
    indicator = Indicator.objects.create(
        municipality=haninge,
        name="Händelser: bränder",
        unit="antal",
        source="Samverkansparters rapporter (EST)",
        hides_small_counts=True,
    )
    vega = haninge.districts.get(name="Vega")
    for quarter, value in [(1, 3), (2, 5), (3, 6), (4, 4)]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=haninge,
            district=vega,
            year=2026,
            quarter=quarter,
            value=value,
        )
    return indicator


def message(existing: str, new: str) -> str:
    return (
        "Indikatorn ”Händelser: bränder” visar inte antal under 5, och för 2026 finns "
        f"redan värden per {existing}. Ett värde per {new} bredvid dem skulle låta "
        "vem som helst räkna ut de dolda antalen: lägg in värden per "
        f"{existing} i stället."
    )


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("v.csv", text.encode(), "text/csv")


@pytest.mark.parametrize("persona", ["coordinator_haninge", "superuser"])
@pytest.mark.parametrize(
    ("row", "new"),
    [
        ("Händelser: bränder;Haninge;Vega;2026;18", "kommundel och helår"),
        ("Händelser: bränder;Haninge;;2026;18", "hela kommunen och helår"),
    ],
)
def test_the_import_refuses_a_total_beside_hidden_counts(
    client, request, fires, persona, row, new
):
    login_verified(client, request.getfixturevalue(persona))
    response = client.post(IMPORT, {"file": upload(HEADER + row + "\n")})
    assert response.status_code == 200
    assert response.context["result"].error_lines() == [
        "Rad 2: " + message("kommundel och kvartal", new)
    ]
    assert IndicatorValue.objects.filter(quarter=None).count() == 0


def test_the_import_refuses_a_municipality_total_beside_districts_in_the_file(
    client, coordinator_haninge, fires
):
    IndicatorValue.objects.filter(indicator=fires).delete()
    login_verified(client, coordinator_haninge)
    text = (
        HEADER + "Händelser: bränder;Haninge;Vega;2026;18\n"
        "Händelser: bränder;Haninge;;2026;40\n"
    )
    response = client.post(IMPORT, {"file": upload(text)})
    assert response.context["result"].error_lines() == [
        "Rad 3: " + message("kommundel och helår", "hela kommunen och helår")
    ]


def test_yearly_district_values_alone_are_imported(client, coordinator_haninge, fires):
    IndicatorValue.objects.filter(indicator=fires).delete()
    login_verified(client, coordinator_haninge)
    text = HEADER + "Händelser: bränder;Haninge;Vega;2026;18\n"
    response = client.post(IMPORT, {"file": upload(text)})
    assert response.context["result"].ok


@pytest.mark.parametrize("persona", ["coordinator_haninge", "superuser"])
@pytest.mark.parametrize(
    ("district", "quarter", "new"),
    [
        ("Vega", "", "kommundel och helår"),
        ("", "1", "hela kommunen och kvartal"),
        ("", "", "hela kommunen och helår"),
    ],
)
def test_the_admin_refuses_a_total_beside_hidden_counts(
    client, request, haninge, fires, persona, district, quarter, new
):
    login_verified(client, request.getfixturevalue(persona))
    response = client.post(
        ADD,
        {
            "indicator": fires.pk,
            "municipality": haninge.pk,
            "district": district and haninge.districts.get(name=district).pk,
            "year": "2026",
            "quarter": quarter,
            "value": "18",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        message("kommundel och kvartal", new)
    ]
    assert IndicatorValue.objects.count() == 4


def test_the_evaluation_shows_no_municipality_row_beside_the_districts(
    client, haninge, promise_haninge
):
    from reports.workflows.evaluation import evaluation_figures

    indicator = Indicator.objects.create(
        municipality=haninge,
        name="Händelser: klotter",
        unit="antal",
        source="EST",
        hides_small_counts=True,
    )
    for district, year, value in [
        ("Handen", 2025, 3),
        ("Handen", 2026, 12),
        ("Jordbro", 2025, 8),
        ("Jordbro", 2026, 9),
        (None, 2025, 11),  # stored before the import refused it
        (None, 2026, 21),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=haninge,
            district=district and haninge.districts.get(name=district),
            year=year,
            value=value,
        )
    [table] = evaluation_figures(promise_haninge)["indicators"]
    assert [line["place"] for line in table["rows"]] == ["Handen", "Jordbro"]


def test_totals_stored_before_the_refusal_are_not_published(
    client, haninge, promise_haninge, fires
):
    """The year's 18 for Vega beside its quarters, and Haninge's 40 beside Vega,
    stored before the import refused them: neither on the district page nor in
    the open data (5 + 6 + 4 shown, 18 for the year: the first quarter was 3)."""
    for district, value in [(haninge.districts.get(name="Vega"), 18), (None, 40)]:
        IndicatorValue.objects.create(
            indicator=fires,
            municipality=haninge,
            district=district,
            year=2026,
            quarter=None if district else 1,
            value=value,
        )
    page = client.get("/haninge/2026/kommundel/vega/").content.decode()
    start = page.index("Händelser: bränder")
    assert "18" not in page[start : start + 2000]
    download = client.get("/haninge/2026/oppna-data/indikatorer.csv")
    rows = b"".join(download.streaming_content).decode()
    bränder = [line for line in rows.splitlines() if "Händelser: bränder" in line]
    assert len(bränder) == 4  # the four quarters of Vega
    assert not any(";18" in line or ",18" in line for line in bränder)
    assert not any(";40" in line or ",40" in line for line in bränder)
