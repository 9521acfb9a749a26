"""Incident reports from the municipality's services and partners (the EST method).

Confidential: never on a public page, feed or export. No field for people; the
free text refuses what looks like personal data (promises/validators.py).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.fields import SHORT_TEXT, BoundedTextField, length_checks
from promises.models import (
    District,
    Municipality,
    Organisation,
    unique_name_per_municipality,
)
from promises.validators import reject_personal_data

# How long a partner sees and corrects their organisation's reports.
CORRECTION_DAYS = 7


class IncidentCategory(models.Model):
    """What was seen. Shared categories (no municipality) are changed by
    superusers; a municipality may add its own."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="incident_categories",
        null=True,
        blank=True,
        help_text=_("Tom: kategorin gäller alla kommuner."),
    )
    name = models.CharField(_("namn"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(
        _("används"),
        default=True,
        help_text=_("En kategori som inte används kan inte väljas i nya rapporter."),
    )

    municipality_path = "municipality"
    shared = Q(municipality__isnull=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("händelsekategori")
        verbose_name_plural = _("händelsekategorier")
        ordering = ["order", "name"]
        constraints = unique_name_per_municipality(
            "incidentcategory",
            taken=_("Kommunen har redan en kategori med det namnet."),
            taken_shared=_("Det finns redan en kategori med det namnet."),
        )

    def __str__(self) -> str:
        return self.name


class Reporter(models.Model):
    """A user who reports for a partner organisation (the role Samverkanspart)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="reporter",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reporters",
        limit_choices_to={"municipality__isnull": False},
        help_text=_("Organisationen som användaren rapporterar för."),
    )

    municipality_path = "organisation__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportör")
        verbose_name_plural = _("rapportörer")
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation})"


class IncidentReportQuerySet(models.QuerySet):
    def correctable_by(self, user) -> "IncidentReportQuerySet":
        """A partner's own organisation's reports of the last few days: those its
        reporters filed (a colleague's too). A report the police liaison or the
        municipality filed under the organisation is theirs, internal note and
        all, and the partner never sees it (decided in issue 23). One with no
        recorded reporter (the demo's; its reporter's account deleted) counts as
        the organisation's."""
        since = timezone.now() - datetime.timedelta(days=CORRECTION_DAYS)
        return self.filter(
            organisation__reporters__user=user, reported_at__gte=since
        ).filter(
            Q(reported_by__isnull=True)
            | Q(reported_by__reporter__organisation=F("organisation"))
        )


class IncidentReport(models.Model):
    """One observation: what, where, when and how many times. Confidential."""

    class PlaceType(models.TextChoices):
        STAIRWELL = "stairwell", _("Trapphus eller källare")
        YARD = "yard", _("Gård eller lekplats")
        CENTRE = "centre", _("Centrum eller butik")
        PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik")
        SCHOOL = "school", _("Skola eller fritidsgård")
        PARK = "park", _("Park eller natur")
        STREET = "street", _("Gata, gång- eller cykelväg")
        PARKING = "parking", _("Parkering eller garage")
        OTHER = "other", _("Annan plats")

    class PartOfDay(models.TextChoices):
        MORNING = "morning", _("Morgon (06–10)")
        DAY = "day", _("Dag (10–17)")
        EVENING = "evening", _("Kväll (17–22)")
        NIGHT = "night", _("Natt (22–06)")

        @classmethod
        def at(cls, time: datetime.time) -> "IncidentReport.PartOfDay":
            hour = time.hour
            if 6 <= hour < 10:
                return cls.MORNING
            if 10 <= hour < 17:
                return cls.DAY
            if 17 <= hour < 22:
                return cls.EVENING
            return cls.NIGHT

    category = models.ForeignKey(
        IncidentCategory,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        on_delete=models.PROTECT,
        related_name="incident_reports",
    )
    place_type = models.CharField(
        _("typ av plats"), max_length=30, choices=PlaceType.choices
    )
    place = models.CharField(
        _("plats"),
        max_length=150,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "Till exempel en adress, ett trapphus eller en busshållplats. Inga "
            "personuppgifter."
        ),
    )
    date = models.DateField(_("datum"))
    part_of_day = models.CharField(
        _("tid på dygnet"), max_length=10, choices=PartOfDay.choices
    )
    occurrences = models.PositiveSmallIntegerField(
        _("antal gånger"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    internal_note = BoundedTextField(
        _("intern anteckning"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=_("Sekretess, visas aldrig publikt. Inga personuppgifter."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("rapporterad av organisation"),
        on_delete=models.PROTECT,
        related_name="incident_reports",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("rapporterad"), default=timezone.now)
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    municipality_path = "district__municipality"
    objects = IncidentReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("händelserapport")
        verbose_name_plural = _("händelserapporter")
        ordering = ["-date", "-reported_at"]
        permissions = [
            ("view_lagesbild", _("Kan läsa lägesbilden (alla rapporter, per vecka)")),
            (
                "publish_counts",
                _("Kan publicera antal händelser per kvartal som indikatorer"),
            ),
            (
                "view_own_feedback",
                _("Kan se vad som hände med den egna organisationens rapporter"),
            ),
        ]
        indexes = [
            models.Index(fields=["date", "district"], name="incidentreport_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurrences__gte=1, occurrences__lte=500),
                name="incidentreport_occurrences_plausible",
                violation_error_message=_("Antal gånger ska vara mellan 1 och 500."),
            ),
            *length_checks(internal_note=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return str(_("%(category)s i %(district)s %(date)s")) % {
            "category": self.category,
            "district": self.district,
            "date": self.date,
        }
