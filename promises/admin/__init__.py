import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .. import workflows
from ..forms import (
    TARGET_PREFIX,
    CommitmentWithTargetForm,
    FromTemplateForm,
    TargetForm,
)
from ..models import (
    POLICE_LOGGED_KINDS,
    Activity,
    ActivityKind,
    Commitment,
    DialogueTopic,
    District,
    Finding,
    FocusArea,
    FridayDeployment,
    Municipality,
    OperationalPicture,
    Organisation,
    PoliceArea,
    Promise,
    Publishable,
    Target,
    belongs_to_user,
    for_user,
)

# Links a deployment's page shows to what other apps make of its week (the
# incidents app adds its weekly lägesbild): callables of the deployment that
# return (text, url) or None. A hook, so that promises imports no higher app.
DEPLOYMENT_LINKS = []


def deployment_links(obj):
    """The DEPLOYMENT_LINKS of a saved deployment, as a read-only field."""
    links = [link for hook in DEPLOYMENT_LINKS if (link := hook(obj))]
    if not links:
        return "–"
    return format_html_join(" ", '<a href="{1}">{0}</a>', links)


def has_a_municipality(user) -> bool:
    return user.is_superuser or user.municipalities.exists()


def no_municipality_response(request, admin_site):
    """The plain explanation for staff linked to no municipality: whom to ask."""
    User = get_user_model()
    context = {
        **admin_site.each_context(request),
        "title": _("Du är inte kopplad till någon kommun ännu"),
        "administrators": User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .order_by("first_name", "last_name"),
    }
    return TemplateResponse(request, "admin/no_municipality.html", context)


def next_promise_year() -> int:
    """The year a new promise is for: this year until midsummer, then next year's,
    which is prepared in the autumn."""
    today = timezone.localdate()
    return today.year if today.month < 7 else today.year + 1


def own_municipality(request) -> dict:
    """{"municipality": id} when the user works for exactly one municipality: the
    initial choice of an add form."""
    municipalities = list(
        for_user(Municipality.objects.all(), request.user).values_list("pk", flat=True)[
            :2
        ]
    )
    return {"municipality": municipalities[0]} if len(municipalities) == 1 else {}


def choice_related(model) -> list[str]:
    """What a model's name in a choice list reads (`label_related`), to select
    with it rather than a query per choice."""
    return list(getattr(model, "label_related", ()))


class ScopedChoicesMixin:
    """Offer only related objects of the user's own municipalities as choices."""

    def _scope_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if hasattr(related, "municipality_path") and "queryset" not in kwargs:
            kwargs["queryset"] = for_user(
                related._default_manager.select_related(*choice_related(related)),
                request.user,
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Changelist filters list only the user's own municipalities' objects."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        queryset = for_user(
            related._default_manager.select_related(*choice_related(related)),
            request.user,
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


admin.FieldListFilter.register(
    lambda field: (
        field.remote_field is not None
        and hasattr(field.related_model, "municipality_path")
    ),
    ScopedRelatedFieldListFilter,
    take_priority=True,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is for reading: a past version's page never saves anything."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class MunicipalityScopedAdmin(ScopedChoicesMixin, ReadOnlyHistoryAdmin):
    """Each user sees only the objects of their own municipalities (superusers: all).

    An object of another municipality is a 404 in every view: change, delete and
    history alike; autocomplete uses get_queryset and is narrowed the same way.
    """

    def get_queryset(self, request):
        return for_user(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None):
        """Shared objects (a police area, a shared definition) are seen by the
        staff of every municipality they serve, and changed by superusers."""
        return super().has_change_permission(request, obj) and (
            obj is None or belongs_to_user(obj, request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or belongs_to_user(obj, request.user)
        )

    # "Spara och lägg till ny" keeps these choices for the next object.
    KEPT_ON_ADD_ANOTHER = ("municipality", "promise", "focus_area", "commitment")

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            kept = {
                name: getattr(obj, f"{name}_id")
                for name in self.KEPT_ON_ADD_ANOTHER
                if hasattr(obj, f"{name}_id") and getattr(obj, f"{name}_id")
            }
            if kept:
                response["Location"] += (
                    "&" if "?" in response["Location"] else "?"
                ) + urlencode(kept)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Staff of no municipality have nothing to add to: say whom to ask."""
        if object_id is None and not has_a_municipality(request.user):
            return no_municipality_response(request, self.admin_site)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Objektet finns inte, eller så saknar du behörighet."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)


class PublishableAdmin(admin.ModelAdmin):
    """The admin's side of publishing (models.Publishable): the status may be
    changed only with the permission `publish_<model>`, the publication time is
    stamped, never typed, and the action "Publicera" publishes the chosen drafts,
    each validated first."""

    actions = ["publish"]

    def has_publish_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "published_at"]
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    @admin.action(description=_("Publicera"), permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for obj in queryset.filter(status=Publishable.Status.DRAFT):
            try:
                obj.publish()
            except ValidationError as error:
                self.message_user(
                    request,
                    _("”%(object)s” publicerades inte: %(errors)s")
                    % {"object": obj, "errors": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d %(name)s publicerades.",
                "%(count)d %(name_plural)s publicerades.",
                published,
            )
            % {
                "count": published,
                "name": self.opts.verbose_name,
                "name_plural": self.opts.verbose_name_plural,
            },
            messages.SUCCESS if published else messages.WARNING,
        )


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


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    """The municipality's own organisations and partners. The police is the
    police area's (superusers), and shared organisations are superusers' too."""

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


class FocusAreaInline(ScopedChoicesMixin, admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["title", "order"]


TARGET_FIELDS = ["kind", "count", "frequency", "min_districts", "joint"]


class CommitmentInline(admin.StackedInline):
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


class TargetInline(admin.StackedInline):
    """Stacked, so that each field's help shows under it, not as a tooltip."""

    model = Target
    form = TargetForm
    extra = 0
    fields = ["sentence", "kind", "count", "frequency", "min_districts", "joint"]
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
# that this app imports none of them.
COMMITMENT_INLINES = []


def register_commitment_inline(inline) -> None:
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
    fieldsets = [
        (None, {"fields": ["focus_area", "title", "description", "order"]}),
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
            {
                "fields": [
                    "measure_kind",
                    "measure_term",
                    "responsible_organisations",
                ]
            },
        ),
        (_("Internt"), {"fields": ["internal_notes"]}),
    ]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *COMMITMENT_INLINES]

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
    fields = [
        "commitment",
        "sentence",
        "kind",
        "count",
        "frequency",
        "min_districts",
        "joint",
    ]
    readonly_fields = ["sentence"]

    @admin.display(description=_("mål"))
    def sentence(self, obj):
        return obj.sentence() if obj.pk else "–"


FINDING_OUTCOME_FIELDS = ["status", "fixed_on", "planned_on", "referred_to"]
SHORT_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 30})


