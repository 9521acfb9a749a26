"""Activities: the coordinator's form for every kind, with the findings, the
topics or the operational lägesbild of its kind."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .. import rollups
from ..models import (
    POLICE_LOGGED_KINDS,
    Activity,
    ActivityKind,
    Commitment,
    OperationalPicture,
    for_user,
    kind_label,
)
from .base import MunicipalityScopedAdmin
from .dialogue import DialogueTopicInline
from .inventory import FindingInline
from .quick_forms import quick_fieldsets, quick_initial, quick_kind

# Links a deployment's page shows to what other apps make of its week (the
# incidents app: its week's incident picture): callables of the deployment that
# return (text, url) or None. A hook, so that promises imports no higher app; the
# app that has a link registers it in its AppConfig.ready().
DEPLOYMENT_LINKS: list[Callable[[Activity], tuple[str, str] | None]] = []


def register_deployment_link(
    link: Callable[[Activity], tuple[str, str] | None],
) -> None:
    """Let a deployment's page show `link(deployment)`: (text, url) or None."""
    if link not in DEPLOYMENT_LINKS:
        DEPLOYMENT_LINKS.append(link)


def deployment_links(obj):
    """The DEPLOYMENT_LINKS of a saved deployment, as a read-only field."""
    links = [link for hook in DEPLOYMENT_LINKS if (link := hook(obj))]
    if not links:
        return "–"
    return format_html_join(" ", '<a href="{1}">{0}</a>', links)


class OperationalPictureInline(admin.StackedInline):
    """Shown only to those allowed to read the lägesbild (its model permissions)."""

    model = OperationalPicture
    verbose_name_plural = _("Operativ lägesbild – sekretess, visas aldrig publikt")
    extra = 1
    max_num = 1
    can_delete = False


def deployments_in_week(promise, day, exclude_pk=None):
    """The promise's deployments, not cancelled, in the ISO week of `day`."""
    return (
        Activity.objects.filter(promise=promise, kind=ActivityKind.DEPLOYMENT)
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk=exclude_pk)
        .in_week_of(day)
        .order_by("starts_at")
    )


def week_already_has(deployments, day):
    """ "Vecka 49 har redan en utsättning: <the link>." in Swedish."""
    links = format_html_join(
        ", ",
        '<a href="{}">{} {}</a>',
        (
            (
                reverse("admin:promises_fridaydeployment_change", args=[d.pk]),
                d.title,
                formats.date_format(d.local_date, "l j F"),
            )
            for d in deployments
        ),
    )
    return format_html(
        _("Vecka {week} har redan en utsättning: {links}."),
        week=day.isocalendar().week,
        links=links,
    )


