"""The priorities (promises.Priority) on the staff's pages: a quarter's districts
chosen with the incident picture's figures and the survey beside the choice."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.admin import MunicipalityScopedAdmin, own_municipality
from promises.models import Municipality, Priority, for_user
from promises.periods import quarter_of

from .. import incident_picture


def next_quarter(today) -> tuple[int, int]:
    year, quarter = quarter_of(today)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@admin.register(Priority)
class PriorityAdmin(MunicipalityScopedAdmin):
    """The coordinator chooses a quarter's districts with the incident picture's
    figures and the survey beside the choice; the figures are kept with it.
    (Here, not in promises: promises cannot read the incidents.)"""

    list_display = ["district", "year", "quarter", "municipality", "activity_count"]
    list_filter = ["year", "quarter", "municipality"]
    list_select_related = ["district", "municipality"]
    fields = ["municipality", "year", "quarter", "district", "reason", "evidence"]
    readonly_fields = ["evidence"]
    change_form_template = "admin/promises/priority/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_activities=Count("activities"))

    @admin.display(description=_("aktiviteter"), ordering="n_activities")
    def activity_count(self, obj):
        return obj.n_activities

    def get_changeform_initial_data(self, request):
        year, quarter = next_quarter(timezone.localdate())
        return {
            "year": year,
            "quarter": quarter,
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }

    def _evidence(self, request, obj):
        """The figures for the quarter being chosen (the object's, or the form's)."""
        data = request.POST or request.GET
        initial = self.get_changeform_initial_data(request)
        municipalities = for_user(Municipality.objects.all(), request.user)
        try:
            municipality = (
                obj.municipality
                if obj
                else municipalities.get(
                    pk=data.get("municipality") or initial.get("municipality")
                )
            )
            year = int(obj.year if obj else data.get("year") or initial["year"])
            quarter = int(
                obj.quarter if obj else data.get("quarter") or initial["quarter"]
            )
            if year not in incident_picture.YEARS or quarter not in (1, 2, 3, 4):
                return None  # the form says what is wrong, on saving
            first_day = Priority(year=year, quarter=quarter).first_day
        except (Municipality.DoesNotExist, ValueError, TypeError):
            return None
        return incident_picture.quarter_evidence(
            municipality, first_day, timezone.localdate()
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {
            **(extra_context or {}),
            "evidence": self._evidence(request, obj),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change or {"district", "year", "quarter"} & set(form.changed_data):
            evidence = incident_picture.quarter_evidence(
                obj.municipality, obj.first_day, timezone.localdate()
            )
            figures = evidence.of(obj.district)
            obj.evidence = figures.summary(evidence.first, evidence.last)
        super().save_model(request, obj, form, change)
