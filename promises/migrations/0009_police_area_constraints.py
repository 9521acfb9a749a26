from django.db import migrations, models


class Migration(migrations.Migration):
    """After 0008: the police area replaces the promise's free-text police area,
    and the rules for organisations hold."""

    dependencies = [
        ("promises", "0008_police_areas_and_own_organisations_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalpromise",
            name="police_area",
        ),
        migrations.RemoveField(
            model_name="promise",
            name="police_area",
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("municipality", "name"),
                name="organisation_unique_name_per_municipality",
                violation_error_message="Kommunen har redan en organisation med det namnet.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)),
                fields=("name",),
                name="organisation_unique_name_unless_municipal",
                violation_error_message="Det finns redan en organisation med det namnet.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("kind", "police"),
                        ("municipality", None),
                        ("police_area__isnull", False),
                    ),
                    models.Q(
                        models.Q(("kind", "police"), _negated=True),
                        ("police_area__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="organisation_police_is_a_police_area",
                violation_error_message="Polisen läggs till som lokalpolisområde, inte som organisation.",
            ),
        ),
    ]
