"""Demo incident reports for Haninge: twelve months up to today, varied by
district, with a hotspot in Jordbro in the last six weeks (klotter and young
people gathering at the same place) for the weekly lägesbild to show.

Built relative to today, so that it holds on any date. Made up, as the rest of
the demo; loaded by `load_haninge --demo`.
"""

import datetime
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from promises.models import Activity, Municipality, Organisation, Priority
from promises.periods import previous_quarter, quarter_of
from promises.roles import PARTNER_REPORTER

from . import counts, incident_picture
from .models import IncidentCategory, IncidentReport, Reporter
from .seed import add_shared_categories

PARTNER_USERNAME = "samverkanspart"
HOUSING_COMPANY = "Haninge Bostäder"
HOTSPOT = "Jordbro"
HOTSPOT_PLACE = "Gången vid Jordbro centrum"
HOTSPOT_WEEKS = 6
# Reports a week in each district, on average: the centres more than the isles.
WEEKLY_RATE = {
    "Handen": 6,
    "Jordbro": 4,
    "Brandbergen": 3,
    "Vendelsö": 2,
    "Västerhaninge": 2,
    "Tungelsta": 1,
    "Vega": 2,
    "Ösmo-Torö": 1,
    "Dalarö": 0.5,
    "Skärgården": 0.3,
}
PLACES = {
    "Handen": ["Handenterminalen", "Port vid Poseidons torg", "Parkeringshuset"],
    "Jordbro": [HOTSPOT_PLACE, "Lekplatsen vid skolan"],
    "Brandbergen": ["Brandbergens centrum", "Källargången hus 12"],
}


def load_demo_partner(haninge: Municipality, password: str) -> str | None:
    """The demo user `samverkanspart`, reporting for Haninge Bostäder. Returns
    the name if it was left without a password."""
    organisation = Organisation.objects.get(municipality=haninge, name=HOUSING_COMPANY)
    user, created = get_user_model().objects.get_or_create(
        username=PARTNER_USERNAME, defaults={"is_staff": True}
    )
    left_without = None
    if password:
        user.set_password(password)
        user.save()
    elif created:
        user.set_unusable_password()
        user.save()
        left_without = PARTNER_USERNAME
    user.groups.add(Group.objects.get(name=PARTNER_REPORTER))
    haninge.staff.add(user)
    Reporter.objects.update_or_create(
        user=user, defaults={"organisation": organisation}
    )
    return left_without


def load_demo_reports(haninge: Municipality, today: datetime.date) -> int:
    """A year of reports up to today (once: again, it changes nothing)."""
    reports = IncidentReport.objects.filter(
        is_demo=True, district__municipality=haninge
    )
    if reports.exists():
        return reports.count()
    add_shared_categories(apps)
    rng = random.Random(f"{haninge.pk}-{today.isoformat()}")
    categories = {c.name: c for c in IncidentCategory.objects.filter(municipality=None)}
    names = list(categories)
    organisation = Organisation.objects.get(municipality=haninge, name=HOUSING_COMPANY)
    districts = {d.name: d for d in haninge.districts.all()}
    created = []
    for day_number in range(365):
        day = today - datetime.timedelta(days=day_number)
        for name, district in districts.items():
            rate = WEEKLY_RATE.get(name, 1) / 7
            hotspot = name == HOTSPOT and day_number < HOTSPOT_WEEKS * 7
            for _report in range(_poisson(rng, rate * (4 if hotspot else 1))):
                category = (
                    rng.choice(["Klotter", "Ungdomar samlas", "Klotter", "Vandalism"])
                    if hotspot
                    else rng.choice(names)
                )
                places = PLACES.get(name, [""])
                created.append(
                    IncidentReport(
                        category=categories[category],
                        district=district,
                        place_type=rng.choice(IncidentReport.PlaceType.values),
                        place=HOTSPOT_PLACE if hotspot else rng.choice([*places, ""]),
                        date=day,
                        part_of_day=rng.choice(IncidentReport.PartOfDay.values),
                        occurrences=rng.choice([1, 1, 1, 2, 3]),
                        organisation=organisation,
                        is_demo=True,
                    )
                )
    IncidentReport.objects.bulk_create(created, batch_size=500)
    return len(created)


def _poisson(rng: random.Random, mean: float) -> int:
    """How many events happen on a day with this mean (Knuth's method)."""
    limit, product, count = 2.718281828459045**-mean, rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def load_demo_priorities(haninge: Municipality, today: datetime.date) -> list[Priority]:
    """This quarter's priorities: Jordbro, the hotspot, answered by this quarter's
    latest Friday deployment in Jordbro (if there is one yet), and Handen, which
    no activity answers yet (the start page says so)."""
    year, quarter = quarter_of(today)
    priorities = []
    for name, reason in [
        (
            HOTSPOT,
            "Klotter och ungdomar som samlas vid Jordbro centrum har ökat i "
            "lägesbilden de senaste veckorna; otryggheten är hög i trygghetsmätningen.",
        ),
        ("Handen", "Flest händelser i lägesbilden, främst kring Handenterminalen."),
    ]:
        district = haninge.districts.get(name=name)
        priority = Priority.objects.filter(
            district=district, year=year, quarter=quarter
        ).first() or Priority(
            municipality=haninge, district=district, year=year, quarter=quarter
        )
        if priority.pk is None:
            evidence = incident_picture.quarter_evidence(
                haninge, priority.first_day, today
            )
            priority.reason = reason
            priority.evidence = evidence.of(district).summary(
                evidence.first, evidence.last
            )
            priority.full_clean()
            priority.save()
        priorities.append(priority)
    deployment = (
        Activity.objects.filter(
            promise__municipality=haninge,
            kind=Activity.Kind.DEPLOYMENT,
            districts__name=HOTSPOT,
            starts_at__date__gte=priorities[0].first_day,
            starts_at__date__lte=today,
            priority__isnull=True,
        )
        .order_by("-starts_at")
        .first()
    )
    if deployment is not None and not priorities[0].activities.exists():
        Activity.objects.filter(pk=deployment.pk).update(priority=priorities[0])
    return priorities


# The categories whose counts the demo's coordinator has published.
PUBLISHED_CATEGORIES = ["Klotter", "Vandalism", "Nedskräpning"]


def load_demo_counts(haninge: Municipality, today: datetime.date) -> None:
    """The last finished quarter's counts of a few categories, published as
    indicators (incidents/counts.py): the district pages show them, small ones
    as "färre än 5". Publishing again gives the same values."""
    year, quarter = previous_quarter(*quarter_of(today))
    categories = IncidentCategory.objects.filter(
        municipality=None, name__in=PUBLISHED_CATEGORIES
    )
    counts.publish_counts(haninge, year, [quarter], categories, today=today)
