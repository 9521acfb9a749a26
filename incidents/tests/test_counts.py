"""Publishing the lägesbild's quarterly counts as indicators (issue 14).

A coordinator publishes, from the yearly lägesbild, the counts per district and
category of finished quarters; the public sees them on the district page and in
open data, and a count under 5 only as "färre än 5", never the number.
"""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.tests.factories import category, make_report
from promises.tests.factories import login_verified
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

YEARLY = reverse("admin:incidents_incidentreport_yearly")
KLOTTER = "Händelser: klotter"


def publish(client, municipality, quarter, categories=("Klotter",), year=2026):
    return client.post(
        f"{YEARLY}?kommun={municipality.pk}&ar={year}",
        {"quarter": quarter, "categories": [category(name).pk for name in categories]},
        follow=True,
    )


@pytest.fixture
def second_quarter(haninge, housing_company):
    """Klotter in Q2 2026: 3 in Handen (two reports), 7 in Jordbro; one in Q3."""
    handen = haninge.districts.get(name="Handen")
    jordbro = haninge.districts.get(name="Jordbro")
    make_report(handen, housing_company, datetime.date(2026, 4, 2), occurrences=2)
    make_report(handen, housing_company, datetime.date(2026, 6, 30))
    make_report(jordbro, housing_company, datetime.date(2026, 5, 5), occurrences=7)
    make_report(jordbro, housing_company, datetime.date(2026, 7, 1))  # Q3
    make_report(  # another category, not chosen
        jordbro,
        housing_company,
        datetime.date(2026, 5, 5),
        category_name="Bränder",
        occurrences=9,
    )


