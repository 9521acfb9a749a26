"""The incident pictures (incidents/incident_picture.py) on the staff's pages: the
week's (`lagesbild/`) and the year's (`lagesbild/ar/`) of a municipality, as pages
and as CSV, publishing the year's counts as indicators, and the link from a Friday
deployment's page to its week's. Only for those with the permission to read them:
the municipality's staff and the police, never a partner."""

import decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.admin import no_municipality_response
from promises.csv_files import CsvWriter
from promises.models import Municipality, for_user

from .. import counts, incident_picture
from ..models import IncidentCategory

# The permission's codename predates the name "incident picture".
INCIDENT_PICTURE_PERMISSION = "incidents.view_lagesbild"
PUBLISH_COUNTS_PERMISSION = "incidents.publish_counts"


def reads_incident_picture(user) -> bool:
    """Staff of the municipality and the police; a partner reads only their own."""
    return user.has_perm(INCIDENT_PICTURE_PERMISSION)


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
        categories = incident_picture.categories_of(municipality)
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


class IncidentPictureViews:
    """The incident pictures' pages, for the incident reports' model admin."""

    def get_urls(self):
        return [
            path(
                "lagesbild/",
                self.admin_site.admin_view(self.weekly_view),
                name="incidents_incidentreport_lagesbild",
            ),
            path(
                "lagesbild/ar/",
                self.admin_site.admin_view(self.yearly_view),
                name="incidents_incidentreport_yearly",
            ),
            *super().get_urls(),
        ]

    def _municipalities(self, request):
        """The user's municipalities and the one chosen (?kommun=), or a response:
        a 403 for those who may not read the incident picture."""
        if not reads_incident_picture(request.user):
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
        incident picture the action plan of lag (2023:196) starts from."""
        municipalities, municipality = self._municipalities(request)
        if municipality is None:
            return no_municipality_response(request, self.admin_site)
        today = timezone.localdate()
        try:
            year = int(request.GET.get("ar", today.year))
            if year not in incident_picture.YEARS:
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
        picture = incident_picture.yearly_picture(municipality, year)
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
            # A district × category table: the whole width, without the menu.
            "is_nav_sidebar_enabled": False,
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

    def weekly_view(self, request):
        municipalities, municipality = self._municipalities(request)
        if municipality is None:
            return no_municipality_response(request, self.admin_site)
        monday = incident_picture.parse_week(
            request.GET.get("vecka"), timezone.localdate()
        )
        picture = incident_picture.weekly_picture(municipality, monday)
        if request.GET.get("format") == "csv":
            return weekly_csv_response(picture)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lägesbild vecka %(week)d, %(municipality)s")
            % {"week": picture.week_number, "municipality": municipality},
            "opts": self.model._meta,
            "picture": picture,
            "municipalities": municipalities,
            "weeks_before": incident_picture.WEEKS_BEFORE,
            # A district × category table: the whole width, without the menu.
            "is_nav_sidebar_enabled": False,
        }
        return TemplateResponse(
            request, "admin/incidents/incidentreport/weekly.html", context
        )


def two_decimals(number: float) -> decimal.Decimal:
    """A number with two decimals, written as a number (a fall is -0.25)."""
    return decimal.Decimal(number).quantize(decimal.Decimal("0.01"))


def weekly_csv_response(picture: incident_picture.WeeklyPicture) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lagesbild-{picture.municipality.slug}-'
        f'{picture.week}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 with the mark
    writer = CsvWriter(response)
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
                    two_decimals(cell.mean),
                    two_decimals(cell.change),
                ]
            )
    return response


def yearly_csv_response(picture: incident_picture.YearlyPicture) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lagesbild-{picture.municipality.slug}-'
        f'{picture.year}.csv"'
    )
    response.write("\ufeff")
    writer = CsvWriter(response)
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


def deployment_incident_picture_link(deployment):
    """The incident picture of the Friday deployment's week: registered with
    promises.admin.register_deployment_link() in IncidentsConfig.ready()."""
    if deployment is None or deployment.pk is None:
        return None
    monday = incident_picture.monday_of(deployment.local_date)
    url = reverse("admin:incidents_incidentreport_lagesbild")
    return (
        _("Lägesbild vecka %(week)d") % {"week": monday.isocalendar().week},
        f"{url}?kommun={deployment.promise.municipality_id}"
        f"&vecka={incident_picture.week_label(monday)}",
    )
