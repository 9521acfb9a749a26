"""What the staff app changes in the admin's registrations (the site itself is
sites.py)."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult


def unregister_task_queue_admin() -> None:
    """The queue's own admin (django-tasks-db) is in English and shows task
    arguments; the export page tells the user how their export is going. Called
    from StaffConfig.ready(), after autodiscovery registered it."""
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
