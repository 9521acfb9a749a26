"""Personas and factories for the tests (loaded as a pytest plugin by conftest.py).

Personas: coordinator_haninge, liaison_haninge, coordinator_nynashamn,
staff_without_group and superuser. Data: Haninge and Nynäshamn with a few
districts each, the police and both municipalities as organisations, and a
published 2026 promise per municipality with one commitment per kind of target.
The fixtures call make_…() functions that a module's fixture can call too, to build
the same once for the module (built_once); Haninge's demo once a module: haninge_demo.
"""

import datetime
import io
import zoneinfo
from contextlib import contextmanager, nullcontext

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.text import slugify

from conftest import SUITE_NOW
from promises.models import (
    Activity,
    Commitment,
    District,
    FocusArea,
    Municipality,
    Organisation,
    PoliceArea,
    Promise,
    Target,
    kind_label,
)
from promises.roles import COORDINATOR, POLICE_LIAISON, sync_role_groups

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PASSWORD = "correct-horse-battery-staple"


@contextmanager
def committed_then_restored(django_db_blocker):
    """Database access with every write committed, for a live server's thread, and
    the database put back as it was afterwards: emptied, then the rows from before
    (role groups, permissions, content types) restored, as Django's
    serialized_rollback does, so that the next test finds what the migrations made.
    (A `transaction=True` test instead leaves the database empty behind it.)

    The role groups are made again first, should a transactional (live_server)
    test before have flushed them."""
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        try:
            sync_role_groups(django_apps)
            yield
        finally:
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            connection.creation.deserialize_db_from_string(before)


@contextmanager
def built_once(django_db_blocker, day: str | None = SUITE_NOW, tick: bool = True):
    """Database access for a module's fixture, on `day` (None: the machine's
    clock; a module's fixture runs before each test's clock is set), in a
    transaction rolled back after the module: what the fixture builds, each test
    of the module sees, in a savepoint of its own (pytest-django's django_db)
    that is rolled back after it (`tick`: whether the clock moves on from `day`
    while it builds). For data that takes long to build and that every test of a
    module reads:

        @pytest.fixture(scope="module")
        def built(django_db_setup, django_db_blocker):
            with built_once(django_db_blocker):
                yield make_much()

    Every later test of the module sees the data, those that do not ask for it
    too: for modules whose tests all read it (test_hostile_input.py shows a way
    around). Not for live_server tests, whose server thread must see committed
    rows (committed_then_restored)."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(day, tick=tick) if day else nullcontext(),
    ):
        yield
        transaction.set_rollback(True)


def load_demo() -> None:
    """Haninge's demo data (`load_haninge --demo`) for the day it is."""
    call_command("load_haninge", "--demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def haninge_demo(django_db_setup, django_db_blocker):
    """Haninge's demo data of the suite's day, loaded once for the tests of a
    module (built_once). A module that needs another day, or more data built
    with it, makes its own fixture with built_once() and load_demo()."""
    with built_once(django_db_blocker):
        load_demo()
        yield


def local(year, month, day, hour=14, minute=0) -> datetime.datetime:
    """An aware datetime in Stockholm time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def make_municipality(name: str, districts: list[str]) -> Municipality:
    municipality = Municipality.objects.create(name=name, slug=slugify(name))
    for district in districts:
        District.objects.create(
            municipality=municipality,
            name=district,
            slug=slugify(district, allow_unicode=True),
        )
    return municipality


def make_promise(municipality: Municipality, year: int = 2026, **fields) -> Promise:
    fields.setdefault("title", f"Medborgarlöfte {municipality} {year}")
    fields.setdefault("starts_on", datetime.date(year, 1, 1))
    fields.setdefault("ends_on", datetime.date(year, 12, 31))
    fields.setdefault("status", Promise.Status.PUBLISHED)
    return Promise.objects.create(municipality=municipality, year=year, **fields)


def make_commitment(promise: Promise, title: str = "Trygghetsdialoger", **target):
    area, _ = FocusArea.objects.get_or_create(promise=promise, title="Trygghet")
    commitment = Commitment.objects.create(focus_area=area, title=title)
    if target:
        Target.objects.create(commitment=commitment, **target)
    return commitment


def make_dialogue_and_friday_commitments(promise: Promise) -> None:
    """Haninge's two best-known targets: 4 dialogues in 4 districts, every Friday."""
    make_commitment(
        promise,
        "Minst fyra trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
        min_districts=4,
    )
    make_commitment(
        promise,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )


def make_activity(
    promise: Promise,
    kind: str = Activity.Kind.DIALOGUE,
    starts_at: datetime.datetime | None = None,
    *,
    districts=(),
    organisations=(),
    commitments=None,
    **fields,
) -> Activity:
    """An activity, linked to `commitments`; by default to the promise's
    commitments with a target of its kind (those that counted it before
    activities named their commitments, as the migration linked them)."""
    fields.setdefault("title", str(kind_label(kind)))
    activity = Activity.objects.create(
        promise=promise,
        kind=kind,
        starts_at=starts_at or local(2026, 3, 6),
        **fields,
    )
    activity.districts.set(districts)
    activity.organisations.set(organisations)
    if commitments is None:
        commitments = Commitment.objects.filter(promise=promise).counting(kind)
    activity.commitments.set(commitments)
    return activity


def activity_form(promise: Promise, /, **fields) -> dict:
    """The activity add form, filled in as the coordinator would for a dialogue."""
    data = {
        "promise": promise.pk,
        "kind": Activity.Kind.DIALOGUE,
        "status": Activity.Status.DONE,
        "starts_at_0": "2026-03-06",  # a Friday
        "starts_at_1": "18:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place_type": "",
        "title": "Trygghetsdialog i Handen",
        "summary": "",
        "publication_level": "",
        "participants": "",
        "residents_met": "",
        "district_reason": "",
        "residents_raised": "",
        "not_friday_reason": "",
        "internal_notes": "",
    }
    data.update(fields)
    return data


def login_verified(client, user) -> None:
    """Log the test client in as the user, past the second factor too.

    The admin needs a session verified by a TOTP device (REQUIRE_2FA, on in the
    tests as in production). This gives a staff user a confirmed TOTP device (or
    reuses theirs) and puts its persistent_id in the session under django-otp's
    DEVICE_ID_SESSION_KEY: exactly what a real verification on
    /admin/tvastegsverifiering/ leaves behind. Logins through the login form and
    the verification page are tested in accounts/tests/test_two_factor.py.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if not user.is_staff:
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def inline(prefix: str, *forms: dict, max_num: int = 1000) -> dict:
    """An admin inline formset's management form and its (new) forms."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(max_num),
    }
    for number, form in enumerate(forms):
        data.update({f"{prefix}-{number}-{name}": v for name, v in form.items()})
    return data


