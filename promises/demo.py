"""Haninge's medborgarlöfte loaded, and made-up demo activities for any date.

The promise is promises/haninge.py (docs/seed/haninge-medborgarloften.txt). The demo
data (`load_haninge --demo`) is realistic but invented and marked `is_demo`: for a
promise, every kind of activity the targets ask for, from its first day up to today
(the whole year for a promise that has ended), and the safety dialogues planned
after today, announced. Every function is idempotent: run again, on the same day, it
changes nothing; run on a later day, it adds what happened since.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from .haninge import FOCUS_AREAS, INTRODUCTION, POLICE_ALONE
from .models import (
    Activity,
    Commitment,
    DialogueTopic,
    District,
    Finding,
    FocusArea,
    Municipality,
    OperationalPicture,
    Organisation,
    PoliceArea,
    Promise,
    Target,
)
from .roles import COORDINATOR, POLICE_LIAISON

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


def load_haninge_promise(haninge: Municipality, year: int, **values) -> Promise:
    """Haninge's promise for a year, published, with the seed's focus areas,
    commitments and targets. An existing promise keeps its own texts and targets."""
    promise = Promise.objects.filter(municipality=haninge, year=year).first()
    if promise is None:
        promise = upsert(
            Promise,
            {"municipality": haninge, "year": year},
            {
                "title": f"Medborgarlöfte Haninge {year}",
                "starts_on": datetime.date(year, 1, 1),
                "ends_on": datetime.date(year, 12, 31),
                "introduction": INTRODUCTION,
                "status": Promise.Status.PUBLISHED,
                **values,
            },
        )
    parties = haninge.own_parties()
    for area_order, (area_title, commitments) in enumerate(FOCUS_AREAS, 1):
        area = upsert(
            FocusArea, {"promise": promise, "title": area_title}, {"order": area_order}
        )
        for order, (title, description, targets) in enumerate(commitments, 1):
            commitment = upsert(
                Commitment,
                {"focus_area": area, "title": title},
                {"description": description, "order": order},
            )
            if not commitment.responsible_organisations.exists():
                commitment.responsible_organisations.set(
                    [parties["police"]]
                    if title in POLICE_ALONE and "police" in parties
                    else parties.values()
                )
            if not commitment.targets.exists():
                for target in targets:
                    upsert(Target, {"commitment": commitment, **target})
    return promise


# Demo activities ------------------------------------------------------------------


def demo_activity(
    promise: Promise,
    kind: str,
    day: datetime.date,
    *,
    hour: int = 14,
    districts=(),
    organisations=(POLICE, HANINGE),
    **values,
) -> Activity:
    """One demo activity: done if it has begun, planned otherwise."""
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    values.setdefault("title", Kind(kind).label)
    values["status"] = (
        Activity.Status.DONE if starts_at <= timezone.now() else Activity.Status.PLANNED
    )
    activity = Activity.objects.filter(
        promise=promise, kind=kind, starts_at=starts_at
    ).first()
    if activity is None:
        activity = Activity(
            promise=promise,
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            is_demo=True,
            internal_notes=DEMO_NOTE,
            **values,
        )
        validate(activity)
        # One history row, "created" with its districts and organisations, rather
        # than one for the save and one for each of the two links set after it.
        activity.skip_history_when_saving = True
        try:
            activity.save()
            activity.districts.set(
                District.objects.filter(
                    municipality=promise.municipality, name__in=districts
                )
            )
            activity.organisations.set(
                organisations_of(promise.municipality).filter(name__in=organisations)
            )
            # The commitment whose target counts its kind (one in Haninge's
            # promise; every such one where several share a kind).
            activity.commitments.set(
                Commitment.objects.filter(promise=promise).counting(kind)
            )
        finally:
            del activity.skip_history_when_saving
        record_created(activity)
    else:
        changed = {f: v for f, v in values.items() if getattr(activity, f) != v}
        if changed:  # it has happened since the last run
            for field, value in changed.items():
                setattr(activity, field, value)
            activity.save(update_fields=list(changed))
    return activity


def record_created(activity: Activity) -> None:
    """The activity's history row "created" (django-simple-history), with the
    districts, organisations and commitments it has, as the admin's history
    shows them."""
    (row,) = Activity.history.bulk_history_create([activity])
    for name in ("districts", "organisations", "commitments"):
        links = getattr(Activity, name).through
        history_links = getattr(type(row), name).model
        fields = [field.attname for field in links._meta.fields]
        history_links.objects.bulk_create(
            history_links(history=row, **dict(zip(fields, values, strict=True)))
            for values in links.objects.filter(activity=activity).values_list(*fields)
        )


def midsummer_eve(year: int) -> datetime.date:
    """Midsommarafton: the Friday from 19 to 25 June."""
    june_19 = datetime.date(year, 6, 19)
    return june_19 + datetime.timedelta(days=(4 - june_19.weekday()) % 7)


# Inventories: (month, day, district, why the district was chosen).
INVENTORIES = [
    (
        3,
        18,
        "Jordbro",
        "Trygghetsmätningen visade hög otrygghet kvällstid i Jordbro centrum.",
    ),
    (
        5,
        13,
        "Handen",
        "Lägesbild från samverkansmötet om gångstråken kring Handens station.",
    ),
    (
        9,
        16,
        "Brandbergen",
        "Trygghetsmätningen och synpunkter från trygghetsdialogen i våras.",
    ),
    (
        11,
        11,
        "Västerhaninge",
        "Synpunkter från trygghetsdialogen om vägen till skolorna.",
    ),
]
FINDINGS = [
    (Finding.Category.LIGHTING, "Gångtunneln under Nynäsvägen", "Trasig belysning."),
    (Finding.Category.VEGETATION, "Gångstigen mot skolan", "Buskage skymmer sikten."),
    (
        Finding.Category.GRAFFITI,
        "Busshållplatsen vid centrum",
        "Klotter och krossat glas.",
    ),
    (Finding.Category.TRAFFIC, "Övergångsstället vid torget", "Otydlig markering."),
]
# Dialogues: (month, day, district, venue, what residents raised).
DIALOGUES = [
    (
        3,
        25,
        "Handen",
        "Haninge kulturhus, Poststigen 7",
        "Otrygghet vid pendeltågsstationen kvällstid och mopedåkning på gångvägar.",
    ),
    (
        5,
        20,
        "Jordbro",
        "Jordbro bibliotek, Jordbro centrum",
        "Belysning i gångtunnlar och ungdomar som samlas vid centrum.",
    ),
    (
        9,
        23,
        "Västerhaninge",
        "Västerhaninge bibliotek, Eric Sahlströms väg",
        "Trafiksäkerhet vid skolorna och inbrott i förråd.",
    ),
    (
        12,
        9,
        "Vendelsö",
        "Vendelsö gårds skola, aulan",
        "Mörka busshållplatser och fortkörning på Vendelsövägen.",
    ),
]
MISSED_DEPLOYMENT_WEEKS = {29, 30, 44}  # summer holidays, and one more

# The outcome of each inventory's four FINDINGS, in the order of INVENTORIES: every
# outcome occurs in a year. A fix not yet due is planned for its day; the Jordbro
# bushes were cut, grew back and are open again.
Outcome = Finding.Status
OUTCOMES = [
    [Outcome.FIXED, Outcome.FIXED, Outcome.NOT_FIXED, Outcome.REFERRED],
    [Outcome.FIXED, Outcome.PLANNED, Outcome.FIXED, Outcome.OPEN],
    [Outcome.FIXED, Outcome.OPEN, Outcome.REFERRED, Outcome.PLANNED],
    [Outcome.PLANNED, Outcome.FIXED, Outcome.OPEN, Outcome.REFERRED],
]
REOPENED = (0, 1)  # (inventory, finding)
REFERRED_TO = {
    Finding.Category.TRAFFIC: "Trafikverket",
    Finding.Category.GRAFFITI: "Region Stockholm, Trafikförvaltningen (SL)",
}
NOT_FIXED_REASON = (
    "Busshållplatsen rivs när den nya bytespunkten vid centrum öppnar, och lagas "
    "inte innan dess. Klottret tvättas bort som vanligt."
)
# What residents raised at each dialogue (by district), and what answers it: the
# commitment's title and/or the place of a finding of the year's inventories.
TOPICS = {
    "Handen": [
        (
            "Mörkt och otryggt i gångtunneln under Nynäsvägen",
            "Gångtunneln under Nynäsvägen",
            "Gemensamma trygghetsinventeringar",
            "Gångtunneln under Nynäsvägen, Handen",
        ),
        (
            "Otrygghet vid pendeltågsstationen kvällstid",
            "Handens station",
            "Synlig polisnärvaro i kollektivtrafik och centrum",
            None,
        ),
        ("Mopedåkning på gångvägarna", "", None, None),
    ],
    "Jordbro": [
        (
            "Buskage skymmer sikten på stigen mot skolan",
            "Gångstigen mot skolan",
            "Gemensamma trygghetsinventeringar",
            "Gångstigen mot skolan, Jordbro",
        ),
        (
            "Ungdomar som samlas vid centrum på kvällarna",
            "Jordbro centrum",
            "Förebygga att unga hamnar i kriminalitet",
            None,
        ),
        (
            "Otydligt övergångsställe vid torget",
            "Torget",
            None,
            "Övergångsstället vid torget, Jordbro",
        ),
    ],
    "Västerhaninge": [
        (
            "Trafiksäkerheten på vägen till skolorna",
            "Övergångsstället vid torget",
            None,
            "Övergångsstället vid torget, Västerhaninge",
        ),
        (
            "Vi får sällan veta vad som hände efter förra dialogen",
            "",
            "Minst fyra trygghetsdialoger i olika delar av kommunen",
            None,
        ),
        ("Inbrott i förråd", "", None, None),
    ],
    "Vendelsö": [
        ("Mörka busshållplatser längs Vendelsövägen", "Vendelsövägen", None, None),
        (
            "Fortkörning på Vendelsövägen",
            "Vendelsövägen",
            "Synlig polisnärvaro i kollektivtrafik och centrum",
            None,
        ),
    ],
}


def demo_outcome(
    number: int, index: int, day: datetime.date, today: datetime.date
) -> dict:
    """The outcome fields of finding `index` of inventory `number`, held on `day`,
    as they stand on `today`."""
    category = FINDINGS[index][0]
    fixed_on = day + datetime.timedelta(days=30 + 10 * index)
    outcome = OUTCOMES[number][index]
    values = {
        "status": outcome,
        "fixed_on": None,
        "planned_on": None,
        "referred_to": "",
        "not_fixed_reason": "",
        "reopened_on": None,
        "times_reopened": 0,
    }
    if outcome == Outcome.FIXED and fixed_on > today:
        outcome = values["status"] = Outcome.PLANNED
    if outcome == Outcome.FIXED:
        came_back = fixed_on + datetime.timedelta(days=45)
        if (number, index) == REOPENED and came_back <= today:
            values.update(status=Outcome.OPEN, reopened_on=came_back, times_reopened=1)
        else:
            values["fixed_on"] = fixed_on
    elif outcome == Outcome.PLANNED:
        values["planned_on"] = max(fixed_on, day + datetime.timedelta(days=90))
    elif outcome == Outcome.REFERRED:
        values["referred_to"] = REFERRED_TO.get(category, "Haninge Bostäder")
    elif outcome == Outcome.NOT_FIXED:
        values["not_fixed_reason"] = NOT_FIXED_REASON
    return values


def load_demo_topics(promise: Promise) -> None:
    """What residents raised at the promise's held dialogues (TOPICS), linked to
    the commitments and the year's findings that answer them."""
    dialogues = Activity.objects.filter(
        promise=promise, kind=Kind.DIALOGUE, status=Activity.Status.DONE, is_demo=True
    ).prefetch_related("districts")
    commitments = {c.title: c for c in Commitment.objects.filter(promise=promise)}
    findings = {f.place: f for f in Finding.objects.filter(inventory__promise=promise)}
    for dialogue in dialogues:
        districts = list(dialogue.districts.all())
        for district in districts:
            for text, place, commitment, finding in TOPICS.get(district.name, []):
                topic = upsert(
                    DialogueTopic,
                    {"dialogue": dialogue, "text": text},
                    {
                        "place": place,
                        "commitment": commitments.get(commitment),
                        "finding": findings.get(finding),
                    },
                )
                topic.districts.set([district])


