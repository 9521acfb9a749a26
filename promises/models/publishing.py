"""Publishing: the one mechanism by which a draft reaches residents."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PUBLIC_TEXT_HELP = _("Visas publikt. Skriv inga personuppgifter.")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publishable.Status.PUBLISHED)


class Publishable(models.Model):
    """Something drafted by staff and then published to residents: a promise, a
    quarterly report, an evaluation. The one publication mechanism: a status, the
    time of the first publication (stamped on save), `objects.published()`, and
    `publish()`; the admin's side is `promises.admin.PublishableAdmin`, and the
    permission to publish is `publish_<model name>`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="%(class)s_published_has_date",
            ),
        ]

    def save(self, *args, **kwargs):
        # Stamped here, not in clean(): a form that fails validation shows no
        # publication time for something that was never published.
        if self.is_published and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @classmethod
    def published_days(cls, promise: models.Model) -> list[datetime.date]:
        """The local days on which the promise's objects of this kind were first
        published, for progress (Target.REPORT, Target.EVALUATION). One query."""
        moments = (
            cls.objects.published()
            .filter(promise=promise)
            .values_list("published_at", flat=True)
        )
        return [timezone.localdate(moment) for moment in moments]

    def validate_constraints(self, exclude=None):
        # A published object is stamped on save (above): without a time yet, it is
        # not in breach of "published has a date". The database still refuses
        # a published row without one.
        if self.published_at is None:
            exclude = {*(exclude or ()), "published_at"}
        super().validate_constraints(exclude=exclude)

    def publish(self) -> None:
        """Validate and publish. Publishing again keeps the first publication time.

        Raises ValidationError, with nothing saved, when the object is not valid.
        """
        self.status = self.Status.PUBLISHED
        self.full_clean()
        self.save()
