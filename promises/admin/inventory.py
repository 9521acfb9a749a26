"""The findings of safety inventories."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Finding
from .base import MunicipalityScopedAdmin, ScopedChoicesMixin

FINDING_OUTCOME_FIELDS = ["status", "fixed_on", "planned_on", "referred_to"]
SHORT_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 30})


class FindingInline(ScopedChoicesMixin, admin.StackedInline):
    """An inventory's findings. Each is in the inventory's district
    (Finding.save()); the district is asked for only when the inventory walked
    several. The description is public: "Belysning – trasig lampa i tunneln".
    Stacked, a few fields to a line: ten columns do not fit a desk's screen."""

    model = Finding
    fk_name = "inventory"
    extra = 1
    fields = [
        ("category", "place"),
        "description",
        ("responsible", "status"),
        ("fixed_on", "planned_on", "referred_to"),
        "not_fixed_reason",
    ]
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and (obj.districts.count() > 1 or self._placed(obj)):
            return [(*fields[0], "district"), *fields[1:]]
        return fields

    def _placed(self, inventory) -> bool:
        """Findings whose district is not the inventory's (set before it changed)."""
        return inventory.findings.exclude(
            district__in=inventory.districts.all()
        ).exists()


@admin.register(Finding)
class FindingAdmin(MunicipalityScopedAdmin):
    list_display = [
        "place",
        "category",
        "status",
        "outcome_date",  # one column: the list fits a desk's screen
        "district",
        "responsible",
        "inventory",
    ]
    # Reopened ones by the filter, not a column mostly empty.
    list_filter = [
        "status",
        "category",
        "district",
        "responsible",
        ("reopened_on", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["district", "responsible", "inventory"]
    search_fields = ["place", "description", "referred_to"]
    autocomplete_fields = ["inventory"]
    fieldsets = [
        (
            None,
            {"fields": ["inventory", "category", "place", "description", "district"]},
        ),
        (
            _("Utfall"),
            {
                "fields": [
                    "responsible",
                    *FINDING_OUTCOME_FIELDS,
                    "not_fixed_reason",
                    ("reopened_on", "times_reopened"),
                ]
            },
        ),
    ]
    readonly_fields = ["reopened_on", "times_reopened"]
    actions = ["reopen"]

    @admin.display(description=_("datum"), ordering="fixed_on")
    def outcome_date(self, obj):
        """When it was fixed, or when it is planned to be."""
        if obj.fixed_on:
            return _("åtgärdat %(date)s") % {"date": obj.fixed_on}
        if obj.planned_on:
            return _("planerat %(date)s") % {"date": obj.planned_on}
        return "–"

    @admin.action(
        description=_("Öppna igen: problemet har kommit tillbaka"),
        permissions=["change"],
    )
    def reopen(self, request, queryset):
        reopened = 0
        for finding in queryset:
            if finding.is_open or not self.has_change_permission(request, finding):
                continue
            finding.reopen()
            reopened += 1
        if reopened:
            self.message_user(
                request,
                ngettext(
                    "%(count)d iakttagelse öppnades igen.",
                    "%(count)d iakttagelser öppnades igen.",
                    reopened,
                )
                % {"count": reopened},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Inga iakttagelser öppnades: de valda är redan öppna."),
                messages.WARNING,
            )
