"""Each user sees, chooses and edits only their own municipalities' objects.

The personas work for Haninge; everything of Nynäshamn must be a 404 or absent:
change, delete and history views, changelists, foreign-key choices and
autocomplete. Superusers see both.
"""

import datetime
import re

import pytest
from django.urls import reverse

from promises.models import (
    Activity,
    Commitment,
    District,
    Finding,
    FridayDeployment,
    Kind,
    Municipality,
    Promise,
)
from promises.roles import COORDINATOR
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_user,
)

pytestmark = pytest.mark.django_db

# Words that only Nynäshamn's data contains (no police organisation here: its
# name mentions both municipalities).
NYNASHAMN_WORDS = ["Nynäshamn", "Sorunda", "Stora Vika", "Nynäs brygga"]


@pytest.fixture
def data(haninge, nynashamn, promise_haninge, promise_nynashamn):
    """The same kinds of objects in both municipalities."""
    objects = {}
    for name, municipality, promise, district_name, place in [
        ("haninge", haninge, promise_haninge, "Jordbro", "Jordbro centrum"),
        ("nynashamn", nynashamn, promise_nynashamn, "Sorunda", "Nynäs brygga"),
    ]:
        district = municipality.districts.get(name=district_name)
        commitment = make_commitment(
            promise, f"Trygghetsinventeringar i {district_name}"
        )
        inventory = make_activity(
            promise,
            Activity.Kind.INVENTORY,
            local(2026, 4, 14, 18),
            title=f"Trygghetsinventering i {district_name}",
            districts=[district],
        )
        deployment = make_activity(
            promise,
            Activity.Kind.DEPLOYMENT,
            local(2026, 3, 6),
            title=f"Fredagsutsättning {district_name}",
            districts=[district],
        )
        finding = Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LIGHTING,
            district=district,
            place=place,
        )
        objects[name] = {
            "municipality": municipality,
            "district": district,
            "promise": promise,
            "commitment": commitment,
            "activity": inventory,
            "fridaydeployment": FridayDeployment.objects.get(pk=deployment.pk),
            "finding": finding,
            "kind": Kind.objects.create(
                municipality=municipality,
                name=f"Tillsyn i {district_name}",
                plural="tillsyner",
            ),
        }
    return objects


def urls_for(model: str, obj) -> dict[str, str]:
    history_id = obj.history.latest().history_id
    return {
        "change": reverse(f"admin:promises_{model}_change", args=[obj.pk]),
        "delete": reverse(f"admin:promises_{model}_delete", args=[obj.pk]),
        "history": reverse(f"admin:promises_{model}_history", args=[obj.pk]),
        "history_version": reverse(
            f"admin:promises_{model}_simple_history", args=[obj.pk, history_id]
        ),
    }


SCOPED_MODELS = [
    "municipality",
    "district",
    "promise",
    "commitment",
    "activity",
    "fridaydeployment",
    "finding",
    "kind",
]
VIEWS = ["change", "delete", "history", "history_version"]


def assert_leaks_nothing(response, obj):
    body = response.content.decode()
    assert str(obj) not in body
    for word in NYNASHAMN_WORDS:
        assert word not in body


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("model", SCOPED_MODELS)
@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_another_municipalitys_object_is_a_404(
    client, request, data, persona, model, view
):
    login_verified(client, request.getfixturevalue(persona))
    obj = data["nynashamn"][model]
    response = client.get(urls_for(model, obj)[view])
    assert response.status_code == 404
    assert_leaks_nothing(response, obj)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("model", SCOPED_MODELS)
def test_the_superuser_opens_both_municipalities(client, superuser, data, model, view):
    login_verified(client, superuser)
    for municipality in ["haninge", "nynashamn"]:
        obj = data[municipality][model]
        response = client.get(urls_for(model, obj)[view])
        assert response.status_code == 200, municipality
        assert str(obj) in response.content.decode()


@pytest.mark.parametrize("view", ["change", "history", "history_version"])
@pytest.mark.parametrize(
    "model", ["promise", "activity", "finding", "district", "kind"]
)
def test_nynashamns_own_coordinator_opens_them(
    client, coordinator_nynashamn, data, model, view
):
    login_verified(client, coordinator_nynashamn)
    obj = data["nynashamn"][model]
    assert client.get(urls_for(model, obj)[view]).status_code == 200


