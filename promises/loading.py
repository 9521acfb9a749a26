"""Loading a dump (`manage.py loaddata`): every row is written as it was stored,
the history and the activities' days included, so nothing is computed from the
loaded rows again.

Django writes a loaded row with `raw=True`, which the receivers of post_save
skip, and then sets its many-to-many links with `.set()`, whose signal has no
such flag: django-simple-history would record the links as a new change, and the
activities' days would be refreshed beside the dump's own (UNIQUE). So a row
written raw is marked here, before its links are set: `loaded_raw()` says so to
promises/rollups.py, and simple-history's own flag skips the history.
"""

from django.db.models.signals import post_save


def loaded_raw(instance) -> bool:
    """Whether the object was written as stored (loaddata), its links to follow."""
    return getattr(instance, "_loaded_raw", False)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:
        instance._loaded_raw = True
        # django-simple-history's flag: the dump holds the history of the links.
        instance.skip_history_when_saving = True


def connect_signals() -> None:
    post_save.connect(_saved, dispatch_uid="promises-loaded-raw")
