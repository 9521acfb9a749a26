"""No page states what the records do not support (issue 20): Vingåker's promise of
2019, from /work/shared/real-promises.md, with the activities of one commitment
logged and nothing else. Every other commitment reads, on every public page that
names it, in the widget and in the open data, exactly what it read with nothing
logged at all, at several dates of the promise; the one logged moves.

Vingåker's promise has two commitments counted from traffic work ("at least 100
traffic controls", "at least two targeted operations against EPA tractors") and
three from work the product has no kind for ("other": speed mapping, the
supermarket's traffic, the speed display sign). Until activities named their
commitments, any two traffic controls met the EPA operations."""

import datetime
import re

import pytest
import time_machine
from django.utils.html import strip_tags

from promises.models import Activity, Commitment, FocusArea, Organisation, Target
from promises.tests.factories import (
    built_once,
    local,
    make_activity,
    make_municipality,
    make_promise,
    serve,
)

from .figures import csv_rows, page_figures

Kind = Activity.Kind
Period = Target.Period

# (focus area, [(commitment, [target fields])]), after real-promises.md.
VINGAKER = [
    (
        "Polisen lovar",
        [
            (
                "Minst 100 trafikkontroller i tätorten med 20-minutersmetoden",
                [{"kind": Kind.TRAFFIC, "count": 100, "period": Period.YEAR}],
            ),
            (
                "Minst två riktade insatser mot EPA-traktorer och mopeder",
                [{"kind": Kind.TRAFFIC, "count": 2, "period": Period.YEAR}],
            ),
            (
                "Nära kontakt med skola, fritidsgård och socialtjänst",
                [{"kind": Kind.YOUTH_COORDINATION, "period": Period.QUARTER}],
            ),
        ],
    ),
    (
        "Kommunen lovar",
        [
            (
                "Årlig trygghetsvandring med fokus på belysning",
                [
                    {
                        "kind": Kind.INVENTORY,
                        "count": 1,
                        "period": Period.YEAR,
                        "joint": True,
                    }
                ],
            ),
            (
                "Mäta och kartlägga fortkörning",
                [{"kind": Kind.OTHER, "period": Period.QUARTER}],
            ),
            ("Använda resultaten i trafiksäkerhetsarbetet", []),
            (
                "Se över trafiksituationen vid livsmedelsbutiken och åtgärda",
                [{"kind": Kind.OTHER, "count": 1, "period": Period.YEAR}],
            ),
            (
                "Mätningar med hastighetsdisplay på utvalda vägar",
                [{"kind": Kind.OTHER, "period": Period.QUARTER}],
            ),
            (
                "Följa upp löftet tre gånger under året",
                [{"kind": Target.REPORT, "count": 3, "period": Period.YEAR}],
            ),
        ],
    ),
]
CONTROLS, EPA, SUPERMARKET = (
    VINGAKER[0][1][0][0],
    VINGAKER[0][1][1][0],
    VINGAKER[1][1][3][0],
)
DATES = ["2019-03-31", "2019-06-30", "2019-10-15", "2019-12-31"]


def make_vingaker():
    """Vingåker's published promise of 2019, with nothing logged: (promise, the
    police, the municipality's organisation)."""
    municipality = make_municipality(
        "Vingåker", ["Vingåker tätort", "Marmorbyn", "Högsjö"]
    )
    police = serve(municipality, "Lokalpolisområde Katrineholm").organisation
    kommun = Organisation.objects.create(
        name="Vingåkers kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=municipality,
    )
    promise = make_promise(municipality, 2019)
    for area_order, (area_title, commitments) in enumerate(VINGAKER, 1):
        area = FocusArea.objects.create(
            promise=promise, title=area_title, order=area_order
        )
        for order, (title, targets) in enumerate(commitments, 1):
            commitment = Commitment.objects.create(
                focus_area=area, title=title, order=order
            )
            for target in targets:
                Target.objects.create(commitment=commitment, **target)
    return promise, police, kommun


@pytest.fixture(scope="module")
def vingaker(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, "2020-01-20 10:00 +01:00"):
        yield make_vingaker()


