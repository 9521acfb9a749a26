"""Generate realistic data at scale for benchmarks (see bench/README.md).

One municipality ("Benchmark" unless --municipality says otherwise) with Haninge's
districts and, for each of --years years up to this one, a published promise with
Haninge's focus areas, commitments and targets (promises.demo.FOCUS_AREAS), then
--activities activities spread over the years and kinds, findings on the
inventories, indicator values and published quarterly reports; and --incidents
incident reports over the last year (incidents, the weekly lägesbild).

National scale: `--municipalities 50` adds 49 more municipalities ("Benchmark 2" …
"Benchmark 50") of the same shape that share `--other-activities` (900 000 by
default, so about a million activities in all), for measuring that one
municipality's pages and admin do not slow down with the others' data.

Everything is written inside one transaction: the small tables with bulk_create, the
big ones (activities, their districts and organisations, findings) as plain rows in
batches, with COPY on PostgreSQL and executemany elsewhere, so that 100 000
activities take seconds. Both bypass save(), full_clean() and django-simple-history:
the benchmark data has no history rows. That is fine for benchmarks; never use this
command for real data.
"""

import datetime
import random
import time
from decimal import Decimal

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from incidents.models import IncidentCategory, IncidentReport
from incidents.seed import add_shared_categories
from promises import rollups
from promises.caching import public_data_changed
from promises.demo import (
    FOCUS_AREAS,
    HANINGE,
    HANINGE_DISTRICTS,
    INTRODUCTION,
    ORGANISATIONS,
    POLICE,
)
from promises.models import (
    DEFAULT_PUBLICATION_LEVEL,
    Activity,
    ActivityKind,
    Commitment,
    District,
    Finding,
    FocusArea,
    Municipality,
    Organisation,
    PoliceArea,
    Promise,
    PublicationLevel,
    Target,
)
from reports.demo import INDICATORS
from reports.models import Indicator, IndicatorValue, QuarterlyReport

Kind = ActivityKind
Place = Activity.PlaceType
BATCH_SIZE = 10_000
TWO_HOURS = datetime.timedelta(hours=2)
NOTE = "Benchmarkdata, skapad av generate_benchmark_data."

# Relative share of each kind, roughly as often as Haninge's promise asks for them.
KIND_WEIGHTS = {
    Kind.PRESENCE: 25,
    Kind.DEPLOYMENT: 20,
    Kind.YOUTH_VISIT: 15,
    Kind.TRAFFIC: 10,
    Kind.YOUTH_COORDINATION: 5,
    Kind.INVENTORY: 10,
    Kind.DIALOGUE: 5,
    Kind.OTHER: 10,
}
HOURS = {
    Kind.PRESENCE: 16,
    Kind.DEPLOYMENT: 20,
    Kind.YOUTH_VISIT: 19,
    Kind.TRAFFIC: 7,
    Kind.YOUTH_COORDINATION: 9,
    Kind.INVENTORY: 18,
    Kind.DIALOGUE: 18,
    Kind.OTHER: 13,
}
PLACES = {
    Kind.PRESENCE: [Place.PUBLIC_TRANSPORT, Place.HUB, Place.CENTRE],
    Kind.YOUTH_VISIT: [Place.YOUTH_ENVIRONMENT],
    Kind.TRAFFIC: [Place.SCHOOL, Place.OTHER],
}
FINDING_STATUSES = list(Finding.Status)
# Open, planned, referred, not fixed, fixed: half are fixed.
FINDING_WEIGHTS = [20, 15, 10, 5, 50]
PARTNERS = [name for name, kind in ORGANISATIONS if kind == Organisation.Kind.PARTNER]
FINDINGS = [
    (Finding.Category.LIGHTING, "Gångtunneln vid centrum", "Trasig belysning."),
    (Finding.Category.VEGETATION, "Gångstigen mot skolan", "Buskage skymmer sikten."),
    (Finding.Category.GRAFFITI, "Busshållplatsen", "Klotter och krossat glas."),
    (Finding.Category.TRAFFIC, "Övergångsstället vid torget", "Otydlig markering."),
    (Finding.Category.LITTER, "Parkeringen vid idrottsplatsen", "Nedskräpat."),
]


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows of a model without building model instances: the fast path for
    the big tables (activities, their districts and organisations, findings).

    A row is a dict of field attnames (``promise_id``) to values; a missing field
    gets its default. Only date and datetime values are converted for the database
    (text, numbers, booleans and choices need nothing), which is all these tables
    have. PostgreSQL reads the rows with COPY, other databases with executemany.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    adapters = {}
    for field in fields:
        if isinstance(field, models.DateTimeField):
            adapters[field.attname] = connection.ops.adapt_datetimefield_value
        elif isinstance(field, models.DateField):
            adapters[field.attname] = connection.ops.adapt_datefield_value

    def prepared(row: dict) -> list:
        values = {**defaults, **row}
        for name, adapt in adapters.items():
            values[name] = adapt(values[name])
        return list(values.values())

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                [prepared(row) for row in rows],
            )