def test_the_coordinator_publishes_a_quarter_as_an_indicator(
    client, coordinator_haninge, haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    page = client.get(YEARLY, {"ar": "2026"}).content.decode()
    assert "Publicera antal per kvartal som indikator" in page
    assert "Kvartal 4 (inte slut)" in page

    response = publish(client, haninge, 2)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Publicerat som indikator: antal per kommundel för kvartal 2 2026" in body
    assert "1 kategori (Klotter)" in body

    indicator = Indicator.objects.get(municipality=haninge, name=KLOTTER)
    assert (indicator.unit, indicator.source, indicator.hides_small_counts) == (
        "antal",
        "Samverkansparters rapporter (EST)",
        True,
    )
    values = {
        value.district.name: value.value
        for value in IndicatorValue.objects.filter(indicator=indicator)
    }
    # Every district has its value, also 0; the real count is stored for staff.
    assert values["Handen"] == 3
    assert values["Jordbro"] == 7
    assert set(values) == {d.name for d in haninge.districts.all()}
    assert set(values.values()) == {0, 3, 7}
    assert not IndicatorValue.objects.filter(
        indicator=indicator, district=None
    ).exists()  # no sum: a hidden count could be told by subtraction
    assert set(
        IndicatorValue.objects.filter(indicator=indicator).values_list(
            "year", "quarter"
        )
    ) == {(2026, 2)}


def test_publishing_again_takes_todays_counts(
    client, coordinator_haninge, haninge, housing_company, second_quarter
):
    login_verified(client, coordinator_haninge)
    publish(client, haninge, 2)
    handen = haninge.districts.get(name="Handen")
    make_report(handen, housing_company, datetime.date(2026, 5, 1), occurrences=4)
    publish(client, haninge, 2)
    value = IndicatorValue.objects.get(indicator__name=KLOTTER, district=handen)
    assert (value.value, value.quarter) == (7, 2)
    assert Indicator.objects.filter(name=KLOTTER).count() == 1


def test_all_finished_quarters_are_published_at_once(
    client, coordinator_haninge, haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    response = publish(client, haninge, 0, categories=("Klotter", "Bränder"))
    assert "kvartal 1, 2, 3 2026, 2 kategorier" in response.content.decode()
    quarters = set(
        IndicatorValue.objects.filter(indicator__name=KLOTTER).values_list(
            "quarter", flat=True
        )
    )
    assert quarters == {1, 2, 3}
    assert Indicator.objects.filter(name="Händelser: bränder").exists()


def test_the_running_quarter_is_refused(
    client, coordinator_haninge, haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    response = publish(client, haninge, 4)  # the suite's day is 1 December 2026
    assert response.status_code == 200
    assert (
        "Kvartal 4 2026 är inte slut ännu. Bara avslutade kvartal kan publiceras."
        in response.content.decode()
    )
    response = publish(client, haninge, 0, year=2027)
    assert "Inget kvartal 2027 är slut ännu." in response.content.decode()
    response = publish(client, haninge, 2, categories=())
    assert "Välj minst en kategori." in response.content.decode()
    assert not Indicator.objects.filter(hides_small_counts=True).exists()
    assert not IndicatorValue.objects.exists()


def test_the_quarter_may_be_published_the_day_after_it_ended(
    client, coordinator_haninge, haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 0, 0), tick=False):
        # 1 July 01:00 in Stockholm: the second quarter has ended.
        assert "kvartal 2 2026" in publish(client, haninge, 2).content.decode()
    with time_machine.travel(datetime.datetime(2026, 6, 30, 21, 0, 0), tick=False):
        # 30 June 23:00 in Stockholm: not yet.
        assert "inte slut ännu" in publish(client, haninge, 2).content.decode()


def test_another_municipalitys_category_is_no_choice(
    client, coordinator_haninge, haninge, nynashamn, second_quarter
):
    from incidents.models import IncidentCategory

    own = IncidentCategory.objects.create(municipality=nynashamn, name="Nynäsfall")
    login_verified(client, coordinator_haninge)
    page = client.get(YEARLY, {"ar": "2026"}).content.decode()
    assert "Nynäsfall" not in page
    response = client.post(
        f"{YEARLY}?kommun={haninge.pk}&ar=2026",
        {"quarter": 2, "categories": [own.pk]},
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def district_url(haninge, name):
    return f"/haninge/2026/kommundel/{haninge.districts.get(name=name).slug}/"


def test_the_district_page_shows_few_as_fewer_than_5(
    client, coordinator_haninge, haninge, promise_haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    publish(client, haninge, 2)
    client.logout()
    handen = client.get(district_url(haninge, "Handen")).content.decode()
    assert "Händelser: klotter" in handen
    assert "kv. 2 2026" in handen
    assert ">färre än 5<" in handen and "färre än 5 antal" not in handen
    assert ">3<" not in handen and "3,0" not in handen
    assert "Antal under 5 visas som ”färre än 5”" in handen
    jordbro = client.get(district_url(haninge, "Jordbro")).content.decode()
    assert ">7<" in jordbro and " antal<" not in jordbro


def open_data_rows(client, dataset):
    csv_body = b"".join(
        client.get(f"/haninge/2026/oppna-data/{dataset}.csv").streaming_content
    ).decode()
    json_body = b"".join(
        client.get(f"/haninge/2026/oppna-data/{dataset}.json").streaming_content
    ).decode()
    return list(csv.DictReader(io.StringIO(csv_body))), json.loads(json_body)


def test_open_data_has_no_number_for_a_small_count(
    client, coordinator_haninge, haninge, promise_haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    publish(client, haninge, 2)
    client.logout()
    rows, items = open_data_rows(client, "indikatorer")
    handen = next(r for r in rows if r["kommundel"] == "Handen")
    assert handen == {
        "indikator": KLOTTER,
        "enhet": "antal",
        "kalla": "Samverkansparters rapporter (EST)",
        "hogre_ar_battre": "nej",
        "kommun": "Haninge",
        "kommundel": "Handen",
        "ar": "2026",
        "kvartal": "2",
        "varde": "",
        "varde_text": "färre än 5",
    }
    jordbro = next(r for r in rows if r["kommundel"] == "Jordbro")
    assert (jordbro["varde"], jordbro["varde_text"]) == ("7.0", "7")
    item = next(i for i in items if i["kommundel"] == "Handen")
    assert (item["varde"], item["varde_text"], item["kvartal"]) == (
        None,
        "färre än 5",
        2,
    )


def test_the_public_pages_run_as_many_queries_with_every_category_published(
    client, coordinator_haninge, haninge, promise_haninge, housing_company
):
    login_verified(client, coordinator_haninge)
    urls = [
        district_url(haninge, "Handen"),
        "/haninge/2026/oppna-data/indikatorer.csv",
        "/haninge/2026/",
    ]

    def queries():
        counted = {}
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            counted[url] = len(captured)
        return counted

    publish(client, haninge, 1)
    few = queries()
    for district in haninge.districts.all():
        make_report(district, housing_company, datetime.date(2026, 2, 2))
    names = ["Klotter", "Bränder", "Vandalism", "Nedskräpning"]
    publish(client, haninge, 0, categories=names)
    assert IndicatorValue.objects.count() > 10 * len(urls)
    assert queries() == few


def test_two_categories_of_one_name_are_refused_with_a_message(
    client, coordinator_haninge, haninge, second_quarter
):
    from incidents.models import IncidentCategory

    own = IncidentCategory.objects.create(municipality=haninge, name="klotter")
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"{YEARLY}?kommun={haninge.pk}&ar=2026",
        {"quarter": 2, "categories": [category("Klotter").pk, own.pk]},
    )
    assert response.status_code == 200
    assert "Två av kategorierna har samma namn." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_staff_see_the_real_count_and_cannot_unhide_it(
    client, coordinator_haninge, haninge, second_quarter
):
    login_verified(client, coordinator_haninge)
    publish(client, haninge, 2)
    indicator = Indicator.objects.get(name=KLOTTER)
    response = client.get(
        reverse("admin:reports_indicatorvalue_changelist"), {"q": "Handen"}
    )
    assert "Händelser: klotter" in response.content.decode()
    listed = {
        (v.district.name, v.quarter, v.value)
        for v in response.context["cl"].result_list
    }
    assert ("Handen", 2, 3) in listed
    response = client.get(
        reverse("admin:reports_indicator_change", args=[indicator.pk])
    )
    assert 'name="hides_small_counts"' not in response.content.decode()


def test_counts_are_not_published_beside_a_total_for_the_year(
    client, coordinator_haninge, haninge, second_quarter
):
    """An earlier import gave "Händelser: klotter" a value for the whole year (it
    did not hide small counts then): quarters beside it would give the hidden
    ones away. Refused, saying what to do; nothing written."""
    indicator = Indicator.objects.create(
        municipality=haninge, name=KLOTTER, unit="antal", source="Egen räkning"
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        municipality=haninge,
        district=haninge.districts.get(name="Handen"),
        year=2026,
        value=18,
    )
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"{YEARLY}?kommun={haninge.pk}&ar=2026",
        {"quarter": 2, "categories": [category("Klotter").pk]},
    )
    assert response.status_code == 200
    assert (
        "Händelser: klotter har redan värden för hela året eller hela kommunen "
        "2026. Bredvid dem skulle antalen per kvartal låta vem som helst räkna ut "
        "de dolda antalen: ta bort dem under Indikatorvärden först."
    ) in response.content.decode()
    assert IndicatorValue.objects.count() == 1
    assert not Indicator.objects.get().hides_small_counts
