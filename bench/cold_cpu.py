"""CPU time per request of every public page type with no page cache, in-process.

    DATABASE_URL=postgres://... .venv/bin/python bench/cold_cpu.py [--requests 10]

Through the Django test client with CACHE_URL=locmemcache:// and
PAGE_CACHE_SECONDS=0 (as bench/cold.py's cold mode): each page is requested once to
warm up, then `--requests` times; prints the process's CPU time per request (the
SQL runs in the database's process and is not in it, so the figure moves less with
a loaded machine than wall time does), the queries and the size. Also
`promise_progress()` of the municipality's latest promise on its own. Run it from
another checkout (`cd /tmp/before && .venv/bin/python bench/cold_cpu.py`) for a
before/after.
"""

import argparse
import os
import sys
import time

from _pages import setup_django


def cpu_ms(function, repeat: int) -> float:
    function()
    start = time.process_time()
    for _ in range(repeat):
        function()
    return (time.process_time() - start) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--municipality", default="benchmark", help="slug")
    args = parser.parse_args()
    os.environ.update(CACHE_URL="locmemcache://", PAGE_CACHE_SECONDS="0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    setup_django()
    from cold import every_page
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from promises.models import Promise
    from promises.progress import promise_progress

    promise = (
        Promise.objects.published()
        .filter(municipality__slug=args.municipality)
        .order_by("-year")
        .first()
    )
    print(
        f"{'promise_progress':<12} {cpu_ms(lambda: promise_progress(promise), 20):7.1f}"
        " ms cpu"
    )
    client = Client()
    for name, path in every_page(args.municipality).items():
        ms = cpu_ms(lambda path=path: client.get(path), args.requests)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        print(
            f"{name:<12} {ms:7.1f} ms cpu {len(queries):3} queries "
            f"{len(response.content) / 1024:5.0f} KB  {path}"
        )


if __name__ == "__main__":
    sys.exit(main())
