"""The promise's structure: a new promise from a template, the whole promise on
one page, targets as sentences, "every Friday" as one choice."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from promises import workflows
from promises.demo import FOCUS_AREAS
from promises.models import Activity, Commitment, FocusArea, Promise, Target
from promises.tests.factories import (
    inline,
    login_verified,
    make_commitment,
    make_promise,
    promise_form,
)

pytestmark = pytest.mark.django_db


# --- Targets as sentences -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (
            {"kind": "inventory", "count": 2, "period": "half_year", "joint": True},
            "Minst 2 gemensamma trygghetsinventeringar per halvår",
        ),
        (
            {"kind": "deployment", "count": 1, "period": "week", "weekday": 5},
            "En gemensam utsättning varje fredag",
        ),
        (
            {"kind": "dialogue", "count": 4, "period": "year", "min_districts": 4},
            "Minst 4 trygghetsdialoger per år, i minst 4 olika kommundelar",
        ),
        (
            {"kind": "report", "count": 4, "period": "year"},
            "Minst 4 publicerade rapporter per år",
        ),
        (
            {"kind": "youth_visit", "count": 1, "period": "month"},
            "Minst ett besök i en ungdomsmiljö per månad",
        ),
        (
            {"kind": "presence", "count": None, "period": "quarter"},
            "Insatser med synlig närvaro räknas per kvartal, utan ett fast antal",
        ),
    ],
)
def test_a_target_says_what_it_means(fields, sentence):
    assert Target(**fields).sentence() == sentence
    assert str(Target(**fields)) == sentence


def test_the_public_pages_show_the_target_sentences(client, promise_haninge):
    commitment = make_commitment(
        promise_haninge,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    overview = client.get("/haninge/2026/").content.decode()
    assert "En gemensam utsättning varje fredag" in overview
    page = client.get(f"/haninge/2026/atagande/{commitment.pk}/").content.decode()
    assert "Mål: En gemensam utsättning varje fredag" in page
    embed = client.get("/haninge/2026/inbaddning/").content.decode()
    assert "En gemensam utsättning varje fredag" in embed


# --- The target's page: plain choices, visible help ---------------------------------


def target_form(commitment, **fields) -> dict:
    data = {
        "commitment": commitment.pk,
        "kind": "deployment",
        "count": "",
        "frequency": "weekday:5",
        "min_districts": "",
    }
    data.update(fields)
    return data


def test_every_friday_is_one_choice(client, coordinator_haninge, promise_haninge):
    commitment = make_commitment(promise_haninge, "Fredagar")
    login_verified(client, coordinator_haninge)
    add = reverse("admin:promises_target_add")
    page = client.get(add).content.decode()
    assert '<option value="weekday:5">varje fredag</option>' in page
    response = client.post(add, target_form(commitment))
    assert response.status_code == 302
    target = commitment.targets.get()
    assert (target.count, target.period, target.weekday) == (1, "week", 5)
    assert target.sentence() == "En gemensam utsättning varje fredag"


def test_each_field_of_a_target_has_visible_help(
    client, coordinator_haninge, promise_haninge
):
    target = make_commitment(promise_haninge, kind="dialogue", count=4).targets.get()
    login_verified(client, coordinator_haninge)
    html = client.get(
        reverse("admin:promises_target_change", args=[target.pk])
    ).content.decode()
    for field in ["kind", "count", "frequency", "min_districts", "joint"]:
        assert f'id="id_{field}_helptext"' in html, field
    assert "Minst 4 trygghetsdialoger per år" in html
    # On the commitment's page too, each target stacked with its help.
    commitment = target.commitment
    html = client.get(
        reverse("admin:promises_commitment_change", args=[commitment.pk])
    ).content.decode()
    assert 'id="id_targets-0-frequency_helptext"' in html


def test_a_weekday_keeps_its_count(client, coordinator_haninge, promise_haninge):
    commitment = make_commitment(promise_haninge, "Tisdagar")
    login_verified(client, coordinator_haninge)
    client.post(
        reverse("admin:promises_target_add"),
        target_form(commitment, kind="youth_visit", count="1", frequency="weekday:2"),
    )
    target = commitment.targets.get()
    assert target.sentence() == "Ett besök i en ungdomsmiljö varje tisdag"


# --- The whole promise on one page -------------------------------------------------


def structure_form(promise, **fields) -> dict:
    """The promise's page as it is, with each commitment and its first target."""
    data = promise_form(promise)
    areas = list(promise.focus_areas.all())
    data.update(inline("focus_areas"))
    data["focus_areas-TOTAL_FORMS"] = data["focus_areas-INITIAL_FORMS"] = str(
        len(areas)
    )
    for number, area in enumerate(areas):
        data.update(
            {
                f"focus_areas-{number}-id": area.pk,
                f"focus_areas-{number}-promise": promise.pk,
                f"focus_areas-{number}-title": area.title,
                f"focus_areas-{number}-order": area.order,
            }
        )
    commitments = list(promise.commitments.order_by("focus_area__order", "order", "pk"))
    data.update(inline("commitments"))
    data["commitments-TOTAL_FORMS"] = data["commitments-INITIAL_FORMS"] = str(
        len(commitments)
    )
    for number, commitment in enumerate(commitments):
        prefix = f"commitments-{number}-"
        target = commitment.targets.first()
        data.update(
            {
                prefix + "id": commitment.pk,
                prefix + "promise": promise.pk,
                prefix + "focus_area": commitment.focus_area_id,
                prefix + "title": commitment.title,
                prefix + "description": commitment.description,
                prefix + "order": commitment.order,
            }
        )
        if target:
            data.update(
                {
                    prefix + "target_kind": target.kind,
                    prefix + "target_count": target.count or "",
                    prefix + "target_frequency": (
                        f"weekday:{target.weekday}" if target.weekday else target.period
                    ),
                    prefix + "target_min_districts": target.min_districts or "",
                }
            )
            if target.joint:
                data[prefix + "target_joint"] = "on"
    data.update(fields)
    return data


