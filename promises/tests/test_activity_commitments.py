"""An activity delivers one or more commitments, and a target counts only the
activities linked to its commitment (issue 20): progress, and the forms that fill
the link in."""

import datetime

import pytest

from promises.models import Activity, Target
from promises.progress import promise_progress
from promises.tests.factories import (
    activity_form,
    deployment_form,
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)

ACTIVITY_ADD = "/admin/promises/activity/add/"
DEPLOYMENT_ADD = "/admin/promises/fridaydeployment/add/"
OTHER = Activity.Kind.OTHER


@pytest.fixture
def pitea_shaped(promise_haninge):
    """Two commitments of one kind, as in Piteå's promise: drug information in
    the night-time economy, and information against fraud."""
    drugs = make_commitment(
        promise_haninge,
        "Information om narkotika i krogmiljö",
        kind=OTHER,
        count=2,
        period=Target.Period.YEAR,
    )
    fraud = make_commitment(
        promise_haninge,
        "Information mot bedrägerier",
        kind=OTHER,
        count=3,
        period=Target.Period.YEAR,
    )
    return promise_haninge, drugs, fraud


def progress_of(promise, commitment, as_of=datetime.date(2026, 12, 1)):
    (progress,) = promise_progress(promise, as_of).for_commitment(commitment.pk)
    return progress


def test_a_target_counts_only_the_activities_linked_to_its_commitment(pitea_shaped):
    promise, drugs, fraud = pitea_shaped
    for day in (3, 10):
        make_activity(promise, OTHER, local(2026, 3, day), commitments=[drugs])
    drugs_progress = progress_of(promise, drugs)
    fraud_progress = progress_of(promise, fraud)
    assert (drugs_progress.done, drugs_progress.status) == (2, "done")
    assert (fraud_progress.done, fraud_progress.activity_count) == (0, 0)
    assert fraud_progress.summary == "0 av 3 aktiviteter"
    assert fraud_progress.status == "not_started"  # nothing of its own yet

    # One activity for both: each counts it.
    make_activity(promise, OTHER, local(2026, 4, 7), commitments=[drugs, fraud])
    assert progress_of(promise, drugs).done == 3
    assert progress_of(promise, fraud).done == 1
    # Linked to nothing: nothing counts it.
    make_activity(promise, OTHER, local(2026, 4, 8), commitments=[])
    assert progress_of(promise, fraud).done == 1


def test_a_link_made_or_undone_later_moves_the_counts(pitea_shaped):
    promise, drugs, fraud = pitea_shaped
    activity = make_activity(promise, OTHER, local(2026, 3, 3), commitments=[])
    assert progress_of(promise, drugs).done == 0
    fraud.activities.add(activity)
    assert progress_of(promise, fraud).done == 1
    activity.commitments.set([drugs])
    assert (progress_of(promise, drugs).done, progress_of(promise, fraud).done) == (
        1,
        0,
    )


