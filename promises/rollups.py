"""The activities' days (ActivityDay), kept as the activities are written.

Progress counts done activities by the commitment they are linked to, kind and
local day, joint (police and municipality) or not, the organisations that took part
and the districts they were in (promises/progress.py), as `Occurrence`s: activities
with the same organisations and the same districts are one group, so that a target
may count one party's activities or one district's (issue 20). Grouping every
activity of a promise for each page is what made the
public pages slow (docs/performance.md); ActivityDay keeps those groups instead
(`stored_occurrences()` reads them), and every write that changes one refreshes
the days it touches, in the same transaction:

- an activity saved (the day and promise it had and has) or deleted;
- its districts, organisations or commitments changed, from either side (a
  commitment deleted takes its days with it: ActivityDay.commitment cascades);
- an organisation's kind changed, a district or an organisation deleted (their
  activities' days).

A day is refreshed by grouping its activities again (`load_occurrences()`), so a
refreshed day is what a full recomputation gives. Saving one activity is several
writes (the row, then each of its links): inside `deferred()` the days they touch
are refreshed once, at its end; the admin's activity forms save so. Writes that
bypass the signals (bulk_create, QuerySet.update, generate_benchmark_data's rows)
call `rebuild()`. A raw load (`loaddata`) refreshes nothing: the days come with the
dump. `promises/tests/test_rollups.py` checks that the stored days never drift.
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import NamedTuple

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, TruncDate
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.utils import timezone

from .loading import loaded_raw
from .models import (
    Activity,
    ActivityDay,
    Commitment,
    District,
    Organisation,
    Promise,
    Target,
)

Key = tuple[int, datetime.date]


class Occurrence(NamedTuple):
    """Done activities of one kind on one local day, linked to one commitment (or
    a published report or evaluation: no commitment), as progress sees them.

    A named tuple: a page makes one for each of the year's stored days (~2 000),
    and a frozen dataclass took five times as long to make (docs/performance.md)."""

    kind: str
    day: datetime.date
    count: int = 1
    districts: frozenset[int] = frozenset()
    joint: bool = False
    commitment: int | None = None
    organisations: frozenset[int] = frozenset()


def _linked_ids(through, field: str) -> Subquery:
    """The ids an activity is linked to through `through`, as "3,1,2" (in no
    order) or None: a subquery of the activities' query."""
    return Subquery(
        through.objects.filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(ids=StringAgg(Cast(f"{field}_id", TextField()), Value(",")))
        .values("ids")
    )


def _id_set(text: str | None) -> frozenset[int]:
    return frozenset(map(int, text.split(","))) if text else frozenset()


def load_occurrences(
    promises: Iterable[Promise | int], days: Iterable[datetime.date] | None = None
) -> dict[int, list[Occurrence]]:
    """Done activities of the promises (or of those of their local days), grouped by
    commitment, kind, local day and whether joint, with their districts, from the
    activities themselves (an activity once for each commitment it is linked to,
    never without one); of a commitment `_detailed()`, by their organisations and
    districts too. Two queries.

    This is the recomputation: pages read the same groups kept in ActivityDay
    (`stored_occurrences()`)."""
    promises = list(promises)
    detailed = _detailed(promises)
    organisations = Activity.organisations.through.objects.filter(
        activity_id=OuterRef("pk")
    )
    grouped = (
        Activity.objects.filter(promise__in=promises, status=Activity.Status.DONE)
        .annotate(
            day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()),
            police=Exists(
                organisations.filter(organisation__kind=Organisation.Kind.POLICE)
            ),
            municipality=Exists(
                organisations.filter(organisation__kind=Organisation.Kind.MUNICIPALITY)
            ),
            district_ids=_linked_ids(Activity.districts.through, "district"),
            organisation_ids=_linked_ids(
                Activity.organisations.through, "organisation"
            ),
            commitment=F("commitments"),
        )
        .filter(commitment__isnull=False)
        .order_by()
    )
    if days is not None:
        grouped = grouped.filter(day__in=list(days))
    group_by = [
        "promise_id",
        "commitment",
        "kind",
        "day",
        "police",
        "municipality",
        "district_ids",
        "organisation_ids",
    ]
    # The ids come in no order: the groups are made again of the sets. A
    # commitment that is not detailed has a day's group with all its districts,
    # and no organisations, as before: a third of the rows (docs/performance.md).
    counts = defaultdict(int)
    all_districts = defaultdict(set)
    for row in grouped.values(*group_by).annotate(n=Count("id")):
        fine = row["commitment"] in detailed
        districts = _id_set(row["district_ids"])
        key = (
            row["promise_id"],
            row["commitment"],
            row["kind"],
            row["day"],
            row["police"] and row["municipality"],
            districts if fine else None,
            _id_set(row["organisation_ids"]) if fine else frozenset(),
        )
        counts[key] += row["n"]
        all_districts[key].update(districts)
    occurrences = defaultdict(list)
    for key, count in counts.items():
        promise_id, commitment_id, kind, day, joint, districts, organisation_ids = key
        occurrences[promise_id].append(
            Occurrence(
                kind=kind,
                day=day,
                count=count,
                districts=frozenset(all_districts[key]),
                joint=joint,
                commitment=commitment_id,
                organisations=organisation_ids,
            )
        )
    return occurrences


