"""Every admin page a coordinator can reach names nothing of another municipality.

Haninge's and Nynäshamn's demo data, and Botkyrka set up with "Ny kommun": its
own police area, districts, partner and indicator. Botkyrka's coordinator,
liaison and partner reporter follow every link of the admin from the start page
(GET only), and no page they reach names Haninge's or Nynäshamn's districts,
organisations, police area, indicators or promises: the partner's page of what
became of their reports ("Vad hände med era rapporter?") included.
"""

import datetime
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from incidents.models import Reporter
from incidents.tests.factories import make_report
from promises.models import Kind, Municipality, Organisation
from promises.roles import COORDINATOR, PARTNER_REPORTER, POLICE_LIAISON
from promises.tests.factories import built_once, load_demo, login_verified, make_user
from public.tests.crawl import links
from reports.models import Indicator
from staff import onboarding

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
# Haninge's and Nynäshamn's names, their districts, their police area and partners.
THEIRS = [
    "Haninge",
    "Nynäshamn",
    "Handen",
    "Jordbro",
    "Sorunda",
    "Lokalpolisområde Haninge",
    "Bevakningsföretag i Handen",
    "Trafikförvaltningen",
]
SKIPPED = ("/admin/logout/", "/admin/jsi18n/")


@pytest.fixture(scope="module")
def botkyrka(django_db_setup, django_db_blocker):
    """Built once for both roles' crawls (built_once)."""
    with built_once(django_db_blocker):
        yield make_botkyrka()


def make_botkyrka():
    load_demo()
    result = onboarding.onboard_municipality(
        name="Botkyrka",
        districts=["Alby", "Fittja", "Tumba"],
        new_police_area="Lokalpolisområde Botkyrka",
    )
    botkyrka = result.municipality
    Organisation.objects.create(
        name="Botkyrkabyggen", kind="partner", municipality=botkyrka
    )
    Indicator.objects.create(
        name="Otrygghet i Alby", unit="%", source="Enkät", municipality=botkyrka
    )
    # Own kinds of work: Haninge's is never a choice nor a line for Botkyrka.
    Kind.objects.create(
        municipality=Municipality.objects.get(slug="haninge"),
        name="Krogtillsyn i Handen",
        plural="krogtillsyner i Handen",
    )
    Kind.objects.create(
        municipality=botkyrka, name="Tillsyn i Alby", plural="tillsyner"
    )
    from promises.workflows import promise_from_template

    promise_from_template(template=None, municipality=botkyrka, year=2027)
    return botkyrka


def crawl_admin(client) -> dict[str, str]:
    """{path: html} of every admin page reachable by links, each path once (a
    list's filters are on its first page), GET only."""
    seen, pages = {"/admin/"}, {}
    queue = deque(["/admin/"])
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        pages[path] = html
        for href in links(html):
            url = urlsplit(urljoin(f"http://testserver{path}", href))
            if (
                url.netloc not in ("", "testserver")
                or not url.path.startswith("/admin/")
                or url.path.startswith(SKIPPED)
                or url.path in seen
            ):
                continue
            seen.add(url.path)
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return pages


@pytest.mark.parametrize("role", [COORDINATOR, POLICE_LIAISON, PARTNER_REPORTER])
def test_no_admin_page_names_another_municipality(botkyrka, role):
    user = make_user(f"botkyrka_{role[:5]}", role, [botkyrka])
    if role == PARTNER_REPORTER:
        partner = Organisation.objects.get(name="Botkyrkabyggen")
        Reporter.objects.create(user=user, organisation=partner)
        alby = botkyrka.districts.get(name="Alby")
        make_report(alby, partner, datetime.date(2026, 11, 2))
    client = Client()
    login_verified(client, user)
    pages = crawl_admin(client)
    if role == PARTNER_REPORTER:  # a few pages: report, correct, see what followed
        assert "/admin/incidents/incidentreport/aterkoppling/" in pages
        assert "Alby" in pages["/admin/incidents/incidentreport/aterkoppling/"]
    else:
        assert len(pages) > 20  # the crawl found the admin
        assert "Tillsyn i Alby" in pages["/admin/promises/kind/"]
    assert any("Botkyrkabyggen" in html for html in pages.values())
    # The built-in example of "Nytt från mall" is Haninge's promise, by design.
    example = "Haninges medborgarlöfte (exempel)"
    leaks = {
        path: word
        for path, html in pages.items()
        for word in THEIRS
        if word in html.replace(example, "")
    }
    assert leaks == {}
