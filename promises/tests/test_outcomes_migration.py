"""promises 0018 maps the findings' old statuses to outcomes: open stays open,
fixed stays fixed with its date, and "pågår" (in_progress), which had neither a
date nor an owner, is open again, its history keeping what it was. Backwards, every
decided outcome without a fix is "pågår" again."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from promises.models import Finding
from promises.tests.factories import committed_then_restored

BEFORE = [("promises", "0017_lagesbild_priorities")]
AFTER = [("promises", "0018_loop_topics_outcomes")]
FIXED_ON = datetime.date(2026, 4, 20)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_findings(apps) -> dict[str, int]:
    Municipality = apps.get_model("promises", "Municipality")
    Promise = apps.get_model("promises", "Promise")
    Activity = apps.get_model("promises", "Activity")
    Finding = apps.get_model("promises", "Finding")
    HistoricalFinding = apps.get_model("promises", "HistoricalFinding")
    haninge = Municipality.objects.create(name="Haninge", slug="haninge")
    promise = Promise.objects.create(
        municipality=haninge,
        year=2026,
        title="Medborgarlöfte Haninge 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    inventory = Activity.objects.create(
        promise=promise,
        kind="inventory",
        title="Trygghetsinventering",
        starts_at=datetime.datetime(2026, 4, 14, 16, tzinfo=datetime.UTC),
        publication_level="detail",
    )
    ids = {}
    for status, fixed_on in [
        ("open", None),
        ("in_progress", None),
        ("fixed", FIXED_ON),
    ]:
        finding = Finding.objects.create(
            inventory=inventory,
            category="lighting",
            place=f"Plats {status}",
            status=status,
            fixed_on=fixed_on,
        )
        # The version simple_history would have kept (no signals in migrations).
        HistoricalFinding.objects.create(
            id=finding.pk,
            inventory_id=inventory.pk,
            category="lighting",
            place=finding.place,
            status=status,
            fixed_on=fixed_on,
            history_date=datetime.datetime(2026, 4, 15, tzinfo=datetime.UTC),
            history_type="+",
        )
        ids[status] = finding.pk
    return ids


def test_old_statuses_become_outcomes_and_back(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        ids = old_findings(migrate(BEFORE))
        migrate(latest())
        outcome = {
            old: Finding.objects.values(
                "status", "fixed_on", "planned_on", "referred_to", "not_fixed_reason"
            ).get(pk=pk)
            for old, pk in ids.items()
        }
        empty = {"planned_on": None, "referred_to": "", "not_fixed_reason": ""}
        assert outcome == {
            "open": {"status": "open", "fixed_on": None, **empty},
            "in_progress": {"status": "open", "fixed_on": None, **empty},
            "fixed": {"status": "fixed", "fixed_on": FIXED_ON, **empty},
        }
        # The history still says it was in progress.
        assert Finding.history.get(id=ids["in_progress"]).status == "in_progress"

        # Backwards: a planned finding was "pågår" in the old terms.
        Finding.objects.filter(pk=ids["open"]).update(
            status="planned", planned_on=datetime.date(2027, 1, 1)
        )
        old = migrate(BEFORE).get_model("promises", "Finding")
        assert dict(old.objects.values_list("pk", "status")) == {
            ids["open"]: "in_progress",
            ids["in_progress"]: "open",
            ids["fixed"]: "fixed",
        }
        migrate(AFTER)
        migrate(latest())
