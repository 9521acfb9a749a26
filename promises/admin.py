import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import workflows
from .models import (
    POLICE_LOGGED_KINDS,
    Activity,
    ActivityKind,
    Commitment,
    District,
    Finding,
    FocusArea,
    FridayDeployment,
    Municipality,
    OperationalPicture,
    Organisation,
    Promise,
    Publishable,
    Target,
    for_user,
)


class ScopedChoicesMixin:
    """Offer only related objects of the user's own municipalities as choices."""

    def _scope_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if hasattr(related, "municipality_path") and "queryset" not in kwargs:
            kwargs["queryset"] = for_user(related._default_manager.all(), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Changelist filters list only the user's own municipalities' objects."""

    def field_choices(self, field, request, model_admin):
        queryset = for_user(field.related_model._default_manager.all(), request.user)
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
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]


@admin.register(District)
class DistrictAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class FocusAreaInline(ScopedChoicesMixin, admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["title", "order"]


@admin.register(Promise)
class PromiseAdmin(PublishableAdmin, MunicipalityScopedAdmin):
    list_display = ["title", "municipality", "year", "status", "starts_on", "ends_on"]
    list_filter = ["status", "municipality", "year"]
    list_select_related = ["municipality"]
    search_fields = ["title", "introduction"]
    inlines = [FocusAreaInline]
    actions = ["copy_to_next_year", "publish"]
    fieldsets = [
        (None, {"fields": ["municipality", "year", "title", "police_area"]}),
        (_("Period"), {"fields": ["starts_on", "ends_on"]}),
        (_("Text"), {"fields": ["introduction"]}),
        (_("Publicering"), {"fields": ["status", "published_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        year = timezone.localdate().year + 1
        initial.setdefault("year", year)
        initial.setdefault("starts_on", datetime.date(year, 1, 1))
        initial.setdefault("ends_on", datetime.date(year, 12, 31))
        municipalities = for_user(Municipality.objects.all(), request.user)
        if len(municipalities) == 1:
            initial.setdefault("municipality", municipalities[0].pk)
        return initial

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


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["kind", "count", "period", "weekday", "min_districts", "joint"]


@admin.register(Commitment)
class CommitmentAdmin(MunicipalityScopedAdmin):
    list_display = ["title", "focus_area", "promise"]
    list_filter = ["focus_area__promise__municipality", "focus_area__promise__year"]
    list_select_related = ["focus_area__promise"]
    search_fields = ["title", "description"]
    inlines = [TargetInline]
    fieldsets = [
        (None, {"fields": ["focus_area", "title", "description", "order"]}),
        (_("Internt"), {"fields": ["internal_notes"]}),
    ]

    @admin.display(description=_("medborgarlöfte"), ordering="focus_area__promise")
    def promise(self, obj):
        return obj.focus_area.promise


class FindingInline(ScopedChoicesMixin, admin.TabularInline):
    model = Finding
    fk_name = "inventory"
    extra = 1
    fields = ["category", "place", "district", "responsible", "status", "fixed_on"]


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
        ActivityKind.DIALOGUE: (_("Trygghetsdialog"), {"fields": ["residents_raised"]}),
        ActivityKind.DEPLOYMENT: (
            _("Fredagsutsättning"),
            {"fields": ["not_friday_reason"]},
        ),
    }

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
        "not_friday_reason",
        "title",
        "internal_notes",
    ]
    DEFAULT_START = datetime.time(14, 0)

    @admin.display(description=_("vecka"), ordering="starts_at")
    def week(self, obj):
        return obj.local_date.isocalendar().week

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        today = timezone.localdate()
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
        initial.setdefault(
            "organisations",
            [
                org.pk
                for org in Organisation.objects.filter(kind=Organisation.Kind.POLICE)
            ],
        )
        return initial


@admin.register(Finding)
class FindingAdmin(MunicipalityScopedAdmin):
    list_display = [
        "place",
        "category",
        "status",
        "fixed_on",
        "district",
        "responsible",
        "inventory",
    ]
    list_filter = ["status", "category", "district", "responsible"]
    list_select_related = ["district", "responsible", "inventory"]
    search_fields = ["place", "description"]
    autocomplete_fields = ["inventory"]
