"""Each activity linked to the commitments whose targets counted it until now, and
the activities' days grouped again by commitment (issue 20).

Until now a target counted every activity of its kind in the promise. So each
activity is linked to every commitment of its promise with a target of its
kind; the targets' own rules (a weekday, "joint", districts) still apply when
they count, as before. No page's figures change
(public/tests/test_haninge_figures.py)."""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone


def link_to_the_counting_commitments(apps, schema_editor):
    Activity = apps.get_model("promises", "Activity")
    Target = apps.get_model("promises", "Target")
    Link = Activity.commitments.through
    counting = defaultdict(set)  # (promise, kind) → commitments with such a target
    for promise_id, kind, commitment_id in Target.objects.values_list(
        "commitment__promise_id", "kind", "commitment_id"
    ):
        counting[promise_id, kind].add(commitment_id)
    links = (
        Link(activity_id=activity_id, commitment_id=commitment_id)
        for activity_id, promise_id, kind in Activity.objects.order_by("pk")
        .values_list("pk", "promise_id", "kind")
        .iterator(chunk_size=2000)
        for commitment_id in sorted(counting.get((promise_id, kind), ()))
    )
    Link.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)


def group(apps, by_commitment: bool) -> None:
    """ActivityDay from the done activities, as promises/rollups.py keeps it: by
    commitment, or (back) by kind alone, as before."""
    Activity = apps.get_model("promises", "Activity")
    ActivityDay = apps.get_model("promises", "ActivityDay")
    ActivityDay.objects.all().delete()
    groups = defaultdict(lambda: [0, set()])
    activities = (
        Activity.objects.filter(status="done")
        .prefetch_related("districts", "organisations", "commitments")
        .order_by("pk")
    )
    for activity in activities.iterator(chunk_size=2000):
        kinds = {organisation.kind for organisation in activity.organisations.all()}
        commitments = (
            [c.pk for c in activity.commitments.all()] if by_commitment else [None]
        )
        for commitment_id in commitments:
            key = (
                activity.promise_id,
                commitment_id,
                activity.kind,
                timezone.localdate(activity.starts_at),
                {"police", "municipality"} <= kinds,
            )
            groups[key][0] += 1
            groups[key][1].update(d.pk for d in activity.districts.all())
    ActivityDay.objects.bulk_create(
        (
            ActivityDay(
                promise_id=promise_id,
                commitment_id=commitment_id,
                kind=kind,
                day=day,
                joint=joint,
                count=count,
                districts=sorted(districts),
            )
            for (promise_id, commitment_id, kind, day, joint), (
                count,
                districts,
            ) in groups.items()
        ),
        batch_size=2000,
    )


def group_by_commitment(apps, schema_editor):
    group(apps, by_commitment=True)


def group_by_kind(apps, schema_editor):
    group(apps, by_commitment=False)


def unlink(apps, schema_editor):
    Activity = apps.get_model("promises", "Activity")
    Activity.commitments.through.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0020_activity_commitments"),
    ]

    operations = [
        migrations.RunPython(link_to_the_counting_commitments, unlink),
        migrations.RunPython(group_by_commitment, group_by_kind),
    ]
