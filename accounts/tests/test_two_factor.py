"""Two-factor authentication for staff (accounts/two_factor/), through the
HTTP client: the login form, the verification page and the admin behind them.

These tests log in through the form, except where they need a verified session
to begin with (login_verified, in promises/tests/factories.py).
"""

import logging
import os
import re
import secrets
import subprocess
import sys
import time
from base64 import b32decode
from pathlib import Path

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.checks import two_factor_required
from promises.tests.factories import PASSWORD, login_verified

PROJECT = Path(__file__).resolve().parents[2]
VERIFY = "/admin/tvastegsverifiering/"
WRONG_CODE = "Fel kod. Kontrollera koden och försök igen."


def log_in(client, user, next_url="/admin/"):
    """The password step through the admin's login form."""
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert "_auth_user_id" in client.session
    return response


def code(device, steps_ahead=0) -> str:
    """The code the user's app shows now (or steps_ahead periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enroll(client, user) -> TOTPDevice:
    """Log in with the password and add a device with its first code."""
    log_in(client, user)
    assert client.get(VERIFY).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    response = client.post(VERIFY, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    return device


def redirects_to_verification(response, next_url):
    return response.status_code == 302 and response["Location"] == (
        f"{VERIFY}?next={next_url.replace('/', '%2F')}"
    )


@pytest.fixture
def clock():
    """The suite's clock, stopped, for tests that mean time: they move it on by
    hand (clock.shift), and the app's codes stay those of that moment."""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def device_of(db):
    def make(user):
        return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)

    return make


# The password alone opens nothing


def changelists():
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


@pytest.mark.parametrize("persona", ["coordinator_haninge", "superuser"])
def test_a_password_alone_reaches_neither_the_admin_nor_any_changelist(
    client, request, db, persona
):
    user = request.getfixturevalue(persona)
    log_in(client, user)
    for url in ["/admin/", *changelists(), "/admin/password_change/"]:
        response = client.get(url)
        assert redirects_to_verification(response, url), (url, response)
        assert b"Matris" not in response.content
    # Nor a change made by a POST.
    response = client.post("/admin/promises/district/add/", {"name": "Nytt"})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_login_page_sends_a_password_only_session_to_the_verification(
    client, coordinator_haninge
):
    log_in(client, coordinator_haninge)
    response = client.get("/admin/login/?next=/admin/promises/activity/")
    assert redirects_to_verification(response, "/admin/promises/activity/")


def test_the_verification_page_needs_a_logged_in_staff_user(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


# Enrollment: the first login


def test_enrollment_shows_a_qr_code_and_the_secret(client, coordinator_haninge):
    log_in(client, coordinator_haninge)
    response = client.get(VERIFY)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=coordinator_haninge)
    assert not device.confirmed
    assert re.search(r'<svg role="img"[^>]*><title>QR-kod för din app</title>', html)
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', html)
    assert secret, html
    assert b32decode(secret.group(1).replace(" ", "")) == device.bin_key
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert '<label for="id_code">' in html
    # No inline script or style without the nonce (the CSP allows no other).
    nonces = set(re.findall(r'nonce="([^"]+)"', html))
    for tag in re.findall(r"<(?:script|style)[^>]*>", html):
        assert "src=" in tag or any(n in tag for n in nonces), tag
    assert " style=" not in html
    # The same secret on the next visit: scan once, retry freely.
    assert secret.group(1) in client.get(VERIFY).content.decode()
    assert TOTPDevice.objects.filter(user=coordinator_haninge).count() == 1


