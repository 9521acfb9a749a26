"""The public pages, cached whole in the shared cache and for browsers and CDNs.

A public page is the same for every visitor, so it is rendered once and kept in
Django's cache (settings.CACHES: Redis or the database, shared by every app server)
under a key made of

- the *generation*: a random token that every change to the data of promises or
  reports replaces (the signals below), so a page never outlives the data it shows;
- today's date, because progress is counted "by today";
- the path and the page number.

Pages of an old generation are never read again and expire after
PAGE_CACHE_SECONDS. The response also says `Cache-Control: public, max-age=…`
(PUBLIC_CACHE_SECONDS), so a CDN or a browser may keep it briefly and then
revalidate it with the ETag (ConditionalGetMiddleware answers 304).

Writes that bypass the signals (bulk_create, QuerySet.update) must call
public_data_changed() themselves, as generate_benchmark_data does. `migrate`, run
on every deploy, starts a new generation too, so a new release's templates show
at once.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "public:generation"
PAGE_PARAMETER = "sida"
WATCHED_APPS = {"promises", "reports"}


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
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


def allow_shared_caching(response):
    if response.status_code == 200:
        patch_cache_control(
            response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS
        )
    return response


def public_page(view):
    """Serve the view's page from the cache, and let shared caches keep it.

    Only complete 200 responses are stored, headers and all (the embed page's own
    Content-Security-Policy and frame permission included); streamed downloads
    are only marked for shared caching.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        page = request.GET.get(PAGE_PARAMETER, "")
        # Feeds and calendars hold absolute links: the host is part of the page.
        url = f"{request.scheme}://{request.get_host()}{request.path}?{page}"
        address = hashlib.sha256(url.encode()).hexdigest()
        key = f"public:page:{generation()}:{timezone.localdate()}:{address}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return allow_shared_caching(response)

    return cached_view


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
