"""The demo's municipalities, police area, organisations and users, and the helpers
every demo loader uses (idempotent upserts of validated rows)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.text import slugify

from ..models import (
    Activity,
    District,
    Municipality,
    Organisation,
    PoliceArea,
)
from ..roles import COORDINATOR, POLICE_LIAISON

Kind = Activity.Kind
Place = Activity.PlaceType

HANINGE_DISTRICTS = [
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
NYNASHAMN_DISTRICTS = ["Nynäshamn", "Sorunda", "Stora Vika", "Segersäng"]

# The police area is the police in the activities: its organisation has its name.
POLICE = "Lokalpolisområde Haninge/Nynäshamn"
HANINGE = "Haninge kommun"
NYNASHAMN = "Nynäshamns kommun"
# Haninge's own organisations: the municipality and its partners.
ORGANISATIONS = [
    (HANINGE, Organisation.Kind.MUNICIPALITY),
    ("Region Stockholm, Trafikförvaltningen (SL)", Organisation.Kind.PARTNER),
    ("Fastighetsägare i Haninge centrum", Organisation.Kind.PARTNER),
    ("Bevakningsföretag i Handen", Organisation.Kind.PARTNER),
    ("Haninge Bostäder", Organisation.Kind.PARTNER),
]


DEMO_NOTE = "Demodata, skapad av load_haninge --demo."


def validate(obj) -> None:
    """The row's fields and its clean(), as a form would check them. Not its
    unique fields and constraints, which the database refuses anyway: checking
    each with a query first took a third of `load_haninge --demo`.
    (test_load_haninge.py checks every row of the demo with full_clean().)"""
    obj.full_clean(validate_unique=False, validate_constraints=False)


def upsert(model, lookup: dict, values: dict | None = None):
    """Get or create by lookup; save values only when they differ. Validated."""
    values = values or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, field) == value for field, value in values.items()):
        return obj
    else:
        for field, value in values.items():
            setattr(obj, field, value)
    validate(obj)
    obj.save()
    return obj


# The accessibility statement's contact (made up, as the rest of the demo).
CONTACTS = {
    "Haninge": {
        "accessibility_email": "kontaktcenter@haninge.example",
        "accessibility_phone": "08-606 70 00",
    },
    "Nynäshamn": {"accessibility_email": "kommun@nynashamn.example"},
}


def load_municipality(name: str, districts: list[str]) -> Municipality:
    municipality = upsert(
        Municipality, {"name": name}, {"slug": slugify(name), **CONTACTS.get(name, {})}
    )
    for district in districts:
        upsert(
            District,
            {"municipality": municipality, "name": district},
            {"slug": slugify(district, allow_unicode=True)},
        )
    return municipality


def load_police_area(*municipalities: Municipality) -> PoliceArea:
    """Haninge's and Nynäshamn's police area, with its organisation."""
    police_area, _ = PoliceArea.objects.get_or_create(name=POLICE)
    for municipality in municipalities:
        if municipality.police_area_id != police_area.pk:
            municipality.police_area = police_area
            municipality.save(update_fields=["police_area"])
    return police_area


def load_organisations(haninge: Municipality) -> None:
    for name, kind in ORGANISATIONS:
        upsert(Organisation, {"name": name, "municipality": haninge}, {"kind": kind})


def organisations_of(municipality: Municipality):
    """The organisations a municipality's activities may name."""
    return Organisation.objects.filter(
        Q(municipality=municipality)
        | Q(police_area=municipality.police_area_id, police_area__isnull=False)
        | Organisation.shared
    )


DEMO_USERS = [
    ("samordnare", COORDINATOR),
    ("kontaktperson", POLICE_LIAISON),
]


def load_demo_users(municipality: Municipality, password: str) -> list[str]:
    """The demo users of the roles, staff of the municipality. Without a password
    they cannot log in; returns the names of those left without one."""
    User = get_user_model()
    without_password = []
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if password:
            user.set_password(password)
            user.save()
        elif created:
            user.set_unusable_password()
            user.save()
            without_password.append(username)
        user.groups.add(Group.objects.get(name=role))
        municipality.staff.add(user)
    return without_password


# The problem behind four commitments (issue 13): what, where, since when, where it
# showed, why, the kind of measure and who is responsible. Made up.
