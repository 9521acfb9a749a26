from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.admin import (
    CsvImportAdmin,
    MunicipalityScopedAdmin,
    PublishableAdmin,
    ScopedChoicesMixin,
    own_municipality,
)
from promises.models import (
    Activity,
    Municipality,
    Promise,
    belongs_to_user,
    for_user,
)
from promises.periods import quarter_of

from . import importing, workflows
from .models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)


class GoalInline(ScopedChoicesMixin, admin.StackedInline):
    """A commitment's goals for indicators, on the commitment's page. Stacked, so
    that each field's label stands above it on a phone."""

    model = Goal
    extra = 0
    verbose_name_plural = _("Mål för indikatorer (utgångsvärde och målvärde)")
    fields = [
        "indicator",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_by",
    ]


@admin.register(Indicator)
class IndicatorAdmin(MunicipalityScopedAdmin):
    """The municipality's indicators; shared definitions are superusers'."""

    list_display = [
        "name",
        "unit",
        "source",
        "higher_is_better",
        "hides_small_counts",
        "municipality",
    ]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "source"]
    filter_horizontal = ["commitments"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        municipality = form.base_fields.get("municipality")
        if municipality is not None and not request.user.is_superuser:
            municipality.required = True
            municipality.empty_label = None
        return form

    def get_changeform_initial_data(self, request):
        return {
            **own_municipality(request),
            **super().get_changeform_initial_data(request),
        }

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not belongs_to_user(obj, request.user):
            # A shared definition's links name every municipality's commitments.
            fields = [field for field in fields if field != "commitments"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.hides_small_counts and not request.user.is_superuser:
            # Once small counts are hidden, staff cannot show them after all.
            fields.append("hides_small_counts")
        return fields


@admin.register(IndicatorValue)
class IndicatorValueAdmin(CsvImportAdmin, MunicipalityScopedAdmin):
    list_display = ["indicator", "municipality", "district", "year", "quarter", "value"]
    list_filter = ["indicator", "municipality", "year", "quarter", "district"]
    list_select_related = ["indicator", "municipality", "district"]
    search_fields = ["indicator__name", "district__name"]
    change_list_template = "admin/reports/indicatorvalue/change_list.html"
    # The import (importera/, promises.admin.CsvImportAdmin).
    import_purpose = "indicators"
    import_help_text = _(
        "Kolumner: indikator, kommun, kommundel, år, värde (och enhet, källa, "
        "högre_är_bättre för nya indikatorer). Semikolon eller komma, "
        "decimalkomma går bra. Högst 5 MB."
    )
    import_title = _("Importera indikatorvärden från CSV")
    import_template = "admin/reports/import_indicators.html"

    # A published evaluation keeps the figures it was published with.
    def save_model(self, request, obj, form, change):
        workflows.freeze_published_evaluations([obj.municipality])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        workflows.freeze_published_evaluations([obj.municipality])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        workflows.freeze_published_evaluations(
            Municipality.objects.filter(pk__in=queryset.values("municipality"))
        )
        super().delete_queryset(request, queryset)

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def run_import(self, request, data: bytes, *, dry_run: bool):
        return importing.import_indicators(
            data,
            municipalities=list(for_user(Municipality.objects.all(), request.user)),
            dry_run=dry_run,
        )

    def import_done_message(self, result) -> str:
        counts = result.counts()
        return _("Importen är klar: %(new)d nya och %(changed)d ändrade värden.") % {
            "new": counts["ny"],
            "changed": counts["ändras"],
        }


class ReportChannelInline(admin.TabularInline):
    model = ReportChannel
    extra = 1


class DraftForm(forms.Form):
    promise = forms.ModelChoiceField(
        label=_("Medborgarlöfte"), queryset=Promise.objects.none()
    )
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2200)
    quarter = forms.TypedChoiceField(
        label=_("Kvartal"), choices=[(q, q) for q in range(1, 5)], coerce=int
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = for_user(
            Promise.objects.select_related("municipality"), user
        )


class RefreshDraftForm(forms.Form):
    """The button "Uppdatera utkastet med dagens uppgifter": which draft."""

    refresh = forms.ModelChoiceField(
        queryset=QuarterlyReport.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Välj utkastet som ska uppdateras."),
            "invalid_choice": _(
                "Utkastet finns inte längre, eller så saknar du behörighet."
            ),
        },
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refresh"].queryset = reports


def published_early(report: QuarterlyReport, today) -> str:
    """Why publishing the report today is early, in Swedish; empty once its
    quarter has ended."""
    if report.quarter_has_ended(today):
        return ""
    planned = (
        Activity.objects.filter(
            promise=report.promise_id,
            status=Activity.Status.PLANNED,
            starts_at__date__gte=today,
            starts_at__date__lte=report.ends_on,
        )
        .order_by()
        .count()
    )
    text = _(
        "Kvartal %(quarter)d %(year)d slutar först den %(end)s: det som görs "
        "resten av kvartalet kommer inte med i rapporten, och dess siffror "
        "gäller bara till i dag."
    ) % {
        "quarter": report.quarter,
        "year": report.year,
        "end": date_format(report.ends_on, "j F"),
    }
    if planned:
        text += " " + ngettext(
            "%(n)d aktivitet är planerad före kvartalets slut.",
            "%(n)d aktiviteter är planerade före kvartalets slut.",
            planned,
        ) % {"n": planned}
    return text


class QuarterlyReportForm(forms.ModelForm):
    publish_early = forms.BooleanField(
        label=_("Ja, publicera före kvartalets slut"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = QuarterlyReport
        fields = "__all__"  # noqa: DJ007 - the admin's fields choose

    def clean(self):
        cleaned_data = super().clean()
        publishing = (
            cleaned_data.get("status") == QuarterlyReport.Status.PUBLISHED
            and not self.instance.is_published
        )
        if not publishing or cleaned_data.get("publish_early"):
            return cleaned_data
        report = QuarterlyReport(
            promise=cleaned_data.get("promise") or self.instance.promise,
            year=cleaned_data.get("year"),
            quarter=cleaned_data.get("quarter"),
        )
        if report.year and report.quarter in range(1, 5):
            early = published_early(report, timezone.localdate())
            if early:
                self.fields["publish_early"].widget = forms.CheckboxInput()
                self.add_error(
                    "publish_early",
                    early + " " + _("Kryssa i rutan för att publicera ändå."),
                )
        return cleaned_data


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(PublishableAdmin, MunicipalityScopedAdmin):
    list_display = ["title", "promise", "year", "quarter", "status", "published_at"]
    list_filter = ["status", "promise__municipality", "year", "quarter"]
    list_select_related = ["promise"]
    search_fields = ["title", "body"]
    inlines = [ReportChannelInline]
    form = QuarterlyReportForm
    fields = [
        "promise",
        "year",
        "quarter",
        "title",
        "body",
        "figures_as_of",
        "status",
        "publish_early",
        "published_at",
    ]
    change_list_template = "admin/reports/quarterlyreport/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "figures_as_of"]

    def publish_object(self, obj: QuarterlyReport) -> None:
        """The action "Publicera" leaves a report of a quarter not yet over:
        its page asks first."""
        early = published_early(obj, timezone.localdate())
        if early:
            raise ValidationError(
                early
                + " "
                + _(
                    "Öppna rapporten och publicera den där om den ska ut före "
                    "kvartalets slut."
                )
            )
        super().publish_object(obj)

    def get_urls(self):
        return [
            path(
                "skapa-utkast/",
                self.admin_site.admin_view(self.build_draft_view),
                name="reports_quarterlyreport_build_draft",
            ),
            *super().get_urls(),
        ]

    def build_draft_view(self, request):
        """ "Skapa utkast": the quarter's report written from the data, to edit. A
        quarter that has a draft already offers to update it from today's data; one
        with a published report says so."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "refresh" in request.POST:
            return self.refresh_draft(request)
        form = self.draft_form(request, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if not self.existing_report(request, form):
                try:
                    report = workflows.build_report_draft(
                        data["promise"], year=data["year"], quarter=data["quarter"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        _("Utkastet är skapat. Läs igenom, redigera och publicera."),
                        messages.SUCCESS,
                    )
                    return redirect(self.change_url(report))
        return self.draft_page(request, form)

    def refresh_draft(self, request):
        """The existing draft written again from today's data; a published report
        is refused."""
        refresh = RefreshDraftForm(request.POST, reports=self.get_queryset(request))
        if not refresh.is_valid():
            return self.draft_page(
                request, self.draft_form(request), errors=refresh.errors["refresh"]
            )
        report = refresh.cleaned_data["refresh"]
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        try:
            changed = workflows.refresh_report_draft(report=report)
        except ValidationError as error:
            form = self.draft_form(
                request,
                initial={
                    "promise": report.promise_id,
                    "year": report.year,
                    "quarter": report.quarter,
                },
            )
            return self.draft_page(request, form, errors=error.messages)
        self.message_user(
            request,
            _("Utkastet är uppdaterat med dagens uppgifter. Läs igenom och publicera.")
            if changed
            else _("Utkastet stämde redan med dagens uppgifter."),
            messages.SUCCESS,
        )
        return redirect(self.change_url(report))

    def draft_form(self, request, data=None, *, initial=None) -> DraftForm:
        """The form, for this quarter of the user's one current promise unless
        `initial` says otherwise."""
        if initial is None:
            today = timezone.localdate()
            year, quarter = quarter_of(today)
            initial = {"year": year, "quarter": quarter}
            promises = for_user(Promise.objects.all(), request.user)
            current = [p.pk for p in promises if p.contains(today)]
            if len(current) == 1:
                initial["promise"] = current[0]
        return DraftForm(data, user=request.user, initial=initial)

    def existing_report(self, request, form: DraftForm) -> QuarterlyReport | None:
        """The report of the quarter chosen in the form (or offered by it), if
        the quarter has one."""
        if form.is_bound:
            if not form.is_valid():
                return None
            data = form.cleaned_data
            promise_id = data["promise"].pk
        else:
            data = form.initial
            promise_id = data.get("promise")
            if promise_id is None:
                return None
        return (
            self.get_queryset(request)
            .filter(promise_id=promise_id, year=data["year"], quarter=data["quarter"])
            .first()
        )

    def change_url(self, report: QuarterlyReport) -> str:
        return reverse("admin:reports_quarterlyreport_change", args=[report.pk])

    def draft_page(self, request, form: DraftForm, *, errors=()):
        existing = self.existing_report(request, form)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Skapa utkast till kvartalsrapport"),
            "form": form,
            "opts": self.opts,
            "errors": list(errors),
            "existing": existing,
            "existing_url": self.change_url(existing) if existing else None,
            "can_refresh": existing is not None
            and not existing.is_published
            and self.has_change_permission(request, existing),
        }
        return TemplateResponse(request, "admin/reports/build_draft.html", context)


class CommitmentOutcomeInline(ScopedChoicesMixin, admin.TabularInline):
    model = CommitmentOutcome
    extra = 0
    fields = ["commitment", "outcome", "comment"]


class EvaluationDraftForm(forms.Form):
    promise = forms.ModelChoiceField(
        label=_("medborgarlöfte"),
        queryset=Promise.objects.none(),
        error_messages={
            "required": _("Välj medborgarlöftet som ska utvärderas."),
            "invalid_choice": _("Välj ett av dina publicerade medborgarlöften."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = for_user(
            Promise.objects.published().select_related("municipality"), user
        ).order_by("-year", "municipality__name")


@admin.register(Evaluation)
class EvaluationAdmin(PublishableAdmin, MunicipalityScopedAdmin):
    list_display = ["promise", "status", "published_at"]
    list_filter = ["status", "promise__municipality"]
    list_select_related = ["promise"]
    inlines = [CommitmentOutcomeInline]
    fields = ["promise", "summary", "method", "lessons", "status", "published_at"]
    change_list_template = "admin/reports/evaluation/change_list.html"

    def get_urls(self):
        return [
            path(
                "skapa-utkast/",
                self.admin_site.admin_view(self.build_draft_view),
                name="reports_evaluation_build_draft",
            ),
            *super().get_urls(),
        ]

    def build_draft_view(self, request):
        """ "Skapa utkast": the evaluation written from the data, to edit."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        form = EvaluationDraftForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                evaluation = workflows.build_evaluation_draft(
                    form.cleaned_data["promise"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Utkastet är skapat. Läs igenom, redigera och publicera."),
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:reports_evaluation_change", args=[evaluation.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Skapa utkast till utvärderingen"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/reports/evaluation/build_draft.html", context
        )

    def publish_object(self, obj: Evaluation) -> None:
        workflows.publish_evaluation(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        workflows.freeze_evaluation(form.instance)  # published now: today's figures
