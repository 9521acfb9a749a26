"""Follow-up and evaluation: indicators, quarterly reports to residents, evaluation."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.fields import LONG_TEXT, SHORT_TEXT, BoundedTextField, length_checks
from promises.models import (
    PUBLIC_TEXT_HELP,
    Commitment,
    District,
    Municipality,
    Promise,
    Publishable,
    PublishableQuerySet,
    unique_name_per_municipality,
)
from promises.periods import quarter_span
from promises.validators import reject_personal_data

from .display import shown_value


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


class Evaluation(Publishable):
    """The joint year-end evaluation of a promise (utvärdering)."""

    promise = models.OneToOneField(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    summary = BoundedTextField(
        _("sammanfattning"),
        max_length=LONG_TEXT,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    method = BoundedTextField(
        _("så gjordes utvärderingen"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )

    lessons = BoundedTextField(
        _("det här lärde vi oss"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=format_lazy(
            "{} {}",
            _("Visas på nästa års medborgarlöfte: vad ni tar med er in i nästa år."),
            PUBLIC_TEXT_HELP,
        ),
    )
    # The indicator figures as they were when the evaluation was published
    # (reports.workflows.publish_evaluation(), freeze_evaluation()): importing
    # indicator values later leaves a published evaluation as it was. None for a
    # draft.
    figures = models.JSONField(
        _("siffror vid publiceringen"), null=True, blank=True, editable=False
    )

    objects = ReportQuerySet.as_manager()
    municipality_path = "promise__municipality"
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        ordering = ["-promise__year"]
        permissions = [("publish_evaluation", _("Kan publicera utvärderingar"))]
        constraints = [
            *Publishable.Meta.constraints,
            *length_checks(summary=LONG_TEXT, method=LONG_TEXT, lessons=LONG_TEXT),
        ]

    def __str__(self) -> str:
        return str(_("Utvärdering av %(promise)s")) % {"promise": self.promise}

    def get_absolute_url(self) -> str:
        promise = self.promise
        return reverse(
            "public:evaluation", args=[promise.municipality.slug, promise.year]
        )

    def save(self, *args, **kwargs):
        if not self.is_published:
            self.figures = None  # published again, it shows the figures of then
        super().save(*args, **kwargs)


class CommitmentOutcome(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", _("Genomfört")
        PARTLY = "partly", _("Delvis genomfört")
        NOT_DONE = "not_done", _("Ej genomfört")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("utvärdering"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    comment = BoundedTextField(
        _("kommentar"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )

    municipality_path = "evaluation__promise__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utfall per åtagande")
        verbose_name_plural = _("utfall per åtagande")
        ordering = ["evaluation", "commitment__focus_area__order", "commitment__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "commitment"],
                name="outcome_one_per_commitment",
                violation_error_message=_("Åtagandet har redan ett utfall."),
            ),
            *length_checks(comment=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_outcome_display()}"

    def clean(self) -> None:
        super().clean()
        if (
            self.evaluation_id
            and self.commitment_id
            and self.commitment.focus_area.promise_id != self.evaluation.promise_id
        ):
            raise ValidationError(
                {"commitment": _("Åtagandet hör till ett annat medborgarlöfte.")}
            )


class Goal(models.Model):
    """What a commitment should change in an indicator: from a baseline (value and
    year) to a target value by a date. Public."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    baseline_value = models.DecimalField(
        _("utgångsvärde"), max_digits=12, decimal_places=3
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("utgångsår"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    target_value = models.DecimalField(_("målvärde"), max_digits=12, decimal_places=3)
    target_by = models.DateField(_("målet nås senast"))

    municipality_path = "commitment__promise__municipality"
    history = HistoricalRecords()

    # What copying a commitment carries forward.
    COPIED_FIELDS = [
        "indicator_id",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_by",
    ]

    class Meta:
        verbose_name = _("mål för en indikator")
        verbose_name_plural = _("mål för indikatorer")
        ordering = ["commitment", "indicator__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "indicator"],
                name="goal_one_per_indicator",
                violation_error_message=_(
                    "Åtagandet har redan ett mål för den indikatorn."
                ),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__gte=1950, baseline_year__lte=2100),
                name="goal_baseline_year_plausible",
                violation_error_message=_("Ange ett utgångsår mellan 1950 och 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.baseline_value} → {self.target_value}"

    @classmethod
    def copy_to(cls, source: Commitment, copy: Commitment) -> None:
        """The source commitment's goals, for its copy (next year's promise)."""
        for goal in source.goals.all():
            cls.objects.create(
                commitment=copy,
                **{field: getattr(goal, field) for field in cls.COPIED_FIELDS},
            )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.target_by
            and self.baseline_year
            and (self.target_by.year < self.baseline_year)
        ):
            errors["target_by"] = _("Målet kan inte nås före utgångsåret.")
        if self.indicator_id and self.commitment_id:
            municipality = self.indicator.municipality_id
            if municipality not in (None, self.commitment.promise.municipality_id):
                errors["indicator"] = _("Indikatorn hör till en annan kommun.")
        if (
            self.baseline_value is not None
            and self.target_value is not None
            and self.baseline_value == self.target_value
        ):
            errors["target_value"] = _("Målvärdet är detsamma som utgångsvärdet.")
        if errors:
            raise ValidationError(errors)
