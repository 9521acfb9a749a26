"""What every model admin of every app shares: scoping by municipality (lists,
objects, choices, filters, history), read-only history, publishing, and the
page for staff linked to no municipality."""

import copy
import json
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Activity,
    KindField,
    Municipality,
    Publishable,
    belongs_to_user,
    for_user,
    own_kind_choices,
)
from .concurrency import ConcurrentEditAdmin


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


# A form's own fields that choose kinds (TargetForm, CommitmentWithTargetForm).
KIND_CHOICE_FIELDS = ["other_kinds", "target_kind"]


def with_own_kinds(form_class, request):
    """The form's own kind fields with the user's municipalities' own kinds
    among their choices, in copies (the declared fields are shared)."""
    own = None
    for name in KIND_CHOICE_FIELDS:
        field = form_class.base_fields.get(name)
        if field is None:
            continue
        if own is None:
            own = own_kind_choices(request.user)
        field = copy.deepcopy(field)
        field.choices = [*field.choices, *own]
        form_class.base_fields[name] = field
    return form_class


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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """A kind: the built-in kinds and the user's municipalities' own."""
        if isinstance(db_field, KindField) and "choices" not in kwargs:
            kwargs["choices"] = [
                *db_field.get_choices(include_blank=db_field.blank),
                *own_kind_choices(request.user),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        return with_own_kinds(super().get_form(request, obj, **kwargs), request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_own_kinds(formset.form, request)
        return formset

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def has_kind_field(model_admin) -> bool:
    try:
        field = model_admin.model._meta.get_field("kind")
    except FieldDoesNotExist:
        return False
    return isinstance(field, KindField)


def kind_column(request):
    """The list's "typ" column: built-in labels, and the own kinds' names read
    once for the page."""
    names = {}

    @admin.display(description=_("typ"), ordering="kind")
    def kind(obj):
        if obj.kind not in names:
            names.update(
                {str(value): str(label) for value, label in Activity.Kind.choices}
            )
            names.update(own_kind_choices(request.user))
        return names.get(obj.kind, obj.kind)

    return kind


class KindListFilter(admin.ChoicesFieldListFilter):
    """The kinds to filter by: built in, and the user's municipalities' own."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.own = own_kind_choices(request.user)
        super().__init__(field, request, params, model, model_admin, field_path)

    def choices(self, changelist):
        yield from super().choices(changelist)
        for code, name in self.own:
            yield {
                "selected": code in (self.lookup_val or []),
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg: code}, [self.lookup_kwarg_isnull]
                ),
                "display": name,
            }


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


class InlineAdminFormSet(helpers.InlineAdminFormSet):
    """The button under an inline reads "Lägg till ytterligare iakttagelse": the
    model's name in the middle of a sentence, not capitalised as Django's
    capfirst() makes it ("ytterligare Iakttagelse")."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = gettext("Add another %(verbose_name)s") % {
            "verbose_name": self.opts.verbose_name
        }
        return json.dumps(data)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is for reading: a past version's page never saves anything.

    (And its inlines' buttons in lower case: InlineAdminFormSet.)"""

    def get_inline_formsets(self, *args, **kwargs):
        formsets = super().get_inline_formsets(*args, **kwargs)
        for formset in formsets:
            formset.__class__ = InlineAdminFormSet  # a subclass: one method more
        return formsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class MunicipalityScopedAdmin(
    ConcurrentEditAdmin, ScopedChoicesMixin, ReadOnlyHistoryAdmin
):
    """Each user sees only the objects of their own municipalities (superusers: all),
    and a save of what someone else changed meanwhile is refused (concurrency.py).

    An object of another municipality is a 404 in every view: change, delete and
    history alike; autocomplete uses get_queryset and is narrowed the same way.
    """

    def get_queryset(self, request):
        return for_user(super().get_queryset(request), request.user)

    def get_list_display(self, request):
        """A kind column names the municipality's own kinds too (one query for
        the page, and only when it lists one)."""
        return [
            kind_column(request) if name == "kind" and has_kind_field(self) else name
            for name in super().get_list_display(request)
        ]

    def get_list_filter(self, request):
        return [
            ("kind", KindListFilter)
            if name == "kind" and has_kind_field(self)
            else name
            for name in super().get_list_filter(request)
        ]

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


# Previews of drafts: a Publishable model -> render(request, obj, preview) that
# returns its public page as it will look, with `preview` (a dict: the link
# back) in the template's context. A hook, so that promises imports no higher
# app: the public app, which draws the pages, registers them in its
# AppConfig.ready().
PREVIEWS: dict[type, Callable] = {}


def register_preview(model: type, render: Callable) -> None:
    """Let "Visa på webbplats" on a draft of `model` show `render`'s page."""
    PREVIEWS.setdefault(model, render)


class PublishableAdmin(admin.ModelAdmin):
    """The admin's side of publishing (models.Publishable): the status may be
    changed only with the permission `publish_<model>`, the publication time is
    stamped, never typed, and the action "Publicera" publishes the chosen drafts,
    each validated first.

    "Visa på webbplats" goes to the public page once published, and before that
    to a preview of it (PREVIEWS): for the staff who may see the draft only,
    never cached, marked as a preview."""

    actions = ["publish"]

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/forhandsvisning/",
                # admin_view: staff only, and never_cache (private, no-store).
                self.admin_site.admin_view(self.preview_view),
                name=f"{opts.app_label}_{opts.model_name}_preview",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        if obj.is_published or self.model not in PREVIEWS:
            return obj.get_absolute_url()
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_preview",
            args=[obj.pk],
        )

    def preview_view(self, request, object_id):
        # get_object(): another municipality's draft is a 404.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or self.model not in PREVIEWS:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.opts
        preview = {
            "back": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
            ),
            "published": obj.is_published,
        }
        response = PREVIEWS[self.model](request, obj, preview)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def has_publish_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "published_at"]
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    def publish_object(self, obj: Publishable) -> None:
        """Publish one draft; a model whose publishing touches more than the
        object names its workflow here. Raises ValidationError when invalid."""
        obj.publish()

    @admin.action(description=_("Publicera"), permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for obj in queryset.filter(status=Publishable.Status.DRAFT):
            try:
                self.publish_object(obj)
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
