"""Targets: the measurable part of a commitment, and the words for them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from .kinds import (
    MAX_KINDS_TOGETHER,
    ActivityKind,
    Kind,
    KindField,
    is_own_kind,
    kind_label,
    own_kinds,
)
from .promise import Commitment, parties_in_words


class TargetQuerySet(models.QuerySet):
    pass


class TargetManager(models.Manager.from_queryset(TargetQuerySet)):
    """Every target is read with its kind's own words when the municipality named
    the kind itself (`own_name`, `own_plural`), so that its sentence asks nothing
    more (a subquery on Kind's unique code; null for a built-in kind)."""

    def get_queryset(self):
        own = Kind.objects.filter(code=models.OuterRef("kind"))
        return (
            super()
            .get_queryset()
            .annotate(
                own_name=models.Subquery(own.values("name")[:1]),
                own_plural=models.Subquery(own.values("plural")[:1]),
            )
        )


class Target(models.Model):
    """A measurable part of a commitment: N activities of a kind per period.

    Without a count the commitment is followed up by counting only ("inget
    mätbart mål"). See docs/architecture.md and docs/progress-rules.md.
    """

    REPORT = "report"
    EVALUATION = "evaluation"
    KIND_CHOICES = [
        *ActivityKind.choices,
        (REPORT, _("Publicerad rapport till invånarna")),
        (EVALUATION, _("Utvärdering")),
    ]

    class Period(models.TextChoices):
        WEEK = "week", _("vecka")
        MONTH = "month", _("månad")
        QUARTER = "quarter", _("kvartal")
        HALF_YEAR = "half_year", _("halvår")
        YEAR = "year", _("år")

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("måndag")
        TUESDAY = 2, _("tisdag")
        WEDNESDAY = 3, _("onsdag")
        THURSDAY = 4, _("torsdag")
        FRIDAY = 5, _("fredag")
        SATURDAY = 6, _("lördag")
        SUNDAY = 7, _("söndag")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = KindField(_("vad räknas"), max_length=30, choices=KIND_CHOICES)
    count = models.PositiveSmallIntegerField(
        _("antal"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt om åtagandet saknar ett mätbart antal."),
    )
    period = models.CharField(
        _("per"), max_length=20, choices=Period.choices, default=Period.YEAR
    )
    weekday = models.PositiveSmallIntegerField(
        _("veckodag"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Bara aktiviteter på denna veckodag räknas, en per vecka."),
    )
    min_districts = models.PositiveSmallIntegerField(
        _("minst antal kommundelar"), null=True, blank=True
    )
    joint = models.BooleanField(
        _("gemensamt"),
        default=False,
        help_text=_("Räkna bara aktiviteter där både polisen och kommunen deltog."),
    )
    other_kinds = models.JSONField(
        _("räkna också"),
        default=list,
        blank=True,
        help_text=_(
            "Fler sorters aktiviteter som räknas tillsammans med den första, t.ex. "
            "”5 gånger i veckan: trafikkontroll, skolbesök eller fotpatrull”."
        ),
    )
    districts = models.ManyToManyField(
        "District",
        verbose_name=_("bara i kommundelarna"),
        related_name="counting_targets",
        blank=True,
        help_text=_(
            "Räkna bara aktiviteter i dessa kommundelar, t.ex. kommunens byar. "
            "Inga valda: hela kommunen."
        ),
    )
    party = models.ForeignKey(
        "Organisation",
        verbose_name=_("bara där parten deltog"),
        on_delete=models.PROTECT,
        related_name="counting_targets",
        null=True,
        blank=True,
        help_text=_(
            "Räkna bara aktiviteter där denna part deltog, t.ex. polisen, kommunen "
            "eller Kustbevakningen. Tomt: vem som helst."
        ),
    )

    municipality_path = "commitment__promise__municipality"
    history = HistoricalRecords(m2m_fields=[districts])
    objects = TargetManager()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["commitment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1),
                name="target_count_positive",
                violation_error_message=_("Antalet måste vara minst 1."),
            ),
            models.CheckConstraint(
                condition=Q(min_districts__isnull=True) | Q(min_districts__gte=1),
                name="target_min_districts_positive",
                violation_error_message=_("Antal kommundelar måste vara minst 1."),
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=False)
                | Q(weekday__isnull=True, min_districts__isnull=True),
                name="target_rules_need_count",
                violation_error_message=_(
                    "Veckodag och antal kommundelar kräver att ett antal anges."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__gte=1, weekday__lte=7),
                name="target_weekday_iso",
            ),
            models.CheckConstraint(
                condition=Q(joint=False) | Q(party__isnull=True),
                name="target_joint_or_one_party",
                violation_error_message=_(
                    "Välj antingen ”gemensamt” eller en part, inte båda."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.sentence()

    def get_kind_display(self) -> str:
        if self.kind in (self.REPORT, self.EVALUATION):
            return str(dict(self.KIND_CHOICES)[self.kind])
        own = self.own_words()
        return own[0] if own else kind_label(self.kind)

    def own_words(self) -> tuple[str, str] | None:
        """The name and plural of a kind the municipality named itself (read
        with the target by its manager; else one query), None for a built-in."""
        if not is_own_kind(self.kind):
            return None
        name = getattr(self, "own_name", None)
        if name is None:
            kind = own_kinds([self.kind]).get(self.kind)
            if kind is None:
                return (self.kind, self.kind)
            self.own_name, self.own_plural = kind.name, kind.plural
        return (self.own_name, self.own_plural)

    def nouns(self) -> tuple[str, str, str, str]:
        """One, several, one joint, several joint (TARGET_NOUNS): a kind the
        municipality named itself in its own words ("1 tillsyn", "tillsyner")."""
        own = self.own_words()
        if own is None:
            return TARGET_NOUNS[self.kind]
        one = "1 " + own[0][:1].lower() + own[0][1:]
        return (one, own[1], one, own[1])

    def sentence(self) -> str:
        """What the target means, as a sentence: "Minst 2 gemensamma
        trygghetsinventeringar per halvår", "En gemensam utsättning varje
        fredag". The one place that puts a target in words, for staff and
        residents alike."""
        kinds = self.counted_kinds()
        one, many, joint_one, joint_many = self.nouns()
        if self.joint and len(kinds) == 1:
            one, many = joint_one, joint_many
        if len(kinds) > 1:
            words = self._several_kinds(kinds)
        elif self.count is None:
            words = _("%(things)s räknas %(period)s, utan ett fast antal") % {
                "things": many,
                "period": PER_PERIOD[self.period],
            }
        elif self.weekday:
            words = _("%(one)s varje %(weekday)s") % {
                "one": one,
                "weekday": self.get_weekday_display(),
            }
        elif self.count == 1:
            words = _("Minst %(one)s %(period)s") % {
                "one": one,
                "period": PER_PERIOD[self.period],
            }
        else:
            words = _("Minst %(count)d %(many)s %(period)s") % {
                "count": self.count,
                "many": many,
                "period": PER_PERIOD[self.period],
            }
        if self.joint and len(kinds) > 1:
            words += _(", där både polisen och kommunen deltar")
        if self.party_id:
            words += _(" där %(party)s deltar") % {
                "party": parties_in_words([self.party], capitalise=False)
            }
        districts = self.named_districts()
        if districts:
            words += _(", i %(districts)s") % {
                "districts": get_text_list(
                    [district.name for district in districts], str(_("eller"))
                )
            }
        if self.min_districts:
            words += ngettext(
                ", i minst %(count)d kommundel",
                ", i minst %(count)d olika kommundelar",
                self.min_districts,
            ) % {"count": self.min_districts}
        return words[:1].upper() + words[1:]

    def _several_kinds(self, kinds: list[str]) -> str:
        """ "Minst 5 gånger per vecka: trafiksäkerhetsinsats, besök i
        ungdomsmiljö eller synlig närvaro"."""
        own = own_kinds(kinds)
        if self.count is None:
            return _("%(things)s räknas %(period)s, utan ett fast antal") % {
                "things": get_text_list(
                    [
                        own[kind].plural if kind in own else str(TARGET_NOUNS[kind][1])
                        for kind in kinds
                    ],
                    str(_("och")),
                ),
                "period": PER_PERIOD[self.period],
            }
        listed = get_text_list(
            [str(kind_label(kind, own)).lower() for kind in kinds], str(_("eller"))
        )
        if self.weekday:
            return _("Varje %(weekday)s: %(kinds)s") % {
                "weekday": self.get_weekday_display(),
                "kinds": listed,
            }
        return ngettext(
            "Minst %(count)d gång %(period)s: %(kinds)s",
            "Minst %(count)d gånger %(period)s: %(kinds)s",
            self.count,
        ) % {"count": self.count, "period": PER_PERIOD[self.period], "kinds": listed}

    def counted_kinds(self) -> list[str]:
        """The kinds the target counts: its kind, then the others it counts
        together with it, in the order of the kinds."""
        others = set(self.other_kinds or ()) - {self.kind}
        return [
            self.kind,
            *(k for k in ActivityKind.values if k in others),
            *sorted((k for k in others if is_own_kind(k)), key=_own_order),
        ]

    def named_districts(self) -> list:
        """The districts the target counts only, by name; none for a target
        that counts every district. Uses the prefetched districts; a target
        read by progress that names none (`in_districts`) asks nothing."""
        if self.pk is None or getattr(self, "in_districts", True) is False:
            return []
        return sorted(self.districts.all(), key=lambda district: district.name)

    def district_ids(self) -> frozenset[int]:
        return frozenset(district.pk for district in self.named_districts())

    def clean(self) -> None:
        super().clean()
        others = set(self.other_kinds or ())
        municipality = (
            self.commitment.promise.municipality_id if self.commitment_id else None
        )
        own = {
            code
            for code, kind in own_kinds([self.kind, *others]).items()
            if kind.municipality_id == municipality
        }
        if is_own_kind(self.kind) and self.kind not in own:
            raise ValidationError(
                {"kind": _("Välj en typ av aktivitet i löftets kommun.")}
            )
        if others - set(ActivityKind.values) - own:
            raise ValidationError(
                {"other_kinds": _("Välj bara bland sorterna av aktiviteter.")}
            )
        if len(others) > MAX_KINDS_TOGETHER:
            raise ValidationError(
                {
                    "other_kinds": _("Högst %(max)d sorter räknas tillsammans.")
                    % {"max": MAX_KINDS_TOGETHER}
                }
            )
        if others - {self.kind} and self.kind in (self.REPORT, self.EVALUATION):
            raise ValidationError(
                {
                    "other_kinds": _(
                        "Rapporter och utvärderingar räknas inte tillsammans med "
                        "aktiviteter."
                    )
                }
            )


def _own_order(code: str) -> tuple[int, str]:
    """A municipality's own kinds in the order they were added ("own-12")."""
    return (len(code), code)


# Per kind: one, several, one done jointly, several done jointly (police and
# municipality together); for Target.sentence().
TARGET_NOUNS = {
    ActivityKind.INVENTORY: (
        _("en trygghetsinventering"),
        _("trygghetsinventeringar"),
        _("en gemensam trygghetsinventering"),
        _("gemensamma trygghetsinventeringar"),
    ),
    ActivityKind.PRESENCE: (
        _("en insats med synlig närvaro"),
        _("insatser med synlig närvaro"),
        _("en gemensam insats med synlig närvaro"),
        _("gemensamma insatser med synlig närvaro"),
    ),
    ActivityKind.YOUTH_VISIT: (
        _("ett besök i en ungdomsmiljö"),
        _("besök i ungdomsmiljöer"),
        _("ett gemensamt besök i en ungdomsmiljö"),
        _("gemensamma besök i ungdomsmiljöer"),
    ),
    # A Friday deployment is the police's and the municipality's together.
    ActivityKind.DEPLOYMENT: (
        _("en gemensam utsättning"),
        _("gemensamma utsättningar"),
        _("en gemensam utsättning"),
        _("gemensamma utsättningar"),
    ),
    ActivityKind.YOUTH_COORDINATION: (
        _("ett samverkansmöte om unga i riskzon"),
        _("samverkansmöten om unga i riskzon"),
        _("ett samverkansmöte om unga i riskzon"),
        _("samverkansmöten om unga i riskzon"),
    ),
    ActivityKind.TRAFFIC: (
        _("en trafiksäkerhetsinsats"),
        _("trafiksäkerhetsinsatser"),
        _("en gemensam trafiksäkerhetsinsats"),
        _("gemensamma trafiksäkerhetsinsatser"),
    ),
    ActivityKind.DIALOGUE: (
        _("en trygghetsdialog"),
        _("trygghetsdialoger"),
        _("en gemensam trygghetsdialog"),
        _("gemensamma trygghetsdialoger"),
    ),
    ActivityKind.OTHER: (
        _("en aktivitet"),
        _("aktiviteter"),
        _("en gemensam aktivitet"),
        _("gemensamma aktiviteter"),
    ),
    Target.REPORT: (
        _("en publicerad rapport"),
        _("publicerade rapporter"),
        _("en publicerad rapport"),
        _("publicerade rapporter"),
    ),
    Target.EVALUATION: (
        _("en utvärdering"),
        _("utvärderingar"),
        _("en gemensam utvärdering"),
        _("gemensamma utvärderingar"),
    ),
}
PER_PERIOD = {
    Target.Period.WEEK: _("per vecka"),
    Target.Period.MONTH: _("per månad"),
    Target.Period.QUARTER: _("per kvartal"),
    Target.Period.HALF_YEAR: _("per halvår"),
    Target.Period.YEAR: _("per år"),
}
