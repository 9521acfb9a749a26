from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from promises.models import Promise


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


@require_GET
def start(request):
    """The current published promise of each municipality."""
    promises = Promise.objects.published().select_related("municipality")
    latest = {}
    for promise in promises.order_by("municipality__name", "-year"):
        latest.setdefault(promise.municipality_id, promise)
    return render(request, "start.html", {"promises": list(latest.values())})
