"""The export's tables: one CSV file each, and which rows of a municipality it
holds. Every model of the municipality's data, its many-to-many links, and the
history (django-simple-history) of each, deleted objects included; what is left
out, and why, in NOT_EXPORTED (staff/tests/test_export.py goes over the models
through the registry, so that a new one cannot be forgotten).

Each table needs the permission to read its model (`view_<model>`): a user gets
what they may read, and the page and README.txt say what they do not."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from incidents.models import IncidentCategory, IncidentReport, Reporter
from promises.models import (
    Activity,
    ActivityDay,
    Commitment,
    DialogueTopic,
    District,
    Finding,
    FocusArea,
    Kind,
    Municipality,
    OperationalPicture,
    Organisation,
    PoliceArea,
    Priority,
    Promise,
    Target,
)
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)

from ..models import MunicipalityExport, MunicipalityExportPart

PERMISSION = "promises.export_municipality"
LAGESBILD_PERMISSION = "promises.view_operationalpicture"


@dataclass(frozen=True)
class Table:
    """One CSV file of the export.

    `rows(municipality)` is the queryset of the municipality's rows; `columns` are
    (header, lookup) pairs: by default every concrete field, by its column name
    (`promise_id` for a foreign key). Reading the table needs the permission to
    read the model whose rows, links or history it holds (`owner_of()`).
    """

    filename: str
    description: str
    model: type[models.Model]
    rows: Callable[[Municipality], models.QuerySet]
    extra_columns: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[tuple[str, str]]:
        fields = [(f.attname, f.attname) for f in self.model._meta.concrete_fields]
        return fields + list(self.extra_columns)

    @property
    def owner(self) -> type[models.Model]:
        return owner_of(self.model)

    @property
    def permission(self) -> str:
        opts = self.owner._meta
        return f"{opts.app_label}.view_{opts.model_name}"


def owner_of(model) -> type[models.Model]:
    """The model whose rows, links or history `model` holds: Activity for
    Activity's history, its districts and their history."""
    model = getattr(model, "instance_type", model)  # a history model's
    return model._meta.auto_created or model  # a many-to-many link's


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
    reports = IncidentReport.objects.filter(district__municipality=municipality.pk)
    return Organisation.objects.filter(
        Q(municipality=municipality.pk)
        | Q(police_area__municipalities=municipality.pk)
        | Q(pk__in=links.values("organisation_id"))
        | Q(pk__in=findings.values("responsible_id"))
        | Q(pk__in=reports.values("organisation_id"))
    ).distinct()


def _indicators(municipality):
    """The municipality's own indicators, and the shared ones it has values for."""
    values = IndicatorValue.objects.filter(municipality=municipality.pk)
    return Indicator.objects.filter(
        Q(municipality=municipality.pk) | Q(pk__in=values.values("indicator_id"))
    )


def _incident_categories(municipality):
    """The municipality's own categories, and the shared ones its reports use."""
    reports = IncidentReport.objects.filter(district__municipality=municipality.pk)
    return IncidentCategory.objects.filter(
        Q(municipality=municipality.pk) | Q(pk__in=reports.values("category_id"))
    )


