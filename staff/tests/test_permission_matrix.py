"""Who may open what in the admin: one table for every role, model, page and action.

The rows are built from `admin.site._registry`, so that a newly registered model or
action is in the matrix without anyone adding it here (and fails until
`HANINGE_OBJECTS` can build one of it). The expected status of each row is derived
from the role's permissions in promises/roles.py plus the scoping rule:

* anonymous: 302 to the login page, always;
* staff with no group: 403 on every page (they are Haninge's staff all the same);
* superuser: 200 everywhere; the only one who may see or manage two-factor
  devices (django-otp's TOTPDevice, and StaticDevice for the recovery codes: no
  role has a permission on them);
* a role: changelist/change/history need view or change, add needs add, delete
  needs delete; an action needs the view or change permission for the changelist
  and then its own permission;
* the coordinator of another municipality (Nynäshamn): every Haninge object of a
  scoped model is a 404 (and an action on it does nothing), and the page names
  nothing of it.
"""

import dataclasses
import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents.models import IncidentCategory, Reporter
from incidents.tests.factories import category as incident_category
from incidents.tests.factories import make_housing_company, make_partner, make_report
from promises.models import (
    Activity,
    DialogueTopic,
    Finding,
    FridayDeployment,
    Kind,
    Organisation,
    PoliceArea,
    Priority,
    Promise,
)
from promises.roles import (
    COORDINATOR,
    PARTNER_REPORTER,
    POLICE_LIAISON,
    ROLE_PERMISSIONS,
)
from promises.tests.factories import (
    built_once,
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_haninge,
    make_nynashamn,
    make_persona,
    make_promise,
)
from reports.models import (
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
)
from staff.models import MunicipalityExport

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "liaison_haninge",
    "coordinator_haninge",
    "coordinator_nynashamn",
    "partner_haninge",
    "staff_without_group",
    "superuser",
]
ROLE_OF = {
    "partner_haninge": PARTNER_REPORTER,
    "liaison_haninge": POLICE_LIAISON,
    "coordinator_haninge": COORDINATOR,
    "coordinator_nynashamn": COORDINATOR,
}
# Personas who work for another municipality than the objects'.
OTHER_MUNICIPALITY = {"coordinator_nynashamn"}
PAGES = ["changelist", "add", "change", "delete", "history"]
OBJECT_PAGES = {"change", "delete", "history"}
LOGIN = reverse("admin:login")
# django-axes' login records are written by the login, never added by hand.
ADD_FOR_NOBODY = {"axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}
# Actions that do not act on the selection: "done" is a plain redirect.
NOT_ON_THE_SELECTION = {"cleanup_expired_attempts"}

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def label(model) -> str:
    return model._meta.label_lower


def is_scoped(model) -> bool:
    return hasattr(model, "municipality_path")


def permissions(persona: str, model_label: str) -> set[str]:
    """The role's actions on a model, e.g. {"view", "add", "publish_promise"}."""
    role = ROLE_OF.get(persona)
    return set(ROLE_PERMISSIONS.get(role, {}).get(model_label, []))


def may_view(perms: set[str]) -> bool:
    return bool(perms & {"view", "change"})


def expected_page_status(persona: str, model, page: str) -> int:
    if persona == "anonymous":
        return 302
    if page == "add" and label(model) in ADD_FOR_NOBODY:
        return 403
    if persona == "superuser":
        return 200
    perms = permissions(persona, label(model))
    if page in OBJECT_PAGES and persona in OTHER_MUNICIPALITY and is_scoped(model):
        return 404
    needed = {"changelist": may_view, "change": may_view, "history": may_view}
    if page in needed:
        return 200 if needed[page](perms) else 403
    return 200 if page in perms else 403  # add, delete


def action_permission(model, allowed: str) -> str:
    """The roles.py name of an action permission ("publish" → "publish_promise")."""
    if allowed == "publish":
        return f"publish_{model._meta.model_name}"
    return allowed


def actions_of(model_admin) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (action.name, tuple(getattr(action.func, "allowed_permissions", ())))
        for action in model_admin._get_base_actions()
    ]


