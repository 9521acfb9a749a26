"""Ni sa – vi gjorde (issue 13): per district, what residents raised, what was done
about it, how long fixes took and what is still open; the dialogue's page leads to
it; open data has the topics and the findings' outcomes. Only what is public."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import Activity, DialogueTopic, Finding
from promises.tests.factories import local, make_activity, make_commitment, make_promise

pytestmark = pytest.mark.django_db

DISTRICT = "/haninge/2026/kommundel/handen/"


def add_finding(inventory, place, district, **outcome) -> Finding:
    finding = Finding(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        place=place,
        district=district,
        **outcome,
    )
    finding.full_clean()
    finding.save()
    return finding


@pytest.fixture
def handen(haninge):
    return haninge.districts.get(name="Handen")


@pytest.fixture
def loop(promise_haninge, handen):
    """An inventory on 10 March with a finding in every outcome, a dialogue on 20
    March whose topics they answer, and what the public may not see."""
    inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 3, 10, 18),
        districts=[handen],
        title="Trygghetsinventering i Handen",
    )
    day = datetime.date(2026, 3, 10)
    findings = {
        "tunnel": add_finding(
            inventory,
            "Gångtunneln under Nynäsvägen",
            handen,
            status="fixed",
            fixed_on=day + datetime.timedelta(days=10),
        ),
        "stop": add_finding(
            inventory,
            "Busshållplatsen",
            handen,
            status="fixed",
            fixed_on=day + datetime.timedelta(days=20),
        ),
        "path": add_finding(
            inventory,
            "Gångstigen",
            handen,
            status="fixed",
            fixed_on=day + datetime.timedelta(days=40),
        ),
        "square": add_finding(
            inventory,
            "Torget",
            handen,
            status="planned",
            planned_on=datetime.date(2027, 4, 1),
        ),
        "crossing": add_finding(
            inventory,
            "Övergångsstället vid Nynäsvägen",
            handen,
            status="referred",
            referred_to="Trafikverket",
        ),
        "shelter": add_finding(
            inventory,
            "Väderskyddet",
            handen,
            status="not_fixed",
            not_fixed_reason="Väderskyddet rivs i vår.",
        ),
        "park": add_finding(inventory, "Parken", handen),
    }
    findings["park"].status = "fixed"
    findings["park"].fixed_on = datetime.date(2026, 5, 1)
    findings["park"].save()
    findings["park"].reopen(on=datetime.date(2026, 9, 1))
    commitment = make_commitment(promise_haninge, "Trygga gångtunnlar")
    dialogue = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 20, 18),
        districts=[handen],
        title="Trygghetsdialog i Handen",
    )
    topics = {
        "tunnel": DialogueTopic.objects.create(
            dialogue=dialogue,
            text="Mörkt i gångtunneln",
            place="Nynäsvägen",
            finding=findings["tunnel"],
            commitment=commitment,
        ),
        "crossing": DialogueTopic.objects.create(
            dialogue=dialogue, text="Bilar kör fort", finding=findings["crossing"]
        ),
        "mopeds": DialogueTopic.objects.create(
            dialogue=dialogue, text="Mopeder på gångvägarna"
        ),
    }
    topics["tunnel"].districts.set([handen])
    # Hidden: an internal dialogue's topic; a public topic answered by a finding of
    # an internal inventory, and by a commitment of a draft promise.
    internal = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 4, 20, 18),
        districts=[handen],
        title="Internt möte",
        publication_level=Activity.PublicationLevel.INTERNAL,
    )
    DialogueTopic.objects.create(dialogue=internal, text="Hemligt ämne från mötet")
    hidden_inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 4, 21, 18),
        districts=[handen],
        publication_level=Activity.PublicationLevel.INTERNAL,
    )
    hidden = add_finding(hidden_inventory, "Hemlig plats", handen)
    draft = make_promise(promise_haninge.municipality, 2027, status="draft")
    draft_commitment = make_commitment(draft, "Hemligt utkaståtagande")
    DialogueTopic.objects.create(
        dialogue=dialogue,
        text="Klotter på skolan",
        finding=hidden,
        commitment=draft_commitment,
    )
    return {"dialogue": dialogue, "findings": findings, "topics": topics}


def test_the_district_page_closes_the_loop(client, loop):
    html = client.get(DISTRICT).content.decode()
    # What residents raised, with the dialogue and what was done.
    assert "Ni sa: det här tog invånarna upp" in html
    tunnel = loop["topics"]["tunnel"]
    assert f'id="amne-{tunnel.pk}"' in html
    assert "Mörkt i gångtunneln" in html
    assert loop["dialogue"].get_absolute_url() in html
    assert "Åtgärdat 20 mars 2026" in html
    assert "Trygga gångtunnlar" in html
    assert "Överlämnat till Trafikverket" in html
    assert "Inget är gjort ännu." in html  # the mopeds, and the hidden answers
    # Each outcome, the median days and what is still open.
    assert "Åtgärdat 3 av 7" in html
    for outcome in [
        "Planerat till 1 april 2027",
        "Åtgärdas inte</span>: Väderskyddet rivs i vår.",
        "Ej åtgärdat",
        "(problemet kom tillbaka, öppnades igen 1 september 2026)",
    ]:
        assert outcome in html
    assert "Mediantid från inventering till åtgärd: 20 dagar." in html
    still_open = html.split("Fortfarande öppet")[1]
    assert "Parken" in still_open
    assert "Gångstigen" not in still_open
    # Nothing the public may not see.
    for hidden in ["Hemligt ämne", "Hemlig plats", "Hemligt utkaståtagande"]:
        assert hidden not in html
    assert "Klotter på skolan" in html  # the topic itself is public


def test_the_dialogues_page_leads_to_the_district_page(client, loop):
    html = client.get(loop["dialogue"].get_absolute_url()).content.decode()
    tunnel = loop["topics"]["tunnel"]
    assert "Mörkt i gångtunneln" in html
    assert f'href="{DISTRICT}#amne-{tunnel.pk}"' in html
    # A topic without districts of its own is the dialogue's district's.
    mopeds = loop["topics"]["mopeds"]
    assert f'href="{DISTRICT}#amne-{mopeds.pk}"' in html
    for hidden in ["Hemligt ämne", "Hemlig plats", "Hemligt utkaståtagande"]:
        assert hidden not in html


def test_without_anything_raised_or_found_the_page_says_so(client, promise_haninge):
    html = client.get(DISTRICT).content.decode()
    assert (
        "Inga ämnen från trygghetsdialoger i kommundelen är publicerade i år." in html
    )
    assert "Mediantid från inventering till åtgärd" not in html


def count_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_district_and_dialogue_pages_query_counts_do_not_grow(
    client, loop, handen, promise_haninge
):
    dialogue_url = loop["dialogue"].get_absolute_url()
    few = (count_queries(client, DISTRICT), count_queries(client, dialogue_url))
    inventory = loop["findings"]["tunnel"].inventory
    for number in range(30):
        finding = add_finding(
            inventory,
            f"Plats {number}",
            handen,
            status="fixed",
            fixed_on=datetime.date(2026, 4, 1),
        )
        topic = DialogueTopic.objects.create(
            dialogue=loop["dialogue"], text=f"Ämne {number}", finding=finding
        )
        topic.districts.set([handen])
    many = (count_queries(client, DISTRICT), count_queries(client, dialogue_url))
    assert many == few
    # District page: promise, district, activities (count, page, their districts),
    # per quarter, findings (counted per outcome, the first 25 listed, the fixed
    # ones' dates for the median), topics, indicators, announced dialogues;
    # dialogue page: promise, activity, districts, organisations, commitments,
    # findings, topics and their districts.
    assert few == (12, 8)


# --- Open data ------------------------------------------------------------------------


def rows(client, dataset: str) -> list[dict]:
    response = client.get(f"/haninge/2026/oppna-data/{dataset}.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_open_data_has_the_topics_and_what_answers_them(client, loop):
    topics = rows(client, "dialogamnen")
    assert [topic["amne"] for topic in topics] == [
        "Mörkt i gångtunneln",
        "Bilar kör fort",
        "Mopeder på gångvägarna",
        "Klotter på skolan",
    ]
    tunnel, crossing, mopeds, graffiti = topics
    assert tunnel["kommundelar"] == ["Handen"]
    assert tunnel["dialog_datum"] == "2026-03-20"
    assert tunnel["atagande"] == "Trygga gångtunnlar"
    assert (tunnel["iakttagelse_utfall"], tunnel["iakttagelse_utfall_namn"]) == (
        "fixed",
        "Åtgärdat",
    )
    assert crossing["iakttagelse_utfall"] == "referred"
    assert (mopeds["atagande_id"], mopeds["iakttagelse_id"]) == (None, None)
    # The hidden finding and the draft's commitment stay out.
    assert graffiti["atagande_id"] is None
    assert graffiti["iakttagelse_id"] is None
    assert "Hemligt" not in json.dumps(topics)


def test_open_data_has_each_findings_outcome(client, loop):
    findings = {row["plats"]: row for row in rows(client, "iakttagelser")}
    assert "Hemlig plats" not in findings
    assert findings["Busshållplatsen"]["dagar_till_atgard"] == 20
    assert findings["Torget"]["planerat_datum"] == "2027-04-01"
    assert findings["Övergångsstället vid Nynäsvägen"]["overlamnat_till"] == (
        "Trafikverket"
    )
    assert findings["Väderskyddet"]["skal_ej_atgard"] == "Väderskyddet rivs i vår."
    park = findings["Parken"]
    assert (park["status"], park["status_namn"]) == ("open", "Ej åtgärdat")
    assert (park["ateroppnad_datum"], park["antal_ateroppningar"]) == (
        "2026-09-01",
        1,
    )
    response = client.get("/haninge/2026/oppna-data/dialogamnen.csv")
    table = list(csv.DictReader(io.StringIO(b"".join(response).decode())))
    assert table[0]["amne"] == "Mörkt i gångtunneln"
    assert table[0]["kommundelar"] == "Handen"
