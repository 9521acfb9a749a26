from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0002_role_groups"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