def load_demo_activities(promise: Promise, today: datetime.date) -> None:
    """A year of made-up activities of one of Haninge's promises, up to today."""
    year = promise.year
    last_day = min(today, promise.ends_on)

    def days(month_days):
        dates = (datetime.date(year, month, dom) for month, dom in month_days)
        return [day for day in dates if promise.starts_on <= day <= last_day]

    # Friday deployments: every Friday but a few; on Midsummer Eve, the Thursday.
    friday = promise.starts_on + datetime.timedelta(
        days=(4 - promise.starts_on.weekday()) % 7
    )
    deployment_districts = ["Handen", "Jordbro", "Brandbergen", "Västerhaninge"]
    while friday <= last_day:
        week = friday.isocalendar().week
        if week not in MISSED_DEPLOYMENT_WEEKS:
            day, reason = friday, ""
            if friday == midsummer_eve(year):
                day, reason = friday - datetime.timedelta(days=1), "Midsommarafton"
            deployment = demo_activity(
                promise,
                Kind.DEPLOYMENT,
                day,
                districts=[deployment_districts[week % 4]],
                title="Fredagsutsättning",
                not_friday_reason=reason,
                participants=6 + week % 5,
            )
            if deployment.status == Activity.Status.DONE:
                OperationalPicture.objects.get_or_create(
                    activity=deployment,
                    defaults={
                        "text": f"{DEMO_NOTE} Operativ lägesbild vecka {week}: "
                        "fokus på centrumanläggningen och pendeltågsstationen."
                    },
                )
        friday += datetime.timedelta(days=7)

    # Safety inventories: two joint ones a half-year; findings tracked until fixed.
    municipality_org = Organisation.objects.get(
        name=HANINGE, municipality__name="Haninge"
    )
    for number, (month, dom, district_name, reason) in enumerate(INVENTORIES):
        (day,) = days([(month, dom)]) or [None]
        if day is None:
            continue
        inventory = demo_activity(
            promise,
            Kind.INVENTORY,
            day,
            hour=18,
            districts=[district_name],
            title=f"Trygghetsinventering i {district_name}",
            summary="Polis, kommun och boende gick tillsammans genom området och "
            "noterade brister i belysning, sikt och skötsel.",
            district_reason=reason,
            participants=8,
            residents_met=14,
        )
        if inventory.status != Activity.Status.DONE:
            continue
        district = District.objects.get(
            municipality=promise.municipality, name=district_name
        )
        for index, (category, place, description) in enumerate(FINDINGS):
            upsert(
                Finding,
                {"inventory": inventory, "place": f"{place}, {district_name}"},
                {
                    "category": category,
                    "district": district,
                    "description": description,
                    "responsible": municipality_org,
                    **demo_outcome(number, index, day, today),
                },
            )

    # Safety dialogues in four districts; those still to come are announced.
    for month, dom, district_name, venue, raised in DIALOGUES:
        day = datetime.date(year, month, dom)
        if not promise.contains(day):
            continue
        held = day < today
        demo_activity(
            promise,
            Kind.DIALOGUE,
            day,
            hour=18,
            districts=[district_name],
            title=f"Trygghetsdialog i {district_name}",
            summary=f"Öppet möte med polisen och kommunen om tryggheten i "
            f"{district_name}. Alla är välkomna.",
            venue=venue,
            residents_raised=raised if held else "",
            residents_met=25 + len(district_name) if held else None,
        )

    load_demo_topics(promise)

    # Youth environments: monthly, but none in July, two in some months.
    for day in days([(m, 12) for m in range(1, 13) if m != 7] + [(3, 26), (10, 22)]):
        demo_activity(
            promise,
            Kind.YOUTH_VISIT,
            day,
            hour=19,
            districts=[HANINGE_DISTRICTS[day.month % 5]],
            place_type=Place.YOUTH_ENVIRONMENT,
            title="Besök på fritidsgården",
            participants=4,
            residents_met=30,
        )

    # Visible presence with partners, youth coordination and traffic efforts.
    places = [Place.PUBLIC_TRANSPORT, Place.HUB, Place.CENTRE]
    for index, day in enumerate(days([(m, d) for m in range(1, 13) for d in (8, 22)])):
        demo_activity(
            promise,
            Kind.PRESENCE,
            day,
            hour=16,
            districts=["Handen" if index % 2 else "Jordbro"],
            place_type=places[index % 3],
            organisations=[
                POLICE,
                "Region Stockholm, Trafikförvaltningen (SL)",
                "Bevakningsföretag i Handen",
            ],
            title="Synlig närvaro i kollektivtrafiken",
            participants=5,
        )
    for day in days([(m, 5) for m in range(1, 13)]):
        demo_activity(
            promise,
            Kind.YOUTH_COORDINATION,
            day,
            hour=9,
            title="Samverkansmöte om unga i riskzon",
        )
    for day in days([(4, 15), (6, 10), (8, 19), (8, 26), (10, 7), (12, 2)]):
        demo_activity(
            promise,
            Kind.TRAFFIC,
            day,
            hour=7,
            districts=["Västerhaninge"],
            place_type=Place.SCHOOL,
            title="Hastighetskontroll vid skola",
        )


