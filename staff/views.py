import logging
import sys

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

HEALTH_KEY = "healthz"
# When to try again after a 503 for a database that does not answer.
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database answers, 503 when it does not. A cache server
    that does not answer (FailSafeCache) leaves the site up, serving pages
    uncached: still 200, and the body says so."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        ping = getattr(cache, "ping", None)
        cached = ping() if ping else cache.get(HEALTH_KEY) or True
    except Exception as error:  # any failure of either means "unavailable"
        logger.warning("Health check failed: %s", type(error).__name__)
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    if not cached:
        return HttpResponse(
            "ok, without the cache: pages are served uncached",
            content_type="text/plain",
        )
    return HttpResponse("ok", content_type="text/plain")


@requires_csrf_token
def server_error(request):
    """The 500 page; a database that does not answer is a 503, for a while: the
    page says it is temporary, and Retry-After when to try again. Nothing here
    reads the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.warning("Database unavailable: %s", type(error).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico; the icon is a static SVG."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
