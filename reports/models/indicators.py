"""Indicators and their values: what residents see change over the years, and the
rule that small counts stay hidden."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.fields import SHORT_TEXT, BoundedTextField, length_checks
from promises.models import (
    Commitment,
    District,
    Municipality,
    unique_name_per_municipality,
)
from promises.validators import reject_personal_data

from ..display import shown_value


class Indicator(models.Model):
    """Something measured per municipality or district and year, e.g. a survey result.

    Each municipality keeps its own indicators. A shared definition (no
    municipality), such as a national statistic, is changed by superusers only;
    every municipality may give it values.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="indicators",
        null=True,
        blank=True,
        help_text=_("Tomt: en gemensam definition, som bara superanvändare ändrar."),
    )
    name = models.CharField(_("namn"), max_length=200)
    unit = models.CharField(
        _("enhet"),
        max_length=50,
        help_text=_("T.ex. ”%”, ”per 1 000 invånare”, ”index”."),
    )
    source = models.CharField(
        _("källa"), max_length=200, help_text=_("T.ex. ”Polisens trygghetsmätning”.")
    )
    higher_is_better = models.BooleanField(
        _("högre är bättre"),
        default=False,
        help_text=_("Kryssa i om ett högre värde är en förbättring."),
    )
    hides_small_counts = models.BooleanField(
        _("dölj små antal"),
        default=False,
        help_text=_(
            "Värden under 5 visas publikt som ”färre än 5”, aldrig som tal. Sätts "
            "för antal händelser från lägesbilden."
        ),
    )
    description = BoundedTextField(
        _("beskrivning"),
        blank=True,
        validators=[reject_personal_data],
        max_length=SHORT_TEXT,
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("åtaganden som ska påverka indikatorn"),
        related_name="indicators",
        blank=True,
    )

    municipality_path = "municipality"
    shared = Q(municipality__isnull=True)
    history = HistoricalRecords(m2m_fields=[commitments])

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["name"]
        constraints = [
            *unique_name_per_municipality(
                "indicator",
                taken=_("Kommunen har redan en indikator med det namnet."),
                taken_shared=_("Det finns redan en gemensam indikator med det namnet."),
            ),
            *length_checks(description=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
        null=True,
        blank=True,
        help_text=_("Lämna tomt för hela kommunen."),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    # A value for a quarter of the year (the incident picture's published counts);
    # empty for a value of the whole year, as every value was before.
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"),
        null=True,
        blank=True,
        choices=[(q, q) for q in range(1, 5)],
        help_text=_("Lämna tomt för ett värde för hela året."),
    )
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=3)

    municipality_path = "municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        ordering = ["indicator", "municipality", "district", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"],
                condition=Q(district__isnull=True, quarter__isnull=True),
                name="indicator_value_one_per_municipality_year",
                violation_error_message=_(
                    "Det finns redan ett värde för kommunen det året."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "district", "year"],
                condition=Q(district__isnull=False, quarter__isnull=True),
                name="indicator_value_one_per_district_year",
                violation_error_message=_(
                    "Det finns redan ett värde för kommundelen det året."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year", "quarter"],
                condition=Q(district__isnull=True, quarter__isnull=False),
                name="indicator_value_one_per_municipality_quarter",
                violation_error_message=_(
                    "Det finns redan ett värde för kommunen det kvartalet."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "district", "year", "quarter"],
                condition=Q(district__isnull=False, quarter__isnull=False),
                name="indicator_value_one_per_district_quarter",
                violation_error_message=_(
                    "Det finns redan ett värde för kommundelen det kvartalet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="indicator_value_quarter_1_to_4",
                violation_error_message=_("Ange ett kvartal mellan 1 och 4."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2200),
                name="indicator_value_year_in_range",
                violation_error_message=_("Ange ett år mellan 1990 och 2200."),
            ),
        ]

    def __str__(self) -> str:
        place = self.district or self.municipality
        period = f"{self.year} kv. {self.quarter}" if self.quarter else self.year
        return f"{self.indicator.name}, {place} {period}: {self.value}"

    @property
    def period(self) -> str:
        """The year, or the quarter as people write it: "kv. 3 2026"."""
        if self.quarter is None:
            return str(self.year)
        return str(_("kv. %(quarter)d %(year)d")) % {
            "quarter": self.quarter,
            "year": self.year,
        }

    @property
    def shown(self) -> str:
        """The value as the public may see it (reports.display.shown_value)."""
        return shown_value(self.value, self.indicator.hides_small_counts)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.district_id
            and self.municipality_id
            and self.district.municipality_id != self.municipality_id
        ):
            errors["district"] = _("Kommundelen hör till en annan kommun.")
        if (
            self.indicator_id
            and self.municipality_id
            and self.indicator.municipality_id not in (None, self.municipality_id)
        ):
            errors["indicator"] = _("Indikatorn hör till en annan kommun.")
        if not errors and self.indicator_id and self.year:
            others = IndicatorValue.objects.filter(
                indicator=self.indicator, year=self.year
            ).exclude(pk=self.pk)
            conflict = small_count_conflict(
                self.indicator,
                self.year,
                value_shape(self.district_id, self.quarter),
                {value_shape(*v) for v in others.values_list("district", "quarter")},
            )
            if conflict:
                errors["__all__"] = conflict
        if errors:
            raise ValidationError(errors)


def without_revealing_totals(values: models.QuerySet) -> models.QuerySet:
    """The values without those that would give a hidden small count away: for an
    indicator that hides small counts, a total for the year where its quarters
    are stored, or for the municipality where its districts are (stored before
    IndicatorValue.clean() refused them). One query, as before."""
    same = IndicatorValue.objects.filter(
        indicator=models.OuterRef("indicator"), year=models.OuterRef("year")
    )
    return values.exclude(
        Q(indicator__hides_small_counts=True)
        & (
            Q(quarter=None) & models.Exists(same.filter(quarter__isnull=False))
            | Q(district=None) & models.Exists(same.filter(district__isnull=False))
        )
    )


def value_shape(district, quarter) -> tuple[bool, bool]:
    """Whether a value is a district's (or the whole municipality's) and a
    quarter's (or the whole year's)."""
    return district is not None, quarter is not None


def _shape_label(shape: tuple[bool, bool]) -> str:
    place = _("kommundel") if shape[0] else _("hela kommunen")
    period = _("kvartal") if shape[1] else _("helår")
    return f"{place} och {period}"


def small_count_conflict(indicator, year: int, shape, others: set) -> str | None:
    """For an indicator that hides small counts, every value of a year has the
    same shape: a total for the year beside its quarters, or for the municipality
    beside its districts, would let anyone work out a hidden count (18 for the
    year, 5 + 6 + 4 shown: the first quarter was 3). The Swedish error, or None."""
    if not indicator.hides_small_counts:
        return None
    different = sorted(other for other in others if other != shape)
    if not different:
        return None
    return _(
        "Indikatorn ”%(indicator)s” visar inte antal under 5, och för %(year)d finns "
        "redan värden per %(existing)s. Ett värde per %(new)s bredvid dem skulle "
        "låta vem som helst räkna ut de dolda antalen: lägg in värden per "
        "%(existing)s i stället."
    ) % {
        "indicator": indicator.name,
        "year": year,
        "existing": _shape_label(different[0]),
        "new": _shape_label(shape),
    }
