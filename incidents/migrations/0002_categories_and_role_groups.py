from django.db import migrations

from promises.roles import sync_role_groups

# The EST method's categories, shared by every municipality (superusers change
# them; a municipality adds its own in the admin).
CATEGORIES = [
    "Vandalism",
    "Klotter",
    "Nedskräpning",
    "Störningar",
    "Misstänkt narkotikaförsäljning",
    "Bränder",
    "Hot mot personal",
    "Otrygg plats",
    "Ungdomar samlas",
    "Övrigt",
]


def add_categories(apps, schema_editor):
    IncidentCategory = apps.get_model("incidents", "IncidentCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        IncidentCategory.objects.get_or_create(
            municipality=None, name=name, defaults={"order": order * 10}
        )


class Migration(migrations.Migration):
    """The shared categories, and the role Samverkanspart with its permissions."""

    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
