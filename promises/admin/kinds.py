"""A municipality's own kinds of work ("Tillsyn", "tillsyner")."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Kind
from .base import MunicipalityScopedAdmin, own_municipality


@admin.register(Kind)
class KindAdmin(MunicipalityScopedAdmin):
    """The coordinator names the municipality's own kinds. The eight built-in
    kinds are no rows here: their rules are in code and nobody changes them.
    Whether a kind is police work, and how much of it the public sees, is set
    when it is added and not changed after (its activities were published by
    it). No role deletes a kind (activities and targets keep its code); a
    superuser may."""

    list_display = ["name", "plural", "police_work", "default_publication_level"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    fields = [
        "name",
        "plural",
        "police_work",
        "default_publication_level",
        "municipality",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["police_work", "default_publication_level", "municipality"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        municipality = form.base_fields.get("municipality")
        if municipality is not None:
            municipality.empty_label = None
        return form

    def get_changeform_initial_data(self, request):
        return {
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request,
            {
                "subtitle": _(
                    "Egna typer utöver de inbyggda (trygghetsinventering, "
                    "fredagsutsättning, trygghetsdialog med flera)."
                ),
                **(extra_context or {}),
            },
        )
