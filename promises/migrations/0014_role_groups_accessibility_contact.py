from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    """The coordinator keeps the municipality's accessibility contact."""

    dependencies = [
        ("promises", "0013_dialogue_venue_and_accessibility_contact"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
