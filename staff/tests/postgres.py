"""Throwaway PostgreSQL databases for the tests that run the app in a subprocess.

They need the server at 127.0.0.1:5432 (trust, user postgres), as in CI, whatever
DATABASE_URL the suite itself runs on; without it they are skipped.
"""

import os
import subprocess
import sys

import psycopg
import pytest
from psycopg import sql

from bench._pages import PROJECT

SERVER = "postgres://postgres@127.0.0.1:5432"


def server_answers() -> bool:
    try:
        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


requires_postgres = pytest.mark.skipif(
    not server_answers(),
    reason="no PostgreSQL server answers at 127.0.0.1:5432",
)


def admin_connection() -> psycopg.Connection:
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def create_database(name: str) -> str:
    """A new empty database; returns its DATABASE_URL. Drop it with drop_database()."""
    drop_database(name)
    with admin_connection() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{SERVER}/{name}"


def drop_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


# The app's default cache, a table in the database (the suite itself uses locmem).
DEFAULT_CACHE_URL = "dbcache://medborgarlofte_cache"


def manage(database_url: str, *args: str) -> str:
    """Run manage.py in a subprocess on database_url (DEBUG on, the default cache);
    returns its output."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "CACHE_URL": DEFAULT_CACHE_URL,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a safety net, not a speed test: generous on a loaded machine
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
