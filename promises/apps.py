from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        from . import generations, loading, rollups

        generations.connect_signals()
        loading.connect_signals()
        rollups.connect_signals()
        # Which municipalities' public pages show a row of a model without a
        # municipality_path of its own.
        generations.register_scope(
            "promises.policearea", generations.municipalities_of_police_area
        )
        generations.register_scope(
            "promises.organisation", generations.municipalities_of_organisation
        )
        # On no public page: an import's file. The days change with the activities,
        # which change the pages themselves.
        generations.register_scope("promises.stagedupload", lambda upload: set())
        generations.register_scope("promises.activityday", lambda day: set())
