from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database answers, 503 when it does not. Nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico; the icon is a static SVG."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
