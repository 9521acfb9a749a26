"""The staff export: all of one municipality's data as a ZIP of CSV files.

Records are kept (arkivlagen), and a municipality must be able to take its data
out: to archive it, to move to another system or to answer a request. Unlike the
open data (public/opendata.py, public only), this export holds every field,
internal ones included, with the ids and foreign-key ids that link the rows, the
many-to-many links as tables of their own, and the history of every change.

One CSV per table, as Swedish Excel reads it: UTF-8 with BOM, `;` between the
columns, a header row of the field names. A README.txt in the ZIP describes each
file and its columns. Each table is read with `.iterator(chunk_size=CHUNK_SIZE)`
and its rows are written straight into the ZIP entry, which is built in a
SpooledTemporaryFile: memory stays flat whatever the number of rows, and the
number of queries is one per table.

The lägesbild (OperationalPicture) is confidential: it is exported only to users
with promises.view_operationalpicture (not the coordinator role).
"""

import csv
import datetime
import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.security import client_ip
from promises.models import (
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
from public.opendata import csv_cell
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)

from .models import MunicipalityExportPart

PERMISSION = "promises.export_municipality"
LAGESBILD_PERMISSION = "promises.view_operationalpicture"
CHUNK_SIZE = 2000  # rows per database round trip
SPOOL_SIZE = 16 * 1024 * 1024  # bytes of ZIP kept in memory before spilling to disk
DELIMITER = ";"

security_log = logging.getLogger("medborgarlofte.security")

HISTORY_TYPES = {"+": "skapad", "~": "ändrad", "-": "borttagen"}
COLUMN_DOCS = {
    "user_username": _("användarens användarnamn"),
    "history_id": _("historikradens id"),
    "history_date": _("när ändringen gjordes"),
    "history_change_reason": _("skäl till ändringen"),
    "history_type": _("skapad, ändrad eller borttagen"),
    "history_user_id": _("användaren som gjorde ändringen (id)"),
    "history_user_username": _("användaren som gjorde ändringen (användarnamn)"),
}


@dataclass(frozen=True)
class Table:
    """One CSV file of the export.

    `rows(municipality)` is the queryset of the municipality's rows; `columns` are
    (header, lookup) pairs: by default every concrete field, by its column name
    (`promise_id` for a foreign key).
    """

    filename: str
    description: str
    model: type[models.Model]
    rows: Callable[[Municipality], models.QuerySet]
    extra_columns: tuple[tuple[str, str], ...] = ()
    permission: str | None = None

    @property
    def columns(self) -> list[tuple[str, str]]:
        fields = [(f.attname, f.attname) for f in self.model._meta.concrete_fields]
        return fields + list(self.extra_columns)

    def describe(self, header: str, files: dict) -> str:
        """A column's meaning, in Swedish, for README.txt."""
        field = next(
            (f for f in self.model._meta.concrete_fields if f.attname == header), None
        )
        if field is not None and field.name == "history":
            # A many-to-many history row belongs to a version of its object.
            return str(_("versionen (history_id i %(file)s)")) % {
                "file": files.get(field.related_model)
            }
        if header in COLUMN_DOCS:
            return str(COLUMN_DOCS[header])
        if field is None:
            return header
        if field.name in ("id", "m2m_history_id"):
            return str(_("radens id"))
        name = str(field.verbose_name)
        if field.is_relation:
            if name == field.name.replace("_", " "):  # an auto-created link table
                name = str(field.related_model._meta.verbose_name)
            related = files.get(field.related_model)
            name = (
                str(_("%(name)s (id i %(file)s)")) % {"name": name, "file": related}
                if related
                else str(_("%(name)s (id)")) % {"name": name}
            )
        if field.choices:
            name += str(_(" (kod)"))
        return name


# Scoping: each table's rows of one municipality ----------------------------------


def _lookup(path: str) -> str:
    return path or "pk"


