"""Open data: what the public pages show, as CSV, JSON and a calendar (.ics).

Each dataset is one entry in `DATASETS`: its columns, documented in Swedish for the
people who download it, and a function that yields one dict per row (keys are the
column names, values are JSON-ready: str, int, bool, list of str or None). Adding a
dataset is adding one entry; the index page, the downloads and the tests pick it up.

Every row function takes a *published* promise and reads only the public querysets
(`Activity.objects.public()` and friends, `Finding.objects.public()`, the computed
progress). Police work that is public only in aggregate appears as counts per
quarter and weeks held, never row by row. Large querysets are read with
`.iterator(chunk_size=CHUNK_SIZE)` and the writers yield the output in pieces, so a
download of 100 000 rows runs in flat memory.
"""

import csv
import datetime
import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from promises.models import Activity, Commitment, DialogueTopic, Finding, Promise
from promises.progress import promise_progress
from reports.display import is_hidden, shown_value
from reports.models import Goal, IndicatorValue

CHUNK_SIZE = 2000  # rows per database round trip
PIECE_SIZE = 64 * 1024  # characters per piece of a streamed response
LIST_SEPARATOR = "; "  # between the items of a list in a CSV cell
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, object]


# Column types, as the documentation names them.
INTEGER = _("heltal")
TEXT = _("text")
DATE = _("datum")
CODE = _("kod")
TEXT_LIST = _("textlista")
YES_NO = _("ja/nej")
DECIMAL = _("decimaltal")

