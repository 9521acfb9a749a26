"""The partner reporter persona and incident reports (a pytest plugin, conftest.py).

partner_haninge: the role Samverkanspart, reporting for Haninge Bostäder.
"""

import datetime

import pytest
from django.apps import apps as django_apps

from incidents.models import IncidentCategory, IncidentReport, Reporter
from incidents.seed import add_shared_categories
from promises.models import District, Organisation
from promises.roles import PARTNER_REPORTER
from promises.tests.factories import make_user


def make_housing_company(haninge) -> Organisation:
    return Organisation.objects.create(
        name="Haninge Bostäder", kind=Organisation.Kind.PARTNER, municipality=haninge
    )


def make_partner(haninge, housing_company):
    user = make_user("samverkanspart_haninge", PARTNER_REPORTER, [haninge])
    Reporter.objects.create(user=user, organisation=housing_company)
    return user


@pytest.fixture
def housing_company(haninge) -> Organisation:
    return make_housing_company(haninge)


@pytest.fixture
def partner_haninge(haninge, housing_company):
    return make_partner(haninge, housing_company)


def category(name: str = "Klotter") -> IncidentCategory:
    add_shared_categories(django_apps)  # again, should a flush have emptied them
    return IncidentCategory.objects.get(municipality=None, name=name)


def make_report(
    district: District,
    organisation: Organisation,
    day: datetime.date = datetime.date(2026, 11, 30),
    *,
    category_name: str = "Klotter",
    **fields,
) -> IncidentReport:
    fields.setdefault("place_type", IncidentReport.PlaceType.STAIRWELL)
    fields.setdefault("part_of_day", IncidentReport.PartOfDay.EVENING)
    return IncidentReport.objects.create(
        district=district,
        organisation=organisation,
        category=category(category_name),
        date=day,
        **fields,
    )
