import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises import admin as promises_admin
from promises.admin import MunicipalityScopedAdmin
from promises.models import (
    District,
    Municipality,
    Organisation,
    Priority,
    StagedUpload,
    for_user,
)
from promises.periods import quarter_of

from .. import counts, importing
from .. import incident_picture as lagesbild
from ..models import IncidentCategory, IncidentReport, Reporter

LAGESBILD_PERMISSION = "incidents.view_lagesbild"
PUBLISH_COUNTS_PERMISSION = "incidents.publish_counts"


def reads_lagesbild(user) -> bool:
    """Staff of the municipality and the police; a partner reads only their own."""
    return user.has_perm(LAGESBILD_PERMISSION)


def reporter_of(user) -> Reporter | None:
    return Reporter.objects.filter(user=user).select_related("organisation").first()


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "municipality", "order", "is_active"]
    list_filter = ["is_active", "municipality"]
    fields = ["name", "municipality", "order", "is_active"]

    def get_changeform_initial_data(self, request):
        return {
            **promises_admin.own_municipality(request),
            **super().get_changeform_initial_data(request),
        }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A shared category (no municipality) is for superusers to add.
        if db_field.name == "municipality" and not request.user.is_superuser:
            field.required = True
            field.empty_label = None
        return field


@admin.register(Reporter)
class ReporterAdmin(MunicipalityScopedAdmin):
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


IMPORT_PURPOSE = "incidents"


class ImportForm(forms.Form):
    """Choose a file (the preview), then confirm the upload kept on the server."""

    file = forms.FileField(
        label=_("CSV-fil"),
        required=False,
        help_text=_(
            "Kolumner: datum, kommundel, kategori, typ_av_plats (och plats, "
            "tid_på_dygnet, antal, anteckning). Semikolon eller komma. Högst 5 MB."
        ),
    )
    upload = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned_data = super().clean()
        file = cleaned_data.get("file")
        if file:
            if file.size > importing.MAX_BYTES:
                raise ValidationError(_("Filen är för stor (högst 5 MB)."))
            cleaned_data["staged"] = StagedUpload.stage(
                self.user, IMPORT_PURPOSE, file.name, file.read()
            )
        elif cleaned_data.get("upload"):
            staged = StagedUpload.find(
                self.user, IMPORT_PURPOSE, cleaned_data["upload"]
            )
            if staged is None:
                raise ValidationError(_("Filen finns inte kvar. Välj filen igen."))
            cleaned_data["staged"] = staged
        else:
            raise ValidationError(_("Välj en CSV-fil."))
        return cleaned_data


ALL_FINISHED = 0


