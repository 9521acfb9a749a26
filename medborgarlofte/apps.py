from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MedborgarlofteAdminConfig(AdminConfig):
    default_site = "medborgarlofte.admin.MedborgarlofteAdminSite"


class SecurityConfig(AppConfig):
    """The security log: connects the login signal receivers."""

    name = "medborgarlofte"
    label = "medborgarlofte_security"
    verbose_name = "Säkerhet"

    def ready(self):
        from . import security  # noqa: F401
