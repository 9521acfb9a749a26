"""The documented backup and restore (scripts/backup.sh, scripts/restore.sh) keep
every row: the demo data is dumped, restored into a new database, compared table by
table and sequence by sequence, and the app runs on the restored database.
"""

import os
import re
import subprocess
import urllib.request

import psycopg
import pytest
from psycopg import sql

from bench._pages import (
    PROJECT,
    free_port,
    gunicorn_env,
    start_gunicorn,
    stop_gunicorn,
)
from staff.tests.postgres import (
    DEFAULT_CACHE_URL,
    create_database,
    drop_database,
    manage,
    requires_postgres,
)

# The app runs in subprocesses, on the machine's clock.
pytestmark = [requires_postgres, pytest.mark.any_day, pytest.mark.slow]


@pytest.fixture
def databases():
    """A database with the demo data and an empty one to restore into."""
    names = [f"mbl_backup_{os.getpid()}", f"mbl_restored_{os.getpid()}"]
    try:
        yield [create_database(name) for name in names]
    finally:
        for name in names:
            drop_database(name)


def script(name: str, database_url: str, *args: str) -> str:
    result = subprocess.run(
        [str(PROJECT / "scripts" / name), *args],
        cwd=PROJECT,
        env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=600,  # a safety net, not a speed test: generous on a loaded machine
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def contents(database_url: str) -> tuple[dict[str, bytes], dict[str, int | None]]:
    """Every table of schema public, its rows in a fixed order; every sequence's
    last value."""
    tables = {}
    with psycopg.connect(database_url) as connection:
        names = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        for (name,) in names:
            query = sql.SQL("COPY (SELECT * FROM {0} ORDER BY {0}::text) TO STDOUT")
            with connection.cursor().copy(query.format(sql.Identifier(name))) as copy:
                tables[name] = b"".join(bytes(block) for block in copy)
        sequences = dict(
            connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public'"
            ).fetchall()
        )
    return tables, sequences


def test_a_backup_restores_every_row_into_a_new_database(databases, tmp_path):
    source, target = databases
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_haninge", "--demo")

    dump = script("backup.sh", source, str(tmp_path)).strip()
    assert re.fullmatch(
        rf"{tmp_path}/medborgarlofte-\d{{4}}-\d\d-\d\dT\d{{6}}Z\.dump", dump
    )
    output = script("restore.sh", target, dump)
    assert "the database matches the code" in output

    tables, sequences = contents(source)
    restored_tables, restored_sequences = contents(target)
    assert sorted(restored_tables) == sorted(tables)
    for name, rows in tables.items():
        assert restored_tables[name] == rows, f"table {name} differs"
    assert restored_sequences == sequences
    # Not an empty comparison: the demo year is there, with its history.
    assert tables["promises_activity"].count(b"\n") > 50
    assert tables["promises_historicalactivity"].count(b"\n") > 50
    assert sequences["promises_activity_id_seq"] > 50

    # The restored database works: new rows take new ids, the app serves it.
    with psycopg.connect(target) as connection:
        connection.execute("INSERT INTO auth_group (name) VALUES ('Ny grupp')")
    port = free_port()
    server = start_gunicorn(
        gunicorn_env(target, port, CACHE_URL=DEFAULT_CACHE_URL), tmp_path / "log"
    )
    try:
        start = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60)
        overview = re.search(r'href="(/haninge/\d{4}/)"', start.read().decode())
        page = urllib.request.urlopen(
            f"http://127.0.0.1:{port}{overview.group(1)}", timeout=60
        )
        assert page.status == 200
        assert "Medborgarlöfte Haninge" in page.read().decode()
    finally:
        stop_gunicorn(server)
