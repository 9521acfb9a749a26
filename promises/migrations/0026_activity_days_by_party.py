"""ActivityDay again from the done activities, grouped by commitment as 0021 did
and now by their organisations and districts too (promises/rollups.py), so that a
target may count one party's activities or one district's. The counts per
commitment, kind and day are unchanged."""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone


def group_again(apps, schema_editor):
    Activity = apps.get_model("promises", "Activity")
    ActivityDay = apps.get_model("promises", "ActivityDay")
    groups = defaultdict(int)
    activities = (
        Activity.objects.filter(status="done")
        .prefetch_related("districts", "organisations", "commitments")
        .order_by("pk")
    )
    for activity in activities.iterator(chunk_size=2000):
        organisations = list(activity.organisations.all())
        kinds = {organisation.kind for organisation in organisations}
        for commitment in activity.commitments.all():
            key = (
                activity.promise_id,
                commitment.pk,
                activity.kind,
                timezone.localdate(activity.starts_at),
                {"police", "municipality"} <= kinds,
                tuple(sorted(district.pk for district in activity.districts.all())),
                tuple(sorted(organisation.pk for organisation in organisations)),
            )
            groups[key] += 1
    ActivityDay.objects.all().delete()
    ActivityDay.objects.bulk_create(
        (
            ActivityDay(
                promise_id=promise_id,
                commitment_id=commitment_id,
                kind=kind,
                day=day,
                joint=joint,
                count=count,
                districts=list(districts),
                organisations=list(organisations),
            )
            for (
                promise_id,
                commitment_id,
                kind,
                day,
                joint,
                districts,
                organisations,
            ), count in groups.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("promises", "0025_activity_day_organisations")]

    operations = [migrations.RunPython(group_again, migrations.RunPython.noop)]