def live(model, path: str | None = None):
    """The model's rows of a municipality, by its path to the municipality."""
    path = model.municipality_path if path is None else path
    return lambda municipality: model._default_manager.filter(
        **{_lookup(path): municipality.pk}
    )


def _ever_belonged(model, path: str, municipality) -> Q:
    """On `model.history`: rows of objects of the municipality, deleted ones too.

    Follows the path one foreign key at a time and accepts a parent that exists
    now or ever existed in its own history, so that the history of a deleted
    activity of a deleted promise is still the municipality's.
    """
    if not path:
        return Q(id=municipality.pk)
    first, _sep, rest = path.partition("__")
    if not rest:
        return Q(**{f"{first}_id": municipality.pk})
    parent = model._meta.get_field(first).related_model
    now = parent._default_manager.filter(**{_lookup(rest): municipality.pk})
    ever = parent.history.filter(_ever_belonged(parent, rest, municipality))
    return Q(**{f"{first}_id__in": now.values("pk")}) | Q(
        **{f"{first}_id__in": ever.values("id")}
    )


def history(model, path: str | None = None):
    path = model.municipality_path if path is None else path
    return lambda municipality: model.history.filter(
        _ever_belonged(model, path, municipality)
    )


def m2m_history(model, field: str, path: str | None = None):
    """The history of a many-to-many field's links (django-simple-history)."""
    versions = history(model, path)
    return lambda municipality: getattr(model.history.model, field).filter(
        history__in=versions(municipality).values("pk")
    )


def _m2m(model, field: str):
    return getattr(model, field).through


def _organisations(municipality):
    """The municipality's own organisations, its police area's, and the shared
    ones its activities and findings name."""
    links = Activity.organisations.through.objects.filter(
        activity__promise__municipality=municipality.pk
    )
    findings = Finding.objects.filter(inventory__promise__municipality=municipality.pk)
    return Organisation.objects.filter(
        Q(municipality=municipality.pk)
        | Q(police_area__municipalities=municipality.pk)
        | Q(pk__in=links.values("organisation_id"))
        | Q(pk__in=findings.values("responsible_id"))
    ).distinct()


def _indicators(municipality):
    """The municipality's own indicators, and the shared ones it has values for."""
    values = IndicatorValue.objects.filter(municipality=municipality.pk)
    return Indicator.objects.filter(
        Q(municipality=municipality.pk) | Q(pk__in=values.values("indicator_id"))
    )


CHANNEL_PATH = "report__promise__municipality"
OUTCOME_PATH = "evaluation__promise__municipality"
USERNAME = (("user_username", "user__username"),)
HISTORY_USERNAME = (("history_user_username", "history_user__username"),)

