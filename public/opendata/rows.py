"""The datasets' rows: one function per dataset, from a published promise's public
querysets only (see the package's docstring)."""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from promises.models import (
    Activity,
    Commitment,
    DialogueTopic,
    Finding,
    Kind,
    Organisation,
    Promise,
    parties_in_words,
)
from promises.progress import promise_progress
from reports.display import is_hidden, shown_value
from reports.models import Goal, IndicatorValue, without_revealing_totals

from .columns import Row

CHUNK_SIZE = 2000  # rows per database round trip


def _labels(choices) -> dict[str, str]:
    """{value: label} of a choices class, translated once rather than per row."""
    return {value: str(label) for value, label in choices.choices}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def activity_rows(promise: Promise) -> Iterator[Row]:
    """Activities public in detail, oldest first.

    Read as plain values, CHUNK_SIZE rows at a time, with the districts and
    organisations of each chunk in one query each: model instances and
    prefetch_related take several times as long at 100 000 rows.
    """
    activities = (
        Activity.objects.public_in_detail()
        .filter(promise=promise)
        .order_by("starts_at", "pk")
        .values_list(
            "pk",
            "starts_at",
            "kind",
            "title",
            "summary",
            "place_type",
            "venue",
            "participants",
            "residents_met",
            "district_reason",
            "residents_raised",
        )
    )
    kinds = _labels(Activity.Kind)

    def own_kind(code: str) -> str:
        """The municipality's own kinds' names: one query, at the first one."""
        kinds.update(
            Kind.objects.filter(municipality=promise.municipality_id).values_list(
                "code", "name"
            )
        )
        return kinds.setdefault(code, code)

    places = _labels(Activity.PlaceType)
    tz = timezone.get_current_timezone()
    for chunk in itertools.batched(
        activities.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE
    ):
        ids = [row[0] for row in chunk]
        districts = _names(Activity.districts.through, "district", ids)
        organisations = _names(Activity.organisations.through, "organisation", ids)
        commitments = _commitments(ids)
        for (
            pk,
            starts_at,
            kind,
            title,
            summary,
            place_type,
            venue,
            participants,
            residents_met,
            district_reason,
            residents_raised,
        ) in chunk:
            yield {
                "id": pk,
                "datum": starts_at.astimezone(tz).date().isoformat(),
                "typ": kind,
                "typ_namn": kinds.get(kind) or own_kind(kind),
                "rubrik": title,
                "sammanfattning": summary or None,
                "kommundelar": districts.get(pk, []),
                "organisationer": organisations.get(pk, []),
                "atagande_id": commitments.get(pk, []),
                "platstyp": place_type or None,
                "platstyp_namn": places.get(place_type),
                "lokal": venue or None,
                "antal_medverkande": participants,
                "antal_invanare": residents_met,
                "varfor_kommundelen": district_reason or None,
                "invanarna_tog_upp": residents_raised or None,
            }


def _linked_names(through, owner: str, field: str, ids: list[int]) -> dict[int, list]:
    """{id of the owner (an activity, a commitment, a dialogue topic): names of its
    linked districts or organisations, sorted}. One query."""
    names = defaultdict(list)
    rows = (
        through.objects.filter(**{f"{owner}_id__in": ids})
        .order_by(f"{field}__name")
        .values_list(f"{owner}_id", f"{field}__name")
    )
    for owner_id, name in rows:
        names[owner_id].append(name)
    return names


def _names(through, field: str, activity_ids: list[int]) -> dict[int, list[str]]:
    return _linked_names(through, "activity", field, activity_ids)


def _commitments(activity_ids: list[int]) -> dict[int, list[int]]:
    """{activity id: the ids of the commitments it delivers, in order}. One query."""
    commitments = defaultdict(list)
    for activity_id, commitment_id in (
        Activity.commitments.through.objects.filter(activity_id__in=activity_ids)
        .order_by("commitment_id")
        .values_list("activity_id", "commitment_id")
    ):
        commitments[activity_id].append(commitment_id)
    return commitments


def summary_rows(promise: Promise) -> Iterator[Row]:
    """Counts of public activities per quarter, kind and place type."""
    for row in Activity.objects.public().filter(promise=promise).per_quarter():
        yield {
            "ar": row["year"],
            "kvartal": row["quarter"],
            "typ": row["kind"],
            "typ_namn": str(row["kind_label"]),
            "platstyp": row["place_type"] or None,
            "platstyp_namn": str(row["place_label"]) or None,
            "antal": row["count"],
        }


def deployment_week_rows(promise: Promise) -> Iterator[Row]:
    """The weeks with a joint deployment held, and nothing more about them."""
    deployments = Activity.objects.public().filter(
        promise=promise, kind=Activity.Kind.DEPLOYMENT
    )
    for year, week in deployments.weeks_held():
        yield {"ar": year, "vecka": week}


