"""The activities' days (ActivityDay), which progress and the public pages read,
never drift from the activities: after every kind of write they equal a grouping of
the activities done afresh."""

import datetime

import pytest
from django.core.management import call_command

from promises.models import Activity, ActivityDay, Organisation, Promise
from promises.progress import load_occurrences, promise_progress, stored_occurrences
from promises.rollups import deferred, rebuild
from promises.tests.factories import local, make_activity, make_promise


def key(occurrence):
    return (
        occurrence.kind,
        occurrence.day,
        occurrence.joint,
        occurrence.count,
        tuple(sorted(occurrence.districts)),
    )


def assert_no_drift():
    promises = list(Promise.objects.all())
    recomputed = load_occurrences(promises)
    for promise in promises:
        stored = sorted(map(key, stored_occurrences(promise)))
        assert stored == sorted(map(key, recomputed.get(promise.pk, [])))


@pytest.fixture
def setting(promise_haninge, police, haninge_kommun):
    return promise_haninge, police, haninge_kommun


def test_created_activities_are_counted_by_day_kind_and_joint(setting):
    promise, police, kommun = setting
    handen, jordbro = promise.municipality.districts.all()[:2]
    make_activity(promise, starts_at=local(2026, 3, 6), districts=[handen])
    make_activity(
        promise,
        starts_at=local(2026, 3, 6, 20),
        districts=[jordbro],
        organisations=[police, kommun],
    )
    make_activity(promise, starts_at=local(2026, 3, 6, 23, 30), districts=[jordbro])
    make_activity(promise, status=Activity.Status.PLANNED, starts_at=local(2026, 3, 6))
    rows = {
        (row.day, row.joint): (row.count, row.districts)
        for row in ActivityDay.objects.all()
    }
    day = datetime.date(2026, 3, 6)
    assert rows == {
        (day, False): (2, sorted([handen.pk, jordbro.pk])),
        (day, True): (1, [jordbro.pk]),
    }
    assert_no_drift()


def test_every_kind_of_write_keeps_the_days(setting, promise_nynashamn, nynashamn):
    promise, police, kommun = setting
    handen, jordbro, brandbergen = promise.municipality.districts.all()[:3]
    one = make_activity(promise, starts_at=local(2026, 3, 6), districts=[handen])
    two = make_activity(
        promise, starts_at=local(2026, 3, 6), organisations=[police, kommun]
    )
    three = make_activity(
        promise, Activity.Kind.INVENTORY, local(2026, 4, 1), districts=[jordbro]
    )
    assert_no_drift()

    # Edited: another day (over local midnight), kind, status.
    one.starts_at = datetime.datetime(2026, 3, 6, 23, 30, tzinfo=datetime.UTC)
    one.save()
    assert_no_drift()
    two.kind = Activity.Kind.PRESENCE
    two.publication_level = Activity.PublicationLevel.AGGREGATE
    two.save()
    three.status = Activity.Status.CANCELLED
    three.save()
    assert_no_drift()
    # Read again from the database, then moved to another promise.
    moved = Activity.objects.get(pk=one.pk)
    moved.promise = promise_nynashamn
    moved.save()
    assert_no_drift()
    moved.promise = promise
    moved.save()

    # Links from both sides.
    one.districts.add(jordbro)
    one.organisations.set([police, kommun])
    assert_no_drift()
    one.organisations.remove(kommun)
    brandbergen.activities.add(two, one)
    assert_no_drift()
    brandbergen.activities.remove(two)
    police.activities.clear()
    assert_no_drift()
    one.districts.clear()
    kommun.activities.add(one)
    police.activities.add(one)
    assert_no_drift()

    # An organisation that changes kind, a district and an organisation deleted.
    kommun.kind = Organisation.Kind.PARTNER
    kommun.save()
    assert_no_drift()
    kommun.kind = Organisation.Kind.MUNICIPALITY
    kommun.save()
    assert_no_drift()
    jordbro.delete()
    assert_no_drift()
    kommun.delete()
    assert_no_drift()

    # Deleted.
    two.delete()
    Activity.objects.get(pk=one.pk).delete()
    assert_no_drift()
    assert ActivityDay.objects.filter(promise=promise).count() == 0


def test_an_activity_logged_in_the_admin_is_counted(
    client, setting, coordinator_haninge
):
    from promises.tests.factories import activity_form, login_verified

    promise, police, kommun = setting
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/promises/activity/add/",
        activity_form(
            promise,
            title="Dialog i Vega",
            organisations=[police.pk, kommun.pk],
            districts=[promise.municipality.districts.first().pk],
        ),
    )
    assert response.status_code == 302
    assert ActivityDay.objects.get().joint
    assert_no_drift()


