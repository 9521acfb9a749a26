from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0003_activity_admin_ordering_index"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="municipality",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("export_municipality", "Kan exportera all data för kommunen")
                ],
                "verbose_name": "kommun",
                "verbose_name_plural": "kommuner",
            },
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
