"""Median time of the admin activity changelist, as a superuser, at scale.

    DATABASE_URL=... .venv/bin/python bench/admin_changelist.py [--requests 20]

Uses the Django test client (no network, no gunicorn) with a throwaway superuser
("bench-admin", created if missing). Measures the plain changelist and a filtered
search (?q=…&kind__exact=…), each after two warm-up requests.
"""

import argparse
import statistics
import time

from _pages import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--q", default="Handen")
    parser.add_argument("--kind", default="inventory")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    user = get_user_model().objects.filter(username="bench-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-admin", password=None)
    client = Client()
    client.force_login(user)
    from promises.models import Activity

    print(f"{Activity.objects.count()} activities in the database")
    pages = {
        "changelist": "/admin/promises/activity/",
        "search+filter": f"/admin/promises/activity/?q={args.q}&kind__exact={args.kind}",
    }
    for name, path in pages.items():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(
            f"{name:<14} median {statistics.median(times) * 1000:7.1f} ms  "
            f"min {min(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms  "
            f"{len(queries)} queries  {path}"
        )


if __name__ == "__main__":
    main()
