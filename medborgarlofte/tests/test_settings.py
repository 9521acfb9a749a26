import os
import subprocess
import sys
from pathlib import Path

import pytest

# Processes of their own, reading the settings, the same on either database: CI
# runs them once, on PostgreSQL (conftest.py, `slow`).
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(settings.DEBUG, db['ENGINE'], db.get('CONN_MAX_AGE'), "
    "db.get('CONN_HEALTH_CHECKS'), settings.TIME_ZONE, settings.LANGUAGE_CODE)"
)


def clean_env(**env):
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return {**base, **env}


def run_settings(**env):
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=PROJECT,
        env=clean_env(DJANGO_SETTINGS_MODULE="medborgarlofte.settings", **env),
        capture_output=True,
        text=True,
    )


def test_the_app_server_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "-c", "import medborgarlofte.wsgi"],
        cwd=PROJECT,
        env=clean_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_makemigrations_check_runs_without_any_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=PROJECT,
        env=clean_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_is_off_by_default_and_sqlite_is_the_default_database():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.sqlite3",
        "0",
        "False",
        "Europe/Stockholm",
        "sv",
    ]


def test_postgresql_keeps_health_checked_persistent_connections():
    result = run_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://app@db.example:5432/app"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:4] == ["django.db.backends.postgresql", "60", "True"]


def test_debug_runs_without_a_secret_key():
    result = run_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_the_tests_run_on_the_apps_settings_but_for_the_password_hasher():
    """medborgarlofte/settings_test.py (pytest.ini) changes the hasher only; the
    app hashes with Django's default, PBKDF2."""
    from django.conf import global_settings

    from medborgarlofte import settings as app
    from medborgarlofte import settings_test as tests

    def names(module):
        return {name: getattr(module, name) for name in dir(module) if name.isupper()}

    differ = {
        name
        for name in names(app).keys() | names(tests).keys()
        if names(app).get(name, "missing") != names(tests).get(name, "missing")
    }
    assert differ == {"PASSWORD_HASHERS"}
    assert not hasattr(app, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0].endswith(".PBKDF2PasswordHasher")
