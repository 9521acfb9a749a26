"""One municipality's pages, admin and exports before and after the rest of the
country's data is added: national scale.

    DATABASE_URL=... .venv/bin/python bench/national.py [--grow 49] [--requests 5]

Measures the municipality --municipality (slug, default `benchmark`, from
`generate_benchmark_data`), then, with --grow N, adds N municipalities that share
--other-activities activities (`generate_benchmark_data --municipality Land
--municipalities N ...`, 900 000 by default) and measures the same again. Prints
both side by side, with the activities in the database:

- every public page type rendered with an empty cache (the test client, the cache
  cleared before each request): SQL queries and median milliseconds;
- the admin activity list, as the municipality's coordinator: median milliseconds;
- the municipality export (the ZIP of "Exportera all data"), as the coordinator:
  asking for it (ms), building it in a `manage.py db_worker --batch` process
  (seconds, from the job's start to its end) and downloading it (ms);
- the open-data activities CSV streamed by a fresh process (bench/export_memory.py):
  seconds and peak RSS.

Without --grow it measures once. Use a database of its own (bench/README.md).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _pages import PROJECT, setup_django

BENCH = Path(__file__).resolve().parent


def median_ms(fn, requests: int) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(slug: str, requests: int) -> dict[str, str]:
    from admin_changelist import users
    from cold import every_page
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from promises.models import Activity, Municipality
    from staff.models import MunicipalityExport

    results = {"activities in the database": f"{Activity.objects.count()}"}
    client = Client()

    def get(path: str):
        cache.clear()
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        return b"".join(response) if response.streaming else response.content

    for name, path in every_page(slug).items():
        if name == "healthz":
            continue
        get(path)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            get(path)
        # Counted now: the next request empties the connection's log.
        count = len(queries)
        ms = median_ms(lambda path=path: get(path), requests)
        results[f"{name} (queries, ms)"] = f"{count}, {ms:.0f}"

    coordinator = users(slug)["coordinator"]
    staff = Client()
    staff.force_login(coordinator)
    changelist = "/admin/promises/activity/"
    assert staff.get(changelist).status_code == 200
    ms = median_ms(lambda: staff.get(changelist), requests)
    results["admin activity list (ms)"] = f"{ms:.0f}"

    municipality = Municipality.objects.get(slug=slug)
    export_page = f"/admin/promises/municipality/{municipality.pk}/exportera/"
    started = time.perf_counter()
    assert staff.post(export_page).status_code == 302
    asked_ms = (time.perf_counter() - started) * 1000
    job = MunicipalityExport.objects.filter(requested_by=coordinator).first()
    # The worker, as it runs on a host: its own process, until the queue is empty.
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    job.refresh_from_db()
    assert job.status == MunicipalityExport.Status.READY, job.status
    built = (job.finished_at - job.started_at).total_seconds()
    started = time.perf_counter()
    response = staff.get(f"{export_page}{job.pk}/")
    size = sum(len(part) for part in response.streaming_content)
    download_ms = (time.perf_counter() - started) * 1000
    results["municipality export: ask (ms)"] = f"{asked_ms:.0f}"
    results["municipality export: built by the worker (s)"] = (
        f"{built:.1f} ({size / 1e6:.0f} MB)"
    )
    results["municipality export: download (ms)"] = f"{download_ms:.0f}"

    csv = subprocess.run(
        [sys.executable, str(BENCH / "export_memory.py"), "--municipality", slug],
        capture_output=True,
        text=True,
        check=True,
    )
    results["open-data activities CSV"] = csv.stdout.strip().split(": ", 1)[-1]
    return results


def grow(count: int, activities: int) -> None:
    subprocess.run(
        [
            *(sys.executable, str(PROJECT / "manage.py"), "generate_benchmark_data"),
            *("--municipality", "Land", "--municipalities", str(count)),
            *("--activities", str(activities // count)),
            *("--other-activities", str(activities - activities // count)),
            *("--incidents", "0"),
        ],
        check=True,
        cwd=PROJECT,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipality", default="benchmark", help="slug")
    parser.add_argument("--grow", type=int, default=0, help="municipalities to add")
    parser.add_argument("--other-activities", type=int, default=900_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    os.environ["REQUIRE_2FA"] = "false"  # a forced login is not OTP-verified
    setup_django()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    table = {"before": measure(args.municipality, args.requests)}
    if args.grow:
        grow(args.grow, args.other_activities)
        table["after"] = measure(args.municipality, args.requests)
    print(f"\n{args.municipality}, median of {args.requests} requests")
    for name in table["before"]:
        print(f"{name:<30}" + "".join(f"  {table[k][name]:<36}" for k in table))


if __name__ == "__main__":
    main()
