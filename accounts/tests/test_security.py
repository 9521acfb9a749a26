"""Security headers, cookies, login throttling, sessions, the security log, error
pages and `check --deploy` with production settings."""

import logging
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from accounts.security import LOGIN_TIME_KEY
from promises.tests.factories import PASSWORD, login_verified

PROJECT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/?next=/admin/"
EMBED = "/haninge/2026/inbaddning/"


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split(" ", 1) for part in policy.split(";")]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def public_url(db):
    from django.urls import reverse

    return reverse("public:accessibility")


# Headers


def test_a_public_page_has_a_strict_content_security_policy(client, public_url):
    response = client.get(public_url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_a_public_page_has_the_other_security_headers(client, public_url):
    response = client.get(public_url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_when_configured(client, public_url, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(public_url, secure=True)
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in client.get(public_url)


def test_http_is_redirected_to_https_when_configured(client, public_url, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(public_url)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{public_url}"
    assert client.get(public_url, secure=True).status_code == 200


def test_the_embed_page_may_be_framed_and_keeps_the_strict_scripts(
    client, promise_haninge
):
    response = client.get(EMBED)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = directives(response)
    assert policy["frame-ancestors"] == "'self'"
    assert policy["script-src"] == "'self'"


def test_the_admin_pages_work_under_the_policy_with_a_nonce(client, superuser):
    """The admin's own scripts are files; its few inline elements carry the nonce
    of the request, which is then in the header. Nothing inline runs without it."""
    login_verified(client, superuser)
    for url in [
        "/admin/",
        "/admin/promises/promise/",
        "/admin/promises/fridaydeployment/add/",
        "/admin/auth/user/add/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        policy = directives(response)
        nonces = set(re.findall(r'nonce="([^"]+)"', html))
        assert len(nonces) <= 1, url
        for nonce in nonces:
            assert f"'nonce-{nonce}'" in policy["script-src"], url
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or "application/json" in tag, (url, tag)
        assert " on" not in " ".join(re.findall(r"<[^>]+ on[a-z]+=", html)), url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url


# Cookies


def test_the_session_and_csrf_cookies_are_secure_and_http_only(client, superuser):
    response = login(client, "superuser", PASSWORD)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    csrf = client.get(LOGIN).cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


# Login throttling


def test_five_failed_logins_lock_the_user_name_from_that_address(client, superuser):
    for _ in range(4):
        assert login(client, "superuser", "fel-lösenord").status_code == 200
    assert login(client, "superuser", "fel-lösenord").status_code == 429
    locked = login(client, "superuser", PASSWORD)
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same user from another address, and another user from this one, may.
    assert login(Client(), "superuser", PASSWORD, ip="10.0.0.2").status_code == 302


def test_another_user_from_the_locked_address_may_log_in(client, superuser):
    from promises.tests.factories import make_user

    make_user("annan", None, is_superuser=True)
    for _ in range(5):
        login(client, "superuser", "fel-lösenord")
    assert login(client, "superuser", PASSWORD).status_code == 429
    assert login(client, "annan", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, superuser, settings):
    import datetime

    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "superuser", "fel-lösenord")
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    )
    assert login(client, "superuser", PASSWORD).status_code == 302


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client, superuser):
    def error(response):
        html = response.content.decode()
        return re.search(r'<p class="errornote">(.*?)</p>', html, re.S).group(1)

    wrong_password = login(client, "superuser", "fel-lösenord")
    unknown_user = login(Client(), "finns-inte", "fel-lösenord")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert error(wrong_password) == error(unknown_user)
    # And unknown user names are locked out like known ones.
    for _ in range(4):
        login(client, "finns-inte", "fel-lösenord")
    assert login(client, "finns-inte", "fel-lösenord").status_code == 429


@pytest.mark.slow  # a process of its own (conftest.py)
def test_the_throttling_settings_come_from_the_environment():
    result = run_python(
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, "
        "settings.AXES_LOCKOUT_PARAMETERS)",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="60",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3 1:00:00 [['username', 'ip_address']]"


# Passwords


def test_long_passwords_are_accepted_and_short_ones_refused(db):
    validate_password("Trygghet i Handen! " * 5 + "x" * 5)  # 100 characters
    with pytest.raises(ValidationError):
        validate_password("kort-lösen1")  # 11 characters
    with pytest.raises(ValidationError):
        validate_password("password1234")


# Sessions


def test_a_session_ends_after_the_idle_time(client, superuser, settings):
    login_verified(client, superuser)
    response = client.get("/admin/")
    assert response.status_code == 200
    # Renewed on every request: the cookie's age is the idle timeout.
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_ends_at_the_absolute_limit(client, superuser, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    login_verified(client, superuser)
    assert client.get("/admin/").status_code == 200
    session = client.session
    assert time.time() - session[LOGIN_TIME_KEY] < 60
    session[LOGIN_TIME_KEY] = time.time() - 3500
    session.save()
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LOGIN_TIME_KEY] = time.time() - 3700
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_login_through_the_form_starts_the_absolute_clock(client, superuser):
    login(client, "superuser", PASSWORD)
    assert time.time() - client.session[LOGIN_TIME_KEY] < 60


# The security log


def test_logins_failed_logins_and_denials_are_logged_without_passwords(
    client, superuser, staff_without_group, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    login(client, "superuser", "hemligt-fel-lösenord")
    login(client, "superuser", PASSWORD)
    other = Client()
    login_verified(other, staff_without_group)
    assert other.get("/admin/auth/user/").status_code == 403
    records = [r for r in caplog.records if r.name == "medborgarlofte.security"]
    messages = [r.getMessage() for r in records]
    assert any(
        m.startswith("login failed user='superuser' ip=10.0.0.1") for m in messages
    )
    assert any(m.startswith("login user='superuser' ip=10.0.0.1") for m in messages)
    assert any(
        m.startswith("permission denied status=403 user='personal_utan_roll'")
        and "path=/admin/auth/user/" in m
        for m in messages
    ), messages
    assert not any("hemligt" in m or PASSWORD in m for m in messages)
    assert "hemligt" not in caplog.text and PASSWORD not in caplog.text


def test_a_lockout_is_logged(client, superuser, caplog):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    for _ in range(5):
        login(client, "superuser", "fel-lösenord")
    assert any(
        r.getMessage().startswith("login locked out user='superuser' ip=10.0.0.1")
        for r in caplog.records
    )


def test_the_address_comes_from_x_forwarded_for_only_when_trusted(
    client, superuser, settings, caplog
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    client.post(LOGIN, {"username": "a", "password": "b"}, **forwarded)
    settings.TRUST_X_FORWARDED_FOR = True
    client.post(LOGIN, {"username": "c", "password": "d"}, **forwarded)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("login failed user='a' ip=127.0.0.1") for m in messages)
    assert any(m.startswith("login failed user='c' ip=198.51.100.7") for m in messages)


# Error pages


def test_the_404_page_is_in_swedish_on_the_sites_layout(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Sidan finns inte</h1>" in html
    assert "site-header" in html
    assert "Traceback" not in html and "Page not found" not in html


def test_the_500_page_is_in_swedish_and_needs_no_database(
    django_assert_num_queries, db
):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Något gick fel</h1>" in html


def test_an_error_shows_no_stack_trace(db, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("HEMLIG detalj")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("x", broken)]})
    response = Client(raise_request_exception=False).get("/x")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel" in html
    assert "HEMLIG" not in html and "Traceback" not in html


# Production settings


def run_python(code: str, **env):
    ours = {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "STATIC_MANIFEST",
        "EMBED_ALLOWED_ORIGINS",
    }
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in ours
        and not key.startswith(("SECURE_", "SESSION_", "CSRF_", "AXES_", "TRUST_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            **env,
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.slow  # a process of its own (conftest.py)
def test_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=PROJECT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                # CACHE_URL: the tests' locmemcache://, refused with workers.
                if k
                not in {"DEBUG", "DATABASE_URL", "SECURE_SSL_REDIRECT", "CACHE_URL"}
            },
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "medborgarlofte.example.se",
            "STATIC_MANIFEST": "false",
            "EMAIL_URL": "smtp+tls://medborgarlofte:hemligt@smtp.example.se:587",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # a process of its own (conftest.py)
def test_production_must_name_a_mail_server():
    """Without EMAIL_URL the links to choose a password would only be printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DEBUG", "DATABASE_URL", "EMAIL_URL"}
            },
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "medborgarlofte.example.se",
            "STATIC_MANIFEST": "false",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "mail.E001" in result.stdout + result.stderr


@pytest.mark.slow  # a process of its own (conftest.py)
def test_production_defaults_are_safe_and_debug_serves_plain_http():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    production = run_python(code)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["True", "31536000", "True", "True", "None"]
    debug = run_python(code, DEBUG="true")
    assert debug.stdout.split() == ["False", "0", "False", "False", "None"]
    proxy = run_python(code, TRUST_X_FORWARDED_PROTO="true")
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in proxy.stdout


def test_the_health_check_is_not_redirected_to_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_the_lockouts_can_be_cleaned_up_in_the_admin(client, superuser):
    from axes.models import AccessAttempt

    login(Client(), "superuser", "fel-lösenord")
    attempt = AccessAttempt.objects.get()
    login_verified(client, superuser)
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 1  # not expired yet


def test_the_deploy_checks_refuse_any_host_and_a_cache_per_worker(
    settings, monkeypatch
):
    """Issue 23: ALLOWED_HOSTS=* lets anyone choose the host of the links in the
    password mails; a cache of its own in each of several gunicorn workers keeps
    each worker's pages and counters from the others."""
    from django.core.checks import run_checks

    def ids() -> set[str]:
        checks = run_checks(tags=["security"], include_deployment_checks=True)
        return {m.id for m in checks}

    settings.ALLOWED_HOSTS = ["*"]
    assert "medborgarlofte.E002" in ids()
    settings.ALLOWED_HOSTS = ["medborgarlofte.example.se"]
    assert "medborgarlofte.E002" not in ids()

    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": locmem}
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)  # gunicorn's 3
    assert "medborgarlofte.E003" in ids()
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert "medborgarlofte.E003" not in ids()
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    # As the settings make it from CACHE_URL=locmemcache://: wrapped.
    wrapped = {
        "BACKEND": "staff.cache.FailSafeCache",
        "OPTIONS": {"CACHE": locmem},
    }
    settings.CACHES = {"default": wrapped}
    assert "medborgarlofte.E003" in ids()
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "c",
        }
    }
    assert "medborgarlofte.E003" not in ids()


@pytest.mark.django_db
def test_two_superusers_editing_one_user_lose_nothing(superuser, coordinator_haninge):
    """Issue 23: optimistic locking on the users' admin too."""
    from django.contrib.auth import get_user_model

    from promises.tests.admin_forms import form_values
    from promises.tests.factories import make_user

    other = make_user("superuser2", None, is_superuser=True)
    first, second = Client(), Client()
    login_verified(first, superuser)
    login_verified(second, other)
    url = f"/admin/auth/user/{coordinator_haninge.pk}/change/"
    firsts = form_values(first.get(url), "user_form")
    seconds = form_values(second.get(url), "user_form")
    firsts["email"] = "samordnare@haninge.se"
    assert first.post(url, firsts).status_code == 302
    seconds["first_name"] = "Sam"
    response = second.post(url, seconds)
    assert response.status_code == 200
    assert "Någon annan har sparat" in response.content.decode()
    again = form_values(response, "user_form")
    assert second.post(url, again).status_code == 302
    user = get_user_model().objects.get(pk=coordinator_haninge.pk)
    assert (user.email, user.first_name) == ("samordnare@haninge.se", "Sam")
