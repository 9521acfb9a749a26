"""A smoke test of the load test: readers and an admin writer at once against
gunicorn, zero errors, no lost writes, and the untouched municipality's pages
served from the cache (bench/load_test.py, 5 readers for 4 seconds). The 200
readers for 60 seconds are a benchmark, not a test: bench/README.md, section 3,
and the figures in docs/performance.md.

On SQLite and on PostgreSQL alike, whatever database the suite runs on: SQLite
under concurrent writes needs its own settings (transaction_mode IMMEDIATE, WAL;
medborgarlofte/settings.py), which only this test exercises. Without IMMEDIATE,
each of three runs had 4 to 6 errors (database is locked); with it, none. Few
readers, so that the writer gets through often. The app runs with its default
cache (in the database), as in production without Redis.
"""

import os
import subprocess
import sys

import pytest

from bench._pages import PROJECT
from staff.tests.postgres import (
    DEFAULT_CACHE_URL,
    create_database,
    drop_database,
    requires_postgres,
)

# A server and processes of its own: CI runs it once, on PostgreSQL (conftest.py,
# `slow`). The app runs in subprocesses, on the machine's clock.
pytestmark = [pytest.mark.slow, pytest.mark.any_day]


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=requires_postgres)]
)
def test_readers_and_a_writer_at_once_without_errors_or_lost_writes(tmp_path, database):
    if database == "postgresql":
        name = f"mbl_load_{os.getpid()}"
        database_url = create_database(name)
    else:
        database_url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "CACHE_URL": DEFAULT_CACHE_URL}
    try:
        result = subprocess.run(
            [sys.executable, "bench/load_test.py", "--prepare"]
            + ["--seconds", "4", "--readers", "5"]
            + ["--write-in", "haninge", "--read-also", "nynashamn"]
            + ["--log", str(tmp_path / "gunicorn.log")],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a safety net, not a speed test
        )
    finally:
        if database == "postgresql":
            drop_database(name)
    output = result.stdout + result.stderr
    print(output)  # the figures, shown with -s or on failure
    assert result.returncode == 0, output + (tmp_path / "gunicorn.log").read_text()
    assert "errors:  0\n" in result.stdout
    assert " 0 lost, 0 saved unconfirmed, 0 duplicated" in result.stdout
    # Nynäshamn's pages stay cached while Haninge's data changes (--min-hit-ratio).
    assert "hits of" in result.stdout and " pages untouched\n" in result.stdout
    assert "OK: zero errors, no lost writes" in result.stdout
