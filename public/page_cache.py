"""The public pages, cached whole in the shared cache and for browsers and CDNs.

A public page is the same for every visitor, so it is rendered once and kept in
Django's cache under a key made of today's date (progress is counted "by today"),
the host, the path and the page number, together with the *generation* it was
rendered in (promises/generations.py): a municipality's pages that of the
municipality (its slug in the address), the start page and the accessibility
statement the national one. Every change to the data replaces the generations of
the municipalities it shows in, so a page never outlives the data it shows, and a
change in one municipality leaves the others' pages cached. One cache read gets
the generations and the page; a page of an older generation is rendered again and
replaces it. Pages expire after PAGE_CACHE_SECONDS. The response also says `Cache-Control: public, max-age=…`
(PUBLIC_CACHE_SECONDS), so a CDN or a browser may keep it briefly and then
revalidate it with the ETag (ConditionalGetMiddleware answers 304). `X-Cache: hit`
or `miss` says whether the page came from the cache.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

from promises.generations import NATIONAL, by_slug, generation_and

PAGE_PARAMETER = "sida"
# A page, and the start page's redirect to the only municipality's promise.
KEPT = (200, 302)
# Whether the page came from the cache, as CDNs say it: for measuring the hit
# ratio (bench/load_test.py) and for whoever debugs a stale page.
CACHE_HEADER = "X-Cache"


def allow_shared_caching(response):
    if response.status_code == 200:
        patch_cache_control(
            response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS
        )
    return response


def shareable(view):
    """Mark a view whose responses are public without the page cache (a streamed
    download, the embed page around its cached part): like public_page, it
    neither reads nor saves the session (accounts/middleware.py)."""
    view.public_page = True
    return view


def public_page(view):
    """Serve the view's page from the cache, and let shared caches keep it.

    Only complete 200 responses (and redirects) are stored, headers and all (the
    embed page's own Content-Security-Policy and frame permission included);
    streamed downloads are only marked for shared caching.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        page = request.GET.get(PAGE_PARAMETER, "")
        # Feeds and calendars hold absolute links: the host is part of the page.
        url = f"{request.scheme}://{request.get_host()}{request.path}?{page}"
        address = hashlib.sha256(url.encode()).hexdigest()
        # The municipality in the address, however the view was called.
        match = request.resolver_match
        municipality = kwargs.get("municipality") or (
            match.kwargs.get("municipality") if match else None
        )
        scope = by_slug(municipality) if municipality else NATIONAL
        key = f"public:page:{timezone.localdate()}:{address}"
        # One cache read: the generations and the page, stored with the generation
        # it was rendered in; a page of an older one is rendered again.
        current, found = generation_and(scope, key)
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            response = stored[1]
            response[CACHE_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if (
                response.status_code in KEPT
                and not response.streaming
                and settings.PAGE_CACHE_SECONDS
            ):
                cache.set(key, (current, response), settings.PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        return allow_shared_caching(response)

    # For the session middleware: a public page neither reads nor saves the
    # session (accounts/middleware.py).
    cached_view.public_page = True
    return cached_view
