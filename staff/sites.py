import datetime
from functools import update_wrapper

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from accounts import two_factor
from accounts.password_links import send_password_links
from promises.models import (
    Activity,
    Municipality,
    Priority,
    Promise,
    Target,
    for_user,
)
from promises.periods import quarter_of
from promises.progress import promise_progress
from reports.models import Evaluation
from reports.workflows import reports_due

from . import export, onboarding, tasks
from .admin_widgets import use_date_only_widget
from .models import KEEP_DAYS, MunicipalityExport

# How long last year's promise stays on the start page after it ended, and how
# early next year's shows before it begins.
TURN_OF_THE_YEAR = datetime.timedelta(days=90)


def priorities_without_activity(user, today: datetime.date) -> list[Priority]:
    """This quarter's prioritised districts that no activity (done or planned,
    this quarter) names yet."""
    year, quarter = quarter_of(today)
    first = datetime.date(year, 3 * quarter - 2, 1)
    answered = Activity.objects.filter(
        priority=OuterRef("pk"), starts_at__date__gte=first
    ).exclude(status=Activity.Status.CANCELLED)
    return list(
        for_user(Priority.objects.filter(year=year, quarter=quarter), user)
        .filter(~Exists(answered))
        .select_related("district", "municipality")
        .order_by("municipality__name", "district__name")
    )


UNLINKED_SHOWN = 10


def unlinked_activities(promises) -> tuple[list[Activity], int]:
    """The promises' activities (not cancelled) that a target of the promise
    could count, by kind, but that are linked to no commitment, so that nothing
    counts them: the first UNLINKED_SHOWN, newest first, and how many. Two
    queries."""
    counted = Target.objects.filter(
        commitment__promise=OuterRef("promise"), kind=OuterRef("kind")
    )
    unlinked = (
        Activity.objects.filter(promise__in=promises, commitments=None)
        .exclude(status=Activity.Status.CANCELLED)
        .filter(Exists(counted))
        .select_related("promise__municipality")
        .order_by("-starts_at", "-pk")
    )
    shown = list(unlinked[:UNLINKED_SHOWN])
    if len(shown) < UNLINKED_SHOWN:
        return shown, len(shown)
    return shown, unlinked.count()


