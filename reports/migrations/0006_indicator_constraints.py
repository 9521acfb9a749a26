from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_indicators_per_municipality_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                fields=("municipality", "name"),
                name="indicator_unique_name_per_municipality",
                violation_error_message="Kommunen har redan en indikator med det namnet.",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)),
                fields=("name",),
                name="indicator_unique_shared_name",
                violation_error_message="Det finns redan en gemensam indikator med det namnet.",
            ),
        ),
    ]