@pytest.fixture
def haninge_2027(haninge):
    promise = workflows.promise_from_template(
        template=None, municipality=haninge, year=2027
    )
    return promise


def test_the_promise_page_shows_every_commitment_with_its_target(
    client, coordinator_haninge, haninge_2027
):
    login_verified(client, coordinator_haninge)
    response = client.get(
        reverse("admin:promises_promise_change", args=[haninge_2027.pk])
    )
    html = response.content.decode()
    for _area, commitments in FOCUS_AREAS:
        for title, _text, _targets in commitments:
            assert title in html
    assert "En gemensam utsättning varje fredag" in html
    assert "Minst 4 trygghetsdialoger per år, i minst 4 olika kommundelar" in html


def test_targets_are_changed_on_the_promise_page(
    client, coordinator_haninge, haninge_2027
):
    login_verified(client, coordinator_haninge)
    dialogues = haninge_2027.commitments.get(targets__kind="dialogue")
    number = list(
        haninge_2027.commitments.order_by("focus_area__order", "order", "pk")
    ).index(dialogues)
    data = structure_form(haninge_2027, **{f"commitments-{number}-target_count": "6"})
    response = client.post(
        reverse("admin:promises_promise_change", args=[haninge_2027.pk]), data
    )
    assert response.status_code == 302, response.context["errors"]
    assert dialogues.targets.get().count == 6
    assert Target.objects.filter(commitment__promise=haninge_2027).count() == 9


def test_a_commitment_and_its_target_are_added_on_the_promise_page(
    client, coordinator_haninge, haninge_2027
):
    login_verified(client, coordinator_haninge)
    data = structure_form(haninge_2027)
    number = int(data["commitments-TOTAL_FORMS"])
    area = haninge_2027.focus_areas.get(title="Trafik")
    data["commitments-TOTAL_FORMS"] = str(number + 1)
    prefix = f"commitments-{number}-"
    data.update(
        {
            prefix + "focus_area": area.pk,
            prefix + "title": "Trygga skolvägar",
            prefix + "description": "",
            prefix + "order": "2",
            prefix + "target_kind": "traffic",
            prefix + "target_count": "3",
            prefix + "target_frequency": "quarter",
        }
    )
    response = client.post(
        reverse("admin:promises_promise_change", args=[haninge_2027.pk]), data
    )
    assert response.status_code == 302
    new = Commitment.objects.get(title="Trygga skolvägar")
    assert new.promise == haninge_2027
    assert new.targets.get().sentence() == "Minst 3 trafiksäkerhetsinsatser per kvartal"


# --- A new promise from a template ---------------------------------------------------


