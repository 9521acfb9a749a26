import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

HEALTH_KEY = "healthz"
logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database and the cache answer, 503 when one does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        cache.get(HEALTH_KEY)
    except Exception as error:  # any failure of either means "unavailable"
        logger.warning("Health check failed: %s", type(error).__name__)
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico; the icon is a static SVG."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
