from django.db import migrations

from incidents.seed import add_shared_categories
from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    """The shared categories, and the role Samverkanspart with its permissions."""

    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_shared_categories, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
