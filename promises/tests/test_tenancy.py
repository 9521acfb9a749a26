"""Every object staff can change belongs to one municipality, or only superusers
change it: organisations, police areas and indicators included.

Haninge and Nynäshamn share a police area (as in reality); Botkyrka has its own.
Each has its own organisations; Trafikverket is shared by all.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from promises.models import Activity, Organisation, PoliceArea
from promises.roles import COORDINATOR, POLICE_LIAISON, ROLE_PERMISSIONS
from promises.tests.factories import (
    activity_form,
    deployment_form,
    login_verified,
    make_municipality,
    make_user,
    serve,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def botkyrka(db):
    botkyrka = make_municipality("Botkyrka", ["Alby", "Fittja"])
    serve(botkyrka, "Lokalpolisområde Botkyrka")
    return botkyrka


@pytest.fixture
def organisations(haninge, nynashamn, botkyrka, police, haninge_kommun):
    def own(name, municipality):
        return Organisation.objects.create(
            name=name, kind=Organisation.Kind.PARTNER, municipality=municipality
        )

    return {
        "police": police,
        "haninge_kommun": haninge_kommun,
        "haninge_bostader": own("Haninge Bostäder", haninge),
        "nynas_havsbad": own("Nynäs Havsbad", nynashamn),
        "botkyrkabyggen": own("Botkyrkabyggen", botkyrka),
        "botkyrka_police": botkyrka.police_area.organisation,
        "trafikverket": Organisation.objects.create(
            name="Trafikverket", kind=Organisation.Kind.PARTNER
        ),
    }


# --- No model can forget tenancy ------------------------------------------------------


def test_every_model_staff_can_change_belongs_to_a_municipality():
    """Over the admin's registry: a model any role may add, change or delete names
    its path to a municipality; the rest are changed by superusers only."""
    writes = {"add", "change", "delete"}
    for model in admin.site._registry:
        label = model._meta.label_lower
        roles_writing = [
            role
            for role, models in ROLE_PERMISSIONS.items()
            if writes & set(models.get(label, ()))
        ]
        if roles_writing:
            assert getattr(model, "municipality_path", None) is not None, (
                f"{label} is changed by {roles_writing} but belongs to no "
                "municipality: give it a municipality_path"
            )


# --- Organisations ---------------------------------------------------------------------


def test_the_coordinator_lists_their_own_their_police_and_shared_organisations(
    client, coordinator_haninge, organisations
):
    login_verified(client, coordinator_haninge)
    response = client.get(reverse("admin:promises_organisation_changelist"))
    listed = {o.name for o in response.context["cl"].result_list}
    assert listed == {
        "Lokalpolisområde Haninge/Nynäshamn",
        "Haninge kommun",
        "Haninge Bostäder",
        "Trafikverket",
    }
    html = response.content.decode()
    assert "Nynäs Havsbad" not in html and "Botkyrka" not in html


@pytest.mark.parametrize("name", ["nynas_havsbad", "botkyrkabyggen", "botkyrka_police"])
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_another_municipalitys_organisation_is_a_404(
    client, coordinator_haninge, organisations, name, page
):
    login_verified(client, coordinator_haninge)
    url = reverse(f"admin:promises_organisation_{page}", args=[organisations[name].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Omdöpt", "kind": "partner"}).status_code == 404
    organisations[name].refresh_from_db()
    assert organisations[name].name != "Omdöpt"


def test_the_coordinator_changes_their_own_organisation(
    client, coordinator_haninge, organisations, haninge
):
    login_verified(client, coordinator_haninge)
    own = organisations["haninge_bostader"]
    response = client.post(
        reverse("admin:promises_organisation_change", args=[own.pk]),
        {"name": "Haninge Bostäder AB", "kind": "partner", "municipality": haninge.pk},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Haninge Bostäder AB"


@pytest.mark.parametrize("name", ["police", "trafikverket"])
def test_the_police_area_and_shared_organisations_are_only_read(
    client, coordinator_haninge, organisations, name
):
    """Shared by design: the coordinator sees them, superusers change them."""
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_organisation_change", args=[organisations[name].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "Omdöpt", "kind": "partner"}).status_code == 403
    organisations[name].refresh_from_db()
    assert organisations[name].name != "Omdöpt"


def test_the_coordinator_adds_partners_only_to_their_own_municipality(
    client, coordinator_haninge, organisations, haninge, nynashamn
):
    login_verified(client, coordinator_haninge)
    add = reverse("admin:promises_organisation_add")
    form = client.get(add).context["adminform"].form
    assert list(form.fields["municipality"].queryset) == [haninge]
    assert "police" not in dict(form.fields["kind"].choices)
    assert form.initial["municipality"] == haninge.pk
    refused = client.post(
        add, {"name": "Smygpart", "kind": "partner", "municipality": nynashamn.pk}
    )
    assert refused.status_code == 200
    assert "municipality" in refused.context["adminform"].form.errors
    police = client.post(
        add, {"name": "Egen polis", "kind": "police", "municipality": haninge.pk}
    )
    assert "kind" in police.context["adminform"].form.errors
    assert not Organisation.objects.filter(name__in=["Smygpart", "Egen polis"]).exists()


def test_two_municipalities_may_have_partners_of_the_same_name(
    client, coordinator_haninge, organisations, haninge
):
    Organisation.objects.create(
        name="Securitas",
        kind="partner",
        municipality=organisations["nynas_havsbad"].municipality,
    )
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_organisation_add"),
        {"name": "Securitas", "kind": "partner", "municipality": haninge.pk},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Securitas").count() == 2


def test_the_activity_form_offers_the_promises_own_organisations_only(
    client, coordinator_haninge, organisations, promise_haninge
):
    login_verified(client, coordinator_haninge)
    form = client.get(reverse("admin:promises_activity_add")).context["adminform"].form
    offered = {o.name for o in form.fields["organisations"].queryset}
    assert offered == {
        "Lokalpolisområde Haninge/Nynäshamn",
        "Haninge kommun",
        "Haninge Bostäder",
        "Trafikverket",
    }
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_form(
            promise_haninge, organisations=[organisations["botkyrkabyggen"].pk]
        ),
    )
    assert "organisations" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_a_coordinator_of_two_municipalities_cannot_mix_their_organisations(
    client, organisations, haninge, nynashamn, promise_haninge
):
    both = make_user("samordnare_bada", COORDINATOR, [haninge, nynashamn])
    login_verified(client, both)
    response = client.post(
        reverse("admin:promises_activity_add"),
        activity_form(
            promise_haninge, organisations=[organisations["nynas_havsbad"].pk]
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["organisations"]
    assert errors == [
        "Välj bara organisationer som samverkar med Haninge och dess lokalpolisområde."
    ]


def test_the_friday_form_ticks_the_liaisons_own_police_only(
    client, liaison_haninge, organisations, promise_haninge, botkyrka
):
    login_verified(client, liaison_haninge)
    response = client.get(reverse("admin:promises_fridaydeployment_add"))
    form = response.context["adminform"].form
    assert form.initial["organisations"] == [organisations["police"].pk]
    html = response.content.decode()
    assert "Lokalpolisområde Botkyrka" not in html
    saved = client.post(
        reverse("admin:promises_fridaydeployment_add"),
        deployment_form(promise_haninge, organisations=[organisations["police"].pk]),
    )
    assert saved.status_code == 302
    assert list(Activity.objects.get().organisations.all()) == [organisations["police"]]


# --- Police areas ---------------------------------------------------------------------


def test_a_police_area_is_seen_by_the_staff_of_every_municipality_it_serves(
    client, coordinator_haninge, coordinator_nynashamn, organisations, botkyrka
):
    shared = organisations["police"].police_area
    for coordinator in (coordinator_haninge, coordinator_nynashamn):
        login_verified(client, coordinator)
        listed = client.get(reverse("admin:promises_policearea_changelist"))
        assert [a.name for a in listed.context["cl"].result_list] == [shared.name]
        page = client.get(reverse("admin:promises_policearea_change", args=[shared.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        other = botkyrka.police_area
        assert (
            client.get(
                reverse("admin:promises_policearea_change", args=[other.pk])
            ).status_code
            == 404
        )


def test_only_a_superuser_renames_a_police_area_and_its_police(
    client, superuser, organisations
):
    area = organisations["police"].police_area
    login_verified(client, superuser)
    response = client.post(
        reverse("admin:promises_policearea_change", args=[area.pk]),
        {"name": "Lokalpolisområde Södertörn"},
    )
    assert response.status_code == 302
    organisations["police"].refresh_from_db()
    assert organisations["police"].name == "Lokalpolisområde Södertörn"


def test_the_police_are_always_a_police_areas(db):
    area = PoliceArea.objects.create(name="Lokalpolisområde Tyresö")
    assert area.organisation.kind == Organisation.Kind.POLICE
    with pytest.raises(Exception, match="organisation_police_is_a_police_area"):
        Organisation.objects.create(name="Lös polis", kind=Organisation.Kind.POLICE)


def test_the_roles_see_their_police_area():
    for role in (COORDINATOR, POLICE_LIAISON):
        assert ROLE_PERMISSIONS[role]["promises.policearea"] == ["view"]


def test_the_filter_sidebars_name_only_what_the_user_may_see(
    client, coordinator_haninge, organisations
):
    login_verified(client, coordinator_haninge)
    findings = client.get(reverse("admin:promises_finding_changelist")).content.decode()
    assert "Haninge Bostäder" in findings
    assert "Nynäs Havsbad" not in findings and "Botkyrka" not in findings
