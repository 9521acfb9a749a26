"""Shared helpers for the bench scripts: Django setup, the public pages, gunicorn."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Configure Django from the environment, as manage.py does, for a bench script."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijkl")
    # Plain http through the test client, no collectstatic needed.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    import django

    django.setup()


def public_pages(municipality: str) -> dict[str, str]:
    """One URL per public page type for the municipality's latest published promise.

    Call after setup_django(). The report page is the latest published quarterly
    report of any of its promises.
    """
    from django.urls import reverse

    from promises.models import Commitment, Promise
    from reports.models import QuarterlyReport

    promise = (
        Promise.objects.published()
        .select_related("municipality")
        .filter(municipality__slug=municipality)
        .order_by("-year")
        .first()
    )
    if promise is None:
        raise SystemExit(f"No published promise for {municipality!r}.")
    slug, year = promise.municipality.slug, promise.year
    commitment = (
        Commitment.objects.filter(focus_area__promise=promise)
        .order_by("focus_area__order", "order")
        .first()
    )
    district = promise.municipality.districts.order_by("name").first()
    report = (
        QuarterlyReport.objects.published()
        .filter(promise__municipality=promise.municipality)
        .select_related("promise")
        .order_by("-year", "-quarter")
        .first()
    )
    pages = {
        "healthz": "/healthz",
        "overview": reverse("public:overview", args=[slug, year]),
        "commitment": reverse("public:commitment", args=[slug, year, commitment.pk]),
        "district": reverse("public:district", args=[slug, year, district.slug]),
    }
    if report is not None:
        pages["report"] = reverse(
            "public:report",
            args=[slug, report.promise.year, report.year, report.quarter],
        )
    return pages


# --- gunicorn in a subprocess (bench/load_test.py, the reliability tests) -------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_env(
    database_url: str, port: int, workers: int = 1, threads: int = 1, **extra: str
) -> dict[str, str]:
    """The environment for gunicorn.conf.py on 127.0.0.1:port, DEBUG off, plain http.

    As in production except for https: no redirect to https and no collectstatic.
    """
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY")
        or "bench-only-secret-key-0123456789abcdefghij",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS=str(threads),
        GUNICORN_ACCESSLOG="/dev/null",
        GUNICORN_MAX_REQUESTS="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def start_gunicorn(env: dict[str, str], log_path: Path, cwd: Path = PROJECT):
    """Start gunicorn (gunicorn.conf.py of cwd, this checkout by default) with env,
    its output into log_path.

    Returns the Popen once /healthz answers; stop it with stop_gunicorn().
    """
    gunicorn = str(PROJECT / ".venv/bin/gunicorn")
    env = {**env, "PYTHONPATH": str(cwd)}
    log = open(log_path, "ab")  # noqa: SIM115 - the server writes to it until stopped
    server = subprocess.Popen(
        # No control socket: the default one, ~/.gunicorn/gunicorn.ctl, is shared
        # by every gunicorn of the user.
        [gunicorn, "-c", "gunicorn.conf.py", "--no-control-socket"],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    url = f"http://{env['GUNICORN_BIND']}/healthz"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return server
        except urllib.error.HTTPError:
            return server  # it answers (a 503 is the caller's business)
        except OSError:
            time.sleep(0.1)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not start; see {log_path}")


def stop_gunicorn(server) -> None:
    """Stop a gunicorn started by start_gunicorn() and its workers."""
    if server.poll() is None:
        # SIGINT: quick shutdown, even when a worker waits on a silent database.
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