class PublishCountsForm(forms.Form):
    """The year's counts per district and category to publish as indicators."""

    quarter = forms.TypedChoiceField(label=_("Kvartal"), coerce=int)
    categories = forms.ModelMultipleChoiceField(
        label=_("Kategorier"),
        queryset=IncidentCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en kategori.")},
    )

    def __init__(self, *args, municipality, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.finished = counts.finished_quarters(year)
        self.fields["quarter"].choices = [
            (ALL_FINISHED, _("Alla avslutade kvartal")),
            *(
                (
                    q,
                    _("Kvartal %(quarter)d") % {"quarter": q}
                    if q in self.finished
                    else _("Kvartal %(quarter)d (inte slut)") % {"quarter": q},
                )
                for q in range(1, 5)
            ),
        ]
        categories = lagesbild.categories_of(municipality)
        self.fields["categories"].queryset = categories
        self.fields["categories"].initial = [c.pk for c in categories if c.is_active]

    def clean_quarter(self):
        quarter = self.cleaned_data["quarter"]
        if quarter == ALL_FINISHED:
            if not self.finished:
                raise ValidationError(
                    _("Inget kvartal %(year)d är slut ännu.") % {"year": self.year}
                )
            return self.finished
        if quarter not in self.finished:
            raise ValidationError(
                _(
                    "Kvartal %(quarter)d %(year)d är inte slut ännu. Bara avslutade "
                    "kvartal kan publiceras."
                )
                % {"quarter": quarter, "year": self.year}
            )
        return [quarter]


@admin.register(IncidentReport)
class IncidentReportAdmin(MunicipalityScopedAdmin):
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if reads_lagesbild(request.user) or not self.has_view_or_change_permission(
            request
        ):
            return queryset  # staff of no role: a 403, as on every page
        return queryset.correctable_by(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            reads_lagesbild(request.user) or reporter_of(request.user) is not None
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
        if reads_lagesbild(request.user):
            fields.append("organisation")
        return fields

    def get_list_filter(self, request):
        if reads_lagesbild(request.user):
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
        if reads_lagesbild(request.user):
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
        if not reads_lagesbild(request.user):
            obj.organisation = reporter_of(request.user).organisation
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not reads_lagesbild(request.user) and obj is None:
            reporter = reporter_of(request.user)

            class ReporterForm(form):
                def instance_organisation(self):
                    return reporter.organisation if reporter else None

            return ReporterForm
        return form

    # --- The weekly lägesbild -----------------------------------------------------

    def get_urls(self):
        return [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_view),
                name="incidents_incidentreport_import",
            ),
            path(
                "lagesbild/",
                self.admin_site.admin_view(self.lagesbild_view),
                name="incidents_incidentreport_lagesbild",
            ),
            path(
                "lagesbild/ar/",
                self.admin_site.admin_view(self.yearly_view),
                name="incidents_incidentreport_yearly",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "reads_lagesbild": reads_lagesbild(request.user),
            "may_import": self.has_add_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload, preview (nothing saved), then import all rows or none."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(
            request.POST or None, request.FILES or None, user=request.user
        )
        result = None
        if request.method == "POST" and form.is_valid():
            staged = form.cleaned_data["staged"]
            confirm = "confirm" in request.POST and not form.cleaned_data["file"]
            result = importing.import_reports(
                bytes(staged.content), user=request.user, dry_run=not confirm
            )
            if result.applied or not result.ok:  # done, or nothing to confirm
                staged.delete()
            if result.applied:
                self.message_user(
                    request,
                    ngettext(
                        "Importen är klar: %(count)d händelse.",
                        "Importen är klar: %(count)d händelser.",
                        len(result.reports),
                    )
                    % {"count": len(result.reports)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:incidents_incidentreport_changelist"))
            form = ImportForm(initial={"upload": staged.pk}, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importera händelser från CSV"),
            "form": form,
            "result": result,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/incidents/incidentreport/import.html", context
        )

    def _municipalities(self, request):
        """The user's municipalities and the one chosen (?kommun=), or a response:
        a 403 for those who may not read the lägesbild."""
        if not reads_lagesbild(request.user):
            raise PermissionDenied
        municipalities = list(
            for_user(Municipality.objects.order_by("name"), request.user)
        )
        if not municipalities:
            return municipalities, None
        chosen = request.GET.get("kommun")
        municipality = next(
            (m for m in municipalities if str(m.pk) == chosen), municipalities[0]
        )
        return municipalities, municipality

    def yearly_view(self, request):
        """The year per district and category with the priorities chosen: the
        lägesbild the action plan of lag (2023:196) starts from."""
        municipalities, municipality = self._municipalities(request)
        if municipality is None:
            return promises_admin.no_municipality_response(request, self.admin_site)
        today = timezone.localdate()
        try:
            year = int(request.GET.get("ar", today.year))
            if not 2000 <= year <= 2200:
                raise ValueError
        except ValueError:
            year = today.year
        publish_form = None
        if request.user.has_perm(PUBLISH_COUNTS_PERMISSION):
            if request.method == "POST" and str(municipality.pk) != request.GET.get(
                "kommun"
            ):
                raise Http404(_("Kommunen finns inte, eller så saknar du behörighet."))
            publish_form = PublishCountsForm(
                request.POST if request.method == "POST" else None,
                municipality=municipality,
                year=year,
            )
            if publish_form.is_valid():
                try:
                    return self._publish_counts(
                        request, municipality, year, publish_form
                    )
                except ValidationError as error:
                    publish_form.add_error(None, error)
        elif request.method == "POST":
            raise PermissionDenied
        picture = lagesbild.yearly_picture(municipality, year)
        if request.GET.get("format") == "csv":
            return yearly_csv_response(picture)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lägesbild %(year)d, %(municipality)s")
            % {"year": year, "municipality": municipality},
            "opts": self.model._meta,
            "picture": picture,
            "municipalities": municipalities,
            "publish_form": publish_form,
        }
        return TemplateResponse(
            request, "admin/incidents/incidentreport/yearly.html", context
        )

    def _publish_counts(self, request, municipality, year, form):
        quarters = form.cleaned_data["quarter"]
        categories = form.cleaned_data["categories"]
        published = counts.publish_counts(municipality, year, quarters, categories)
        self.message_user(
            request,
            ngettext(
                "Publicerat som indikator: antal per kommundel för kvartal "
                "%(quarters)s %(year)d, %(count)d kategori (%(names)s). Antal under "
                "5 visas publikt som ”färre än 5”.",
                "Publicerat som indikatorer: antal per kommundel för kvartal "
                "%(quarters)s %(year)d, %(count)d kategorier (%(names)s). Antal "
                "under 5 visas publikt som ”färre än 5”.",
                len(published.indicators),
            )
            % {
                "quarters": ", ".join(map(str, published.quarters)),
                "year": year,
                "count": len(published.indicators),
                "names": ", ".join(c.name for c in categories),
            },
            messages.SUCCESS,
        )
        return redirect(
            reverse("admin:incidents_incidentreport_yearly")
            + f"?kommun={municipality.pk}&ar={year}"
        )

    def lagesbild_view(self, request):
        municipalities, municipality = self._municipalities(request)
        if municipality is None:
            return promises_admin.no_municipality_response(request, self.admin_site)
        monday = lagesbild.parse_week(request.GET.get("vecka"), timezone.localdate())
        picture = lagesbild.weekly_picture(municipality, monday)
        if request.GET.get("format") == "csv":
            return csv_response(picture)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lägesbild vecka %(week)d, %(municipality)s")
            % {"week": picture.week_number, "municipality": municipality},
            "opts": self.model._meta,
            "picture": picture,
            "municipalities": municipalities,
            "weeks_before": lagesbild.WEEKS_BEFORE,
        }
        return TemplateResponse(
            request, "admin/incidents/incidentreport/lagesbild.html", context
        )


def csv_response(picture: lagesbild.WeeklyPicture) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lagesbild-{picture.municipality.slug}-'
        f'{picture.week}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 with the mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("vecka"),
            _("kommundel"),
            _("kategori"),
            _("antal"),
            _("snitt föregående 4 veckor"),
            _("förändring"),
        ]
    )
    for row in picture.rows:
        for category, cell in zip(picture.categories, row.cells, strict=True):
            writer.writerow(
                [
                    picture.week,
                    row.district.name,
                    category.name,
                    cell.count,
                    f"{cell.mean:.2f}",
                    f"{cell.change:.2f}",
                ]
            )
    return response


