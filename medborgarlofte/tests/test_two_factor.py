"""Two-factor authentication for staff (medborgarlofte/two_factor.py), through the
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
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from medborgarlofte.checks import two_factor_required
from promises.tests.factories import PASSWORD, login_verified

PROJECT = Path(__file__).resolve().parents[2]
VERIFY = "/admin/tvastegsverifiering/"
WRONG_CODE = "Fel kod. Kontrollera koden och försök igen."
THROTTLED = "För många felaktiga koder."


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
    from base64 import b32decode

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


# Throttling


def test_repeated_wrong_codes_are_throttled(
    client, coordinator_haninge, device_of, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    device = device_of(coordinator_haninge)
    log_in(client, coordinator_haninge)
    wrong = f"{(int(code(device)) + 5) % 1_000_000:06d}"
    assert WRONG_CODE in client.post(VERIFY, {"code": wrong}).content.decode()
    # At once after a failure, even the right code is refused, and says why.
    response = client.post(VERIFY, {"code": code(device)})
    assert THROTTLED in response.content.decode()
    assert redirects_to_verification(client.get("/admin/"), "/admin/")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Each failure doubles the wait: after five, 16 seconds.
    device.throttling_failure_count = 5
    device.save()
    response = client.post(VERIFY, {"code": code(device)})
    assert THROTTLED in response.content.decode()
    assert any(r.getMessage().startswith("2fa throttled") for r in caplog.records)
    # Once the wait is over the right code is accepted, and the count starts over.
    from django.utils import timezone

    device.throttling_failure_timestamp = timezone.now() - timezone.timedelta(
        seconds=17
    )
    device.save()
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/admin/").status_code == 200


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
