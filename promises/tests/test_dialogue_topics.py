"""What residents raised at a safety dialogue (issue 13, "ni sa – vi gjorde"): the
coordinator records the topics on the dialogue's admin page, each with districts, a
place and the commitment or finding that answers it; only the dialogue's own
municipality's are ever a choice."""

import pytest

from promises.models import Activity, DialogueTopic, Finding
from promises.roles import COORDINATOR
from promises.tests.factories import (
    activity_form,
    inline,
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_user,
)

pytestmark = pytest.mark.django_db

ACTIVITY_ADD = "/admin/promises/activity/add/"
OTHER_MUNICIPALITY = "Välj ett giltigt alternativ"


def topic_fields(**fields) -> dict:
    data = {
        "id": "",
        "text": "Mörkt i gångtunneln vid stationen",
        "place": "Gångtunneln vid Handens station",
        "commitment": "",
        "finding": "",
    }
    data.update(fields)
    return data


def dialogue_form(promise, *topics, **fields) -> dict:
    return activity_form(
        promise, venue="Haninge kulturhus", **fields, **inline("topics", *topics)
    )


@pytest.fixture
def handen(haninge):
    return haninge.districts.get(name="Handen")


@pytest.fixture
def haninge_answers(promise_haninge):
    commitment = make_commitment(promise_haninge, "Trygga gångtunnlar")
    inventory = make_activity(
        promise_haninge, Activity.Kind.INVENTORY, local(2026, 2, 10, 18)
    )
    finding = Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        place="Gångtunneln vid Handens station",
    )
    return commitment, finding


@pytest.fixture
def nynashamn_answers(promise_nynashamn):
    commitment = make_commitment(promise_nynashamn, "Hemligt åtagande Sorunda")
    inventory = make_activity(
        promise_nynashamn, Activity.Kind.INVENTORY, local(2026, 2, 10, 18)
    )
    finding = Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        place="Hemlig plats Sorunda",
    )
    return commitment, finding


@pytest.fixture
def coordinator_both(haninge, nynashamn):
    return make_user("samordnare_sodertorn", COORDINATOR, [haninge, nynashamn])


def test_the_coordinator_records_what_residents_raised_and_what_answers_it(
    client, coordinator_haninge, promise_haninge, handen, haninge_answers
):
    commitment, finding = haninge_answers
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"{ACTIVITY_ADD}?kind=dialogue",
        dialogue_form(
            promise_haninge,
            topic_fields(
                districts=[handen.pk], commitment=commitment.pk, finding=finding.pk
            ),
            topic_fields(text="Mopedåkning på gångvägarna", place=""),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dialogue = Activity.objects.get(kind=Activity.Kind.DIALOGUE)
    first, second = dialogue.topics.order_by("pk")
    assert (first.commitment, first.finding) == (commitment, finding)
    assert list(first.districts.all()) == [handen]
    assert (second.text, second.commitment, second.finding) == (
        "Mopedåkning på gångvägarna",
        None,
        None,
    )
    assert first.history.exists()

    page = client.get(f"/admin/promises/activity/{dialogue.pk}/change/")
    html = page.content.decode()
    assert "Ni sa – vi gjorde: det invånarna tog upp" in html
    assert "Mopedåkning på gångvägarna" in html


def test_an_inventory_has_no_topics_inline(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    html = client.get(f"{ACTIVITY_ADD}?kind=inventory").content.decode()
    assert "topics-TOTAL_FORMS" not in html
    assert "findings-TOTAL_FORMS" in html


@pytest.mark.parametrize("persona", ["superuser", "coordinator_both"])
def test_another_municipalitys_commitment_and_finding_are_never_a_choice(
    client, request, persona, promise_haninge, haninge_answers, nynashamn_answers
):
    """Even for those who may see both municipalities: the dialogue's decides."""
    dialogue = make_activity(promise_haninge, title="Trygghetsdialog i Handen")
    login_verified(client, request.getfixturevalue(persona))
    url = f"/admin/promises/activity/{dialogue.pk}/change/"
    html = client.get(url).content.decode()
    assert "Trygga gångtunnlar" in html
    assert "Gångtunneln vid Handens station" in html
    commitment, finding = nynashamn_answers
    assert commitment.title not in html
    assert finding.place not in html
    sorunda = commitment.promise.municipality.districts.get(name="Sorunda")
    handen = promise_haninge.municipality.districts.get(name="Handen")
    assert f'name="topics-0-districts" value="{handen.pk}"' in html
    assert f'name="topics-0-districts" value="{sorunda.pk}"' not in html
    for choice in [{"commitment": commitment.pk}, {"finding": finding.pk}]:
        data = activity_form(
            promise_haninge,
            title=dialogue.title,
            starts_at_0="2026-12-01",
            starts_at_1="14:00",
            **inline("topics", topic_fields(**choice)),
        )
        response = client.post(url, data)
        assert response.status_code == 200
        assert OTHER_MUNICIPALITY in response.content.decode()
    assert not DialogueTopic.objects.exists()


@pytest.mark.parametrize("persona", ["superuser", "coordinator_both"])
def test_a_new_dialogue_refuses_another_municipalitys_answer_and_district(
    client, request, persona, promise_haninge, nynashamn, nynashamn_answers
):
    commitment, finding = nynashamn_answers
    sorunda = nynashamn.districts.get(name="Sorunda")
    login_verified(client, request.getfixturevalue(persona))
    for choice, message in [
        ({"commitment": commitment.pk}, "Åtagandet hör till en annan kommun."),
        ({"finding": finding.pk}, "Iakttagelsen hör till en annan kommun."),
        ({"districts": [sorunda.pk]}, "Välj bara kommundelar i Haninge."),
    ]:
        response = client.post(
            f"{ACTIVITY_ADD}?kind=dialogue",
            dialogue_form(promise_haninge, topic_fields(**choice)),
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Activity.objects.filter(kind=Activity.Kind.DIALOGUE).exists()
    assert not DialogueTopic.objects.exists()


def test_the_topic_text_refuses_personal_data(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"{ACTIVITY_ADD}?kind=dialogue",
        dialogue_form(
            promise_haninge,
            topic_fields(text="Ring grannen på 070-123 45 67 om mopederna"),
        ),
    )
    assert response.status_code == 200
    assert "personuppgifter" in response.content.decode()
    assert not DialogueTopic.objects.exists()


def test_topics_belong_to_dialogues_only(promise_haninge):
    inventory = make_activity(promise_haninge, Activity.Kind.INVENTORY)
    topic = DialogueTopic(dialogue=inventory, text="Belysningen")
    with pytest.raises(Exception, match="Ämnen hör bara till trygghetsdialoger"):
        topic.full_clean()


def test_another_municipalitys_topic_is_a_404(
    client, coordinator_nynashamn, coordinator_haninge, promise_haninge
):
    dialogue = make_activity(promise_haninge)
    topic = DialogueTopic.objects.create(dialogue=dialogue, text="Mörkt vid torget")
    url = f"/admin/promises/dialoguetopic/{topic.pk}/change/"
    login_verified(client, coordinator_nynashamn)
    assert client.get(url).status_code == 404
    assert (
        "Mörkt vid torget"
        not in client.get("/admin/promises/dialoguetopic/").content.decode()
    )
    login_verified(client, coordinator_haninge)
    assert client.get(url).status_code == 200
