"""In a real browser: the partner `samverkanspart` of the demo opens "Vad hände med
era rapporter?" from the start page (one tap), at 360 and at 1366 px, and reads
what followed their reports; nothing sideways, no WCAG 2.1 AA violation (axe).
Debian's Chromium, driven by Playwright."""

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from promises.tests.factories import committed_then_restored
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium
from staff.tests.test_friday_deployment_browser import PASSWORD, log_in
from staff.tests.test_incident_report_browser import axe

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def test_a_partner_sees_what_became_of_their_reports(
    committed_database, live_server, monkeypatch
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_haninge", "--demo", verbosity=0)
    origin = live_server.url
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        log_in(page, origin, "samverkanspart")
        page.click("text=Vad hände med era rapporter?")  # one tap
        page.wait_for_url("**/admin/incidents/incidentreport/aterkoppling/")
        for width, height in [(360, 740), (1366, 768)]:
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            seen[width] = {
                "fits": page.evaluate(FITS),
                "violations": axe(page, f"the page at {width} px"),
                "districts": page.locator(".feedback-district").count(),
                "text": page.inner_text("#feedback"),
            }
        context.close()
        browser.close()
    for width, facts in seen.items():
        assert facts["fits"], width
        assert not facts["violations"], facts["violations"]
        assert facts["districts"] > 0, width
        assert "Ni har rapporterat" in facts["text"]
        assert "Det här hände sedan" in facts["text"]
