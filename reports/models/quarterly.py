"""The quarterly reports to residents, and the channels they were published in."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.fields import LONG_TEXT, BoundedTextField, length_checks
from promises.models import (
    PUBLIC_TEXT_HELP,
    Promise,
    Publishable,
    PublishableQuerySet,
)
from promises.periods import quarter_span
from promises.validators import reject_personal_data


class ReportQuerySet(PublishableQuerySet):
    def published(self) -> "ReportQuerySet":
        """Public reports and evaluations: published, of a published promise, with
        what their URLs need (promise and municipality)."""
        return (
            super()
            .published()
            .filter(promise__status=Promise.Status.PUBLISHED)
            .select_related("promise__municipality")
        )


class QuarterlyReport(Publishable):
    """A report to residents on how the work went in one quarter (uppföljning)."""

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"), choices=[(q, q) for q in range(1, 5)]
    )
    title = models.CharField(
        _("rubrik"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    body = BoundedTextField(
        _("text"),
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
        max_length=LONG_TEXT,
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    figures_as_of = models.DateField(
        _("siffrorna gäller"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Dagen då texten skrevs från uppgifterna."),
    )

    objects = ReportQuerySet.as_manager()
    municipality_path = "promise__municipality"
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = _("kvartalsrapport")
        verbose_name_plural = _("kvartalsrapporter")
        ordering = ["-year", "-quarter"]
        permissions = [
            ("publish_quarterlyreport", _("Kan publicera kvartalsrapporter"))
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["promise", "year", "quarter"],
                name="report_one_per_promise_and_quarter",
                violation_error_message=_(
                    "Det finns redan en rapport för det kvartalet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_1_to_4",
            ),
            *length_checks(body=LONG_TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        promise = self.promise
        return reverse(
            "public:report",
            args=[promise.municipality.slug, promise.year, self.year, self.quarter],
        )

    @property
    def starts_on(self) -> datetime.date:
        return quarter_span(self.year, self.quarter)[0]

    @property
    def ends_on(self) -> datetime.date:
        return quarter_span(self.year, self.quarter)[1]

    def quarter_has_ended(self, today: datetime.date) -> bool:
        return today > self.ends_on

    def clean(self) -> None:
        super().clean()
        if self.promise_id and self.year and self.quarter:
            promise = self.promise
            if self.ends_on < promise.starts_on or self.starts_on > promise.ends_on:
                raise ValidationError(
                    {"quarter": _("Kvartalet ligger utanför löftets period.")}
                )


def validate_web_url(value: str) -> None:
    URLValidator(schemes=["http", "https"])(value)


class ReportChannel(models.Model):
    """Where a report went out: the website and social media."""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("Webbplats")
        FACEBOOK = "facebook", _("Facebook")
        INSTAGRAM = "instagram", _("Instagram")
        X = "x", _("X")
        LINKEDIN = "linkedin", _("LinkedIn")
        OTHER = "other", _("Annan kanal")

    report = models.ForeignKey(
        QuarterlyReport,
        verbose_name=_("rapport"),
        on_delete=models.CASCADE,
        related_name="channels",
    )
    kind = models.CharField(_("kanal"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("länk"), max_length=500, validators=[validate_web_url])

    municipality_path = "report__promise__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publiceringskanal")
        verbose_name_plural = _("publiceringskanaler")
        ordering = ["report", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="report_channel_url_is_web",
                violation_error_message=_(
                    "Länken måste börja med https:// eller http://."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"
