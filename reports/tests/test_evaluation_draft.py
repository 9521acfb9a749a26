"""'Skapa utkast' for the evaluation: per commitment its process (targets met,
period by period) and effect (goals from baseline to latest, districts with the
commitment's activities beside the rest), written from Haninge's demo (issue 13)."""

import pytest
from django.urls import reverse

from promises.models import Municipality, Promise
from promises.roles import COORDINATOR, POLICE_LIAISON
from promises.tests.factories import login_verified, make_user
from reports.models import CommitmentOutcome, Evaluation

pytestmark = pytest.mark.django_db
BUILD = reverse("admin:reports_evaluation_build_draft")


@pytest.fixture
def demo(haninge_demo):
    haninge = Municipality.objects.get(name="Haninge")
    return {
        "haninge": haninge,
        "this_year": Promise.objects.get(municipality=haninge, year=2026),
        "last_year": Promise.objects.get(municipality=haninge, year=2025),
        "coordinator": make_user("samordnaren", COORDINATOR, [haninge]),
    }


def test_the_coordinator_builds_the_draft_from_the_demo(client, demo):
    promise = demo["this_year"]
    assert not Evaluation.objects.filter(promise=promise).exists()  # 1 December
    login_verified(client, demo["coordinator"])
    assert "Skapa utkast" in client.get("/admin/reports/evaluation/").content.decode()
    assert client.get(BUILD).status_code == 200
    response = client.post(BUILD, {"promise": promise.pk})
    evaluation = Evaluation.objects.get(promise=promise)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:reports_evaluation_change", args=[evaluation.pk]
    )
    assert not evaluation.is_published and evaluation.figures is None
    outcomes = {o.commitment.title: o for o in evaluation.outcomes.all()}
    assert len(outcomes) == promise.commitments.count()
    assert all(o.comment.startswith("Process: ") for o in outcomes.values())
    assert "av 9 åtaganden genomfördes" in evaluation.summary
    # Process, period by period.
    inventories = outcomes["Gemensamma trygghetsinventeringar"]
    assert "Minst 2 gemensamma trygghetsinventeringar per halvår: uppfyllt" in (
        inventories.comment
    )
    assert "avslutade perioder" in inventories.comment
    # Effect: the goal's indicator from its baseline, with the caveat.
    assert "Effekt: Andel som känner sig otrygga ute sent på kvällen: utgångsläge" in (
        inventories.comment
    )
    assert "mål 20 senast 31 december 2027" in inventories.comment
    assert "Senaste värde 24 (2026)." in inventories.comment
    assert "I kommundelar med åtagandets aktiviteter ändrades värdet" in (
        inventories.comment
    )
    assert "En skillnad visar inte att aktiviteterna orsakade den" in (
        inventories.comment
    )
    # No goal, no effect paragraph.
    assert "Effekt:" not in outcomes["Ökad trafiksäkerhet"].comment
    assert {o.outcome for o in outcomes.values()} <= set(CommitmentOutcome.Outcome)

    # Built again, the draft is written again: still one outcome per commitment.
    client.post(BUILD, {"promise": promise.pk})
    assert evaluation.outcomes.count() == len(outcomes)
    # Published, it is refused, and stays as it was.
    evaluation.refresh_from_db()
    evaluation.publish()
    response = client.post(BUILD, {"promise": promise.pk})
    assert response.status_code == 200
    assert "redan publicerad" in response.content.decode()


def test_another_municipalitys_promise_is_no_choice(client, demo):
    nynashamn = Municipality.objects.get(name="Nynäshamn")
    login_verified(client, make_user("nynas", COORDINATOR, [nynashamn]))
    page = client.get(BUILD).content.decode()
    assert (
        "Haninge"
        not in page.split('<select name="promise"', 1)[1].split("</select>")[0]
    )
    response = client.post(BUILD, {"promise": demo["this_year"].pk})
    assert response.status_code == 200
    assert "Välj ett av dina publicerade medborgarlöften." in response.content.decode()
    assert not Evaluation.objects.filter(promise=demo["this_year"]).exists()


def test_the_liaison_cannot_build_it(client, demo):
    login_verified(client, make_user("polisen", POLICE_LIAISON, [demo["haninge"]]))
    assert client.get(BUILD).status_code == 403
