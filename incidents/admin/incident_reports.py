"""Incident reports on the staff's pages: the categories, the partners' reporters,
a report in under a minute, and the import from CSV; the incident pictures'
pages hang on the reports' list (incident_pictures.py)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.admin import CsvImportAdmin, MunicipalityScopedAdmin, own_municipality
from promises.models import District, Municipality, Organisation, for_user

from .. import importing
from ..models import IncidentCategory, IncidentReport, Reporter
from .feedback import FEEDBACK_PERMISSION, FeedbackViews, reporter_of
from .incident_pictures import IncidentPictureViews, reads_incident_picture


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "municipality", "order", "is_active"]
    list_filter = ["is_active", "municipality"]
    fields = ["name", "municipality", "order", "is_active"]

    def get_changeform_initial_data(self, request):
        return {
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A shared category (no municipality) is for superusers to add.
        if db_field.name == "municipality" and not request.user.is_superuser:
            field.required = True
            field.empty_label = None
        return field


class ReporterForm(forms.ModelForm):
    """A reporter works for the organisation's municipality and reads nothing
    but their own reports: never another municipality's, never a coordinator,
    the police liaison or a superuser (who read the whole incident picture)."""

    class Meta:
        model = Reporter
        fields = ["user", "organisation"]

    def clean(self):
        cleaned_data = super().clean()
        user = cleaned_data.get("user")
        organisation = cleaned_data.get("organisation")
        if user is None:
            return cleaned_data
        if user.is_superuser or reads_incident_picture(user):
            self.add_error(
                "user",
                _(
                    "%(user)s läser hela lägesbilden. En rapportör rapporterar "
                    "bara för en samverkanspart och ser inget annat: välj en "
                    "samverkanspart."
                )
                % {"user": user.get_username()},
            )
        elif (
            organisation is not None
            and organisation.municipality_id
            and not (
                user.municipalities.filter(pk=organisation.municipality_id).exists()
            )
        ):
            self.add_error(
                "user",
                _(
                    "%(user)s arbetar inte för %(municipality)s, organisationens "
                    "kommun. Välj någon som gör det, eller lägg först till kommunen "
                    "på personens sida."
                )
                % {
                    "user": user.get_username(),
                    "municipality": organisation.municipality,
                },
            )
        return cleaned_data


@admin.register(Reporter)
class ReporterAdmin(MunicipalityScopedAdmin):
    form = ReporterForm
    list_display = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = []
    fields = ["user", "organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            # Only the staff of the user's own municipalities.
            kwargs["queryset"] = (
                db_field.related_model.objects.filter(
                    municipalities__in=for_user(
                        Municipality.objects.all(), request.user
                    )
                )
                .distinct()
                .order_by("username")
            )
        if db_field.name == "organisation":
            kwargs["queryset"] = for_user(
                Organisation.objects.filter(municipality__isnull=False), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IncidentReportForm(forms.ModelForm):
    class Meta:
        model = IncidentReport
        fields = "__all__"  # noqa: DJ007 - the admin's get_fields chooses the fields
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "place_type": forms.RadioSelect,
            "part_of_day": forms.RadioSelect,
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned_data = super().clean()
        district = cleaned_data.get("district")
        category = cleaned_data.get("category")
        organisation = cleaned_data.get("organisation") or self.instance_organisation()
        if (
            district
            and category
            and category.municipality_id
            not in (
                None,
                district.municipality_id,
            )
        ):
            self.add_error(
                "category", _("Välj en kategori som gäller kommundelens kommun.")
            )
        if (
            district
            and organisation
            and not organisation.takes_part_for(district.municipality)
        ):
            self.add_error(
                "district" if "organisation" not in self.fields else "organisation",
                _("Välj en kommundel i en kommun som organisationen samverkar med."),
            )
        date = cleaned_data.get("date")
        if date and date > timezone.localdate():
            self.add_error("date", _("Datumet har inte varit än."))
        return cleaned_data

    def instance_organisation(self):
        return self.instance.organisation if self.instance.organisation_id else None


@admin.register(IncidentReport)
class IncidentReportAdmin(
    CsvImportAdmin, FeedbackViews, IncidentPictureViews, MunicipalityScopedAdmin
):
    """A report in under a minute: category, district and place type; the rest
    has defaults. A partner sees and corrects only their organisation's reports of
    the last few days; the municipality's staff and the police see them all."""

    form = IncidentReportForm
    list_display = [
        "date",
        "category",
        "district",
        "place_type",
        "occurrences",
        "organisation",
    ]
    list_select_related = ["category", "district", "organisation"]
    list_filter = [("date", admin.DateFieldListFilter), "category", "district"]
    search_fields = ["place"]
    show_full_result_count = False
    list_per_page = 50
    KEPT_ON_ADD_ANOTHER = ("district", "organisation")
    change_list_template = "admin/incidents/incidentreport/change_list.html"
    # The import (importera/, promises.admin.CsvImportAdmin).
    import_purpose = "incidents"
    import_help_text = _(
        "Kolumner: datum, kommundel, kategori, typ_av_plats (och plats, "
        "tid_på_dygnet, antal, anteckning). Semikolon eller komma. Högst 5 MB."
    )
    import_title = _("Importera händelser från CSV")
    import_template = "admin/incidents/incidentreport/import.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        reads_all = reads_incident_picture(request.user)
        if reads_all or not self.has_view_or_change_permission(request):
            return queryset  # staff of no role: a 403, as on every page
        return queryset.correctable_by(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            reads_incident_picture(request.user)
            or reporter_of(request.user) is not None
        )

    def get_fields(self, request, obj=None):
        fields = [
            "category",
            "district",
            "place_type",
            "place",
            "date",
            "part_of_day",
            "occurrences",
            "internal_note",
        ]
        if reads_incident_picture(request.user):
            fields.append("organisation")
        return fields

    def get_list_filter(self, request):
        if reads_incident_picture(request.user):
            return [*self.list_filter, "organisation"]
        return self.list_filter

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = for_user(
                IncidentCategory.objects.filter(is_active=True), request.user
            ).select_related("municipality")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        now = timezone.localtime()
        initial = {
            "date": now.date(),
            "part_of_day": IncidentReport.PartOfDay.at(now.time()),
            "occurrences": 1,
        }
        districts = for_user(District.objects.all(), request.user).values_list(
            "pk", flat=True
        )[:2]
        if len(districts) == 1:
            initial["district"] = districts[0]
        if reads_incident_picture(request.user):
            own = for_user(
                Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY),
                request.user,
            ).values_list("pk", flat=True)[:2]
            if len(own) == 1:
                initial["organisation"] = own[0]
        return {**initial, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reported_by = request.user
        if not reads_incident_picture(request.user):
            obj.organisation = reporter_of(request.user).organisation
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not reads_incident_picture(request.user) and obj is None:
            reporter = reporter_of(request.user)

            class ReporterForm(form):
                def instance_organisation(self):
                    return reporter.organisation if reporter else None

            return ReporterForm
        return form

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "sees_feedback": request.user.has_perm(FEEDBACK_PERMISSION),
            "reads_incident_picture": reads_incident_picture(request.user),
            "may_import": self.has_add_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def run_import(self, request, data: bytes, *, dry_run: bool):
        return importing.import_reports(data, user=request.user, dry_run=dry_run)

    def import_done_message(self, result) -> str:
        return ngettext(
            "Importen är klar: %(count)d händelse.",
            "Importen är klar: %(count)d händelser.",
            len(result.rows),
        ) % {"count": len(result.rows)}
