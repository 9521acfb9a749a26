"""Priorities: the districts chosen to act in for a quarter, and why."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import LONG_TEXT, SHORT_TEXT, BoundedTextField, length_checks
from ..validators import reject_personal_data
from .places import District, Municipality


class Priority(models.Model):
    """A district the municipality and the police chose to act in for a quarter,
    and why: chosen from the incident picture and the safety survey (the
    incidents app shows their figures beside the choice and keeps them in
    `evidence`). An inventory or a deployment names the priority it answers."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="priorities",
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"), choices=[(q, _("Kvartal %(q)d") % {"q": q}) for q in range(1, 5)]
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        on_delete=models.PROTECT,
        related_name="priorities",
    )
    reason = BoundedTextField(
        _("varför"),
        max_length=SHORT_TEXT,
        validators=[reject_personal_data],
        help_text=_(
            "Vad i lägesbilden och trygghetsmätningen som gör kommundelen "
            "prioriterad. Internt. Inga personuppgifter."
        ),
    )
    evidence = BoundedTextField(
        _("underlag när valet gjordes"),
        blank=True,
        editable=False,
        max_length=LONG_TEXT,
    )

    municipality_path = "municipality"
    label_related = ("district",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prioriterad kommundel")
        verbose_name_plural = _("prioriterade kommundelar")
        ordering = ["-year", "-quarter", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "quarter"],
                name="priority_unique_district_per_quarter",
                violation_error_message=_(
                    "Kommundelen är redan prioriterad det kvartalet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="priority_quarter_1_to_4",
                violation_error_message=_("Kvartalet ska vara 1–4."),
            ),
            *length_checks(reason=SHORT_TEXT, evidence=LONG_TEXT),
        ]

    def __str__(self) -> str:
        return str(_("%(district)s, kvartal %(quarter)d %(year)d")) % {
            "district": self.district,
            "quarter": self.quarter,
            "year": self.year,
        }

    def clean(self):
        if (
            self.district_id
            and self.municipality_id
            and self.district.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"district": _("Välj en kommundel i kommunen.")}, code="district"
            )

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(
            days=1
        )
