from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class StaffAdminConfig(AdminConfig):
    """Django's admin, with the project's site (staff/sites.py) as admin.site."""

    default_site = "staff.sites.MedborgarlofteAdminSite"


class StaffConfig(AppConfig):
    """What staff work in: the admin site and its start page, onboarding a
    municipality, the municipality export and its background task, /healthz and
    the commands load_haninge and generate_benchmark_data."""

    name = "staff"
    verbose_name = _("Personalens verktyg")

    def ready(self):
        from . import admin

        admin.unregister_task_queue_admin()
