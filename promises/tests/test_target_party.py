"""A target may count one party's activities only, or only joint ones (issue 20):
`Target.party` counts the activities in which that organisation took part, and
the target's sentence says so ("… där polisen deltar")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises.models import Activity, Organisation, Target
from promises.progress import Status, promise_progress
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
)

pytestmark = pytest.mark.django_db
TRAFFIC = Activity.Kind.TRAFFIC


@pytest.fixture
def parties(haninge, police, haninge_kommun):
    coast_guard = Organisation.objects.create(
        name="Kustbevakningen", kind=Organisation.Kind.PARTNER, municipality=haninge
    )
    return {"police": police, "kommun": haninge_kommun, "coast": coast_guard}


def traffic_target(promise, title, **fields):
    commitment = make_commitment(
        promise, title, kind=TRAFFIC, count=2, period=Target.Period.YEAR, **fields
    )
    return commitment.targets.get()


def test_a_target_counts_only_its_partys_activities(promise_haninge, parties):
    police, kommun, coast = parties["police"], parties["kommun"], parties["coast"]
    targets = {
        "any": traffic_target(promise_haninge, "Alla"),
        "police": traffic_target(promise_haninge, "Polisens", party=police),
        "kommun": traffic_target(promise_haninge, "Kommunens", party=kommun),
        "coast": traffic_target(promise_haninge, "Kustbevakningens", party=coast),
        "joint": traffic_target(promise_haninge, "Gemensamma", joint=True),
    }
    # Two by the police alone, one by the police and the municipality together,
    # one by the Coast Guard alone, on the same day (one activity day).
    for organisations in ([police], [police], [police, kommun], [coast]):
        make_activity(
            promise_haninge, TRAFFIC, local(2026, 3, 6), organisations=organisations
        )
    progress = {
        name: promise_progress(promise_haninge, datetime.date(2026, 12, 31))
        .for_commitment(target.commitment_id)[0]
        .done
        for name, target in targets.items()
    }
    assert progress == {"any": 4, "police": 3, "kommun": 1, "coast": 1, "joint": 1}


def test_the_sentence_names_the_party(promise_haninge, parties):
    sentences = {
        str(traffic_target(promise_haninge, f"{name}", party=party))
        for name, party in parties.items()
    }
    assert sentences == {
        "Minst 2 trafiksäkerhetsinsatser per år där polisen deltar",
        "Minst 2 trafiksäkerhetsinsatser per år där kommunen deltar",
        "Minst 2 trafiksäkerhetsinsatser per år där Kustbevakningen deltar",
    }


def test_the_public_page_says_and_counts_it(client, promise_haninge, parties):
    target = traffic_target(promise_haninge, "Kontroller", party=parties["coast"])
    make_activity(
        promise_haninge, TRAFFIC, local(2026, 3, 6), organisations=[parties["police"]]
    )
    page = client.get(f"/haninge/2026/atagande/{target.commitment_id}/")
    text = page.content.decode()
    assert "Minst 2 trafiksäkerhetsinsatser per år där Kustbevakningen deltar" in text
    (progress,) = page.context["targets"]
    # The police's control is not the Coast Guard's.
    assert (progress.done, progress.status) == (0, Status.NOT_STARTED)


def test_progress_runs_the_same_queries_with_party_targets(promise_haninge, parties):
    traffic_target(promise_haninge, "Alla")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            progress = promise_progress(promise_haninge)
            [str(p.target) for p in progress.targets]  # the sentences too
        return len(captured)

    without = queries()
    for name, party in parties.items():
        traffic_target(promise_haninge, name, party=party)
    assert queries() == without


def target_form(commitment, **fields) -> dict:
    return {
        "commitment": commitment.pk,
        "kind": TRAFFIC,
        "count": "2",
        "frequency": Target.Period.YEAR,
        "min_districts": "",
        **fields,
    }


def test_the_coordinator_chooses_a_party_of_their_own(
    client, coordinator_haninge, promise_haninge, parties, nynashamn
):
    login_verified(client, coordinator_haninge)
    commitment = make_commitment(promise_haninge, "Kontroller")
    theirs = Organisation.objects.create(
        name="Nynäshamns kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=nynashamn,
    )
    add = reverse("admin:promises_target_add")
    page = client.get(add).content.decode()
    assert "Kustbevakningen" in page and "Nynäshamns kommun" not in page

    response = client.post(add, target_form(commitment, party=theirs.pk))
    assert response.status_code == 200
    assert "party" in response.context["adminform"].form.errors
    response = client.post(
        add, target_form(commitment, party=parties["police"].pk, joint="on")
    )
    assert "Välj antingen ”gemensamt” eller en part, inte båda." in (
        response.content.decode()
    )
    response = client.post(add, target_form(commitment, party=parties["coast"].pk))
    assert response.status_code == 302
    assert commitment.targets.get().party == parties["coast"]


def test_a_party_of_another_municipality_is_refused_even_for_a_superuser(
    client, superuser, promise_haninge, nynashamn
):
    login_verified(client, superuser)
    commitment = make_commitment(promise_haninge, "Kontroller")
    theirs = Organisation.objects.create(
        name="Nynäshamns kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=nynashamn,
    )
    response = client.post(
        reverse("admin:promises_target_add"), target_form(commitment, party=theirs.pk)
    )
    assert response.status_code == 200
    assert "Välj en part som samverkar med Haninge" in response.content.decode()
    assert not commitment.targets.exists()
