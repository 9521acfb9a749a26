"""Forms that know what they can (issue 22, §5): a quick form per kind of
activity with its defaults, and a safety inventory whose findings are in its
district, with a description the public page shows."""

import re
from html.parser import HTMLParser

import pytest

from promises.models import Activity, Finding, Organisation, Target
from promises.tests.factories import local, login_verified, make_commitment
from staff.tests.test_swedish_admin import visible_text

pytestmark = pytest.mark.django_db

ADD = "/admin/promises/activity/add/"


class FormDefaults(HTMLParser):
    """What a browser sends for the admin's form as it is shown: the values of
    its inputs, the checked boxes, the chosen options and the text areas; and
    the fields a person sees (not hidden, not in a folded fieldset)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.visible: list[str] = []
        self._select = self._textarea = None
        self._folded = []  # the depth of each <fieldset>: folded or not
        self._textarea_text = ""

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self._folded.append("collapse" in (attrs.get("class") or ""))
        name = attrs.get("name")
        seen = not any(self._folded) and attrs.get("type") != "hidden"
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
            elif kind not in {"submit", "button"}:
                self.add(name, attrs.get("value") or "")
            if seen and kind not in {"submit", "button"} and "-__prefix__-" not in name:
                self.visible.append(name)
        elif tag == "select" and name:
            self._select = name
            if seen and "-__prefix__-" not in name:
                self.visible.append(name)
        elif tag == "option" and self._select and "selected" in attrs:
            self.add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""
            if seen and "-__prefix__-" not in name:
                self.visible.append(name)

    def handle_data(self, data):
        if self._textarea:
            self._textarea_text += data

    def handle_endtag(self, tag):
        if tag == "fieldset" and self._folded:
            self._folded.pop()
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.add(self._textarea, self._textarea_text.lstrip("\n"))
            self._textarea = None


def form_of(response) -> FormDefaults:
    html = response.content.decode()
    form = re.search(r'<form [^>]*id="activity_form".*?</form>', html, re.S)
    assert form, html[:300]
    parser = FormDefaults()
    parser.feed(form[0])
    return parser


def fields_seen(form: FormDefaults) -> set[str]:
    """The fields a person sees, by name (a date and time are one field)."""
    names = {re.sub(r"_[01]$", "", name) for name in form.visible}
    return {name for name in names if not name.endswith(("TOTAL_FORMS", "FORMS"))}


@pytest.fixture
def joint_inventories(promise_haninge):
    make_commitment(
        promise_haninge,
        "Gemensamma trygghetsinventeringar",
        kind="inventory",
        count=2,
        period=Target.Period.HALF_YEAR,
        joint=True,
    )


@pytest.fixture
def organisations(haninge, police):
    municipality = Organisation.objects.create(
        name="Haninge kommun", kind=Organisation.Kind.MUNICIPALITY, municipality=haninge
    )
    return {"police": police, "municipality": municipality}


# A youth-environment visit: the liaison's few taps


def test_a_youth_visit_is_a_short_form_with_its_defaults(
    client, liaison_haninge, promise_haninge, organisations
):
    visits = make_commitment(
        promise_haninge, "Besök i ungdomsmiljöer", kind="youth_visit", count=4
    )
    login_verified(client, liaison_haninge)
    page = client.get(f"{ADD}?kind=youth_visit")
    texts = visible_text(page)
    assert "Fredagsutsättning" not in texts  # no Friday fieldset
    form = form_of(page)
    assert fields_seen(form) == {
        "promise",
        "status",
        "starts_at",
        "districts",
        "organisations",
        "commitments",
        "title",
        "summary",
    }
    assert "place_type" not in form.data  # no question of the type of place
    assert form.data["promise"] == [str(promise_haninge.pk)]
    assert form.data["kind"] == ["youth_visit"]
    assert form.data["status"] == [Activity.Status.DONE]
    assert form.data["title"] == ["Besök i ungdomsmiljö"]
    assert form.data["organisations"] == [str(organisations["police"].pk)]
    # The one commitment whose target counts visits: chosen, so that it counts.
    assert form.data["commitments"] == [str(visits.pk)]
    # One tap: the district. Saved as it is.
    handen = promise_haninge.municipality.districts.get(name="Handen")
    data = {**form.data, "districts": [str(handen.pk)], "_save": ["Spara"]}
    response = client.post(f"{ADD}?kind=youth_visit", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = Activity.objects.get()
    assert visit.kind == Activity.Kind.YOUTH_VISIT
    assert visit.title == "Besök i ungdomsmiljö"
    assert list(visit.districts.all()) == [handen]
    assert list(visit.organisations.all()) == [organisations["police"]]
    assert list(visit.commitments.all()) == [visits]


def test_presence_asks_for_the_type_of_place(
    client, liaison_haninge, promise_haninge, organisations
):
    login_verified(client, liaison_haninge)
    form = form_of(client.get(f"{ADD}?kind=presence"))
    assert "place_type" in fields_seen(form)
    assert "priority" in fields_seen(form)


def test_the_start_page_links_to_the_quick_forms(client, liaison_haninge):
    login_verified(client, liaison_haninge)
    html = client.get("/admin/").content.decode()
    assert f'href="{ADD}?kind=youth_visit">Nytt besök i ungdomsmiljö</a>' in html


# A safety inventory and its findings


def test_an_inventorys_promise_and_organisations_are_preset(
    client, coordinator_haninge, promise_haninge, organisations, joint_inventories
):
    login_verified(client, coordinator_haninge)
    form = form_of(client.get(f"{ADD}?kind=inventory"))
    assert form.data["promise"] == [str(promise_haninge.pk)]
    # The target counts joint inventories: the police and the municipality.
    assert sorted(form.data["organisations"]) == sorted(
        str(org.pk) for org in organisations.values()
    )
    assert "district_reason" in fields_seen(form)
    # Each finding: no district of its own to choose, a description to write.
    finding = {name for name in form.visible if name.startswith("findings-0-")}
    assert "findings-0-description" in finding
    assert "findings-0-district" not in finding


def test_a_finding_is_in_the_inventorys_district_and_described_publicly(
    client, coordinator_haninge, promise_haninge, organisations, joint_inventories
):
    login_verified(client, coordinator_haninge)
    page = client.get(f"{ADD}?kind=inventory")
    form = form_of(page)
    jordbro = promise_haninge.municipality.districts.get(name="Jordbro")
    data = {
        **form.data,
        "starts_at_0": ["2026-11-20"],
        "districts": [str(jordbro.pk)],
        "district_reason": ["Otryggast i trygghetsmätningen."],
        "findings-0-category": [Finding.Category.LIGHTING],
        "findings-0-place": ["Gångtunneln vid stationen"],
        "findings-0-description": ["Två lampor är trasiga."],
        "_save": ["Spara"],
    }
    response = client.post(f"{ADD}?kind=inventory", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [finding] = Finding.objects.all()
    assert finding.district == jordbro
    assert finding.description == "Två lampor är trasiga."
    public = client.get(f"/haninge/2026/kommundel/{jordbro.slug}/")
    assert "Belysning – Två lampor är trasiga." in " ".join(visible_text(public))


def test_an_inventory_of_several_districts_asks_each_findings_district(
    client, coordinator_haninge, promise_haninge
):
    districts = list(promise_haninge.municipality.districts.all()[:2])
    inventory = Activity.objects.create(
        promise=promise_haninge,
        kind=Activity.Kind.INVENTORY,
        status=Activity.Status.DONE,
        starts_at=local(2026, 11, 20, 18),
        title="Inventering",
    )
    inventory.districts.set(districts)
    login_verified(client, coordinator_haninge)
    html = client.get(f"/admin/promises/activity/{inventory.pk}/change/").content
    assert b'name="findings-0-district"' in html


def test_a_kind_the_user_may_not_log_gets_the_ordinary_form(
    client, liaison_haninge, promise_haninge
):
    """The police liaison logs police work: ?kind=inventory is no quick form of
    theirs, and the kind's list offers only theirs."""
    login_verified(client, liaison_haninge)
    form = form_of(client.get(f"{ADD}?kind=inventory"))
    assert "kind" in fields_seen(form)
