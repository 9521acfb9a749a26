from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        from . import generations, rollups

        generations.connect_signals()
        rollups.connect_signals()
        # The days change with the activities, which change the pages themselves.
        generations.register_scope("promises.activityday", lambda day: set())
