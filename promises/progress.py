"""Progress of a promise's targets, computed from what was done, never typed.

The rules, with worked examples, are in docs/progress-rules.md. The database work
is in `promise_progress()` (a fixed number of queries whatever the data volume); the
rest are pure functions of plain data.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .generations import by_id, cached
from .models import Activity, Promise, Target
from .periods import period_label, periods, weekdays_between
from .rollups import Occurrence, stored_occurrences

# Target kinds counted from other apps' data (Target.REPORT, Target.EVALUATION):
# {kind: function(promise) -> the local days on which one was published}. The
# app that owns the data fills this in its AppConfig.ready(), with
# register_publications(); this app imports none of them.
PUBLICATION_SOURCES: dict[str, Callable[[Promise], Iterable[datetime.date]]] = {}


def register_publications(
    kind: str, days: Callable[[Promise], Iterable[datetime.date]]
) -> None:
    """Let progress count `kind` from the days `days(promise)` returns."""
    PUBLICATION_SOURCES[kind] = days


class Status(models.TextChoices):
    """A target's status, in the order staff want to see them (behind first)."""

    BEHIND = "behind", _("Efter")
    NOT_STARTED = "not_started", _("Ej påbörjat")
    ON_TRACK = "on_track", _("I fas")
    DONE = "done", _("Klart")
    NO_TARGET = "no_target", _("Inget mätbart mål")


@dataclass(frozen=True)
class PeriodProgress:
    period: str  # Target.Period
    start: datetime.date
    end: datetime.date
    required: int  # what meets the period
    expected: int  # what was expected by the as-of date
    done: int
    districts: int
    met: bool
    ended: bool

    @property
    def label(self) -> str:
        """ "vecka 23, 2026": made when shown (most pages show no period's name)."""
        return period_label(self.period, self.start)


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    status: Status
    as_of: datetime.date
    periods: tuple[PeriodProgress, ...] = ()
    # done activities of the kind linked to the commitment so far, qualifying or not
    activity_count: int = 0
    latest: datetime.date | None = None
    district_ids: frozenset[int] = field(default_factory=frozenset)
    starts_on: datetime.date | None = None  # the promise's first day

    @property
    def has_begun(self) -> bool:
        return self.starts_on is None or self.as_of >= self.starts_on

    @property
    def done(self) -> int:
        return sum(period.done for period in self.periods)

    @property
    def required(self) -> int:
        return sum(period.required for period in self.periods)

    @property
    def expected(self) -> int:
        return sum(period.expected for period in self.periods)

    @property
    def percent(self) -> int:
        """How far towards the whole promise's target, for a progress bar."""
        if not self.required:
            return 0
        counted = sum(min(period.done, period.required) for period in self.periods)
        return round(100 * counted / self.required)

    @cached_property
    def summary(self) -> str:
        return describe(self)


# The rules -----------------------------------------------------------------------


def period_progress(
    target: Target,
    start: datetime.date,
    end: datetime.date,
    occurrences: Sequence[Occurrence],
    as_of: datetime.date,
) -> PeriodProgress:
    """Progress in one period, from the qualifying occurrences that fall in it."""
    inside = [o for o in occurrences if start <= o.day <= end]
    count = target.count
    if target.weekday:
        # Weeks with at least one activity on the weekday, against those weekdays.
        done = len({o.day.isocalendar()[:2] for o in inside})
        required = min(count, weekdays_between(start, end, target.weekday))
        expected = min(count, weekdays_between(start, min(as_of, end), target.weekday))
    else:
        done = sum(o.count for o in inside)
        required = count
        if as_of >= end:
            expected = count
        elif as_of < start:
            expected = 0
        else:
            elapsed = (as_of - start).days + 1
            expected = count * elapsed // ((end - start).days + 1)
    districts = len(frozenset().union(*(o.districts for o in inside)))
    met = done >= required and districts >= (target.min_districts or 0)
    return PeriodProgress(
        period=target.period,
        start=start,
        end=end,
        required=required,
        expected=expected,
        done=done,
        districts=districts,
        met=met,
        ended=as_of >= end,
    )