def expected_action(persona: str, model, allowed: tuple[str, ...]) -> str:
    """'login', 'forbidden' (403), 'refused' (nothing done) or 'done'."""
    if persona == "anonymous":
        return "login"
    if persona == "superuser":
        return "done"
    perms = permissions(persona, label(model))
    if not may_view(perms):
        return "forbidden"
    if not all(action_permission(model, p) in perms for p in allowed):
        return "refused"
    if persona in OTHER_MUNICIPALITY and is_scoped(model):
        return "refused"
    return "done"


# --- The objects: one of each registered model, Haninge's ----------------------------


def build_haninge_objects(haninge, promise_haninge, housing_company=None) -> dict:
    inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 4, 14, 18),
        title="Matrisinventering Haninge",
    )
    deployment = make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 6),
        title="Matrisutsättning Haninge",
    )
    indicator = Indicator.objects.create(
        municipality=haninge, name="Matrisindikator", unit="%", source="Matriskälla"
    )
    # Haninge's own police area: Nynäshamn's (the fixture's) is another.
    police_area = PoliceArea.objects.create(name="Matrisområde Haninge")
    haninge.police_area = police_area
    haninge.save()
    commitment = make_commitment(
        promise_haninge,
        "Matrisåtagande Haninge",
        kind=Activity.Kind.DIALOGUE,
        count=4,
    )
    # The problem behind it and a goal, on its page (issue 13).
    commitment.problem = "Matrisproblem Haninge"
    commitment.save()
    commitment.problem_districts.set(haninge.districts.filter(name="Handen"))
    Goal.objects.create(
        commitment=commitment,
        indicator=indicator,
        baseline_value=40,
        baseline_year=2025,
        target_value=30,
        target_by=datetime.date(2027, 12, 31),
    )
    dialogue = make_activity(
        promise_haninge, Activity.Kind.DIALOGUE, title="Matrisdialog Haninge"
    )
    user = get_user_model().objects.create_user(
        username="matrisanvandare", email="matris@example.se"
    )
    recovery_codes = StaticDevice.objects.create(
        user=user, name="Matrisreservkoder", confirmed=True
    )
    recovery_codes.token_set.create(token="1234567890")
    access = {
        "user_agent": "Matrisläsare",
        "ip_address": "192.0.2.1",
        "username": "matrisinloggning",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    return {
        "axes.accessattempt": AccessAttempt.objects.create(
            **access, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**access),
        "axes.accesslog": AccessLog.objects.create(**access),
        "auth.group": Group.objects.create(name="Matrisgrupp"),
        "auth.user": user,
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=user, name="Matrisenhet", confirmed=True
        ),
        "otp_static.staticdevice": recovery_codes,
        "promises.municipality": haninge,
        "promises.district": haninge.districts.get(name="Handen"),
        "promises.policearea": police_area,
        "promises.kind": Kind.objects.create(
            municipality=haninge, name="Matristillsyn", plural="matristillsyner"
        ),
        "promises.organisation": Organisation.objects.create(
            name="Matrisorganisation",
            kind=Organisation.Kind.PARTNER,
            municipality=haninge,
        ),
        # A draft, so that publishing and copying it change something.
        "promises.promise": make_promise(
            haninge,
            2027,
            title="Matrislöfte Haninge 2027",
            status=Promise.Status.DRAFT,
        ),
        "promises.commitment": commitment,
        "promises.target": commitment.targets.get(),
        "promises.activity": dialogue,
        "promises.dialoguetopic": DialogueTopic.objects.create(
            dialogue=dialogue, text="Matrisämne Haninge"
        ),
        "promises.fridaydeployment": FridayDeployment.objects.get(pk=deployment.pk),
        "promises.finding": Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LIGHTING,
            place="Matrisplats Haninge",
            # Fixed, so that reopening it changes something.
            status=Finding.Status.FIXED,
            fixed_on=datetime.date(2026, 4, 20),
        ),
        "reports.indicator": indicator,
        "reports.indicatorvalue": IndicatorValue.objects.create(
            indicator=indicator, municipality=haninge, year=2025, value=42
        ),
        "reports.quarterlyreport": QuarterlyReport.objects.create(
            promise=promise_haninge,
            year=2026,
            quarter=1,
            title="Matrisrapport Haninge",
            body="Matristext",
        ),
        "reports.evaluation": Evaluation.objects.create(
            promise=promise_haninge, summary="Matrisutvärdering Haninge"
        ),
        "promises.priority": Priority.objects.create(
            municipality=haninge,
            district=haninge.districts.get(name="Jordbro"),
            year=2026,
            quarter=4,
            reason="Matrisprioritering",
        ),
        "incidents.incidentcategory": IncidentCategory.objects.create(
            municipality=haninge, name="Matriskategori Haninge"
        ),
        "incidents.reporter": Reporter.objects.create(
            user=get_user_model().objects.create_user(
                username="matrisrapportor", is_staff=True
            ),
            organisation=housing_company,
        ),
        # The partner persona's organisation's, of today: theirs to see and correct.
        "incidents.incidentreport": make_report(
            haninge.districts.get(name="Handen"),
            housing_company,
            place="Matrisplats för händelse",
        ),
    }


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> dict:
    """The municipalities, their promises, the personas and Haninge's objects,
    built once for the module's tests, each of which runs in a savepoint rolled
    back after it (built_once). By the names of the fixtures below."""
    with built_once(django_db_blocker):
        haninge, nynashamn = make_haninge(), make_nynashamn()
        built = {
            "haninge": haninge,
            "nynashamn": nynashamn,
            "promise_haninge": make_promise(haninge),
            "promise_nynashamn": make_promise(nynashamn),
            "housing_company": make_housing_company(haninge),
            **{name: make_persona(name, haninge) for name in HANINGE_PERSONAS},
            "coordinator_nynashamn": make_persona("coordinator_nynashamn", nynashamn),
        }
        built["partner_haninge"] = make_partner(haninge, built["housing_company"])
        # Haninge gets a police area of its own below; Nynäshamn's keeps the
        # shared one, renamed so that its name does not say "Haninge" on
        # Nynäshamn's pages.
        nynashamn.police_area.name = "Lokalpolisområde Sorunda"
        nynashamn.police_area.save()
        built["haninge_objects"] = build_haninge_objects(
            haninge, built["promise_haninge"], built["housing_company"]
        )
        yield built