def load_nynashamn(today: datetime.date) -> Municipality:
    """A second, small municipality: each user sees only their own."""
    nynashamn = load_municipality("Nynäshamn", NYNASHAMN_DISTRICTS)
    load_police_area(nynashamn)
    upsert(
        Organisation,
        {"name": NYNASHAMN, "municipality": nynashamn},
        {"kind": Organisation.Kind.MUNICIPALITY},
    )
    year = today.year
    promise = upsert(
        Promise,
        {"municipality": nynashamn, "year": year},
        {
            "title": f"Medborgarlöfte Nynäshamn {year}",
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year, 12, 31),
            "introduction": "Demodata: ett kort medborgarlöfte för att visa att "
            "flera kommuner delar samma installation.",
            "status": Promise.Status.PUBLISHED,
            "is_demo": True,
        },
    )
    area = upsert(
        FocusArea, {"promise": promise, "title": "Trygghet i centrum"}, {"order": 1}
    )
    commitment = upsert(
        Commitment,
        {"focus_area": area, "title": "Trygghetsvandringar i centrum"},
        {
            "description": "Polis och kommun går trygghetsvandringar i Nynäshamns "
            "centrum."
        },
    )
    commitment.responsible_organisations.set(nynashamn.own_parties().values())
    upsert(
        Target,
        {
            "commitment": commitment,
            "kind": Activity.Kind.INVENTORY,
            "count": 1,
            "period": Target.Period.HALF_YEAR,
        },
    )
    for day in [datetime.date(year, 4, 22), datetime.date(year, 10, 14)]:
        if day <= today:
            demo_activity(
                promise,
                Kind.INVENTORY,
                day,
                hour=18,
                districts=["Nynäshamn"],
                organisations=[POLICE, NYNASHAMN],
                title="Trygghetsvandring i Nynäshamns centrum",
            )
    return nynashamn


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
PROBLEMS = {
    "Gemensamma trygghetsinventeringar": {
        "problem": "Många känner sig otrygga i gångtunnlar och på gångvägar när det "
        "är mörkt, särskilt kring Handens och Jordbros stationer.",
        "districts": ["Handen", "Jordbro"],
        "since": 2,  # years before this one
        "source": "survey",
        "cause_analysis": "Trasig och för svag belysning, buskage som skymmer sikten "
        "och platser där få människor rör sig på kvällen.",
        "measure_kind": "situational",
        "measure_term": "short",
        "responsible": [
            HANINGE,
            "Haninge Bostäder",
            "Fastighetsägare i Haninge centrum",
        ],
    },
    "Synlig polisnärvaro i kollektivtrafik och centrum": {
        "problem": "Ordningsstörningar och stölder vid pendeltågsstationer och i "
        "centrumanläggningar, mest på fredags- och lördagskvällar.",
        "districts": ["Handen", "Västerhaninge"],
        "since": 3,
        "source": "crimes",
        "cause_analysis": "Många människor samlas på samma platser sent på kvällen, "
        "och få vuxna är i rörelse där.",
        "measure_kind": "situational",
        "measure_term": "short",
        "responsible": [
            "Region Stockholm, Trafikförvaltningen (SL)",
            "Bevakningsföretag i Handen",
        ],
    },
    "Förebygga att unga hamnar i kriminalitet": {
        "problem": "Fler unga under 18 år misstänks för brott, och fler rekryteras "
        "till kriminella nätverk.",
        "districts": ["Jordbro", "Brandbergen"],
        "since": 2,
        "source": "situation",
        "cause_analysis": "Skolfrånvaro, få meningsfulla fritidsaktiviteter och "
        "äldre förebilder i kriminella miljöer.",
        "measure_kind": "social",
        "measure_term": "long",
        "responsible": [HANINGE],
    },
    "Minst fyra trygghetsdialoger i olika delar av kommunen": {
        "problem": "Invånarna säger att de sällan får veta vad som händer efter att "
        "de berättat om en otrygg plats.",
        "districts": [],
        "since": 1,
        "source": "dialogue",
        "cause_analysis": "Återkopplingen efter dialogerna har inte haft någon ägare.",
        "measure_kind": "social",
        "measure_term": "long",
        "responsible": [HANINGE],
    },
}