def target_progress(
    target: Target,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    occurrences: Iterable[Occurrence],
    as_of: datetime.date,
) -> TargetProgress:
    """The status of one target of a promise running starts_on to ends_on, as of a day.

    `occurrences` are the done activities linked to the target's commitment (or
    published reports); those of other kinds, outside the promise or after `as_of`
    are ignored here.
    """
    kinds = set(target.counted_kinds())
    districts = target.district_ids()
    relevant = [
        o
        for o in occurrences
        if o.kind in kinds
        and starts_on <= o.day <= min(ends_on, as_of)
        and (target.party_id is None or target.party_id in o.organisations)
        and (not districts or not districts.isdisjoint(o.districts))
    ]
    common = {
        "target": target,
        "as_of": as_of,
        "starts_on": starts_on,
        "activity_count": sum(o.count for o in relevant),
        "latest": max((o.day for o in relevant), default=None),
    }
    if target.count is None:
        return TargetProgress(status=Status.NO_TARGET, **common)

    qualifying = [
        o
        for o in relevant
        if (o.joint or not target.joint)
        and (target.weekday is None or o.day.isoweekday() == target.weekday)
    ]
    # In day order, so that each period takes its slice (bisect) rather than
    # looking through every occurrence of the year.
    qualifying.sort(key=_day)
    days = [o.day for o in qualifying]
    progress = tuple(
        period_progress(
            target,
            start,
            end,
            qualifying[bisect_left(days, start) : bisect_right(days, end)],
            as_of,
        )
        for start, end in periods(target.period, starts_on, ends_on)
    )
    current = [p for p in progress if p.start <= as_of < p.end]
    if as_of < starts_on or (not qualifying and not any(p.ended for p in progress)):
        status = Status.NOT_STARTED
    elif all(p.met for p in progress):
        status = Status.DONE
    elif all(p.met for p in progress if p.ended) and all(
        p.done >= p.expected for p in current
    ):
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return TargetProgress(
        status=status,
        periods=progress,
        district_ids=frozenset().union(*(o.districts for o in qualifying)),
        **common,
    )


def _day(occurrence: Occurrence) -> datetime.date:
    return occurrence.day


# Words ---------------------------------------------------------------------------

