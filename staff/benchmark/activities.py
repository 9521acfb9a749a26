"""The big tables of the benchmark data: activities, their districts and
organisations, and the findings of the inventories, as plain rows (rows.py)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from promises.demo import HANINGE, ORGANISATIONS, POLICE
from promises.models import (
    DEFAULT_PUBLICATION_LEVEL,
    Activity,
    ActivityKind,
    Finding,
    Organisation,
    PublicationLevel,
    Target,
)

from .rows import BATCH_SIZE, insert_rows

Kind = ActivityKind
Place = Activity.PlaceType
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


def insert_activities(data, promises, total, weights, districts, organisations):
    """The activities, spread evenly over the days from the first promise's first
    day to today and by weight over the kinds, with their districts and
    organisations, and the findings of the inventories done; written as plain
    rows in batches. Returns the numbers of activities and findings."""
    rnd = data.random
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
    CommitmentLink = Activity.commitments.through
    # Each activity delivers the commitments of its promise with a target of its
    # kind.
    counting = defaultdict(list)
    for promise_id, kind, commitment_id in (
        Target.objects.filter(commitment__promise__in=promises)
        .order_by("pk")
        .values_list("commitment__promise_id", "kind", "commitment_id")
    ):
        counting[promise_id, kind].append(commitment_id)
    # The activities fall on the days from the first promise's first day to
    # today, evenly: years of history, and this year up to today.
    first_day = promises[0].starts_on
    span = (data.today - first_day).days + 1
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
        insert_rows(
            CommitmentLink,
            [
                {"activity_id": pk, "commitment_id": commitment_id}
                for pk, (row, _, _) in rows
                for commitment_id in dict.fromkeys(
                    counting[row["promise_id"], row["kind"]]
                )
            ],
        )
        findings = [
            finding
            for pk, (row, chosen, _) in rows
            if row["kind"] == Kind.INVENTORY and row["status"] == Activity.Status.DONE
            for finding in finding_rows(
                data, pk, row["starts_at"], chosen[0], municipality_org
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
            if friday > data.today or not promise.contains(friday):
                friday -= datetime.timedelta(7)
            if promise.contains(friday):
                day = friday
            else:  # no Friday of this promise has come yet
                not_friday_reason = "Helgdag"
        starts_at = data.aware(day, HOURS[kind])
        if starts_at > data.now:
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


def finding_rows(data, inventory_id, starts_at, district, responsible) -> list[dict]:
    rnd = data.random
    day = timezone.localdate(starts_at)
    findings = []
    for category, place, description in rnd.sample(FINDINGS, rnd.randint(2, 4)):
        status = rnd.choices(FINDING_STATUSES, FINDING_WEIGHTS)[0]
        outcome = {}
        if status == Finding.Status.FIXED:
            outcome["fixed_on"] = min(
                day + datetime.timedelta(rnd.randint(5, 90)), data.today
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
