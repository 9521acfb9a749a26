"""The activities' days (ActivityDay), kept as the activities are written.

Progress counts done activities by kind and local day, joint (police and
municipality) or not, and the districts they were in (promises/progress.py). Grouping
every activity of a promise for each page is what made the public pages slow
(docs/performance.md); ActivityDay keeps those groups instead, and every write that
changes one refreshes the days it touches, in the same transaction:

- an activity saved (the day and promise it had and has) or deleted;
- its districts or organisations changed, from either side;
- an organisation's kind changed, a district or an organisation deleted (their
  activities' days).

A day is refreshed by grouping its activities again (`load_occurrences`), so a
refreshed day is what a full recomputation gives. Writes that bypass the signals
(bulk_create, QuerySet.update, generate_benchmark_data's rows) call `rebuild()`.
A loader that writes many activities (load_haninge) runs inside `deferred()`: the
days it touches are refreshed once, at the end of the block.
`promises/tests/test_rollups.py` checks that the stored days never drift.
"""

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone

from .models import Activity, ActivityDay, District, Organisation

Key = tuple[int, datetime.date]


def day_of(promise_id, starts_at) -> Key | None:
    if promise_id is None or starts_at is None:
        return None
    return promise_id, timezone.localdate(starts_at)


_deferring = threading.local()


@contextmanager
def deferred():
    """Refresh no day while the block runs; refresh every day it touched once, at
    its end (in the same transaction when the block is inside one). For loaders
    that write many activities: each write would group its day again."""
    if getattr(_deferring, "keys", None) is not None:  # nested: the outer one does
        yield
        return
    _deferring.keys = set()
    try:
        yield
        keys = _deferring.keys
    finally:
        _deferring.keys = None
    refresh(keys)


def refresh(keys: Iterable[Key | None]) -> None:
    """Group again the activities of these (promise, local day)s."""
    from .progress import load_occurrences

    pending = getattr(_deferring, "keys", None)
    if pending is not None:
        pending.update(keys)
        return
    by_promise = defaultdict(set)
    for key in keys:
        if key is not None:
            by_promise[key[0]].add(key[1])
    for promise_id, days in by_promise.items():
        ActivityDay.objects.filter(promise_id=promise_id, day__in=days).delete()
        occurrences = load_occurrences([promise_id], days=days).get(promise_id, [])
        ActivityDay.objects.bulk_create(
            ActivityDay(
                promise_id=promise_id,
                kind=o.kind,
                day=o.day,
                joint=o.joint,
                count=o.count,
                districts=sorted(o.districts),
            )
            for o in occurrences
        )


def rebuild(promises: Iterable) -> None:
    """Every day of the promises, from their activities (after bulk writes)."""
    from .progress import load_occurrences

    promises = list(promises)
    ActivityDay.objects.filter(promise__in=promises).delete()
    ActivityDay.objects.bulk_create(
        (
            ActivityDay(
                promise_id=promise_id,
                kind=o.kind,
                day=o.day,
                joint=o.joint,
                count=o.count,
                districts=sorted(o.districts),
            )
            for promise_id, occurrences in load_occurrences(promises).items()
            for o in occurrences
        ),
        batch_size=2000,
    )


def days_of(activities) -> set[Key]:
    """The (promise, local day)s of an activity queryset. One query."""
    return {
        day_of(promise_id, starts_at)
        for promise_id, starts_at in activities.values_list("promise_id", "starts_at")
    }


def _activity_saved(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Activity):
        return
    before = getattr(instance, "_stored_place", (None, None))
    refresh({day_of(*before), day_of(instance.promise_id, instance.starts_at)})
    instance._stored_place = (instance.promise_id, instance.starts_at)


def _activity_deleted(sender, instance, **kwargs):
    if isinstance(instance, Activity):
        refresh({day_of(instance.promise_id, instance.starts_at)})


def _relinked(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:  # activity.districts / activity.organisations
        if action != "pre_clear":
            refresh({day_of(instance.promise_id, instance.starts_at)})
        return
    # district.activities / organisation.activities
    if action == "pre_clear":
        instance._cleared_days = days_of(instance.activities.all())
    elif action == "post_clear":
        refresh(getattr(instance, "_cleared_days", set()))
    elif pk_set:
        refresh(days_of(Activity.objects.filter(pk__in=pk_set)))


def _organisation_saving(sender, instance, raw=False, **kwargs):
    instance._kind_changed = (
        not raw
        and instance.pk is not None
        and Organisation.objects.filter(pk=instance.pk)
        .exclude(kind=instance.kind)
        .exists()
    )


def _organisation_saved(sender, instance, **kwargs):
    if getattr(instance, "_kind_changed", False):
        refresh(days_of(instance.activities.all()))


def _linked_deleting(sender, instance, **kwargs):
    """A district or an organisation: its links go with it, uncounted."""
    instance._linked_days = days_of(instance.activities.all())


def _linked_deleted(sender, instance, **kwargs):
    refresh(getattr(instance, "_linked_days", set()))


def connect_signals() -> None:
    post_save.connect(_activity_saved, dispatch_uid="rollups-activity-saved")
    post_delete.connect(_activity_deleted, dispatch_uid="rollups-activity-deleted")
    for through in (Activity.districts.through, Activity.organisations.through):
        m2m_changed.connect(
            _relinked, sender=through, dispatch_uid=f"rollups-{through.__name__}"
        )
    pre_save.connect(
        _organisation_saving, sender=Organisation, dispatch_uid="rollups-org-saving"
    )
    post_save.connect(
        _organisation_saved, sender=Organisation, dispatch_uid="rollups-org-saved"
    )
    for model in (District, Organisation):
        pre_delete.connect(
            _linked_deleting, sender=model, dispatch_uid=f"rollups-{model.__name__}-d"
        )
        post_delete.connect(
            _linked_deleted, sender=model, dispatch_uid=f"rollups-{model.__name__}-x"
        )
