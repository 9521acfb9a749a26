from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Uppföljning och utvärdering")

    def ready(self):
        """Fill the hooks of promises, which imports nothing of this app."""
        from promises import generations
        from promises.admin import register_commitment_inline
        from promises.models import Target
        from promises.progress import register_publications
        from promises.workflows import register_commitment_copier

        from .admin import GoalInline
        from .models import Evaluation, Goal, QuarterlyReport

        generations.register_watched_app(self.label)
        register_publications(Target.REPORT, QuarterlyReport.published_days)
        register_publications(Target.EVALUATION, Evaluation.published_days)
        register_commitment_copier(Goal.copy_to)
        register_commitment_inline(GoalInline)
