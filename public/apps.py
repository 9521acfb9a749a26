from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The residents' site: the public pages, feeds, calendar, open data, widget."""

    name = "public"
    verbose_name = _("Den publika webbplatsen")

    def ready(self):
        from promises.admin import register_preview

        from .previews import PREVIEWS

        for model, render in PREVIEWS.items():
            register_preview(model, render)