def log(promise, police, kommun, commitment_title: str) -> None:
    """The activities of one commitment, over the year, linked to it alone."""
    commitment = Commitment.objects.get(promise=promise, title=commitment_title)
    town = promise.municipality.districts.get(name="Vingåker tätort")
    if commitment_title == CONTROLS:
        for week in range(2, 52, 2):  # 25 controls, a fortnight apart
            day = datetime.date(2019, 1, 1) + datetime.timedelta(weeks=week)
            make_activity(
                promise,
                Kind.TRAFFIC,
                local(day.year, day.month, day.day, 16),
                title="Trafikkontroll, 20-minutersmetoden",
                districts=[town],
                organisations=[police],
                commitments=[commitment],
            )
    elif commitment_title == EPA:
        for month, day in ((4, 12), (9, 20)):
            make_activity(
                promise,
                Kind.TRAFFIC,
                local(2019, month, day, 20),
                title="Riktad insats mot EPA-traktorer",
                districts=[town],
                organisations=[police],
                commitments=[commitment],
            )
    else:
        make_activity(
            promise,
            Kind.OTHER,
            local(2019, 5, 15, 10),
            title="Trafiken vid livsmedelsbutiken sedd över",
            summary="Kommunen och butiken gick igenom in- och utfarten.",
            districts=[town],
            organisations=[kommun],
            publication_level=Activity.PublicationLevel.DETAIL,
            commitments=[commitment],
        )


COMMITMENT_LINK = re.compile(
    r'/atagande/(\d+)/"[^>]*>[^<]*</a></h[34]>(.*?)</li>', re.DOTALL
)


def sections(client, url: str) -> dict[int, str]:
    """{commitment id: the text under it} on the overview or the widget."""
    html = client.get(url).content.decode()
    return {
        int(pk): " ".join(strip_tags(text).split())
        for pk, text in COMMITMENT_LINK.findall(html)
    }


def figures_by_commitment(client, promise) -> dict[str, dict]:
    """Everything the public reads about each commitment."""
    base = f"/{promise.municipality.slug}/{promise.year}/"
    overview = sections(client, base)
    widget = sections(client, f"{base}inbaddning/")
    progress = csv_rows(client, f"{base}oppna-data/framsteg.csv")
    periods = csv_rows(client, f"{base}oppna-data/framsteg-perioder.csv")
    activities = csv_rows(client, f"{base}oppna-data/aktiviteter.csv")
    found = {}
    for commitment in Commitment.objects.filter(promise=promise):
        pk = str(commitment.pk)
        found[commitment.title] = {
            "overview": overview[commitment.pk],
            "widget": widget[commitment.pk],
            "page": page_figures(client, f"{base}atagande/{pk}/"),
            "framsteg": [r for r in progress if r["atagande_id"] == pk],
            "perioder": [r for r in periods if r["atagande_id"] == pk],
            "aktiviteter": [
                r for r in activities if pk in r["atagande_id"].split("; ")
            ],
        }
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "logged", [CONTROLS, EPA, SUPERMARKET], ids=["kontroller", "epa", "butiken"]
)
def test_only_the_commitment_whose_activities_were_logged_moves(
    client, vingaker, logged
):
    promise, police, kommun = vingaker
    before = {}
    for day in DATES:
        with time_machine.travel(f"{day} 22:00 +01:00", tick=False):
            before[day] = figures_by_commitment(client, promise)
    log(promise, police, kommun, logged)
    for day in DATES:
        with time_machine.travel(f"{day} 22:00 +01:00", tick=False):
            after = figures_by_commitment(client, promise)
        for title, figures in after.items():
            if title != logged:
                assert figures == before[day][title], (day, title)
        if day != DATES[0] or logged == CONTROLS:
            assert after[logged] != before[day][logged], (day, logged)


@pytest.mark.django_db
def test_the_epa_operations_read_what_was_done_for_them(client, vingaker):
    """The issue's example: 25 traffic controls logged, the EPA operations still
    read nothing done, and the controls read their own number."""
    promise, police, kommun = vingaker
    log(promise, police, kommun, CONTROLS)
    with time_machine.travel("2019-12-31 22:00 +01:00", tick=False):
        figures = figures_by_commitment(client, promise)
    (epa,) = figures[EPA]["framsteg"]
    (controls,) = figures[CONTROLS]["framsteg"]
    assert (epa["genomfort"], epa["antal_aktiviteter"], epa["status"]) == (
        "0",
        "0",
        "behind",
    )
    assert "0 av 2" in figures[EPA]["widget"]
    assert (controls["genomfort"], controls["sammanfattning"]) == (
        "25",
        "25 av 100 insatser",
    )
