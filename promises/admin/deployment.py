"""The police liaison's quick form for the Friday deployment."""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    ActivityKind,
    Commitment,
    FridayDeployment,
    Organisation,
    Promise,
    for_user,
)
from .activity import (
    ActivityAdminBase,
    ActivityForm,
    OperationalPictureInline,
    deployment_links,
)


def this_weeks_friday(today: datetime.date) -> datetime.date:
    """The Friday of the ISO week that holds today (yesterday on a Saturday)."""
    return today + datetime.timedelta(days=5 - today.isoweekday())


def last_friday(today: datetime.date) -> datetime.date:
    """The last Friday before today (a week ago on a Friday)."""
    return today - datetime.timedelta(days=(today.isoweekday() - 5) % 7 or 7)


# "Förra fredagen, genomförd": the quick form's link for logging after the shift.
LAST_FRIDAY = "forra-fredagen"


class FridayDeploymentForm(ActivityForm):
    starts_at = forms.SplitDateTimeField(
        label=_("Start"),
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
    )

    class Meta(ActivityForm.Meta):
        model = FridayDeployment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = ActivityKind.DEPLOYMENT


@admin.register(FridayDeployment)
class FridayDeploymentAdmin(ActivityAdminBase):
    """The police liaison's quick form: defaults for this Friday, one short page."""

    form = FridayDeploymentForm
    date_hierarchy = "starts_at"
    list_display = ["week", "local_date", "status", "district_names", "promise"]
    list_filter = ["status", "promise__municipality", "promise", "districts"]
    inlines = [OperationalPictureInline]
    fields = [
        "promise",
        "starts_at",
        "status",
        "districts",
        "organisations",
        "commitments",
        "participants",
        "priority",
        "not_friday_reason",
        "title",
        "internal_notes",
    ]
    DEFAULT_START = datetime.time(14, 0)

    @admin.display(description=_("veckans underlag"))
    def week_links(self, obj):
        return deployment_links(obj)

    def get_fields(self, request, obj=None):
        return [*self.fields, "week_links"] if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["week_links"] if obj else []

    @admin.display(description=_("vecka"), ordering="starts_at")
    def week(self, obj):
        return obj.local_date.isocalendar().week

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop(LAST_FRIDAY, None)
        today = timezone.localdate()
        if LAST_FRIDAY in request.GET:
            friday = last_friday(today)
        else:
            friday = this_weeks_friday(today)
        starts_at = timezone.make_aware(
            datetime.datetime.combine(friday, self.DEFAULT_START)
        )
        initial.setdefault("starts_at", starts_at)
        initial.setdefault(
            "status",
            Activity.Status.DONE
            if starts_at <= timezone.now()
            else Activity.Status.PLANNED,
        )
        initial.setdefault("title", _("Fredagsutsättning"))
        promises = for_user(Promise.objects.covering(friday), request.user)
        if len(promises) == 1:
            initial.setdefault("promise", promises[0].pk)
            # The commitment the deployment serves, where one has a target for
            # deployments; where several have, the liaison chooses.
            serves = Commitment.objects.filter(promise=promises[0]).counting(
                ActivityKind.DEPLOYMENT
            )
            if len(serves) == 1:
                initial.setdefault("commitments", [serves[0].pk])
        # The police of the user's police area (of the one promise, if one).
        police = for_user(
            Organisation.objects.filter(kind=Organisation.Kind.POLICE), request.user
        )
        if len(promises) == 1:
            police = police.filter(
                police_area__municipalities=promises[0].municipality_id
            )
        initial.setdefault("organisations", [org.pk for org in police])
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        today = timezone.localdate()
        extra_context = {
            **(extra_context or {}),
            "last_friday": last_friday(today),
            "last_friday_parameter": LAST_FRIDAY,
            "on_last_friday": LAST_FRIDAY in request.GET,
        }
        return super().add_view(request, form_url, extra_context)
