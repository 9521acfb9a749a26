"""Database constraints: the database refuses what the forms refuse.

For each constraint in promises/models/: a direct save that breaks it raises
IntegrityError (nothing gets past the database, whatever code path wrote it), and
``full_clean()`` explains the problem in Swedish.
"""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from promises.models import (
    DEFAULT_PUBLICATION_LEVEL,
    Activity,
    District,
    Finding,
    FocusArea,
    FridayDeployment,
    Promise,
    PublicationLevel,
    Target,
)
from promises.tests.factories import local, make_activity, make_commitment

UTC = datetime.UTC

FRIDAY = local(2026, 3, 6)  # a Friday in winter time (CET, UTC+1)
THURSDAY = local(2026, 3, 5)

POLICE_KINDS = [
    Activity.Kind.DEPLOYMENT,
    Activity.Kind.PRESENCE,
    Activity.Kind.YOUTH_VISIT,
    Activity.Kind.YOUTH_COORDINATION,
    Activity.Kind.TRAFFIC,
]
DETAIL_KINDS = [Activity.Kind.INVENTORY, Activity.Kind.DIALOGUE, Activity.Kind.OTHER]

NOT_FRIDAY = "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."


@contextlib.contextmanager
def refused_by_database():
    """Expect IntegrityError, inside a savepoint so that the test can go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


def messages_of(instance) -> list[str]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.messages


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def deployment(promise, starts_at, **fields) -> Activity:
    fields.setdefault("title", "Fredagsutsättning")
    return Activity(
        promise=promise, kind=Activity.Kind.DEPLOYMENT, starts_at=starts_at, **fields
    )


# --- Promise: one per municipality and year -----------------------------------


def test_it_refuses_a_second_promise_for_the_same_municipality_and_year(
    promise_haninge,
):
    with refused_by_database():
        Promise.objects.create(
            municipality=promise_haninge.municipality,
            year=2026,
            title="Ett till löfte",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
    assert (
        Promise.objects.filter(municipality=promise_haninge.municipality).count() == 1
    )


def test_it_explains_the_second_promise_in_swedish(promise_haninge):
    second = Promise(
        municipality=promise_haninge.municipality,
        year=2026,
        title="Ett till löfte",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    assert "Kommunen har redan ett medborgarlöfte för det året." in messages_of(second)


def test_it_allows_the_same_year_in_another_municipality_and_another_year(
    promise_haninge, nynashamn
):
    Promise.objects.create(
        municipality=nynashamn,
        year=2026,
        title="Nynäshamn 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    next_year = Promise(
        municipality=promise_haninge.municipality,
        year=2027,
        title="Haninge 2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    next_year.full_clean()
    next_year.save()
    assert Promise.objects.count() == 3


# --- Promise: the period ends after it starts ----------------------------------


@pytest.mark.parametrize(
    "ends_on", [datetime.date(2026, 3, 1), datetime.date(2026, 6, 1)]
)
def test_it_refuses_a_promise_ending_before_or_when_it_starts(haninge, ends_on):
    with refused_by_database():
        Promise.objects.create(
            municipality=haninge,
            year=2026,
            title="Baklänges",
            starts_on=datetime.date(2026, 6, 1),
            ends_on=ends_on,
        )
    assert not Promise.objects.exists()


def test_it_explains_the_promise_period_in_swedish(haninge):
    promise = Promise(
        municipality=haninge,
        year=2026,
        title="Baklänges",
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 3, 1),
    )
    assert "Slutdatum måste vara efter startdatum." in messages_of(promise)


def test_it_refuses_moving_the_promise_end_before_its_start(promise_haninge):
    with refused_by_database():
        Promise.objects.filter(pk=promise_haninge.pk).update(
            ends_on=datetime.date(2025, 12, 31)
        )
    promise_haninge.refresh_from_db()
    assert promise_haninge.ends_on == datetime.date(2026, 12, 31)


# --- Promise: the year is plausible --------------------------------------------


@pytest.mark.parametrize("year", [1999, 2201])
def test_it_refuses_a_year_out_of_range(haninge, year):
    with refused_by_database():
        Promise.objects.create(
            municipality=haninge,
            year=year,
            title="Fel år",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
    promise = Promise(
        municipality=haninge,
        year=year,
        title="Fel år",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
    )
    assert "Ange ett år mellan 2000 och 2200." in messages_of(promise)


# --- Promise: a published promise has a publication date -----------------------


def test_it_stamps_the_publication_date_when_a_published_promise_is_saved(haninge):
    before = timezone.now()
    promise = Promise.objects.create(
        municipality=haninge,
        year=2026,
        title="Haninge 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=Promise.Status.PUBLISHED,
    )
    promise.refresh_from_db()
    assert promise.published_at is not None
    assert before <= promise.published_at <= timezone.now()


def test_it_keeps_an_existing_publication_date(promise_haninge):
    first = promise_haninge.published_at
    promise_haninge.title = "Ny rubrik"
    promise_haninge.save()
    promise_haninge.refresh_from_db()
    assert promise_haninge.published_at == first


def test_it_leaves_a_draft_without_publication_date(haninge):
    promise = Promise.objects.create(
        municipality=haninge,
        year=2026,
        title="Utkast",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    promise.refresh_from_db()
    assert promise.status == Promise.Status.DRAFT
    assert promise.published_at is None


def test_saving_stamps_the_publication_date_and_validating_does_not(haninge):
    promise = Promise(
        municipality=haninge,
        year=2026,
        title="Haninge 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=Promise.Status.PUBLISHED,
    )
    promise.full_clean()
    assert promise.published_at is None  # a form that fails shows no date
    promise.save()
    assert promise.published_at is not None


def test_it_refuses_a_published_promise_without_date_behind_save(
    haninge, promise_haninge
):
    with refused_by_database():
        Promise.objects.filter(pk=promise_haninge.pk).update(published_at=None)
    with refused_by_database():
        Promise.objects.bulk_create(
            [
                Promise(
                    municipality=haninge,
                    year=2027,
                    title="Haninge 2027",
                    starts_on=datetime.date(2027, 1, 1),
                    ends_on=datetime.date(2027, 12, 31),
                    status=Promise.Status.PUBLISHED,
                )
            ]
        )
    promise_haninge.refresh_from_db()
    assert promise_haninge.published_at is not None
    assert Promise.objects.count() == 1


# --- Activity: the end is not before the start ---------------------------------


def test_it_refuses_an_activity_ending_before_it_starts(promise_haninge):
    with refused_by_database():
        make_activity(
            promise_haninge,
            starts_at=local(2026, 3, 6, 18),
            ends_at=local(2026, 3, 6, 17, 59),
        )
    assert not Activity.objects.exists()


def test_it_allows_an_activity_ending_when_it_starts_or_later(promise_haninge):
    make_activity(promise_haninge, starts_at=FRIDAY, ends_at=FRIDAY)
    make_activity(promise_haninge, starts_at=FRIDAY, ends_at=local(2026, 3, 6, 16))
    assert Activity.objects.count() == 2


def test_it_explains_the_activity_end_in_swedish(promise_haninge):
    activity = Activity(
        promise=promise_haninge,
        kind=Activity.Kind.DIALOGUE,
        title="Trygghetsdialog",
        starts_at=local(2026, 3, 6, 18),
        ends_at=local(2026, 3, 6, 17),
    )
    assert errors_of(activity)["ends_at"] == ["Sluttiden måste vara efter starttiden."]


# --- Activity: a deployment is on a Friday (local time) or has a reason ----------


def test_it_refuses_a_deployment_on_a_thursday_without_reason(promise_haninge):
    with refused_by_database():
        deployment(promise_haninge, THURSDAY).save()
    with refused_by_database():
        FridayDeployment.objects.create(
            promise=promise_haninge, starts_at=THURSDAY, title="Utsättning"
        )
    assert not Activity.objects.exists()


def test_it_explains_the_missing_reason_in_swedish(promise_haninge):
    assert errors_of(deployment(promise_haninge, THURSDAY))["not_friday_reason"] == [
        NOT_FRIDAY
    ]


def test_it_refuses_a_blank_reason_in_full_clean(promise_haninge):
    activity = deployment(promise_haninge, THURSDAY, not_friday_reason="   ")
    assert errors_of(activity)["not_friday_reason"] == [NOT_FRIDAY]


def test_it_accepts_a_deployment_on_another_day_with_a_reason(promise_haninge):
    activity = deployment(
        promise_haninge, THURSDAY, not_friday_reason="Fredagen var långfredag."
    )
    activity.full_clean()
    activity.save()
    assert Activity.objects.get().not_friday_reason == "Fredagen var långfredag."


def test_it_accepts_a_deployment_on_a_friday_without_reason(promise_haninge):
    activity = deployment(promise_haninge, FRIDAY)
    activity.full_clean()
    activity.save()
    assert Activity.objects.count() == 1


def test_the_friday_rule_is_only_for_deployments(promise_haninge):
    make_activity(promise_haninge, Activity.Kind.PRESENCE, starts_at=THURSDAY)
    make_activity(promise_haninge, Activity.Kind.DIALOGUE, starts_at=THURSDAY)
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    "starts_at",
    [
        # Friday 23:30 in Stockholm (winter) is 22:30 UTC on the Friday.
        datetime.datetime(2026, 3, 6, 22, 30, tzinfo=UTC),
        # Friday 00:30 in Stockholm (winter) is still Thursday 23:30 UTC.
        datetime.datetime(2026, 3, 5, 23, 30, tzinfo=UTC),
        # Friday 23:30 in Stockholm (summer time, CEST) is 21:30 UTC.
        datetime.datetime(2026, 6, 5, 21, 30, tzinfo=UTC),
    ],
    ids=["winter-friday-2330", "winter-friday-0030", "summer-friday-2330"],
)
def test_it_counts_the_friday_in_stockholm_time(promise_haninge, starts_at):
    assert timezone.localtime(starts_at).isoweekday() == 5
    activity = deployment(promise_haninge, starts_at)
    activity.full_clean()
    activity.save()
    activity.refresh_from_db()
    assert activity.starts_at == starts_at
    assert activity.not_friday_reason == ""


@pytest.mark.parametrize(
    "starts_at",
    [
        # Saturday 00:30 in Stockholm (winter) is still Friday 23:30 UTC.
        datetime.datetime(2026, 3, 6, 23, 30, tzinfo=UTC),
        # Saturday 00:30 in Stockholm (summer) is still Friday 22:30 UTC.
        datetime.datetime(2026, 6, 5, 22, 30, tzinfo=UTC),
        # Thursday 23:30 in Stockholm (winter) is 22:30 UTC on the Thursday.
        datetime.datetime(2026, 3, 5, 22, 30, tzinfo=UTC),
    ],
    ids=["winter-saturday-0030", "summer-saturday-0030", "winter-thursday-2330"],
)
def test_it_refuses_a_day_that_is_not_friday_in_stockholm_time(
    promise_haninge, starts_at
):
    assert timezone.localtime(starts_at).isoweekday() != 5
    assert NOT_FRIDAY in errors_of(deployment(promise_haninge, starts_at)).get(
        "not_friday_reason", []
    )
    with refused_by_database():
        deployment(promise_haninge, starts_at).save()
    assert not Activity.objects.exists()


def test_it_refuses_moving_a_deployment_off_friday_behind_save(promise_haninge):
    friday = make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, FRIDAY)
    thursday = make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        THURSDAY,
        not_friday_reason="Flyttad på grund av helgdag.",
    )
    with refused_by_database():
        Activity.objects.filter(pk=friday.pk).update(starts_at=THURSDAY)
    with refused_by_database():
        Activity.objects.filter(pk=thursday.pk).update(not_friday_reason="")
    with refused_by_database():
        Activity.objects.filter(pk=friday.pk).update(
            starts_at=datetime.datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
        )
    friday.refresh_from_db()
    thursday.refresh_from_db()
    assert friday.starts_at == FRIDAY
    assert thursday.not_friday_reason == "Flyttad på grund av helgdag."


# --- Activity: police work is never public in detail -----------------------------


@pytest.mark.parametrize("kind", POLICE_KINDS)
def test_it_refuses_police_work_in_detail(promise_haninge, kind):
    with refused_by_database():
        make_activity(
            promise_haninge, kind, FRIDAY, publication_level=PublicationLevel.DETAIL
        )
    assert not Activity.objects.exists()


@pytest.mark.parametrize("kind", POLICE_KINDS)
def test_it_refuses_loosening_police_work_to_detail_behind_save(promise_haninge, kind):
    activity = make_activity(promise_haninge, kind, FRIDAY)
    with refused_by_database():
        Activity.objects.filter(pk=activity.pk).update(
            publication_level=PublicationLevel.DETAIL
        )
    activity.refresh_from_db()
    assert activity.publication_level == PublicationLevel.AGGREGATE


@pytest.mark.parametrize("kind", POLICE_KINDS)
def test_it_explains_police_work_in_detail_in_swedish(promise_haninge, kind):
    activity = Activity(
        promise=promise_haninge,
        kind=kind,
        title="Insats",
        starts_at=FRIDAY,
        publication_level=PublicationLevel.DETAIL,
    )
    label = Activity.Kind(kind).label
    assert errors_of(activity)["publication_level"] == [
        f"{label} får som mest visas som ”Endast i sammanställning”."
    ]


@pytest.mark.parametrize("kind", POLICE_KINDS)
def test_it_lets_police_work_be_tightened_to_internal(promise_haninge, kind):
    activity = Activity(
        promise=promise_haninge,
        kind=kind,
        title="Insats",
        starts_at=FRIDAY,
        publication_level=PublicationLevel.INTERNAL,
    )
    activity.full_clean()
    activity.save()
    activity.refresh_from_db()
    assert activity.publication_level == PublicationLevel.INTERNAL


@pytest.mark.parametrize("kind", DETAIL_KINDS)
def test_it_allows_detail_for_municipal_kinds(promise_haninge, kind):
    activity = make_activity(
        promise_haninge, kind, FRIDAY, publication_level=PublicationLevel.DETAIL
    )
    activity.full_clean()
    activity.refresh_from_db()
    assert activity.publication_level == PublicationLevel.DETAIL


def test_it_refuses_an_unknown_or_blank_publication_level_in_the_database(
    promise_haninge,
):
    activity = make_activity(promise_haninge, Activity.Kind.DIALOGUE, FRIDAY)
    for level in ["public", ""]:
        with refused_by_database():
            Activity.objects.filter(pk=activity.pk).update(publication_level=level)
    activity.refresh_from_db()
    assert activity.publication_level == PublicationLevel.DETAIL


# --- Activity: the publication level defaults per kind ----------------------------


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        (Activity.Kind.INVENTORY, PublicationLevel.DETAIL),
        (Activity.Kind.PRESENCE, PublicationLevel.AGGREGATE),
        (Activity.Kind.YOUTH_VISIT, PublicationLevel.AGGREGATE),
        (Activity.Kind.DEPLOYMENT, PublicationLevel.AGGREGATE),
        (Activity.Kind.YOUTH_COORDINATION, PublicationLevel.AGGREGATE),
        (Activity.Kind.TRAFFIC, PublicationLevel.AGGREGATE),
        (Activity.Kind.DIALOGUE, PublicationLevel.DETAIL),
        (Activity.Kind.OTHER, PublicationLevel.DETAIL),
    ],
)
def test_it_defaults_the_publication_level_per_kind(promise_haninge, kind, level):
    assert DEFAULT_PUBLICATION_LEVEL[kind] == level
    saved = make_activity(promise_haninge, kind, FRIDAY)
    saved.refresh_from_db()
    assert saved.publication_level == level

    cleaned = Activity(promise=promise_haninge, kind=kind, title="x", starts_at=FRIDAY)
    assert cleaned.publication_level == ""
    cleaned.full_clean()
    assert cleaned.publication_level == level


def test_every_kind_has_a_default_publication_level():
    assert set(DEFAULT_PUBLICATION_LEVEL) == set(Activity.Kind)


def test_a_chosen_level_is_kept(promise_haninge):
    activity = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        FRIDAY,
        publication_level=PublicationLevel.INTERNAL,
    )
    activity.refresh_from_db()
    assert activity.publication_level == PublicationLevel.INTERNAL


# --- Activity: counts are never negative ------------------------------------------


@pytest.mark.parametrize("field", ["participants", "residents_met"])
def test_it_refuses_a_negative_count(promise_haninge, field):
    with refused_by_database():
        make_activity(promise_haninge, **{field: -1})
    assert not Activity.objects.exists()
    activity = Activity(
        promise=promise_haninge,
        kind=Activity.Kind.DIALOGUE,
        title="Trygghetsdialog",
        starts_at=FRIDAY,
        **{field: -1},
    )
    assert errors_of(activity)[field] == [
        "Kontrollera att detta värde är större än eller lika med 0."
    ]


def test_it_accepts_zero_counts(promise_haninge):
    activity = make_activity(promise_haninge, participants=0, residents_met=0)
    activity.full_clean()
    activity.refresh_from_db()
    assert (activity.participants, activity.residents_met) == (0, 0)


# --- Target rules -----------------------------------------------------------------


@pytest.fixture
def commitment(promise_haninge):
    return make_commitment(promise_haninge, "Fredagsutsättningar")


def target(commitment, **fields) -> Target:
    fields.setdefault("kind", Activity.Kind.DEPLOYMENT)
    return Target(commitment=commitment, **fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": 0}, "Antalet måste vara minst 1."),
        (
            {"count": None, "weekday": Target.Weekday.FRIDAY},
            "Veckodag och antal kommundelar kräver att ett antal anges.",
        ),
        (
            {"count": None, "min_districts": 4},
            "Veckodag och antal kommundelar kräver att ett antal anges.",
        ),
        ({"count": 4, "min_districts": 0}, "Antal kommundelar måste vara minst 1."),
    ],
    ids=["count-zero", "weekday-without-count", "districts-without-count", "no-dist"],
)
def test_it_refuses_broken_target_rules(commitment, fields, message):
    with refused_by_database():
        target(commitment, **fields).save()
    assert not Target.objects.exists()
    assert message in messages_of(target(commitment, **fields))


@pytest.mark.parametrize("weekday", [0, 8])
def test_it_refuses_a_weekday_outside_iso(commitment, weekday):
    with refused_by_database():
        target(commitment, count=1, period="week", weekday=weekday).save()
    assert "weekday" in errors_of(
        target(commitment, count=1, period="week", weekday=weekday)
    )


def test_it_refuses_a_negative_target_count(commitment):
    with refused_by_database():
        target(commitment, count=-1).save()
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"count": None},
        {"count": 1},
        {"count": 1, "period": "week", "weekday": Target.Weekday.FRIDAY},
        {"count": 4, "min_districts": 4, "kind": Activity.Kind.DIALOGUE},
        {"count": 2, "period": "half_year", "joint": True},
    ],
)
def test_it_accepts_valid_target_rules(commitment, fields):
    valid = target(commitment, **fields)
    valid.full_clean()
    valid.save()
    assert Target.objects.count() == 1


# --- Finding: "fixed" has a date, and only then ------------------------------------


@pytest.fixture
def inventory(promise_haninge):
    return make_activity(
        promise_haninge, Activity.Kind.INVENTORY, local(2026, 3, 10, 18)
    )


def finding(inventory, **fields) -> Finding:
    fields.setdefault("category", Finding.Category.LIGHTING)
    fields.setdefault("place", "Gångtunneln vid Handens station")
    return Finding(inventory=inventory, **fields)


def test_it_refuses_a_fixed_finding_without_date(inventory):
    with refused_by_database():
        finding(inventory, status=Finding.Status.FIXED).save()
    assert not Finding.objects.exists()
    assert errors_of(finding(inventory, status=Finding.Status.FIXED))["fixed_on"] == [
        "Ange när iakttagelsen åtgärdades."
    ]


@pytest.mark.parametrize(
    "outcome",
    [
        {"status": Finding.Status.OPEN},
        {"status": Finding.Status.PLANNED, "planned_on": datetime.date(2026, 5, 1)},
    ],
)
def test_it_refuses_a_date_on_a_finding_that_is_not_fixed(inventory, outcome):
    fixed_on = datetime.date(2026, 4, 1)
    with refused_by_database():
        finding(inventory, **outcome, fixed_on=fixed_on).save()
    assert not Finding.objects.exists()
    assert errors_of(finding(inventory, **outcome, fixed_on=fixed_on))["fixed_on"] == [
        "Fyll bara i det här när utfallet är ”Åtgärdat”."
    ]


def test_it_refuses_reopening_a_finding_behind_save(inventory):
    fixed = finding(
        inventory, status=Finding.Status.FIXED, fixed_on=datetime.date(2026, 4, 1)
    )
    fixed.full_clean()
    fixed.save()
    with refused_by_database():
        Finding.objects.filter(pk=fixed.pk).update(status=Finding.Status.OPEN)
    with refused_by_database():
        Finding.objects.filter(pk=fixed.pk).update(fixed_on=None)
    fixed.refresh_from_db()
    assert (fixed.status, fixed.fixed_on) == ("fixed", datetime.date(2026, 4, 1))


def test_it_accepts_an_open_finding_without_date(inventory):
    open_finding = finding(inventory)
    open_finding.full_clean()
    open_finding.save()
    assert Finding.objects.get().fixed_on is None


# --- Unique names ------------------------------------------------------------------


def test_it_refuses_two_districts_with_the_same_name_in_a_municipality(
    haninge, nynashamn
):
    with refused_by_database():
        District.objects.create(municipality=haninge, name="Handen", slug="handen-2")
    duplicate = District(municipality=haninge, name="Handen", slug="handen-2")
    assert "Kommunen har redan en kommundel med det namnet." in messages_of(duplicate)
    District.objects.create(municipality=nynashamn, name="Handen", slug="handen")
    assert District.objects.filter(name="Handen").count() == 2


def test_it_refuses_two_districts_with_the_same_slug_in_a_municipality(haninge):
    with refused_by_database():
        District.objects.create(municipality=haninge, name="Handen C", slug="handen")
    duplicate = District(municipality=haninge, name="Handen C", slug="handen")
    assert messages_of(duplicate) == [
        "Kommundel med samma Kommun och Kortnamn finns redan."
    ]
    assert District.objects.filter(municipality=haninge).count() == 4


def test_it_refuses_two_focus_areas_with_the_same_title_in_a_promise(
    promise_haninge, promise_nynashamn
):
    FocusArea.objects.create(promise=promise_haninge, title="Trygghet")
    with refused_by_database():
        FocusArea.objects.create(promise=promise_haninge, title="Trygghet")
    duplicate = FocusArea(promise=promise_haninge, title="Trygghet")
    assert "Löftet har redan ett fokusområde med den rubriken." in messages_of(
        duplicate
    )
    FocusArea.objects.create(promise=promise_nynashamn, title="Trygghet")
    assert FocusArea.objects.count() == 2
