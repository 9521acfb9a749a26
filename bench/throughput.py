"""Requests per second of the public pages under gunicorn, measured with wrk.

    DATABASE_URL=postgres://... .venv/bin/python bench/throughput.py [--seconds 10]

Starts gunicorn (gunicorn.conf.py) on 127.0.0.1:8765 with DEBUG off against
DATABASE_URL (SQLite db.sqlite3 when unset), runs wrk against /healthz and one page
of each public type of the municipality's latest promise, prints requests/second per
page and its ratio to /healthz from the same run, then stops gunicorn. Loopback only.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from _pages import PROJECT, public_pages, setup_django

HOST, PORT = "127.0.0.1", 8765


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--municipality", default="benchmark", help="slug")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY")
        or "bench-only-secret-key-0123456789abcdefghij",
        ALLOWED_HOSTS=HOST,
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"{HOST}:{PORT}",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_ACCESSLOG="/dev/null",
        GUNICORN_MAX_REQUESTS="0",
    )
    os.environ.update(env)
    setup_django()
    pages = public_pages(args.municipality)

    server = subprocess.Popen(
        [str(PROJECT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_until_up()
        results = {}
        for name, path in pages.items():
            url = f"http://{HOST}:{PORT}{path}"
            status = urllib.request.urlopen(url).status  # warm-up, and must be 200
            if status != 200:
                raise SystemExit(f"{url}: {status}")
            for _ in range(5):
                urllib.request.urlopen(url).read()
            results[name] = wrk(url, args.seconds, args.connections)
        base = results["healthz"]
        print(
            f"\n{args.seconds}s per page, {args.workers} gunicorn workers, "
            f"{args.connections} connections, database "
            f"{os.environ.get('DATABASE_URL', 'sqlite (db.sqlite3)').split('@')[-1]}"
        )
        print(f"{'page':<12} {'req/s':>9} {'× healthz':>10}  path")
        for name, rps in results.items():
            print(f"{name:<12} {rps:>9.1f} {rps / base:>10.2f}  {pages[name]}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_until_up() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


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