class MedborgarlofteAdminSite(admin.AdminSite):
    site_header = _("Medborgarlöfte – administration")
    site_title = _("Medborgarlöfte")
    index_title = _("Start")
    index_template = "admin/medborgarlofte_index.html"

    def __init__(self, *args, **kwargs):
        # Before any ModelAdmin is registered: date-only fields without a note
        # about time zones (admin_widgets.py).
        use_date_only_widget()
        super().__init__(*args, **kwargs)

    # Two-factor authentication (accounts/two_factor.py): with REQUIRE_2FA a
    # staff user logged in with the password only is sent to the verification
    # page from every admin page, and has no permission until verified.

    def has_permission(self, request):
        if two_factor.awaits_second_factor(request):
            return False
        return super().has_permission(request)

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if two_factor.awaits_second_factor(request):
                if request.path == reverse("admin:logout", current_app=self.name):
                    return view(request, *args, **kwargs)  # LogoutView: POST, CSRF
                return HttpResponseRedirect(
                    two_factor.verification_url(self.name, request.get_full_path())
                )
            return protected(request, *args, **kwargs)

        return update_wrapper(never_cache(inner), view)

    def login(self, request, extra_context=None):
        if request.method == "GET" and two_factor.awaits_second_factor(request):
            next_url = LoginView().get_redirect_url(request) or reverse(
                "admin:index", current_app=self.name
            )
            return HttpResponseRedirect(
                two_factor.verification_url(self.name, next_url)
            )
        return super().login(request, extra_context)

    def two_factor(self, request):
        """Not behind admin_view: reachable before the second factor."""
        return two_factor.verification_view(self, request)

    def two_factor_recovery_codes(self, request):
        return two_factor.recovery_codes_view(self, request)

    def two_factor_new_phone(self, request):
        return two_factor.new_phone_view(self, request)

    def each_context(self, request):
        context = super().each_context(request)
        # The user tools' link to the recovery codes, once past the second factor.
        if settings.REQUIRE_2FA and two_factor.is_verified(request.user):
            context["recovery_codes_url"] = reverse(
                "admin:two_factor_recovery_codes", current_app=self.name
            )
        return context

    def get_urls(self):
        return [
            path(
                "tvastegsverifiering/",
                never_cache(self.two_factor),
                name="two_factor",
            ),
            # admin_view: a verified staff user, CSRF on the POST and never_cache.
            path(
                "tvastegsverifiering/reservkoder/",
                self.admin_view(self.two_factor_recovery_codes),
                name="two_factor_recovery_codes",
            ),
            path(
                "tvastegsverifiering/ny-telefon/",
                self.admin_view(self.two_factor_new_phone),
                name="two_factor_new_phone",
            ),
            # "Ny kommun": the municipality's add page is the onboarding.
            path(
                "promises/municipality/add/",
                self.admin_view(self.onboard_municipality),
                name="promises_municipality_add",
            ),
            path(
                "promises/municipality/<path:object_id>/exportera/",
                # admin_view: staff login, CSRF on the POST and never_cache.
                self.admin_view(self.export_municipality),
                name="promises_municipality_export",
            ),
            path(
                "promises/municipality/<path:object_id>/exportera/<int:export_id>/",
                self.admin_view(self.download_municipality_export),
                name="promises_municipality_export_download",
            ),
            *super().get_urls(),
        ]

    def onboard_municipality(self, request):
        """ "Ny kommun": a municipality with its districts, police area and first
        staff, who are sent links to choose their passwords. Superusers only."""
        if not request.user.is_superuser:
            raise PermissionDenied
        form = onboarding.OnboardingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            result = onboarding.onboard_municipality(
                name=data["name"],
                districts=data["districts"],
                police_area=data["police_area"],
                new_police_area=data["new_police_area"],
                coordinators=data["coordinators"],
                liaisons=data["liaisons"],
            )
            send_password_links(request, result.invited)
            message = _("%(name)s är skapad med %(districts)s.") % {
                "name": result.municipality,
                "districts": ngettext(
                    "%(count)d kommundel",
                    "%(count)d kommundelar",
                    len(data["districts"]),
                )
                % {"count": len(data["districts"])},
            }
            if result.invited:
                message += " " + _(
                    "En länk för att välja lösenord skickades till %(emails)s."
                ) % {"emails": ", ".join(user.email for user in result.invited)}
            if result.added:
                message += " " + _("%(names)s fick tillgång till kommunen.") % {
                    "names": ", ".join(user.get_username() for user in result.added)
                }
            messages.success(request, message)
            return HttpResponseRedirect(
                reverse(
                    "admin:promises_municipality_change",
                    args=[result.municipality.pk],
                    current_app=self.name,
                )
            )
        context = {
            **self.each_context(request),
            "title": _("Ny kommun"),
            "opts": Municipality._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/onboarding.html", context)

    def export_municipality(self, request, object_id):
        """ "Exportera all data (ZIP)": GET says what is in it and lists the user's
        exports; POST asks for a new one, which a worker builds (tasks.py)."""
        if not request.user.has_perm(export.PERMISSION):
            raise PermissionDenied
        municipality_admin = self._registry[Municipality]
        # 404 for a municipality that is not the user's.
        municipality = municipality_admin.get_object(request, unquote(object_id))
        if request.method == "POST":
            _job, created = tasks.request_export(municipality, request.user)
            if created:
                export.log_export(request, municipality, "requested")
                messages.success(
                    request,
                    _(
                        "Exporten byggs. Det kan ta några minuter; ladda om sidan "
                        "för att se när den är klar."
                    ),
                )
            else:
                messages.info(
                    request,
                    _("Din förra export byggs fortfarande. Vänta tills den är klar."),
                )
            return HttpResponseRedirect(request.path)
        context = {
            **self.each_context(request),
            "title": _("Exportera all data för %(name)s") % {"name": municipality},
            "opts": Municipality._meta,
            "original": municipality,
            "tables": export.tables_for(request.user),
            "left_out": export.left_out_for(request.user),
            "exports": tasks.tidy_exports(municipality, request.user),
            "keep_days": KEEP_DAYS,
        }
        return TemplateResponse(
            request, "admin/promises/municipality/export.html", context
        )

    def download_municipality_export(self, request, object_id, export_id):
        """A built export, to the user who asked for it, while they may still
        export (and read the lägesbild, if it holds one)."""
        if not request.user.has_perm(export.PERMISSION):
            raise PermissionDenied
        municipality = self._registry[Municipality].get_object(
            request, unquote(object_id)
        )
        job = get_object_or_404(
            tasks.tidy_exports(municipality, request.user).select_related(
                "municipality"
            ),
            pk=export_id,
            status=MunicipalityExport.Status.READY,
        )
        if job.includes_lagesbild and not export.includes_lagesbild(request.user):
            raise Http404
        export.log_export(request, municipality, "downloaded")
        return export.download_response(job)

    def no_municipality(self, request):
        """For staff linked to no municipality yet: whom to ask.

        The page promises.admin's no_municipality_response() shows on the add
        forms. Not imported from there: promises.admin registers its models on
        this site as it is imported, so this module may not import it.
        """
        context = {
            **self.each_context(request),
            "title": _("Du är inte kopplad till någon kommun ännu"),
            "administrators": get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .order_by("first_name", "last_name"),
        }
        return TemplateResponse(request, "admin/no_municipality.html", context)

    def index(self, request, extra_context=None):
        """The start page: progress of the user's current promises, behind first.

        At the turn of the year the new promise comes first; last year's stays
        for a quarter (TURN_OF_THE_YEAR), with its final figures, its last
        report and its evaluation; next year's shows once it is under way.
        """
        if not (request.user.is_superuser or request.user.municipalities.exists()):
            return self.no_municipality(request)
        today = timezone.localdate()
        current, ended, upcoming = [], [], []
        if request.user.has_perm("promises.view_promise"):
            promises = for_user(
                Promise.objects.filter(
                    starts_on__lte=today + TURN_OF_THE_YEAR,
                    ends_on__gte=today - TURN_OF_THE_YEAR,
                ),
                request.user,
            ).select_related("municipality")
            for promise in promises.order_by("municipality__name", "starts_on"):
                if promise.contains(today):
                    current.append(promise_progress(promise, today))
                elif promise.ends_on < today:
                    ended.append(promise_progress(promise, today))
                else:
                    upcoming.append(promise)
        warnings = []
        if request.user.has_perm("reports.add_quarterlyreport"):
            for progress in ended + current:
                warnings += reports_due(progress.promise, today)
        unlinked, unlinked_count = [], 0
        if request.user.has_perm("promises.change_activity") and current:
            unlinked, unlinked_count = unlinked_activities(
                [progress.promise for progress in current]
            )
        idle_priorities = []
        if request.user.has_perm("promises.view_priority"):
            idle_priorities = priorities_without_activity(request.user, today)
        evaluations = {
            evaluation.promise_id: evaluation
            for evaluation in Evaluation.objects.filter(
                promise__in=[progress.promise for progress in ended]
            )
        }
        context = {
            # A nudge to make recovery codes, while the user has none left.
            "no_recovery_codes": settings.REQUIRE_2FA
            and two_factor.is_verified(request.user)
            and not two_factor.recovery_codes_left(request.user),
            "promise_progress": current,
            "ended_promises": [
                (progress, evaluations.get(progress.promise.pk)) for progress in ended
            ],
            "upcoming_promises": upcoming,
            "report_warnings": warnings,
            "idle_priorities": idle_priorities,
            "unlinked_activities": unlinked,
            "unlinked_count": unlinked_count,
            "activity_kinds": Activity.Kind.values,
            **(extra_context or {}),
        }
        return super().index(request, context)