def test_a_history_version_of_another_object_is_a_404(
    client, coordinator_haninge, data
):
    """Own object id with another municipality's history id in the URL."""
    own = data["haninge"]["promise"]
    foreign_version = data["nynashamn"]["promise"].history.latest().history_id
    login_verified(client, coordinator_haninge)
    response = client.get(
        reverse("admin:promises_promise_simple_history", args=[own.pk, foreign_version])
    )
    assert response.status_code == 404
    assert_leaks_nothing(response, data["nynashamn"]["promise"])


def test_another_municipalitys_promise_cannot_be_changed(
    client, coordinator_haninge, data, haninge
):
    promise = data["nynashamn"]["promise"]
    login_verified(client, coordinator_haninge)
    response = client.post(
        urls_for("promise", promise)["change"],
        {
            "municipality": haninge.pk,
            "year": 2026,
            "title": "Kapad",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "status": "draft",
            "focus_areas-TOTAL_FORMS": "0",
            "focus_areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 404
    promise.refresh_from_db()
    assert promise.title == "Medborgarlöfte Nynäshamn 2026"
    assert promise.municipality.name == "Nynäshamn"


@pytest.mark.parametrize("model", ["activity", "finding", "commitment"])
def test_another_municipalitys_object_cannot_be_deleted(
    client, coordinator_haninge, data, model
):
    obj = data["nynashamn"][model]
    login_verified(client, coordinator_haninge)
    response = client.post(urls_for(model, obj)["delete"], {"post": "yes"})
    assert response.status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_liaison_cannot_change_another_municipalitys_deployment(
    client, liaison_haninge, data
):
    deployment = data["nynashamn"]["fridaydeployment"]
    login_verified(client, liaison_haninge)
    response = client.post(
        urls_for("fridaydeployment", deployment)["change"],
        {
            "promise": data["haninge"]["promise"].pk,
            "starts_at_0": "2026-03-06",
            "starts_at_1": "14:00",
            "status": "done",
            "title": "Kapad",
            "operational_picture-TOTAL_FORMS": "0",
            "operational_picture-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 404
    deployment.refresh_from_db()
    assert deployment.title == "Fredagsutsättning Sorunda"


# Changelists

CHANGELIST_MODELS = {
    "municipality": Municipality,
    "district": District,
    "promise": Promise,
    "commitment": Commitment,
    "activity": Activity,
    "fridaydeployment": FridayDeployment,
    "finding": Finding,
}


def listed(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


def all_of(model, municipality) -> set:
    queryset = CHANGELIST_MODELS[model]._default_manager.all()
    path = CHANGELIST_MODELS[model].municipality_path
    return set(
        queryset.filter(**{path or "pk": municipality.pk}).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("model", CHANGELIST_MODELS)
@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_changelists_list_only_the_own_municipality(
    client, request, data, haninge, persona, model
):
    login_verified(client, request.getfixturevalue(persona))
    response = client.get(reverse(f"admin:promises_{model}_changelist"))
    assert response.status_code == 200
    assert listed(response) == all_of(model, haninge)
    assert listed(response)


@pytest.mark.parametrize("model", CHANGELIST_MODELS)
@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_changelist_pages_name_nothing_of_another_municipality(
    client, request, data, persona, model
):
    """Filters in the sidebar included: they must not list Nynäshamn's objects."""
    login_verified(client, request.getfixturevalue(persona))
    response = client.get(reverse(f"admin:promises_{model}_changelist"))
    body = response.content.decode()
    for word in NYNASHAMN_WORDS:
        assert word not in body


@pytest.mark.parametrize("model", CHANGELIST_MODELS)
def test_the_superuser_lists_both(client, superuser, data, haninge, nynashamn, model):
    login_verified(client, superuser)
    response = client.get(reverse(f"admin:promises_{model}_changelist"))
    assert listed(response) == all_of(model, haninge) | all_of(model, nynashamn)


def test_a_user_of_two_municipalities_lists_both_once(client, data, haninge, nynashamn):
    user = make_user("samordnare_sodertorn", COORDINATOR, [haninge, nynashamn])
    login_verified(client, user)
    response = client.get(reverse("admin:promises_activity_changelist"))
    result = [obj.pk for obj in response.context["cl"].result_list]
    assert sorted(result) == sorted(
        all_of("activity", haninge) | all_of("activity", nynashamn)
    )


@pytest.mark.parametrize(
    "query",
    [
        "q=Sorunda",
        "q=Nyn%C3%A4s",
        "promise__id__exact={promise}",
        "promise__municipality__id__exact={municipality}",
        "districts__id__exact={district}",
    ],
)
def test_filtering_by_another_municipality_in_the_url_finds_nothing_of_it(
    client, coordinator_haninge, data, haninge, query
):
    nynashamn = data["nynashamn"]
    query = query.format(
        promise=nynashamn["promise"].pk,
        municipality=nynashamn["municipality"].pk,
        district=nynashamn["district"].pk,
    )
    login_verified(client, coordinator_haninge)
    response = client.get(f"{reverse('admin:promises_activity_changelist')}?{query}")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert listed(response) <= all_of("activity", haninge)
    assert "Trygghetsinventering i Sorunda" not in response.content.decode()


# Foreign-key choices


def choices(response, field: str, formset: int | None = None) -> set:
    if formset is None:
        form = response.context["adminform"].form
    else:
        form = response.context["inline_admin_formsets"][formset].formset.forms[0]
    return set(form.fields[field].queryset.values_list("pk", flat=True))


def haninge_and_nynashamn(data, model):
    return {data[name][model].pk for name in ["haninge", "nynashamn"]}


ADD_FORM_CHOICES = [
    # persona, add page of, field, model of the choices
    ("coordinator_haninge", "activity", "promise", "promise"),
    ("coordinator_haninge", "activity", "districts", "district"),
    ("liaison_haninge", "activity", "promise", "promise"),
    ("liaison_haninge", "activity", "districts", "district"),
    ("liaison_haninge", "fridaydeployment", "promise", "promise"),
    ("liaison_haninge", "fridaydeployment", "districts", "district"),
    ("coordinator_haninge", "finding", "inventory", "activity"),
    ("coordinator_haninge", "finding", "district", "district"),
    ("coordinator_haninge", "commitment", "focus_area", "focusarea"),
    # A target counts only some districts (issue 20): the own municipality's.
    ("coordinator_haninge", "target", "commitment", "commitment"),
    ("coordinator_haninge", "target", "districts", "district"),
    ("coordinator_haninge", "district", "municipality", "municipality"),
    ("coordinator_haninge", "promise", "municipality", "municipality"),
]


def expected_choices(data, name, model):
    if model == "district":
        return set(data[name]["municipality"].districts.values_list("pk", flat=True))
    if model == "focusarea":
        return {data[name]["commitment"].focus_area_id}
    return {data[name][model].pk}


@pytest.mark.parametrize(("persona", "page", "field", "model"), ADD_FORM_CHOICES)
def test_add_forms_offer_only_the_own_municipality(
    client, request, data, persona, page, field, model
):
    login_verified(client, request.getfixturevalue(persona))
    response = client.get(reverse(f"admin:promises_{page}_add"))
    assert response.status_code == 200
    assert choices(response, field) == expected_choices(data, "haninge", model)
    body = response.content.decode()
    for word in NYNASHAMN_WORDS:
        assert word not in body


@pytest.mark.parametrize(("persona", "page", "field", "model"), ADD_FORM_CHOICES)
def test_the_superuser_is_offered_both(
    client, superuser, data, persona, page, field, model
):
    login_verified(client, superuser)
    response = client.get(reverse(f"admin:promises_{page}_add"))
    assert choices(response, field) == expected_choices(
        data, "haninge", model
    ) | expected_choices(data, "nynashamn", model)


def test_the_districts_checkboxes_show_only_the_own_districts(
    client, liaison_haninge, data
):
    login_verified(client, liaison_haninge)
    body = client.get(reverse("admin:promises_fridaydeployment_add")).content.decode()
    offered = set(map(int, re.findall(r'name="districts" value="(\d+)"', body)))
    assert offered == expected_choices(data, "haninge", "district")
    for district in ["Handen", "Jordbro", "Brandbergen", "Vega"]:
        assert district in body
    assert "Sorunda" not in body
    assert "Stora Vika" not in body


def test_the_findings_inline_offers_only_the_own_districts(
    client, coordinator_haninge, data
):
    login_verified(client, coordinator_haninge)
    inventory = data["haninge"]["activity"]
    # An inventory of several districts asks each finding for its own (one of a
    # single district gives it that one, unasked).
    inventory.districts.set(data["haninge"]["municipality"].districts.all())
    response = client.get(
        reverse("admin:promises_activity_change", args=[inventory.pk])
    )
    assert response.status_code == 200
    assert choices(response, "district", formset=0) == expected_choices(
        data, "haninge", "district"
    )


def test_a_deployment_for_another_municipalitys_promise_is_refused(
    client, liaison_haninge, data
):
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_fridaydeployment_add"),
        {
            "promise": data["nynashamn"]["promise"].pk,
            "starts_at_0": "2026-03-13",
            "starts_at_1": "14:00",
            "status": "done",
            "title": "Fredagsutsättning",
            "operational_picture-TOTAL_FORMS": "0",
            "operational_picture-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "promise" in response.context["adminform"].form.errors
    assert not Activity.objects.filter(starts_at=local(2026, 3, 13)).exists()


def test_another_municipalitys_district_is_refused(client, liaison_haninge, data):
    login_verified(client, liaison_haninge)
    response = client.post(
        reverse("admin:promises_fridaydeployment_add"),
        {
            "promise": data["haninge"]["promise"].pk,
            "starts_at_0": "2026-03-13",
            "starts_at_1": "14:00",
            "status": "done",
            "districts": [data["nynashamn"]["district"].pk],
            "title": "Fredagsutsättning",
            "operational_picture-TOTAL_FORMS": "0",
            "operational_picture-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "districts" in response.context["adminform"].form.errors
    assert not Activity.objects.filter(starts_at=local(2026, 3, 13)).exists()


def test_a_finding_on_another_municipalitys_inventory_is_refused(
    client, coordinator_haninge, data
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        reverse("admin:promises_finding_add"),
        {
            "inventory": data["nynashamn"]["activity"].pk,
            "category": "lighting",
            "place": "Påhittad plats",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "inventory" in response.context["adminform"].form.errors
    assert not Finding.objects.filter(place="Påhittad plats").exists()


# Autocomplete


def autocomplete(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "promises",
            "model_name": "finding",
            "field_name": "inventory",
            "term": term,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}, response


@pytest.mark.parametrize("persona", ["coordinator_haninge", "liaison_haninge"])
def test_autocomplete_offers_only_the_own_inventories(client, request, data, persona):
    login_verified(client, request.getfixturevalue(persona))
    found, response = autocomplete(client, "Trygghetsinventering")
    assert found == {data["haninge"]["activity"].pk}
    assert "Sorunda" not in response.content.decode()


def test_autocomplete_by_another_municipalitys_name_finds_nothing(
    client, coordinator_haninge, data
):
    login_verified(client, coordinator_haninge)
    found, _ = autocomplete(client, "Sorunda")
    assert found == set()


def test_autocomplete_offers_only_inventories(client, superuser, data):
    login_verified(client, superuser)
    found, _ = autocomplete(client, "")
    assert found == haninge_and_nynashamn(data, "activity")


def test_autocomplete_for_the_superuser_offers_both(client, superuser, data):
    login_verified(client, superuser)
    found, _ = autocomplete(client, "Trygghetsinventering")
    assert found == haninge_and_nynashamn(data, "activity")


# Actions on another municipality's promise


def test_another_municipalitys_promise_cannot_be_published(
    client, coordinator_haninge, data
):
    promise = data["nynashamn"]["promise"]
    Promise.objects.filter(pk=promise.pk).update(
        status=Promise.Status.DRAFT, published_at=None
    )
    login_verified(client, coordinator_haninge)
    client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "publish", "_selected_action": [promise.pk], "index": "0"},
    )
    promise.refresh_from_db()
    assert promise.status == Promise.Status.DRAFT


def test_another_municipalitys_promise_cannot_be_copied(
    client, coordinator_haninge, data, nynashamn
):
    promise = data["nynashamn"]["promise"]
    login_verified(client, coordinator_haninge)
    client.post(
        reverse("admin:promises_promise_changelist"),
        {
            "action": "copy_to_next_year",
            "_selected_action": [promise.pk],
            "index": "0",
        },
    )
    assert not Promise.objects.filter(municipality=nynashamn, year=2027).exists()


def test_dates_are_irrelevant_to_scoping(client, liaison_haninge, data):
    """A Nynäshamn deployment on the same Friday as Haninge's stays hidden."""
    make_activity(
        data["nynashamn"]["promise"],
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 6) + datetime.timedelta(hours=1),
        title="Fredagsutsättning Stora Vika",
    )
    login_verified(client, liaison_haninge)
    response = client.get(
        reverse("admin:promises_fridaydeployment_changelist"),
        {"starts_at__day": 6, "starts_at__month": 3, "starts_at__year": 2026},
    )
    assert listed(response) == {data["haninge"]["fridaydeployment"].pk}
