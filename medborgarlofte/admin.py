from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.models import Activity, Promise, for_user
from promises.progress import promise_progress


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
        context = {
            "promise_progress": promises,
            "activity_kinds": Activity.Kind.values,
            **(extra_context or {}),
        }
        return super().index(request, context)
