import django.db.models.deletion
from django.db import migrations, models


def from_focus_area(apps, schema_editor):
    Commitment = apps.get_model("promises", "Commitment")
    HistoricalCommitment = apps.get_model("promises", "HistoricalCommitment")
    FocusArea = apps.get_model("promises", "FocusArea")
    promise_of = dict(FocusArea.objects.values_list("pk", "promise_id"))
    for model in (Commitment, HistoricalCommitment):
        for focus_area_id, promise_id in promise_of.items():
            model.objects.filter(focus_area_id=focus_area_id).update(
                promise_id=promise_id
            )


class Migration(migrations.Migration):
    """A commitment names its promise as well as its focus area, so that the
    promise's page lists and adds its commitments. Filled from the focus area."""

    dependencies = [
        ("promises", "0010_role_groups_police_area"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="promise",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="promises.promise",
                verbose_name="medborgarlöfte",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="promise",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Fokusområdets medborgarlöfte; sätts när åtagandet sparas.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="promises.promise",
                verbose_name="medborgarlöfte",
            ),
        ),
        migrations.RunPython(from_focus_area, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitment",
            name="promise",
            field=models.ForeignKey(
                blank=True,
                help_text="Fokusområdets medborgarlöfte; sätts när åtagandet sparas.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="promises.promise",
                verbose_name="medborgarlöfte",
            ),
        ),
    ]