def progress_rows(promise: Promise) -> Iterator[Row]:
    """One row per target: the status and numbers the overview shows."""
    progress = promise_progress(promise)
    parties = _parties_by_commitment(
        list({p.target.commitment_id for p in progress.targets})
    )
    for target_progress in progress.targets:
        target = target_progress.target
        commitment = target.commitment
        measured = bool(target_progress.periods)
        organisations = parties.get(commitment.pk, [])
        yield {
            "atagande_id": commitment.pk,
            "fokusomrade": commitment.focus_area.title,
            "atagande": commitment.title,
            "atagande_text": commitment.description or None,
            "lovar": parties_in_words(organisations) or None,
            "parter": [organisation.name for organisation in organisations],
            "mal_id": target.pk,
            "mal": str(target),
            "typ": target.kind,
            "status": str(target_progress.status.value),
            "status_namn": str(target_progress.status.label),
            "sammanfattning": str(target_progress.summary),
            "antal_aktiviteter": target_progress.activity_count,
            "genomfort": target_progress.done if measured else None,
            "kravs": target_progress.required if measured else None,
            "vantat_hittills": target_progress.expected if measured else None,
            "procent": target_progress.percent if measured else None,
            "senast": _date(target_progress.latest),
            "beraknat": progress.as_of.isoformat(),
        }


