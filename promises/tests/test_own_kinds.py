"""Each municipality names its own kinds of work (issue 20, item 2): a coordinator
adds them in the admin, activities and targets use them, and the sentences and
counts say them in the municipality's own words."""

import pytest

from promises.models import Activity, Kind, PublicationLevel, Target
from promises.tests.factories import (
    activity_form,
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
)

KIND_ADD = "/admin/promises/kind/add/"
TARGET_ADD = "/admin/promises/target/add/"
ACTIVITY_ADD = "/admin/promises/activity/add/"


def kind_form(municipality, **fields) -> dict:
    return {
        "name": "Tillsyn",
        "plural": "tillsyner",
        "default_publication_level": PublicationLevel.DETAIL,
        "municipality": municipality.pk,
        **fields,
    }


def target_form(commitment, kind, **fields) -> dict:
    return {
        "commitment": commitment.pk,
        "kind": kind,
        "count": "2",
        "frequency": Target.Period.YEAR,
        "min_districts": "",
        "party": "",
        **fields,
    }


def test_a_coordinator_adds_a_kind_counts_it_and_the_public_reads_its_words(
    client, promise_haninge, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(KIND_ADD, kind_form(promise_haninge.municipality))
    assert response.status_code == 302, response.content.decode()
    kind = Kind.objects.get()
    assert kind.code == f"own-{kind.pk}"

    commitment = make_commitment(promise_haninge, "Tillsyn av serveringsställen")
    html = client.get(TARGET_ADD).content.decode()
    assert f'value="{kind.code}"' in html  # a choice, beside the built-in ones
    promise_page = f"/admin/promises/promise/{promise_haninge.pk}/change/"
    assert f'value="{kind.code}"' in client.get(promise_page).content.decode()
    response = client.post(TARGET_ADD, target_form(commitment, kind.code))
    assert response.status_code == 302, response.content.decode()
    target = Target.objects.get()
    assert str(target) == "Minst 2 tillsyner per år"

    response = client.post(
        ACTIVITY_ADD,
        activity_form(
            promise_haninge, kind=kind.code, title="Tillsyn på krogarna i Handen"
        ),
    )
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get()
    assert list(activity.commitments.all()) == [commitment]  # the one counting it
    assert activity.publication_level == PublicationLevel.DETAIL
    listed = client.get("/admin/promises/activity/").content.decode()
    assert 'class="field-kind">Tillsyn</td>' in listed
    assert f"?kind__exact={kind.code}" in listed  # a filter
    filtered = client.get(f"/admin/promises/activity/?kind__exact={kind.code}")
    assert "Tillsyn på krogarna i Handen" in filtered.content.decode()

    base = f"/haninge/{promise_haninge.year}/"
    page = client.get(f"{base}atagande/{commitment.pk}/").content.decode()
    assert "1 av 2 tillsyner" in page
    assert "Minst 2 tillsyner per år" in page
    overview = client.get(base).content.decode()
    assert "1 av 2 tillsyner" in overview
    response = client.get(f"{base}oppna-data/aktiviteter.csv")
    rows = b"".join(response.streaming_content).decode()
    assert f"{kind.code},Tillsyn," in rows  # typ, typ_namn
    assert client.get(f"{base}aktivitet/{activity.pk}/").status_code == 200
    assert (
        "<dd>Tillsyn</dd>"
        in client.get(f"{base}aktivitet/{activity.pk}/").content.decode()
    )


def test_another_municipalitys_kind_is_no_choice_and_a_404(
    client, promise_haninge, promise_nynashamn, coordinator_nynashamn
):
    kind = Kind.objects.create(
        municipality=promise_haninge.municipality, name="Tillsyn", plural="tillsyner"
    )
    login_verified(client, coordinator_nynashamn)
    assert client.get(f"/admin/promises/kind/{kind.pk}/change/").status_code == 404
    assert "Tillsyn" not in client.get("/admin/promises/kind/").content.decode()
    assert kind.code not in client.get(ACTIVITY_ADD).content.decode()
    assert kind.code not in client.get(TARGET_ADD).content.decode()
    promise_page = f"/admin/promises/promise/{promise_nynashamn.pk}/change/"
    assert kind.code not in client.get(promise_page).content.decode()

    response = client.post(
        ACTIVITY_ADD, activity_form(promise_nynashamn, kind=kind.code, title="Tillsyn")
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    commitment = make_commitment(promise_nynashamn, "Tillsyn")
    response = client.post(TARGET_ADD, target_form(commitment, kind.code))
    assert response.status_code == 200
    response = client.post(
        TARGET_ADD,
        target_form(
            commitment, Activity.Kind.OTHER, other_kinds=[kind.code], count="5"
        ),
    )
    assert response.status_code == 200
    assert not Activity.objects.exists() and not Target.objects.exists()
    # Nor in the model's rules, whatever the form.
    activity = Activity(
        promise=promise_nynashamn, kind=kind.code, title="Tillsyn", **STARTS
    )
    with pytest.raises(Exception, match="löftets kommun"):
        activity.full_clean()


STARTS = {"starts_at": "2026-03-06T14:00+01:00"}


def test_a_police_work_kind_is_never_public_in_detail(
    client, promise_haninge, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    municipality = promise_haninge.municipality
    response = client.post(
        KIND_ADD,
        kind_form(
            municipality,
            name="Narkotikainsats",
            plural="narkotikainsatser",
            police_work="on",
        ),
    )
    assert response.status_code == 200
    assert (
        "Polisens operativa arbete kan som mest visas i sammanställning."
        in response.content.decode()
    )
    response = client.post(
        KIND_ADD,
        kind_form(
            municipality,
            name="Narkotikainsats",
            plural="narkotikainsatser",
            police_work="on",
            default_publication_level=PublicationLevel.AGGREGATE,
        ),
    )
    assert response.status_code == 302
    kind = Kind.objects.get()
    response = client.post(
        ACTIVITY_ADD,
        activity_form(
            promise_haninge,
            kind=kind.code,
            title="Insats mot narkotikaförsäljning",
            publication_level=PublicationLevel.DETAIL,
        ),
    )
    assert response.status_code == 200
    assert "Narkotikainsats får som mest visas som" in response.content.decode()
    response = client.post(
        ACTIVITY_ADD,
        activity_form(
            promise_haninge, kind=kind.code, title="Insats mot narkotikaförsäljning"
        ),
    )
    assert response.status_code == 302
    assert Activity.objects.get().publication_level == PublicationLevel.AGGREGATE
    # Built in, not a row: a kind cannot take a built-in kind's name.
    response = client.post(KIND_ADD, kind_form(municipality, name="Trygghetsdialog"))
    assert "Det finns redan en inbyggd typ med det namnet." in (
        response.content.decode()
    )


def test_a_target_counts_own_kinds_together_with_built_in_ones(promise_haninge):
    municipality = promise_haninge.municipality
    kind = Kind.objects.create(
        municipality=municipality, name="Tillsyn", plural="tillsyner"
    )
    commitment = make_commitment(
        promise_haninge,
        "Krogarna",
        kind=Activity.Kind.TRAFFIC,
        other_kinds=[kind.code],
        count=3,
        period=Target.Period.YEAR,
    )
    target = commitment.targets.get()
    target.full_clean()
    assert str(target) == ("Minst 3 gånger per år: trafiksäkerhetsinsats eller tillsyn")
    make_activity(promise_haninge, kind.code, commitments=[commitment])
    make_activity(promise_haninge, Activity.Kind.TRAFFIC, commitments=[commitment])
    page = f"/haninge/{promise_haninge.year}/atagande/{commitment.pk}/"
    from django.test import Client

    assert "2 av 3 gånger" in Client().get(page).content.decode()


def test_a_kind_without_a_count_says_its_plural(promise_haninge):
    kind = Kind.objects.create(
        municipality=promise_haninge.municipality,
        name="Informationskampanj",
        plural="informationskampanjer",
    )
    commitment = make_commitment(
        promise_haninge, "Information", kind=kind.code, period=Target.Period.YEAR
    )
    assert str(commitment.targets.get()) == (
        "Informationskampanjer räknas per år, utan ett fast antal"
    )
    other = make_promise(promise_haninge.municipality, 2027)
    assert str(Target.objects.get(commitment__promise=promise_haninge)) == str(
        commitment.targets.get()
    )
    assert other.pk