def deployment_form(
    promise: Promise, /, day: str = "2026-03-13", *, lagesbild="Lugnt läge.", **fields
) -> dict:
    """The police liaison's quick form ("Ny fredagsutsättning"), filled in for a
    deployment held on a Friday at 14, with its lägesbild."""
    data = {
        "promise": promise.pk,
        "starts_at_0": day,
        "starts_at_1": "14:00",
        "status": Activity.Status.DONE,
        "participants": "",
        "not_friday_reason": "",
        "title": "Fredagsutsättning",
        "internal_notes": "",
        **inline(
            "operational_picture",
            {"text": lagesbild, "id": "", "activity": ""},
            max_num=1,
        ),
    }
    data.update(fields)
    return data


def promise_form(of: Promise | Municipality, /, **fields) -> dict:
    """The admin's promise form: an existing promise's values, or a new 2026
    promise of a municipality; no focus areas or commitments added."""
    if isinstance(of, Promise):
        data = {
            "municipality": of.municipality_id,
            "year": str(of.year),
            "title": of.title,
            "starts_on": f"{of.starts_on:%Y-%m-%d}",
            "ends_on": f"{of.ends_on:%Y-%m-%d}",
            "introduction": of.introduction,
            "status": of.status,
        }
    else:
        data = {
            "municipality": of.pk,
            "year": "2026",
            "title": f"Medborgarlöfte {of} 2026",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "introduction": "",
            "status": Promise.Status.DRAFT,
        }
    data.update(inline("focus_areas"))
    data.update(inline("commitments"))
    data.update(fields)
    return data


def make_user(username: str, role: str | None, municipalities=(), **fields):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    for municipality in municipalities:
        municipality.staff.add(user)
    return user


def make_haninge() -> Municipality:
    return make_municipality("Haninge", ["Handen", "Jordbro", "Brandbergen", "Vega"])


def make_nynashamn() -> Municipality:
    nynashamn = make_municipality("Nynäshamn", ["Sorunda", "Stora Vika"])
    serve(nynashamn)
    return nynashamn


@pytest.fixture
def haninge(db) -> Municipality:
    return make_haninge()


@pytest.fixture
def nynashamn(db) -> Municipality:
    return make_nynashamn()


POLICE_AREA = "Lokalpolisområde Haninge/Nynäshamn"


def serve(municipality: Municipality, police_area: str = POLICE_AREA) -> PoliceArea:
    """The municipality's police area (created if need be, with its organisation)."""
    area, _ = PoliceArea.objects.get_or_create(name=police_area)
    municipality.police_area = area
    municipality.save(update_fields=["police_area"])
    return area


@pytest.fixture
def police(haninge) -> Organisation:
    """The police of Haninge's police area, which Nynäshamn shares."""
    return serve(haninge).organisation


@pytest.fixture
def haninge_kommun(haninge) -> Organisation:
    return Organisation.objects.create(
        name="Haninge kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=haninge,
    )


@pytest.fixture
def promise_haninge(haninge) -> Promise:
    return make_promise(haninge)


@pytest.fixture
def promise_nynashamn(nynashamn) -> Promise:
    return make_promise(nynashamn)


# The persona fixtures below: (user name, role) of a municipality's staff.
PERSONAS = {
    "coordinator_haninge": ("samordnare_haninge", COORDINATOR),
    "liaison_haninge": ("kontaktperson_haninge", POLICE_LIAISON),
    "coordinator_nynashamn": ("samordnare_nynashamn", COORDINATOR),
    "staff_without_group": ("personal_utan_roll", None),
}


def make_persona(name: str, municipality: Municipality | None = None):
    """The user of the persona fixture `name`: a superuser, or of PERSONAS."""
    if name == "superuser":
        return make_user("superuser", None, is_superuser=True)
    username, role = PERSONAS[name]
    return make_user(username, role, [municipality])


@pytest.fixture
def coordinator_haninge(haninge):
    return make_persona("coordinator_haninge", haninge)


@pytest.fixture
def liaison_haninge(haninge):
    return make_persona("liaison_haninge", haninge)


@pytest.fixture
def coordinator_nynashamn(nynashamn):
    return make_persona("coordinator_nynashamn", nynashamn)


@pytest.fixture
def staff_without_group(haninge):
    return make_persona("staff_without_group", haninge)


@pytest.fixture
def superuser(db):
    return make_persona("superuser")
