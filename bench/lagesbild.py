"""Median time of the weekly (and yearly) lägesbild at scale, as a coordinator.

    DATABASE_URL=... .venv/bin/python bench/lagesbild.py [--requests 20]

Needs `manage.py generate_benchmark_data` (50 000 incident reports over the last
year by default). Uses the Django test client (no network, no gunicorn) with a
throwaway coordinator of --municipality, "bench-coordinator" (created if
missing), and this week's and last week's lägesbild, the CSV and the year's
page, each after two warm-up requests. The goal: under 300 ms for the week.
Two-factor authentication is switched off for this process (REQUIRE_2FA=false).
"""

import argparse
import datetime
import os
import statistics
import time

from _pages import setup_django
from admin_changelist import users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--municipality", default="benchmark")
    args = parser.parse_args()
    os.environ["REQUIRE_2FA"] = "false"
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from incidents.models import IncidentReport
    from promises.models import Municipality

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    municipality = Municipality.objects.get(slug=args.municipality)
    reports = IncidentReport.objects.filter(district__municipality=municipality)
    print(f"{reports.count()} incident reports of {municipality}")
    today = timezone.localdate()
    last_week = (today - datetime.timedelta(days=7)).isocalendar()
    base = "/admin/incidents/incidentreport/lagesbild/"
    pages = {
        "week (this)": f"{base}?kommun={municipality.pk}",
        "week (last)": f"{base}?kommun={municipality.pk}"
        f"&vecka={last_week.year}-W{last_week.week:02d}",
        "week CSV": f"{base}?kommun={municipality.pk}&format=csv",
        "year": f"{base}ar/?kommun={municipality.pk}",
    }
    client = Client()
    client.force_login(users(args.municipality)["coordinator"])
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
            f"{name:<12} median {statistics.median(times) * 1000:7.1f} ms"
            f"  min {min(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms"
            f"  {len(queries)} queries  {path}"
        )


if __name__ == "__main__":
    main()
