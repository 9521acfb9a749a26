"""The kinds of activity, and how much of each the public sees."""

from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _


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
    for index in range(len(ActivityKind)):
        if isinstance(kind, str):
            condition |= Q(**{f"{prefix}other_kinds__{index}": kind})
        else:  # an expression (OuterRef("kind")): compared with the entry as text
            condition |= Q(Exact(KT(f"{prefix}other_kinds__{index}"), kind))
    return condition
