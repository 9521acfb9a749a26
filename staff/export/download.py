"""A built export to the one who asked for it, and the security log of asking and
downloading."""

import datetime
import logging

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.security import client_ip

from ..models import MunicipalityExportPart

security_log = logging.getLogger("medborgarlofte.security")


def filename(municipality, day: datetime.date) -> str:
    return f"medborgarlofte-{municipality.slug}-{day.isoformat()}.zip"


def log_export(request, municipality, what: str) -> None:
    """Who asked for or downloaded which municipality's export, to the security
    log; never any data."""
    security_log.info(
        "export %s municipality=%r user=%r ip=%s",
        what,
        municipality.slug,
        request.user.get_username(),
        client_ip(request),
    )


def download_response(job) -> StreamingHttpResponse:
    """A built export as a download, read from the database one part at a time."""
    part_ids = list(job.parts.order_by("number").values_list("pk", flat=True))

    def parts():
        for pk in part_ids:
            yield bytes(
                MunicipalityExportPart.objects.values_list("data", flat=True).get(pk=pk)
            )

    response = StreamingHttpResponse(parts(), content_type="application/zip")
    response["Content-Length"] = job.size
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=filename(job.municipality, timezone.localdate(job.requested_at)),
    )
    return response
