"""Workflows that touch several models, called from the admin and commands alike."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Commitment, FocusArea, Promise, Target


def _one_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def copy_promise_to_next_year(promise: Promise) -> Promise:
    """Copy a promise with its focus areas, commitments and targets as a draft.

    Activities, reports and the publication state are not copied. Raises
    ValidationError when the municipality already has a promise for next year.
    """
    year = promise.year + 1
    if Promise.objects.filter(municipality=promise.municipality, year=year).exists():
        raise ValidationError(
            _("%(municipality)s har redan ett medborgarlöfte för %(year)s.")
            % {"municipality": promise.municipality, "year": year}
        )
    copy = Promise.objects.create(
        municipality=promise.municipality,
        year=year,
        title=promise.title.replace(str(promise.year), str(year)),
        police_area=promise.police_area,
        starts_on=_one_year_later(promise.starts_on),
        ends_on=_one_year_later(promise.ends_on),
        introduction=promise.introduction,
        status=Promise.Status.DRAFT,
    )
    focus_areas = promise.focus_areas.prefetch_related("commitments__targets")
    for area in focus_areas:
        new_area = FocusArea.objects.create(
            promise=copy, title=area.title, order=area.order
        )
        for commitment in area.commitments.all():
            new_commitment = Commitment.objects.create(
                focus_area=new_area,
                title=commitment.title,
                description=commitment.description,
                order=commitment.order,
                internal_notes=commitment.internal_notes,
            )
            for target in commitment.targets.all():
                Target.objects.create(
                    commitment=new_commitment,
                    kind=target.kind,
                    count=target.count,
                    period=target.period,
                    weekday=target.weekday,
                    min_districts=target.min_districts,
                    joint=target.joint,
                )
    return copy