KIND_COUNTS = {
    Activity.Kind.INVENTORY: ngettext_lazy(
        "%(n)d trygghetsinventering", "%(n)d trygghetsinventeringar", "n"
    ),
    Activity.Kind.PRESENCE: ngettext_lazy("%(n)d insats", "%(n)d insatser", "n"),
    Activity.Kind.YOUTH_VISIT: ngettext_lazy("%(n)d besök", "%(n)d besök", "n"),
    Activity.Kind.DEPLOYMENT: ngettext_lazy(
        "%(n)d utsättning", "%(n)d utsättningar", "n"
    ),
    Activity.Kind.YOUTH_COORDINATION: ngettext_lazy(
        "%(n)d samverkansmöte", "%(n)d samverkansmöten", "n"
    ),
    Activity.Kind.TRAFFIC: ngettext_lazy("%(n)d insats", "%(n)d insatser", "n"),
    Activity.Kind.DIALOGUE: ngettext_lazy(
        "%(n)d trygghetsdialog", "%(n)d trygghetsdialoger", "n"
    ),
    Activity.Kind.OTHER: ngettext_lazy("%(n)d aktivitet", "%(n)d aktiviteter", "n"),
    Target.REPORT: ngettext_lazy("%(n)d rapport", "%(n)d rapporter", "n"),
    Target.EVALUATION: ngettext_lazy("%(n)d utvärdering", "%(n)d utvärderingar", "n"),
}
# A target that counts several kinds together counts times ("3 av 5 gånger").
TIMES_COUNT = ngettext_lazy("%(n)d gång", "%(n)d gånger", "n")
WEEKDAY_COUNTS = {
    Target.Weekday.MONDAY: ngettext_lazy("%(n)d måndag", "%(n)d måndagar", "n"),
    Target.Weekday.TUESDAY: ngettext_lazy("%(n)d tisdag", "%(n)d tisdagar", "n"),
    Target.Weekday.WEDNESDAY: ngettext_lazy("%(n)d onsdag", "%(n)d onsdagar", "n"),
    Target.Weekday.THURSDAY: ngettext_lazy("%(n)d torsdag", "%(n)d torsdagar", "n"),
    Target.Weekday.FRIDAY: ngettext_lazy("%(n)d fredag", "%(n)d fredagar", "n"),
    Target.Weekday.SATURDAY: ngettext_lazy("%(n)d lördag", "%(n)d lördagar", "n"),
    Target.Weekday.SUNDAY: ngettext_lazy("%(n)d söndag", "%(n)d söndagar", "n"),
}
PERIOD_COUNTS = {
    Target.Period.WEEK: ngettext_lazy("%(n)d vecka", "%(n)d veckor", "n"),
    Target.Period.MONTH: ngettext_lazy("%(n)d månad", "%(n)d månader", "n"),
    Target.Period.QUARTER: ngettext_lazy("%(n)d kvartal", "%(n)d kvartal", "n"),
    Target.Period.HALF_YEAR: ngettext_lazy("%(n)d halvår", "%(n)d halvår", "n"),
    Target.Period.YEAR: ngettext_lazy("%(n)d år", "%(n)d år", "n"),
}


class OwnKindCount:
    """ "%(n)d tillsyn" / "%(n)d tillsyner" for a kind the municipality named
    itself, as KIND_COUNTS' entries read (`words % {"n": 2}`)."""

    def __init__(self, name: str, plural: str):
        self.one = name[:1].lower() + name[1:]
        self.many = plural

    def __mod__(self, values: dict) -> str:
        n = values["n"]
        return f"{n} {self.one if n == 1 else self.many}"


def kind_counts(target: Target):
    """How the target's kind is counted in words: "%(n)d tillsyner"."""
    own = target.own_words()
    return OwnKindCount(*own) if own else KIND_COUNTS[target.kind]


def begins(day: datetime.date) -> str:
    """ "Börjar 1 januari 2027": what a promise that has not begun says."""
    return _("Börjar %(date)s") % {"date": date_format(day, "j F Y")}


def describe(progress: TargetProgress) -> str:
    """The numbers behind a status in words: "4 av 5 fredagar"."""
    target = progress.target
    kind_count = TIMES_COUNT if len(target.counted_kinds()) > 1 else kind_counts(target)
    if not progress.has_begun:
        return begins(progress.starts_on)
    if progress.status == Status.NO_TARGET:
        words = kind_count % {"n": progress.activity_count}
        if progress.latest:
            words += _(", senast %(date)s") % {
                "date": date_format(progress.latest, "j F Y")
            }
        return words
    of = _("%(done)d av %(required)s")

    def done_of_required() -> str:
        """ "2 av 4 trygghetsdialoger"; more than required is never "5 av 4"."""
        if progress.done <= progress.required:
            return of % {
                "done": progress.done,
                "required": kind_count % {"n": progress.required},
            }
        more = (
            _("%(done)s, fler än målet på %(required)d")
            if progress.status == Status.DONE
            else _("%(done)s (målet är %(required)d)")
        )
        return more % {
            "done": kind_count % {"n": progress.done},
            "required": progress.required,
        }

    if target.weekday:
        return of % {
            "done": progress.done,
            "required": WEEKDAY_COUNTS[target.weekday] % {"n": progress.expected},
        }
    if len(progress.periods) == 1:
        words = done_of_required()
        if target.min_districts:
            words += _(", i %(done)d av %(required)d kommundelar") % {
                "done": len(progress.district_ids),
                "required": target.min_districts,
            }
        return words
    ended = [p for p in progress.periods if p.ended]
    if target.count == 1 and ended:
        return _("%(activities)s, %(met)d av %(periods)s") % {
            "activities": kind_count % {"n": progress.done},
            "met": sum(p.met for p in ended),
            "periods": PERIOD_COUNTS[target.period] % {"n": len(ended)},
        }
    return _("%(words)s hittills") % {"words": done_of_required()}


