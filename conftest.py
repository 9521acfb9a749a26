import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

# No per-example deadline: on a loaded 2-core CI machine a database round trip may
# take longer than hypothesis's default 200 ms, which says nothing about the code.
hypothesis_settings.register_profile("medborgarlofte", deadline=None)
hypothesis_settings.load_profile("medborgarlofte")

pytest_plugins = ["promises.tests.factories"]


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