class ActivityForm(forms.ModelForm):
    # Shown when the week already has a deployment: a second one is saved only
    # if the user says so (issue 22: "10 utsättningar" beside 9 weeks).
    second_in_week = forms.BooleanField(
        label=_("Ja, spara en andra utsättning samma vecka"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "commitments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "commitments": _(
                "Bara de valda åtagandenas mål räknar aktiviteten. Lämnas det tomt "
                "och har ett enda åtagande i löftet ett mål för typen väljs det; "
                "har flera det, välj själv."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A saved activity's commitments are its promise's: the choices too.
        if self.instance.promise_id and "commitments" in self.fields:
            field = self.fields["commitments"]
            field.queryset = field.queryset.filter(promise=self.instance.promise_id)

    def save(self, commit=True):
        if not commit:  # the admin: save_model() and save_related() to follow
            return super().save(commit=False)
        with rollups.deferred():  # the days once for the activity and its links
            return super().save()

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
        self.clean_commitments_of(promise, self._kind(cleaned_data))
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
        self._check_second_deployment_in_week(cleaned_data)
        return cleaned_data

    def _check_second_deployment_in_week(self, cleaned_data) -> None:
        promise, starts_at = cleaned_data.get("promise"), cleaned_data.get("starts_at")
        kind = cleaned_data.get("kind") or self.instance.kind
        if (
            kind != ActivityKind.DEPLOYMENT
            or not (promise and starts_at)
            or cleaned_data.get("status") == Activity.Status.CANCELLED
            or cleaned_data.get("second_in_week")
        ):
            return
        day = timezone.localdate(starts_at)
        others = list(deployments_in_week(promise, day, self.instance.pk))
        if others:
            self.fields["second_in_week"].widget = forms.CheckboxInput()
            self.add_error(
                "second_in_week",
                format_html(
                    "{} {}",
                    week_already_has(others, day),
                    _(
                        "Är det en andra utsättning samma vecka? Kryssa i rutan och "
                        "spara igen. Annars: ändra den som redan finns."
                    ),
                ),
            )

    def _kind(self, cleaned_data) -> str | None:
        return cleaned_data.get("kind") or self.instance.kind or None

    def clean_commitments_of(self, promise, kind) -> None:
        """The commitments the activity delivers: the promise's own; none chosen,
        the one commitment whose target counts the kind, if just one has such a
        target (several: the user chooses; there is no guess)."""
        if "commitments" not in self.fields or promise is None:
            return
        chosen = self.cleaned_data.get("commitments")
        if chosen is None:  # refused already
            return
        if any(c.promise_id != promise.pk for c in chosen):
            self.add_error(
                "commitments",
                _("Välj bara åtaganden i %(promise)s.") % {"promise": promise},
            )
            return
        if chosen or not kind:
            return
        counting = list(Commitment.objects.filter(promise=promise).counting(kind))
        if len(counting) == 1:
            self.cleaned_data["commitments"] = counting
        elif counting:
            self.add_error(
                "commitments",
                _(
                    "Flera åtaganden i löftet har ett mål för %(kind)s: %(titles)s. "
                    "Välj vilket eller vilka aktiviteten genomför."
                )
                % {
                    "kind": str(kind_label(kind)).lower(),
                    "titles": ", ".join(f"”{c.title}”" for c in counting),
                },
            )


class ActivityAdminBase(MunicipalityScopedAdmin):
    form = ActivityForm
    list_select_related = ["promise__municipality"]
    search_fields = ["title", "summary", "internal_notes"]
    # The list is long (docs/performance.md): count each filtered list once, not
    # the whole table again for "of N in all", and render 50 rows a page, not 100.
    show_full_result_count = False
    list_per_page = 50

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The activity's days (promises/rollups.py) refreshed once for the save
        and each of its links, at the end, rather than at each of them."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with rollups.deferred():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_queryset(self, request, queryset):
        with rollups.deferred():  # each day once, however many of its activities
            super().delete_queryset(request, queryset)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("districts", "commitments")
        )

    @admin.display(description=_("kommundelar"))
    def district_names(self, obj):
        return ", ".join(district.name for district in obj.districts.all())

    @admin.display(description=_("åtaganden"))
    def commitment_titles(self, obj):
        return ", ".join(c.title for c in obj.commitments.all()) or "–"

    @admin.display(description=_("datum"), ordering="starts_at")
    def local_date(self, obj):
        return obj.local_date

    @admin.display(description=_("löfte"), ordering="promise")
    def promise_short(self, obj):
        """ "Haninge 2026": the list fits a desk's 1366 px beside the commitments."""
        return f"{obj.promise.municipality.name} {obj.promise.year}"


@admin.register(Activity)
class ActivityAdmin(ActivityAdminBase):
    list_display = [
        "title",
        "kind",
        "status",
        "local_date",
        "district_names",
        "commitment_titles",
        # The publication level is a filter, and on each activity's page: the
        # list fits a desk's 1366 px with the commitments (test_desk_widths.py).
        "promise_short",
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
        "commitments",
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
            {"fields": ["not_friday_reason", "second_in_week", "week_links"]},
        ),
    }

    readonly_fields = ["week_links"]

    @admin.display(description=_("veckans underlag"))
    def week_links(self, obj):
        return deployment_links(obj)

    def _kind(self, request, obj):
        return obj.kind if obj else request.GET.get("kind")

    def get_changeform_initial_data(self, request):
        """A quick form's defaults (?kind=…: quick_forms.py); then, from a link
        (?promise=…&kind=…) or those defaults, the one commitment whose target
        counts the kind, shown chosen, if just one has such a target."""
        initial = super().get_changeform_initial_data(request)
        quick = self._quick_kind(request, None)
        if quick:
            initial = {**quick_initial(request, quick), **initial}
        promise, kind = initial.get("promise"), initial.get("kind")
        if promise and kind and "commitments" not in initial:
            counting = for_user(
                Commitment.objects.filter(promise=promise).counting(kind),
                request.user,
            )
            if len(counting) == 1:
                initial["commitments"] = [counting[0].pk]
        return initial

    def may_log_any_kind(self, request):
        return request.user.has_perm("promises.log_any_activity_kind")

    def _quick_kind(self, request, obj) -> str | None:
        """The kind of the add page's quick form, if the user may log that kind."""
        kind = quick_kind(request, obj)
        if kind in POLICE_LOGGED_KINDS or self.may_log_any_kind(request):
            return kind
        return None

    def get_fieldsets(self, request, obj=None):
        kind = self._kind(request, obj)
        if self._quick_kind(request, obj):
            return quick_fieldsets(kind)
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
                        "commitments",
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
        kind = self._quick_kind(request, obj)
        if kind and "kind" in form.base_fields:
            # The quick form's kind is its address's: not shown, not changed.
            field = form.base_fields["kind"]
            field.widget, field.disabled, field.initial = (
                forms.HiddenInput(),
                True,
                kind,
            )
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