TABLES = [
    Table("kommun.csv", _("Kommunen."), Municipality, live(Municipality)),
    Table(
        "kommun_personal.csv",
        _("Användarna som arbetar för kommunen (koppling kommun–användare)."),
        _m2m(Municipality, "staff"),
        live(_m2m(Municipality, "staff"), "municipality"),
        extra_columns=USERNAME,
    ),
    Table("kommundelar.csv", _("Kommundelarna."), District, live(District)),
    Table(
        "lokalpolisomraden.csv",
        _("Kommunens lokalpolisområde (det kan tjäna flera kommuner)."),
        PoliceArea,
        lambda municipality: PoliceArea.objects.filter(municipalities=municipality.pk),
    ),
    Table(
        "organisationer.csv",
        _(
            "Kommunens egna organisationer och samverkansparter, lokalpolisområdets "
            "polis och de gemensamma organisationer som deltagit i kommunens "
            "aktiviteter eller ansvarar för dess iakttagelser."
        ),
        Organisation,
        _organisations,
    ),
    Table(
        "medborgarloften.csv",
        _("Medborgarlöftena, ett per år."),
        Promise,
        live(Promise),
    ),
    Table("fokusomraden.csv", _("Löftenas fokusområden."), FocusArea, live(FocusArea)),
    Table(
        "ataganden.csv",
        _("Åtagandena, med interna anteckningar."),
        Commitment,
        live(Commitment),
    ),
    Table("mal.csv", _("Åtagandenas mätbara mål."), Target, live(Target)),
    *[
        Table(
            name,
            description,
            _m2m(Commitment, field),
            live(_m2m(Commitment, field), "commitment__promise__municipality"),
        )
        for name, description, field in [
            (
                "ataganden_problemets_kommundelar.csv",
                _("Var problemet bakom varje åtagande finns (koppling)."),
                "problem_districts",
            ),
            (
                "ataganden_ansvariga.csv",
                _("Vilka organisationer som ansvarar för varje åtagande (koppling)."),
                "responsible_organisations",
            ),
            (
                "ataganden_dialoger.csv",
                _("Trygghetsdialogerna som problemet kom från (koppling)."),
                "source_dialogues",
            ),
        ]
    ],
    Table(
        "aktiviteter.csv",
        _(
            "Aktiviteterna, alla typer och publiceringsnivåer, med interna anteckningar."
        ),
        Activity,
        live(Activity),
    ),
    Table(
        "aktiviteter_kommundelar.csv",
        _("Vilka kommundelar varje aktivitet gällde (koppling)."),
        _m2m(Activity, "districts"),
        live(_m2m(Activity, "districts"), "activity__promise__municipality"),
    ),
    Table(
        "aktiviteter_organisationer.csv",
        _("Vilka organisationer som deltog i varje aktivitet (koppling)."),
        _m2m(Activity, "organisations"),
        live(_m2m(Activity, "organisations"), "activity__promise__municipality"),
    ),
    Table(
        "iakttagelser.csv",
        _("Iakttagelser från trygghetsinventeringarna."),
        Finding,
        live(Finding),
    ),
    Table(
        "dialogamnen.csv",
        _("Det invånarna tog upp på trygghetsdialogerna."),
        DialogueTopic,
        live(DialogueTopic),
    ),
    Table(
        "dialogamnen_kommundelar.csv",
        _("Vilka kommundelar varje ämne från en trygghetsdialog gällde (koppling)."),
        _m2m(DialogueTopic, "districts"),
        live(
            _m2m(DialogueTopic, "districts"),
            "dialoguetopic__dialogue__promise__municipality",
        ),
    ),
    Table(
        "lagesbilder.csv",
        _("Operativa lägesbilder. Sekretess."),
        OperationalPicture,
        live(OperationalPicture),
        permission=LAGESBILD_PERMISSION,
    ),
    Table(
        "indikatorer.csv",
        _(
            "Kommunens indikatorer, och de gemensamma indikatorer som kommunen har "
            "värden för."
        ),
        Indicator,
        _indicators,
    ),
    Table(
        "indikatorer_ataganden.csv",
        _("Vilka av kommunens åtaganden varje indikator ska påverka (koppling)."),
        _m2m(Indicator, "commitments"),
        live(
            _m2m(Indicator, "commitments"),
            "commitment__promise__municipality",
        ),
    ),
    Table(
        "indikatormal.csv",
        _("Åtagandenas mål för indikatorer: utgångsvärde och målvärde."),
        Goal,
        live(Goal),
    ),
    Table(
        "indikatorvarden.csv",
        _("Indikatorvärden för kommunen och dess kommundelar."),
        IndicatorValue,
        live(IndicatorValue),
    ),
    Table(
        "kvartalsrapporter.csv",
        _("Kvartalsrapporterna till invånarna."),
        QuarterlyReport,
        live(QuarterlyReport),
    ),
    Table(
        "rapportkanaler.csv",
        _("Var rapporterna publicerades."),
        ReportChannel,
        live(ReportChannel, CHANNEL_PATH),
    ),
    Table("utvarderingar.csv", _("Årsutvärderingarna."), Evaluation, live(Evaluation)),
    Table(
        "utfall.csv",
        _("Utvärderingarnas utfall per åtagande."),
        CommitmentOutcome,
        live(CommitmentOutcome, OUTCOME_PATH),
    ),
]

