"""In a real browser at phone width: the police liaison logs this Friday's deployment,
and the coordinator sees it. Debian's Chromium, driven by Playwright."""

import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from promises.models import Activity, OperationalPicture
from promises.tests.factories import committed_then_restored
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

PASSWORD = "ett-langt-demolosenord"


def log_in(page, origin, username):
    """The password, then the code of the user's authenticator app (2FA). Without a
    device the page shows the key to type into an app: read it, as an app would."""
    page.goto(f"{origin}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/tvastegsverifiering/**")
    if page.locator("#two-factor-secret").count():
        key = b32decode(page.inner_text("#two-factor-secret").replace(" ", ""))
    else:
        key = TOTPDevice.objects.get(user__username=username).bin_key
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    page.click("#two-factor-form input[type=submit]")


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def test_the_liaison_logs_a_friday_deployment_on_a_phone_in_under_a_minute(
    committed_database, live_server, monkeypatch, settings
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_haninge", "--demo", verbosity=0)
    before = Activity.objects.filter(kind=Activity.Kind.DEPLOYMENT).count()
    # The coordinator has a device already; the liaison adds one at the login.
    TOTPDevice.objects.create(
        user=get_user_model().objects.get(username="samordnare"), confirmed=True
    )
    origin = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        started = time.monotonic()
        log_in(page, origin, "kontaktperson")
        page.click("text=Ny fredagsutsättning")
        # The defaults are this week's Friday, Haninge's promise and the police.
        assert page.input_value("#id_promise") != ""
        assert page.is_checked(
            "label:has-text('Lokalpolisområde Haninge/Nynäshamn') input"
        )
        # The commitment it serves comes chosen (this year's, the one whose
        # target counts deployments).
        assert page.is_checked(
            "label:has-text('Veckovisa utsättningar på fredagar (Haninge 2026)') input"
        )
        page.check("label:has-text('Jordbro') input")
        page.fill("#id_participants", "7")
        page.fill("#id_operational_picture-0-text", "LÄGESBILD-FRÅN-TELEFONEN")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/promises/fridaydeployment/")
        assert page.locator(".messagelist .success").count() == 1
        elapsed = time.monotonic() - started
        no_sideways_scroll = page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
        phone.close()

        desktop = browser.new_context(viewport={"width": 1280, "height": 800})
        page = desktop.new_page()
        log_in(page, origin, "samordnare")
        page.goto(f"{origin}/admin/promises/activity/?kind__exact=deployment")
        listing = page.content()
        browser.close()

    # Under a minute for a person: one tap to the form, three fields, one save
    # (the test's own clock time depends on the machine, so it is only printed).
    print(f"Logged a Friday deployment at 360 px in {elapsed:.1f} s of browser time")
    assert no_sideways_scroll
    deployment = Activity.objects.filter(kind=Activity.Kind.DEPLOYMENT).latest("pk")
    assert Activity.objects.filter(kind=Activity.Kind.DEPLOYMENT).count() == before + 1
    assert timezone.localdate(deployment.starts_at).isoweekday() == 5
    assert [d.name for d in deployment.districts.all()] == ["Jordbro"]
    assert [(c.title, c.promise.year) for c in deployment.commitments.all()] == [
        ("Veckovisa utsättningar på fredagar", 2026)
    ]
    assert deployment.participants == 7
    assert OperationalPicture.objects.get(activity=deployment).text == (
        "LÄGESBILD-FRÅN-TELEFONEN"
    )
    assert deployment.history.first().history_user == get_user_model().objects.get(
        username="kontaktperson"
    )
    assert f"/admin/promises/activity/{deployment.pk}/change/" in listing
    assert "LÄGESBILD-FRÅN-TELEFONEN" not in listing
