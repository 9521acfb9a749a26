"""The kinds of activity, and how much of each the public sees."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenancy import for_user


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


def targets_counting(kind, prefix: str = "") -> Q:
    """A condition on targets (through `prefix`, such as "targets__") that count
    the kind: as their kind, or among the kinds they count together with it
    (Target.other_kinds, a JSON list of at most one entry per kind; read entry by
    entry, which SQLite and PostgreSQL both do). `kind` is a code, or an
    expression such as OuterRef("kind") (only without a prefix)."""
    condition = Q(**{f"{prefix}kind": kind})
    for index in range(MAX_KINDS_TOGETHER):
        if isinstance(kind, str):
            condition |= Q(**{f"{prefix}other_kinds__{index}": kind})
        else:  # an expression (OuterRef("kind")): compared with the entry as text
            condition |= Q(Exact(KT(f"{prefix}other_kinds__{index}"), kind))
    return condition


# How many kinds a target may count together (Target.other_kinds), so that
# targets_counting() reads a bounded number of entries.
MAX_KINDS_TOGETHER = 12


class KindField(models.CharField):
    """The code of a kind: one of ActivityKind (its choices) or a municipality's
    own Kind. Its choices are the built-in kinds; a municipality's own are added
    to a form's choices by the admin (ScopedChoicesMixin) and checked against the
    promise's municipality by the model's clean(), not here."""

    def validate(self, value, model_instance):
        if is_own_kind(value):
            return
        super().validate(value, model_instance)


def is_own_kind(code) -> bool:
    return isinstance(code, str) and code.startswith(Kind.CODE_PREFIX)


class Kind(models.Model):
    """A kind of work a municipality names itself ("Tillsyn", "tillsyner"),
    beside the eight built-in kinds (ActivityKind, whose rules stay in code).
    Activities and targets keep its code ("own-12") in their `kind` column, as
    they keep a built-in kind's, so that every `kind=ActivityKind.X` stays."""

    CODE_PREFIX = "own-"

    municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="kinds",
    )
    code = models.CharField(_("kod"), max_length=30, unique=True, editable=False)
    name = models.CharField(
        _("namn"), max_length=60, help_text=_("T.ex. ”Tillsyn”, ”Informationskampanj”.")
    )
    plural = models.CharField(
        _("i plural"),
        max_length=60,
        help_text=_(
            "Som i en mening: ”Minst 2 tillsyner per år”, t.ex. ”tillsyner”, "
            "”informationskampanjer”."
        ),
    )
    police_work = models.BooleanField(
        _("polisens operativa arbete"),
        default=False,
        help_text=_(
            "Polisens operativa insatser visas publikt bara efteråt och i "
            "sammanställning, aldrig i detalj."
        ),
    )
    default_publication_level = models.CharField(
        _("visas publikt som standard"),
        max_length=20,
        choices=PublicationLevel.choices,
        default=PublicationLevel.DETAIL,
        help_text=_(
            "Hur mycket invånarna ser av en aktivitet av den här typen; en "
            "aktivitet kan visas mindre, aldrig mer."
        ),
    )

    municipality_path = "municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("typ av aktivitet")
        verbose_name_plural = _("typer av aktiviteter")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="kind_unique_name_per_municipality",
                violation_error_message=_("Kommunen har redan en typ med det namnet."),
            ),
            models.CheckConstraint(
                condition=Q(police_work=False)
                | ~Q(default_publication_level=PublicationLevel.DETAIL),
                name="kind_police_work_not_in_detail",
                violation_error_message=_(
                    "Polisens operativa arbete kan som mest visas i sammanställning."
                ),
            ),
            models.CheckConstraint(
                condition=Q(default_publication_level__in=PublicationLevel.values),
                name="kind_publication_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            # Unique before the row has its id; then named by the id.
            self.code = f"{self.CODE_PREFIX}new-{uuid.uuid4().hex[:16]}"
            super().save(*args, **kwargs)
            self.code = f"{self.CODE_PREFIX}{self.pk}"
            type(self).objects.filter(pk=self.pk).update(code=self.code)
            return
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if (
            self.police_work
            and self.default_publication_level == PublicationLevel.DETAIL
        ):
            raise ValidationError(
                {
                    "default_publication_level": _(
                        "Polisens operativa arbete kan som mest visas i "
                        "sammanställning."
                    )
                }
            )
        builtin = {str(label).lower() for label in ActivityKind.labels}
        if self.name and self.name.strip().lower() in builtin:
            raise ValidationError(
                {"name": _("Det finns redan en inbyggd typ med det namnet.")}
            )

    @property
    def singular(self) -> str:
        """The name as in a sentence: "tillsyn"."""
        return self.name[:1].lower() + self.name[1:]


def own_kinds(codes) -> dict[str, "Kind"]:
    """The municipalities' own kinds among the codes, by code: no query when all
    are built in, else one."""
    wanted = {code for code in codes if is_own_kind(code)}
    if not wanted:
        return {}
    return {kind.code: kind for kind in Kind.objects.filter(code__in=wanted)}


def kind_label(code, own: dict | None = None) -> str:
    """A kind's name: the built-in label or the municipality's own name."""
    if code in ActivityKind.values:
        return ActivityKind(code).label
    kind = (own if own is not None else own_kinds([code])).get(code)
    return kind.name if kind else code


def default_publication_level(code) -> str | None:
    """How much the public sees of an activity of the kind, at most."""
    if code in DEFAULT_PUBLICATION_LEVEL:
        return DEFAULT_PUBLICATION_LEVEL[code]
    kind = own_kinds([code]).get(code)
    return kind.default_publication_level if kind else None


def own_kind_choices(user) -> list[tuple[str, str]]:
    """The user's municipalities' own kinds, as choices after the built-in ones.
    (Another municipality's kind is never a choice.)"""
    return list(for_user(Kind.objects.all(), user).values_list("code", "name"))