def test_rebuild_after_bulk_writes(setting):
    promise, police, _ = setting
    Activity.objects.bulk_create(
        Activity(
            promise=promise,
            kind="dialogue",
            starts_at=local(2026, 5, d),
            title=".",
            publication_level="detail",
        )
        for d in range(1, 10)
    )
    rebuild([promise])
    assert_no_drift()


def test_progress_reads_the_days(setting):
    """Progress counts what ActivityDay holds, not the activities themselves."""
    from django.core.cache import cache

    from promises.tests.factories import make_dialogue_and_friday_commitments

    promise, _, _ = setting
    make_dialogue_and_friday_commitments(promise)
    for day in (6, 13, 20):
        make_activity(promise, starts_at=local(2026, 3, day))
    as_of = datetime.date(2026, 12, 1)

    def dialogues():
        progress = promise_progress(promise, as_of).targets
        return next(p.done for p in progress if p.target.kind == "dialogue")

    assert dialogues() == 3
    ActivityDay.objects.all().delete()
    cache.clear()
    assert dialogues() == 0


def test_the_stored_districts_read_back_exactly(setting, haninge):
    """The page reads `districts` as text and parses it itself: no district, one,
    all ten (two-digit ids too), read back as stored; and only the kinds asked."""
    from promises.models import District

    promise, _, _ = setting
    for i in range(12):  # ids past 9 in any database
        District.objects.create(municipality=haninge, name=f"Extra {i}", slug=f"x{i}")
    districts = list(haninge.districts.order_by("pk"))
    make_activity(promise, "dialogue", local(2026, 3, 2))
    make_activity(promise, "dialogue", local(2026, 3, 3), districts=districts[-1:])
    make_activity(promise, "inventory", local(2026, 3, 4), districts=districts)
    stored = {(o.kind, o.day): o.districts for o in stored_occurrences(promise)}
    assert stored == {
        ("dialogue", datetime.date(2026, 3, 2)): frozenset(),
        ("dialogue", datetime.date(2026, 3, 3)): frozenset([districts[-1].pk]),
        ("inventory", datetime.date(2026, 3, 4)): frozenset(d.pk for d in districts),
    }
    assert {o.kind for o in stored_occurrences(promise, ["inventory"])} == {"inventory"}
    assert_no_drift()


def test_inside_deferred_the_days_are_refreshed_once_at_the_end(setting):
    """load_haninge writes its activities inside rollups.deferred()."""
    promise, police, kommun = setting
    with deferred():
        make_activity(promise, starts_at=local(2026, 3, 6), organisations=[police])
        make_activity(promise, starts_at=local(2026, 3, 7))
        moved = make_activity(promise, starts_at=local(2026, 3, 8))
        moved.starts_at = local(2026, 3, 9)
        moved.save()
        assert not ActivityDay.objects.exists()
    assert sorted(ActivityDay.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 3, day) for day in (6, 7, 9)
    ]
    assert_no_drift()


def test_the_demo_and_the_benchmark_data_have_their_days(db):
    call_command("load_haninge", "--demo", verbosity=0)
    call_command(
        "generate_benchmark_data", "--years", "2", "--activities", "600", verbosity=0
    )
    assert ActivityDay.objects.exists()
    assert_no_drift()


def test_the_migration_groups_existing_activities(setting):
    """The data migration (0015) gives what the signals keep."""
    import importlib

    from django.apps import apps

    promise, police, kommun = setting
    make_activity(
        promise,
        starts_at=local(2026, 3, 6),
        districts=promise.municipality.districts.all()[:2],
        organisations=[police, kommun],
    )
    make_activity(promise, starts_at=local(2026, 3, 6, 23, 50))
    expected = sorted(map(key, stored_occurrences(promise)))
    ActivityDay.objects.all().delete()
    migration = importlib.import_module("promises.migrations.0015_scale_activity_days")
    migration.group_the_activities(apps, None)
    assert sorted(map(key, stored_occurrences(promise))) == expected
    assert expected


def test_a_promise_of_another_year_keeps_its_own_days(setting, haninge):
    promise, _, _ = setting
    other = make_promise(haninge, 2025)
    make_activity(other, starts_at=local(2025, 3, 6))
    make_activity(promise, starts_at=local(2026, 3, 6))
    assert [o.day.year for o in stored_occurrences(other)] == [2025]
    assert_no_drift()
