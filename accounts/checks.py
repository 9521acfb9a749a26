"""System checks of the security settings (`manage.py check --deploy`)."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register


def register_checks() -> None:
    """Called from AccountsConfig.ready()."""
    register(two_factor_required, Tags.security, deploy=True)
    register(no_wildcard_host, Tags.security, deploy=True)
    register(one_cache_for_all_workers, Tags.security, Tags.caches, deploy=True)


def two_factor_required(app_configs, **kwargs):
    """Production (DEBUG off) never runs without two-factor authentication."""
    if settings.REQUIRE_2FA or settings.DEBUG:
        return []
    return [
        Error(
            "REQUIRE_2FA is off with DEBUG off: the admin is reachable with a "
            "password alone.",
            hint="Unset REQUIRE_2FA (it defaults to true); turn it off only for "
            "local development (make run).",
            id="medborgarlofte.E001",
        )
    ]


def no_wildcard_host(app_configs, **kwargs):
    """ALLOWED_HOSTS=*: any Host header is believed, and the links in the
    password mails (accounts/password_reset.py) are built from it, so anyone may
    have a stranger's reset link point at their own server."""
    if "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "ALLOWED_HOSTS contains '*': any Host header is accepted, and the links "
            "in the password e-mails are built from it (reset-link poisoning).",
            hint="Name the site's host names, e.g. ALLOWED_HOSTS=medborgarlofte.example.se.",
            id="medborgarlofte.E002",
        )
    ]


def one_cache_for_all_workers(app_configs, **kwargs):
    """A cache in each process (locmemcache://) with several gunicorn workers
    (WEB_CONCURRENCY, gunicorn.conf.py, 3 unless set): a change reaches only one
    worker's pages, and the throttling counters are each worker's own."""
    default = settings.CACHES.get("default", {})
    # A cache server is wrapped (FailSafeCache): the cache is the one inside.
    backend = default.get("OPTIONS", {}).get("CACHE", default).get("BACKEND", "")
    workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
    if not backend.endswith("LocMemCache") or workers <= 1:
        return []
    return [
        Error(
            f"CACHE_URL is locmemcache:// (a cache in each process) with "
            f"{workers} gunicorn workers (WEB_CONCURRENCY): a change reaches one "
            "worker's pages only, and throttling counts each worker apart.",
            hint="Use a shared cache: CACHE_URL=redis://host:6379/0 or "
            "dbcache://medborgarlofte_cache (the default), or WEB_CONCURRENCY=1.",
            id="medborgarlofte.E003",
        )
    ]
