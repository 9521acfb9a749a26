"""The export's content types, permissions and queued tasks move from the app label
medborgarlofte_security to staff.

Until staff and accounts took its features, the project package was installed as
an app, label medborgarlofte_security, and the export's models were its. On a
database from then, nothing of the tables changes: they keep their names
(models.py), and 0001 and 0002 count as applied because they replace that label's
two migrations. What still names the old label moves here:

- its content types become staff's, with their permissions and whoever holds them
  (where staff's already exist, because something asked for them first, the old
  ones' permissions go to staff's and the old ones are deleted);
- the tasks queued under the old path, `medborgarlofte.tasks.…`, are pointed at
  `staff.tasks.…`, so that the worker finds them (docs/deploy.md: stop the worker
  before this migration, start it on the new release after).

On a new database there is nothing to move. Backwards, the same in reverse.
"""

from django.db import migrations

OLD_LABEL = "medborgarlofte_security"
NEW_LABEL = "staff"
TASKS = ["build_municipality_export"]


def move_content_types(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old in ContentType.objects.filter(app_label=from_label):
        new = ContentType.objects.filter(app_label=to_label, model=old.model).first()
        if new is None:
            old.app_label = to_label
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(
                content_type=new, codename=permission.codename
            ).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
            else:
                twin.group_set.add(*permission.group_set.all())
                twin.user_set.add(*permission.user_set.all())
        old.delete()


def move_tasks(apps, from_module: str, to_module: str) -> None:
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for name in TASKS:
        DBTaskResult.objects.filter(task_path=f"{from_module}.{name}").update(
            task_path=f"{to_module}.{name}"
        )


def forwards(apps, schema_editor):
    move_content_types(apps, OLD_LABEL, NEW_LABEL)
    move_tasks(apps, "medborgarlofte.tasks", "staff.tasks")


def backwards(apps, schema_editor):
    move_content_types(apps, NEW_LABEL, OLD_LABEL)
    move_tasks(apps, "staff.tasks", "medborgarlofte.tasks")


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_municipality_export"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
