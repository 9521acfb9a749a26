import os

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings

# No per-example deadline: on a loaded 2-core CI machine a database round trip may
# take longer than hypothesis's default 200 ms, which says nothing about the code.
hypothesis_settings.register_profile("medborgarlofte", deadline=None)
hypothesis_settings.load_profile("medborgarlofte")

pytest_plugins = ["promises.tests.factories", "incidents.tests.factories"]

# The suite's day. The test data (promises/tests/factories.py) is Haninge's and
# Nynäshamn's promises of 2026, so every test runs on this day, its clock moving
# on from there, unless it travels to a day of its own (time_machine.travel) or
# is marked `any_day`: then it runs on the machine's clock and must pass on any
# day of the year (`faketime '2027-01-08 10:00' make test` shows it does).
SUITE_NOW = "2026-12-01 10:00 +01:00"  # a Tuesday, in the fourth quarter


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "any_day: runs on the machine's real clock; must pass on any day of the year",
    )
    config.addinivalue_line(
        "markers",
        "slow: a browser, a live server, a Java checker or a process of its own "
        "(manage.py, gunicorn, a script); CI runs these once, on PostgreSQL, and "
        "its SQLite run skips them (-m 'not slow'); `make test` runs them",
    )


@pytest.fixture(autouse=True)
def suite_clock(request):
    if request.node.get_closest_marker("any_day"):
        yield
        return
    with time_machine.travel(SUITE_NOW):
        yield


@pytest.fixture(scope="session", autouse=True)
def subprocesses_run_the_apps_settings():
    """Django runs the tests on medborgarlofte/settings_test.py (pytest.ini, the
    fast password hasher); the processes the tests start (manage.py, gunicorn,
    the backup scripts) run the app's own settings, as in production. (Set once
    Django has its settings: pytest-django would read the variable first.)"""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each run's own test databases on PostgreSQL (test_postgres_gw0_<run>), so
    that two suites at once on one server never drop each other's. The workers of
    one run share its id (pytest-xdist's testrunuid)."""
    from django.conf import settings

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    database = settings.DATABASES["default"]
    if run and database["ENGINE"] == "django.db.backends.postgresql":
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{run[:8]}"


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, past the second factor as well."""
    from promises.tests.factories import login_verified

    login_verified(client, admin_user)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (locmem in the tests: one per process),
    so no page cached by one test is served to the next."""
    from django.core.cache import cache

    cache.clear()
