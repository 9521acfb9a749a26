"""`dumpdata`, then `loaddata` into an empty database, gives back every row: the
activities with their districts and organisations, the days progress counts
(ActivityDay, which a raw load must not compute again beside the dump's own), the
history.

Tried as an operator would: `loaddata` of a dump that held ActivityDay failed with
UNIQUE, as the links of each loaded activity refreshed its day before the dump's
row of that day was loaded."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from promises.models import (
    Activity,
    ActivityDay,
    DialogueTopic,
    Finding,
    OperationalPicture,
)
from promises.tests.factories import local, make_activity, make_commitment

pytestmark = pytest.mark.django_db


def rows() -> dict[str, list[tuple]]:
    """Every row of every table of promises, history and links included. Times
    to the millisecond, and a link without its own id: what a dump keeps."""
    found = {}
    for model in apps.get_app_config("promises").get_models(include_auto_created=True):
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if not (model._meta.auto_created and field.primary_key)
        ]
        found[model._meta.db_table] = sorted(
            (
                tuple(map(milliseconds, row))
                for row in model._base_manager.values_list(*names)
            ),
            key=repr,
        )
    return found


def milliseconds(value):
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def empty_the_tables() -> None:
    """The promises' tables, emptied as in a new database (the users stay)."""
    tables = {
        model._meta.db_table
        for model in apps.get_app_config("promises").get_models(
            include_auto_created=True
        )
    }
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


@pytest.fixture
def activities(promise_haninge, police, haninge_kommun):
    promise = promise_haninge
    for kind in (
        Activity.Kind.DIALOGUE,
        Activity.Kind.DEPLOYMENT,
        Activity.Kind.INVENTORY,
    ):
        make_commitment(promise, str(kind.label), kind=kind, count=1)
    handen, jordbro = promise.municipality.districts.all()[:2]
    make_activity(
        promise,
        starts_at=local(2026, 3, 6),
        districts=[handen, jordbro],
        organisations=[police, haninge_kommun],
    )
    make_activity(promise, starts_at=local(2026, 3, 6, 20), districts=[handen])
    deployment = make_activity(
        promise,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 13),
        districts=[jordbro],
        organisations=[police],
    )
    OperationalPicture.objects.create(activity=deployment, text="Lugnt läge.")
    inventory = make_activity(
        promise, Activity.Kind.INVENTORY, local(2026, 4, 2), districts=[jordbro]
    )
    finding = Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        place="Gångtunneln vid stationen",
        status=Finding.Status.FIXED,
        fixed_on=datetime.date(2026, 4, 20),
    )
    dialogue = make_activity(promise, starts_at=local(2026, 5, 4), districts=[handen])
    topic = DialogueTopic.objects.create(
        dialogue=dialogue, text="Mörkt i gångtunneln", finding=finding
    )
    topic.districts.set([jordbro])
    return promise


def test_a_dump_loads_into_an_empty_database_as_it_was(activities, tmp_path):
    assert ActivityDay.objects.count() == 5
    before = rows()
    dump = tmp_path / "promises.json"
    call_command("dumpdata", "promises", output=str(dump), verbosity=0)

    empty_the_tables()
    assert not ActivityDay.objects.exists() and not Activity.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)

    assert rows() == before
