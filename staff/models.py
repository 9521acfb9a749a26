"""The municipality export as a background job (staff/export/ builds it).

A coordinator asks for the export; a worker (`manage.py db_worker`, Django's tasks
framework with django-tasks-db) builds the ZIP and stores it in the database in
parts of PART_SIZE bytes, so that any app server can send it, and the coordinator
downloads it when it is ready. An export is kept for KEEP_DAYS days.

The tables keep the names they were given under the app label these models had
before (medborgarlofte_security, the project package installed as an app), so
that app servers still on the previous release keep working while a deploy
moves the app's migrations, content types and queued tasks to staff
(migrations/0003, docs/deploy.md).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.models import Municipality

PART_SIZE = 1024 * 1024  # bytes of ZIP per database row
KEEP_DAYS = 7
# A job still queued or running after this long is taken to have been lost (the
# worker was stopped): it no longer keeps the user from asking again.
GIVE_UP_AFTER = datetime.timedelta(hours=2)
# A worker building an export says so (heartbeat_at) at least this often...
HEARTBEAT_EVERY = datetime.timedelta(seconds=30)
# ...so one silent this long was stopped (killed, its host gone): the job failed.
SILENT_AFTER = datetime.timedelta(minutes=5)
# A job queued this long and not started: the page says no worker has taken it.
NOT_STARTED_AFTER = datetime.timedelta(minutes=10)


class MunicipalityExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Byggs")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    PENDING = (Status.QUEUED, Status.RUNNING)

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="exports",
        verbose_name=_("kommun"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="municipality_exports",
        verbose_name=_("beställd av"),
    )
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("senast aktiv"),
        null=True,
        blank=True,
        help_text=_("När arbetaren som bygger exporten senast sa att den lever."),
    )
    lost = models.BooleanField(_("arbetaren slutade svara"), default=False)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    includes_lagesbild = models.BooleanField(_("med lägesbilder"), default=False)

    class Meta:
        verbose_name = _("export av all data")
        verbose_name_plural = _("exporter av all data")
        db_table = "medborgarlofte_security_municipalityexport"
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(
                fields=["municipality", "requested_by", "-requested_at"],
                name="export_requester_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ready") | Q(size=0),
                name="export_size_only_when_ready",
            ),
            models.UniqueConstraint(
                fields=["municipality", "requested_by"],
                condition=Q(status__in=["queued", "running"]),
                name="export_one_pending_per_requester",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def not_started(self) -> bool:
        """Queued for a while and no worker has taken it (none is running?)."""
        return (
            self.status == self.Status.QUEUED
            and timezone.now() - self.requested_at > NOT_STARTED_AFTER
        )

    @property
    def keep_until(self) -> datetime.datetime:
        return self.requested_at + datetime.timedelta(days=KEEP_DAYS)


class MunicipalityExportPart(models.Model):
    """PART_SIZE bytes of an export's ZIP, the `number`th part."""

    export = models.ForeignKey(
        MunicipalityExport, on_delete=models.CASCADE, related_name="parts"
    )
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        db_table = "medborgarlofte_security_municipalityexportpart"
        constraints = [
            models.UniqueConstraint(
                fields=["export", "number"], name="export_part_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.export} ({self.number})"
