import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from promises.models import (
    Activity,
    Commitment,
    District,
    Finding,
    FocusArea,
    Municipality,
    OperationalPicture,
    Organisation,
    Promise,
    Target,
)

MODELS = [
    Municipality,
    District,
    Organisation,
    Promise,
    FocusArea,
    Commitment,
    Target,
    Activity,
    OperationalPicture,
    Finding,
    get_user_model(),
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load(*args):
    out = io.StringIO()
    call_command("load_haninge", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_haninges_promise_from_the_seed():
    load()
    haninge = Municipality.objects.get(name="Haninge")
    assert list(haninge.districts.values_list("name", flat=True)) == sorted(
        [
            "Handen",
            "Brandbergen",
            "Jordbro",
            "Vendelsö",
            "Västerhaninge",
            "Tungelsta",
            "Vega",
            "Ösmo-Torö",
            "Dalarö",
            "Skärgården",
        ]
    )
    promise = Promise.objects.get(municipality=haninge, year=timezone.localdate().year)
    assert promise.status == Promise.Status.PUBLISHED
    assert [area.title for area in promise.focus_areas.all()] == [
        "Trygghet i offentlig miljö",
        "Samverkan kring förebyggande arbete med fokus på barn och unga",
        "Trafik",
        "Trygghetsdialoger",
        "Uppföljning",
        "Utvärdering",
    ]
    targets = Target.objects.filter(commitment__focus_area__promise=promise)
    assert targets.count() == 9
    inventory = targets.get(kind=Activity.Kind.INVENTORY)
    assert (inventory.count, inventory.period, inventory.joint) == (
        2,
        "half_year",
        True,
    )
    deployment = targets.get(kind=Activity.Kind.DEPLOYMENT)
    assert (deployment.count, deployment.period, deployment.weekday) == (1, "week", 5)
    dialogue = targets.get(kind=Activity.Kind.DIALOGUE)
    assert (dialogue.count, dialogue.min_districts) == (4, 4)
    assert targets.get(kind=Activity.Kind.PRESENCE).count is None
    assert targets.get(kind=Target.REPORT).count == 4
    # Without --demo: no activities, no demo municipality, no users.
    assert not Activity.objects.exists()
    assert not Municipality.objects.filter(name="Nynäshamn").exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_it_is_idempotent():
    load("--demo")
    first = counts()
    load("--demo")
    assert counts() == first
    load()
    assert counts() == first


@pytest.mark.django_db
def test_demo_adds_a_year_of_marked_activities_nynashamn_and_users(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    output = load("--demo")
    assert "demo-password-for-tests" not in output
    haninge = Promise.objects.get(
        municipality__name="Haninge", year=timezone.localdate().year
    )
    activities = haninge.activities.all()
    assert activities.filter(is_demo=True).count() == activities.count() > 50
    today = timezone.localdate()
    # Nothing in the future is marked done.
    assert not activities.filter(
        status=Activity.Status.DONE, starts_at__gt=timezone.now()
    ).exists()
    assert activities.filter(kind=Activity.Kind.DEPLOYMENT).count() >= (
        today.timetuple().tm_yday // 7 - 4
    )
    assert Finding.objects.filter(inventory__promise=haninge).exists()
    assert Promise.objects.get(municipality__name="Nynäshamn").is_demo
    User = get_user_model()
    coordinator = User.objects.get(username="samordnare")
    liaison = User.objects.get(username="kontaktperson")
    assert coordinator.check_password("demo-password-for-tests")
    assert coordinator.groups.get().name == "Kommunsamordnare"
    assert liaison.groups.get().name == "Polisens kontaktperson"
    assert list(liaison.municipalities.all()) == [haninge.municipality]


@pytest.mark.django_db
def test_demo_users_cannot_log_in_without_a_demo_password(monkeypatch, client):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    load("--demo")
    user = get_user_model().objects.get(username="samordnare")
    assert not user.has_usable_password()