CHANNEL_PATH = "report__promise__municipality"
OUTCOME_PATH = "evaluation__promise__municipality"
USERNAME = (("user_username", "user__username"),)
REPORTED_BY_USERNAME = (("reported_by_username", "reported_by__username"),)
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
        "typer.csv",
        _("Kommunens egna typer av aktiviteter (de inbyggda finns i koden)."),
        Kind,
        live(Kind),
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
    Table(
        "mal_kommundelar.csv",
        _("Kommundelarna som ett mål räknar, om bara några (koppling)."),
        _m2m(Target, "districts"),
        live(_m2m(Target, "districts"), "target__commitment__promise__municipality"),
    ),
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
        "aktiviteter_ataganden.csv",
        _("Vilka åtaganden varje aktivitet genomför och räknas för (koppling)."),
        _m2m(Activity, "commitments"),
        live(_m2m(Activity, "commitments"), "activity__promise__municipality"),
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
        "prioriterade_kommundelar.csv",
        _(
            "De kommundelar som valts att agera i per kvartal, med skälet och "
            "underlaget när valet gjordes (aktiviteternas priority_id pekar hit)."
        ),
        Priority,
        live(Priority),
    ),
    Table(
        "lagesbilder.csv",
        _("Operativa lägesbilder. Sekretess."),
        OperationalPicture,
        live(OperationalPicture),
    ),
    Table(
        "handelsekategorier.csv",
        _(
            "Kategorierna för händelserapporter: kommunens egna och de gemensamma "
            "som kommunens rapporter använder."
        ),
        IncidentCategory,
        _incident_categories,
    ),
    Table(
        "rapportorer.csv",
        _("Användarna som rapporterar händelser för en samverkanspart."),
        Reporter,
        live(Reporter),
        extra_columns=USERNAME,
    ),
    Table(
        "handelserapporter.csv",
        _(
            "Händelserapporterna från kommunen och samverkansparterna, med interna "
            "anteckningar. Internt, aldrig publikt."
        ),
        IncidentReport,
        live(IncidentReport),
        extra_columns=REPORTED_BY_USERNAME,
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
    ("kommun", Municipality, None),
    ("kommundelar", District, None),
    ("organisationer", Organisation, None),
    ("typer", Kind, None),
    ("indikatorer", Indicator, None),
    ("medborgarloften", Promise, None),
    ("fokusomraden", FocusArea, None),
    ("ataganden", Commitment, None),
    ("mal", Target, None),
    ("aktiviteter", Activity, None),
    ("iakttagelser", Finding, None),
    ("dialogamnen", DialogueTopic, None),
    ("lagesbilder", OperationalPicture, None),
    ("indikatorvarden", IndicatorValue, None),
    ("indikatormal", Goal, None),
    ("kvartalsrapporter", QuarterlyReport, None),
    ("rapportkanaler", ReportChannel, CHANNEL_PATH),
    ("utvarderingar", Evaluation, None),
    ("utfall", CommitmentOutcome, OUTCOME_PATH),
    ("prioriterade_kommundelar", Priority, None),
    ("handelsekategorier", IncidentCategory, None),
    ("rapportorer", Reporter, None),
    ("handelserapporter", IncidentReport, None),
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
    )
    for name, model, path in _HISTORY
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
        ("mal_kommundelar", "mal", Target, "districts"),
        ("aktiviteter_kommundelar", "aktiviteter", Activity, "districts"),
        ("aktiviteter_organisationer", "aktiviteter", Activity, "organisations"),
        ("aktiviteter_ataganden", "aktiviteter", Activity, "commitments"),
        ("dialogamnen_kommundelar", "dialogamnen", DialogueTopic, "districts"),
        ("indikatorer_ataganden", "indikatorer", Indicator, "commitments"),
    ]
]


# What belongs to a municipality and is not in the export, and why. The test goes
# over every model through the registry: each is in TABLES or here.
NOT_EXPORTED = {
    ActivityDay: _(
        "Aktivitetsdagarna (hur många aktiviteter per dag som räknas i "
        "framstegen): de räknas fram ur aktiviteterna och görs om av sig själva."
    ),
    MunicipalityExport: _(
        "Tidigare exporter och vem som beställde dem: det är filer som den här, "
        "inte kommunens data."
    ),
    MunicipalityExportPart: _(
        "Tidigare exporter och vem som beställde dem: det är filer som den här, "
        "inte kommunens data."
    ),
}
# Shared with other municipalities: their present rows are exported, not their
# history (the shared rows of the other models are left out of theirs by scope).
HISTORY_NOT_EXPORTED = {PoliceArea}
# Left out whatever the user's permissions, and why.
ALWAYS_LEFT_OUT = [
    _(
        "Användarnas lösenord, inloggningar och tvåstegsverifiering: de är bara "
        "till för att logga in, och lösenorden sparas inte i klartext."
    ),
    _("Andra kommuners uppgifter."),
    _(
        "Historiken för lokalpolisområdet och för gemensamma organisationer, "
        "indikatorer och händelsekategorier: de delas med andra kommuner."
    ),
    _(
        "Uppladdade CSV-filer som väntar på att importeras: de tas bort efter ett "
        "dygn, och det som importerades finns i tabellerna."
    ),
]
REASONS = {
    OperationalPicture: _("de är sekretess och du saknar behörighet att läsa dem."),
}


def tables_for(user) -> list[Table]:
    return [t for t in TABLES if user.has_perm(t.permission)]


def left_out_for(user) -> list[str]:
    """What the user's export leaves out, and why, in Swedish: the tables they may
    not read, then what is never exported."""
    missing: dict[type[models.Model], list[str]] = {}
    for table in TABLES:
        if not user.has_perm(table.permission):
            missing.setdefault(table.owner, []).append(table.filename)
    left_out = [
        str(_("%(name)s (%(files)s): %(reason)s"))
        % {
            "name": capfirst(model._meta.verbose_name_plural),
            "files": ", ".join(files),
            "reason": REASONS.get(model, _("du saknar behörighet att läsa dem.")),
        }
        for model, files in missing.items()
    ]
    never = dict.fromkeys(str(reason) for reason in NOT_EXPORTED.values())
    return left_out + list(never) + [str(item) for item in ALWAYS_LEFT_OUT]


def includes_lagesbild(user) -> bool:
    return user.has_perm(LAGESBILD_PERMISSION)