class Command(BaseCommand):
    help = (
        "Skapar benchmarkdata i stor skala: en kommun med ett publicerat "
        "medborgarlöfte per år och många aktiviteter. Skriver raderna direkt, "
        "alltså utan validering och utan historik (django-simple-history). Bara för "
        "prestandamätningar, aldrig för riktiga data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="Antal år (löften).")
        parser.add_argument(
            "--activities", type=int, default=100_000, help="Antal aktiviteter totalt."
        )
        parser.add_argument(
            "--municipality",
            default="Benchmark",
            help="Kommunens namn (default Benchmark). Får inte finnas redan.",
        )
        parser.add_argument(
            "--kinds",
            default="",
            help="Bara dessa typer, kommaseparerade (t.ex. other,inventory,dialogue "
            "för att få många rader i den öppna datamängden aktiviteter).",
        )
        parser.add_argument(
            "--incidents",
            type=int,
            default=50_000,
            help="Antal händelserapporter det senaste året (lägesbilden).",
        )
        parser.add_argument(
            "--municipalities",
            type=int,
            default=1,
            help="Antal kommuner (default 1). Den första får --activities och "
            "--incidents; de övriga (”<namn> 2”, ”<namn> 3” …) delar på "
            "--other-activities: nationell skala.",
        )
        parser.add_argument(
            "--other-activities",
            type=int,
            default=900_000,
            help="Antal aktiviteter totalt i de övriga kommunerna (default 900 000, "
            "så att --municipalities 50 ger ungefär en miljon).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö.")

    def handle(self, *args, **options):
        years, total = options["years"], options["activities"]
        count, others_total = options["municipalities"], options["other_activities"]
        if years < 1 or total < 0 or count < 1 or others_total < 0:
            raise CommandError(
                "--years och --municipalities måste vara minst 1, --activities och "
                "--other-activities minst 0."
            )
        weights = dict(KIND_WEIGHTS)
        if options["kinds"]:
            chosen = [k.strip() for k in options["kinds"].split(",") if k.strip()]
            unknown = [k for k in chosen if k not in Kind.values]
            if unknown:
                raise CommandError(f"Okända typer: {', '.join(unknown)}.")
            weights = {k: w for k, w in weights.items() if k in chosen}
        name = options["municipality"]
        names = [name] + [f"{name} {number}" for number in range(2, count + 1)]
        taken = Municipality.objects.filter(
            Q(name__in=names) | Q(slug__in=[slugify(n) for n in names])
        )
        if taken.exists():
            raise CommandError(
                f"Kommunen {taken.first().name!r} finns redan. Välj ett annat namn "
                "med --municipality eller använd en tom databas."
            )
        self.random = random.Random(options["seed"])
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate()
        started = time.perf_counter()
        # The others share their activities evenly, the first few one more.
        shares = (
            [
                others_total // (count - 1) + (n < others_total % (count - 1))
                for n in range(count - 1)
            ]
            if count > 1
            else []
        )
        with transaction.atomic():
            counts = self.generate(name, years, total, weights)
            counts["händelserapporter"] = self.incidents(name, options["incidents"])
            others = {}
            for other, share in zip(names[1:], shares, strict=True):
                for label, number in self.generate(
                    other, years, share, weights
                ).items():
                    others[label] = others.get(label, 0) + number
        # Fresh statistics for the query planner, as after any bulk load (it would
        # otherwise plan the first benchmarks for nearly empty tables). On
        # PostgreSQL also the visibility map, as autovacuum would make it later:
        # without it a count reads every row, not only the index (the admin's
        # activity count: 423 ms before, 25 ms after, docs/performance.md).
        # VACUUM cannot run inside a transaction (a test's).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(f"{name}: {self.summary(counts)}.")
        if others:
            self.stdout.write(
                f"{count - 1} kommuner till ({names[1]} … {names[-1]}): "
                f"{self.summary(others)}."
            )
        self.stdout.write(f"Klart på {seconds:.1f} sekunder.")

    @staticmethod
    def summary(counts: dict) -> str:
        return ", ".join(f"{number} {label}" for label, number in counts.items())

    # -------------------------------------------------------------------------

    def generate(self, name: str, years: int, total: int, weights: dict) -> dict:
        police_area = PoliceArea.objects.create(name=f"Lokalpolisområde {name}")
        municipality = Municipality.objects.create(
            name=name, slug=slugify(name), police_area=police_area
        )
        districts = District.objects.bulk_create(
            District(
                municipality=municipality,
                name=district,
                slug=slugify(district, allow_unicode=True),
            )
            for district in HANINGE_DISTRICTS
        )
        organisations = {POLICE: police_area.organisation}
        for org_name, kind in ORGANISATIONS:
            organisations[org_name] = Organisation.objects.create(
                name=org_name, kind=kind, municipality=municipality
            )
        first_year = self.today.year - years + 1
        promises = Promise.objects.bulk_create(
            Promise(
                municipality=municipality,
                year=year,
                title=f"Medborgarlöfte {name} {year}",
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                introduction=INTRODUCTION,
                status=Promise.Status.PUBLISHED,
                published_at=self.aware(datetime.date(year, 1, 1), 9),
                is_demo=True,
            )
            for year in range(first_year, self.today.year + 1)
        )
        commitments = self.structure(promises)
        activities, findings = self.activities(
            promises, total, weights, districts, organisations
        )
        values = self.indicators(municipality, districts, commitments, first_year)
        reports = self.reports(promises)
        # The rows above bypass the signals: the activities' days and the cache.
        rollups.rebuild(promises)
        public_data_changed([municipality.pk], national=True)
        return {
            "löften": len(promises),
            "kommundelar": len(districts),
            "åtaganden": len(commitments),
            "mål": Target.objects.filter(
                commitment__focus_area__promise__municipality=municipality
            ).count(),
            "aktiviteter": activities,
            "iakttagelser": findings,
            "indikatorvärden": values,
            "publicerade kvartalsrapporter": reports,
        }

    def incidents(self, name: str, total: int) -> int:
        """A year of incident reports up to today from the municipality's partners,
        more in the centres (the order of HANINGE_DISTRICTS), a few places each."""
        add_shared_categories(apps)
        municipality = Municipality.objects.get(name=name)
        districts = list(municipality.districts.order_by("pk"))
        weights = [len(districts) - index for index in range(len(districts))]
        categories = list(IncidentCategory.objects.filter(municipality=None))
        partners = list(municipality.organisations.all())
        places = {
            district.pk: [f"{district.name} plats {n}" for n in range(1, 6)] + [""]
            for district in districts
        }
        rows = []
        for _report in range(total):
            district = self.random.choices(districts, weights)[0]
            rows.append(
                {
                    "category_id": self.random.choice(categories).pk,
                    "district_id": district.pk,
                    "place_type": self.random.choice(IncidentReport.PlaceType.values),
                    "place": self.random.choice(places[district.pk]),
                    "date": self.today
                    - datetime.timedelta(days=self.random.randrange(365)),
                    "part_of_day": self.random.choice(IncidentReport.PartOfDay.values),
                    "occurrences": self.random.choice((1, 1, 1, 2, 3)),
                    "organisation_id": self.random.choice(partners).pk,
                    "reported_by_id": None,
                    "reported_at": self.now,
                    "is_demo": True,
                }
            )
            if len(rows) == BATCH_SIZE:
                insert_rows(IncidentReport, rows)
                rows = []
        insert_rows(IncidentReport, rows)
        return total

    def aware(self, day: datetime.date, hour: int) -> datetime.datetime:
        # What timezone.make_aware does, without its per-call overhead.
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    def structure(self, promises: list[Promise]) -> list[Commitment]:
        """load_haninge's focus areas, commitments and targets for every promise."""
        areas = FocusArea.objects.bulk_create(
            FocusArea(promise=promise, title=title, order=order)
            for promise in promises
            for order, (title, _) in enumerate(FOCUS_AREAS, 1)
        )
        specs = [commitments for _, commitments in FOCUS_AREAS] * len(promises)
        pairs = [
            (
                Commitment(
                    promise_id=area.promise_id,
                    focus_area=area,
                    title=title,
                    description=text,
                    order=order,
                ),
                targets,
            )
            for area, commitments in zip(areas, specs, strict=True)
            for order, (title, text, targets) in enumerate(commitments, 1)
        ]
        commitments = Commitment.objects.bulk_create(c for c, _ in pairs)
        Target.objects.bulk_create(
            Target(commitment=commitment, **target)
            for commitment, (_, targets) in zip(commitments, pairs, strict=True)
            for target in targets
        )
        return commitments

    def activities(self, promises, total, weights, districts, organisations):
        rnd = self.random
        kinds, kind_weights = list(weights), list(weights.values())
        labels = {kind: str(Kind(kind).label) for kind in kinds}
        statuses = [
            Activity.Status.DONE,
            Activity.Status.CANCELLED,
            Activity.Status.PLANNED,
        ]
        police, municipality_org = organisations[POLICE], organisations[HANINGE]
        partners = [organisations[name] for name in PARTNERS]
        DistrictLink = Activity.districts.through
        OrgLink = Activity.organisations.through
        # The activities fall on the days from the first promise's first day to
        # today, evenly: years of history, and this year up to today.
        first_day = promises[0].starts_on
        span = (self.today - first_day).days + 1
        by_year = {promise.year: promise for promise in promises}
        activity_count = finding_count = 0
        batch: list[tuple[dict, list, list]] = []

        def flush():
            nonlocal activity_count, finding_count
            if not batch:
                return
            insert_rows(Activity, [row for row, _, _ in batch])
            # The database numbers the rows in insertion order and nobody else
            # writes activities of this new municipality: the last ids are ours.
            ids = list(
                Activity.objects.filter(promise__in=promises)
                .order_by("-pk")
                .values_list("pk", flat=True)[: len(batch)]
            )[::-1]
            rows = list(zip(ids, batch, strict=True))
            insert_rows(
                DistrictLink,
                [
                    {"activity_id": pk, "district_id": district.id}
                    for pk, (_, chosen, _) in rows
                    for district in chosen
                ],
            )
            insert_rows(
                OrgLink,
                [
                    {"activity_id": pk, "organisation_id": org.id}
                    for pk, (_, _, orgs) in rows
                    for org in orgs
                ],
            )
            findings = [
                finding
                for pk, (row, chosen, _) in rows
                if row["kind"] == Kind.INVENTORY
                and row["status"] == Activity.Status.DONE
                for finding in self.findings(
                    pk, row["starts_at"], chosen[0], municipality_org
                )
            ]
            insert_rows(Finding, findings)
            activity_count += len(batch)
            finding_count += len(findings)
            batch.clear()

        for number in range(total):
            kind = rnd.choices(kinds, kind_weights)[0]
            day = first_day + datetime.timedelta(rnd.randrange(span))
            promise = by_year[day.year]
            not_friday_reason = ""
            if kind == Kind.DEPLOYMENT:  # that week's Friday, in the year, so far
                friday = day + datetime.timedelta(4 - day.weekday())
                if friday > self.today or not promise.contains(friday):
                    friday -= datetime.timedelta(7)
                if promise.contains(friday):
                    day = friday
                else:  # no Friday of this promise has come yet
                    not_friday_reason = "Helgdag"
            starts_at = self.aware(day, HOURS[kind])
            if starts_at > self.now:
                status = Activity.Status.PLANNED
            else:
                status = rnd.choices(statuses, [92, 5, 3])[0]
            level = DEFAULT_PUBLICATION_LEVEL[kind]
            if rnd.random() < 0.02:
                level = PublicationLevel.INTERNAL
            chosen = rnd.sample(districts, 2 if rnd.random() < 0.1 else 1)
            orgs = [police, municipality_org]
            if kind == Kind.PRESENCE:
                orgs = [police, rnd.choice(partners)]
            elif kind == Kind.DEPLOYMENT:
                orgs = [police]
            detail = level == PublicationLevel.DETAIL
            label = labels[kind]
            row = {
                "promise_id": promise.id,
                "kind": kind,
                "status": status,
                "starts_at": starts_at,
                "ends_at": starts_at + TWO_HOURS,
                "place_type": rnd.choice(PLACES.get(kind, [""])),
                "title": f"{label} i {chosen[0].name}",
                "summary": f"{label} i {chosen[0].name}, nummer {number + 1} i år."
                if detail
                else "",
                "internal_notes": NOTE,
                "participants": rnd.randint(2, 12),
                "residents_met": rnd.randint(5, 60)
                if kind in (Kind.DIALOGUE, Kind.INVENTORY, Kind.YOUTH_VISIT)
                else None,
                "publication_level": level,
                "district_reason": "Trygghetsmätningen och lägesbilden."
                if kind == Kind.INVENTORY
                else "",
                "residents_raised": "Belysning, trafik och ungdomar vid centrum."
                if kind == Kind.DIALOGUE and status == Activity.Status.DONE
                else "",
                "not_friday_reason": not_friday_reason,
                "is_demo": True,
            }
            batch.append((row, chosen, orgs))
            if len(batch) >= BATCH_SIZE:
                flush()
        flush()
        return activity_count, finding_count

    def findings(self, inventory_id, starts_at, district, responsible) -> list[dict]:
        rnd = self.random
        day = timezone.localdate(starts_at)
        findings = []
        for category, place, description in rnd.sample(FINDINGS, rnd.randint(2, 4)):
            status = rnd.choices(FINDING_STATUSES, FINDING_WEIGHTS)[0]
            outcome = {}
            if status == Finding.Status.FIXED:
                outcome["fixed_on"] = min(
                    day + datetime.timedelta(rnd.randint(5, 90)), self.today
                )
            elif status == Finding.Status.PLANNED:
                outcome["planned_on"] = day + datetime.timedelta(rnd.randint(30, 180))
            elif status == Finding.Status.REFERRED:
                outcome["referred_to"] = "Trafikverket"
            elif status == Finding.Status.NOT_FIXED:
                outcome["not_fixed_reason"] = "Platsen byggs om nästa år."
            findings.append(
                {
                    "inventory_id": inventory_id,
                    "category": category,
                    "district_id": district.id,
                    "place": f"{place}, {district.name}",
                    "description": description,
                    "responsible_id": responsible.id,
                    "status": status,
                    **outcome,
                }
            )
        return findings

    def indicators(self, municipality, districts, commitments, first_year) -> int:
        rnd = self.random
        values = []
        Link = Indicator.commitments.through
        links = []
        for name, unit, source, higher, titles in INDICATORS:
            indicator = Indicator.objects.create(
                municipality=municipality,
                name=name,
                unit=unit,
                source=source,
                higher_is_better=higher,
            )
            links += [
                Link(indicator_id=indicator.pk, commitment_id=c.pk)
                for c in commitments
                if any(c.title.startswith(title) for title in titles)
            ]
            base = {"%": 25, "per 1 000 invånare": 80}.get(unit, 1.6)
            for district in [None, *districts]:
                for year in range(first_year - 1, self.today.year + 1):
                    value = base * rnd.uniform(0.5, 1.5)
                    values.append(
                        IndicatorValue(
                            indicator=indicator,
                            municipality=municipality,
                            district=district,
                            year=year,
                            value=Decimal(f"{value:.1f}"),
                        )
                    )
        Link.objects.bulk_create(links)
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH_SIZE)
        return len(values)

    def reports(self, promises: list[Promise]) -> int:
        current = (self.today.year, (self.today.month - 1) // 3 + 1)
        reports = []
        for promise in promises:
            for quarter in range(1, 5):
                if (promise.year, quarter) >= current:
                    continue
                published = self.aware(
                    datetime.date(promise.year, 3 * quarter, 28), 10
                ) + datetime.timedelta(days=10)
                reports.append(
                    QuarterlyReport(
                        promise=promise,
                        year=promise.year,
                        quarter=quarter,
                        title=f"Så gick arbetet kvartal {quarter} {promise.year}",
                        body="Polisen och kommunen genomförde de aktiviteter som "
                        "medborgarlöftet lovar. Läs mer på sidorna för varje åtagande.",
                        status=QuarterlyReport.Status.PUBLISHED,
                        published_at=min(published, self.now),
                    )
                )
        QuarterlyReport.objects.bulk_create(reports)
        return len(reports)
