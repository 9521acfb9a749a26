"""Background tasks (Django's tasks framework; `manage.py db_worker` runs them)."""

import datetime
import logging
import tempfile

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone

from . import export
from .models import (
    GIVE_UP_AFTER,
    HEARTBEAT_EVERY,
    KEEP_DAYS,
    PART_SIZE,
    SILENT_AFTER,
    MunicipalityExport,
    MunicipalityExportPart,
)

logger = logging.getLogger(__name__)


def tidy_exports(municipality, user) -> models.QuerySet:
    """The user's exports of the municipality, newest first, after the tidying.

    Exports are copies, kept KEEP_DAYS days (the data stays in its tables) and
    then deleted. One being built whose worker has been silent for SILENT_AFTER
    (no heartbeat) was lost by it (the worker was killed, its host went away), and
    one still queued after GIVE_UP_AFTER was never taken: both are marked failed,
    so that they can be asked again.
    """
    now = timezone.now()
    MunicipalityExport.objects.filter(
        requested_at__lt=now - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    mine = MunicipalityExport.objects.filter(
        municipality=municipality, requested_by=user
    )
    mine.filter(
        status__in=MunicipalityExport.PENDING, requested_at__lt=now - GIVE_UP_AFTER
    ).update(status=MunicipalityExport.Status.FAILED, finished_at=now)
    mine.alias(alive_at=Coalesce("heartbeat_at", "started_at")).filter(
        status=MunicipalityExport.Status.RUNNING, alive_at__lt=now - SILENT_AFTER
    ).update(status=MunicipalityExport.Status.FAILED, finished_at=now, lost=True)
    return mine


def request_export(municipality, user) -> tuple[MunicipalityExport, bool]:
    """Queue an export of the municipality as `user` may see it.

    One at a time per user and municipality (a constraint): while one is queued
    or running, that one is returned and nothing new is queued. The job
    and its task are written in one transaction, so a worker never sees one
    without the other.
    """
    mine = tidy_exports(municipality, user)
    try:
        with transaction.atomic():
            job = MunicipalityExport.objects.create(
                municipality=municipality, requested_by=user
            )
            build_municipality_export.enqueue(job.pk)
    except IntegrityError:  # one is already queued or running
        return mine.get(status__in=MunicipalityExport.PENDING), False
    return job, True


class Heartbeat:
    """Called as the export is written: at most every HEARTBEAT_EVERY, stamps
    the job's heartbeat_at, so that a job whose worker stopped is noticed."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last = timezone.now()

    def __call__(self) -> None:
        now = timezone.now()
        if now - self.last >= HEARTBEAT_EVERY:
            MunicipalityExport.objects.filter(pk=self.export_id).update(
                heartbeat_at=now
            )
            self.last = now


@task()
def build_municipality_export(export_id: int) -> None:
    """Build a requested municipality export and store its ZIP in the database."""
    now = timezone.now()
    claimed = MunicipalityExport.objects.filter(
        pk=export_id, status=MunicipalityExport.Status.QUEUED
    ).update(status=MunicipalityExport.Status.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:  # deleted, or already built by another worker
        return
    job = MunicipalityExport.objects.select_related("municipality", "requested_by").get(
        pk=export_id
    )
    try:
        with tempfile.SpooledTemporaryFile(max_size=export.SPOOL_SIZE) as file:
            export.write_export(
                file,
                job.municipality,
                job.requested_by,
                job.requested_at,
                beat=Heartbeat(job.pk),
            )
            size = file.tell()
            file.seek(0)
            with transaction.atomic():
                number = 0
                while data := file.read(PART_SIZE):
                    MunicipalityExportPart.objects.create(
                        export=job, number=number, data=data
                    )
                    number += 1
                job.status = MunicipalityExport.Status.READY
                job.size = size
                job.includes_lagesbild = export.includes_lagesbild(job.requested_by)
                job.finished_at = timezone.now()
                job.save(
                    update_fields=[
                        "status",
                        "size",
                        "includes_lagesbild",
                        "finished_at",
                    ]
                )
    except Exception:
        logger.exception("The export %s of %s failed", job.pk, job.municipality.slug)
        MunicipalityExport.objects.filter(pk=job.pk).update(
            status=MunicipalityExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
