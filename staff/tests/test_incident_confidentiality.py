"""Incident reports and the lägesbild never reach a public page, feed or export.

Here, above both apps: public cannot import incidents (.importlinter), and this
test needs both. A marker goes into every text field of the demo's incident
reports, into a category, and into the priorities' reasons and figures; then every public URL
reachable from the start page is fetched, and no marker may appear in any. The
counts a coordinator publishes (incidents/counts.py) reach the public, but a
count under 5 never as its number.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from incidents.models import IncidentCategory, IncidentReport
from incidents.tests.factories import category, make_report
from promises.models import Priority
from promises.tests.factories import login_verified
from public.tests.crawl import crawl

pytestmark = pytest.mark.django_db


def test_no_incident_report_reaches_any_public_page(client):
    call_command("load_haninge", "--demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reports = IncidentReport.objects.filter(district__municipality__name="Haninge")
    assert reports.count() > 500, "the demo should hold a year of reports"
    markers = ["HEMLIGTxIncidentReportplace", "HEMLIGTxIncidentReportinternal_note"]
    reports.update(place=markers[0], internal_note=markers[1])
    category = IncidentCategory.objects.create(
        municipality=reports.first().district.municipality,
        name="HEMLIGTxIncidentCategoryname",
    )
    markers.append(category.name)
    # The priorities' reasons and the figures kept with them are internal too.
    priorities = Priority.objects.filter(municipality__name="Haninge")
    assert priorities.exists()
    markers += ["HEMLIGTxPriorityreason", "HEMLIGTxPriorityevidence"]
    priorities.update(reason=markers[-2], evidence=markers[-1])
    reports.filter(pk__in=reports.values("pk")[:50]).update(category=category)

    pages = crawl(client)
    assert len(pages) > 10, "the crawl found too few pages to prove anything"
    assert not pages.broken, pages.broken
    assert any(url.endswith(".csv") for url in pages.other)
    for url, response in {**pages, **pages.other}.items():
        body = response.getvalue().decode()
        leaked = [m for m in markers if m in body]
        assert not leaked, (url, leaked)


def trend_of(page: str, name: str = "Händelser: klotter") -> list[tuple]:
    """(period, value, bar width) of an indicator's trend on a district page."""
    start = page.index(f">{name}</h3>")
    table = page[start : page.index("</table>", start)]
    return re.findall(
        r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td><svg[^>]*>'
        r'<rect width="(\d+)"',
        table,
    )


def test_a_published_count_of_3_reaches_no_public_page_and_7_does(
    client, coordinator_haninge, haninge, promise_haninge, housing_company
):
    """Every page and file the public can reach by links from the start page."""
    handen = haninge.districts.get(name="Handen")
    jordbro = haninge.districts.get(name="Jordbro")
    make_report(handen, housing_company, datetime.date(2026, 4, 2), occurrences=3)
    make_report(jordbro, housing_company, datetime.date(2026, 5, 5), occurrences=7)
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:incidents_incidentreport_yearly")
        + f"?kommun={haninge.pk}&ar=2026",
        {"quarter": 2, "categories": [category("Klotter").pk]},
    )
    assert response.status_code == 302
    client.logout()
    cache.clear()

    pages = crawl(client)
    assert not pages.broken, pages.broken
    assert f"/haninge/2026/kommundel/{handen.slug}/" in pages
    bodies = {url: r.content.decode() for url, r in pages.items()}
    # The districts' trend tables: the value and its bar (issue 22: no "antal"
    # after the values; a small count has no bar, whose length would tell it).
    klotter = {
        district: trend_of(bodies[f"/haninge/2026/kommundel/{district.slug}/"])
        for district in (handen, jordbro)
    }
    assert klotter[handen] == [("kv. 2 2026", "färre än 5", "0")]
    assert klotter[jordbro] == [("kv. 2 2026", "7", "80")]
    for url, body in bodies.items():
        assert "3 antal" not in body and "färre än 5 antal" not in body, url
    files = {url: r.getvalue().decode() for url, r in pages.other.items()}
    indicators = [url for url in files if "/indikatorer." in url]
    assert len(indicators) == 2  # the CSV and the JSON
    for url in indicators:
        body = files[url]
        if url.endswith(".csv"):
            rows = list(csv.DictReader(io.StringIO(body)))
        else:
            rows = json.loads(body)
        counts = {row["kommundel"]: row for row in rows}
        assert counts["Handen"]["varde"] in ("", None), url
        assert counts["Handen"]["varde_text"] == "färre än 5"
        assert str(counts["Jordbro"]["varde"]) in ("7", "7.0"), url
        assert "3" not in {str(v) for v in counts["Handen"].values()}
