"""Quick forms per kind of activity: "Ny trygghetsinventering", "Nytt besök i
ungdomsmiljö"… (`/admin/promises/activity/add/?kind=<kind>`), as the Friday
deployment's form (deployment.py) has. The kind is given, so the form asks only
what that kind needs, with its defaults filled in: the promise of today, the
user's organisation (both the police and the municipality where the promise's
target of the kind counts joint work), the kind's name as a title to start
from, and the start now, done."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    ActivityKind,
    Organisation,
    Promise,
    Target,
    for_user,
)

# The Friday deployment has a quick form of its own (FridayDeploymentAdmin).
QUICK_KINDS = [kind for kind in ActivityKind.values if kind != ActivityKind.DEPLOYMENT]
# The type of place is asked for visible presence only (kollektivtrafik,
# kommunikationspunkt, centrum); the prioritised district for the kinds that
# answer a priority (EST).
PLACE_TYPE_KINDS = {ActivityKind.PRESENCE}
PRIORITY_KINDS = {ActivityKind.INVENTORY, ActivityKind.PRESENCE, ActivityKind.TRAFFIC}
# What only some kinds have, in a fieldset of their own.
KIND_FIELDS = {
    ActivityKind.INVENTORY: (_("Trygghetsinventering"), ["district_reason"]),
    ActivityKind.DIALOGUE: (_("Trygghetsdialog"), ["venue", "residents_raised"]),
}


def quick_kind(request, obj) -> str | None:
    """The kind of the quick form on an add page, or None."""
    if obj is not None:
        return None
    kind = request.GET.get("kind")
    return kind if kind in QUICK_KINDS else None


def quick_fieldsets(kind: str) -> list:
    first = ["promise", "kind", "status", "starts_at", "districts"]
    if kind in PLACE_TYPE_KINDS:
        first.append("place_type")
    if kind in PRIORITY_KINDS:
        first.append("priority")
    # The commitments it delivers: chosen when just one counts the kind.
    first += ["organisations", "commitments"]
    fieldsets = [
        (None, {"fields": first}),
        (_("Det som visas publikt"), {"fields": ["title", "summary"]}),
    ]
    if kind in KIND_FIELDS:
        name, fields = KIND_FIELDS[kind]
        fieldsets.append((name, {"fields": fields}))
    fieldsets += [
        (
            _("Mer"),
            {
                "fields": [
                    "ends_at",
                    "publication_level",
                    "participants",
                    "residents_met",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Internt"), {"fields": ["internal_notes"], "classes": ["collapse"]}),
    ]
    return fieldsets


def reads_the_lagesbild(user) -> bool:
    """The police liaison's role (and superusers): the police's work."""
    return user.has_perm("promises.view_operationalpicture")


def quick_initial(request, kind: str) -> dict:
    today = timezone.localdate()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    initial = {
        "kind": kind,
        "title": ActivityKind(kind).label,
        "starts_at": now,
        # A dialogue is announced before it is held; the rest is logged after.
        "status": Activity.Status.PLANNED
        if kind == ActivityKind.DIALOGUE
        else Activity.Status.DONE,
    }
    promises = list(for_user(Promise.objects.covering(today), request.user)[:2])
    if len(promises) != 1:
        return initial
    [promise] = promises
    initial["promise"] = promise.pk
    organisations = Organisation.objects.filter(
        Q(
            kind=Organisation.Kind.POLICE,
            police_area__municipalities=promise.municipality,
        )
        | Q(kind=Organisation.Kind.MUNICIPALITY, municipality=promise.municipality)
    )
    joint = Target.objects.filter(
        commitment__promise=promise, kind=kind, joint=True
    ).exists()
    if not joint:
        own = (
            Organisation.Kind.POLICE
            if reads_the_lagesbild(request.user)
            else Organisation.Kind.MUNICIPALITY
        )
        organisations = organisations.filter(kind=own)
    initial["organisations"] = [org.pk for org in organisations]
    return initial
