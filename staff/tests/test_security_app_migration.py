"""A database from before staff: the export's models were the project package's,
app label medborgarlofte_security. Migrating it forward keeps every export and its
ZIP, records staff's migrations, hands the old label's content types and
permissions (and whoever holds them) to staff, and points the tasks still queued
under `medborgarlofte.tasks` at `staff.tasks`, which the worker then runs.

The old database is made from today's by going back to staff 0002 (whose tables
are the old app's, under their old names) and forgetting that staff's migrations
were applied, leaving the rows medborgarlofte_security's migrations left.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import Task
from django_tasks_db.models import DBTaskResult

from promises.roles import COORDINATOR
from promises.tests.factories import (
    committed_then_restored,
    make_municipality,
    make_user,
)
from staff.models import MunicipalityExport
from staff.tasks import build_municipality_export

from .test_export import run_the_worker

OLD_LABEL = "medborgarlofte_security"
BEFORE = [("staff", "0002_municipality_export")]
ZIP = b"PK\x03\x04" + bytes(range(256)) * 10


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_database(apps) -> dict:
    """What the previous release left: a built export, one queued under the old
    task path, the old label's content types with a group and a user holding
    their permissions, and no record of staff's migrations."""
    Export = apps.get_model("staff", "MunicipalityExport")
    Part = apps.get_model("staff", "MunicipalityExportPart")
    haninge = make_municipality("Haninge", ["Handen"])
    coordinator = make_user("samordnare", COORDINATOR, [haninge])
    built = Export.objects.create(
        municipality_id=haninge.pk,
        requested_by_id=coordinator.pk,
        status="ready",
        size=len(ZIP),
    )
    Part.objects.create(export=built, number=0, data=ZIP[:1000])
    Part.objects.create(export=built, number=1, data=ZIP[1000:])
    queued = Export.objects.create(
        municipality_id=haninge.pk, requested_by_id=coordinator.pk
    )
    task = build_municipality_export.enqueue(queued.pk)
    DBTaskResult.objects.filter(pk=task.id).update(
        task_path="medborgarlofte.tasks.build_municipality_export"
    )

    # Going back to 0002 gave the content types back to the old label.
    old_types = ContentType.objects.filter(app_label=OLD_LABEL)
    assert {t.model for t in old_types} == {
        "municipalityexport",
        "municipalityexportpart",
    }
    auditors = Group.objects.create(name="Granskare")
    auditors.permissions.add(
        Permission.objects.get(
            content_type__app_label=OLD_LABEL, codename="view_municipalityexport"
        )
    )
    coordinator.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=OLD_LABEL, codename="view_municipalityexportpart"
        )
    )
    # staff's content type of the parts exists too, as when the new release
    # asked for it before the migration ran: the old one's permissions join it.
    ContentType.objects.create(app_label="staff", model="municipalityexportpart")

    MigrationRecorder(connection).migration_qs.filter(app="staff").delete()
    applied = MigrationRecorder(connection).applied_migrations()
    assert (OLD_LABEL, "0002_municipality_export") in applied
    return {
        "built": built.pk,
        "queued": queued.pk,
        "task": task.id,
        "auditors": auditors.pk,
        "coordinator": coordinator.pk,
        "export_type": old_types.get(model="municipalityexport").pk,
    }


def test_a_database_of_the_security_app_moves_to_staff_with_nothing_lost(
    django_db_setup, django_db_blocker
):
    with committed_then_restored(django_db_blocker):
        old = old_database(migrate(BEFORE))
        migrate(latest())
        ContentType.objects.clear_cache()

        applied = MigrationRecorder(connection).applied_migrations()
        for name in latest_staff_migrations():
            assert ("staff", name) in applied

        built = MunicipalityExport.objects.get(pk=old["built"])
        assert built.status == MunicipalityExport.Status.READY
        assert built.municipality.name == "Haninge"
        assert built.requested_by.username == "samordnare"
        parts = built.parts.order_by("number").values_list("data", flat=True)
        assert b"".join(bytes(data) for data in parts) == ZIP

        # The content types are staff's: the same row for the exports, the
        # permissions of both with whoever held them, and nothing of the old label.
        assert not ContentType.objects.filter(app_label=OLD_LABEL).exists()
        export_type = ContentType.objects.get_for_model(MunicipalityExport)
        assert export_type.pk == old["export_type"]
        assert sorted(
            Permission.objects.filter(content_type__app_label="staff").values_list(
                "codename", flat=True
            )
        ) == sorted(
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in ("municipalityexport", "municipalityexportpart")
        )
        auditors = Group.objects.get(pk=old["auditors"])
        assert [p.codename for p in auditors.permissions.all()] == [
            "view_municipalityexport"
        ]
        coordinator = type(built.requested_by).objects.get(pk=old["coordinator"])
        assert coordinator.has_perm("staff.view_municipalityexportpart")

        # The queued task names staff's module, and the worker builds its export.
        task = DBTaskResult.objects.get(pk=old["task"])
        assert task.task_path == "staff.tasks.build_municipality_export"
        assert isinstance(task.task, Task)
        run_the_worker()
        queued = MunicipalityExport.objects.get(pk=old["queued"])
        assert queued.status == MunicipalityExport.Status.READY
        assert queued.parts.exists()


def latest_staff_migrations() -> list[str]:
    graph = MigrationExecutor(connection).loader.graph
    return [name for app, name in graph.nodes if app == "staff"]
