"""A target may count several kinds together ("5 gånger i veckan: trafikkontroll,
skolbesök eller fotpatrull") and only named districts ("i kommunens byar") (issue
20): `Target.other_kinds` and `Target.districts`. Progress counts them in a fixed
number of queries; the sentence lists them in Swedish."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises.models import Activity, Target
from promises.progress import Status, promise_progress
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
)

pytestmark = pytest.mark.django_db
Kind = Activity.Kind
SEVERAL = [Kind.TRAFFIC, Kind.YOUTH_VISIT, Kind.PRESENCE]
END = datetime.date(2026, 12, 31)


def several_kinds(promise, **fields):
    commitment = make_commitment(
        promise,
        "Synlig närvaro fem gånger i veckan",
        kind=Kind.TRAFFIC,
        other_kinds=[Kind.PRESENCE, Kind.YOUTH_VISIT],
        count=5,
        period=Target.Period.WEEK,
        **fields,
    )
    return commitment.targets.get()


def in_villages(promise, villages, **fields):
    commitment = make_commitment(
        promise, "Trafik i byarna", kind=Kind.TRAFFIC, count=2, period="year", **fields
    )
    target = commitment.targets.get()
    target.districts.set(villages)
    return target


def progress_of(promise, target, as_of=END):
    return promise_progress(promise, as_of).for_commitment(target.commitment_id)[0]


def test_several_kinds_are_counted_together(promise_haninge):
    target = several_kinds(promise_haninge)
    assert str(target) == (
        "Minst 5 gånger per vecka: trafiksäkerhetsinsats, synlig närvaro eller "
        "besök i ungdomsmiljö"
    )
    # Week 11 of 2026 (9–15 March): two of each of the three kinds, and a
    # dialogue, which is not one of them.
    for kind in [*SEVERAL, *SEVERAL, Kind.DIALOGUE]:
        make_activity(promise_haninge, kind, local(2026, 3, 10))
    progress = progress_of(promise_haninge, target, datetime.date(2026, 3, 15))
    (week,) = [p for p in progress.periods if p.start == datetime.date(2026, 3, 9)]
    assert (week.done, week.met) == (6, True)
    assert progress.activity_count == 6
    assert progress.summary == "6 av 265 gånger hittills"


def test_the_sentence_lists_the_kinds_in_every_shape(promise_haninge, haninge):
    target = several_kinds(promise_haninge)
    target.count, target.weekday = 1, Target.Weekday.FRIDAY
    assert str(target) == (
        "Varje fredag: trafiksäkerhetsinsats, synlig närvaro eller besök i ungdomsmiljö"
    )
    target.weekday, target.period = None, Target.Period.MONTH
    assert str(target).startswith("Minst 1 gång per månad: trafiksäkerhetsinsats")
    target.count, target.period = None, Target.Period.QUARTER
    assert str(target) == (
        "Trafiksäkerhetsinsatser, insatser med synlig närvaro och besök i "
        "ungdomsmiljöer räknas per kvartal, utan ett fast antal"
    )
    target.count, target.joint = 5, True
    assert str(target).endswith(", där både polisen och kommunen deltar")


def test_only_the_named_districts_are_counted(promise_haninge, haninge):
    districts = {d.name: d for d in haninge.districts.all()}
    villages = [districts["Vega"], districts["Brandbergen"]]
    target = in_villages(promise_haninge, villages)
    assert (
        str(target)
        == "Minst 2 trafiksäkerhetsinsatser per år, i Brandbergen eller Vega"
    )
    day = local(2026, 5, 4)
    make_activity(promise_haninge, Kind.TRAFFIC, day, districts=[districts["Handen"]])
    make_activity(promise_haninge, Kind.TRAFFIC, day)  # nowhere named
    progress = progress_of(promise_haninge, target)
    assert (progress.done, progress.status) == (0, Status.BEHIND)
    make_activity(
        promise_haninge,
        Kind.TRAFFIC,
        day,
        districts=[districts["Handen"], districts["Vega"]],
    )
    make_activity(
        promise_haninge, Kind.TRAFFIC, local(2026, 6, 1), districts=villages[1:]
    )
    progress = progress_of(promise_haninge, target)
    assert (progress.done, progress.status) == (2, Status.DONE)
    assert progress.activity_count == 2


def test_a_count_only_target_in_named_districts_counts_them_only(
    promise_haninge, haninge
):
    vega = haninge.districts.get(name="Vega")
    target = in_villages(promise_haninge, [vega])
    target.count = None
    target.save()
    make_activity(promise_haninge, Kind.TRAFFIC, local(2026, 5, 4))
    make_activity(promise_haninge, Kind.TRAFFIC, local(2026, 5, 5), districts=[vega])
    progress = progress_of(promise_haninge, target)
    assert progress.summary == "1 insats, senast 5 maj 2026"


def queries(promise) -> int:
    with CaptureQueriesContext(connection) as captured:
        progress = promise_progress(promise)
        [(str(p.target), p.summary) for p in progress.targets]
    return len(captured)


def test_progress_runs_a_fixed_number_of_queries(promise_haninge, haninge):
    make_commitment(promise_haninge, "Dialoger", kind=Kind.DIALOGUE, count=4)
    plain = queries(promise_haninge)
    several_kinds(promise_haninge)
    assert queries(promise_haninge) == plain
    districts = list(haninge.districts.all())
    in_villages(promise_haninge, districts[:2])
    in_villages(promise_haninge, districts[2:5])
    with_districts = queries(promise_haninge)
    assert with_districts == plain + 1  # the targets' districts
    for i in range(30):
        make_activity(
            promise_haninge,
            SEVERAL[i % 3],
            local(2026, 1, 5) + datetime.timedelta(days=i),
            districts=districts[i % 10 : i % 10 + 1],
        )
    assert queries(promise_haninge) == with_districts


def target_form(commitment, **fields) -> dict:
    return {
        "commitment": commitment.pk,
        "kind": Kind.TRAFFIC,
        "count": "5",
        "frequency": Target.Period.WEEK,
        "min_districts": "",
        **fields,
    }


def test_the_coordinator_sets_kinds_and_districts_of_their_own(
    client, coordinator_haninge, promise_haninge, haninge, nynashamn
):
    login_verified(client, coordinator_haninge)
    commitment = make_commitment(promise_haninge, "Fem gånger i veckan")
    add = reverse("admin:promises_target_add")
    page = client.get(add).content.decode()
    assert "Vega" in page and "Sorunda" not in page
    sorunda = nynashamn.districts.get(name="Sorunda")
    vega = haninge.districts.get(name="Vega")

    response = client.post(add, target_form(commitment, districts=[sorunda.pk]))
    assert response.status_code == 200
    assert "districts" in response.context["adminform"].form.errors
    response = client.post(
        add, target_form(commitment, kind=Target.REPORT, other_kinds=[Kind.TRAFFIC])
    )
    assert "Rapporter och utvärderingar räknas inte tillsammans med aktiviteter." in (
        response.content.decode()
    )
    response = client.post(
        add,
        target_form(
            commitment,
            other_kinds=[Kind.YOUTH_VISIT, Kind.PRESENCE],
            districts=[vega.pk],
        ),
    )
    assert response.status_code == 302
    target = commitment.targets.get()
    assert str(target) == (
        "Minst 5 gånger per vecka: trafiksäkerhetsinsats, synlig närvaro eller "
        "besök i ungdomsmiljö, i Vega"
    )
    assert client.get(f"/haninge/2026/atagande/{commitment.pk}/").status_code == 200


def test_another_municipalitys_district_is_refused_even_for_a_superuser(
    client, superuser, promise_haninge, nynashamn
):
    login_verified(client, superuser)
    commitment = make_commitment(promise_haninge, "Trafik i byarna")
    sorunda = nynashamn.districts.get(name="Sorunda")
    response = client.post(
        reverse("admin:promises_target_add"),
        target_form(commitment, districts=[sorunda.pk]),
    )
    assert response.status_code == 200
    assert "Välj bara kommundelar i Haninge." in response.content.decode()
    assert not commitment.targets.exists()


def test_the_public_page_names_the_kinds_and_districts(
    client, promise_haninge, haninge
):
    target = several_kinds(promise_haninge)
    target.districts.set([haninge.districts.get(name="Jordbro")])
    page = client.get(f"/haninge/2026/atagande/{target.commitment_id}/")
    assert (
        "Minst 5 gånger per vecka: trafiksäkerhetsinsats, synlig närvaro eller "
        "besök i ungdomsmiljö, i Jordbro"
    ) in page.content.decode()
