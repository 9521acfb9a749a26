"""Each municipality its police area, each organisation its municipality.

Before: organisations were shared by every municipality, and a promise named its
police area in free text. After: a police area per municipality (from its latest
promise's text, else from the police organisations its activities name), the
police organisations belong to the police areas, and every other organisation to
the municipality whose activities and findings name it; one named by several
municipalities is copied for each of them, and their activities and findings
point at their own copy. Nothing is lost: every link stays, to an organisation
of the same name and kind.
"""

from collections import Counter, defaultdict

from django.db import migrations


def _uses(apps) -> dict[int, Counter]:
    """{organisation id: Counter(municipality id: activities and findings)}."""
    Activity = apps.get_model("promises", "Activity")
    Finding = apps.get_model("promises", "Finding")
    uses = defaultdict(Counter)
    links = Activity.organisations.through.objects.values_list(
        "organisation_id", "activity__promise__municipality_id"
    )
    responsible = Finding.objects.filter(responsible__isnull=False).values_list(
        "responsible_id", "inventory__promise__municipality_id"
    )
    for organisation_id, municipality_id in [*links, *responsible]:
        uses[organisation_id][municipality_id] += 1
    return uses


def _unused_name(Organisation, name: str) -> str:
    taken = set(
        Organisation.objects.filter(municipality__isnull=True).values_list(
            "name", flat=True
        )
    )
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def _repoint(apps, municipality_id, old, new) -> None:
    """The municipality's activities and findings name `new` instead of `old`."""
    Activity = apps.get_model("promises", "Activity")
    Finding = apps.get_model("promises", "Finding")
    Link = Activity.organisations.through
    links = Link.objects.filter(
        organisation_id=old, activity__promise__municipality_id=municipality_id
    )
    for activity_id in list(links.values_list("activity_id", flat=True)):
        Link.objects.filter(activity_id=activity_id, organisation_id=old).delete()
        Link.objects.get_or_create(activity_id=activity_id, organisation_id=new)
    Finding.objects.filter(
        responsible_id=old, inventory__promise__municipality_id=municipality_id
    ).update(responsible_id=new)


def forward(apps, schema_editor):
    Municipality = apps.get_model("promises", "Municipality")
    Organisation = apps.get_model("promises", "Organisation")
    PoliceArea = apps.get_model("promises", "PoliceArea")
    Promise = apps.get_model("promises", "Promise")
    uses = _uses(apps)
    police = list(Organisation.objects.filter(kind="police").order_by("pk"))

    # Each municipality's police area.
    areas = {}
    for municipality in Municipality.objects.order_by("pk"):
        name = (
            Promise.objects.filter(municipality=municipality)
            .exclude(police_area="")
            .order_by("-year")
            .values_list("police_area", flat=True)
            .first()
        )
        if not name:
            used = [
                (uses[o.pk][municipality.pk], o.name)
                for o in police
                if uses[o.pk][municipality.pk]
            ]
            name = max(used)[1] if used else None
        if name:
            name = name[:150]
            if name not in areas:
                areas[name] = PoliceArea.objects.create(name=name)
            municipality.police_area = areas[name]
            municipality.save(update_fields=["police_area"])
    area_of = dict(Municipality.objects.values_list("pk", "police_area_id"))

    # The police organisations belong to the police areas that use them.
    taken = set()
    for organisation in police:
        chosen = next(
            (
                area_of[m]
                for m, _ in uses[organisation.pk].most_common()
                if area_of.get(m) and area_of[m] not in taken
            ),
            None,
        )
        if chosen is None:
            name = organisation.name[:150]
            while PoliceArea.objects.filter(name=name).exists():
                name = f"{name[:140]} ({organisation.pk})"
            chosen = PoliceArea.objects.create(name=name).pk
        organisation.police_area_id = chosen
        organisation.save(update_fields=["police_area"])
        taken.add(chosen)
    for area in PoliceArea.objects.exclude(pk__in=taken):
        Organisation.objects.create(
            name=_unused_name(Organisation, area.name), kind="police", police_area=area
        )
    # A police area's organisation has its name, as the model keeps it.
    for organisation in Organisation.objects.filter(kind="police").select_related(
        "police_area"
    ):
        name = organisation.police_area.name
        if (
            organisation.name != name
            and not Organisation.objects.filter(
                municipality__isnull=True, name=name
            ).exists()
        ):
            organisation.name = name
            organisation.save(update_fields=["name"])
    own_police = dict(
        Organisation.objects.filter(kind="police").values_list("police_area_id", "pk")
    )
    for organisation in police:
        for municipality_id in uses[organisation.pk]:
            area = area_of.get(municipality_id)
            if area and area != organisation.police_area_id:
                _repoint(apps, municipality_id, organisation.pk, own_police[area])

    # Every other organisation belongs to the municipality that names it, copied
    # for each further municipality; an unused one, to the only municipality
    # there is or the one its name names ("Haninge Bostäder"), else it stays
    # shared (superusers change it).
    names = dict(Municipality.objects.values_list("pk", "name"))
    for organisation in Organisation.objects.exclude(kind="police").order_by("pk"):
        users = [m for m, _ in uses[organisation.pk].most_common()]
        if not users:
            named = [
                pk
                for pk, name in names.items()
                if len(names) == 1 or name.lower() in organisation.name.lower()
            ]
            users = named if len(named) == 1 else []
        if not users:
            continue
        organisation.municipality_id = users[0]
        organisation.save(update_fields=["municipality"])
        for municipality_id in users[1:]:
            copy = Organisation.objects.create(
                name=organisation.name,
                kind=organisation.kind,
                municipality_id=municipality_id,
            )
            _repoint(apps, municipality_id, organisation.pk, copy.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0007_police_areas_and_own_organisations"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
