"""In a real browser at phone width: a resident reads what was raised at last
year's safety dialogue in Handen, follows one topic to the district page, and
finds the fix there (issue 13, "ni sa – vi gjorde"). On Haninge's demo data;
Debian's Chromium, driven by Playwright."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils.formats import date_format
from playwright.sync_api import sync_playwright

from promises.models import DialogueTopic, Finding
from promises.tests.factories import committed_then_restored
from staff.tests.test_accessibility import (
    AXE_OPTIONS,
    CHROMIUM_ARGS,
    require_chromium,
)

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

TOPIC = "Mörkt och otryggt i gångtunneln under Nynäsvägen"


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def test_a_resident_follows_a_topic_from_the_dialogue_to_the_fix(
    committed_database, live_server, monkeypatch
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("load_haninge", "--demo", verbosity=0)
    topic = DialogueTopic.objects.select_related("dialogue__promise").get(
        text=TOPIC, dialogue__promise__year=2025
    )
    finding = topic.finding
    assert finding.status == Finding.Status.FIXED
    fixed = f"Åtgärdat {date_format(finding.fixed_on, 'j F Y')}"
    # The answer in a whole sentence (issue 22), the finding's row in its table.
    answer = f"åtgärdade bristen vid {finding.place} den {date_format(finding.fixed_on, 'j F Y')}"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        page.goto(f"{live_server.url}{topic.dialogue.get_absolute_url()}")
        # On the dialogue's page: what residents raised, and already the answer.
        item = page.locator("ul.topics > li", has_text=TOPIC)
        assert answer in item.inner_text()
        item.get_by_role("link", name="Handen").click()

        page.wait_for_url(f"**/kommundel/handen/#amne-{topic.pk}")
        target = page.locator(":target")
        assert TOPIC in target.inner_text()
        assert answer in target.inner_text()
        assert target.is_visible()
        # From the topic to the finding's row among all the district's findings.
        target.get_by_role("link", name="Se bristen").click()
        page.wait_for_url(f"**#brist-{finding.pk}")
        row = page.locator(":target")
        assert fixed in row.inner_text()
        findings = page.locator("section", has=page.locator("#findings-heading"))
        assert "Mediantid från inventering till åtgärd" in findings.inner_text()
        no_sideways_scroll = page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        browser.close()
    assert no_sideways_scroll
    assert [v["id"] for v in violations] == []
