"""The data's generation: a token that every change to the watched data replaces.

Anything computed from the data and kept in Django's cache (settings.CACHES:
Redis or the database, shared by every app server) puts the generation in its
key, so that it is never read again once the data has changed:

- `cached(name, compute, *parts)` here, for the progress engine's occurrences;
- the public pages (public/caching.py).

Every saved, deleted or re-linked row of a watched app replaces the generation
(the signals below): this app's, and those that call `watch_app()` in their
AppConfig.ready(). Writes that bypass the signals (bulk_create, QuerySet.update)
must call public_data_changed() themselves, as generate_benchmark_data does.
`migrate`, run on every deploy, starts a new generation too, so a new release's
templates show at once.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "public:generation"
WATCHED_APPS = {"promises"}


def watch_app(app_label: str) -> None:
    """Changes to this app's rows start a new generation too."""
    WATCHED_APPS.add(app_label)


def generation() -> str:
    """The current token. A cache that keeps nothing (dummycache://) has none: then
    every call makes a new one, and nothing cached under it is ever found."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY, token)
    return token


def public_data_changed() -> None:
    """Start a new generation now, and again once the transaction commits: a page
    rendered in between, from the data as it was, is then not kept either."""
    _new_generation()
    connection = transaction.get_connection()
    pending = (callback for _, callback, _ in connection.run_on_commit)
    if connection.in_atomic_block and _new_generation not in pending:
        transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def cached(name: str, compute, *parts):
    """The value of compute() for this generation, computed once per generation."""
    key = ":".join(["public", name, generation(), *map(str, parts)])
    return cache.get_or_set(key, compute, settings.PAGE_CACHE_SECONDS)


def _data_changed(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS:
        public_data_changed()


def _deployed(sender, **kwargs):
    """`migrate` runs on every deploy: pages of the old release are not served."""
    _new_generation()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_data_changed, dispatch_uid=f"public-cache-{signal}")
    post_migrate.connect(_deployed, dispatch_uid="public-cache-deploy")
