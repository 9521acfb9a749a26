"""The evaluation of a promise, each commitment's outcome, and the goals of the
commitments with a problem."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    Promise,
    Publishable,
)
from promises.validators import reject_personal_data

from .indicators import Indicator
from .quarterly import ReportQuerySet


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
