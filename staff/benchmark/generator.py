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
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.text import slugify

from incidents.models import IncidentCategory, IncidentReport
from incidents.seed import add_shared_categories
from promises import rollups
from promises.demo import HANINGE_DISTRICTS, ORGANISATIONS, POLICE
from promises.generations import public_data_changed
from promises.haninge import FOCUS_AREAS, INTRODUCTION
from promises.models import (
    Commitment,
    District,
    FocusArea,
    Municipality,
    Organisation,
    PoliceArea,
    Promise,
    Target,
)
from reports.demo import INDICATORS
from reports.models import Indicator, IndicatorValue, QuarterlyReport

from .activities import insert_activities
from .rows import BATCH_SIZE, insert_rows


class BenchmarkData:
    """Writes the benchmark data, from one random seed and one clock: the same
    seed on the same day gives the same data."""

    def __init__(self, seed: int = 1):
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate()

    def municipality(self, name: str, years: int, total: int, weights: dict) -> dict:
        """A municipality with a promise a year and `total` activities; returns
        the counts of what was made, by their Swedish names."""
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
        activities, findings = insert_activities(
            self, promises, total, weights, districts, organisations
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
