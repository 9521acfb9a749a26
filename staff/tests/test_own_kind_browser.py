"""In a real browser at phone width: Vingåker's coordinator adds the municipality's
own kind of work ("Tillsyn", "tillsyner") and a party (Kustbevakningen), a target
of the kind, and an activity linked to its commitment; the public page counts it
in the kind's own words (issue 20). Debian's Chromium, driven by Playwright."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from promises.models import Activity, FocusArea, Kind, Organisation, Target
from promises.roles import COORDINATOR
from promises.tests.factories import committed_then_restored
from public.tests.test_truthful_vingaker import make_vingaker
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium
from staff.tests.test_friday_deployment_browser import PASSWORD, log_in

pytestmark = pytest.mark.slow

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def test_the_coordinator_adds_a_kind_and_a_party_and_links_an_activity_on_a_phone(
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
    area = FocusArea.objects.filter(promise=promise).first()
    commitment = area.commitments.create(title="Tillsyn av serveringsställen")

    origin = live_server.url
    fits = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        log_in(page, origin, "samordnare_vingaker")

        page.goto(f"{origin}/admin/promises/kind/add/")
        fits["kind form"] = page.evaluate(FITS)
        page.fill("#id_name", "Tillsyn")
        page.fill("#id_plural", "tillsyner")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/kind/")
        fits["kinds"] = page.evaluate(FITS)

        page.goto(f"{origin}/admin/promises/organisation/add/")
        page.fill("#id_name", "Kustbevakningen")
        page.select_option("#id_kind", Organisation.Kind.PARTNER)
        fits["party form"] = page.evaluate(FITS)
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/organisation/")

        page.goto(f"{origin}/admin/promises/target/add/")
        page.select_option("#id_commitment", str(commitment.pk))
        page.select_option("#id_kind", label="Tillsyn")
        page.fill("#id_count", "2")
        page.select_option("#id_frequency", Target.Period.YEAR)
        fits["target form"] = page.evaluate(FITS)
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/target/")

        page.goto(f"{origin}/admin/promises/commitment/{commitment.pk}/change/")
        fits["commitment"] = page.evaluate(FITS)
        page.click("text=Lägg till en aktivitet för åtagandet")
        page.wait_for_url("**/admin/promises/activity/add/**")
        assert page.is_checked(f"input[name=commitments][value='{commitment.pk}']")
        page.fill("#id_starts_at_0", "2019-04-12")
        page.fill("#id_starts_at_1", "20:00")
        page.fill("#id_title", "Tillsyn på krogarna i Vingåker")
        page.check("label:has-text('Kustbevakningen') input")
        fits["activity form"] = page.evaluate(FITS)
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/activity/")
        assert page.locator(".messagelist .success").count() == 1
        fits["activities"] = page.evaluate(FITS)
        browser.close()

    assert fits == dict.fromkeys(fits, True)
    kind = Kind.objects.get(municipality=promise.municipality)
    activity = Activity.objects.get(promise=promise)
    assert activity.kind == kind.code
    assert list(activity.commitments.all()) == [commitment]
    assert [o.name for o in activity.organisations.all()] == ["Kustbevakningen"]
    page = Client().get(f"/vingaker/2019/atagande/{commitment.pk}/").content.decode()
    assert "Minst 2 tillsyner per år" in page
    assert "1 av 2 tillsyner" in page
