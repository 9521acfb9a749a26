"""Median time of the admin activity changelist at scale, as a superuser and as a
municipality coordinator.

    DATABASE_URL=... .venv/bin/python bench/admin_changelist.py [--requests 20]

Uses the Django test client (no network, no gunicorn) with two throwaway users,
created if missing: "bench-admin" (superuser) and "bench-coordinator" (the
coordinator role, staff of --municipality, so their list is scoped by a join).
Measures the plain changelist and a filtered search (?q=…&kind__exact=…), each
after two warm-up requests. Two-factor authentication is switched off for this
process (REQUIRE_2FA=false): a forced login is not an OTP-verified session.
"""

import argparse
import os
import statistics
import time

from _pages import setup_django


def users(municipality: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from promises.models import Municipality
    from promises.roles import COORDINATOR

    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", password=None)
    coordinator, created = User.objects.get_or_create(
        username="bench-coordinator", defaults={"is_staff": True}
    )
    if created:
        coordinator.set_unusable_password()
        coordinator.save()
        coordinator.groups.add(Group.objects.get(name=COORDINATOR))
    place = Municipality.objects.filter(slug=municipality).first()
    if place is None:
        raise SystemExit(f"No municipality {municipality!r}: generate the data first.")
    place.staff.add(coordinator)
    return {"superuser": admin, "coordinator": coordinator}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--q", default="Handen")
    parser.add_argument("--kind", default="inventory")
    parser.add_argument("--municipality", default="benchmark")
    args = parser.parse_args()
    os.environ["REQUIRE_2FA"] = "false"
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from promises.models import Activity

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"{Activity.objects.count()} activities in the database")
    pages = {
        "changelist": "/admin/promises/activity/",
        "search+filter": f"/admin/promises/activity/?q={args.q}&kind__exact={args.kind}",
    }
    for role, user in users(args.municipality).items():
        client = Client()
        client.force_login(user)
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
                f"{role:<12} {name:<14} median {statistics.median(times) * 1000:7.1f} ms"
                f"  min {min(times) * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms"
                f"  {len(queries)} queries  {path}"
            )


if __name__ == "__main__":
    main()
