"""Loaded by pytest before Django starts (see pytest.ini): the test environment.

Tests run with their own secret key, so that they pass with DEBUG off, as in
production, without anything set in the shell; static files are served
unhashed so that no `collectstatic` is needed first.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "false")
# The test client speaks http: no redirect to https (the cookies stay Secure).
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# One cache per test process, emptied before each test (conftest.py).
os.environ.setdefault("CACHE_URL", "locmemcache://")