def _detailed(promises: list) -> set[int]:
    """The commitments of the promises with a target that counts one party's
    activities or some districts' only (`Target.party`, `Target.districts`): their
    days are kept by organisations and districts; the others' need not be. One
    query."""
    return set(
        Target.objects.filter(commitment__promise__in=promises)
        .filter(Q(party__isnull=False) | Q(districts__isnull=False))
        .values_list("commitment_id", flat=True)
    )


def stored_occurrences(
    promise: Promise, kinds: Iterable[str] | None = None
) -> list[Occurrence]:
    """The promise's done activities as kept in ActivityDay (of `kinds` only, when
    given: those its targets count). One query.

    The districts are read as text and parsed once per distinct list (most days
    share a few): JSONField's own conversion of each row was most of the read
    (docs/performance.md)."""
    parsed: dict[str, frozenset[int]] = {}
    occurrences = []
    days = ActivityDay.objects.filter(promise=promise)
    if kinds is not None:
        days = days.filter(kind__in=list(kinds))
    for (
        kind,
        day,
        count,
        districts,
        joint,
        commitment,
        organisations,
    ) in days.values_list(
        "kind",
        "day",
        "count",
        Cast("districts", TextField()),
        "joint",
        "commitment",
        Cast("organisations", TextField()),
    ):
        ids = parsed.get(districts)
        if ids is None:
            ids = parsed[districts] = _ids(districts)
        parties = parsed.get(organisations)
        if parties is None:
            parties = parsed[organisations] = _ids(organisations)
        occurrences.append(
            Occurrence(kind, day, count, ids, joint, commitment, parties)
        )
    return occurrences


def _ids(text: str) -> frozenset[int]:
    """A JSON list of ids ("[1, 2, 3]"), read faster than json.loads does."""
    inner = text.strip()[1:-1]
    return frozenset(map(int, inner.split(","))) if inner.strip() else frozenset()


# Keeping the days ------------------------------------------------------------------

# The (promise, day)s touched inside deferred(), refreshed at its end; None outside.
_deferred_keys: ContextVar[set[Key] | None] = ContextVar("deferred_keys", default=None)


def day_of(promise_id, starts_at) -> Key | None:
    if promise_id is None or starts_at is None:
        return None
    return promise_id, timezone.localdate(starts_at)


def refresh(keys: Iterable[Key | None]) -> None:
    """Group again the activities of these (promise, local day)s: now, or at the
    end of the `deferred()` block this runs in."""
    pending = _deferred_keys.get()
    if pending is not None:
        pending.update(key for key in keys if key is not None)
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
                commitment_id=o.commitment,
                kind=o.kind,
                day=o.day,
                joint=o.joint,
                count=o.count,
                districts=sorted(o.districts),
                organisations=sorted(o.organisations),
            )
            for o in occurrences
        )


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Refresh the days that the writes inside touch once, at the end, rather than
    at each write: saving an activity with its districts and organisations is
    three writes, one day.

    The block is one transaction (a savepoint inside another): if it fails,
    nothing of it stays, and nothing is refreshed; else the days are refreshed
    before it commits. Inside another deferred() block, the outer one refreshes.
    """
    if _deferred_keys.get() is not None:
        yield
        return
    keys: set[Key] = set()
    with transaction.atomic():
        token = _deferred_keys.set(keys)
        try:
            yield
        finally:
            _deferred_keys.reset(token)
        refresh(keys)


def rebuild(promises: Iterable) -> None:
    """Every day of the promises, from their activities (after bulk writes)."""
    promises = list(promises)
    ActivityDay.objects.filter(promise__in=promises).delete()
    ActivityDay.objects.bulk_create(
        (
            ActivityDay(
                promise_id=promise_id,
                commitment_id=o.commitment,
                kind=o.kind,
                day=o.day,
                joint=o.joint,
                count=o.count,
                districts=sorted(o.districts),
                organisations=sorted(o.organisations),
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
    if not reverse:  # activity.districts / .organisations / .commitments
        # Loaded as stored (loaddata): its days are in the same dump.
        if action != "pre_clear" and not loaded_raw(instance):
            refresh({day_of(instance.promise_id, instance.starts_at)})
        return
    # district.activities / organisation.activities / commitment.activities
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


def _target_changed(sender, instance, raw=False, action=None, **kwargs):
    """A target saved, or its districts changed: its commitment's days may need
    keeping in more detail (`_detailed()`), so its promise's days are grouped
    again (a target changes seldom). A target deleted changes nothing: days kept
    in more detail than needed count the same."""
    if raw or action not in (None, "post_add", "post_remove", "post_clear"):
        return
    if not isinstance(instance, Target) or loaded_raw(instance):
        return
    promise_id = (
        Commitment.objects.filter(pk=instance.commitment_id)
        .values_list("promise_id", flat=True)
        .first()
    )
    if promise_id is not None:
        rebuild([promise_id])


def connect_signals() -> None:
    post_save.connect(_activity_saved, dispatch_uid="rollups-activity-saved")
    post_delete.connect(_activity_deleted, dispatch_uid="rollups-activity-deleted")
    for through in (
        Activity.districts.through,
        Activity.organisations.through,
        Activity.commitments.through,
    ):
        m2m_changed.connect(
            _relinked, sender=through, dispatch_uid=f"rollups-{through.__name__}"
        )
    post_save.connect(_target_changed, sender=Target, dispatch_uid="rollups-target")
    m2m_changed.connect(
        _target_changed,
        sender=Target.districts.through,
        dispatch_uid="rollups-target-districts",
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
