"""Two staff members edit the same object at once (issue 23): the second save is
refused with a Swedish message that says what the other changed, and nothing is
lost: what the other saved stays, and what the second typed is still on the page
to save again. Tested through the admin with two clients, each with the page as
their browser got it."""

import pytest
from django.test import Client

from promises.models import Activity, DialogueTopic, Promise
from promises.roles import COORDINATOR
from promises.tests.admin_forms import form_values
from promises.tests.factories import local, login_verified, make_activity, make_user

pytestmark = pytest.mark.django_db

REFUSED = "Någon annan har sparat"


def two_coordinators(haninge) -> tuple[Client, Client]:
    clients = []
    for name, first_name in (("anna_samordnare", "Anna"), ("bo_samordnare", "Bo")):
        user = make_user(name, COORDINATOR, [haninge], first_name=first_name)
        client = Client()
        login_verified(client, user)
        clients.append(client)
    return clients[0], clients[1]


def opened(client: Client, url: str, form_id: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response, form_id)


def test_a_promise_title_and_its_introduction_changed_at_once(haninge, promise_haninge):
    anna, bo = two_coordinators(haninge)
    url = f"/admin/promises/promise/{promise_haninge.pk}/change/"
    annas_page = opened(anna, url, "promise_form")
    bos_page = opened(bo, url, "promise_form")

    annas_page["title"] = "Tryggare Haninge 2026"
    assert anna.post(url, annas_page).status_code == 302

    bos_page["introduction"] = "Vi lovar att synas mer i Handen."
    response = bo.post(url, bos_page)

    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    assert "Anna" in page  # who saved, from the history
    assert "Tryggare Haninge 2026" in page  # what she changed it to
    promise = Promise.objects.get(pk=promise_haninge.pk)
    assert promise.title == "Tryggare Haninge 2026"
    assert promise.introduction == promise_haninge.introduction

    # Bo's page now shows Anna's title and still his introduction: saving it
    # again keeps both.
    bos_second = form_values(response, "promise_form")
    assert bos_second["title"] == "Tryggare Haninge 2026"
    assert bos_second["introduction"] == "Vi lovar att synas mer i Handen."
    assert bo.post(url, bos_second).status_code == 302
    promise.refresh_from_db()
    assert promise.title == "Tryggare Haninge 2026"
    assert promise.introduction == "Vi lovar att synas mer i Handen."


def test_both_change_the_same_field_the_second_keeps_their_own_text(
    haninge, promise_haninge
):
    anna, bo = two_coordinators(haninge)
    url = f"/admin/promises/promise/{promise_haninge.pk}/change/"
    annas_page = opened(anna, url, "promise_form")
    bos_page = opened(bo, url, "promise_form")
    annas_page["title"] = "Annas rubrik"
    assert anna.post(url, annas_page).status_code == 302

    bos_page["title"] = "Bos rubrik"
    response = bo.post(url, bos_page)

    assert response.status_code == 200
    assert "Annas rubrik" in response.content.decode()  # in the message
    assert form_values(response, "promise_form")["title"] == "Bos rubrik"
    assert Promise.objects.get(pk=promise_haninge.pk).title == "Annas rubrik"


def test_a_saved_page_saved_again_unchanged_is_no_conflict(haninge, promise_haninge):
    anna, _ = two_coordinators(haninge)
    url = f"/admin/promises/promise/{promise_haninge.pk}/change/"
    page = opened(anna, url, "promise_form")
    page["title"] = "Ny rubrik"
    assert anna.post(url, page).status_code == 302
    again = opened(anna, url, "promise_form")
    again["introduction"] = "Ny inledning"
    assert anna.post(url, again).status_code == 302


def test_a_dialogue_topic_deleted_while_another_edits_it(haninge, promise_haninge):
    anna, bo = two_coordinators(haninge)
    dialogue = make_activity(
        promise_haninge, Activity.Kind.DIALOGUE, local(2026, 3, 6, 18)
    )
    topic = DialogueTopic.objects.create(
        dialogue=dialogue, text="Mörkt i gångtunneln", place="Handens station"
    )
    url = f"/admin/promises/activity/{dialogue.pk}/change/"
    bos_page = opened(bo, url, "activity_form")

    response = anna.post(
        f"/admin/promises/dialoguetopic/{topic.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not DialogueTopic.objects.filter(pk=topic.pk).exists()

    bos_page["topics-0-text"] = "Mörkt i gångtunneln, och cyklar i tunneln"
    response = bo.post(url, bos_page)

    assert response.status_code == 200
    page = response.content.decode()
    assert "togs bort av någon annan" in page
    assert "Anna" in page
    # What Bo typed is still on his page.
    assert "och cyklar i tunneln" in page


def test_a_date_and_time_changed_meanwhile_is_kept(haninge, promise_haninge):
    """A split date-and-time field and a choice of districts, taken over into
    the second person's page as the first saved them."""
    anna, bo = two_coordinators(haninge)
    dialogue = make_activity(
        promise_haninge, Activity.Kind.DIALOGUE, local(2026, 3, 6, 18)
    )
    url = f"/admin/promises/activity/{dialogue.pk}/change/"
    annas_page = opened(anna, url, "activity_form")
    bos_page = opened(bo, url, "activity_form")
    annas_page["starts_at_0"] = "2026-03-13"
    annas_page["districts"] = [str(haninge.districts.get(name="Handen").pk)]
    assert anna.post(url, annas_page).status_code == 302

    bos_page["title"] = "Trygghetsdialog på Handens bibliotek"
    response = bo.post(url, bos_page)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    again = form_values(response, "activity_form")
    assert again["starts_at_0"] == "2026-03-13"
    assert again["starts_at_1"] == bos_page["starts_at_1"]  # as shown
    assert again["districts"] == str(haninge.districts.get(name="Handen").pk)
    assert bo.post(url, again).status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.title == "Trygghetsdialog på Handens bibliotek"
    assert dialogue.starts_at == local(2026, 3, 13, 18)
    assert list(dialogue.districts.values_list("name", flat=True)) == ["Handen"]