def test_a_correct_code_confirms_the_device_and_opens_the_admin(
    client, coordinator_haninge, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    log_in(client, coordinator_haninge)
    client.get(VERIFY)
    device = TOTPDevice.objects.get(user=coordinator_haninge)
    session_before = client.cookies["sessionid"].value
    the_code = code(device)
    response = client.post(VERIFY, {"code": the_code, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # A new session key once verified (no session fixation).
    assert client.cookies["sessionid"].value != session_before
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/promises/activity/").status_code == 200
    # Verified: the verification page sends the user on.
    assert client.get(VERIFY)["Location"] == "/admin/"
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith("2fa enrolled user='samordnare_haninge'")
        or m.startswith(f"2fa enrolled user={coordinator_haninge.username!r}")
        for m in messages
    ), messages
    assert the_code not in caplog.text
    assert device.key not in caplog.text


def test_a_wrong_code_gives_a_swedish_error_and_no_access(
    client, coordinator_haninge, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    log_in(client, coordinator_haninge)
    client.get(VERIFY)
    device = TOTPDevice.objects.get(user=coordinator_haninge)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert redirects_to_verification(client.get("/admin/"), "/admin/")
    assert any(
        r.getMessage().startswith(
            f"2fa failed user={coordinator_haninge.username!r} ip=127.0.0.1"
        )
        for r in caplog.records
    )
    assert wrong not in caplog.text


@pytest.mark.parametrize("typed", ["", "abc123", "12345", "1234567", "١٢٣٤٥٦"])
def test_a_malformed_code_gives_a_swedish_error(client, coordinator_haninge, typed):
    log_in(client, coordinator_haninge)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Koden är sex siffror" in html or "Ange koden" in html
    assert DEVICE_ID_SESSION_KEY not in client.session


# The next login


def test_a_user_with_a_device_is_asked_for_the_code_at_the_next_login(
    client, coordinator_haninge
):
    device = enroll(client, coordinator_haninge)
    other = Client()
    log_in(other, coordinator_haninge)
    assert redirects_to_verification(other.get("/admin/"), "/admin/")
    html = other.get(VERIFY).content.decode()
    assert "QR-kod" not in html and "two-factor-secret" not in html
    assert "engångskoden" in html
    # The code just used is refused (no replay); the next one opens the admin.
    assert WRONG_CODE in other.post(VERIFY, {"code": code(device)}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = other.post(VERIFY, {"code": code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert other.get("/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator_haninge).count() == 1


def test_another_users_device_does_not_verify(client, coordinator_haninge, device_of):
    from promises.tests.factories import make_user

    someone = make_user("nagon_annan", None)
    theirs = device_of(someone)
    device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    response = client.post(VERIFY, {"code": code(theirs)})
    assert response.status_code == 200
    assert redirects_to_verification(client.get("/admin/"), "/admin/")


# Where the user is sent


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"]
)
def test_next_to_another_site_is_not_followed(
    client, coordinator_haninge, device_of, next_url
):
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    response = client.post(VERIFY, {"code": code(device), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_local_next_is_followed(client, coordinator_haninge, device_of):
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge, next_url="/admin/promises/activity/")
    response = client.get("/admin/promises/activity/")
    assert redirects_to_verification(response, "/admin/promises/activity/")
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/admin/promises/activity/"' in page
    response = client.post(
        VERIFY, {"code": code(device), "next": "/admin/promises/activity/"}
    )
    assert response["Location"] == "/admin/promises/activity/"


# Wrong codes: three free tries, then a wait that doubles (two_factor/throttling.py)


def wrong_code(device) -> str:
    """A code the app shows neither now nor in the periods either side."""
    valid = {code(device, steps) for steps in (-1, 0, 1)}
    now = int(code(device))
    return next(
        wrong
        for n in range(1, 10)
        if (wrong := f"{(now + n) % 1_000_000:06d}") not in valid
    )


def wait_message(count, wait):
    return (
        f"Fel kod. Du har skrivit fel kod {count} gånger i rad och måste vänta "
        f"{wait} innan du försöker igen."
    )


def throttled_message(wait):
    return f"För många felaktiga koder i rad. Vänta {wait} och försök sedan igen."


def errors_of(response) -> list[str]:
    """The error messages on the page: each shown once, at the field."""
    html = response.content.decode()
    return re.findall(r'<ul class="errorlist" id="id_code_error"><li>(.*?)</li>', html)


def test_the_right_code_straight_after_a_wrong_one_opens_the_admin(
    client, coordinator_haninge, device_of, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    # The message once, at the field, which it describes.
    assert errors_of(response) == [WRONG_CODE]
    assert response.content.decode().count("Fel kod") == 1
    assert 'aria-describedby="id_code_helptext id_code_error"' in (
        response.content.decode()
    )
    response = client.post(VERIFY, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # the count starts over
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith(f"2fa failed user={coordinator_haninge.username!r}")
        and m.endswith(" failures=1 wait=0")
        for m in messages
    ), messages


def test_after_three_wrong_codes_the_user_waits_30_seconds_and_is_told_so(
    client, coordinator_haninge, device_of, caplog, clock
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    for _ in range(2):
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert errors_of(response) == [WRONG_CODE]
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert errors_of(response) == [wait_message(3, "30 sekunder")]
    # While the user waits, not even the right code is checked.
    response = client.post(VERIFY, {"code": code(device)})
    assert errors_of(response) == [throttled_message("30 sekunder")]
    clock.shift(12)
    response = client.post(VERIFY, {"code": code(device)})
    assert errors_of(response) == [throttled_message("18 sekunder")]
    assert redirects_to_verification(client.get("/admin/"), "/admin/")
    # Tries while waiting are not counted: the wait is still 30 seconds.
    clock.shift(18)
    response = client.post(VERIFY, {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith("2fa throttled user=") and m.endswith(" wait=30") for m in messages
    ), messages
    assert any(m.endswith(" failures=3 wait=30") for m in messages), messages


def test_each_further_wrong_code_doubles_the_wait_up_to_an_hour(
    client, coordinator_haninge, device_of, clock
):
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    waits = {
        3: (30, "30 sekunder"),
        4: (60, "1 minut"),
        5: (120, "2 minuter"),
        6: (240, "4 minuter"),
        7: (480, "8 minuter"),
        8: (960, "16 minuter"),
        9: (1920, "32 minuter"),
        10: (3600, "60 minuter"),
        11: (3600, "60 minuter"),
    }
    for failures in range(1, 12):
        response = client.post(VERIFY, {"code": wrong_code(device)})
        if failures in waits:
            seconds, words = waits[failures]
            assert errors_of(response) == [wait_message(failures, words)]
            clock.shift(seconds - 1)
            response = client.post(VERIFY, {"code": code(device)})
            assert errors_of(response) == [throttled_message("1 sekund")]
            clock.shift(1)
        else:
            assert errors_of(response) == [WRONG_CODE]
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 302


def test_a_new_login_does_not_start_the_count_over(
    client, coordinator_haninge, device_of, clock
):
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    for _ in range(3):
        client.post(VERIFY, {"code": wrong_code(device)})
    again = Client()
    log_in(again, coordinator_haninge)
    response = again.post(VERIFY, {"code": code(device)})
    assert errors_of(response) == [throttled_message("30 sekunder")]


# Recovery codes


RECOVERY = "/admin/tvastegsverifiering/reservkoder/"
NEW_PHONE = "/admin/tvastegsverifiering/ny-telefon/"


def make_recovery_codes(client) -> list[str]:
    """Press "Skapa reservkoder" in a verified session, with the password; the
    codes as shown."""
    response = client.post(RECOVERY, {"password": PASSWORD})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>(\d{5} \d{5})</code></li>", response.content.decode()
    )
    assert len(codes) == 10, response.content.decode()
    return codes


def test_a_verified_user_makes_ten_recovery_codes_shown_once(
    client, coordinator_haninge, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    login_verified(client, coordinator_haninge)
    # Reachable from every admin page, in the user tools.
    index = client.get("/admin/").content.decode()
    assert f'<a href="{RECOVERY}">Reservkoder</a>' in index
    # Until the user has some, the start page says why to make them.
    assert "Du har inga reservkoder." in index
    page = client.get(RECOVERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Du har inga reservkoder." in html
    assert 'value="Skapa 10 reservkoder"' in html
    response = client.post(RECOVERY, {"password": PASSWORD})
    codes = make_recovery_codes_from(response)
    assert len(set(codes)) == 10
    html = response.content.decode()
    assert "Spara koderna nu. De visas bara den här gången." in html
    assert "Spara dem inte i telefonen som har autentiseringsappen" in html
    assert "no-store" in response["Cache-Control"]
    # Shown once: the page says how many are left, never the codes again.
    html = client.get(RECOVERY).content.decode()
    assert "Du har 10 oanvända reservkoder." in html
    assert not any(c in html or c.replace(" ", "") in html for c in codes)
    assert 'value="Skapa 10 nya reservkoder"' in html
    assert "Du har inga reservkoder." not in client.get("/admin/").content.decode()
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith(
            f"2fa recovery codes created user={coordinator_haninge.username!r}"
        )
        and m.endswith(" count=10 replaced=0")
        for m in messages
    ), messages
    for recovery_code in codes:
        assert recovery_code.replace(" ", "") not in caplog.text


def make_recovery_codes_from(response) -> list[str]:
    return re.findall(r"<li><code>(\d{5} \d{5})</code></li>", response.content.decode())


def test_a_recovery_code_opens_the_admin_once(client, coordinator_haninge, caplog):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    enroll(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    phoneless = Client()
    log_in(phoneless, coordinator_haninge)
    page = phoneless.get(VERIFY).content.decode()
    assert "en av dina reservkoder (tio siffror)" in page
    assert "Skriv in en av dina reservkoder i stället" in page
    # Typed as shown, with its space.
    response = phoneless.post(VERIFY, {"code": codes[0], "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    start = phoneless.get("/admin/")
    assert start.status_code == 200
    html = start.content.decode()
    assert "Du loggade in med en reservkod. Den fungerar inte igen; du har 9" in html
    assert f'href="{NEW_PHONE}"' in html
    # Used: it no longer works; the others do, typed without the space.
    another = Client()
    log_in(another, coordinator_haninge)
    response = another.post(VERIFY, {"code": codes[0]})
    assert errors_of(response) == [WRONG_CODE]
    response = another.post(VERIFY, {"code": codes[1].replace(" ", "")})
    assert response.status_code == 302
    assert "du har 8 reservkoder kvar" in another.get("/admin/").content.decode()
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith("2fa verified with a recovery code user=") and m.endswith("left=9")
        for m in messages
    ), messages
    for recovery_code in codes:
        assert recovery_code.replace(" ", "") not in caplog.text


def test_new_recovery_codes_replace_the_old(client, coordinator_haninge, caplog):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    enroll(client, coordinator_haninge)
    old = make_recovery_codes(client)
    new = make_recovery_codes(client)
    assert not set(old) & set(new)
    other = Client()
    log_in(other, coordinator_haninge)
    assert errors_of(other.post(VERIFY, {"code": old[0]})) == [WRONG_CODE]
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302
    assert any(r.getMessage().endswith(" count=10 replaced=10") for r in caplog.records)


def test_recovery_codes_and_app_codes_count_as_wrong_codes_together(
    client, coordinator_haninge, clock
):
    device = enroll(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    other = Client()
    log_in(other, coordinator_haninge)
    other.post(VERIFY, {"code": wrong_code(device)})
    other.post(VERIFY, {"code": "00000 00000"})
    response = other.post(VERIFY, {"code": wrong_code(device)})
    assert errors_of(response) == [wait_message(3, "30 sekunder")]
    # A recovery code waits too, and is not used up.
    response = other.post(VERIFY, {"code": codes[0]})
    assert errors_of(response) == [throttled_message("30 sekunder")]
    assert "Du har 10 oanvända reservkoder." in client.get(RECOVERY).content.decode()


def test_the_last_recovery_code_says_to_make_new_ones(client, coordinator_haninge):
    enroll(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    for recovery_code in codes:
        other = Client()
        log_in(other, coordinator_haninge)
        assert other.post(VERIFY, {"code": recovery_code}).status_code == 302
    html = other.get("/admin/").content.decode()
    assert "Du loggade in med din sista reservkod." in html
    assert "Du har inga reservkoder." in html


@pytest.mark.parametrize("typed", ["12345 6789", "123456789012", "abcde fghij"])
def test_a_malformed_recovery_code_gives_a_swedish_error(
    client, coordinator_haninge, device_of, typed
):
    device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    response = client.post(VERIFY, {"code": typed})
    assert errors_of(response) == [
        "Koden är sex siffror från appen, till exempel 123456, eller tio siffror om "
        "du använder en reservkod."
    ]


def test_the_recovery_codes_page_needs_the_second_factor(
    client, coordinator_haninge, device_of
):
    assert client.get(RECOVERY)["Location"].startswith("/admin/login/")
    device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    for response in [client.get(RECOVERY), client.post(RECOVERY)]:
        assert redirects_to_verification(response, RECOVERY)
    assert not StaticToken.objects.exists()
    # Nor is the link there before the second factor.
    assert "Reservkoder" not in client.get(VERIFY).content.decode()


def test_adding_an_app_takes_no_recovery_code(client, coordinator_haninge, superuser):
    """A user whose device a superuser deleted adds a new one with the new app."""
    lost = enroll(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    lost.delete()
    again = Client()
    log_in(again, coordinator_haninge)
    response = again.post(VERIFY, {"code": codes[0]})
    assert errors_of(response) == ["Koden är sex siffror, till exempel 123456."]
    assert redirects_to_verification(again.get("/admin/"), "/admin/")


# A new phone, without a superuser


def test_a_user_who_lost_the_phone_logs_in_with_a_recovery_code_and_adds_a_new_one(
    client, coordinator_haninge, caplog, clock
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    lost = enroll(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    phoneless = Client()
    log_in(phoneless, coordinator_haninge)
    phoneless.post(VERIFY, {"code": codes[0]})
    html = phoneless.get(NEW_PHONE).content.decode()
    assert re.search(r'<svg role="img"[^>]*><title>QR-kod för din app</title>', html)
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', html)
    new = TOTPDevice.objects.get(user=coordinator_haninge, confirmed=False)
    assert b32decode(secret.group(1).replace(" ", "")) == new.bin_key != lost.bin_key
    # The same key on the next visit: scan once.
    assert secret.group(1) in phoneless.get(NEW_PHONE).content.decode()
    # A wrong code changes nothing.
    response = phoneless.post(
        NEW_PHONE, {"code": wrong_code(new), "password": PASSWORD}
    )
    assert errors_of(response) == [WRONG_CODE]
    assert TOTPDevice.objects.filter(pk=lost.pk, confirmed=True).exists()
    response = phoneless.post(NEW_PHONE, {"code": code(new), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == RECOVERY
    assert "Appen i den nya telefonen är tillagd." in (
        phoneless.get(RECOVERY).content.decode()
    )
    assert list(TOTPDevice.objects.filter(user=coordinator_haninge)) == [new]
    # The session of the lost phone is verified no more; the new phone's code
    # opens the admin at the next login, the old phone's does not.
    assert redirects_to_verification(client.get("/admin/"), "/admin/")
    clock.shift(60)
    later = Client()
    log_in(later, coordinator_haninge)
    assert errors_of(later.post(VERIFY, {"code": code(lost)})) == [WRONG_CODE]
    assert later.post(VERIFY, {"code": code(new)}).status_code == 302
    assert any(
        r.getMessage().startswith("2fa device replaced user=") for r in caplog.records
    )
    assert new.key not in caplog.text


def test_a_new_phone_needs_the_second_factor(client, coordinator_haninge, device_of):
    device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    assert redirects_to_verification(client.get(NEW_PHONE), NEW_PHONE)
    assert redirects_to_verification(
        client.post(NEW_PHONE, {"code": "123456"}), NEW_PHONE
    )
    assert TOTPDevice.objects.filter(user=coordinator_haninge).count() == 1


def test_only_superusers_see_the_recovery_codes_in_the_admin(
    client, coordinator_haninge, superuser
):
    login_verified(client, coordinator_haninge)
    codes = make_recovery_codes(client)
    assert "/admin/otp_static/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/otp_static/staticdevice/").status_code == 403
    admin_client = Client()
    login_verified(admin_client, superuser)
    device = StaticDevice.objects.get(user=coordinator_haninge)
    for url in [
        "/admin/otp_static/staticdevice/",
        f"/admin/otp_static/staticdevice/{device.pk}/change/",
        "/admin/otp_static/staticdevice/add/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not any(c.replace(" ", "") in html for c in codes), url
    assert (
        "Reservkoder kvar"
        in admin_client.get("/admin/otp_static/staticdevice/").content.decode()
    )


# Logging out, and a lost device


def test_a_password_only_session_can_log_out(client, coordinator_haninge):
    log_in(client, coordinator_haninge)
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_superuser_deletes_a_lost_device_and_the_user_enrolls_anew(
    client, coordinator_haninge, superuser
):
    lost = enroll(client, coordinator_haninge)
    admin_client = Client()
    login_verified(admin_client, superuser)
    url = f"/admin/otp_totp/totpdevice/{lost.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    # The old session is no longer verified, and the next login enrolls.
    assert redirects_to_verification(client.get("/admin/"), "/admin/")
    again = Client()
    log_in(again, coordinator_haninge)
    assert "two-factor-secret" in again.get(VERIFY).content.decode()


def test_only_superusers_see_the_devices(client, coordinator_haninge, device_of):
    device_of(coordinator_haninge)
    login_verified(client, coordinator_haninge)
    index = client.get("/admin/").content.decode()
    assert "/admin/otp_totp/" not in index
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403


# REQUIRE_2FA


def test_without_require_2fa_the_password_opens_the_admin(
    client, coordinator_haninge, settings
):
    settings.REQUIRE_2FA = False
    log_in(client, coordinator_haninge)
    assert client.get("/admin/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/admin/"
    assert not TOTPDevice.objects.exists()


def test_the_check_refuses_production_without_2fa(settings):
    settings.DEBUG = False
    settings.REQUIRE_2FA = False
    errors = two_factor_required(None)
    assert [e.id for e in errors] == ["medborgarlofte.E001"]
    settings.REQUIRE_2FA = True
    assert two_factor_required(None) == []
    settings.DEBUG, settings.REQUIRE_2FA = True, False  # make run
    assert two_factor_required(None) == []


@pytest.mark.slow  # a process of its own (conftest.py)
def test_check_deploy_fails_with_production_settings_and_2fa_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DEBUG", "DATABASE_URL", "SECURE_SSL_REDIRECT"}
            },
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "medborgarlofte.example.se",
            "STATIC_MANIFEST": "false",
            "REQUIRE_2FA": "false",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "medborgarlofte.E001" in result.stderr + result.stdout


# Replacing a factor asks for the password again (ASVS 7.5.1, issue 23)

NOT_YOUR_PASSWORD = "Lösenordet stämmer inte."


def test_new_recovery_codes_need_the_password(client, coordinator_haninge):
    enroll(client, coordinator_haninge)
    old = make_recovery_codes(client)
    for data in [{}, {"password": "fel-lösenord"}]:
        response = client.post(RECOVERY, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<code>" not in html
        assert (NOT_YOUR_PASSWORD if data else "Skriv ditt lösenord") in html
    # The old codes still work: nothing was replaced.
    tokens = StaticToken.objects.filter(device__user=coordinator_haninge)
    assert sorted(t.token for t in tokens) == sorted(c.replace(" ", "") for c in old)


def test_a_new_phone_needs_the_password(client, coordinator_haninge):
    old = enroll(client, coordinator_haninge)
    client.get(NEW_PHONE)
    new = TOTPDevice.objects.get(user=coordinator_haninge, confirmed=False)
    for data in [{"code": code(new)}, {"code": code(new), "password": "fel"}]:
        response = client.post(NEW_PHONE, data)
        assert response.status_code == 200
        assert list(
            TOTPDevice.objects.filter(user=coordinator_haninge, confirmed=True)
        ) == [old]
    response = client.post(NEW_PHONE, {"code": code(new), "password": PASSWORD})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=coordinator_haninge)) == [new]
