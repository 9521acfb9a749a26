from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.models import Activity, Promise, for_user
from promises.progress import promise_progress
from reports.workflows import reports_due


class MedborgarlofteAdminSite(admin.AdminSite):
    site_header = _("Medborgarlöfte – administration")
    site_title = _("Medborgarlöfte")
    index_title = _("Start")
    index_template = "admin/medborgarlofte_index.html"

    def index(self, request, extra_context=None):
        """The start page: progress of the user's current promises, behind first."""
        today = timezone.localdate()
        promises = []
        if request.user.has_perm("promises.view_promise"):
            current = for_user(Promise.objects.covering(today), request.user)
            promises = [
                promise_progress(promise, today)
                for promise in current.select_related("municipality")
            ]
        warnings = []
        if request.user.has_perm("reports.add_quarterlyreport"):
            for progress in promises:
                warnings += reports_due(progress.promise, today)
        context = {
            "promise_progress": promises,
            "report_warnings": warnings,
            "activity_kinds": Activity.Kind.values,
            **(extra_context or {}),
        }
        return super().index(request, context)
