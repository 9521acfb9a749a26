"""Requests per second of the public pages under gunicorn, measured with wrk.

    DATABASE_URL=postgres://... .venv/bin/python bench/throughput.py [--seconds 10]

Starts gunicorn (gunicorn.conf.py) on a free port of 127.0.0.1 with DEBUG off against
DATABASE_URL (SQLite db.sqlite3 when unset), runs wrk against /healthz and one page
of each public type of the municipality's latest promise, prints requests/second per
page and its ratio to /healthz from the same run, then stops gunicorn. Loopback only.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _pages import (
    PROJECT,
    free_port,
    gunicorn_env,
    public_pages,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--municipality", default="benchmark", help="slug")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT / 'db.sqlite3'}")
    env = gunicorn_env(database_url, free_port(), workers=args.workers)
    os.environ.update(env)
    setup_django()
    pages = public_pages(args.municipality)

    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        server = start_gunicorn(env, Path(log.name))
        try:
            results = {}
            for name, path in pages.items():
                url = f"http://{env['GUNICORN_BIND']}{path}"
                status = urllib.request.urlopen(url).status  # warm-up, must be 200
                if status != 200:
                    raise SystemExit(f"{url}: {status}")
                for _ in range(5):
                    urllib.request.urlopen(url).read()
                results[name] = wrk(url, args.seconds, args.connections)
        finally:
            stop_gunicorn(server)
    base = results["healthz"]
    print(
        f"\n{args.seconds}s per page, {args.workers} gunicorn workers, "
        f"{args.connections} connections, database {database_url.split('@')[-1]}"
    )
    print(f"{'page':<12} {'req/s':>9} {'× healthz':>10}  path")
    for name, rps in results.items():
        print(f"{name:<12} {rps:>9.1f} {rps / base:>10.2f}  {pages[name]}")


def wrk(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        # A long timeout: wrk's default (2 s) would drop slow pages' responses.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for problem in re.findall(
        r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output
    ):
        print(f"warning: {url}: {problem}", file=sys.stderr)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


if __name__ == "__main__":
    main()
