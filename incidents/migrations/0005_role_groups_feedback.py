from django.db import migrations

from promises.roles import sync_role_groups


class Migration(migrations.Migration):
    """The partner's page "Vad hände med era rapporter?": the permission for the
    role Samverkanspart."""

    dependencies = [
        ("incidents", "0004_feedback_permission"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