def yearly_csv_response(picture: lagesbild.YearlyPicture) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lagesbild-{picture.municipality.slug}-'
        f'{picture.year}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("år"),
            _("kommundel"),
            _("kategori"),
            _("antal"),
            _("prioriterad kvartal"),
            _("varför prioriterad"),
        ]
    )
    for row in picture.rows:
        quarters = ", ".join(str(p.quarter) for p in row.priorities)
        reasons = " | ".join(p.reason for p in row.priorities)
        for category, count in row.cells:
            writer.writerow(
                [
                    picture.year,
                    row.district.name,
                    category.name,
                    count,
                    quarters,
                    reasons,
                ]
            )
    return response


def deployment_lagesbild_link(deployment):
    """The Friday deployment's week's lägesbild (a hook of promises.admin)."""
    if deployment is None or deployment.pk is None:
        return None
    monday = lagesbild.monday_of(deployment.local_date)
    url = reverse("admin:incidents_incidentreport_lagesbild")
    return (
        _("Lägesbild vecka %(week)d") % {"week": monday.isocalendar().week},
        f"{url}?kommun={deployment.promise.municipality_id}"
        f"&vecka={lagesbild.week_label(monday)}",
    )


promises_admin.DEPLOYMENT_LINKS.append(deployment_lagesbild_link)


def next_quarter(today) -> tuple[int, int]:
    year, quarter = quarter_of(today)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@admin.register(Priority)
class PriorityAdmin(MunicipalityScopedAdmin):
    """The coordinator chooses a quarter's districts with the lägesbild's figures
    and the survey beside the choice; the figures are kept with the choice.
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
            **promises_admin.own_municipality(request),
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
            first_day = Priority(year=year, quarter=quarter).first_day
        except (Municipality.DoesNotExist, ValueError, TypeError):
            return None
        return lagesbild.quarter_evidence(municipality, first_day, timezone.localdate())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {
            **(extra_context or {}),
            "evidence": self._evidence(request, obj),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change or {"district", "year", "quarter"} & set(form.changed_data):
            evidence = lagesbild.quarter_evidence(
                obj.municipality, obj.first_day, timezone.localdate()
            )
            figures = evidence.of(obj.district)
            obj.evidence = figures.summary(evidence.first, evidence.last)
        super().save_model(request, obj, form, change)