@dataclass
class PromiseProgress:
    promise: Promise
    as_of: datetime.date
    targets: list[TargetProgress]

    def for_commitment(self, commitment_id: int) -> list[TargetProgress]:
        return [p for p in self.targets if p.target.commitment_id == commitment_id]

    def behind_first(self) -> list[TargetProgress]:
        order = list(Status.values)
        return sorted(self.targets, key=lambda p: order.index(p.status))

    @property
    def has_activity(self) -> bool:
        return any(p.activity_count for p in self.targets)

    @property
    def has_begun(self) -> bool:
        return self.as_of >= self.promise.starts_on

    @property
    def begins(self) -> str:
        return begins(self.promise.starts_on)


def counted_by(target: Target) -> int | None:
    """The commitment whose linked activities the target counts; None for the
    kinds counted from what is published (reports, the evaluation)."""
    return None if target.kind in PUBLISHED_KINDS else target.commitment_id


PUBLISHED_KINDS = frozenset({Target.REPORT, Target.EVALUATION})


def load_publications(
    promise: Promise, kinds: Iterable[str] | None = None
) -> list[Occurrence]:
    """What other apps publish and targets count (PUBLICATION_SOURCES), by local
    day; of `kinds` only, when given. A query for each source asked."""
    kinds = None if kinds is None else set(kinds)
    return [
        Occurrence(kind, day)
        for kind, days in PUBLICATION_SOURCES.items()
        if kinds is None or kind in kinds
        for day in days(promise)
    ]


def promise_progress(
    promise: Promise, as_of: datetime.date | None = None
) -> PromiseProgress:
    """Progress of every target of a promise, in at most four queries: the
    targets, the stored days of their kinds and a query for each publication
    source a target counts (only the first when the occurrences are in the
    cache, until the municipality's data changes)."""
    as_of = as_of or timezone.localdate()
    targets = list(
        Target.objects.filter(commitment__focus_area__promise=promise)
        .select_related("commitment__focus_area", "party")
        .annotate(
            in_districts=Exists(
                Target.districts.through.objects.filter(target_id=OuterRef("pk"))
            )
        )
    )
    # The districts of the targets that count only some: a query if any does.
    prefetch_related_objects([t for t in targets if t.in_districts], "districts")
    # Only what the targets count: no kind without a target is read, no
    # publications without a target that counts them. (A new target is a change
    # to the municipality's data: a new generation, so nothing cached is reused.)
    kinds = sorted({kind for target in targets for kind in target.counted_kinds()})
    occurrences = cached(
        "occurrences",
        lambda: stored_occurrences(promise, kinds) + load_publications(promise, kinds),
        promise.pk,
        ",".join(kinds),
        scope=by_id(promise.municipality_id),
    )
    # Each target looks through its own commitment's occurrences of its kind only:
    # a target counts only the activities linked to its commitment (published
    # reports and evaluations belong to no commitment).
    by_kind = defaultdict(list)
    for occurrence in occurrences:
        by_kind[occurrence.commitment, occurrence.kind].append(occurrence)
    return PromiseProgress(
        promise=promise,
        as_of=as_of,
        targets=[
            target_progress(
                target,
                starts_on=promise.starts_on,
                ends_on=promise.ends_on,
                occurrences=[
                    o
                    for kind in target.counted_kinds()
                    for o in by_kind[counted_by(target), kind]
                ],
                as_of=as_of,
            )
            for target in targets
        ],
    )