def load_demo_problems(promise: Promise) -> None:
    """The problems of PROBLEMS on the promise's commitments; last year's public
    dialogues as the source of the dialogue commitment's."""
    municipality = promise.municipality
    districts = {d.name: d for d in municipality.districts.all()}
    organisations = {o.name: o for o in organisations_of(municipality)}
    for title, problem in PROBLEMS.items():
        commitment = Commitment.objects.filter(
            focus_area__promise=promise, title=title
        ).first()
        if commitment is None:
            continue
        upsert(
            Commitment,
            {"pk": commitment.pk},
            {
                "problem": problem["problem"],
                "problem_since": promise.year - problem["since"],
                "problem_source": problem["source"],
                "cause_analysis": problem["cause_analysis"],
                "measure_kind": problem["measure_kind"],
                "measure_term": problem["measure_term"],
            },
        )
        commitment.problem_districts.set(
            [districts[name] for name in problem["districts"] if name in districts]
        )
        # The partners answer with the parties that promise.
        commitment.responsible_organisations.add(
            *[organisations[n] for n in problem["responsible"] if n in organisations]
        )
        if problem["source"] == "dialogue":
            commitment.source_dialogues.set(
                Activity.objects.public_in_detail().filter(
                    promise__municipality=municipality,
                    promise__year=promise.year - 1,
                    kind=Kind.DIALOGUE,
                )
            )