HANINGE_PERSONAS = [
    "coordinator_haninge",
    "liaison_haninge",
    "staff_without_group",
    "superuser",
]


# The fixtures of promises/tests/factories.py and incidents/tests/factories.py,
# here from the module's matrix.
@pytest.fixture
def haninge(matrix):
    return matrix["haninge"]


@pytest.fixture
def nynashamn(matrix):
    return matrix["nynashamn"]


@pytest.fixture
def promise_haninge(matrix):
    return matrix["promise_haninge"]


@pytest.fixture
def promise_nynashamn(matrix):
    return matrix["promise_nynashamn"]


@pytest.fixture
def housing_company(matrix):
    return matrix["housing_company"]


@pytest.fixture
def coordinator_haninge(matrix):
    return matrix["coordinator_haninge"]


@pytest.fixture
def liaison_haninge(matrix):
    return matrix["liaison_haninge"]


@pytest.fixture
def coordinator_nynashamn(matrix):
    return matrix["coordinator_nynashamn"]


@pytest.fixture
def partner_haninge(matrix):
    return matrix["partner_haninge"]


@pytest.fixture
def staff_without_group(matrix):
    return matrix["staff_without_group"]


@pytest.fixture
def superuser(matrix):
    return matrix["superuser"]


@pytest.fixture
def haninge_objects(matrix):
    return matrix["haninge_objects"]


def test_every_registered_model_has_an_object_in_the_matrix(haninge_objects):
    assert {label(model) for model, _admin in REGISTRY} == set(haninge_objects)


