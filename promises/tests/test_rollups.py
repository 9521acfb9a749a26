"""The activities' days (ActivityDay), which progress and the public pages read,
never drift from the activities: after every kind of write they equal a grouping of
the activities done afresh."""

import contextlib
import datetime
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.management import call_command

from promises import rollups
from promises.models import (
    Activity,
    ActivityDay,
    Commitment,
    Organisation,
    Promise,
    Target,
)
from promises.progress import promise_progress
from promises.rollups import load_occurrences, rebuild, stored_occurrences
from promises.tests.factories import (
    activity_form,
    deployment_form,
    inline,
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)


def key(occurrence):
    return (
        occurrence.commitment,
        occurrence.kind,
        occurrence.day,
        occurrence.joint,
        occurrence.count,
        tuple(sorted(occurrence.districts)),
        tuple(sorted(occurrence.organisations)),
    )


def assert_no_drift():
    promises = list(Promise.objects.all())
    recomputed = load_occurrences(promises)
    for promise in promises:
        stored = sorted(map(key, stored_occurrences(promise)))
        assert stored == sorted(map(key, recomputed.get(promise.pk, [])))


@pytest.fixture
def setting(promise_haninge, police, haninge_kommun):
    """A promise whose commitments count dialogues, inventories and presence: the
    activities make_activity() makes are linked to them."""
    for kind in (
        Activity.Kind.DIALOGUE,
        Activity.Kind.INVENTORY,
        Activity.Kind.PRESENCE,
    ):
        make_commitment(promise_haninge, str(kind.label), kind=kind, count=4)
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
        (row.day, row.joint): (row.count, row.districts, row.organisations)
        for row in ActivityDay.objects.all()
    }
    day = datetime.date(2026, 3, 6)
    assert rows == {
        (day, False): (2, sorted([handen.pk, jordbro.pk]), []),
        (day, True): (1, [jordbro.pk], []),
    }
    assert_no_drift()


def test_a_target_of_one_party_or_district_keeps_its_days_in_detail(setting):
    """A commitment whose target counts one party's or some districts' activities
    (issue 20) has its days grouped by organisations and districts too, from the
    moment the target says so; the others' days as before."""
    promise, police, kommun = setting
    handen, jordbro = promise.municipality.districts.all()[:2]
    for districts, organisations in [
        ([handen], [police]),
        ([jordbro], [police]),
        ([jordbro], [kommun]),
        ([jordbro], [kommun]),
    ]:
        make_activity(
            promise,
            starts_at=local(2026, 3, 6),
            districts=districts,
            organisations=organisations,
        )
    assert ActivityDay.objects.count() == 1
    target = Target.objects.get(kind=Activity.Kind.DIALOGUE)
    target.party = police
    target.save()
    rows = sorted(
        (row.count, row.districts, row.organisations)
        for row in ActivityDay.objects.all()
    )
    assert rows == sorted(
        [
            (1, [handen.pk], [police.pk]),
            (1, [jordbro.pk], [police.pk]),
            (2, [jordbro.pk], [kommun.pk]),
        ]
    )
    assert promise_progress(promise).for_commitment(target.commitment_id)[0].done == 2
    assert_no_drift()
    # The districts alone, set from the target's side, keep the detail too.
    target.party = None
    target.save()
    assert ActivityDay.objects.count() == 1
    target.districts.set([jordbro])
    assert ActivityDay.objects.count() == 3
    assert promise_progress(promise).for_commitment(target.commitment_id)[0].done == 3
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
    # Its commitments, from both sides.
    dialogues, inventories, presence = Commitment.objects.filter(promise=promise)
    one.commitments.clear()
    assert_no_drift()
    dialogues.activities.add(one)
    inventories.activities.add(one)
    assert_no_drift()
    inventories.activities.remove(one)
    dialogues.activities.clear()
    assert_no_drift()
    one.commitments.set([dialogues, presence])
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
    presence.delete()  # its days go with it
    assert_no_drift()

    # Deleted.
    two.delete()
    Activity.objects.get(pk=one.pk).delete()
    assert_no_drift()
    assert ActivityDay.objects.filter(promise=promise).count() == 0


def test_an_activity_logged_in_the_admin_is_counted(
    client, setting, coordinator_haninge
):
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


@contextlib.contextmanager
def counting_refreshes() -> Iterator[list]:
    """The refreshes of the days: each groups the activities of a promise's days
    again (load_occurrences), one call each."""
    calls = []
    original = rollups.load_occurrences

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    with mock.patch.object(rollups, "load_occurrences", counted):
        yield calls


def test_saving_an_activity_in_the_admin_refreshes_its_days_once(
    client, setting, coordinator_haninge
):
    """The save, its districts and its organisations: one refresh, not three."""
    promise, police, kommun = setting
    handen, jordbro = promise.municipality.districts.all()[:2]
    login_verified(client, coordinator_haninge)
    with counting_refreshes() as refreshes:
        response = client.post(
            "/admin/promises/activity/add/",
            activity_form(
                promise,
                organisations=[police.pk, kommun.pk],
                districts=[handen.pk, jordbro.pk],
            ),
        )
    assert response.status_code == 302
    assert len(refreshes) == 1
    assert_no_drift()

    # Changed to another day and district: the day it left and the day it has,
    # in the one refresh.
    activity = Activity.objects.get()
    with counting_refreshes() as refreshes:
        response = client.post(
            f"/admin/promises/activity/{activity.pk}/change/",
            activity_form(
                promise,
                starts_at_0="2026-03-07",
                organisations=[police.pk],
                districts=[jordbro.pk],
                **inline("topics"),
            ),
        )
    assert response.status_code == 302
    assert len(refreshes) == 1
    assert [day.day for day in ActivityDay.objects.all()] == [datetime.date(2026, 3, 7)]
    assert_no_drift()


