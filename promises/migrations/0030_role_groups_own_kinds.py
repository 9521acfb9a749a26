from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    """The coordinator names the municipality's own kinds; the police liaison sees
    them."""

    dependencies = [
        ("promises", "0029_own_kinds"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
