"""A cache or a database that goes away does not take the site down.

Without the cache server (Redis unreachable) every page is served, uncached; the
log says so once, and /healthz's body. Without the database, public pages answer
503 with Retry-After and a Swedish page saying it is temporary. The same with the
real app under gunicorn: staff/tests/test_database_failure.py (PostgreSQL going
away) and test_a_site_without_its_redis_server_serves_every_page below.
"""

import logging
import subprocess
import urllib.error
import urllib.request
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from bench._pages import free_port, gunicorn_env, start_gunicorn, stop_gunicorn
from promises.tests.factories import (
    login_verified,
    make_dialogue_and_friday_commitments,
)

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/haninge/2026/",
    "/haninge/2026/kommundel/handen/",
    "/haninge/rapporter.atom",
    "/haninge/2026/inbaddning/",
    "/haninge/2026/trygghetsdialoger.ics",
    "/haninge/2026/oppna-data/aktiviteter.csv",
    "/tillganglighet/",
]


@pytest.fixture
def haninge_2026(promise_haninge, haninge, police, haninge_kommun):
    make_dialogue_and_friday_commitments(promise_haninge)
    return promise_haninge


@pytest.fixture
def no_cache_server(settings):
    """The cache is a Redis server that nobody answers for."""
    from medborgarlofte.settings import fail_safe_cache

    settings.CACHES = {"default": fail_safe_cache(f"redis://127.0.0.1:{free_port()}/0")}


def test_without_the_cache_every_page_is_served_uncached(
    client, haninge_2026, coordinator_haninge, no_cache_server, caplog
):
    with caplog.at_level(logging.WARNING, logger="staff.cache"):
        for url in ["/", *PUBLIC]:
            for _visit in range(2):
                response = client.get(url)
                assert response.status_code in (200, 302), url
                assert response.get("X-Cache", "miss") == "miss", url
        login_verified(client, coordinator_haninge)
        assert client.get("/admin/").status_code == 200
    # Once in the log, not at every read.
    assert [r.getMessage() for r in caplog.records] == [
        "Cache unavailable (ConnectionError): pages are served uncached"
    ]
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.content == b"ok, without the cache: pages are served uncached"


def test_with_the_cache_healthz_says_ok(client, db):
    assert client.get("/healthz").content == b"ok"


def test_without_the_database_public_pages_say_it_is_temporary(haninge_2026):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        for url in ["/", *PUBLIC]:
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert "public" not in response["Cache-Control"]
            html = response.content.decode()
            assert "<h1>Tillfälligt otillgänglig</h1>" in html
            assert "Försök igen om en liten stund." in html
            assert "connection refused" not in html


def test_other_errors_are_still_the_500_page(haninge_2026):
    client = Client(raise_request_exception=False)
    with mock.patch("public.views.published_promise", side_effect=RuntimeError):
        response = client.get("/haninge/2026/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


@pytest.mark.slow
@pytest.mark.any_day
def test_a_site_without_its_redis_server_serves_every_page(tmp_path):
    """The real app (gunicorn, DEBUG off) with CACHE_URL naming a Redis server
    that is not there."""
    database = tmp_path / "db.sqlite3"
    env = gunicorn_env(
        f"sqlite:///{database}",
        port := free_port(),
        CACHE_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    subprocess.run(
        [".venv/bin/python", "manage.py", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(env, log)
    try:
        for path in ["/", "/tillganglighet/", "/healthz"]:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}{path}", timeout=15
                ) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            assert status == 200, (path, body[:200])
        assert body == "ok, without the cache: pages are served uncached"
        assert "Cache unavailable" in log.read_text()
    finally:
        stop_gunicorn(server)
