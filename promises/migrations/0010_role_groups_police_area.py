from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    """Both roles see their municipality's police area."""

    dependencies = [
        ("promises", "0009_police_area_constraints"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
