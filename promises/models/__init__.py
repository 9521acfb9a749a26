"""The promise as data: municipalities, promises, commitments, targets, activities.

See docs/architecture.md for why the models are shaped this way.
"""

import datetime
import functools
import operator
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import (
    ExtractIsoYear,
    ExtractQuarter,
    ExtractWeek,
    ExtractYear,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from .validators import reject_personal_data

PUBLIC_TEXT_HELP = _("Visas publikt. Skriv inga personuppgifter.")


def unique_name_per_municipality(
    model_name: str, *, taken: str, taken_shared: str, shared_constraint: str = ""
) -> list[models.UniqueConstraint]:
    """A name once per municipality, and once among the shared rows (no
    municipality): the constraints of every list a municipality keeps its own of."""
    return [
        models.UniqueConstraint(
            fields=["municipality", "name"],
            name=f"{model_name}_unique_name_per_municipality",
            violation_error_message=taken,
        ),
        models.UniqueConstraint(
            fields=["name"],
            condition=Q(municipality__isnull=True),
            name=shared_constraint or f"{model_name}_unique_shared_name",
            violation_error_message=taken_shared,
        ),
    ]


def _staff_of(path: str, user) -> Q:
    return Q(**{f"{path}__staff" if path else "staff": user})


def for_user(queryset: models.QuerySet, user) -> models.QuerySet:
    """Narrow a queryset to what the user may see (superusers: everything).

    Each scoped model names the lookup path to the municipality it belongs to in
    `municipality_path` ("" for Municipality itself, None for what belongs to no
    municipality). Staff see what belongs to the municipalities they work for,
    and also what `visible_through` paths lead to (a police area, and its
    organisation, seen by the staff of the municipalities it serves) and what
    the `shared` condition admits (shared definitions). They change only what
    belongs to their municipalities (`belongs_to_user()`); the rest, superusers.
    """
    if user.is_superuser:
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    model = queryset.model
    conditions = []
    if model.municipality_path is not None:
        conditions.append(_staff_of(model.municipality_path, user))
    for path in getattr(model, "visible_through", ()):
        reachable = model._default_manager.filter(_staff_of(path, user))
        conditions.append(Q(pk__in=reachable.values("pk")))
    if getattr(model, "shared", None) is not None:
        conditions.append(model.shared)
    if not conditions:
        return queryset.none()
    return queryset.filter(functools.reduce(operator.or_, conditions))


def belongs_to_user(obj: models.Model, user) -> bool:
    """Whether the object belongs to one of the user's municipalities, so that the
    user may change it (superusers change everything). One query."""
    if user.is_superuser:
        return True
    path = type(obj).municipality_path
    if path is None or not user.is_authenticated:
        return False
    return type(obj)._default_manager.filter(_staff_of(path, user), pk=obj.pk).exists()


class PoliceArea(models.Model):
    """A lokalpolisområde. It may serve several municipalities (Haninge and
    Nynäshamn share one): shared by design, so only superusers change it; the
    staff of the municipalities it serves see it."""

    name = models.CharField(
        _("namn"),
        max_length=150,
        unique=True,
        help_text=_("T.ex. ”Lokalpolisområde Södertälje”."),
    )

    municipality_path = None
    visible_through = ("municipalities",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.ensure_organisation()

    def ensure_organisation(self) -> "Organisation":
        """The police area as an organisation that takes part in activities: the
        police of the municipalities it serves. Created and renamed with it."""
        organisation, created = Organisation.objects.get_or_create(
            police_area=self,
            defaults={"name": self.name, "kind": Organisation.Kind.POLICE},
        )
        if not created and organisation.name != self.name:
            organisation.name = self.name
            organisation.save(update_fields=["name"])
        return organisation


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    police_area = models.ForeignKey(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
        help_text=_("Polisen i kommunens aktiviteter är lokalpolisområdet."),
    )
    # The accessibility statement's contact (lagen 2018:1937): a shared mailbox
    # and the switchboard, never a person's own address or number.
    accessibility_email = models.EmailField(
        _("e-post för synpunkter på tillgängligheten"),
        blank=True,
        help_text=_(
            "En funktionsbrevlåda, t.ex. kontaktcenter@kommunen.se. Visas publikt."
        ),
    )
    accessibility_phone = models.CharField(
        _("telefon för synpunkter på tillgängligheten"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[\d\s()-]{5,30}$")],
        help_text=_("Kommunens växel eller kontaktcenter. Visas publikt."),
    )
    accessibility_form_url = models.URLField(
        _("webbformulär för synpunkter"),
        blank=True,
        help_text=_("Om kommunen tar emot synpunkter i ett formulär. Visas publikt."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        # A plural noun: the admin's two-list widget says "Välj alla användare".
        verbose_name=_("användare"),
        related_name="municipalities",
        blank=True,
        help_text=_("Användare som ser och redigerar kommunens uppgifter."),
    )

    municipality_path = ""
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        permissions = [
            ("export_municipality", _("Kan exportera all data för kommunen"))
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A kommundel: the unit of the safety survey and of "in different parts"."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("kortnamn"), max_length=100, allow_unicode=True)

    municipality_path = "municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommundel")
        verbose_name_plural = _("kommundelar")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="district_unique_name_per_municipality",
                violation_error_message=_(
                    "Kommunen har redan en kommundel med det namnet."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="district_unique_slug_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An organisation that takes part in activities or fixes findings: the
    municipality itself and its partners (housing companies, schools, security
    firms…), which belong to one municipality, or a police area's police, which
    belongs to the police area. One with neither is shared, e.g. Trafikverket:
    every municipality's staff choose it, superusers change it."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommunen")
        PARTNER = "partner", _("Samverkanspart")

    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_("Kommunen som organisationen samverkar med."),
    )
    police_area = models.OneToOneField(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="organisation",
        null=True,
        blank=True,
        editable=False,
    )

    municipality_path = "municipality"
    visible_through = ("police_area__municipalities",)
    shared = Q(municipality__isnull=True, police_area__isnull=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["kind", "name"]
        constraints = [
            *unique_name_per_municipality(
                "organisation",
                taken=_("Kommunen har redan en organisation med det namnet."),
                taken_shared=_("Det finns redan en organisation med det namnet."),
                shared_constraint="organisation_unique_name_unless_municipal",
            ),
            # The police are a police area's; everybody else is no police area's.
            models.CheckConstraint(
                condition=Q(kind="police", police_area__isnull=False, municipality=None)
                | (~Q(kind="police") & Q(police_area__isnull=True)),
                name="organisation_police_is_a_police_area",
                violation_error_message=_(
                    "Polisen läggs till som lokalpolisområde, inte som organisation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def takes_part_for(self, municipality: "Municipality") -> bool:
        """Whether the organisation may take part in the municipality's work: its
        own, its police area's, or a shared one."""
        if self.police_area_id is not None:
            return self.police_area_id == municipality.police_area_id
        return self.municipality_id in (None, municipality.pk)


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
    def published_days(cls, promise: "Promise") -> list[datetime.date]:
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
    introduction = models.TextField(
        _("inledning"),
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
    description = models.TextField(
        _("löftet i sin helhet"),
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    internal_notes = models.TextField(
        _("interna anteckningar"),
        blank=True,
        help_text=_("Visas aldrig publikt."),
    )
    # The problem behind the commitment (Brå's five steps; SARA's scanning and
    # analysis). All optional, all public.
    problem = models.TextField(
        _("problemet"),
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
        choices=ProblemSource.choices,
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
    cause_analysis = models.TextField(
        _("orsaker"),
        blank=True,
        validators=[reject_personal_data],
        help_text=format_lazy(
            "{} {}",
            _("En kort orsaksanalys: varför finns problemet?"),
            PUBLIC_TEXT_HELP,
        ),
    )
    measure_kind = models.CharField(
        _("typ av åtgärd"), max_length=20, choices=MeasureKind.choices, blank=True
    )
    measure_term = models.CharField(
        _("tidsperspektiv"), max_length=20, choices=MeasureTerm.choices, blank=True
    )
    responsible_organisations = models.ManyToManyField(
        "Organisation",
        verbose_name=_("ansvariga organisationer"),
        related_name="responsible_for",
        blank=True,
    )

    municipality_path = "promise__municipality"
    label_related = ("promise__municipality",)
    history = HistoricalRecords()

    # What copying a commitment carries forward (workflows.py).
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


class ActivityKind(models.TextChoices):
    INVENTORY = "inventory", _("Trygghetsinventering")
    PRESENCE = "presence", _("Synlig närvaro")
    YOUTH_VISIT = "youth_visit", _("Besök i ungdomsmiljö")
    DEPLOYMENT = "deployment", _("Fredagsutsättning")
    YOUTH_COORDINATION = "youth_coordination", _("Samverkan kring unga i riskzon")
    TRAFFIC = "traffic", _("Trafiksäkerhetsinsats")
    DIALOGUE = "dialogue", _("Trygghetsdialog")
    OTHER = "other", _("Övrig aktivitet")


class PublicationLevel(models.TextChoices):
    """How much of an activity the public sees, from most to least."""

    DETAIL = "detail", _("Detaljer (efter genomförandet)")
    AGGREGATE = "aggregate", _("Endast i sammanställning")
    INTERNAL = "internal", _("Internt")


# Police operations are public only after the fact and in aggregate (OSL 18 kap.);
# the coordinator may tighten a level, never loosen it past this default.
DEFAULT_PUBLICATION_LEVEL = {
    ActivityKind.INVENTORY: PublicationLevel.DETAIL,
    ActivityKind.PRESENCE: PublicationLevel.AGGREGATE,
    ActivityKind.YOUTH_VISIT: PublicationLevel.AGGREGATE,
    ActivityKind.DEPLOYMENT: PublicationLevel.AGGREGATE,
    ActivityKind.YOUTH_COORDINATION: PublicationLevel.AGGREGATE,
    ActivityKind.TRAFFIC: PublicationLevel.AGGREGATE,
    ActivityKind.DIALOGUE: PublicationLevel.DETAIL,
    ActivityKind.OTHER: PublicationLevel.DETAIL,
}
# More people than this at one activity is a typing error (no field for a crowd).
MAX_COUNT = 100_000

KINDS_PUBLIC_IN_DETAIL = [
    kind
    for kind, level in DEFAULT_PUBLICATION_LEVEL.items()
    if level == PublicationLevel.DETAIL
]
# What the police liaison logs; other kinds are the coordinator's.
POLICE_LOGGED_KINDS = [
    ActivityKind.DEPLOYMENT,
    ActivityKind.PRESENCE,
    ActivityKind.YOUTH_VISIT,
]


class Target(models.Model):
    """A measurable part of a commitment: N activities of a kind per period.

    Without a count the commitment is followed up by counting only ("inget
    mätbart mål"). See docs/architecture.md and docs/progress-rules.md.
    """

    REPORT = "report"
    EVALUATION = "evaluation"
    KIND_CHOICES = [
        *ActivityKind.choices,
        (REPORT, _("Publicerad rapport till invånarna")),
        (EVALUATION, _("Utvärdering")),
    ]

    class Period(models.TextChoices):
        WEEK = "week", _("vecka")
        MONTH = "month", _("månad")
        QUARTER = "quarter", _("kvartal")
        HALF_YEAR = "half_year", _("halvår")
        YEAR = "year", _("år")

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("måndag")
        TUESDAY = 2, _("tisdag")
        WEDNESDAY = 3, _("onsdag")
        THURSDAY = 4, _("torsdag")
        FRIDAY = 5, _("fredag")
        SATURDAY = 6, _("lördag")
        SUNDAY = 7, _("söndag")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(_("vad räknas"), max_length=30, choices=KIND_CHOICES)
    count = models.PositiveSmallIntegerField(
        _("antal"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt om åtagandet saknar ett mätbart antal."),
    )
    period = models.CharField(
        _("per"), max_length=20, choices=Period.choices, default=Period.YEAR
    )
    weekday = models.PositiveSmallIntegerField(
        _("veckodag"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Bara aktiviteter på denna veckodag räknas, en per vecka."),
    )
    min_districts = models.PositiveSmallIntegerField(
        _("minst antal kommundelar"), null=True, blank=True
    )
    joint = models.BooleanField(
        _("gemensamt"),
        default=False,
        help_text=_("Räkna bara aktiviteter där både polisen och kommunen deltog."),
    )

    municipality_path = "commitment__promise__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["commitment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1),
                name="target_count_positive",
                violation_error_message=_("Antalet måste vara minst 1."),
            ),
            models.CheckConstraint(
                condition=Q(min_districts__isnull=True) | Q(min_districts__gte=1),
                name="target_min_districts_positive",
                violation_error_message=_("Antal kommundelar måste vara minst 1."),
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=False)
                | Q(weekday__isnull=True, min_districts__isnull=True),
                name="target_rules_need_count",
                violation_error_message=_(
                    "Veckodag och antal kommundelar kräver att ett antal anges."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=1, weekday__lte=7),
                name="target_weekday_iso",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence()

    def sentence(self) -> str:
        """What the target means, as a sentence: "Minst 2 gemensamma
        trygghetsinventeringar per halvår", "En gemensam utsättning varje
        fredag". The one place that puts a target in words, for staff and
        residents alike."""
        one, many, joint_one, joint_many = TARGET_NOUNS[self.kind]
        if self.joint:
            one, many = joint_one, joint_many
        if self.count is None:
            words = _("%(things)s räknas %(period)s, utan ett fast antal") % {
                "things": many,
                "period": PER_PERIOD[self.period],
            }
        elif self.weekday:
            words = _("%(one)s varje %(weekday)s") % {
                "one": one,
                "weekday": self.get_weekday_display(),
            }
        elif self.count == 1:
            words = _("Minst %(one)s %(period)s") % {
                "one": one,
                "period": PER_PERIOD[self.period],
            }
        else:
            words = _("Minst %(count)d %(many)s %(period)s") % {
                "count": self.count,
                "many": many,
                "period": PER_PERIOD[self.period],
            }
        if self.min_districts:
            words += ngettext(
                ", i minst %(count)d kommundel",
                ", i minst %(count)d olika kommundelar",
                self.min_districts,
            ) % {"count": self.min_districts}
        return words[:1].upper() + words[1:]


# Per kind: one, several, one done jointly, several done jointly (police and
# municipality together); for Target.sentence().
TARGET_NOUNS = {
    ActivityKind.INVENTORY: (
        _("en trygghetsinventering"),
        _("trygghetsinventeringar"),
        _("en gemensam trygghetsinventering"),
        _("gemensamma trygghetsinventeringar"),
    ),
    ActivityKind.PRESENCE: (
        _("en insats med synlig närvaro"),
        _("insatser med synlig närvaro"),
        _("en gemensam insats med synlig närvaro"),
        _("gemensamma insatser med synlig närvaro"),
    ),
    ActivityKind.YOUTH_VISIT: (
        _("ett besök i en ungdomsmiljö"),
        _("besök i ungdomsmiljöer"),
        _("ett gemensamt besök i en ungdomsmiljö"),
        _("gemensamma besök i ungdomsmiljöer"),
    ),
    # A Friday deployment is the police's and the municipality's together.
    ActivityKind.DEPLOYMENT: (
        _("en gemensam utsättning"),
        _("gemensamma utsättningar"),
        _("en gemensam utsättning"),
        _("gemensamma utsättningar"),
    ),
    ActivityKind.YOUTH_COORDINATION: (
        _("ett samverkansmöte om unga i riskzon"),
        _("samverkansmöten om unga i riskzon"),
        _("ett samverkansmöte om unga i riskzon"),
        _("samverkansmöten om unga i riskzon"),
    ),
    ActivityKind.TRAFFIC: (
        _("en trafiksäkerhetsinsats"),
        _("trafiksäkerhetsinsatser"),
        _("en gemensam trafiksäkerhetsinsats"),
        _("gemensamma trafiksäkerhetsinsatser"),
    ),
    ActivityKind.DIALOGUE: (
        _("en trygghetsdialog"),
        _("trygghetsdialoger"),
        _("en gemensam trygghetsdialog"),
        _("gemensamma trygghetsdialoger"),
    ),
    ActivityKind.OTHER: (
        _("en aktivitet"),
        _("aktiviteter"),
        _("en gemensam aktivitet"),
        _("gemensamma aktiviteter"),
    ),
    Target.REPORT: (
        _("en publicerad rapport"),
        _("publicerade rapporter"),
        _("en publicerad rapport"),
        _("publicerade rapporter"),
    ),
    Target.EVALUATION: (
        _("en utvärdering"),
        _("utvärderingar"),
        _("en gemensam utvärdering"),
        _("gemensamma utvärderingar"),
    ),
}
PER_PERIOD = {
    Target.Period.WEEK: _("per vecka"),
    Target.Period.MONTH: _("per månad"),
    Target.Period.QUARTER: _("per kvartal"),
    Target.Period.HALF_YEAR: _("per halvår"),
    Target.Period.YEAR: _("per år"),
}


def public_activity(related: str = "", *, in_detail: bool = False) -> models.Q:
    """The condition for an activity the public may see (`related`: the lookup to
    the activity from another model, e.g. "inventory__"), in detail or at least
    in aggregate. The only definition of what is public; used by the querysets."""
    condition = models.Q(
        **{
            f"{related}status": Activity.Status.DONE,
            f"{related}starts_at__lte": timezone.now(),
            f"{related}promise__status": Promise.Status.PUBLISHED,
        }
    )
    if in_detail:
        return condition & models.Q(
            **{f"{related}publication_level": PublicationLevel.DETAIL}
        )
    return condition & ~models.Q(
        **{f"{related}publication_level": PublicationLevel.INTERNAL}
    )


class Priority(models.Model):
    """A district the municipality and the police chose to act in for a quarter,
    and why: chosen from the lägesbild and the safety survey (the incidents app
    shows their figures beside the choice and keeps them in `evidence`). An
    inventory or a deployment names the priority it answers."""

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
    reason = models.TextField(
        _("varför"),
        validators=[reject_personal_data],
        help_text=_(
            "Vad i lägesbilden och trygghetsmätningen som gör kommundelen "
            "prioriterad. Internt. Inga personuppgifter."
        ),
    )
    evidence = models.TextField(
        _("underlag när valet gjordes"), blank=True, editable=False
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


class ActivityQuerySet(models.QuerySet):
    """What the public may see of activities is decided here, and only here."""

    def done(self) -> "ActivityQuerySet":
        return self.filter(status=Activity.Status.DONE)

    def public(self) -> "ActivityQuerySet":
        """Done, already begun, not internal, in a published promise.

        Includes activities public only in aggregate: show those as counts.
        """
        return self.filter(public_activity())

    def public_in_detail(self) -> "ActivityQuerySet":
        return self.filter(public_activity(in_detail=True))

    def weeks_held(self) -> list[tuple[int, int]]:
        """(ISO year, ISO week) with at least one activity, local time. One query."""
        tz = timezone.get_current_timezone()
        rows = (
            self.annotate(
                iso_year=ExtractIsoYear("starts_at", tzinfo=tz),
                week=ExtractWeek("starts_at", tzinfo=tz),
            )
            .values_list("iso_year", "week")
            .distinct()
            .order_by("iso_year", "week")
        )
        return list(rows)

    def per_quarter(self) -> list[dict]:
        """Counts per kind, place type and quarter (local time). One query."""
        tz = timezone.get_current_timezone()
        rows = list(
            self.annotate(
                year=ExtractYear("starts_at", tzinfo=tz),
                quarter=ExtractQuarter("starts_at", tzinfo=tz),
            )
            .values("kind", "place_type", "year", "quarter")
            .annotate(count=models.Count("id"))
            .order_by("year", "quarter", "kind", "place_type")
        )
        for row in rows:
            row["kind_label"] = ActivityKind(row["kind"]).label
            row["place_label"] = (
                Activity.PlaceType(row["place_type"]).label if row["place_type"] else ""
            )
        return rows

    def announced(self) -> "ActivityQuerySet":
        """Upcoming safety dialogues, announced to residents before they happen."""
        return self.filter(
            kind=ActivityKind.DIALOGUE,
            status=Activity.Status.PLANNED,
            starts_at__gt=timezone.now(),
            promise__status=Promise.Status.PUBLISHED,
            publication_level=PublicationLevel.DETAIL,
        )


class Activity(models.Model):
    """Something the police and/or municipality did (or plan to do) for a promise."""

    Kind = ActivityKind
    PublicationLevel = PublicationLevel

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Inställd")

    class PlaceType(models.TextChoices):
        PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik")
        HUB = "hub", _("Kommunikationspunkt")
        CENTRE = "centre", _("Centrumanläggning")
        YOUTH_ENVIRONMENT = "youth_environment", _("Ungdomsmiljö")
        SCHOOL = "school", _("Skola")
        OTHER = "other", _("Annan plats")

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("typ"), max_length=30, choices=ActivityKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DONE
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("slut"), null=True, blank=True)
    districts = models.ManyToManyField(
        District, verbose_name=_("kommundelar"), related_name="activities", blank=True
    )
    place_type = models.CharField(
        _("typ av plats"), max_length=30, choices=PlaceType.choices, blank=True
    )
    venue = models.CharField(
        _("lokal eller adress"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "Var en trygghetsdialog hålls, t.ex. ”Stadsbiblioteket, Storgatan 1”. "
            "Visas publikt, också i kalendern. Aldrig för polisens insatser."
        ),
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("deltagande organisationer"),
        related_name="activities",
        blank=True,
    )
    title = models.CharField(
        _("publik rubrik"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    summary = models.TextField(
        _("publik sammanfattning"),
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    internal_notes = models.TextField(
        _("interna anteckningar"),
        blank=True,
        help_text=_("Visas aldrig publikt. Skriv inga uppgifter om enskilda personer."),
    )
    participants = models.PositiveIntegerField(
        _("medverkande från organisationerna"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COUNT)],
    )
    residents_met = models.PositiveIntegerField(
        _("invånare som deltog eller mötts"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COUNT)],
        help_text=_("För en trygghetsdialog: antalet besökare."),
    )
    publication_level = models.CharField(
        _("publicering"),
        max_length=20,
        choices=PublicationLevel.choices,
        blank=True,
        help_text=_(
            "Lämna tomt för typens standard. Polisens insatser visas aldrig i detalj."
        ),
        default="",
    )
    # Kind-specific parts. The operational lägesbild lives in its own model
    # (OperationalPicture) so that only those with permission ever load it.
    not_friday_reason = models.CharField(
        _("skäl till annan dag än fredag"), max_length=300, blank=True
    )
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("prioritering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Den prioriterade kommundel som aktiviteten svarar mot."),
    )
    district_reason = models.TextField(
        _("varför kommundelen valdes"),
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "För trygghetsinventeringar, t.ex. trygghetsmätningen. Visas publikt: "
            "inga detaljer ur den operativa lägesbilden."
        ),
    )
    residents_raised = models.TextField(
        _("vad invånarna tog upp"),
        blank=True,
        validators=[reject_personal_data],
        help_text=_("För trygghetsdialoger. Visas publikt."),
    )
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    objects = ActivityQuerySet.as_manager()
    municipality_path = "promise__municipality"
    history = HistoricalRecords(m2m_fields=[districts, organisations])

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-starts_at", "-id"]
        permissions = [
            (
                "log_any_activity_kind",
                _("Kan registrera alla typer av aktiviteter"),
            )
        ]
        indexes = [
            models.Index(
                fields=["promise", "kind", "status", "starts_at"],
                name="activity_progress_idx",
            ),
            # What the public pages count and list (public_activity(): status,
            # publication level, begun), with every column those queries read
            # (the kind and place type per quarter, the id to join the districts),
            # so that they read this index alone instead of the promise's rows in
            # the table (docs/performance.md).
            models.Index(
                fields=[
                    "promise",
                    "status",
                    "kind",
                    "publication_level",
                    "starts_at",
                    "place_type",
                    "id",
                ],
                name="activity_public_idx",
            ),
            # The admin's list in the default ordering: its first page reads 100
            # entries of this index instead of sorting every activity.
            models.Index(
                fields=["-starts_at", "-id"], name="activity_admin_ordering_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participants__isnull=True) | Q(participants__lte=MAX_COUNT)
                )
                & (Q(residents_met__isnull=True) | Q(residents_met__lte=MAX_COUNT)),
                name="activity_counts_plausible",
                violation_error_message=_("Antalet är orimligt stort: högst %(max)s.")
                % {"max": MAX_COUNT},
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("Sluttiden måste vara efter starttiden."),
            ),
            models.CheckConstraint(
                condition=Q(publication_level__in=PublicationLevel.values),
                name="activity_publication_level_valid",
            ),
            # Local weekday (TIME_ZONE): 23:30 on a Friday in Stockholm is a Friday.
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.DEPLOYMENT)
                | Q(starts_at__iso_week_day=5)
                | ~Q(not_friday_reason=""),
                name="activity_deployment_on_friday_or_reason",
                violation_error_message=_(
                    "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=KINDS_PUBLIC_IN_DETAIL)
                | ~Q(publication_level=PublicationLevel.DETAIL),
                name="activity_police_work_not_in_detail",
                violation_error_message=_(
                    "Den här typen av aktivitet får inte visas i detalj publikt."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localdate(self.starts_at):%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self._default_publication_level()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public page. Queries promise and municipality unless selected."""
        promise = self.promise
        return reverse(
            "public:activity", args=[promise.municipality.slug, promise.year, self.pk]
        )

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        """Remember the promise and time it was read with: moved, it changes the
        counts of the day it left too (promises/rollups.py)."""
        activity = super().from_db(db, field_names, values, *args, **kwargs)
        activity._stored_place = (
            activity.__dict__.get("promise_id"),
            activity.__dict__.get("starts_at"),
        )
        return activity

    @property
    def local_date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    def _default_publication_level(self) -> None:
        if not self.publication_level and self.kind in DEFAULT_PUBLICATION_LEVEL:
            self.publication_level = DEFAULT_PUBLICATION_LEVEL[self.kind]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind and self.publication_level:
            allowed = list(PublicationLevel.values)
            default = DEFAULT_PUBLICATION_LEVEL[self.kind]
            if allowed.index(self.publication_level) < allowed.index(default):
                errors["publication_level"] = _(
                    "%(kind)s får som mest visas som ”%(level)s”."
                ) % {
                    "kind": ActivityKind(self.kind).label,
                    "level": PublicationLevel(default).label,
                }
        self._default_publication_level()
        if self.starts_at:
            day = self.local_date
            if self.promise_id and not self.promise.contains(day):
                errors["starts_at"] = _(
                    "Datumet ligger utanför löftets period (%(start)s–%(end)s)."
                ) % {"start": self.promise.starts_on, "end": self.promise.ends_on}
            if (
                self.kind == ActivityKind.DEPLOYMENT
                and day.isoweekday() != Target.Weekday.FRIDAY
                and not self.not_friday_reason.strip()
            ):
                errors["not_friday_reason"] = _(
                    "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."
                )
            if self.ends_at and self.ends_at < self.starts_at:
                errors["ends_at"] = _("Sluttiden måste vara efter starttiden.")
            if self.status == self.Status.DONE and self.starts_at > timezone.now():
                errors["status"] = _(
                    "En aktivitet i framtiden kan inte vara genomförd. Välj ”Planerad”."
                )
        if errors:
            raise ValidationError(errors)


class OperationalPicture(models.Model):
    """The operational lägesbild shared at a deployment. Confidential, never public."""

    activity = models.OneToOneField(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="operational_picture",
    )
    text = models.TextField(
        _("operativ lägesbild"),
        help_text=_("Sekretess. Visas aldrig publikt och bara för behöriga."),
    )

    municipality_path = "activity__promise__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("operativ lägesbild")
        verbose_name_plural = _("operativa lägesbilder")
        ordering = ["-activity__starts_at"]

    def __str__(self) -> str:
        return str(_("Lägesbild %(date)s")) % {"date": self.activity.local_date}


class FridayDeploymentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ActivityKind.DEPLOYMENT)


class FridayDeployment(Activity):
    """The police liaison's quick form for the weekly Friday deployment."""

    objects = FridayDeploymentManager.from_queryset(ActivityQuerySet)()

    class Meta:
        proxy = True
        verbose_name = _("fredagsutsättning")
        verbose_name_plural = _("fredagsutsättningar")

    def save(self, *args, **kwargs):
        self.kind = ActivityKind.DEPLOYMENT
        super().save(*args, **kwargs)


def _as_activity(signal):
    def forward(sender, signal, **kwargs):
        signal.send(sender=Activity, **kwargs)

    return forward


# django-simple-history records saves of the concrete model only: send the quick
# form's saves on as the Activity's, so that they land in the history too.
for _signal in (
    models.signals.post_save,
    models.signals.pre_delete,
    models.signals.post_delete,
):
    _signal.connect(_as_activity(_signal), sender=FridayDeployment, weak=False)
FridayDeployment._meta.simple_history_manager_attribute = "history"


class FindingQuerySet(models.QuerySet):
    def public(self) -> "FindingQuerySet":
        """Findings of inventories the public may see in detail."""
        return self.filter(public_activity("inventory__", in_detail=True))


class Finding(models.Model):
    """A problem found on a safety inventory, tracked until it is fixed."""

    class Category(models.TextChoices):
        LIGHTING = "lighting", _("Belysning")
        VEGETATION = "vegetation", _("Växtlighet och sikt")
        GRAFFITI = "graffiti", _("Klotter och skadegörelse")
        TRAFFIC = "traffic", _("Trafik och övergångsställen")
        LITTER = "litter", _("Nedskräpning")
        OTHER = "other", _("Övrigt")

    class Status(models.TextChoices):
        """The outcome: still open, or what was decided. Each decided outcome has
        its own required field (`OUTCOME_FIELDS`)."""

        OPEN = "open", _("Ej åtgärdat")
        PLANNED = "planned", _("Planerat")
        REFERRED = "referred", _("Överlämnat")
        NOT_FIXED = "not_fixed", _("Åtgärdas inte")
        FIXED = "fixed", _("Åtgärdat")

    inventory = models.ForeignKey(
        Activity,
        verbose_name=_("trygghetsinventering"),
        on_delete=models.CASCADE,
        related_name="findings",
        limit_choices_to={"kind": ActivityKind.INVENTORY},
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    place = models.CharField(
        _("plats"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=_("T.ex. ”gångtunneln vid stationen”. Visas publikt."),
    )
    description = models.TextField(
        _("beskrivning"),
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("ansvarig organisation"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("utfall"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    fixed_on = models.DateField(_("åtgärdat datum"), null=True, blank=True)
    planned_on = models.DateField(
        _("planerat datum"),
        null=True,
        blank=True,
        help_text=_("När åtgärden är planerad. Bara för ”Planerat”."),
    )
    referred_to = models.CharField(
        _("överlämnat till"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "Vem som äger frågan, t.ex. fastighetsägaren eller Trafikverket. "
            "Bara för ”Överlämnat”. Visas publikt: en organisation, aldrig en "
            "privatperson."
        ),
    )
    not_fixed_reason = models.TextField(
        _("varför det inte åtgärdas"),
        blank=True,
        validators=[reject_personal_data],
        help_text=_("Bara för ”Åtgärdas inte”. Visas publikt. Inga personuppgifter."),
    )
    reopened_on = models.DateField(
        _("återöppnad"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Senaste dagen problemet kom tillbaka och iakttagelsen öppnades."),
    )
    times_reopened = models.PositiveSmallIntegerField(
        _("antal gånger återöppnad"), default=0, editable=False
    )

    objects = FindingQuerySet.as_manager()
    municipality_path = "inventory__promise__municipality"
    history = HistoricalRecords()

    # The field each decided outcome requires, and only it: {status: (the field,
    # its empty value, the form's message when it is missing)}.
    OUTCOME_FIELDS = {
        Status.FIXED: ("fixed_on", None, _("Ange när iakttagelsen åtgärdades.")),
        Status.PLANNED: (
            "planned_on",
            None,
            _("Ange när åtgärden är planerad."),
        ),
        Status.REFERRED: (
            "referred_to",
            "",
            _("Ange vem iakttagelsen har lämnats över till."),
        ),
        Status.NOT_FIXED: (
            "not_fixed_reason",
            "",
            _("Ange varför bristen inte åtgärdas. Skälet visas publikt."),
        ),
    }

    class Meta:
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        ordering = ["inventory", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="fixed", fixed_on__isnull=False)
                | (~Q(status="fixed") & Q(fixed_on__isnull=True)),
                name="finding_fixed_has_date",
                violation_error_message=_(
                    "Ange datum när iakttagelsen åtgärdades, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="planned", planned_on__isnull=False)
                | (~Q(status="planned") & Q(planned_on__isnull=True)),
                name="finding_planned_has_date",
                violation_error_message=_(
                    "Ange planerat datum när åtgärden är planerad, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="referred") & ~Q(referred_to=""))
                | (~Q(status="referred") & Q(referred_to="")),
                name="finding_referred_has_owner",
                violation_error_message=_(
                    "Ange vem iakttagelsen har lämnats över till, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="not_fixed") & ~Q(not_fixed_reason=""))
                | (~Q(status="not_fixed") & Q(not_fixed_reason="")),
                name="finding_not_fixed_has_reason",
                violation_error_message=_(
                    "Ange varför bristen inte åtgärdas, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["open", "planned", "referred", "not_fixed", "fixed"]
                ),
                name="finding_status_valid",
                violation_error_message=_("Välj ett av utfallen i listan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.place}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        for status, (field, empty, missing) in self.OUTCOME_FIELDS.items():
            value = getattr(self, field)
            if isinstance(value, str):
                value = value.strip()
                setattr(self, field, value)
            if self.status == status and value == empty:
                errors[field] = missing
            elif self.status != status and value != empty:
                errors[field] = _(
                    "Fyll bara i det här när utfallet är ”%(outcome)s”."
                ) % {"outcome": status.label}
        if self.fixed_on and self.fixed_on > timezone.localdate():
            errors["fixed_on"] = _("Datumet kan inte ligga i framtiden.")
        # On the admin's add page the inventory is new and has no id yet.
        inventory = Finding.inventory.field.get_cached_value(self, None) or (
            self.inventory if self.inventory_id else None
        )
        if inventory is not None:
            if inventory.kind != ActivityKind.INVENTORY:
                errors["inventory"] = _(
                    "Iakttagelser hör bara till trygghetsinventeringar."
                )
            if (
                self.fixed_on
                and inventory.starts_at
                and self.fixed_on < inventory.local_date
            ):
                errors["fixed_on"] = _(
                    "Iakttagelsen kan inte åtgärdas före inventeringen."
                )
            if (
                self.planned_on
                and inventory.starts_at
                and self.planned_on < inventory.local_date
            ):
                errors["planned_on"] = _(
                    "Åtgärden kan inte planeras till före inventeringen."
                )
            if (
                self.district_id
                and inventory.promise_id
                and self.district.municipality_id != inventory.promise.municipality_id
            ):
                errors["district"] = _("Kommundelen hör till en annan kommun.")
            if (
                self.responsible_id
                and inventory.promise_id
                and not self.responsible.takes_part_for(inventory.promise.municipality)
            ):
                errors["responsible"] = _(
                    "Organisationen samverkar inte med den här kommunen."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        """Nothing decided yet: the resident still waits for an answer."""
        return self.status == self.Status.OPEN

    def days_to_fix(self) -> int | None:
        """Days from the inventory to the fix; None unless fixed. Queries the
        inventory unless selected."""
        if self.status != self.Status.FIXED or not self.fixed_on:
            return None
        return (self.fixed_on - self.inventory.local_date).days

    def reopen(self, *, on: datetime.date | None = None) -> None:
        """The problem came back: open again, the earlier outcome cleared (its
        history keeps it), the day and the count recorded. Saves."""
        for field, empty, _missing in self.OUTCOME_FIELDS.values():
            setattr(self, field, empty)
        self.status = self.Status.OPEN
        self.reopened_on = on or timezone.localdate()
        self.times_reopened += 1
        self.save()


class DialogueTopicQuerySet(models.QuerySet):
    def public(self) -> "DialogueTopicQuerySet":
        """Topics of safety dialogues the public may see in detail."""
        return self.filter(public_activity("dialogue__", in_detail=True))


class DialogueTopic(models.Model):
    """Something residents raised at a safety dialogue ("ni sa"), and where; linked
    to the commitment or the inventory finding that answers it ("vi gjorde")."""

    dialogue = models.ForeignKey(
        Activity,
        verbose_name=_("trygghetsdialog"),
        on_delete=models.CASCADE,
        related_name="topics",
        limit_choices_to={"kind": ActivityKind.DIALOGUE},
    )
    text = models.CharField(
        _("vad invånarna tog upp"),
        max_length=300,
        validators=[reject_personal_data],
        help_text=_(
            "T.ex. ”Mörkt i gångtunneln”. Visas publikt. Inga personuppgifter."
        ),
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("kommundelar"),
        related_name="dialogue_topics",
        blank=True,
    )
    place = models.CharField(
        _("plats"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_("Valfritt, t.ex. ”gångtunneln vid stationen”. Visas publikt."),
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.SET_NULL,
        related_name="dialogue_topics",
        null=True,
        blank=True,
        help_text=_("Åtagandet som svarar mot det invånarna tog upp."),
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("iakttagelse"),
        on_delete=models.SET_NULL,
        related_name="dialogue_topics",
        null=True,
        blank=True,
        help_text=_("Bristen från en trygghetsinventering som svarar mot det."),
    )

    objects = DialogueTopicQuerySet.as_manager()
    municipality_path = "dialogue__promise__municipality"
    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("ämne från trygghetsdialog")
        verbose_name_plural = _("ämnen från trygghetsdialogen")
        ordering = ["dialogue", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        errors = {}
        # On the admin's add page the dialogue is new and has no id yet.
        dialogue = DialogueTopic.dialogue.field.get_cached_value(self, None) or (
            self.dialogue if self.dialogue_id else None
        )
        if dialogue is not None:
            if dialogue.kind != ActivityKind.DIALOGUE:
                errors["dialogue"] = _("Ämnen hör bara till trygghetsdialoger.")
            municipality_id = (
                dialogue.promise.municipality_id if dialogue.promise_id else None
            )
            if (
                self.commitment_id
                and municipality_id
                and self.commitment.promise.municipality_id != municipality_id
            ):
                errors["commitment"] = _("Åtagandet hör till en annan kommun.")
            if (
                self.finding_id
                and municipality_id
                and self.finding.inventory.promise.municipality_id != municipality_id
            ):
                errors["finding"] = _("Iakttagelsen hör till en annan kommun.")
        if errors:
            raise ValidationError(errors)


class StagedUpload(models.Model):
    """A file uploaded for an import, kept between the preview and the import.

    In the database, not in a process or on one server's disk: the request that
    confirms the import may reach another app server. Deleted once imported;
    anything older than MAX_AGE goes at the next upload.
    """

    MAX_AGE = datetime.timedelta(days=1)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE
    )
    purpose = models.CharField(_("import"), max_length=50)
    name = models.CharField(_("filnamn"), max_length=255)
    content = models.BinaryField(_("innehåll"))
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("uppladdad fil")
        verbose_name_plural = _("uppladdade filer")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def stage(cls, user, purpose: str, name: str, content: bytes) -> "StagedUpload":
        cls.objects.filter(uploaded_at__lt=timezone.now() - cls.MAX_AGE).delete()
        return cls.objects.create(
            user=user, purpose=purpose, name=name[:255], content=content
        )

    @classmethod
    def find(cls, user, purpose: str, pk) -> "StagedUpload | None":
        """The user's own upload for this import, if it is still there."""
        try:
            return cls.objects.get(pk=pk, user=user, purpose=purpose)
        except (cls.DoesNotExist, ValidationError, ValueError):
            return None


class ActivityDay(models.Model):
    """Done activities of a promise on one local day, of one kind, joint or not: how
    many and in which districts. What progress counts, kept as the activities are
    written (promises/rollups.py), so that a page reads a few thousand rows instead
    of grouping every activity of the year. Never typed; no history."""

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="activity_days"
    )
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    day = models.DateField()
    joint = models.BooleanField()
    count = models.PositiveIntegerField()
    districts = models.JSONField(default=list)

    class Meta:
        verbose_name = _("aktivitetsdag")
        verbose_name_plural = _("aktivitetsdagar")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "kind", "day", "joint"],
                name="activity_day_unique",
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0), name="activity_day_counts_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day:%Y-%m-%d}: {self.count}"