def test_a_promise_from_the_built_in_example(client, coordinator_haninge, haninge):
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_promise_from_template")
    form = client.get(url).context["form"]
    assert form.initial["municipality"] == haninge.pk
    assert form.initial["year"] == 2027  # in December, next year's
    response = client.post(
        url, {"template": "exempel", "municipality": haninge.pk, "year": 2027}
    )
    promise = Promise.objects.get(year=2027)
    assert response["Location"] == reverse(
        "admin:promises_promise_change", args=[promise.pk]
    )
    assert promise.title == "Medborgarlöfte Haninge 2027"
    assert promise.status == Promise.Status.DRAFT
    assert (promise.starts_on, promise.ends_on) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert promise.focus_areas.count() == len(FOCUS_AREAS)
    assert Target.objects.filter(commitment__promise=promise).count() == 9
    assert not promise.activities.exists()


def test_a_promise_from_last_years_keeps_the_structure_only(
    client, coordinator_haninge, haninge, promise_haninge
):
    commitment = make_commitment(
        promise_haninge, "Egen dialog", kind="dialogue", count=3
    )
    commitment.internal_notes = "Internt om dialogerna."
    commitment.save()
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_promise_from_template")
    choices = dict(client.get(url).context["form"].fields["template"].choices)
    assert choices == {
        str(promise_haninge.pk): "Medborgarlöfte Haninge 2026",
        "exempel": "Haninges medborgarlöfte (exempel)",
    }
    client.post(
        url,
        {"template": promise_haninge.pk, "municipality": haninge.pk, "year": 2027},
    )
    copy = Commitment.objects.get(promise__year=2027)
    assert copy.title == "Egen dialog"
    assert copy.internal_notes == "Internt om dialogerna."
    assert copy.targets.get().count == 3


def test_another_municipalitys_template_brings_no_internal_notes(haninge, nynashamn):
    source = make_promise(nynashamn)
    commitment = make_commitment(source, "Deras åtagande")
    commitment.internal_notes = "Nynäshamns interna anteckning"
    commitment.save()
    promise = workflows.promise_from_template(
        template=source, municipality=haninge, year=2027
    )
    assert promise.commitments.get().internal_notes == ""


def test_the_year_must_be_free(client, coordinator_haninge, haninge, promise_haninge):
    with pytest.raises(ValidationError, match="har redan ett medborgarlöfte för 2026"):
        workflows.promise_from_template(template=None, municipality=haninge, year=2026)
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_promise_from_template"),
        {"template": "exempel", "municipality": haninge.pk, "year": 2026},
    )
    assert response.status_code == 200
    assert "har redan ett medborgarlöfte för 2026" in response.content.decode()
    assert Promise.objects.count() == 1


def test_the_template_page_offers_only_the_users_municipalities(
    client, coordinator_haninge, haninge, nynashamn, promise_nynashamn
):
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_promise_from_template")
    form = client.get(url).context["form"]
    assert list(form.fields["municipality"].queryset) == [haninge]
    assert str(promise_nynashamn.pk) not in dict(form.fields["template"].choices)
    refused = client.post(
        url, {"template": "exempel", "municipality": nynashamn.pk, "year": 2027}
    )
    assert "municipality" in refused.context["form"].errors
    assert not Promise.objects.filter(year=2027).exists()


# --- Choice lists name the year and the municipality --------------------------------


def test_focus_areas_and_commitments_are_told_apart_by_year(
    client, coordinator_haninge, haninge, promise_haninge
):
    last_year = make_promise(haninge, 2025)
    for promise in (last_year, promise_haninge):
        FocusArea.objects.create(promise=promise, title="Trygghet i offentlig miljö")
    login_verified(client, coordinator_haninge)
    form = (
        client.get(reverse("admin:promises_commitment_add")).context["adminform"].form
    )
    labels = [label for _value, label in form.fields["focus_area"].choices][1:]
    assert sorted(labels) == [
        "Trygghet i offentlig miljö (Haninge 2025)",
        "Trygghet i offentlig miljö (Haninge 2026)",
    ]


def test_save_and_add_another_keeps_the_municipality(
    client, coordinator_haninge, haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_district_add"),
        {
            "municipality": haninge.pk,
            "name": "Vendelsö",
            "slug": "vendelso",
            "_addanother": "1",
        },
    )
    assert response["Location"] == (
        reverse("admin:promises_district_add") + f"?municipality={haninge.pk}"
    )
    form = client.get(response["Location"]).context["adminform"].form
    assert form.initial["municipality"] == str(haninge.pk)
