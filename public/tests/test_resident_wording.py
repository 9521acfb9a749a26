"""What residents read says what it means (issue 22, §2 "Resident wording"): numbers
without "antal" or "index" after them and written alike in a series, a real minus,
a target passed said so, what was done about a topic in a sentence, the words
"utsättning", "I fas", "Atom-flöde" and ".ics" explained where they appear, and a
district's indicators as a trend: a table with a small chart, no JavaScript."""

import datetime
import re
from decimal import Decimal

import pytest

from promises.models import Activity, DialogueTopic, Finding, Target
from promises.tests.factories import local, make_activity, make_commitment
from reports.models import Evaluation, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

DISTRICT = "/haninge/2026/kommundel/handen/"
MINUS = "\u2212"


@pytest.fixture
def handen(haninge):
    return haninge.districts.get(name="Handen")


@pytest.fixture
def indicators(haninge, handen):
    index = Indicator.objects.create(
        municipality=haninge,
        name="Problemindex i trygghetsmätningen",
        unit="index",
        source="Trygghetsmätningen",
    )
    counts = Indicator.objects.create(
        municipality=haninge,
        name="Händelser: klotter",
        unit="antal",
        source="Samverkansparters rapporter (EST)",
        hides_small_counts=True,
    )
    share = Indicator.objects.create(
        municipality=haninge, name="Andel otrygga", unit="%", source="Mätningen"
    )
    for indicator, year, quarter, value in [
        (index, 2024, None, "2.3"),
        (index, 2025, None, "2"),
        (index, 2026, None, "1.9"),
        (counts, 2026, 2, "3"),
        (counts, 2026, 3, "6"),
        (share, 2025, None, "27"),
        (share, 2026, None, "25"),
    ]:
        IndicatorValue.objects.create(
            indicator=indicator,
            municipality=haninge,
            district=handen,
            year=year,
            quarter=quarter,
            value=Decimal(value),
        )
        if indicator is share:
            IndicatorValue.objects.create(
                indicator=indicator, municipality=haninge, year=year, value=value
            )
    return index, counts, share


def trend(html: str, name: str) -> list[list[str]]:
    """The rows (period, value) of an indicator's trend table on a district page."""
    start = html.index(f">{name}</h3>")
    table = html[start : html.index("</table>", start)]
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)", row)[:2]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]


def test_values_have_no_antal_or_index_after_them_and_read_alike(
    client, promise_haninge, indicators
):
    html = client.get(DISTRICT).content.decode()
    assert " antal<" not in html and "färre än 5 antal" not in html
    assert " index<" not in html
    assert trend(html, "Händelser: klotter") == [
        ["kv. 2 2026", "färre än 5"],
        ["kv. 3 2026", "6"],
    ]
    assert trend(html, "Problemindex i trygghetsmätningen") == [
        ["2024", "2,3"],
        ["2025", "2,0"],
        ["2026", "1,9"],
    ]
    assert trend(html, "Andel otrygga") == [["2025", "27 %"], ["2026", "25 %"]]
    # The column says what a bare number is.
    assert '<th scope="col">Antal</th>' in html
    assert '<th scope="col">Index</th>' in html


def test_the_district_indicators_are_a_trend_with_a_small_chart(
    client, promise_haninge, indicators
):
    html = client.get(DISTRICT).content.decode()
    assert "Från 2,3 (2024) till 1,9 (2026). Lägre är bättre." in html
    start = html.index(">Problemindex i trygghetsmätningen</h3>")
    table = html[start : html.index("</table>", start)]
    assert "<script" not in html
    bars = re.findall(r'<svg class="trend-bar"[^>]*><rect width="(\d+)"', table)
    assert bars == ["80", "69", "66"]  # 2,3 is the largest
    # A small count has no bar, so that its length tells nothing either.
    start = html.index(">Händelser: klotter</h3>")
    table = html[start : html.index("</table>", start)]
    assert re.findall(r'<rect width="(\d+)"', table) == ["0", "80"]


