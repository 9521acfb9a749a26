"""The year-end evaluation: outcomes per commitment, indicators before and after."""

import datetime
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.db import IntegrityError, transaction

from promises.models import Activity
from promises.tests.factories import local, make_activity, make_commitment
from reports.models import CommitmentOutcome, Evaluation, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def evaluation(promise_haninge, haninge):
    commitment = make_commitment(promise_haninge, "Trygghetsinventeringar")
    evaluation = Evaluation.objects.create(
        promise=promise_haninge,
        summary="Vi gjorde det mesta.",
        status=Evaluation.Status.PUBLISHED,
        published_at=local(2026, 12, 18),
    )
    CommitmentOutcome.objects.create(
        evaluation=evaluation,
        commitment=commitment,
        outcome=CommitmentOutcome.Outcome.PARTLY,
        comment="Två av fyra inventeringar.",
    )
    indicator = Indicator.objects.create(
        name="Andel som känner sig otrygga", unit="%", source="Trygghetsmätningen"
    )
    handen, jordbro, vega = (
        haninge.districts.get(name=name) for name in ["Handen", "Jordbro", "Vega"]
    )
    for district, year, value in [
        (handen, 2025, "31"),
        (handen, 2026, "28.5"),
        (jordbro, 2025, "38"),
        (vega, 2026, "12"),
        (None, 2025, "27"),
        (None, 2026, "25"),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=haninge,
            district=district,
            year=year,
            value=Decimal(value),
        )
    make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 3, 3),
        districts=[handen],
    )
    make_activity(
        promise_haninge, Activity.Kind.DIALOGUE, local(2026, 4, 3), districts=[handen]
    )
    return evaluation


def rows(html: str) -> dict[str, list[str]]:
    """Table rows of the first indicator table, by their header cell."""
    start = html.index('<caption id="table-1"')
    table = html[start : html.index("</table>", start)]
    result = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        result[cells[0]] = cells[1:]
    return result


def test_it_shows_each_district_before_and_after_beside_the_activities(
    client, evaluation
):
    html = client.get("/haninge/2026/utvardering/").content.decode()
    assert "Delvis genomfört" in html
    assert "Två av fyra inventeringar." in html
    table = rows(html)
    # Written alike (31,0 beside 28,5), with a real minus.
    assert table["Handen"] == ["31,0", "28,5", "\u22122,5", "2"]
    assert table["Jordbro"] == ["38,0", "saknas", "kan inte beräknas", "0"]
    assert table["Vega"] == ["saknas", "12,0", "kan inte beräknas", "0"]
    assert table["Haninge"] == ["27,0", "25,0", "\u22122,0", "–"]
    assert "visar inte att aktiviteterna orsakade" in html


def test_the_chart_is_accessible_svg_with_a_title_and_a_description(client, evaluation):
    html = client.get("/haninge/2026/utvardering/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Andel som känner sig otrygga"
    assert "Samma siffror finns i tabellen" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Handen" in labels
    assert "2025: 31" in labels


def test_a_draft_evaluation_is_not_public(client, evaluation):
    Evaluation.objects.update(status=Evaluation.Status.DRAFT)
    assert client.get("/haninge/2026/utvardering/").status_code == 404


def test_the_district_page_shows_its_indicators(client, evaluation):
    html = client.get("/haninge/2026/kommundel/handen/").content.decode()
    assert "Andel som känner sig otrygga" in html
    assert "28,5 %" in html


def test_one_value_per_place_and_year(evaluation, haninge):
    indicator = Indicator.objects.get()
    handen = haninge.districts.get(name="Handen")
    for district in [handen, None]:
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValue.objects.create(
                indicator=indicator,
                municipality=haninge,
                district=district,
                year=2026,
                value=1,
            )


def test_an_outcome_belongs_to_a_commitment_of_the_same_promise(evaluation, haninge):
    from promises.tests.factories import make_promise

    other = make_commitment(make_promise(haninge, 2025), "Förra året")
    outcome = CommitmentOutcome(evaluation=evaluation, commitment=other, outcome="done")
    with pytest.raises(Exception, match="annat medborgarlöfte"):
        outcome.full_clean()


def test_the_evaluation_counts_towards_its_target(evaluation):
    from promises.progress import promise_progress

    make_commitment(evaluation.promise, "Utvärdering", kind="evaluation", count=1)
    progress = promise_progress(evaluation.promise, datetime.date(2026, 12, 31))
    (target,) = [p for p in progress.targets if p.target.kind == "evaluation"]
    assert target.status == "done"


@pytest.fixture
def counts(evaluation, haninge):
    """An indicator of the lägesbild's counts: small ones are never shown."""
    indicator = Indicator.objects.create(
        municipality=haninge,
        name="Händelser: klotter",
        unit="antal",
        source="Samverkansparters rapporter (EST)",
        hides_small_counts=True,
    )
    handen, jordbro = (haninge.districts.get(name=n) for n in ["Handen", "Jordbro"])
    for district, year, quarter, value in [
        (handen, 2025, None, 3),
        (handen, 2026, None, 12),
        (jordbro, 2025, None, 8),
        (jordbro, 2026, None, 2),
        # A quarter (of another year: beside the year's values it would give a
        # small count away, test_small_counts.py): never the year's value.
        (handen, 2024, 2, 40),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=haninge,
            district=district,
            year=year,
            quarter=quarter,
            value=value,
        )
    return indicator


def test_the_evaluation_shows_small_counts_as_fewer_than_5(client, counts):
    html = client.get("/haninge/2026/utvardering/").content.decode()
    start = html.index("Händelser: klotter: värden och aktiviteter")
    table = rows(html[start - 200 :].replace('id="table-2"', 'id="table-1"'))
    # The change would tell the hidden count: it is not shown either.
    assert table["Handen"] == ["färre än 5", "12", "kan inte beräknas", "2"]
    assert table["Jordbro"] == ["8", "färre än 5", "kan inte beräknas", "0"]
    svg = html[html.rindex("<svg", 0, start) :]  # the chart above the table
    svg = svg[: svg.index("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Händelser: klotter"
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "2025: färre än 5" in labels and "2026: 12" in labels
    # A hidden count has no bar: its length would tell the number.
    bars = root.findall(f"{SVG}rect")
    assert [int(bar.get("width")) for bar in bars] == [0, 300, 200, 0]
    assert "40" not in labels


def test_yearly_and_quarterly_values_live_side_by_side(counts, haninge):
    handen = haninge.districts.get(name="Handen")
    IndicatorValue.objects.create(
        indicator=counts,
        municipality=haninge,
        district=handen,
        year=2026,
        quarter=3,
        value=1,
    )
    IndicatorValue.objects.create(
        indicator=counts, municipality=haninge, year=2026, quarter=3, value=1
    )
    for district, quarter in [(handen, 3), (handen, None), (None, 3), (handen, 5)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValue.objects.create(
                indicator=counts,
                municipality=haninge,
                district=district,
                year=2026,
                quarter=quarter,
                value=1,
            )
