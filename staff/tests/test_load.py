"""The 10-second load test: 200 concurrent readers and a writer, zero errors, no
lost writes, and the untouched municipality's pages served from the cache
(bench/load_test.py; the 60-second figures are in docs/performance.md).

It runs on the database the suite runs on: a new PostgreSQL database when
DATABASE_URL is PostgreSQL, otherwise a new SQLite file, so that CI's two runs
cover both. The app runs with its default cache (in the database), as in
production without Redis.
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
)


@pytest.mark.any_day  # the app runs in subprocesses, on the machine's clock
def test_200_readers_and_a_writer_for_10_seconds_without_errors_or_lost_writes(
    tmp_path,
):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if on_postgres:
        name = f"mbl_load_{os.getpid()}"
        database_url = create_database(name)
    else:
        database_url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "CACHE_URL": DEFAULT_CACHE_URL}
    try:
        result = subprocess.run(
            [sys.executable, "bench/load_test.py", "--prepare"]
            + ["--seconds", "10", "--readers", "200"]
            + ["--write-in", "haninge", "--read-also", "nynashamn"]
            + ["--log", str(tmp_path / "gunicorn.log")],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a safety net, not a speed test
        )
    finally:
        if on_postgres:
            drop_database(name)
    output = result.stdout + result.stderr
    print(output)  # the figures, shown with -s or on failure
    assert result.returncode == 0, output + (tmp_path / "gunicorn.log").read_text()
    assert "errors:  0\n" in result.stdout
    assert " 0 lost, 0 saved unconfirmed, 0 duplicated" in result.stdout
    # Nynäshamn's pages stay cached while Haninge's data changes (--min-hit-ratio).
    assert "hits of" in result.stdout and " pages untouched\n" in result.stdout
    assert "OK: zero errors, no lost writes" in result.stdout