TYPE_DOCS = {
    INTEGER: _("Ett heltal. Tomt (CSV) eller null (JSON) när uppgiften saknas."),
    TEXT: _("Fri text. Tomt (CSV) eller null (JSON) när uppgiften saknas."),
    DATE: _("Ett datum i svensk tid, ÅÅÅÅ-MM-DD."),
    CODE: _(
        "Ett fast värde på engelska som program kan lita på, t.ex. dialogue. "
        "Kolumnen bredvid med _namn i slutet har samma sak i klartext."
    ),
    TEXT_LIST: _(
        "Flera textvärden. I CSV åtskilda av semikolon och mellanslag (; ), "
        "i JSON en lista."
    ),
    YES_NO: _("I CSV ja eller nej, i JSON true eller false."),
    DECIMAL: _("Ett tal med punkt som decimaltecken, t.ex. 28.5."),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Dataset:
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Promise], Iterable[Row]]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _labels(choices) -> dict[str, str]:
    """{value: label} of a choices class, translated once rather than per row."""
    return {value: str(label) for value, label in choices.choices}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# The datasets ---------------------------------------------------------------------


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
    places = _labels(Activity.PlaceType)
    tz = timezone.get_current_timezone()
    for chunk in itertools.batched(
        activities.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE
    ):
        ids = [row[0] for row in chunk]
        districts = _names(Activity.districts.through, "district", ids)
        organisations = _names(Activity.organisations.through, "organisation", ids)
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
                "typ_namn": kinds[kind],
                "rubrik": title,
                "sammanfattning": summary or None,
                "kommundelar": districts.get(pk, []),
                "organisationer": organisations.get(pk, []),
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
    for target_progress in progress.targets:
        target = target_progress.target
        commitment = target.commitment
        measured = bool(target_progress.periods)
        yield {
            "atagande_id": commitment.pk,
            "fokusomrade": commitment.focus_area.title,
            "atagande": commitment.title,
            "atagande_text": commitment.description or None,
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
        IndicatorValue.objects.filter(municipality=promise.municipality)
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


KIND_DOC = _(
    "Typ av aktivitet: inventory (trygghetsinventering), presence (synlig närvaro), "
    "youth_visit (besök i ungdomsmiljö), deployment (fredagsutsättning), "
    "youth_coordination (samverkan kring unga i riskzon), traffic "
    "(trafiksäkerhetsinsats), dialogue (trygghetsdialog) eller other (övrigt)."
)
PLACE_DOC = _(
    "Typ av plats: public_transport (kollektivtrafik), hub (kommunikationspunkt), "
    "centre (centrumanläggning), youth_environment (ungdomsmiljö), school (skola) "
    "eller other (annan plats). Tomt om det inte angetts."
)

OUTCOME_DOC = _(
    "Utfallet: open (ej åtgärdat), planned (planerat), referred (överlämnat), "
    "not_fixed (åtgärdas inte) eller fixed (åtgärdat)."
)

DATASETS: dict[str, Dataset] = {
    "aktiviteter": Dataset(
        title=_("Aktiviteter"),
        description=_(
            "Genomförda aktiviteter som visas i detalj på webbplatsen, en rad per "
            "aktivitet, äldst först. Polisens insatser finns inte här: de redovisas "
            "bara som antal, i sammanställningen och veckorna med utsättning."
        ),
        columns=(
            Column(
                "id",
                INTEGER,
                _("Aktivitetens nummer. Dess sida är …/aktivitet/<id>/."),
            ),
            Column("datum", DATE, _("Dagen då aktiviteten genomfördes.")),
            Column("typ", CODE, KIND_DOC),
            Column("typ_namn", TEXT, _("Typen av aktivitet i klartext.")),
            Column("rubrik", TEXT, _("Aktivitetens rubrik.")),
            Column("sammanfattning", TEXT, _("Vad som gjordes.")),
            Column("kommundelar", TEXT_LIST, _("Kommundelarna där det skedde.")),
            Column(
                "organisationer",
                TEXT_LIST,
                _("Organisationerna som deltog: polisen, kommunen, samverkansparter."),
            ),
            Column("platstyp", CODE, PLACE_DOC),
            Column("platstyp_namn", TEXT, _("Typen av plats i klartext.")),
            Column(
                "lokal",
                TEXT,
                _("Lokalen eller adressen, för trygghetsdialoger: där mötet hölls."),
            ),
            Column(
                "antal_medverkande",
                INTEGER,
                _("Antal medverkande från organisationerna."),
            ),
            Column(
                "antal_invanare",
                INTEGER,
                _(
                    "Antal invånare som deltog eller möttes; för en trygghetsdialog "
                    "antalet besökare."
                ),
            ),
            Column(
                "varfor_kommundelen",
                TEXT,
                _("För trygghetsinventeringar: varför kommundelen valdes."),
            ),
            Column(
                "invanarna_tog_upp",
                TEXT,
                _("För trygghetsdialoger: vad invånarna tog upp."),
            ),
        ),
        rows=activity_rows,
    ),
    "sammanstallning": Dataset(
        title=_("Sammanställning per kvartal"),
        description=_(
            "Antal genomförda aktiviteter per kvartal, typ och typ av plats, även "
            "polisens insatser som inte visas en och en. En rad per kombination "
            "som förekommer."
        ),
        columns=(
            Column("ar", INTEGER, _("År.")),
            Column("kvartal", INTEGER, _("Kvartal, 1–4.")),
            Column("typ", CODE, KIND_DOC),
            Column("typ_namn", TEXT, _("Typen av aktivitet i klartext.")),
            Column("platstyp", CODE, PLACE_DOC),
            Column("platstyp_namn", TEXT, _("Typen av plats i klartext.")),
            Column("antal", INTEGER, _("Antal genomförda aktiviteter.")),
        ),
        rows=summary_rows,
    ),
    "utsattningsveckor": Dataset(
        title=_("Veckor med fredagsutsättning"),
        description=_(
            "Veckorna då polisen och kommunen har hållit en gemensam utsättning. "
            "Tider, platser och bemanning redovisas inte."
        ),
        columns=(
            Column("ar", INTEGER, _("År enligt ISO 8601-veckonumreringen.")),
            Column("vecka", INTEGER, _("Veckonummer, 1–53.")),
        ),
        rows=deployment_week_rows,
    ),
    "framsteg": Dataset(
        title=_("Framsteg per mål"),
        description=_(
            "Hur långt kommunen och polisen har kommit med varje mål i löftet, "
            "beräknat av det som genomförts. Samma siffror som på webbplatsen."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("fokusomrade", TEXT, _("Fokusområdet åtagandet hör till.")),
            Column("atagande", TEXT, _("Åtagandets korta rubrik.")),
            Column("atagande_text", TEXT, _("Åtagandet i sin helhet.")),
            Column("mal_id", INTEGER, _("Målets nummer.")),
            Column("mal", TEXT, _("Målet, t.ex. ”Trygghetsdialog: 4 per år”.")),
            Column(
                "typ",
                CODE,
                _(
                    "Vad som räknas: en typ av aktivitet (se aktiviteter), report "
                    "(publicerad rapport) eller evaluation (utvärdering)."
                ),
            ),
            Column(
                "status",
                CODE,
                _(
                    "behind (efter), not_started (ej påbörjat), on_track (i fas), "
                    "done (klart) eller no_target (inget mätbart mål)."
                ),
            ),
            Column("status_namn", TEXT, _("Status i klartext.")),
            Column(
                "sammanfattning", TEXT, _("Siffrorna i ord, t.ex. ”3 av 4 fredagar”.")
            ),
            Column(
                "antal_aktiviteter",
                INTEGER,
                _("Genomförda aktiviteter av typen hittills, även de som inte räknas."),
            ),
            Column(
                "genomfort",
                INTEGER,
                _("Det som räknas mot målet hittills. Tomt utan mätbart mål."),
            ),
            Column("kravs", INTEGER, _("Det som krävs för hela löftets period.")),
            Column("vantat_hittills", INTEGER, _("Det som borde vara gjort i dag.")),
            Column("procent", INTEGER, _("Andel av målet för hela perioden, 0–100.")),
            Column("senast", DATE, _("Den senaste genomförda aktiviteten av typen.")),
            Column("beraknat", DATE, _("Dagen då framstegen beräknades.")),
        ),
        rows=progress_rows,
    ),
    "framsteg-perioder": Dataset(
        title=_("Framsteg per mål och period"),
        description=_(
            "Varje måls perioder (vecka, månad, kvartal, halvår eller år) med vad "
            "som krävdes och vad som gjordes."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("mal_id", INTEGER, _("Målets nummer (se framsteg).")),
            Column("period", TEXT, _("Perioden, t.ex. ”kvartal 2 2026”.")),
            Column("start", DATE, _("Periodens första dag.")),
            Column("slut", DATE, _("Periodens sista dag.")),
            Column("kravs", INTEGER, _("Det som krävs under perioden.")),
            Column("vantat_hittills", INTEGER, _("Det som borde vara gjort i dag.")),
            Column("genomfort", INTEGER, _("Det som gjorts under perioden.")),
            Column(
                "kommundelar",
                INTEGER,
                _("Antal olika kommundelar där det gjordes."),
            ),
            Column("uppfyllt", YES_NO, _("Om målet för perioden är uppfyllt.")),
            Column("avslutad", YES_NO, _("Om perioden är slut.")),
        ),
        rows=period_rows,
    ),
    "iakttagelser": Dataset(
        title=_("Iakttagelser från trygghetsinventeringar"),
        description=_(
            "Brister som hittades vid trygghetsinventeringarna och om de har "
            "åtgärdats: ”ni sa, vi gjorde”."
        ),
        columns=(
            Column("id", INTEGER, _("Iakttagelsens nummer.")),
            Column("plats", TEXT, _("Var bristen finns.")),
            Column(
                "kategori",
                CODE,
                _(
                    "lighting (belysning), vegetation (växtlighet och sikt), "
                    "graffiti (klotter och skadegörelse), traffic (trafik och "
                    "övergångsställen), litter (nedskräpning) eller other (övrigt)."
                ),
            ),
            Column("kategori_namn", TEXT, _("Kategorin i klartext.")),
            Column("beskrivning", TEXT, _("Bristen beskriven.")),
            Column("kommundel", TEXT, _("Kommundelen.")),
            Column("ansvarig", TEXT, _("Organisationen som ansvarar för åtgärden.")),
            Column("status", CODE, OUTCOME_DOC),
            Column("status_namn", TEXT, _("Utfallet i klartext.")),
            Column("atgardat_datum", DATE, _("Dagen då bristen åtgärdades.")),
            Column(
                "dagar_till_atgard",
                INTEGER,
                _("Dagar från inventeringen till åtgärden; bara för fixed."),
            ),
            Column(
                "planerat_datum", DATE, _("När åtgärden är planerad; bara för planned.")
            ),
            Column(
                "overlamnat_till",
                TEXT,
                _(
                    "Vem bristen lämnades över till, t.ex. Trafikverket; bara för referred."
                ),
            ),
            Column(
                "skal_ej_atgard",
                TEXT,
                _("Varför bristen inte åtgärdas; bara för not_fixed."),
            ),
            Column(
                "ateroppnad_datum",
                DATE,
                _("Senaste dagen problemet kom tillbaka och bristen öppnades igen."),
            ),
            Column(
                "antal_ateroppningar",
                INTEGER,
                _("Hur många gånger bristen har öppnats igen."),
            ),
            Column(
                "inventering_id",
                INTEGER,
                _("Trygghetsinventeringens nummer (id i aktiviteter)."),
            ),
            Column("inventering_datum", DATE, _("Dagen för trygghetsinventeringen.")),
        ),
        rows=finding_rows,
    ),
    "dialogamnen": Dataset(
        title=_("Ni sa – vi gjorde: ämnen från trygghetsdialoger"),
        description=_(
            "Det invånarna tog upp på trygghetsdialogerna, en rad per ämne, och vad "
            "som svarar mot det: ett åtagande eller en brist från en "
            "trygghetsinventering (utfallet finns i iakttagelser)."
        ),
        columns=(
            Column("id", INTEGER, _("Ämnets nummer.")),
            Column(
                "dialog_id", INTEGER, _("Trygghetsdialogens nummer (id i aktiviteter).")
            ),
            Column("dialog_datum", DATE, _("Dagen för trygghetsdialogen.")),
            Column("amne", TEXT, _("Det invånarna tog upp.")),
            Column("plats", TEXT, _("Var, om det angetts.")),
            Column("kommundelar", TEXT_LIST, _("Kommundelarna ämnet gäller.")),
            Column("atagande_id", INTEGER, _("Åtagandet som svarar mot ämnet.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column(
                "iakttagelse_id",
                INTEGER,
                _("Bristen som svarar mot ämnet (id i iakttagelser)."),
            ),
            Column("iakttagelse_utfall", CODE, OUTCOME_DOC),
            Column("iakttagelse_utfall_namn", TEXT, _("Utfallet i klartext.")),
        ),
        rows=topic_rows,
    ),
    "problem": Dataset(
        title=_("Problemen bakom åtagandena"),
        description=_(
            "Vilket problem varje åtagande ska minska: var och sedan när, var det "
            "syntes, orsakerna, typen av åtgärd och vilka som ansvarar."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column("problem", TEXT, _("Problemet.")),
            Column("kommundelar", TEXT_LIST, _("Var problemet finns.")),
            Column("sedan_ar", INTEGER, _("Året problemet har funnits sedan.")),
            Column(
                "kalla",
                CODE,
                _(
                    "survey (trygghetsmätning), situation (lägesbild), dialogue "
                    "(trygghetsdialog) eller crimes (anmälda brott)."
                ),
            ),
            Column("kalla_namn", TEXT, _("Källan i klartext.")),
            Column("orsaker", TEXT, _("En kort orsaksanalys.")),
            Column(
                "typ_av_atgard",
                CODE,
                _("situational (situationell, platsen) eller social (människorna)."),
            ),
            Column("typ_av_atgard_namn", TEXT, _("Typen av åtgärd i klartext.")),
            Column(
                "tidsperspektiv", CODE, _("short (kortsiktig) eller long (långsiktig).")
            ),
            Column("tidsperspektiv_namn", TEXT, _("Tidsperspektivet i klartext.")),
            Column("ansvariga", TEXT_LIST, _("Organisationerna som ansvarar.")),
        ),
        rows=problem_rows,
    ),
    "mal": Dataset(
        title=_("Mål för indikatorer"),
        description=_(
            "Vad åtagandena ska förändra: en indikator från ett utgångsvärde till "
            "ett målvärde senast ett visst datum. Värdena finns i indikatorer."
        ),
        columns=(
            Column("atagande_id", INTEGER, _("Åtagandets nummer.")),
            Column("atagande", TEXT, _("Åtagandets rubrik.")),
            Column("indikator", TEXT, _("Vad som mäts.")),
            Column("enhet", TEXT, _("Enheten.")),
            Column(
                "utgangsvarde",
                DECIMAL,
                _(
                    "Värdet när arbetet började. Tomt för ett antal under 5 av en "
                    "indikator som inte visar små antal."
                ),
            ),
            Column("utgangsar", INTEGER, _("Året utgångsvärdet gäller.")),
            Column(
                "malvarde",
                DECIMAL,
                _(
                    "Värdet som ska nås. Tomt för ett antal under 5 av en indikator "
                    "som inte visar små antal."
                ),
            ),
            Column("mal_senast", DATE, _("Dagen målvärdet ska vara nått.")),
        ),
        rows=goal_rows,
    ),
    "indikatorer": Dataset(
        title=_("Indikatorer"),
        description=_(
            "Trygghetsmätningens resultat och anmälda brott per kommundel och år, "
            "som används i uppföljningen och utvärderingen, och antal händelser "
            "per kommundel och kvartal från samverkansparternas rapporter."
        ),
        columns=(
            Column("indikator", TEXT, _("Vad som mäts.")),
            Column("enhet", TEXT, _("Enheten, t.ex. % eller per 1 000 invånare.")),
            Column("kalla", TEXT, _("Varifrån siffran kommer.")),
            Column("hogre_ar_battre", YES_NO, _("Om ett högre värde är bättre.")),
            Column("kommun", TEXT, _("Kommunen.")),
            Column("kommundel", TEXT, _("Kommundelen; tomt för hela kommunen.")),
            Column("ar", INTEGER, _("Året värdet gäller.")),
            Column(
                "kvartal",
                INTEGER,
                _("Kvartalet (1–4) för ett antal per kvartal; tomt för hela året."),
            ),
            Column(
                "varde",
                DECIMAL,
                _(
                    "Värdet. Tomt när ett antal händelser är under 5: det visas "
                    "aldrig som tal, se varde_text."
                ),
            ),
            Column(
                "varde_text",
                TEXT,
                _(
                    "Värdet som webbplatsen visar det, med komma som decimaltecken, "
                    "eller ”färre än 5” för ett antal händelser under 5."
                ),
            ),
        ),
        rows=indicator_rows,
    ),
}


# The formats ----------------------------------------------------------------------


class _Echo:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value: object) -> str:
    """A value as CSV text, never read as a formula by a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(map(str, value))
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _in_pieces(parts: Iterable[str]) -> Iterator[str]:
    """Join small strings into pieces of about PIECE_SIZE characters."""
    buffer, size = [], 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= PIECE_SIZE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def csv_stream(dataset: Dataset, promise: Promise) -> Iterator[str]:
    """UTF-8 CSV (RFC 4180): a header row of the column names, then the rows."""
    writer = csv.writer(_Echo())
    names = dataset.column_names

    def lines():
        yield writer.writerow(names)
        for row in dataset.rows(promise):
            yield writer.writerow([csv_cell(row[name]) for name in names])

    return _in_pieces(lines())


def json_stream(dataset: Dataset, promise: Promise) -> Iterator[str]:
    """A JSON array of objects, one per row, keys in column order."""
    names = dataset.column_names

    def parts():
        yield "["
        separator = "\n"
        for row in dataset.rows(promise):
            yield separator
            yield json.dumps({name: row[name] for name in names}, ensure_ascii=False)
            separator = ",\n"
        yield "\n]\n"

    return _in_pieces(parts())


def dialogue_calendar(
    promise: Promise,
    dialogues: Iterable[Activity],
    absolute_url: Callable[[str], str],
) -> bytes:
    """The announced safety dialogues as an iCalendar file (RFC 5545), times in UTC.

    `dialogues` come from `Activity.objects.announced()`, with promise, municipality
    and districts loaded; `absolute_url` turns a path into a full URL.
    """
    municipality = promise.municipality
    calendar = Calendar.new(
        prodid="-//Medborgarlöfte//Trygghetsdialoger//SV",
        name=str(
            _("Trygghetsdialoger i %(municipality)s") % {"municipality": municipality}
        ),
        description=str(
            _("Kommande trygghetsdialoger i medborgarlöftet %(promise)s.")
            % {"promise": promise.title}
        ),
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=datetime.timedelta(days=1),
        url=absolute_url(promise.get_absolute_url()),
        uid=f"promise-{promise.pk}-dialogues@medborgarlofte",
    )
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for dialogue in dialogues:
        url = absolute_url(dialogue.get_absolute_url())
        places = [district.name for district in dialogue.districts.all()]
        description = "\n\n".join(filter(None, [dialogue.summary, url]))
        calendar.add_component(
            Event.new(
                uid=f"activity-{dialogue.pk}@medborgarlofte",
                stamp=stamp,
                start=_utc(dialogue.starts_at),
                end=_utc(dialogue.ends_at) if dialogue.ends_at else None,
                summary=dialogue.title,
                description=description,
                location=", ".join(
                    filter(None, [dialogue.venue, *places, municipality.name])
                ),
                url=url,
            )
        )
    return calendar.to_ical()


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)