def login_as(client, request, persona: str):
    if persona != "anonymous":
        login_verified(client, request.getfixturevalue(persona))


def fingerprint(model, obj):
    manager = model._base_manager
    current = manager.filter(pk=obj.pk).first()
    return manager.count(), current and model_to_dict(current)


def assert_leaks_nothing(response, obj):
    assert str(obj).encode() not in response.content


# --- The table -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    persona: str
    model: type
    page: str  # a page name, or "action:<name>"
    allowed: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.persona}-{label(self.model)}-{self.page}"


def rows() -> list:
    table = []
    for persona in PERSONAS:
        for model, model_admin in REGISTRY:
            table += [Row(persona, model, page) for page in PAGES]
            table += [
                Row(persona, model, f"action:{name}", allowed)
                for name, allowed in actions_of(model_admin)
            ]
    return [pytest.param(row, id=row.id) for row in table]


def url_of(model, page: str, obj=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if page in OBJECT_PAGES else [])


@pytest.mark.parametrize("row", rows())
def test_permission_matrix(client, request, haninge_objects, row):
    model = row.model
    obj = haninge_objects[label(model)]
    login_as(client, request, row.persona)

    if not row.page.startswith("action:"):
        url = url_of(model, row.page, obj)
        response = client.get(url)
        expected = expected_page_status(row.persona, model, row.page)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"] == f"{LOGIN}?next={url}"
        if expected != 200:
            assert_leaks_nothing(response, obj)
        return

    action = row.page.removeprefix("action:")
    changelist = url_of(model, "changelist")
    before = fingerprint(model, obj)
    response = client.post(
        changelist,
        {
            "action": action,
            "_selected_action": [str(obj.pk)],
            "index": "0",
            "select_across": "0",
            "post": "yes",  # delete_selected: confirmed
        },
    )
    after = fingerprint(model, obj)
    outcome = expected_action(row.persona, model, row.allowed)
    if outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    elif outcome == "forbidden":
        assert response.status_code == 403
    elif outcome == "refused":
        # Back to the changelist; shown at once if the user is offered no action.
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == changelist
    if outcome != "done":
        assert after == before
        if outcome != "refused" or (
            row.persona in OTHER_MUNICIPALITY and is_scoped(model)
        ):
            assert_leaks_nothing(response, obj)
        return
    if action in NOT_ON_THE_SELECTION:
        assert response.status_code == 302
        assert response["Location"] == changelist
    elif action == "send_password_link":  # an e-mail, nothing in the database
        assert response.status_code == 302
        assert [message.to for message in mail.outbox] == [[obj.email]]
    elif action == "delete_selected" and response.status_code == 200:
        # Protected by related objects: the confirmation page says so, nothing goes.
        assert response.context["protected"]
        assert after == before
    else:
        assert response.status_code == 302
        assert after != before


# --- The custom admin views ----------------------------------------------------------

CUSTOM_VIEWS = {
    # url: (model, the permissions the view needs)
    "/admin/reports/quarterlyreport/skapa-utkast/": (
        "reports.quarterlyreport",
        {"add"},
    ),
    "/admin/reports/indicatorvalue/importera/": (
        "reports.indicatorvalue",
        {"add", "change"},
    ),
    "/admin/promises/promise/fran-mall/": ("promises.promise", {"add"}),
    "/admin/incidents/incidentreport/importera/": (
        "incidents.incidentreport",
        {"add"},
    ),
    "/admin/incidents/incidentreport/lagesbild/": (
        "incidents.incidentreport",
        {"view_lagesbild"},
    ),
    "/admin/incidents/incidentreport/lagesbild/ar/": (
        "incidents.incidentreport",
        {"view_lagesbild"},
    ),
    "/admin/incidents/incidentreport/aterkoppling/": (
        "incidents.incidentreport",
        {"view_own_feedback"},
    ),
}


def expected_custom_status(persona: str, url: str) -> int:
    if persona == "anonymous":
        return 302
    if persona == "superuser":
        return 200
    model_label, needed = CUSTOM_VIEWS[url]
    return 200 if needed <= permissions(persona, model_label) else 403