def test_the_quick_form_refreshes_the_deployments_day_once(
    client, setting, liaison_haninge
):
    promise, police, kommun = setting
    make_commitment(promise, "Utsättningar", kind=Activity.Kind.DEPLOYMENT, count=1)
    login_verified(client, liaison_haninge)
    with counting_refreshes() as refreshes:
        response = client.post(
            "/admin/promises/fridaydeployment/add/",
            deployment_form(
                promise,
                districts=[promise.municipality.districts.first().pk],
                organisations=[police.pk, kommun.pk],
            ),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert len(refreshes) == 1
    assert ActivityDay.objects.get().joint
    assert_no_drift()


def test_deleting_activities_in_the_admin_refreshes_each_promise_once(
    client, setting, coordinator_haninge
):
    promise, _, _ = setting
    activities = [
        make_activity(promise, starts_at=local(2026, 3, day)) for day in (2, 3, 4)
    ]
    login_verified(client, coordinator_haninge)
    with counting_refreshes() as refreshes:
        response = client.post(
            "/admin/promises/activity/",
            {
                "action": "delete_selected",
                "post": "yes",
                "_selected_action": [a.pk for a in activities],
            },
        )
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert len(refreshes) == 1
    assert_no_drift()


def test_deferred_refreshes_once_at_the_end_and_not_after_a_failure(setting):
    promise, police, kommun = setting
    with counting_refreshes() as refreshes, rollups.deferred():
        activity = make_activity(
            promise, districts=promise.municipality.districts.all()[:2]
        )
        activity.organisations.set([police, kommun])
        assert not ActivityDay.objects.exists()  # not yet
        with rollups.deferred():  # the outer block refreshes
            make_activity(promise, starts_at=local(2026, 4, 1))
    assert len(refreshes) == 1
    assert ActivityDay.objects.count() == 2
    assert_no_drift()

    with pytest.raises(RuntimeError), rollups.deferred():
        make_activity(promise, starts_at=local(2026, 5, 1))
        raise RuntimeError
    assert Activity.objects.count() == 2  # nothing of the block stayed
    assert_no_drift()

    # Outside a block, each write refreshes at once, as before.
    with counting_refreshes() as refreshes:
        make_activity(
            promise,
            starts_at=local(2026, 6, 1),
            districts=promise.municipality.districts.all()[:1],
            organisations=[police],
        )
    # the save, the districts, the organisations, the commitments
    assert len(refreshes) == 4
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
    with rollups.deferred():
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


def test_the_migration_links_and_groups_existing_activities(setting, haninge):
    """The data migration (0021) links each activity to the commitments whose
    targets counted its kind, every one where two share it and none where no
    target counts it, and groups the days as the signals keep them (no target
    counts one party's or some districts' activities yet: no detail)."""
    import importlib

    from django.apps import apps

    promise, police, kommun = setting
    other_dialogues = make_commitment(
        promise, "Fler dialoger", kind=Activity.Kind.DIALOGUE, count=1
    )
    last_year = make_promise(haninge, 2025)
    make_commitment(last_year, "Dialoger 2025", kind=Activity.Kind.DIALOGUE, count=1)
    dialogue = make_activity(
        promise,
        starts_at=local(2026, 3, 6),
        districts=promise.municipality.districts.all()[:2],
        organisations=[police, kommun],
    )
    make_activity(promise, starts_at=local(2026, 3, 6, 23, 50))
    make_activity(promise, starts_at=local(2026, 3, 6, 8), organisations=[police])
    traffic = make_activity(promise, Activity.Kind.TRAFFIC, local(2026, 3, 7))
    expected = sorted(map(key, stored_occurrences(promise)))
    links = set(
        Activity.commitments.through.objects.values_list("activity", "commitment")
    )
    Activity.commitments.through.objects.all().delete()
    ActivityDay.objects.all().delete()

    migration = importlib.import_module(
        "promises.migrations.0021_link_activities_to_commitments"
    )
    migration.link_to_the_counting_commitments(apps, None)
    migration.group_by_commitment(apps, None)
    assert (
        set(Activity.commitments.through.objects.values_list("activity", "commitment"))
        == links
    )
    assert {c.title for c in dialogue.commitments.all()} == {
        "Trygghetsdialog",
        other_dialogues.title,
    }
    assert not traffic.commitments.exists()
    assert sorted(map(key, stored_occurrences(promise))) == expected
    assert expected


def test_a_promise_of_another_year_keeps_its_own_days(setting, haninge):
    promise, _, _ = setting
    other = make_promise(haninge, 2025)
    make_commitment(other, kind=Activity.Kind.DIALOGUE, count=4)
    make_activity(other, starts_at=local(2025, 3, 6))
    make_activity(promise, starts_at=local(2026, 3, 6))
    assert [o.day.year for o in stored_occurrences(other)] == [2025]
    assert_no_drift()
