"""A published evaluation is frozen: its figures are stored when it is published,
and importing indicator values later leaves it as it was (issue 13).

Tried as a new user would: importing the README's example CSV changed the
published 2025 evaluation (Jordbro 38 → 33 became 38 → 38).
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from promises.tests.factories import login_verified, make_promise
from reports.models import Evaluation, Indicator, IndicatorValue
from reports.workflows import publish_evaluation

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "indicators-example.csv"
URL = "/haninge/2025/utvardering/"


@pytest.fixture
def promise_2025(haninge):
    promise = make_promise(haninge, 2025)
    otrygga = Indicator.objects.create(
        municipality=haninge,
        name="Andel som känner sig otrygga ute sent på kvällen",
        unit="%",
        source="Polisens och kommunens trygghetsmätning",
    )
    jordbro = haninge.districts.get(name="Jordbro")
    for year, value in [(2024, 38), (2025, 33)]:
        IndicatorValue.objects.create(
            indicator=otrygga,
            municipality=haninge,
            district=jordbro,
            year=year,
            value=Decimal(value),
        )
    return promise


def jordbro(client) -> list[str]:
    page = client.get(URL).content.decode()
    row = re.search(r'<tr><th scope="row">Jordbro</th>(.*?)</tr>', page, re.S)
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))[:3]


def test_importing_values_leaves_a_published_evaluation_as_it_was(
    client, coordinator_haninge, promise_2025
):
    evaluation = Evaluation.objects.create(
        promise=promise_2025, summary="Otryggheten minskade i Jordbro."
    )
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/evaluation/",
        {"action": "publish", "_selected_action": [evaluation.pk]},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_published and evaluation.figures is not None
    assert jordbro(client) == ["38", "33", "\u22125"]

    call_command("import_indicators", str(EXAMPLE), stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The import did change the value: the evaluation shows what it was published with.
    assert IndicatorValue.objects.get(district__name="Jordbro", year=2025).value == 38
    assert jordbro(client) == ["38", "33", "\u22125"]

    # Back to a draft and published again, it shows the figures of today.
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.save()
    assert evaluation.figures is None
    publish_evaluation(evaluation)
    assert evaluation.figures is not None
    # Written as the other rows of the table: the example file has 28,5.
    assert jordbro(client) == ["38,0", "38,0", "0,0"]


def test_an_evaluation_published_before_figures_were_stored_is_frozen_by_the_import(
    client, promise_2025
):
    evaluation = Evaluation.objects.create(
        promise=promise_2025,
        summary="Publicerad innan siffrorna sparades.",
        status=Evaluation.Status.PUBLISHED,
    )
    assert evaluation.figures is None
    call_command("import_indicators", str(EXAMPLE), stdout=open("/dev/null", "w"))  # noqa: SIM115
    evaluation.refresh_from_db()
    assert evaluation.figures is not None
    assert jordbro(client) == ["38", "33", "\u22125"]


def test_changing_a_value_in_the_admin_leaves_it_as_it_was_too(
    client, coordinator_haninge, promise_2025
):
    Evaluation.objects.create(
        promise=promise_2025, summary="Publicerad.", status=Evaluation.Status.PUBLISHED
    )
    value = IndicatorValue.objects.get(district__name="Jordbro", year=2025)
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"/admin/reports/indicatorvalue/{value.pk}/change/",
        {
            "indicator": value.indicator_id,
            "municipality": value.municipality_id,
            "district": value.district_id,
            "year": "2025",
            "value": "40",
        },
    )
    assert response.status_code == 302
    assert jordbro(client) == ["38", "33", "\u22125"]


def test_next_years_promise_shows_what_was_learnt(client, promise_2025, haninge):
    from promises.validators import reject_personal_data

    assert reject_personal_data in Evaluation._meta.get_field("lessons").validators
    make_promise(haninge, 2026)
    evaluation = Evaluation.objects.create(
        promise=promise_2025,
        summary="Så gick det.",
        lessons="Bjud in fastighetsägarna till varje inventering.",
    )
    overview = client.get("/haninge/2026/").content.decode()
    assert "Det här lärde vi oss" not in overview  # a draft
    evaluation.publish()
    overview = client.get("/haninge/2026/").content.decode()
    assert ">Det här lärde vi oss</h2>" in overview
    assert "Från utvärderingen av 2025." in overview
    assert "Bjud in fastighetsägarna till varje inventering." in overview
    assert 'href="/haninge/2025/utvardering/"' in overview
    assert "Bjud in fastighetsägarna" in client.get(URL).content.decode()


# What the import preview and the public pages say (issue 22: Jordbro 38 % on its
# page, 33 % in the published evaluation, and the preview said "27,000").


def preview(client, text: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("v.csv", text.encode("utf-8-sig"), "text/csv")
    response = client.post("/admin/reports/indicatorvalue/importera/", {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_says_which_published_values_it_changes(
    client, coordinator_haninge, promise_2025
):
    Evaluation.objects.create(
        promise=promise_2025, summary="Publicerad.", status=Evaluation.Status.PUBLISHED
    )
    name = "Andel som känner sig otrygga ute sent på kvällen"
    login_verified(client, coordinator_haninge)
    html = preview(
        client,
        "indikator;kommun;kommundel;år;värde\n"
        f"{name};Haninge;Jordbro;2025;38\n"
        f"{name};Haninge;Jordbro;2024;38\n"
        f"{name};Haninge;Jordbro;2023;27\n",
    )
    assert "1 värde som ändras visas i en publicerad utvärdering." in html
    rows = re.findall(r"<tr><td>(\d)</td>(.*?)</tr>", html, re.S)
    cells = {line: re.findall(r"<td>(.*?)</td>", row) for line, row in rows}
    # Line 2: 2025 changes 33 → 38, in the published evaluation of 2025.
    assert cells["2"][3:] == [
        "38",
        "33",
        "ändras",
        "Ändrar ett publicerat värde (utvärderingen 2025 behåller det gamla)",
    ]
    assert cells["3"][3:] == ["38", "38", "oförändrad", "–"]
    assert cells["4"][3:] == ["27", "–", "ny", "–"]
    assert "27,000" not in html and "38,000" not in html


def test_the_district_page_and_the_evaluation_explain_the_difference(
    client, promise_2025
):
    from promises.models import Promise

    Promise.objects.filter(pk=promise_2025.pk).update(status="published")
    Evaluation.objects.create(
        promise=promise_2025, summary="Publicerad.", status=Evaluation.Status.PUBLISHED
    )
    evaluation = client.get(URL).content.decode()
    assert "Siffrorna är som de var när utvärderingen publicerades den " in evaluation
    assert "visar kommundelssidorna det senaste" in evaluation
    district = client.get("/haninge/2025/kommundel/jordbro/").content.decode()
    assert "Här står de senaste värdena." in district
    assert "som de var när den publicerades" in district
