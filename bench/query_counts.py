"""SQL queries per public page type: demo data (Haninge) vs scale data (Benchmark).

    DATABASE_URL=... .venv/bin/python bench/query_counts.py [--demo haninge]
        [--scale benchmark]

Needs both in the same database: `manage.py load_haninge --demo` and
`manage.py generate_benchmark_data`. Counts with CaptureQueriesContext through the
Django test client and prints both side by side: a page rendered with an empty
cache ("render"), and the same page again, from the cache ("cached"; with the
database cache, its one or two reads of the cache table).
"""

import argparse
import time

from _pages import public_pages, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", default="haninge", help="slug of the demo data")
    parser.add_argument("--scale", default="benchmark", help="slug of the scale data")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    counts = {}
    for label, slug in (("demo", args.demo), ("scale", args.scale)):
        for name, path in public_pages(slug).items():
            cache.clear()
            for state in ("render", "cached"):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                    b"".join(response) if response.streaming else response.content
                milliseconds = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code)
                counts.setdefault((name, state), {})[label] = len(queries)
                counts[name, state][f"{label} ms"] = milliseconds
    print(f"{'page':<12} {'':<7} {'demo':>6} {'scale':>6}  same?  {'ms (scale)':>10}")
    for (name, state), by_label in counts.items():
        demo, scale = by_label.get("demo"), by_label.get("scale")
        same = "yes" if demo == scale else "NO "
        ms = by_label.get("scale ms", 0)
        print(f"{name:<12} {state:<7} {demo!s:>6} {scale!s:>6}  {same}  {ms:>10.1f}")


if __name__ == "__main__":
    main()
