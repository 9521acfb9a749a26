import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

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

# The demo is made for whatever day it is: these hold on any day of the year.
pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

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


def test_it_is_idempotent():
    load("--demo")
    first = counts()
    load("--demo")
    assert counts() == first
    load()
    assert counts() == first


def test_demo_holds_the_last_twelve_months_nynashamn_and_users(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    output = load("--demo")
    assert "demo-password-for-tests" not in output
    today = timezone.localdate()
    haninge = Municipality.objects.get(name="Haninge")
    assert sorted(haninge.promises.values_list("year", flat=True)) == [
        today.year - 1,
        today.year,
    ]
    activities = Activity.objects.filter(promise__municipality=haninge)
    assert activities.filter(is_demo=True).count() == activities.count()
    # Nothing in the future is marked done; safety dialogues to come are announced.
    assert not activities.filter(
        status=Activity.Status.DONE, starts_at__gt=timezone.now()
    ).exists()
    # The last twelve months: every kind the promise asks for, a Friday
    # deployment nearly every week, findings from the inventories.
    year_ago = timezone.now() - datetime.timedelta(days=365)
    recent = activities.filter(status=Activity.Status.DONE, starts_at__gte=year_ago)
    assert set(recent.values_list("kind", flat=True)) == set(Activity.Kind.values) - {
        Activity.Kind.OTHER
    }
    assert recent.filter(kind=Activity.Kind.DEPLOYMENT).count() >= 52 - 3 - 1
    assert Finding.objects.filter(inventory__in=recent).exists()
    # Last year's promise is followed up: a report a quarter (the last one a week
    # after the year ended), and the evaluation published.
    last_year = haninge.promises.get(year=today.year - 1)
    assert last_year.is_demo
    assert last_year.reports.count() == 4
    assert last_year.reports.published().count() >= 3
    assert last_year.evaluation.is_published
    assert Promise.objects.get(municipality__name="Nynäshamn").is_demo
    User = get_user_model()
    coordinator = User.objects.get(username="samordnare")
    liaison = User.objects.get(username="kontaktperson")
    assert coordinator.check_password("demo-password-for-tests")
    assert coordinator.groups.get().name == "Kommunsamordnare"
    assert liaison.groups.get().name == "Polisens kontaktperson"
    assert list(liaison.municipalities.all()) == [haninge]


def test_demo_users_cannot_log_in_without_a_demo_password(monkeypatch, client):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    load("--demo")
    user = get_user_model().objects.get(username="samordnare")
    assert not user.has_usable_password()


@pytest.mark.parametrize("day", [(1, 2), (6, 15), (12, 31)])
def test_the_demo_tells_the_chain_for_four_commitments(client, day, time_machine):
    """Problems with their districts and sources, goals with baselines, on the
    commitment pages: whatever the day of the year."""
    from reports.models import Goal

    year = timezone.localdate().year
    time_machine.move_to(datetime.datetime(year, *day, 12), tick=False)
    load("--demo")
    load("--demo")  # idempotent
    for promise in Promise.objects.filter(municipality__name="Haninge"):
        with_problem = Commitment.objects.filter(promise=promise).exclude(problem="")
        assert with_problem.count() >= 4
        goals = Goal.objects.filter(commitment__promise=promise)
        assert goals.values("commitment").distinct().count() >= 4
        assert all(goal.baseline_year < promise.year for goal in goals)
        assert Commitment.objects.filter(
            promise=promise, problem_districts__isnull=False
        ).exists()
        assert Commitment.objects.filter(
            promise=promise, responsible_organisations__isnull=False
        ).exists()
        for commitment in with_problem:
            page = client.get(
                f"/haninge/{promise.year}/atagande/{commitment.pk}/"
            ).content.decode()
            assert ">Problemet</h2>" in page and ">Resultat</h2>" in page
            assert commitment.problem in page


def test_every_text_of_the_demo_passes_the_personal_data_check():
    """The seed and the demo (promises, reports, incidents) are refused nothing,
    the name pattern included."""
    from django.apps import apps

    from promises.validators import reject_personal_data

    load("--demo")
    checked = 0
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if reject_personal_data in field.validators
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                reject_personal_data(value)
                checked += bool(value)
    assert checked > 100


def test_every_row_the_loader_validates_passes_full_clean():
    """The loader checks its rows' fields and clean() only (promises.demo.validate):
    every one passes the whole full_clean(), unique fields and constraints too."""
    from promises.models import DialogueTopic, Priority

    load("--demo")
    checked = 0
    for model in [
        *MODELS[:-1],  # the users are Django's
        DialogueTopic,
        Priority,
    ]:
        for row in model.objects.all():
            row.full_clean()
            checked += 1
    # Early in January this year's promise holds a week (276 rows on 8 January
    # 2027 with last year's whole year); any day has more than 200.
    assert checked > 200


@pytest.mark.parametrize("day", [(1, 2), (6, 24), (12, 31)])
def test_the_demo_closes_the_loop_for_four_commitments(client, day, time_machine):
    """Last year's dialogue topics answered by four commitments and by findings,
    and findings in every outcome; this year's as far as the year has come. The
    district pages show them, whatever the day."""
    from promises.models import DialogueTopic

    year = timezone.localdate().year
    time_machine.move_to(datetime.datetime(year, *day, 12), tick=False)
    load("--demo")
    load("--demo")  # idempotent
    last_year = Promise.objects.get(municipality__name="Haninge", year=year - 1)
    topics = DialogueTopic.objects.filter(dialogue__promise=last_year)
    assert topics.values("commitment").exclude(commitment=None).distinct().count() >= 4
    assert topics.filter(finding__isnull=False).count() >= 3
    findings = Finding.objects.filter(inventory__promise=last_year)
    assert set(findings.values_list("status", flat=True)) == set(Finding.Status)
    assert findings.filter(reopened_on__isnull=False).exists()
    for finding in findings:
        finding.full_clean()  # every outcome as valid as the admin would save it
    this_year = Finding.objects.filter(inventory__promise__year=year)
    assert not this_year.filter(fixed_on__gt=timezone.localdate()).exists()
    assert not this_year.filter(reopened_on__gt=timezone.localdate()).exists()

    topic = topics.filter(finding__status=Finding.Status.FIXED).first()
    district = topic.districts.get()
    page = client.get(
        f"/haninge/{last_year.year}/kommundel/{district.slug}/"
    ).content.decode()
    assert topic.text in page
    assert f"Åtgärdat {date_format(topic.finding.fixed_on, 'j F Y')}" in page
    assert "Mediantid från inventering till åtgärd" in page
