"""The settings the tests run with (pytest.ini): the app's own, but for the
password hasher.

Hashing a password the production way (PBKDF2, over a million iterations) takes
most of a second, and the tests make hundreds of users, in the fixtures built
once per module too. The environment the tests need (a secret key, no https
redirect, a cache per process) is set before this is read, by
medborgarlofte/test_environment.py. The processes the tests start run the app's
own settings (conftest.py).
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
