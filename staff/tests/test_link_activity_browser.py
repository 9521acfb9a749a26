"""In a real browser at phone width: Vingåker's coordinator adds an activity from a
commitment's page, linked to it, and only that commitment moves on the public
pages (issue 20). Debian's Chromium, driven by Playwright."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from promises.models import Activity, Commitment
from promises.roles import COORDINATOR
from promises.tests.factories import committed_then_restored
from public.tests.test_truthful_vingaker import (
    CONTROLS,
    EPA,
    make_vingaker,
    sections,
)
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium
from staff.tests.test_friday_deployment_browser import PASSWORD, log_in

pytestmark = pytest.mark.slow


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def test_the_coordinator_links_an_activity_to_its_commitment_on_a_phone(
    committed_database, live_server, monkeypatch
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    promise, police, kommun = make_vingaker()
    user = get_user_model().objects.create_user(
        "samordnare_vingaker", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=COORDINATOR))
    promise.municipality.staff.add(user)
    TOTPDevice.objects.create(user=user, confirmed=True)
    epa = Commitment.objects.get(promise=promise, title=EPA)
    controls = Commitment.objects.get(promise=promise, title=CONTROLS)
    public = Client()
    before = sections(public, "/vingaker/2019/")

    origin = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        log_in(page, origin, "samordnare_vingaker")
        page.goto(f"{origin}/admin/promises/commitment/{epa.pk}/change/")
        page.click("text=Lägg till en aktivitet för åtagandet")
        page.wait_for_url("**/admin/promises/activity/add/**")
        # The form comes with the commitment chosen, and only it.
        assert page.is_checked(f"input[name=commitments][value='{epa.pk}']")
        assert not page.is_checked(f"input[name=commitments][value='{controls.pk}']")
        page.fill("#id_starts_at_0", "2019-04-12")
        page.fill("#id_starts_at_1", "20:00")
        page.fill("#id_title", "Riktad insats mot EPA-traktorer")
        page.check("label:has-text('Lokalpolisområde Katrineholm') input")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/activity/")
        assert page.locator(".messagelist .success").count() == 1
        no_sideways_scroll = page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        browser.close()

    assert no_sideways_scroll
    activity = Activity.objects.get(promise=promise)
    assert activity.kind == Activity.Kind.TRAFFIC
    assert list(activity.commitments.all()) == [epa]
    after = sections(public, "/vingaker/2019/")
    assert after[controls.pk] == before[controls.pk]
    assert "1 av 2" in after[epa.pk] and "0 av 2" in before[epa.pk]
    assert {pk for pk in after if after[pk] != before[pk]} == {epa.pk}
