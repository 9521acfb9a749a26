"""Load Haninge's medborgarlöfte (shared/seed/haninge-medborgarloften.txt) as data.

Idempotent: running it again changes nothing that is already there. With --demo it
adds a realistic year of demo activities up to today, a second municipality
(Nynäshamn) and the demo users `samordnare` and `kontaktperson`.
"""

import datetime
import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

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
from promises.roles import COORDINATOR, POLICE_LIAISON, sync_role_groups
from reports import demo as reports_demo

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

POLICE = "Polisen, lokalpolisområde Haninge/Nynäshamn"
HANINGE = "Haninge kommun"
NYNASHAMN = "Nynäshamns kommun"
ORGANISATIONS = [
    (POLICE, Organisation.Kind.POLICE),
    (HANINGE, Organisation.Kind.MUNICIPALITY),
    ("Region Stockholm, Trafikförvaltningen (SL)", Organisation.Kind.PARTNER),
    ("Fastighetsägare i Haninge centrum", Organisation.Kind.PARTNER),
    ("Bevakningsföretag i Handen", Organisation.Kind.PARTNER),
    ("Haninge Bostäder", Organisation.Kind.PARTNER),
]

INTRODUCTION = """\
Samverkan mellan kommun och polis är viktigt för att tillsammans kunna verka \
effektivt i det brottsförebyggande arbetet. Arbetet med medborgarlöftet är ett \
resultat av samverkansavtalet tillsammans med trygghetsdialoger och trygghetsmätning.

Medborgarlöftet innefattar åtgärder som ska hantera lokala problem, öka tryggheten \
och minska brottsligheten i kommunen. Genom medborgarlöftet ska polis och kommun \
gemensamt utföra insatser som direkt riktar sig till medborgarnas upplevda trygghet \
och den faktiska tryggheten.

Områdena nedan har kommit fram som prioriterade önskemål hos invånarna i Haninge \
kommun, i trygghetsdialoger och trygghetsmätningar."""

# (focus area, [(short title, full text, [target fields])]) from the seed.
FOCUS_AREAS = [
    (
        "Trygghet i offentlig miljö",
        [
            (
                "Gemensamma trygghetsinventeringar",
                "Genomföra gemensamma trygghetsinventeringar, två stycken per halvår, "
                "där kommundelar väljs utifrån trygghetsmätning och en lägesbild som "
                "framkommit i gemensamma mötesforum.",
                [
                    {
                        "kind": Kind.INVENTORY,
                        "count": 2,
                        "period": Target.Period.HALF_YEAR,
                        "joint": True,
                    }
                ],
            ),
            (
                "Synlig polisnärvaro i kollektivtrafik och centrum",
                "Polisen ska öka sin synliga närvaro i kollektivtrafiken, vid "
                "kommunikationspunkter och centrumanläggningar. Målet utöver den "
                "vardagliga linjeverksamheten är att också göra dessa riktade insatser "
                "i samverkan med andra aktörer.",
                [{"kind": Kind.PRESENCE, "period": Target.Period.QUARTER}],
            ),
            (
                "Regelbundna besök i ungdomsmiljöer",
                "Polisen och representanter från kommunens olika verksamheter ska "
                "regelbundet besöka ungdomsmiljöer för att etablera kontakter och öka "
                "tryggheten.",
                [
                    {
                        "kind": Kind.YOUTH_VISIT,
                        "count": 1,
                        "period": Target.Period.MONTH,
                    }
                ],
            ),
            (
                "Veckovisa utsättningar på fredagar",
                "Genomföra veckovisa utsättningar (fredagar) med delning av operativ "
                "lägesbild.",
                [
                    {
                        "kind": Kind.DEPLOYMENT,
                        "count": 1,
                        "period": Target.Period.WEEK,
                        "weekday": Target.Weekday.FRIDAY,
                    }
                ],
            ),
        ],
    ),
    (
        "Samverkan kring förebyggande arbete med fokus på barn och unga",
        [
            (
                "Förebygga att unga hamnar i kriminalitet",
                "Inom samverkansavtalet mellan polis och kommun förbinder vi oss att "
                "jobba aktivt för att förebygga och hindra att ungdomar hamnar inom "
                "kriminalitet. Detta genom en samverkan där aktuell lägesbild delas och "
                "insatser prioriteras inom respektive verksamhet gällande ungdomar i "
                "riskzon.",
                [{"kind": Kind.YOUTH_COORDINATION, "period": Target.Period.QUARTER}],
            )
        ],
    ),
    (
        "Trafik",
        [
            (
                "Ökad trafiksäkerhet",
                "Polisen och kommunen ska i samverkan verka för att öka "
                "trafiksäkerheten inom kommunen. Detta genom att utgå från en gemensam "
                "lägesbild inom respektive ansvarsområde för att öka tryggheten och "
                "säkerheten i trafiken.",
                [{"kind": Kind.TRAFFIC, "period": Target.Period.QUARTER}],
            )
        ],
    ),
    (
        "Trygghetsdialoger",
        [
            (
                "Minst fyra trygghetsdialoger i olika delar av kommunen",
                "Tillsammans ska kommun och polis genomföra minst fyra "
                "trygghetsdialoger i olika delar av kommunen.",
                [
                    {
                        "kind": Kind.DIALOGUE,
                        "count": 4,
                        "period": Target.Period.YEAR,
                        "min_districts": 4,
                    }
                ],
            )
        ],
    ),
    (
        "Uppföljning",
        [
            (
                "Berätta för invånarna minst fyra gånger om året",
                "Medborgarlöftena följs kontinuerligt upp av parterna under året. Minst "
                "fyra gånger under året berättar vi för invånarna hur vi arbetat med "
                "medborgarlöftet, på respektive organisations sociala mediekanaler "
                "och/eller hemsidor.",
                [{"kind": Target.REPORT, "count": 4, "period": Target.Period.YEAR}],
            )
        ],
    ),
    (
        "Utvärdering",
        [
            (
                "Gemensam utvärdering vid årets slut",
                "I slutet av året utvärderar parterna tillsammans medborgarlöftena. Vi "
                "följer upp och, där det är möjligt, analyserar om aktiviteterna har "
                "haft effekt på tryggheten och/eller brottsligheten.",
                [{"kind": Target.EVALUATION, "count": 1, "period": Target.Period.YEAR}],
            )
        ],
    ),
]