@pytest.mark.parametrize("url", list(CUSTOM_VIEWS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_custom_admin_views_matrix(client, request, haninge_objects, persona, url):
    login_as(client, request, persona)
    response = client.get(url)
    expected = expected_custom_status(persona, url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == f"{LOGIN}?next={url}"


def expected_export_status(persona: str, method: str) -> int:
    """ "Exportera all data": the permission, then the municipality must be theirs;
    a POST queues an export and goes back to the page."""
    if persona == "anonymous":
        return 302
    if persona != "superuser":
        if "export_municipality" not in permissions(persona, "promises.municipality"):
            return 403
        if persona in OTHER_MUNICIPALITY:
            return 404
    return 302 if method == "post" else 200


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_view_matrix(client, request, haninge_objects, persona, method):
    haninge = haninge_objects["promises.municipality"]
    url = reverse("admin:promises_municipality_export", args=[haninge.pk])
    login_as(client, request, persona)
    response = getattr(client, method)(url)
    expected = expected_export_status(persona, method)
    assert response.status_code == expected
    if expected == 302:
        back = f"{LOGIN}?next={url}" if persona == "anonymous" else url
        assert response["Location"] == back
    if expected not in (200, 302):
        assert_leaks_nothing(response, haninge)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_export_is_downloaded_by_the_one_who_asked_only(
    client, request, haninge_objects, persona
):
    """Haninge's coordinator's built export: theirs alone, a 404 to everyone else
    who may export (the superuser too), a 403 to those who may not."""
    haninge = haninge_objects["promises.municipality"]
    coordinator = request.getfixturevalue("coordinator_haninge")
    job = MunicipalityExport.objects.create(
        municipality=haninge,
        requested_by=coordinator,
        status=MunicipalityExport.Status.READY,
        size=4,
    )
    job.parts.create(number=0, data=b"PK\x05\x06")
    url = reverse(
        "admin:promises_municipality_export_download", args=[haninge.pk, job.pk]
    )
    login_as(client, request, persona)
    response = client.get(url)
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona == "coordinator_haninge":
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"PK\x05\x06"
    elif persona != "superuser" and "export_municipality" not in permissions(
        persona, "promises.municipality"
    ):
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    if response.status_code != 200:
        assert_leaks_nothing(response, haninge)


def expected_publish_counts_status(persona: str) -> int:
    """Publishing the lägesbild's counts: reading it and publishing them, then
    the municipality must be theirs; done, a redirect to the yearly page."""
    if persona in ("anonymous", "superuser"):
        return 302
    needed = {"view_lagesbild", "publish_counts"}
    if not needed <= permissions(persona, "incidents.incidentreport"):
        return 403
    return 404 if persona in OTHER_MUNICIPALITY else 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_publish_counts_matrix(client, request, haninge_objects, persona):
    haninge = haninge_objects["promises.municipality"]
    klotter = incident_category("Klotter")
    url = reverse("admin:incidents_incidentreport_yearly")
    query = f"?kommun={haninge.pk}&ar=2026"
    login_as(client, request, persona)
    response = client.post(url + query, {"quarter": 3, "categories": [klotter.pk]})
    expected = expected_publish_counts_status(persona)
    assert response.status_code == expected
    published = Indicator.objects.filter(municipality=haninge, hides_small_counts=True)
    if persona == "anonymous":
        assert response["Location"].startswith(f"{LOGIN}?next=")
    elif expected == 302:
        assert response["Location"] == url + query
    assert published.exists() == (expected == 302 and persona != "anonymous")
    if expected == 404:
        assert_leaks_nothing(response, haninge)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_two_factor_page_of_a_verified_session_leads_on(client, request, persona):
    """login_verified (factories.py) leaves a verified session: nothing left to ask."""
    login_as(client, request, persona)
    url = reverse("admin:two_factor")
    response = client.get(f"{url}?next=/admin/promises/activity/")
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(f"{LOGIN}?next=")
    else:
        assert response["Location"] == "/admin/promises/activity/"


def test_a_draft_for_another_municipalitys_promise_is_refused(
    client, coordinator_nynashamn, haninge_objects, promise_haninge
):
    login_verified(client, coordinator_nynashamn)
    response = client.post(
        "/admin/reports/quarterlyreport/skapa-utkast/",
        {"promise": promise_haninge.pk, "year": 2026, "quarter": 2},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["promise"]
    assert not QuarterlyReport.objects.filter(quarter=2).exists()
    assert_leaks_nothing(response, promise_haninge)


# --- Changing an id in the URL to another municipality's object ----------------------


@pytest.mark.parametrize("page", sorted(OBJECT_PAGES))
@pytest.mark.parametrize(
    "model",
    [model for model, _admin in REGISTRY if is_scoped(model)],
    ids=label,
)
def test_an_id_of_another_municipality_leaks_nothing(
    client,
    coordinator_haninge,
    haninge_objects,
    nynashamn,
    promise_nynashamn,
    model,
    page,
):
    """Haninge's coordinator, Nynäshamn's objects: 404 and not a word of them."""
    theirs = build_nynashamn_objects(nynashamn, promise_nynashamn)[label(model)]
    login_verified(client, coordinator_haninge)
    response = client.get(url_of(model, page, theirs))
    assert response.status_code == 404
    assert_leaks_nothing(response, theirs)
    assert "Nynäshamn".encode() not in response.content


def build_nynashamn_objects(nynashamn, promise_nynashamn) -> dict:
    inventory = make_activity(
        promise_nynashamn,
        Activity.Kind.INVENTORY,
        local(2026, 4, 14, 18),
        title="Hemlig inventering Sorunda",
    )
    deployment = make_activity(
        promise_nynashamn,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 6),
        title="Hemlig utsättning Sorunda",
    )
    indicator = Indicator.objects.create(
        municipality=nynashamn, name="Sorundaindikator", unit="%", source="x"
    )
    commitment = make_commitment(
        promise_nynashamn, "Hemligt åtagande Sorunda", kind="dialogue", count=2
    )
    dialogue = make_activity(promise_nynashamn, title="Hemlig dialog Sorunda")
    partner = Organisation.objects.create(
        name="Hemlig part Sorunda",
        kind=Organisation.Kind.PARTNER,
        municipality=nynashamn,
    )
    return {
        "promises.municipality": nynashamn,
        "promises.policearea": nynashamn.police_area,
        "promises.organisation": partner,
        "promises.kind": Kind.objects.create(
            municipality=nynashamn, name="Hemlig tillsyn Sorunda", plural="tillsyner"
        ),
        "promises.district": nynashamn.districts.get(name="Sorunda"),
        "promises.promise": promise_nynashamn,
        "promises.commitment": commitment,
        "promises.target": commitment.targets.get(),
        "reports.indicator": indicator,
        "promises.activity": dialogue,
        "promises.dialoguetopic": DialogueTopic.objects.create(
            dialogue=dialogue, text="Hemligt ämne Sorunda"
        ),
        "promises.fridaydeployment": FridayDeployment.objects.get(pk=deployment.pk),
        "promises.finding": Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LIGHTING,
            place="Hemlig plats Sorunda",
        ),
        "reports.indicatorvalue": IndicatorValue.objects.create(
            indicator=indicator, municipality=nynashamn, year=2025, value=7
        ),
        "reports.quarterlyreport": QuarterlyReport.objects.create(
            promise=promise_nynashamn,
            year=2026,
            quarter=1,
            title="Hemlig rapport Sorunda",
            body="Hemlig text",
        ),
        "reports.evaluation": Evaluation.objects.create(
            promise=promise_nynashamn, summary="Hemlig utvärdering Sorunda"
        ),
        "promises.priority": Priority.objects.create(
            municipality=nynashamn,
            district=nynashamn.districts.get(name="Stora Vika"),
            year=2026,
            quarter=4,
            reason="Hemlig prioritering",
        ),
        "incidents.incidentcategory": IncidentCategory.objects.create(
            municipality=nynashamn, name="Hemlig kategori Sorunda"
        ),
        "incidents.reporter": Reporter.objects.create(
            user=get_user_model().objects.create_user(
                username="hemlig_rapportor_sorunda", is_staff=True
            ),
            organisation=partner,
        ),
        "incidents.incidentreport": make_report(
            nynashamn.districts.get(name="Sorunda"),
            partner,
            place="Hemlig händelseplats Sorunda",
        ),
    }


# --- CSRF ----------------------------------------------------------------------------


def csrf_rows() -> list:
    table = []
    for persona in ["coordinator_haninge", "superuser"]:
        for model, model_admin in REGISTRY:
            for page in ["add", "change", "delete"]:
                table.append(pytest.param(persona, model, page, None))
            for name, _allowed in actions_of(model_admin):
                table.append(pytest.param(persona, model, "changelist", name))
        for url in CUSTOM_VIEWS:
            table.append(pytest.param(persona, None, url, None))
    return table


@pytest.mark.parametrize(("persona", "model", "page", "action"), csrf_rows())
def test_a_post_without_csrf_token_is_refused(
    request, haninge_objects, persona, model, page, action
):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, request.getfixturevalue(persona))
    if model is None:
        url, data, before, after = page, {}, None, None
    else:
        obj = haninge_objects[label(model)]
        url = url_of(model, page, obj)
        data = {"post": "yes"}
        if action:
            data |= {"action": action, "_selected_action": [str(obj.pk)], "index": "0"}
        before = fingerprint(model, obj)
    counts = {m: m._base_manager.count() for m, _admin in REGISTRY}
    response = client.post(url, data)
    assert response.status_code == 403
    if model is not None:
        after = fingerprint(model, obj)
    assert after == before
    assert counts == {m: m._base_manager.count() for m, _admin in REGISTRY}


# --- Onboarding into a second municipality widens nothing -------------------------

LAGESBILD_URLS = [url for url in CUSTOM_VIEWS if "/lagesbild/" in url]


@pytest.mark.parametrize(
    ("persona", "listed_as"),
    [
        ("partner_haninge", "coordinators"),
        ("partner_haninge", "liaisons"),
        ("liaison_haninge", "coordinators"),
        ("liaison_haninge", "liaisons"),  # the same role: added, after the question
    ],
)
def test_onboarding_into_a_second_municipality_widens_nothing_in_haninge(
    client, request, haninge_objects, persona, listed_as
):
    """A superuser lists a Haninge persona's address for a new municipality (and
    confirms the question); in Haninge the persona may do no more than before:
    the partner reads no lägesbild and no other partner's report, the liaison
    exports nothing."""
    haninge = haninge_objects["promises.municipality"]
    user = request.getfixturevalue(persona)
    user.email = f"{user.username}@example.se"
    user.save()
    others = make_report(
        haninge.districts.get(name="Handen"), haninge_objects["promises.organisation"]
    )
    login_verified(client, request.getfixturevalue("superuser"))
    client.post(
        reverse("admin:promises_municipality_add"),
        {
            "name": "Botkyrka",
            "districts": "Alby\nFittja",
            "new_police_area": "Lokalpolisområde Botkyrka",
            "coordinators": "",
            "liaisons": "",
            listed_as: f"Kim Persson, {user.email}",
            "add_existing": "on",
        },
    )
    client.logout()
    login_as(client, request, persona)
    for url in LAGESBILD_URLS:
        assert client.get(url).status_code == expected_custom_status(persona, url)
    export = reverse("admin:promises_municipality_export", args=[haninge.pk])
    assert client.get(export).status_code == expected_export_status(persona, "get")
    other_report = reverse("admin:incidents_incidentreport_change", args=[others.pk])
    if persona == "partner_haninge":
        assert client.get(other_report).status_code in (302, 403, 404)
    assert set(user.groups.values_list("name", flat=True)) == {ROLE_OF[persona]}
