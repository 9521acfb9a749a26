"""A promise, its focus areas and commitments, and the commitments' targets."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import workflows
from ..forms import (
    TARGET_PREFIX,
    CommitmentWithTargetForm,
    FromTemplateForm,
    TargetForm,
)
from ..models import (
    Activity,
    ActivityKind,
    Commitment,
    FocusArea,
    Municipality,
    Promise,
    Target,
    for_user,
)
from .base import (
    MunicipalityScopedAdmin,
    PublishableAdmin,
    ScopedChoicesMixin,
    next_promise_year,
    own_municipality,
)


class FocusAreaInline(ScopedChoicesMixin, admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["title", "order"]


TARGET_FIELDS = ["kind", "count", "frequency", "min_districts", "joint"]


class CommitmentInline(ScopedChoicesMixin, admin.StackedInline):
    """The promise's commitments, each with its target, on the promise's page."""

    model = Commitment
    form = CommitmentWithTargetForm
    extra = 0
    show_change_link = True
    fieldsets = [
        (None, {"fields": ["focus_area", "title", "description", "order"]}),
        (
            _("Mål"),
            {
                "fields": [
                    "target_sentence",
                    *(TARGET_PREFIX + name for name in TARGET_FIELDS),
                ]
            },
        ),
    ]
    readonly_fields = ["target_sentence"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is None else 1  # focus areas first, then commitments

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "focus_area":
            promise_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = FocusArea.objects.filter(
                promise_id=promise_id
            ).select_related("promise__municipality")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("betyder"))
    def target_sentence(self, obj):
        targets = list(obj.targets.all()) if obj.pk else []
        if not targets:
            return "–"
        return " · ".join(target.sentence() for target in targets)


@admin.register(Promise)
class PromiseAdmin(PublishableAdmin, MunicipalityScopedAdmin):
    list_display = ["title", "municipality", "year", "status", "starts_on", "ends_on"]
    list_filter = ["status", "municipality", "year"]
    list_select_related = ["municipality"]
    search_fields = ["title", "introduction"]
    inlines = [FocusAreaInline, CommitmentInline]
    actions = ["copy_to_next_year", "publish"]
    fieldsets = [
        (None, {"fields": ["municipality", "year", "title"]}),
        (_("Period"), {"fields": ["starts_on", "ends_on"]}),
        (_("Text"), {"fields": ["introduction"]}),
        (_("Publicering"), {"fields": ["status", "published_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        year = next_promise_year()
        initial.setdefault("year", year)
        initial.setdefault("starts_on", datetime.date(year, 1, 1))
        initial.setdefault("ends_on", datetime.date(year, 12, 31))
        return {**own_municipality(request), **initial}

    def get_urls(self):
        return [
            path(
                "fran-mall/",
                self.admin_site.admin_view(self.from_template_view),
                name="promises_promise_from_template",
            ),
            *super().get_urls(),
        ]

    def from_template_view(self, request):
        """ "Nytt medborgarlöfte från mall": a draft with the focus areas,
        commitments and targets of one of the user's promises, or of Haninge's."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        municipalities = for_user(Municipality.objects.all(), request.user)
        templates = for_user(
            Promise.objects.published().select_related("municipality"), request.user
        ).order_by("-year", "municipality__name")
        form = FromTemplateForm(
            request.POST or None,
            templates=templates,
            municipalities=municipalities,
            initial={**own_municipality(request), "year": next_promise_year()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                promise = workflows.promise_from_template(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _(
                        "”%(promise)s” skapades som utkast. Ändra målen och texterna "
                        "nedan, och publicera när ni är klara."
                    )
                    % {"promise": promise},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:promises_promise_change", args=[promise.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nytt medborgarlöfte från mall"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/promises/promise/from_template.html", context
        )

    @admin.action(description=_("Kopiera till nästa år"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for promise in queryset.select_related("municipality"):
            try:
                copy = workflows.copy_promise_to_next_year(promise)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("”%(copy)s” skapades som utkast.") % {"copy": copy},
                    messages.SUCCESS,
                )


class TargetInline(ScopedChoicesMixin, admin.StackedInline):
    """Stacked, so that each field's help shows under it, not as a tooltip."""

    model = Target
    form = TargetForm
    extra = 0
    fields = ["sentence", *TargetForm.Meta.fields]
    readonly_fields = ["sentence"]

    @admin.display(description=_("betyder"))
    def sentence(self, obj):
        return obj.sentence() if obj.pk else "–"


class CommitmentForm(forms.ModelForm):
    """A commitment with the problem behind it: the choices of where, which
    dialogues and who are the commitment's municipality's only."""

    class Meta:
        model = Commitment
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields
        widgets = {
            "problem_districts": forms.CheckboxSelectMultiple,
            "responsible_organisations": forms.CheckboxSelectMultiple,
            "source_dialogues": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dialogues = self.fields.get("source_dialogues")
        if dialogues is not None:
            commitment = self.instance
            if commitment.pk:
                # This year's and last year's: the list stays short.
                dialogues.queryset = dialogues.queryset.filter(
                    promise__municipality_id=commitment.promise.municipality_id,
                    promise__year__in=[
                        commitment.promise.year - 1,
                        commitment.promise.year,
                    ],
                ).order_by("-starts_at")
            else:
                dialogues.queryset = dialogues.queryset.none()
                dialogues.help_text = _(
                    "Spara åtagandet först: sedan går kommunens trygghetsdialoger "
                    "att välja."
                )

    def clean(self):
        cleaned_data = super().clean()
        focus_area = cleaned_data.get("focus_area")
        if focus_area is None:
            return cleaned_data
        municipality = focus_area.promise.municipality
        if any(
            district.municipality_id != municipality.pk
            for district in cleaned_data.get("problem_districts") or []
        ):
            self.add_error(
                "problem_districts",
                _("Välj bara kommundelar i %(municipality)s.")
                % {"municipality": municipality},
            )
        if any(
            dialogue.promise.municipality_id != municipality.pk
            for dialogue in cleaned_data.get("source_dialogues") or []
        ):
            self.add_error(
                "source_dialogues",
                _("Välj bara trygghetsdialoger i %(municipality)s.")
                % {"municipality": municipality},
            )
        if not all(
            organisation.takes_part_for(municipality)
            for organisation in cleaned_data.get("responsible_organisations") or []
        ):
            self.add_error(
                "responsible_organisations",
                _(
                    "Välj bara organisationer som samverkar med %(municipality)s "
                    "och dess lokalpolisområde."
                )
                % {"municipality": municipality},
            )
        return cleaned_data


# Inlines that other apps add to a commitment's page (reports: its goals), so
# that this app imports none of them; the app registers them in its
# AppConfig.ready().
COMMITMENT_INLINES: list[type[InlineModelAdmin]] = []


def register_commitment_inline(inline: type[InlineModelAdmin]) -> None:
    """Show `inline` on every commitment's page, after the targets."""
    if inline not in COMMITMENT_INLINES:
        COMMITMENT_INLINES.append(inline)


@admin.register(Commitment)
class CommitmentAdmin(MunicipalityScopedAdmin):
    form = CommitmentForm
    list_display = ["title", "focus_area", "promise"]
    list_filter = ["promise__municipality", "promise__year"]
    list_select_related = ["promise__municipality", "focus_area__promise__municipality"]
    search_fields = ["title", "description", "problem"]
    inlines = [TargetInline]
    readonly_fields = ["activity_links"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "focus_area",
                    "title",
                    "responsible_organisations",
                    "description",
                    "order",
                    "activity_links",
                ]
            },
        ),
        (
            _("Problemet"),
            {
                "description": _(
                    "Varför åtagandet finns: problemet, var och sedan när, var det "
                    "syntes och orsakerna. Allt är frivilligt och visas publikt."
                ),
                "fields": [
                    "problem",
                    "problem_districts",
                    "problem_since",
                    "problem_source",
                    "source_dialogues",
                    "cause_analysis",
                ],
            },
        ),
        (
            _("Åtgärden"),
            {"fields": ["measure_kind", "measure_term"]},
        ),
        (_("Internt"), {"fields": ["internal_notes"]}),
    ]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *COMMITMENT_INLINES]

    @admin.display(description=_("aktiviteter"))
    def activity_links(self, obj):
        """Its activities, and a new one linked to it (of the one kind of
        activity its targets count, if one)."""
        if obj is None or obj.pk is None:
            return "–"
        count = obj.activities.count()
        kinds = {t.kind for t in obj.targets.all()} - {Target.REPORT, Target.EVALUATION}
        new = {"commitments": obj.pk, "promise": obj.promise_id}
        if len(kinds) == 1:
            new["kind"] = kinds.pop()
        return format_html(
            '<a href="{}?commitments__id__exact={}">{}</a> · '
            '<a class="addlink" href="{}?{}">{}</a>',
            reverse("admin:promises_activity_changelist"),
            obj.pk,
            ngettext("%(n)d aktivitet", "%(n)d aktiviteter", count) % {"n": count},
            reverse("admin:promises_activity_add"),
            urlencode(new),
            _("Lägg till en aktivitet för åtagandet"),
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "source_dialogues":
            kwargs["queryset"] = for_user(
                Activity.objects.filter(kind=ActivityKind.DIALOGUE), request.user
            ).select_related("promise")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Target)
class TargetAdmin(MunicipalityScopedAdmin):
    """A target's own page: what it counts, as a sentence and in its parts."""

    form = TargetForm
    list_display = ["sentence", "commitment"]
    list_filter = ["commitment__promise__municipality", "commitment__promise__year"]
    list_select_related = ["commitment__promise__municipality"]
    search_fields = ["commitment__title"]
    fields = ["commitment", "sentence", *TargetForm.Meta.fields]
    readonly_fields = ["sentence"]

    @admin.display(description=_("mål"))
    def sentence(self, obj):
        return obj.sentence() if obj.pk else "–"
