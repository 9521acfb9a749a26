"""The promise itself: one municipality's medborgarlöfte for a year, its focus
areas and its commitments, with the problem behind each."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy, get_text_list
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import LONG_TEXT, SHORT_TEXT, BoundedTextField, length_checks
from ..validators import reject_personal_data
from .kinds import targets_counting
from .places import Municipality
from .publishing import PUBLIC_TEXT_HELP, Publishable, PublishableQuerySet


class PromiseQuerySet(PublishableQuerySet):
    def covering(self, day: datetime.date) -> "PromiseQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def current_of_each_municipality(self, day: datetime.date) -> list["Promise"]:
        """Each municipality's current promise on a day: the one running then;
        else the last to have begun (in the first days of a year without a new
        one); else the next to begin. In the order of the municipalities' names;
        one query."""

        def rank(promise):
            if promise.contains(day):
                return (0, 0)
            if promise.starts_on <= day:
                return (1, -promise.starts_on.toordinal())
            return (2, promise.starts_on.toordinal())

        current = {}
        for promise in self.select_related("municipality").order_by(
            "municipality__name"
        ):
            best = current.get(promise.municipality_id)
            if best is None or rank(promise) < rank(best):
                current[promise.municipality_id] = promise
        return list(current.values())


class Promise(Publishable):
    """One municipality's medborgarlöfte for one year."""

    class Status(models.TextChoices):
        # Publishable's values, in the neuter: "ett medborgarlöfte".
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerat")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="promises",
    )
    year = models.PositiveSmallIntegerField(
        _("år"), help_text=_("Året löftet gäller, eller det år det börjar.")
    )
    title = models.CharField(
        _("rubrik"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till"))
    introduction = BoundedTextField(
        _("inledning"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    objects = PromiseQuerySet.as_manager()
    municipality_path = "municipality"
    label_related = ("municipality",)
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["municipality__name", "-year"]
        permissions = [("publish_promise", _("Kan publicera medborgarlöften"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="promise_one_per_municipality_and_year",
                violation_error_message=_(
                    "Kommunen har redan ett medborgarlöfte för det året."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="promise_ends_after_start",
                violation_error_message=_("Slutdatum måste vara efter startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2200),
                name="promise_year_in_range",
                violation_error_message=_("Ange ett år mellan 2000 och 2200."),
            ),
            *length_checks(introduction=LONG_TEXT),
        ]

    def __str__(self) -> str:
        """The title, with the municipality and the year when it lacks them (a
        choice list may hold several years). Queries the municipality unless
        selected."""
        if str(self.year) in self.title and self.municipality.name in self.title:
            return self.title
        return f"{self.title} ({self.short_name})"

    def get_absolute_url(self) -> str:
        """The public overview. Queries the municipality unless selected."""
        return reverse("public:overview", args=[self.municipality.slug, self.year])

    @property
    def short_name(self) -> str:
        """ "Haninge 2026". Queries the municipality unless selected."""
        return f"{self.municipality.name} {self.year}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError(
                {"starts_on": _("Löftet ska börja under det år det gäller.")}
            )

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class FocusArea(models.Model):
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="focus_areas",
    )
    title = models.CharField(
        _("rubrik"), max_length=200, validators=[reject_personal_data]
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    municipality_path = "promise__municipality"
    label_related = ("promise__municipality",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "title"],
                name="focus_area_unique_title_per_promise",
                violation_error_message=_(
                    "Löftet har redan ett fokusområde med den rubriken."
                ),
            )
        ]

    def __str__(self) -> str:
        """With its promise's municipality and year: a choice list may hold
        the same focus area of several years. Queries both unless selected."""
        return f"{self.title} ({self.promise.short_name})"


def parties_in_words(organisations, *, capitalise: bool = True) -> str:
    """ "Kommunen, polisen och Kustbevakningen": the municipality's organisations
    as "kommunen", the police as "polisen" (once each), then the others by name;
    inside a sentence (`capitalise=False`), "kommunen och polisen"."""
    order = {"municipality": 0, "police": 1}
    words = []
    for organisation in sorted(
        organisations, key=lambda o: (order.get(o.kind, 2), o.name)
    ):
        word = str(
            {"municipality": _("kommunen"), "police": _("polisen")}.get(
                organisation.kind, organisation.name
            )
        )
        if word not in words:
            words.append(word)
    text = str(get_text_list(words, str(_("och"))))
    return text[:1].upper() + text[1:] if capitalise else text


class ProblemSource(models.TextChoices):
    SURVEY = "survey", _("Trygghetsmätning")
    SITUATION = "situation", _("Lägesbild")
    DIALOGUE = "dialogue", _("Trygghetsdialog")
    CRIMES = "crimes", _("Anmälda brott")


class MeasureKind(models.TextChoices):
    SITUATIONAL = "situational", _("Situationell (platsen)")
    SOCIAL = "social", _("Social (människorna)")


class MeasureTerm(models.TextChoices):
    SHORT = "short", _("Kortsiktig")
    LONG = "long", _("Långsiktig")


class CommitmentQuerySet(models.QuerySet):
    def counting(self, kind: str) -> "CommitmentQuerySet":
        """Those with a target that counts the kind (as its kind, or with it:
        `Target.other_kinds`): the commitments an activity of the
        kind could deliver, and be counted for."""
        return self.filter(targets_counting(kind, "targets__")).distinct()


class Commitment(models.Model):
    Source = ProblemSource
    MeasureKind = MeasureKind
    MeasureTerm = MeasureTerm

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="commitments",
        blank=True,  # taken from the focus area on save
        help_text=_("Fokusområdets medborgarlöfte; sätts när åtagandet sparas."),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("fokusområde"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    title = models.CharField(
        _("kort rubrik"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    description = BoundedTextField(
        _("löftet i sin helhet"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    internal_notes = BoundedTextField(
        _("interna anteckningar"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Visas aldrig publikt."),
    )
    # The problem behind the commitment (Brå's five steps; SARA's scanning and
    # analysis). All optional, all public.
    problem = BoundedTextField(
        _("problemet"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=format_lazy(
            "{} {}", _("Vad är problemet som åtagandet ska minska?"), PUBLIC_TEXT_HELP
        ),
    )
    problem_districts = models.ManyToManyField(
        "District",
        verbose_name=_("var problemet finns"),
        related_name="problem_commitments",
        blank=True,
    )
    problem_since = models.PositiveSmallIntegerField(
        _("problemet finns sedan (år)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    problem_source = models.CharField(
        _("källa"),
        max_length=20,
        choices=ProblemSource,
        blank=True,
        help_text=_("Var problemet syntes först."),
    )
    source_dialogues = models.ManyToManyField(
        "Activity",
        verbose_name=_("trygghetsdialoger som problemet kom från"),
        related_name="problem_commitments",
        blank=True,
        limit_choices_to={"kind": "dialogue"},
        help_text=_(
            "Kommunens trygghetsdialoger i år och förra året. Bara de som är "
            "publicerade visas publikt."
        ),
    )
    cause_analysis = BoundedTextField(
        _("orsaker"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=format_lazy(
            "{} {}",
            _("En kort orsaksanalys: varför finns problemet?"),
            PUBLIC_TEXT_HELP,
        ),
    )
    measure_kind = models.CharField(
        _("typ av åtgärd"), max_length=20, choices=MeasureKind, blank=True
    )
    measure_term = models.CharField(
        _("tidsperspektiv"), max_length=20, choices=MeasureTerm, blank=True
    )
    # The parties that promise: the police, the municipality, both, or a named
    # other party (Kustbevakningen, Västtrafik, a housing company).
    responsible_organisations = models.ManyToManyField(
        "Organisation",
        verbose_name=_("vem lovar"),
        related_name="responsible_for",
        blank=True,
        help_text=_(
            "Parterna som lovar: polisen, kommunen, båda eller en annan part. "
            "Visas publikt: ”Kommunen och polisen lovar …”."
        ),
    )

    objects = CommitmentQuerySet.as_manager()
    municipality_path = "promise__municipality"
    label_related = ("promise__municipality",)
    history = HistoricalRecords()

    # What copying a commitment carries forward (promises/workflows.py).
    PROBLEM_FIELDS = [
        "problem",
        "problem_since",
        "problem_source",
        "cause_analysis",
        "measure_kind",
        "measure_term",
    ]

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["focus_area__order", "order", "id"]
        constraints = length_checks(
            description=LONG_TEXT,
            internal_notes=LONG_TEXT,
            problem=SHORT_TEXT,
            cause_analysis=SHORT_TEXT,
        )

    def __str__(self) -> str:
        """With its promise's municipality and year, as a choice list needs.
        Queries both unless selected."""
        return f"{self.title} ({self.promise.short_name})"

    def save(self, *args, **kwargs):
        # The promise is the focus area's: kept here so that the promise's page
        # can list, and add, its commitments directly.
        if self.focus_area_id:
            self.promise_id = self.focus_area.promise_id
        super().save(*args, **kwargs)

    @property
    def parties(self) -> str:
        """Who promises, in words: "Kommunen och polisen", "Kustbevakningen"; ""
        when no party is named. Uses the prefetched responsible organisations."""
        return parties_in_words(self.responsible_organisations.all())
