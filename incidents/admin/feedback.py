"""The partner's page "Vad hände med era rapporter?" (incidents/feedback.py):
their own organisation's reports and what followed, per district."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..feedback import WINDOW, partner_feedback
from ..models import Reporter

FEEDBACK_PERMISSION = "incidents.view_own_feedback"


def reporter_of(user) -> Reporter | None:
    return Reporter.objects.filter(user=user).select_related("organisation").first()


class FeedbackViews:
    """On the incident reports' admin: aterkoppling/."""

    def get_urls(self):
        return [
            path(
                "aterkoppling/",
                self.admin_site.admin_view(self.feedback_view),
                name="incidents_incidentreport_feedback",
            ),
            *super().get_urls(),
        ]

    def feedback_view(self, request):
        if not request.user.has_perm(FEEDBACK_PERMISSION):
            raise PermissionDenied
        reporter = reporter_of(request.user)
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Vad hände med era rapporter?"),
            "opts": self.opts,
            "reporter": reporter,
            "since": today - WINDOW,
            "districts": partner_feedback(reporter.organisation, today)
            if reporter
            else [],
        }
        return TemplateResponse(
            request, "admin/incidents/incidentreport/feedback.html", context
        )
