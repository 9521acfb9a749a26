"""Requests per second of every public page type with and without the page cache.

    DATABASE_URL=postgres://... .venv/bin/python bench/cold.py [--seconds 10]

Starts gunicorn (gunicorn.conf.py, DEBUG off, 2 workers) on a free port of 127.0.0.1
against DATABASE_URL, once for each mode, and runs wrk against /healthz and one page
of each public type of the municipality's latest promise, then prints requests/s per
page and the ratio to /healthz of the same mode:

- cold: nothing cached (CACHE_URL=locmemcache://, PAGE_CACHE_SECONDS=0): every
  request renders its page, progress included;
- cached: the shared cache as configured (CACHE_URL, the database cache by default).

`--project DIR` serves another checkout of the app (e.g. the release before) with the
same data and the same settings, for a before/after table measured in one run.
"""

import argparse
import os
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
from throughput import wrk

MODES = {
    "cold": {"CACHE_URL": "locmemcache://", "PAGE_CACHE_SECONDS": "0"},
    "cached": {},
}


def every_page(municipality: str) -> dict[str, str]:
    """public_pages() and the other page types: the widget, an activity, open data,
    the report list and the start page (a redirect when one municipality)."""
    from django.urls import reverse

    from promises.models import Activity, Promise

    pages = public_pages(municipality)
    promise = (
        Promise.objects.published()
        .filter(municipality__slug=municipality)
        .order_by("-year")
        .first()
    )
    args = [municipality, promise.year]
    activity = (
        Activity.objects.public_in_detail()
        .filter(promise=promise)
        .order_by("-starts_at")
        .first()
    )
    pages.update(
        embed=reverse("public:embed", args=args),
        open_data=reverse("public:open_data", args=args),
        report_list=reverse("public:report_list", args=args),
        start="/",
    )
    if activity is not None:
        pages["activity"] = reverse("public:activity", args=[*args, activity.pk])
    return pages


def measure(env, project: Path, pages, seconds, connections) -> dict[str, float]:
    results = {}
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        server = start_gunicorn(env, Path(log.name), cwd=project)
        try:
            for name, path in pages.items():
                url = f"http://{env['GUNICORN_BIND']}{path}"
                opener = urllib.request.build_opener(NoRedirect)
                status = opener.open(url).status  # warm-up: 200, or the start's 302
                if status not in (200, 302):
                    raise SystemExit(f"{url}: {status}")
                for _ in range(3):
                    opener.open(url).read()
                results[name] = wrk(url, seconds, connections)
        finally:
            stop_gunicorn(server)
    return results


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--municipality", default="benchmark", help="slug")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--modes", default="cold,cached")
    parser.add_argument("--project", type=Path, default=PROJECT)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT / 'db.sqlite3'}")
    env = gunicorn_env(database_url, free_port(), workers=args.workers)
    os.environ.update(env)
    setup_django()
    pages = every_page(args.municipality)
    table = {}
    for mode in args.modes.split(","):
        table[mode] = measure(
            {**env, **MODES[mode]}, args.project, pages, args.seconds, args.connections
        )
    print(
        f"\n{args.seconds}s per page, {args.workers} gunicorn workers, "
        f"{args.connections} connections, {args.project}, "
        f"database {database_url.split('@')[-1]}"
    )
    modes = list(table)
    print(f"{'page':<12}" + "".join(f" {m + ' req/s':>13} {'×':>5}" for m in modes))
    for name in pages:
        line = f"{name:<12}"
        for mode in modes:
            rps, base = table[mode][name], table[mode]["healthz"]
            line += f" {rps:>13.1f} {rps / base:>5.2f}"
        print(f"{line}  {pages[name]}")


if __name__ == "__main__":
    main()