def test_a_change_has_a_real_minus(client, promise_haninge, indicators):
    Evaluation.objects.create(
        promise=promise_haninge,
        summary="Så gick det.",
        status=Evaluation.Status.PUBLISHED,
    )
    html = client.get("/haninge/2026/utvardering/").content.decode()
    assert f">{MINUS}2<" in html  # 27 → 25
    assert ">-2<" not in html


def test_a_target_passed_says_so(client, promise_haninge, handen):
    make_commitment(
        promise_haninge,
        "Gemensamma trygghetsinventeringar",
        kind=Activity.Kind.INVENTORY,
        count=4,
        period=Target.Period.YEAR,
    )
    for month in range(1, 6):
        make_activity(
            promise_haninge,
            Activity.Kind.INVENTORY,
            local(2026, month, 10),
            districts=[handen],
        )
    html = client.get("/haninge/2026/").content.decode()
    assert "5 trygghetsinventeringar, fler än målet på 4" in html
    assert "5 av 4" not in html


@pytest.fixture
def topics(promise_haninge, handen):
    inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 3, 10, 18),
        districts=[handen],
    )
    dialogue = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 20, 18),
        districts=[handen],
    )

    def finding(place, **outcome):
        return Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LIGHTING,
            place=place,
            district=handen,
            **outcome,
        )

    answers = {
        "open": finding("Gångstigen vid skolan"),
        "fixed": finding(
            "Gångtunneln", status="fixed", fixed_on=datetime.date(2026, 6, 12)
        ),
    }
    for text, answer in answers.items():
        DialogueTopic.objects.create(dialogue=dialogue, text=text, finding=answer)
    commitment = make_commitment(promise_haninge, "Förebygga att unga hamnar fel")
    DialogueTopic.objects.create(
        dialogue=dialogue, text="Unga i centrum", commitment=commitment
    )
    DialogueTopic.objects.create(dialogue=dialogue, text="Mopeder")
    return dialogue


def answers(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", answer)).strip()
        for answer in re.findall(r'<p class="answer">(.*?)</p>', html, re.S)
    ]


def test_what_was_done_about_a_topic_is_a_sentence(client, topics):
    html = client.get(DISTRICT).content.decode()
    said = answers(html)
    assert (
        "Inget är gjort ännu: bristen vid Gångstigen vid skolan är registrerad och "
        "väntar på åtgärd. Se bristen"
    ) in said
    assert (
        "Vi gjorde: åtgärdade bristen vid Gångtunneln den 12 juni 2026. Se bristen"
    ) in said
    assert (
        "Vi gjorde: Det blev en del av medborgarlöftet, i åtagandet Förebygga att "
        "unga hamnar fel."
    ) in said
    assert "Inget är gjort ännu." in said
    for answer in said:
        assert " ." not in answer and "Åtagande:" not in answer
        assert "Ej åtgärdat" not in answer
    # The dialogue's own page says the same (without the link to the table).
    on_the_dialogue = answers(client.get(topics.get_absolute_url()).content.decode())
    assert on_the_dialogue == [answer.removesuffix(" Se bristen") for answer in said]


def test_the_words_are_explained_where_they_appear(client, promise_haninge, handen):
    make_commitment(
        promise_haninge,
        "Utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        weekday=Target.Weekday.FRIDAY,
        period=Target.Period.WEEK,
    )
    make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 6))
    overview = client.get("/haninge/2026/").content.decode()
    assert "<strong>I fas</strong> – det som är gjort hittills räcker" in overview
    assert "En utsättning är när polisen och kommunen" in overview
    assert "en .ics-fil: kalenderprogram som Outlook" in overview
    assert "ett Atom-flöde: en nyhetsläsare" in overview
    reports = client.get("/haninge/2026/rapporter/").content.decode()
    assert "ett Atom-flöde: en nyhetsläsare" in reports