# The history (django-simple-history) of the municipality's own objects: one row per
# version, deleted objects included. Shared ones (a police area, shared
# organisations and indicators) are left out: they are others' too.
_HISTORY = [
    ("kommun", Municipality, None, None),
    ("kommundelar", District, None, None),
    ("organisationer", Organisation, None, None),
    ("indikatorer", Indicator, None, None),
    ("medborgarloften", Promise, None, None),
    ("fokusomraden", FocusArea, None, None),
    ("ataganden", Commitment, None, None),
    ("mal", Target, None, None),
    ("aktiviteter", Activity, None, None),
    ("iakttagelser", Finding, None, None),
    ("dialogamnen", DialogueTopic, None, None),
    ("lagesbilder", OperationalPicture, None, LAGESBILD_PERMISSION),
    ("indikatorvarden", IndicatorValue, None, None),
    ("indikatormal", Goal, None, None),
    ("kvartalsrapporter", QuarterlyReport, None, None),
    ("rapportkanaler", ReportChannel, CHANNEL_PATH, None),
    ("utvarderingar", Evaluation, None, None),
    ("utfall", CommitmentOutcome, OUTCOME_PATH, None),
]
TABLES += [
    Table(
        f"historik/{name}.csv",
        format_lazy(
            _("Historik: varje version av raderna i {file}, även borttagna."),
            file=f"{name}.csv",
        ),
        model.history.model,
        history(model, path),
        extra_columns=HISTORY_USERNAME,
        permission=permission,
    )
    for name, model, path, permission in _HISTORY
]
TABLES += [
    Table(
        f"historik/{name}.csv",
        format_lazy(
            _("Historik: kopplingarna i {file} vid varje version i {history}."),
            file=f"{name}.csv",
            history=f"historik/{parent}.csv",
        ),
        getattr(model.history.model, field).model,
        m2m_history(model, field),
    )
    for name, parent, model, field in [
        ("kommun_personal", "kommun", Municipality, "staff"),
        ("aktiviteter_kommundelar", "aktiviteter", Activity, "districts"),
        ("aktiviteter_organisationer", "aktiviteter", Activity, "organisations"),
        ("dialogamnen_kommundelar", "dialogamnen", DialogueTopic, "districts"),
    ]
]


def tables_for(user) -> list[Table]:
    return [t for t in TABLES if not t.permission or user.has_perm(t.permission)]


def left_out_for(user) -> list[str]:
    """What the user's export leaves out for want of a permission, in Swedish."""
    if includes_lagesbild(user):
        return []
    return [
        str(
            _(
                "Operativa lägesbilder (lagesbilder.csv och dess historik): de är "
                "sekretess och du saknar behörighet att läsa dem."
            )
        )
    ]


# Writing ---------------------------------------------------------------------------


def _iso_date(value: datetime.date) -> str:
    return value.isoformat()


def _yes_no(value: bool) -> str:
    return csv_cell(bool(value))


# Values written as they are (None is an empty cell). Every other type goes through
# opendata.csv_cell, so that no text is ever read as a formula.
AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
}
CONVERTERS = {
    "DateField": _iso_date,
    "BooleanField": _yes_no,
}


def _converter(model, attname: str) -> Callable[[object], object] | None:
    """How a column's values are written; None: as they are."""
    if attname == "history_type":
        return HISTORY_TYPES.get
    try:
        kind = next(
            f for f in model._meta.concrete_fields if f.attname == attname
        ).get_internal_type()
    except StopIteration:  # an extra column, e.g. a user name
        return csv_cell
    if kind in AS_IS:
        return None
    if kind == "DateTimeField":  # local time, with its offset from UTC
        zone = timezone.get_current_timezone()
        return lambda value: value.astimezone(zone).isoformat()
    return CONVERTERS.get(kind, csv_cell)


