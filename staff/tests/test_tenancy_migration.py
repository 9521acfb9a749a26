"""The migration to one municipality per organisation, indicator and police area
(promises 0007–0009, reports 0004–0006) keeps every row and every link.

The data is written with the models as they were before (promises 0006, reports
0003): shared organisations used by two municipalities, police areas in free
text, a shared indicator linked to both municipalities' commitments. Then the
migrations run forward, and the result is read with today's models.
"""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from promises.models import Activity, Finding, Municipality, Organisation, PoliceArea
from promises.tests.factories import committed_then_restored
from reports.models import Indicator

BEFORE = [
    ("promises", "0006_staged_upload"),
    ("reports", "0003_publishable_constraint_name"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def old_data(apps):
    """Haninge and Nynäshamn before tenancy, as the demo and its users made them."""
    Municipality = apps.get_model("promises", "Municipality")
    District = apps.get_model("promises", "District")
    Organisation = apps.get_model("promises", "Organisation")
    Promise = apps.get_model("promises", "Promise")
    FocusArea = apps.get_model("promises", "FocusArea")
    Commitment = apps.get_model("promises", "Commitment")
    Activity = apps.get_model("promises", "Activity")
    Finding = apps.get_model("promises", "Finding")
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")

    places = {}
    for name in ("Haninge", "Nynäshamn"):
        municipality = Municipality.objects.create(name=name, slug=name.lower())
        district = District.objects.create(
            municipality=municipality, name=f"{name} centrum", slug="centrum"
        )
        promise = Promise.objects.create(
            municipality=municipality,
            year=2026,
            title=f"Medborgarlöfte {name} 2026",
            police_area="Lokalpolisområde Haninge/Nynäshamn",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
        area = FocusArea.objects.create(promise=promise, title="Trygghet")
        commitment = Commitment.objects.create(
            focus_area=area, title=f"Åtagande {name}"
        )
        places[name] = (municipality, district, promise, commitment)

    police = Organisation.objects.create(
        name="Polisen, lokalpolisområde Haninge/Nynäshamn", kind="police"
    )
    security = Organisation.objects.create(name="Securitas", kind="partner")
    haninge_kommun = Organisation.objects.create(
        name="Haninge kommun", kind="municipality"
    )
    Organisation.objects.create(name="Haninge Bostäder", kind="partner")  # unused
    Organisation.objects.create(name="Trafikverket", kind="partner")  # unused
    for name, (_municipality, district, promise, _commitment) in places.items():
        organisations = [police, security]
        if name == "Haninge":
            organisations.append(haninge_kommun)
        inventory = Activity.objects.create(
            promise=promise,
            kind="inventory",
            status="done",
            starts_at=datetime.datetime(2026, 3, 4, 17, tzinfo=datetime.UTC),
            title=f"Inventering {name}",
            publication_level="detail",
        )
        inventory.organisations.set(organisations)
        inventory.districts.set([district])
        Finding.objects.create(
            inventory=inventory,
            category="lighting",
            place=f"Tunneln i {name}",
            responsible=security,
        )
    survey = Indicator.objects.create(name="Otrygghet", unit="%", source="Enkät")
    survey.commitments.set([places["Haninge"][3], places["Nynäshamn"][3]])
    for municipality, *_ in places.values():
        IndicatorValue.objects.create(
            indicator=survey, municipality=municipality, year=2025, value=30
        )
    crime = Indicator.objects.create(name="Anmälda brott", unit="st", source="Brå")
    crime.commitments.set([places["Haninge"][3], places["Nynäshamn"][3]])
    IndicatorValue.objects.create(
        indicator=crime, municipality=places["Haninge"][0], year=2025, value=80
    )


def test_every_row_and_link_survives_and_belongs_to_one_municipality(
    django_db_setup, django_db_blocker
):
    # Migrations outside a transaction; the database as it was afterwards.
    with committed_then_restored(django_db_blocker):
        old_data(migrate(BEFORE))
        migrate(latest())
        check_the_migrated_data()


def check_the_migrated_data():

    haninge = Municipality.objects.get(name="Haninge")
    nynashamn = Municipality.objects.get(name="Nynäshamn")
    # One police area for both, from the promises' text, with its police.
    (area,) = PoliceArea.objects.all()
    assert area.name == "Lokalpolisområde Haninge/Nynäshamn"
    assert haninge.police_area == nynashamn.police_area == area
    assert area.organisation.kind == Organisation.Kind.POLICE
    assert area.organisation.name == area.name

    # A partner named by both is now one per municipality; each municipality's
    # activities and findings name its own; nothing lost.
    for municipality in (haninge, nynashamn):
        inventory = Activity.objects.get(promise__municipality=municipality)
        names = {
            (o.name, o.municipality_id, o.police_area_id)
            for o in inventory.organisations.all()
        }
        assert ("Securitas", municipality.pk, None) in names
        assert (area.name, None, area.pk) in names
        finding = Finding.objects.get(inventory=inventory)
        assert finding.responsible.name == "Securitas"
        assert finding.responsible.municipality == municipality
    assert Organisation.objects.get(name="Haninge kommun").municipality == haninge
    # Unused ones: the one whose name names a municipality is its; the other
    # stays shared, for superusers to change.
    assert Organisation.objects.get(name="Haninge Bostäder").municipality == haninge
    trafikverket = Organisation.objects.get(name="Trafikverket")
    assert trafikverket.municipality is None and trafikverket.police_area is None

    # An indicator with values of both stays shared; one with Haninge's values
    # only is Haninge's, and its link to Nynäshamn's commitment moved to a copy.
    survey = Indicator.objects.get(name="Otrygghet")
    assert survey.municipality is None
    assert survey.commitments.count() == 2
    haninges, nynashamns = (
        Indicator.objects.get(name="Anmälda brott", municipality=m)
        for m in (haninge, nynashamn)
    )
    assert [c.title for c in haninges.commitments.all()] == ["Åtagande Haninge"]
    assert [c.title for c in nynashamns.commitments.all()] == ["Åtagande Nynäshamn"]
    assert haninges.values.count() == 1 and not nynashamns.values.exists()
    # Each commitment names its promise (promises 0011).
    for municipality in (haninge, nynashamn):
        (commitment,) = municipality.promises.get().commitments.all()
        assert commitment.focus_area.promise == commitment.promise
