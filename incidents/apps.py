from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incident reports and the incident pictures (EST's weekly and yearly
    lägesbild): confidential, never public.

    Beside `public` in the layers (.importlinter): public never imports this."""

    name = "incidents"
    verbose_name = _("Lägesbild")

    def ready(self):
        """Fill the hooks of promises, which imports nothing of this app."""
        from promises.admin import register_deployment_link

        from .admin.incident_pictures import deployment_incident_picture_link

        register_deployment_link(deployment_incident_picture_link)
