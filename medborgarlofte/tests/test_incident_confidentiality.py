"""Incident reports and the lägesbild never reach a public page, feed or export.

Here, above both apps: public cannot import incidents (.importlinter), and this
test needs both. A marker goes into every text field of the demo's incident
reports, into a category, and into the priorities' reasons and figures; then every public URL
reachable from the start page is fetched, and no marker may appear in any.
"""

import pytest
from django.core.management import call_command

from incidents.models import IncidentCategory, IncidentReport
from promises.models import Priority
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
