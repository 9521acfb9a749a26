"""The EST method's incident categories, shared by every municipality.

Made by a data migration (0002); again by `load_haninge --demo` and the tests,
should a flush have emptied the database since. Superusers change the shared
ones; a municipality adds its own in the admin."""

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


def add_shared_categories(apps, schema_editor=None) -> None:
    IncidentCategory = apps.get_model("incidents", "IncidentCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        IncidentCategory.objects.get_or_create(
            municipality=None, name=name, defaults={"order": order * 10}
        )
