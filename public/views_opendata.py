"""Open data, the calendar of safety dialogues and the embeddable progress widget.

Published promises only; the data comes from public/opendata/, which reads the
public querysets alone.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP, build_policy
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from promises.models import Activity
from promises.progress import promise_progress

from . import opendata
from .page_cache import allow_shared_caching, public_page, shareable
from .views import published_promise

FORMATS = {
    "csv": ("text/csv; charset=utf-8", opendata.csv_stream),
    "json": ("application/json; charset=utf-8", opendata.json_stream),
}

# The embed page's policy when the site has none of its own (settings.SECURE_CSP):
# its own stylesheet and icon, nothing else.
EMBED_POLICY = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
}
# A CSP source expression: a scheme ("https:"), or a host with an optional scheme,
# port and path ("https://*.haninge.se:443/x"), or "*".
FRAME_SOURCE = re.compile(
    r"^(\*|[a-z][a-z0-9+.-]*:"
    r"|([a-z][a-z0-9+.-]*://)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d+|\*))?(/[^\s;,']*)?)$",
    re.IGNORECASE,
)
KEYWORDS = {"self": CSP.SELF, "'self'": CSP.SELF, "none": CSP.NONE, "'none'": CSP.NONE}


def _filename(promise, name: str) -> str:
    return f"medborgarlofte-{promise.municipality.slug}-{promise.year}-{name}"


@require_safe
@public_page
def open_data(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    context = {
        "promise": promise,
        "datasets": list(opendata.DATASETS.items()),
        "types": list(opendata.TYPE_DOCS.items()),
        "embed_url": request.build_absolute_uri(
            reverse("public:embed", args=[promise.municipality.slug, promise.year])
        ),
    }
    return render(request, "public/open_data.html", context)


@shareable
@require_safe
def download(request, municipality: str, year: int, dataset: str, extension: str):
    promise = published_promise(municipality, year)
    if dataset not in opendata.DATASETS or extension not in FORMATS:
        raise Http404
    content_type, stream = FORMATS[extension]
    response = StreamingHttpResponse(
        stream(opendata.DATASETS[dataset], promise), content_type=content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_filename(promise, dataset)}.{extension}"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return allow_shared_caching(response)


@require_safe
@public_page
def calendar(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    dialogues = (
        Activity.objects.announced()
        .filter(promise=promise)
        .select_related("promise__municipality")
        .prefetch_related("districts")
        .order_by("starts_at", "pk")
    )
    response = HttpResponse(
        opendata.dialogue_calendar(promise, dialogues, request.build_absolute_uri),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        False, f"{_filename(promise, 'trygghetsdialoger')}.ics"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@public_page
def dialogue_event(request, municipality: str, year: int, pk: int):
    """ "Lägg till i kalender": one announced dialogue as an .ics file."""
    promise = published_promise(municipality, year)
    dialogue = get_object_or_404(
        Activity.objects.announced()
        .filter(promise=promise)
        .select_related("promise__municipality")
        .prefetch_related("districts"),
        pk=pk,
    )
    response = HttpResponse(
        opendata.dialogue_event(dialogue, request.build_absolute_uri),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True,
        f"trygghetsdialog-{promise.municipality.slug}-"
        f"{timezone.localdate(dialogue.starts_at):%Y-%m-%d}.ics",
    )
    return response


def frame_ancestors() -> list[str]:
    """settings.EMBED_ALLOWED_ORIGINS as CSP sources, refusing anything else."""
    sources = []
    for item in settings.EMBED_ALLOWED_ORIGINS:
        for source in item.split():
            if source.lower() in KEYWORDS:
                sources.append(KEYWORDS[source.lower()])
            elif FRAME_SOURCE.match(source):
                sources.append(source)
            else:
                raise ImproperlyConfigured(
                    f"EMBED_ALLOWED_ORIGINS: {source!r} is not a CSP source such as "
                    "'self' or https://www.example.se"
                )
    return sources or [CSP.NONE]


@shareable
@xframe_options_exempt
@require_safe
def embed(request, municipality: str, year: int):
    """The progress widget: the only page other sites may show in an iframe."""
    response = embed_page(request, municipality, year)
    policy = {
        **(settings.SECURE_CSP or EMBED_POLICY),
        "frame-ancestors": frame_ancestors(),
    }
    response[str(CSP.HEADER_ENFORCE)] = build_policy(policy, get_nonce(request))
    return response


@public_page
def embed_page(request, municipality: str, year: int):
    promise = published_promise(municipality, year)
    progress = promise_progress(promise)
    focus_areas = promise.focus_areas.prefetch_related("commitments")
    context = {
        "promise": promise,
        "progress": progress,
        "focus_areas": [
            (area, [(c, progress.for_commitment(c.pk)) for c in area.commitments.all()])
            for area in focus_areas
        ],
    }
    return render(request, "public/embed.html", context)
