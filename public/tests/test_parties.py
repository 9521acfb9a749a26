"""Who promises what (issue 20): a commitment names the parties that promise it
(the police, the municipality, both, or a named other party), and the public
pages and open data say it plainly: "Polisen lovar", "Kommunen och polisen
lovar", "Kustbevakningen lovar"."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from promises.models import Commitment, Organisation, parties_in_words
from promises.tests.factories import committed_then_restored, make_commitment
from public.tests.test_open_data import read


@pytest.fixture
def commitments(promise_haninge, haninge, police, haninge_kommun):
    coast_guard = Organisation.objects.create(
        name="Kustbevakningen", kind=Organisation.Kind.PARTNER, municipality=haninge
    )
    made = {}
    for title, parties in [
        ("Fler kontroller", [police]),
        ("Trygghetsvandringar", [haninge_kommun, police]),
        ("Närvaro på sjön", [coast_guard]),
        ("Utan parter", []),
    ]:
        commitment = make_commitment(
            promise_haninge, title, kind="other", count=2, period="year"
        )
        commitment.responsible_organisations.set(parties)
        made[title] = commitment
    return made


@pytest.mark.django_db
def test_the_commitment_page_says_who_promises(client, commitments):
    said = {
        title: client.get(f"/haninge/2026/atagande/{commitment.pk}/").content.decode()
        for title, commitment in commitments.items()
    }
    assert "<strong>Polisen lovar:</strong>" in said["Fler kontroller"]
    assert "<strong>Kommunen och polisen lovar:</strong>" in said["Trygghetsvandringar"]
    assert "<strong>Kustbevakningen lovar:</strong>" in said["Närvaro på sjön"]
    assert " lovar:</strong>" not in said["Utan parter"]


@pytest.mark.django_db
def test_the_overview_says_who_promises_each_commitment(client, commitments):
    page = client.get("/haninge/2026/").content.decode()
    assert page.count('<p class="parties">') == 3
    assert '<p class="parties">Polisen lovar</p>' in page
    assert '<p class="parties">Kommunen och polisen lovar</p>' in page
    assert '<p class="parties">Kustbevakningen lovar</p>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_open_data_carries_the_parties(client, commitments, extension):
    rows = {row["atagande"]: row for row in read(client, "framsteg", extension)}
    if extension == "csv":
        assert rows["Trygghetsvandringar"]["parter"] == (
            "Haninge kommun; Lokalpolisområde Haninge/Nynäshamn"
        )
        assert rows["Utan parter"]["lovar"] == ""
    else:
        assert rows["Trygghetsvandringar"]["parter"] == [
            "Haninge kommun",
            "Lokalpolisområde Haninge/Nynäshamn",
        ]
        assert rows["Utan parter"]["lovar"] is None
    assert rows["Trygghetsvandringar"]["lovar"] == "Kommunen och polisen"
    assert rows["Fler kontroller"]["lovar"] == "Polisen"
    assert rows["Närvaro på sjön"]["lovar"] == "Kustbevakningen"


def test_parties_in_words_name_each_party_once():
    def org(name, kind):
        return Organisation(name=name, kind=kind)

    kommun = org("Piteå kommun", "municipality")
    social = org("Socialtjänsten", "municipality")
    police = org("Lokalpolisområde Piteå älvdal", "police")
    bank = org("Sparbanken Nord", "partner")
    coast = org("Kustbevakningen", "partner")
    for organisations, expected in [
        ([police], "Polisen"),
        ([bank, police, social, kommun], "Kommunen, polisen och Sparbanken Nord"),
        ([coast, bank], "Kustbevakningen och Sparbanken Nord"),
        ([], ""),
    ]:
        assert parties_in_words(organisations) == expected


BEFORE = [("promises", "0023_commitment_parties")]


def test_the_migration_names_the_municipality_and_its_police(
    django_db_setup, django_db_blocker
):
    """Commitments that name nobody are the municipality's and its police's
    together; those that name parties keep them."""
    with committed_then_restored(django_db_blocker):
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        get = apps.get_model
        area = get("promises", "PoliceArea").objects.create(name="LPO Piteå älvdal")
        police = get("promises", "Organisation").objects.create(
            name=area.name, kind="police", police_area=area
        )
        pitea = get("promises", "Municipality").objects.create(
            name="Piteå", slug="pitea", police_area=area
        )
        kommun = get("promises", "Organisation").objects.create(
            name="Piteå kommun", kind="municipality", municipality=pitea
        )
        bank = get("promises", "Organisation").objects.create(
            name="Sparbanken Nord", kind="partner", municipality=pitea
        )
        promise = get("promises", "Promise").objects.create(
            municipality=pitea,
            year=2023,
            title="Medborgarlöfte Piteå 2023–2025",
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2025, 12, 31),
        )
        area_ = get("promises", "FocusArea").objects.create(
            promise=promise, title="Trygghet"
        )
        unnamed, named = (
            get("promises", "Commitment").objects.create(
                focus_area=area_, promise=promise, title=title
            )
            for title in ("Medborgarmöten", "Information mot bedrägerier")
        )
        named.responsible_organisations.set([police, bank])

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        parties = {
            c.title: {o.name for o in c.responsible_organisations.all()}
            for c in Commitment.objects.filter(promise_id=promise.pk)
        }
        assert parties == {
            "Medborgarmöten": {kommun.name, police.name},
            "Information mot bedrägerier": {police.name, bank.name},
        }
        assert unnamed.pk