def write_table(archive: zipfile.ZipFile, table: Table, municipality) -> int:
    """Write one table into the ZIP, row by row; return the number of rows.

    Per cell only the conversion its column needs: at 100 000 activities the
    export writes millions of cells.
    """
    headers, lookups = zip(*table.columns, strict=True)
    converters = [
        (i, convert)
        for i, header in enumerate(headers)
        if (convert := _converter(table.model, header))
    ]
    rows = (
        table.rows(municipality)
        .order_by("pk")
        .values_list(*lookups)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    entry = archive.open(table.filename, "w", force_zip64=True)
    with io.TextIOWrapper(entry, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text, delimiter=DELIMITER)
        writer.writerow(headers)
        count = 0
        for values in rows:
            row = list(values)
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            writer.writerow(row)
            count += 1
    return count


def readme(municipality, user, exported_at, counts: list[tuple[Table, int]]) -> str:
    files = {t.model: t.filename for t, _count in counts}
    lines = [
        str(_("Export av all data för %(name)s")) % {"name": municipality.name},
        "",
        str(_("Exporterad: %(time)s"))
        % {"time": timezone.localtime(exported_at).strftime("%Y-%m-%d %H:%M:%S %Z")},
        str(_("Exporterad av: %(user)s")) % {"user": user.get_username()},
        "",
        str(
            _(
                "Varje tabell är en CSV-fil i UTF-8 med BOM, med semikolon (;) mellan "
                "kolumnerna och kolumnernas namn på första raden, så att Excel öppnar "
                "den. Alla fält ingår, även interna. Raderna kopplas ihop med id: en "
                "kolumn som slutar på _id är id:t för en rad i en annan fil. Tid anges "
                "i svensk tid enligt ISO 8601 med avvikelsen från UTC, datum som "
                "ÅÅÅÅ-MM-DD, ja/nej-fält som ja eller nej, val som koder på engelska. "
                "En text som börjar med = + - @ har fått en apostrof (') först, så att "
                "ett kalkylprogram inte läser den som en formel."
            )
        ),
        "",
    ]
    left_out = left_out_for(user)
    if left_out:
        lines += [str(_("Ingår inte:")), *(f"- {item}" for item in left_out), ""]
    for table, count in counts:
        lines += [
            f"{table.filename} ("
            + ngettext("%(count)d rad", "%(count)d rader", count) % {"count": count}
            + ")",
            f"  {table.description}",
        ]
        lines += [
            f"  - {header}: {table.describe(header, files)}"
            for header, _unused in table.columns
        ]
        lines.append("")
    return "\r\n".join(lines)


def write_export(file, municipality, user, exported_at=None) -> None:
    """Write the municipality's export, as `user` may see it, as a ZIP into `file`."""
    exported_at = exported_at or timezone.now()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        counts = [
            (table, write_table(archive, table, municipality))
            for table in tables_for(user)
        ]
        archive.writestr(
            "README.txt",
            readme(municipality, user, exported_at, counts).encode("utf-8-sig"),
        )


def filename(municipality, day: datetime.date) -> str:
    return f"medborgarlofte-{municipality.slug}-{day.isoformat()}.zip"


def includes_lagesbild(user) -> bool:
    return user.has_perm(LAGESBILD_PERMISSION)


def log_export(request, municipality, what: str) -> None:
    """Who asked for or downloaded which municipality's export, to the security
    log; never any data."""
    security_log.info(
        "export %s municipality=%r user=%r ip=%s",
        what,
        municipality.slug,
        request.user.get_username(),
        client_ip(request),
    )


def download_response(job) -> StreamingHttpResponse:
    """A built export as a download, read from the database one part at a time."""
    part_ids = list(job.parts.order_by("number").values_list("pk", flat=True))

    def parts():
        for pk in part_ids:
            yield bytes(
                MunicipalityExportPart.objects.values_list("data", flat=True).get(pk=pk)
            )

    response = StreamingHttpResponse(parts(), content_type="application/zip")
    response["Content-Length"] = job.size
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=filename(job.municipality, timezone.localdate(job.requested_at)),
    )
    return response
