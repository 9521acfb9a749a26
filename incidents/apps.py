from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incident reports and the weekly lägesbild: confidential, never public.

    Beside `public` in the layers (.importlinter): public never imports this."""

    name = "incidents"
    verbose_name = _("Lägesbild")
