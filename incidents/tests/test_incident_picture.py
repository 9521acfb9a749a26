"""The weekly lägesbild: the district × category table, the change against the
four weeks before, the recurring places, the CSV, who may read it, and a fixed
number of queries whatever the number of reports."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.tests.factories import make_report
from promises.models import Activity
from promises.tests.factories import local, login_verified, make_activity

pytestmark = pytest.mark.django_db

LAGESBILD = reverse("admin:incidents_incidentreport_lagesbild")
WEEK_48 = datetime.date(2026, 11, 23)  # Monday


def day(monday, weeks_before=0, weekday=0):
    return monday - datetime.timedelta(weeks=weeks_before) + datetime.timedelta(weekday)


@pytest.fixture
def week_of_reports(haninge, housing_company):
    handen = haninge.districts.get(name="Handen")
    jordbro = haninge.districts.get(name="Jordbro")
    make_report(
        handen, housing_company, day(WEEK_48, 0, 2), occurrences=3, place="Port 4"
    )
    make_report(handen, housing_company, day(WEEK_48, 0, 4), place="port 4 ")
    make_report(
        handen, housing_company, day(WEEK_48, 2, 1), occurrences=2, place="Port 4"
    )
    make_report(jordbro, housing_company, day(WEEK_48, 0, 6), category_name="Bränder")
    make_report(jordbro, housing_company, day(WEEK_48, 1), category_name="Bränder")
    make_report(jordbro, housing_company, day(WEEK_48, 3), category_name="Bränder")
    make_report(jordbro, housing_company, day(WEEK_48, 4), category_name="Bränder")
    # Outside the five weeks, and in the week after: not counted.
    make_report(handen, housing_company, day(WEEK_48, 5), occurrences=50)
    make_report(handen, housing_company, day(WEEK_48, -1), occurrences=50)


def cell(picture, district, category):
    row = next(r for r in picture.rows if r.district.name == district)
    return next(c for c in row.cells if c.category.name == category)


def test_the_week_per_district_and_category_with_the_change(
    client, coordinator_haninge, week_of_reports
):
    login_verified(client, coordinator_haninge)
    response = client.get(LAGESBILD, {"vecka": "2026-W48"})
    assert response.status_code == 200
    picture = response.context["picture"]
    klotter = cell(picture, "Handen", "Klotter")
    assert (klotter.count, klotter.mean, klotter.change_text) == (4, 0.5, "+3,5")
    fires = cell(picture, "Jordbro", "Bränder")
    assert (fires.count, fires.mean, fires.change_text) == (1, 0.75, "+0,3")
    assert picture.total.count == 5
    assert [(p.district.name, p.place, p.reports, p.weeks) for p in picture.places] == [
        ("Handen", "Port 4", 2, 2)
    ]
    body = response.content.decode()
    assert "Lägesbild vecka 48, Haninge" in body
    assert "4 (+3,5)" in body
    assert "Sekretess." in body


def test_the_csv_has_a_row_per_district_and_category(
    client, liaison_haninge, week_of_reports
):
    login_verified(client, liaison_haninge)
    response = client.get(LAGESBILD, {"vecka": "2026-W48", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "lagesbild-haninge-2026-W48.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["vecka", "kommundel", "kategori"]
    assert ["2026-W48", "Handen", "Klotter", "4", "0.50", "3.50"] in rows
    assert len(rows) == 1 + 4 * 10  # Haninge's four districts, ten categories


def test_a_bad_week_shows_this_week(client, coordinator_haninge):
    login_verified(client, coordinator_haninge)
    response = client.get(LAGESBILD, {"vecka": "2026-W99", "kommun": "x"})
    assert response.status_code == 200
    assert response.context["picture"].week == "2026-W49"  # the suite's day's


def test_another_municipalitys_coordinator_sees_only_their_own(
    client, coordinator_nynashamn, haninge, week_of_reports
):
    login_verified(client, coordinator_nynashamn)
    response = client.get(LAGESBILD, {"vecka": "2026-W48", "kommun": haninge.pk})
    assert response.status_code == 200
    assert response.context["picture"].municipality.name == "Nynäshamn"
    assert b"Handen" not in response.content
    assert b"Port 4" not in response.content


@pytest.mark.parametrize("persona", ["partner_haninge", "staff_without_group"])
def test_who_may_not_read_it(client, request, persona):
    login_verified(client, request.getfixturevalue(persona))
    assert client.get(LAGESBILD).status_code == 403


def test_the_query_count_is_constant_in_the_number_of_reports(
    client, coordinator_haninge, haninge, housing_company
):
    login_verified(client, coordinator_haninge)
    handen = haninge.districts.get(name="Handen")
    make_report(handen, housing_company, WEEK_48, place="Plats 0")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LAGESBILD, {"vecka": "2026-W48"})
        assert response.status_code == 200
        return len(queries)

    few = count()
    for number, district in enumerate(haninge.districts.all()):
        for weeks_before in range(5):
            for category in ["Klotter", "Vandalism", "Bränder"]:
                make_report(
                    district,
                    housing_company,
                    day(WEEK_48, weeks_before, number),
                    category_name=category,
                    place=f"Plats {weeks_before % 2}",
                )
    assert count() == few


def test_a_friday_deployment_links_to_its_weeks_lagesbild(
    client, liaison_haninge, promise_haninge
):
    deployment = make_activity(
        promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 11, 27, 18)
    )
    login_verified(client, liaison_haninge)
    link = f"{LAGESBILD}?kommun={promise_haninge.municipality_id}&amp;vecka=2026-W48"
    for name in ["fridaydeployment", "activity"]:
        url = reverse(f"admin:promises_{name}_change", args=[deployment.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert link.encode() in response.content, name
        assert "Lägesbild vecka 48".encode() in response.content


YEARLY = reverse("admin:incidents_incidentreport_yearly")


def test_the_yearly_lagesbild_with_the_priorities_chosen(
    client, coordinator_haninge, haninge, housing_company
):
    from promises.models import Priority

    handen = haninge.districts.get(name="Handen")
    make_report(handen, housing_company, datetime.date(2026, 2, 3), occurrences=2)
    make_report(handen, housing_company, datetime.date(2026, 8, 3))
    make_report(handen, housing_company, datetime.date(2025, 8, 3))  # last year's
    Priority.objects.create(
        municipality=haninge, district=handen, year=2026, quarter=3, reason="Klottret"
    )
    login_verified(client, coordinator_haninge)
    response = client.get(YEARLY, {"ar": "2026"})
    assert response.status_code == 200
    picture = response.context["picture"]
    row = next(r for r in picture.rows if r.district.name == "Handen")
    assert (row.total, row.quarters) == (3, [2, 0, 1, 0])
    assert [p.quarter for p in row.priorities] == [3]
    body = response.content.decode()
    assert "Lägesbild 2026, Haninge" in body
    assert "lag (2023:196)" in body
    assert "Klottret" in body

    response = client.get(YEARLY, {"ar": "2026", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "år",
        "kommundel",
        "kategori",
        "antal",
        "prioriterad kvartal",
        "varför prioriterad",
    ]
    assert ["2026", "Handen", "Klotter", "3", "3", "Klottret"] in rows
    assert len(rows) == 1 + 4 * 10


def test_the_yearly_query_count_is_constant(
    client, coordinator_haninge, haninge, housing_company
):
    login_verified(client, coordinator_haninge)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(YEARLY, {"ar": "2026"}).status_code == 200
        return len(queries)

    few = count()
    for month in range(1, 13):
        for district in haninge.districts.all():
            make_report(district, housing_company, datetime.date(2026, month, 5))
    assert count() == few


def test_a_partner_may_not_read_the_yearly_lagesbild(client, partner_haninge):
    login_verified(client, partner_haninge)
    assert client.get(YEARLY).status_code == 403


def test_the_csvs_never_hand_a_spreadsheet_a_formula(
    client, coordinator_haninge, haninge, housing_company
):
    """Category and district names and priority reasons are typed by staff: in
    the CSVs they are text, as in the open data and the export (issue 23)."""
    from incidents.models import IncidentCategory
    from promises.models import Priority

    district = haninge.districts.create(name="@SUM(1+1)")
    IncidentCategory.objects.create(
        municipality=haninge, name='=HYPERLINK("http://example.com")', order=99
    )
    make_report(district, housing_company, WEEK_48, category_name="Klotter")
    make_report(district, housing_company, day(WEEK_48, 1), category_name="Bränder")
    Priority.objects.create(
        municipality=haninge, district=district, year=2026, quarter=4, reason="+1-1"
    )
    login_verified(client, coordinator_haninge)
    cells = []
    for url, params in [
        (LAGESBILD, {"vecka": "2026-W48", "format": "csv"}),
        (YEARLY, {"ar": "2026", "format": "csv"}),
    ]:
        response = client.get(url, params)
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        cells += [cell for row in rows for cell in row]
    assert "'@SUM(1+1)" in cells
    assert '\'=HYPERLINK("http://example.com")' in cells
    assert "'+1-1" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert "-0.25" in cells  # numbers stay numbers: a fall is not text


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "2026-W00", "1999-W52"])
def test_a_week_out_of_range_shows_this_week(client, coordinator_haninge, week):
    """Issue 23: the first and the last ISO weeks a date can have gave a 500."""
    login_verified(client, coordinator_haninge)
    for params in [{"vecka": week}, {"vecka": week, "format": "csv"}]:
        response = client.get(LAGESBILD, params)
        assert response.status_code == 200
    assert client.get(LAGESBILD, {"vecka": week}).context["picture"].week == "2026-W49"