def test_the_friday_form_links_the_deployment_to_the_commitment_it_serves(
    client, promise_haninge, police, liaison_haninge
):
    weekly = make_commitment(
        promise_haninge,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    make_commitment(promise_haninge, "Dialoger", kind=Activity.Kind.DIALOGUE, count=4)
    login_verified(client, liaison_haninge)
    html = client.get(DEPLOYMENT_ADD).content.decode()
    assert checked(html, weekly.pk)  # shown chosen on the form
    response = client.post(
        DEPLOYMENT_ADD,
        deployment_form(promise_haninge, commitments=[weekly.pk]),
    )
    assert response.status_code == 302
    deployment = Activity.objects.get()
    assert list(deployment.commitments.all()) == [weekly]
    assert progress_of(promise_haninge, weekly, datetime.date(2026, 3, 14)).done == 1


def test_a_form_left_empty_takes_the_one_commitment_that_counts_the_kind(
    client, promise_haninge, coordinator_haninge
):
    dialogues = make_commitment(
        promise_haninge, "Dialoger", kind=Activity.Kind.DIALOGUE, count=4
    )
    make_commitment(promise_haninge, "Inventeringar", kind=Activity.Kind.INVENTORY)
    login_verified(client, coordinator_haninge)
    html = client.get(
        f"{ACTIVITY_ADD}?promise={promise_haninge.pk}&kind=dialogue"
    ).content.decode()
    assert checked(html, dialogues.pk)
    response = client.post(ACTIVITY_ADD, activity_form(promise_haninge))
    assert response.status_code == 302
    assert list(Activity.objects.get().commitments.all()) == [dialogues]


def checked(html: str, pk: int) -> bool:
    """Whether the commitments' checkbox of `pk` is checked."""
    for tag in html.split("<input")[1:]:
        tag = tag.split(">", 1)[0]
        if 'name="commitments"' in tag and f'value="{pk}"' in tag:
            return "checked" in tag
    return False


def test_where_several_commitments_count_the_kind_the_user_chooses(
    client, pitea_shaped, coordinator_haninge
):
    promise, drugs, fraud = pitea_shaped
    login_verified(client, coordinator_haninge)
    data = activity_form(promise, kind=OTHER, title="Information på krogen")
    response = client.post(ACTIVITY_ADD, data)
    assert response.status_code == 200
    assert (
        "Flera åtaganden i löftet har ett mål för övrig aktivitet: ”Information om "
        "narkotika i krogmiljö”, ”Information mot bedrägerier”. Välj vilket eller "
        "vilka aktiviteten genomför."
    ) in response.content.decode()
    assert not Activity.objects.exists()

    response = client.post(ACTIVITY_ADD, {**data, "commitments": [drugs.pk]})
    assert response.status_code == 302
    assert list(Activity.objects.get().commitments.all()) == [drugs]


def test_where_no_commitment_counts_the_kind_the_link_may_be_empty(
    client, promise_haninge, coordinator_haninge
):
    make_commitment(promise_haninge, "Dialoger", kind=Activity.Kind.DIALOGUE, count=4)
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, kind=Activity.Kind.TRAFFIC)
    )
    assert response.status_code == 302
    assert not Activity.objects.get().commitments.exists()


def test_another_promises_or_municipalitys_commitment_is_refused(
    client, promise_haninge, promise_nynashamn, haninge, coordinator_haninge
):
    last_year = make_commitment(
        make_promise(haninge, 2025), "Dialoger 2025", kind=Activity.Kind.DIALOGUE
    )
    nynashamn = make_commitment(promise_nynashamn, "Dialoger i Nynäshamn")
    login_verified(client, coordinator_haninge)
    html = client.get(ACTIVITY_ADD).content.decode()
    assert "Dialoger i Nynäshamn" not in html  # never a choice
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, commitments=[last_year.pk])
    )
    assert response.status_code == 200
    assert "Välj bara åtaganden i Medborgarlöfte Haninge 2026" in (
        response.content.decode()
    )
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, commitments=[nynashamn.pk])
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Activity.objects.exists()


def test_an_activity_added_from_a_commitments_page_is_linked_to_it(
    client, pitea_shaped, coordinator_haninge
):
    promise, drugs, fraud = pitea_shaped
    make_activity(promise, OTHER, local(2026, 3, 3), commitments=[drugs])
    login_verified(client, coordinator_haninge)
    page = client.get(f"/admin/promises/commitment/{fraud.pk}/change/")
    html = page.content.decode()
    add = (
        f"{ACTIVITY_ADD}?commitments={fraud.pk}&amp;promise={promise.pk}&amp;kind=other"
    )
    assert add in html
    assert "0 aktiviteter" in html
    form = client.get(add.replace("&amp;", "&")).content.decode()
    assert checked(form, fraud.pk) and not checked(form, drugs.pk)
    response = client.post(
        ACTIVITY_ADD,
        activity_form(
            promise, kind=OTHER, title="Bedrägeriinformation", commitments=[fraud.pk]
        ),
    )
    assert response.status_code == 302
    assert list(fraud.activities.values_list("title", flat=True)) == [
        "Bedrägeriinformation"
    ]
    assert (
        "1 aktivitet"
        in client.get(f"/admin/promises/commitment/{fraud.pk}/change/").content.decode()
    )


def test_the_admin_lists_and_filters_activities_by_commitment(
    client, pitea_shaped, coordinator_haninge
):
    promise, drugs, fraud = pitea_shaped
    make_activity(
        promise, OTHER, local(2026, 3, 3), title="Krogbesök", commitments=[drugs]
    )
    make_activity(
        promise, OTHER, local(2026, 3, 4), title="Seniorträff", commitments=[fraud]
    )
    login_verified(client, coordinator_haninge)
    html = client.get("/admin/promises/activity/").content.decode()
    assert "Information om narkotika i krogmiljö" in html  # the column
    html = client.get(
        f"/admin/promises/activity/?commitments__id__exact={fraud.pk}"
    ).content.decode()
    assert "Seniorträff" in html
    assert "Krogbesök" not in html
