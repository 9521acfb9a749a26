import pytest

pytest_plugins = ["promises.tests.factories"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords the production way takes a second a user; tests need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
