import pytest
import time_machine
from django.test import Client
from hypothesis import settings as hypothesis_settings

# No per-example deadline: on a loaded 2-core CI machine a database round trip may
# take longer than hypothesis's default 200 ms, which says nothing about the code.
hypothesis_settings.register_profile("medborgarlofte", deadline=None)
hypothesis_settings.load_profile("medborgarlofte")

pytest_plugins = ["promises.tests.factories"]

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


@pytest.fixture(autouse=True)
def suite_clock(request):
    if request.node.get_closest_marker("any_day"):
        yield
        return
    with time_machine.travel(SUITE_NOW):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords the production way takes a second a user; tests need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_passes_two_factor(monkeypatch):
    """`client.force_login(staff_user)` also passes the second factor.

    The admin needs a session verified by a TOTP device (REQUIRE_2FA, on in the
    tests as in production). For a staff user the test client's force_login also
    gives the user a confirmed TOTP device (or reuses theirs) and puts its
    persistent_id in the session under django-otp's DEVICE_ID_SESSION_KEY: exactly
    what a real verification on /admin/tvastegsverifiering/ leaves behind. Logins
    through the login form are not touched: those go through the verification
    page (medborgarlofte/tests/test_two_factor.py).
    """
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if not user.is_staff:
            return
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (locmem in the tests: one per process),
    so no page cached by one test is served to the next."""
    from django.core.cache import cache

    cache.clear()
