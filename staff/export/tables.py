"""The export's tables: one CSV file each, and which rows of a municipality it
holds. Every model of the municipality's data, its many-to-many links, and the
history (django-simple-history) of each, deleted objects included."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)

PERMISSION = "promises.export_municipality"
LAGESBILD_PERMISSION = "promises.view_operationalpicture"


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
        ("mal_kommundelar", "mal", Target, "districts"),
        ("aktiviteter_kommundelar", "aktiviteter", Activity, "districts"),
        ("aktiviteter_organisationer", "aktiviteter", Activity, "organisations"),
        ("aktiviteter_ataganden", "aktiviteter", Activity, "commitments"),
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


def includes_lagesbild(user) -> bool:
    return user.has_perm(LAGESBILD_PERMISSION)