class FindingInline(ScopedChoicesMixin, admin.TabularInline):
    model = Finding
    fk_name = "inventory"
    extra = 1
    fields = [
        "category",
        "place",
        "district",
        "responsible",
        *FINDING_OUTCOME_FIELDS,
        "not_fixed_reason",
    ]
    formfield_overrides = {models.TextField: {"widget": SHORT_TEXT}}


class DialogueTopicForm(forms.ModelForm):
    class Meta:
        model = DialogueTopic
        fields = ["text", "place", "districts", "commitment", "finding"]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned_data = super().clean()
        # On the dialogue's page the inline's instance has the dialogue (maybe
        # not saved yet); on the topic's own page it is a field of the form.
        dialogue = cleaned_data.get("dialogue") or (
            DialogueTopic.dialogue.field.get_cached_value(self.instance, None)
        )
        districts = cleaned_data.get("districts") or []
        if (
            dialogue is not None
            and dialogue.promise_id
            and any(
                d.municipality_id != dialogue.promise.municipality_id for d in districts
            )
        ):
            self.add_error(
                "districts",
                _("Välj bara kommundelar i %(municipality)s.")
                % {"municipality": dialogue.promise.municipality},
            )
        return cleaned_data


class DialogueTopicInline(ScopedChoicesMixin, admin.TabularInline):
    """What residents raised at the dialogue ("ni sa"), each linked to what
    answers it ("vi gjorde"). The choices are the dialogue's municipality's."""

    model = DialogueTopic
    form = DialogueTopicForm
    fk_name = "dialogue"
    extra = 1
    verbose_name_plural = _("Ni sa – vi gjorde: det invånarna tog upp")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "finding":
            kwargs["queryset"] = for_user(
                Finding.objects.select_related("inventory"), request.user
            ).order_by("-inventory__starts_at", "place")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.promise_id:
            fields = formset.form.base_fields
            municipality = obj.promise.municipality_id
            for name, path in [
                ("districts", "municipality"),
                ("commitment", "promise__municipality"),
                ("finding", "inventory__promise__municipality"),
            ]:
                if name in fields:
                    fields[name].queryset = fields[name].queryset.filter(
                        **{path: municipality}
                    )
        return formset


class OperationalPictureInline(admin.StackedInline):
    """Shown only to those allowed to read the lägesbild (its model permissions)."""

    model = OperationalPicture
    verbose_name_plural = _("Operativ lägesbild – sekretess, visas aldrig publikt")
    extra = 1
    max_num = 1
    can_delete = False


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        cleaned_data = super().clean()
        promise = cleaned_data.get("promise")
        districts = cleaned_data.get("districts") or []
        if promise and any(
            d.municipality_id != promise.municipality_id for d in districts
        ):
            self.add_error(
                "districts",
                _("Välj bara kommundelar i %(municipality)s.")
                % {"municipality": promise.municipality},
            )
        priority = cleaned_data.get("priority")
        if promise and priority and priority.municipality_id != promise.municipality_id:
            self.add_error(
                "priority",
                _("Välj en prioritering i %(municipality)s.")
                % {"municipality": promise.municipality},
            )
        organisations = cleaned_data.get("organisations") or []
        if promise and not all(
            o.takes_part_for(promise.municipality) for o in organisations
        ):
            self.add_error(
                "organisations",
                _(
                    "Välj bara organisationer som samverkar med %(municipality)s "
                    "och dess lokalpolisområde."
                )
                % {"municipality": promise.municipality},
            )
        return cleaned_data


