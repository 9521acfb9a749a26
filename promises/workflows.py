"""Workflows that touch several models, called from the admin and commands alike."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .haninge import FOCUS_AREAS, POLICE_ALONE
from .models import Commitment, FocusArea, Municipality, Promise, Target

PROBLEM_FIELDS = Commitment.PROBLEM_FIELDS

TARGET_FIELDS = [
    "kind",
    "other_kinds",
    "count",
    "period",
    "weekday",
    "min_districts",
    "joint",
]

# Called with (source commitment, its copy) when a commitment is copied: apps
# that hang something on a commitment (reports: its goals) carry it forward.
COMMITMENT_COPIERS = []


def register_commitment_copier(copier) -> None:
    if copier not in COMMITMENT_COPIERS:
        COMMITMENT_COPIERS.append(copier)


def _one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _refuse_a_second(municipality: Municipality, year: int) -> None:
    if Promise.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            _("%(municipality)s har redan ett medborgarlöfte för %(year)s.")
            % {"municipality": municipality, "year": year}
        )


def _copy_structure(source: Promise, promise: Promise) -> None:
    """The source's focus areas, commitments and targets, for the promise; the
    internal notes only within the same municipality."""
    internal = source.municipality_id == promise.municipality_id
    for area in source.focus_areas.prefetch_related(
        "commitments__targets__districts",
        "commitments__problem_districts",
        "commitments__responsible_organisations",
    ):
        new_area = FocusArea.objects.create(
            promise=promise, title=area.title, order=area.order
        )
        for commitment in area.commitments.all():
            new_commitment = Commitment.objects.create(
                focus_area=new_area,
                title=commitment.title,
                description=commitment.description,
                order=commitment.order,
                internal_notes=commitment.internal_notes if internal else "",
                **{field: getattr(commitment, field) for field in PROBLEM_FIELDS},
            )
            # Where the problem is, who is responsible and the goals are the
            # municipality's own: another municipality's template brings none.
            if internal:
                new_commitment.problem_districts.set(commitment.problem_districts.all())
                new_commitment.responsible_organisations.set(
                    commitment.responsible_organisations.all()
                )
                for copier in COMMITMENT_COPIERS:
                    copier(commitment, new_commitment)
            for target in commitment.targets.all():
                new_target = Target.objects.create(
                    commitment=new_commitment,
                    # The party and districts counted are the municipality's
                    # own, as above.
                    party_id=target.party_id if internal else None,
                    **{field: getattr(target, field) for field in TARGET_FIELDS},
                )
                if internal:
                    new_target.districts.set(target.districts.all())


def _example_structure(promise: Promise) -> None:
    """Haninge's focus areas, commitments and targets (the seed), for the promise."""
    parties = promise.municipality.own_parties()
    for area_order, (area_title, commitments) in enumerate(FOCUS_AREAS, 1):
        area = FocusArea.objects.create(
            promise=promise, title=area_title, order=area_order
        )
        for order, (title, description, targets) in enumerate(commitments, 1):
            commitment = Commitment.objects.create(
                focus_area=area, title=title, description=description, order=order
            )
            commitment.responsible_organisations.set(
                [parties["police"]]
                if title in POLICE_ALONE and "police" in parties
                else parties.values()
            )
            for target in targets:
                Target.objects.create(commitment=commitment, **target)


@transaction.atomic
def copy_promise_to_next_year(promise: Promise) -> Promise:
    """Copy a promise with its focus areas, commitments and targets as a draft.

    Activities, reports and the publication state are not copied. Raises
    ValidationError when the municipality already has a promise for next year.
    """
    year = promise.year + 1
    _refuse_a_second(promise.municipality, year)
    copy = Promise.objects.create(
        municipality=promise.municipality,
        year=year,
        title=promise.title.replace(str(promise.year), str(year)),
        starts_on=_one_year_later(promise.starts_on),
        ends_on=_one_year_later(promise.ends_on),
        introduction=promise.introduction,
        status=Promise.Status.DRAFT,
    )
    _copy_structure(promise, copy)
    return copy


@transaction.atomic
def promise_from_template(
    *,
    template: Promise | None,
    municipality: Municipality,
    year: int,
    title: str = "",
) -> Promise:
    """A draft promise for the municipality and calendar year, with the focus
    areas, commitments and targets of a template: a promise, or with None the
    built-in example (Haninge's promise). No activities, reports or texts of the
    template's municipality come along, only the structure, to be edited.

    Raises ValidationError when the municipality already has a promise that year.
    """
    _refuse_a_second(municipality, year)
    promise = Promise(
        municipality=municipality,
        year=year,
        title=title
        or _("Medborgarlöfte %(municipality)s %(year)d")
        % {"municipality": municipality, "year": year},
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        status=Promise.Status.DRAFT,
    )
    promise.full_clean()
    promise.save()
    if template is None:
        _example_structure(promise)
    else:
        _copy_structure(template, promise)
    return promise
