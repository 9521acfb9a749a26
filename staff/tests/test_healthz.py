from unittest import mock

from django.db import OperationalError


def test_it_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"connection" not in response.content


def test_it_refuses_other_methods(client, db):
    assert client.post("/healthz").status_code == 405


def test_favicon_ico_points_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_without_the_cache_it_answers_ok_and_says_so(client, db):
    """The site serves pages uncached (staff/cache.py): not a reason to
    take it out of the load balancer; the body says so, not the error."""
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.get",
        side_effect=ConnectionError("cache down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok, without the cache: pages are served uncached"