class ActivityAdminBase(MunicipalityScopedAdmin):
    form = ActivityForm
    list_select_related = ["promise__municipality"]
    search_fields = ["title", "summary", "internal_notes"]
    # The list is long (docs/performance.md): count each filtered list once, not
    # the whole table again for "of N in all", and render 50 rows a page, not 100.
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description=_("kommundelar"))
    def district_names(self, obj):
        return ", ".join(district.name for district in obj.districts.all())

    @admin.display(description=_("datum"), ordering="starts_at")
    def local_date(self, obj):
        return obj.local_date


@admin.register(Activity)
class ActivityAdmin(ActivityAdminBase):
    list_display = [
        "title",
        "kind",
        "status",
        "local_date",
        "district_names",
        "publication_level",
        "promise",
    ]
    # No date_hierarchy: its list of years reads every activity on every page.
    # The promise filter is the year; the date filter needs no query.
    list_filter = [
        "kind",
        "status",
        ("starts_at", admin.DateFieldListFilter),
        "publication_level",
        "promise__municipality",
        "promise",
        "place_type",
        "districts",
        "is_demo",
    ]

    KIND_FIELDSETS = {
        ActivityKind.INVENTORY: (
            _("Trygghetsinventering"),
            {"fields": ["district_reason"]},
        ),
        ActivityKind.DIALOGUE: (
            _("Trygghetsdialog"),
            {"fields": ["venue", "residents_raised"]},
        ),
        ActivityKind.DEPLOYMENT: (
            _("Fredagsutsättning"),
            {"fields": ["not_friday_reason", "week_links"]},
        ),
    }

    readonly_fields = ["week_links"]

    @admin.display(description=_("veckans underlag"))
    def week_links(self, obj):
        return deployment_links(obj)

    def _kind(self, request, obj):
        return obj.kind if obj else request.GET.get("kind")

    def may_log_any_kind(self, request):
        return request.user.has_perm("promises.log_any_activity_kind")

    def get_fieldsets(self, request, obj=None):
        kind = self._kind(request, obj)
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "promise",
                        "kind",
                        "status",
                        ("starts_at", "ends_at"),
                        "districts",
                        "priority",
                        "place_type",
                        "organisations",
                    ]
                },
            ),
            (
                _("Det som visas publikt"),
                {"fields": ["title", "summary", "publication_level"]},
            ),
            (_("Antal"), {"fields": ["participants", "residents_met"]}),
        ]
        for fieldset_kind, fieldset in self.KIND_FIELDSETS.items():
            if kind == fieldset_kind:
                fieldsets.append(fieldset)
            elif (
                kind not in self.KIND_FIELDSETS
                # The kind can change to a deployment, whose rule needs this field.
                or fieldset_kind == ActivityKind.DEPLOYMENT
            ):
                fieldsets.append(
                    (fieldset[0], {**fieldset[1], "classes": ["collapse"]})
                )
        fieldsets.append((_("Internt"), {"fields": ["internal_notes"]}))
        return fieldsets

    def get_inlines(self, request, obj):
        kind = self._kind(request, obj)
        if kind == ActivityKind.INVENTORY:
            return [FindingInline]
        if kind == ActivityKind.DIALOGUE:
            return [DialogueTopicInline]
        if kind == ActivityKind.DEPLOYMENT:
            return [OperationalPictureInline]
        return []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.may_log_any_kind(request) and "kind" in form.base_fields:
            form.base_fields["kind"].choices = [
                choice
                for choice in form.base_fields["kind"].choices
                if choice[0] in POLICE_LOGGED_KINDS or choice[0] == ""
            ]
        return form

    def _may_edit(self, request, obj):
        return (
            obj is None
            or obj.kind in POLICE_LOGGED_KINDS
            or self.may_log_any_kind(request)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(
            request, obj
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


@admin.register(Finding)
class FindingAdmin(MunicipalityScopedAdmin):
    list_display = [
        "place",
        "category",
        "status",
        "fixed_on",
        "planned_on",
        "district",
        "responsible",
        "reopened_on",
        "inventory",
    ]
    list_filter = ["status", "category", "district", "responsible"]
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


@admin.register(DialogueTopic)
class DialogueTopicAdmin(MunicipalityScopedAdmin):
    """Every topic residents raised, to see which still has no answer. Added and
    changed on the dialogue's page (DialogueTopicInline) as well."""

    form = DialogueTopicForm
    list_display = ["text", "place", "dialogue", "commitment", "finding"]
    list_filter = [
        ("commitment", admin.EmptyFieldListFilter),
        ("finding", admin.EmptyFieldListFilter),
        "districts",
    ]
    list_select_related = ["dialogue", "commitment__promise__municipality", "finding"]
    search_fields = ["text", "place"]
    autocomplete_fields = ["dialogue"]
    fields = ["dialogue", "text", "place", "districts", "commitment", "finding"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dialogue":
            kwargs["queryset"] = for_user(
                Activity.objects.filter(kind=ActivityKind.DIALOGUE), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