def _parties_by_commitment(ids: list[int]) -> dict[int, list[Organisation]]:
    """{commitment id: the organisations that promise it, by name}. One query."""
    parties = defaultdict(list)
    for link in (
        Commitment.responsible_organisations.through.objects.filter(
            commitment_id__in=ids
        )
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        parties[link.commitment_id].append(link.organisation)
    return parties


def period_rows(promise: Promise) -> Iterator[Row]:
    """One row per target and period: the tables on the commitment pages."""
    progress = promise_progress(promise)
    for target_progress in progress.targets:
        target = target_progress.target
        for period in target_progress.periods:
            yield {
                "atagande_id": target.commitment_id,
                "mal_id": target.pk,
                "period": str(period.label),
                "start": period.start.isoformat(),
                "slut": period.end.isoformat(),
                "kravs": period.required,
                "vantat_hittills": period.expected,
                "genomfort": period.done,
                "kommundelar": period.districts,
                "uppfyllt": period.met,
                "avslutad": period.ended,
            }


def finding_rows(promise: Promise) -> Iterator[Row]:
    """Findings of the safety inventories that are public in detail."""
    findings = (
        Finding.objects.public()
        .filter(inventory__promise=promise)
        .order_by("inventory__starts_at", "inventory_id", "pk")
        .values(
            "id",
            "place",
            "category",
            "description",
            "status",
            "fixed_on",
            "planned_on",
            "referred_to",
            "not_fixed_reason",
            "reopened_on",
            "times_reopened",
            "inventory_id",
            district_name=F("district__name"),
            responsible_name=F("responsible__name"),
            inventory_starts_at=F("inventory__starts_at"),
        )
    )
    categories = _labels(Finding.Category)
    statuses = _labels(Finding.Status)
    for finding in findings.iterator(chunk_size=CHUNK_SIZE):
        inventory_day = timezone.localdate(finding["inventory_starts_at"])
        fixed_on = finding["fixed_on"]
        yield {
            "id": finding["id"],
            "plats": finding["place"],
            "kategori": finding["category"],
            "kategori_namn": categories[finding["category"]],
            "beskrivning": finding["description"] or None,
            "kommundel": finding["district_name"],
            "ansvarig": finding["responsible_name"],
            "status": finding["status"],
            "status_namn": statuses[finding["status"]],
            "atgardat_datum": _date(fixed_on),
            "dagar_till_atgard": (fixed_on - inventory_day).days if fixed_on else None,
            "planerat_datum": _date(finding["planned_on"]),
            "overlamnat_till": finding["referred_to"] or None,
            "skal_ej_atgard": finding["not_fixed_reason"] or None,
            "ateroppnad_datum": _date(finding["reopened_on"]),
            "antal_ateroppningar": finding["times_reopened"],
            "inventering_id": finding["inventory_id"],
            "inventering_datum": inventory_day.isoformat(),
        }


def topic_rows(promise: Promise) -> Iterator[Row]:
    """What residents raised at the dialogues public in detail, with what answers
    it: the commitment, and the finding only where its inventory is public in
    detail. Two queries a chunk (the topics, their districts)."""
    public_finding = Finding.objects.public().filter(pk=OuterRef("finding"))
    topics = (
        DialogueTopic.objects.public()
        .filter(dialogue__promise=promise)
        .order_by("dialogue__starts_at", "dialogue_id", "pk")
        .annotate(finding_is_public=Exists(public_finding))
        .values_list(
            "pk",
            "dialogue_id",
            "dialogue__starts_at",
            "text",
            "place",
            "commitment_id",
            "commitment__title",
            "commitment__promise__status",
            "finding_id",
            "finding_is_public",
            "finding__status",
        )
    )
    statuses = _labels(Finding.Status)
    tz = timezone.get_current_timezone()
    for chunk in itertools.batched(topics.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        districts = _linked_names(
            DialogueTopic.districts.through,
            "dialoguetopic",
            "district",
            [row[0] for row in chunk],
        )
        for (
            pk,
            dialogue_id,
            starts_at,
            text,
            place,
            commitment_id,
            commitment_title,
            commitment_promise_status,
            finding_id,
            finding_is_public,
            finding_status,
        ) in chunk:
            if commitment_promise_status != Promise.Status.PUBLISHED:
                commitment_id = commitment_title = None
            if not finding_is_public:
                finding_id = finding_status = None
            yield {
                "id": pk,
                "dialog_id": dialogue_id,
                "dialog_datum": starts_at.astimezone(tz).date().isoformat(),
                "amne": text,
                "plats": place or None,
                "kommundelar": districts.get(pk, []),
                "atagande_id": commitment_id,
                "atagande": commitment_title,
                "iakttagelse_id": finding_id,
                "iakttagelse_utfall": finding_status,
                "iakttagelse_utfall_namn": statuses.get(finding_status),
            }


def _names_by_commitment(through, field: str, ids: list[int]) -> dict[int, list]:
    return _linked_names(through, "commitment", field, ids)


def problem_rows(promise: Promise) -> Iterator[Row]:
    """The problem behind each commitment that has one recorded. Three queries."""
    commitments = list(
        Commitment.objects.filter(promise=promise)
        .exclude(
            problem="",
            cause_analysis="",
            problem_source="",
            measure_kind="",
            measure_term="",
            problem_since=None,
        )
        .order_by("focus_area__order", "order", "pk")
    )
    ids = [commitment.pk for commitment in commitments]
    districts = _names_by_commitment(
        Commitment.problem_districts.through, "district", ids
    )
    organisations = _names_by_commitment(
        Commitment.responsible_organisations.through, "organisation", ids
    )
    sources = _labels(Commitment.Source)
    kinds = _labels(Commitment.MeasureKind)
    terms = _labels(Commitment.MeasureTerm)
    for commitment in commitments:
        yield {
            "atagande_id": commitment.pk,
            "atagande": commitment.title,
            "problem": commitment.problem or None,
            "kommundelar": districts[commitment.pk],
            "sedan_ar": commitment.problem_since,
            "kalla": commitment.problem_source or None,
            "kalla_namn": sources.get(commitment.problem_source),
            "orsaker": commitment.cause_analysis or None,
            "typ_av_atgard": commitment.measure_kind or None,
            "typ_av_atgard_namn": kinds.get(commitment.measure_kind),
            "tidsperspektiv": commitment.measure_term or None,
            "tidsperspektiv_namn": terms.get(commitment.measure_term),
            "ansvariga": organisations[commitment.pk],
        }


def goal_rows(promise: Promise) -> Iterator[Row]:
    """Each commitment's goals for indicators. One query."""
    goals = (
        Goal.objects.filter(commitment__promise=promise)
        .order_by("commitment__focus_area__order", "commitment__order", "pk")
        .values(
            "commitment_id",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_by",
            commitment_title=F("commitment__title"),
            indicator_name=F("indicator__name"),
            indicator_unit=F("indicator__unit"),
            hides=F("indicator__hides_small_counts"),
        )
    )
    for goal in goals:
        yield {
            "atagande_id": goal["commitment_id"],
            "atagande": goal["commitment_title"],
            "indikator": goal["indicator_name"],
            "enhet": goal["indicator_unit"],
            "utgangsvarde": _decimal(goal["baseline_value"], goal["hides"]),
            "utgangsar": goal["baseline_year"],
            "malvarde": _decimal(goal["target_value"], goal["hides"]),
            "mal_senast": _date(goal["target_by"]),
        }


def _decimal(value, hides_small_counts: bool) -> str | None:
    """A value with a decimal point; None for a small count that is not shown."""
    if is_hidden(value, hides_small_counts):
        return None
    return f"{value.normalize():f}"


def indicator_rows(promise: Promise) -> Iterator[Row]:
    """Indicator values of the promise's municipality, every year and published
    quarter there is; a small count that is not shown has no value, only the
    text (reports.display)."""
    values = (
        without_revealing_totals(
            IndicatorValue.objects.filter(municipality=promise.municipality)
        )
        .order_by(
            "indicator__name",
            "district__name",
            "year",
            F("quarter").asc(nulls_first=True),
        )
        .values(
            "year",
            "quarter",
            "value",
            name=F("indicator__name"),
            unit=F("indicator__unit"),
            source=F("indicator__source"),
            higher_is_better=F("indicator__higher_is_better"),
            hides=F("indicator__hides_small_counts"),
            district_name=F("district__name"),
        )
    )
    municipality = promise.municipality.name
    for value in values.iterator(chunk_size=CHUNK_SIZE):
        hidden = is_hidden(value["value"], value["hides"])
        yield {
            "indikator": value["name"],
            "enhet": value["unit"],
            "kalla": value["source"],
            "hogre_ar_battre": value["higher_is_better"],
            "kommun": municipality,
            "kommundel": value["district_name"],
            "ar": value["year"],
            "kvartal": value["quarter"],
            "varde": None if hidden else float(value["value"]),
            "varde_text": shown_value(value["value"], value["hides"]),
        }