DEMO_NOTE = "Demodata, skapad av load_haninge --demo."


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
    obj.full_clean()
    obj.save()
    return obj


class Command(BaseCommand):
    help = (
        "Läser in Haninges medborgarlöfte. Med --demo även demodata och demoanvändare."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Lägg till ett år av demoaktiviteter, Nynäshamn och demoanvändare.",
        )

    @transaction.atomic
    def handle(self, *args, demo: bool = False, **options):
        today = timezone.localdate()
        haninge = self.municipality("Haninge", HANINGE_DISTRICTS)
        for name, kind in ORGANISATIONS:
            upsert(Organisation, {"name": name}, {"kind": kind})
        promise = self.haninge_promise(haninge, today.year)
        self.stdout.write(f"Haninge: {promise} med {self.count(promise)}.")
        if demo:
            self.haninge_demo_activities(promise, today)
            last_year = self.haninge_promise(haninge, today.year - 1)
            Promise.objects.filter(pk=last_year.pk).update(is_demo=True)
            self.last_year_activities(last_year)
            reports_demo.load_indicators(haninge, (last_year.year - 1, last_year.year))
            reports_demo.load_reports(promise, today)
            reports_demo.load_evaluation(last_year)
            nynashamn = self.nynashamn_demo(today)
            self.demo_users(haninge, nynashamn)
            self.stdout.write(
                f"Demodata: {promise.activities.count()} aktiviteter i Haninge, "
                f"{Finding.objects.filter(inventory__promise=promise).count()} "
                "iakttagelser."
            )

    def count(self, promise: Promise) -> str:
        commitments = Commitment.objects.filter(focus_area__promise=promise).count()
        return f"{promise.focus_areas.count()} fokusområden och {commitments} åtaganden"

    def municipality(self, name: str, districts: list[str]) -> Municipality:
        municipality = upsert(Municipality, {"name": name}, {"slug": slugify(name)})
        for district in districts:
            upsert(
                District,
                {"municipality": municipality, "name": district},
                {"slug": slugify(district, allow_unicode=True)},
            )
        return municipality

    def haninge_promise(self, haninge: Municipality, year: int) -> Promise:
        promise = Promise.objects.filter(municipality=haninge, year=year).first()
        if promise is None:
            promise = upsert(
                Promise,
                {"municipality": haninge, "year": year},
                {
                    "title": f"Medborgarlöfte Haninge {year}",
                    "police_area": "Lokalpolisområde Haninge/Nynäshamn",
                    "starts_on": datetime.date(year, 1, 1),
                    "ends_on": datetime.date(year, 12, 31),
                    "introduction": INTRODUCTION,
                    "status": Promise.Status.PUBLISHED,
                },
            )
        for area_order, (area_title, commitments) in enumerate(FOCUS_AREAS, 1):
            area = upsert(
                FocusArea,
                {"promise": promise, "title": area_title},
                {"order": area_order},
            )
            for order, (title, description, targets) in enumerate(commitments, 1):
                commitment = upsert(
                    Commitment,
                    {"focus_area": area, "title": title},
                    {"description": description, "order": order},
                )
                if not commitment.targets.exists():
                    for target in targets:
                        upsert(Target, {"commitment": commitment, **target})
        return promise

    # Demo data ---------------------------------------------------------------

    def activity(
        self,
        promise: Promise,
        kind: str,
        day: datetime.date,
        *,
        hour: int = 14,
        districts=(),
        organisations=(POLICE, HANINGE),
        **values,
    ) -> Activity:
        starts_at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour))
        )
        values.setdefault("title", Kind(kind).label)
        values["status"] = (
            Activity.Status.DONE
            if starts_at <= timezone.now()
            else Activity.Status.PLANNED
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
            activity.full_clean()
            activity.save()
            activity.districts.set(
                District.objects.filter(
                    municipality=promise.municipality, name__in=districts
                )
            )
            activity.organisations.set(
                Organisation.objects.filter(name__in=organisations)
            )
        elif activity.status != values["status"]:
            activity.status = values["status"]
            activity.save(update_fields=["status"])
        return activity

    def haninge_demo_activities(self, promise: Promise, today: datetime.date) -> None:
        year = promise.year

        def days(month_days):
            dates = (datetime.date(year, month, dom) for month, dom in month_days)
            return [day for day in dates if day <= today]

        # Friday deployments: every Friday so far but a few, one moved for Midsummer.
        missed_weeks = {29, 30, 44}
        friday = datetime.date(year, 1, 1)
        friday += datetime.timedelta(days=(4 - friday.weekday()) % 7)
        deployment_districts = ["Handen", "Jordbro", "Brandbergen", "Västerhaninge"]
        while friday <= today:
            week = friday.isocalendar().week
            if week not in missed_weeks:
                day, reason = friday, ""
                if friday == datetime.date(year, 6, 19):
                    day, reason = friday - datetime.timedelta(days=1), "Midsommarafton"
                deployment = self.activity(
                    promise,
                    Kind.DEPLOYMENT,
                    day,
                    districts=[deployment_districts[week % 4]],
                    title="Fredagsutsättning",
                    not_friday_reason=reason,
                    participants=6 + week % 5,
                )
                OperationalPicture.objects.get_or_create(
                    activity=deployment,
                    defaults={
                        "text": f"{DEMO_NOTE} Operativ lägesbild vecka {week}: "
                        "fokus på centrumanläggningen och pendeltågsstationen."
                    },
                )
            friday += datetime.timedelta(days=7)

        # Safety inventories: two joint ones in the first half-year, one so far in
        # the second; findings tracked until fixed.
        inventories = [
            (
                datetime.date(year, 3, 18),
                "Jordbro",
                "Trygghetsmätningen visade hög otrygghet kvällstid i Jordbro centrum.",
            ),
            (
                datetime.date(year, 5, 13),
                "Handen",
                "Lägesbild från samverkansmötet om gångstråken kring Handens station.",
            ),
            (
                datetime.date(year, 9, 16),
                "Brandbergen",
                "Trygghetsmätningen och synpunkter från trygghetsdialogen i våras.",
            ),
        ]
        findings = [
            (
                Finding.Category.LIGHTING,
                "Gångtunneln under Nynäsvägen",
                "Trasig belysning i tunneln.",
            ),
            (
                Finding.Category.VEGETATION,
                "Gångstigen mot skolan",
                "Buskage skymmer sikten.",
            ),
            (
                Finding.Category.GRAFFITI,
                "Busshållplatsen vid centrum",
                "Klotter och krossat glas.",
            ),
            (
                Finding.Category.TRAFFIC,
                "Övergångsstället vid torget",
                "Otydlig markering.",
            ),
        ]
        for number, (day, district_name, reason) in enumerate(inventories):
            if day > today:
                continue
            inventory = self.activity(
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
            district = District.objects.get(
                municipality=promise.municipality, name=district_name
            )
            for index, (category, place, description) in enumerate(findings):
                fixed = index < 3 - number
                fixed_on = min(day + datetime.timedelta(days=30 + 10 * index), today)
                upsert(
                    Finding,
                    {"inventory": inventory, "place": f"{place}, {district_name}"},
                    {
                        "category": category,
                        "district": district,
                        "description": description,
                        "responsible": Organisation.objects.get(name=HANINGE),
                        "status": Finding.Status.FIXED
                        if fixed
                        else Finding.Status.IN_PROGRESS
                        if index == 3
                        else Finding.Status.OPEN,
                        "fixed_on": fixed_on if fixed else None,
                    },
                )

        # Safety dialogues: three held in three districts, one announced in December.
        dialogues = [
            (
                datetime.date(year, 3, 25),
                "Handen",
                "Otrygghet vid pendeltågsstationen kvällstid och mopedåkning på gångvägar.",
            ),
            (
                datetime.date(year, 5, 20),
                "Jordbro",
                "Belysning i gångtunnlar och ungdomar som samlas vid centrum.",
            ),
            (
                datetime.date(year, 9, 23),
                "Västerhaninge",
                "Trafiksäkerhet vid skolorna och inbrott i förråd.",
            ),
            (datetime.date(year, 12, 9), "Vendelsö", ""),
        ]
        for day, district_name, raised in dialogues:
            self.activity(
                promise,
                Kind.DIALOGUE,
                day,
                hour=18,
                districts=[district_name],
                title=f"Trygghetsdialog i {district_name}",
                summary=f"Öppet möte med polisen och kommunen om tryggheten i {district_name}. Alla är välkomna.",
                residents_raised=raised if day <= today else "",
                residents_met=25 + len(district_name) if day <= today else None,
            )

        # Youth environments: monthly, but none in July, two in some months.
        for day in days(
            [(m, 12) for m in range(1, 12) if m != 7] + [(3, 26), (10, 22)]
        ):
            self.activity(
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
        for index, day in enumerate(
            days([(m, d) for m in range(1, 12) for d in (8, 22)])
        ):
            self.activity(
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
        for day in days([(m, 5) for m in range(1, 12)]):
            self.activity(
                promise,
                Kind.YOUTH_COORDINATION,
                day,
                hour=9,
                title="Samverkansmöte om unga i riskzon",
            )
        for day in days([(4, 15), (6, 10), (8, 19), (8, 26), (10, 7)]):
            self.activity(
                promise,
                Kind.TRAFFIC,
                day,
                hour=7,
                districts=["Västerhaninge"],
                place_type=Place.SCHOOL,
                title="Hastighetskontroll vid skola",
            )

    def last_year_activities(self, promise: Promise) -> None:
        """A few of last year's activities, for its evaluation."""
        year = promise.year
        for month, district_name in [(3, "Handen"), (5, "Jordbro"), (9, "Vega")]:
            self.activity(
                promise,
                Kind.DIALOGUE,
                datetime.date(year, month, 15),
                hour=18,
                districts=[district_name],
                title=f"Trygghetsdialog i {district_name}",
                summary="Öppet möte med polisen och kommunen.",
                residents_met=30,
            )
        for month, district_name in [(4, "Jordbro"), (5, "Handen"), (9, "Jordbro")]:
            self.activity(
                promise,
                Kind.INVENTORY,
                datetime.date(year, month, 20),
                hour=18,
                districts=[district_name],
                title=f"Trygghetsinventering i {district_name}",
            )

    def nynashamn_demo(self, today: datetime.date) -> Municipality:
        nynashamn = self.municipality("Nynäshamn", NYNASHAMN_DISTRICTS)
        upsert(
            Organisation, {"name": NYNASHAMN}, {"kind": Organisation.Kind.MUNICIPALITY}
        )
        year = today.year
        promise = upsert(
            Promise,
            {"municipality": nynashamn, "year": year},
            {
                "title": f"Medborgarlöfte Nynäshamn {year}",
                "police_area": "Lokalpolisområde Haninge/Nynäshamn",
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
                "description": "Polis och kommun går trygghetsvandringar i Nynäshamns centrum."
            },
        )
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
                self.activity(
                    promise,
                    Kind.INVENTORY,
                    day,
                    hour=18,
                    districts=["Nynäshamn"],
                    organisations=[POLICE, NYNASHAMN],
                    title="Trygghetsvandring i Nynäshamns centrum",
                )
        return nynashamn

    def demo_users(self, haninge: Municipality, nynashamn: Municipality) -> None:
        sync_role_groups(apps)  # normally done by migrate; again after a flush
        password = os.environ.get("DEMO_PASSWORD", "")
        User = get_user_model()
        for username, role, municipalities in [
            ("samordnare", COORDINATOR, [haninge]),
            ("kontaktperson", POLICE_LIAISON, [haninge]),
        ]:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if password:
                user.set_password(password)
                user.save()
            elif created:
                user.set_unusable_password()
                user.save()
                self.stdout.write(
                    f"{username}: inget lösenord satt (sätt DEMO_PASSWORD för att logga in)."
                )
            user.groups.add(Group.objects.get(name=role))
            for municipality in municipalities:
                municipality.staff.add(user)
