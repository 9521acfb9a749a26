"""In a real browser at phone width: the partner `samverkanspart` reports an
incident filling in three fields, and the coordinator sees it in that week's
lägesbild. Debian's Chromium, driven by Playwright."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from incidents.models import IncidentReport
from promises.tests.factories import committed_then_restored
from staff.tests.test_accessibility import (
    AXE_OPTIONS,
    CHROMIUM_ARGS,
    require_chromium,
)
from staff.tests.test_friday_deployment_browser import PASSWORD, log_in

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

CELL = "#lagesbild-table tr:has(th:text-is('Jordbro')) td[data-label='Klotter']"


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def axe(page, what: str) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page, as test_accessibility runs it."""
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{what}: {v['id']}: {v['help']}" for v in found]


def count_in(page) -> int:
    text = page.inner_text(CELL).strip()
    return int(text.split()[0]) if text else 0


def test_a_partner_reports_on_a_phone_and_the_coordinator_sees_it(
    committed_database, live_server, monkeypatch
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_haninge", "--demo", verbosity=0)
    before = IncidentReport.objects.count()
    TOTPDevice.objects.create(
        user=get_user_model().objects.get(username="samordnare"), confirmed=True
    )
    origin = live_server.url
    lagesbild = f"{origin}/admin/incidents/incidentreport/lagesbild/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        desktop = browser.new_context(viewport={"width": 1280, "height": 800})
        coordinator = desktop.new_page()
        log_in(coordinator, origin, "samordnare")
        coordinator.goto(lagesbild)
        counted_before = count_in(coordinator)

        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        log_in(page, origin, "samverkanspart")
        page.click("text=Rapportera händelse")
        # Three fields; the date, the part of day and the count are filled in.
        page.select_option("#id_category", label="Klotter")
        page.select_option("#id_district", label="Jordbro")
        page.check("label:has-text('Trapphus eller källare') input")
        no_sideways_scroll = page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        violations = axe(page, "the form")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/incidents/incidentreport/")
        saved = page.locator(".messagelist .success").count()
        # The partner's list holds their organisation's recent reports only.
        partner_list = page.content()
        phone.close()

        coordinator.goto(lagesbild)
        counted_after = count_in(coordinator)
        violations += axe(coordinator, "the lägesbild")
        coordinator.set_viewport_size({"width": 360, "height": 740})
        violations += axe(coordinator, "the lägesbild at 360 px")
        lagesbild_fits = coordinator.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        browser.close()

    assert saved == 1
    assert no_sideways_scroll
    assert lagesbild_fits
    assert not violations, violations
    assert IncidentReport.objects.count() == before + 1
    report = IncidentReport.objects.latest("pk")
    assert report.reported_by.username == "samverkanspart"
    assert (report.district.name, report.category.name) == ("Jordbro", "Klotter")
    assert report.occurrences == 1
    assert counted_after == counted_before + 1
    assert "Veckans lägesbild" not in partner_list
