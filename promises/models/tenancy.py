"""Scoping by municipality: what a user may see and change, and the names a
municipality keeps once.

Each scoped model names its path to the municipality it belongs to
(`municipality_path`); `for_user()` narrows any queryset with it, and
`belongs_to_user()` says whether the user may change one object.
"""

import functools
import operator

from django.db import models
from django.db.models import Q


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
