"""Municipalities, districts, police areas and organisations."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import District, Municipality, Organisation, PoliceArea
from .base import MunicipalityScopedAdmin, own_municipality


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    """A coordinator keeps the contact of the accessibility statement up to date;
    the rest is the superusers' ("Ny kommun")."""

    list_display = ["name", "slug", "police_area"]
    list_select_related = ["police_area"]
    search_fields = ["name"]
    filter_horizontal = ["staff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "police_area"]}),
        (
            _("Tillgänglighetsredogörelsen"),
            {
                "fields": [
                    "accessibility_email",
                    "accessibility_phone",
                    "accessibility_form_url",
                ],
                "description": _(
                    "Hit kan invånare vända sig om de inte kan ta del av "
                    "webbplatsen. Minst ett av sätten behövs."
                ),
            },
        ),
        (_("Personal"), {"fields": ["staff"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["name", "slug", "police_area", "staff"]


@admin.register(District)
class DistrictAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changeform_initial_data(self, request):
        return {
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }


@admin.register(PoliceArea)
class PoliceAreaAdmin(MunicipalityScopedAdmin):
    """Shared by the municipalities it serves: superusers change it, their staff
    see it."""

    list_display = ["name", "municipality_names"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("municipalities")

    @admin.display(description=_("kommuner"))
    def municipality_names(self, obj):
        return ", ".join(m.name for m in obj.municipalities.all())


class OrganisationForm(forms.ModelForm):
    """The rule organisation_police_is_a_police_area as the form's errors: the
    police area is not on the form (a police area's organisation is made with
    it, PoliceArea.ensure_organisation()), so Django's validation of the model's
    constraints leaves the rule out and the database would refuse the row."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "municipality"]

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        police = Organisation.Kind.POLICE
        if kind == police and self.instance.police_area_id is None:
            self.add_error(
                "kind",
                _(
                    "Polisen läggs till som lokalpolisområde, inte som organisation: "
                    "lägg till lokalpolisområdet under Lokalpolisområden, så skapas "
                    "dess organisation med det."
                ),
            )
        elif kind and kind != police and self.instance.police_area_id is not None:
            self.add_error(
                "kind", _("Det här är ett lokalpolisområde: typen är Polisen.")
            )
        elif kind == police and cleaned_data.get("municipality"):
            self.add_error(
                "municipality",
                _("Polisen hör till sitt lokalpolisområde, inte till en kommun."),
            )
        return cleaned_data


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    """The municipality's own organisations and partners. The police is the
    police area's (superusers), and shared organisations are superusers' too."""

    form = OrganisationForm
    list_display = ["name", "kind", "municipality", "police_area"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality", "police_area"]
    search_fields = ["name"]
    fields = ["name", "kind", "municipality", "police_area"]
    readonly_fields = ["police_area"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser:
            kind = form.base_fields.get("kind")
            if kind is not None:  # staff add the municipality and its partners
                kind.choices = [
                    c for c in kind.choices if c[0] != Organisation.Kind.POLICE
                ]
            municipality = form.base_fields.get("municipality")
            if municipality is not None:
                municipality.required = True
                municipality.empty_label = None
        return form

    def get_changeform_initial_data(self, request):
        return {
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }
