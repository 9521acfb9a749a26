"""Activities: what the police and the municipality did, or plan to do, for a
promise; what of it the public may see; the operational lägesbild (the police's
confidential picture shared at a deployment, never public) and the police
liaison's quick form for the Friday deployment."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import (
    ExtractIsoYear,
    ExtractQuarter,
    ExtractWeek,
    ExtractYear,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import LONG_TEXT, SHORT_TEXT, BoundedTextField, length_checks
from ..validators import reject_personal_data
from .kinds import (
    DEFAULT_PUBLICATION_LEVEL,
    MAX_COUNT,
    ActivityKind,
    KindField,
    PublicationLevel,
    default_publication_level,
    is_own_kind,
    kind_label,
    own_kinds,
)
from .places import District, Organisation
from .priority import Priority
from .promise import Commitment, Promise
from .publishing import PUBLIC_TEXT_HELP
from .targets import Target


def public_activity(related: str = "", *, in_detail: bool = False) -> models.Q:
    """The condition for an activity the public may see (`related`: the lookup to
    the activity from another model, e.g. "inventory__"), in detail or at least
    in aggregate. The only definition of what is public; used by the querysets."""
    condition = models.Q(
        **{
            f"{related}status": Activity.Status.DONE,
            f"{related}starts_at__lte": timezone.now(),
            f"{related}promise__status": Promise.Status.PUBLISHED,
        }
    )
    if in_detail:
        return condition & models.Q(
            **{f"{related}publication_level": PublicationLevel.DETAIL}
        )
    return condition & ~models.Q(
        **{f"{related}publication_level": PublicationLevel.INTERNAL}
    )


class ActivityQuerySet(models.QuerySet):
    """What the public may see of activities is decided here, and only here."""

    def done(self) -> "ActivityQuerySet":
        return self.filter(status=Activity.Status.DONE)

    def public(self) -> "ActivityQuerySet":
        """Done, already begun, not internal, in a published promise.

        Includes activities public only in aggregate: show those as counts.
        """
        return self.filter(public_activity())

    def public_in_detail(self) -> "ActivityQuerySet":
        return self.filter(public_activity(in_detail=True))

    def in_week_of(self, day: datetime.date) -> "ActivityQuerySet":
        """Those that start in the ISO week (Monday to Sunday, local time) of `day`."""
        monday = day - datetime.timedelta(days=day.weekday())
        start, end = (
            timezone.make_aware(datetime.datetime.combine(d, datetime.time()))
            for d in (monday, monday + datetime.timedelta(days=7))
        )
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def weeks_held(self) -> list[tuple[int, int]]:
        """(ISO year, ISO week) with at least one activity, local time. One query."""
        tz = timezone.get_current_timezone()
        rows = (
            self.annotate(
                iso_year=ExtractIsoYear("starts_at", tzinfo=tz),
                week=ExtractWeek("starts_at", tzinfo=tz),
            )
            .values_list("iso_year", "week")
            .distinct()
            .order_by("iso_year", "week")
        )
        return list(rows)

    def per_quarter(self) -> list[dict]:
        """Counts per kind, place type and quarter (local time). One query."""
        tz = timezone.get_current_timezone()
        rows = list(
            self.annotate(
                year=ExtractYear("starts_at", tzinfo=tz),
                quarter=ExtractQuarter("starts_at", tzinfo=tz),
            )
            .values("kind", "place_type", "year", "quarter")
            .annotate(count=models.Count("id"))
            .order_by("year", "quarter", "kind", "place_type")
        )
        own = own_kinds(row["kind"] for row in rows)
        for row in rows:
            row["kind_label"] = kind_label(row["kind"], own)
            row["place_label"] = (
                Activity.PlaceType(row["place_type"]).label if row["place_type"] else ""
            )
        return rows

    def announced(self) -> "ActivityQuerySet":
        """Upcoming safety dialogues, announced to residents before they happen."""
        return self.filter(
            kind=ActivityKind.DIALOGUE,
            status=Activity.Status.PLANNED,
            starts_at__gt=timezone.now(),
            promise__status=Promise.Status.PUBLISHED,
            publication_level=PublicationLevel.DETAIL,
        )


class Activity(models.Model):
    """Something the police and/or municipality did (or plan to do) for a promise."""

    Kind = ActivityKind
    PublicationLevel = PublicationLevel

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Inställd")

    class PlaceType(models.TextChoices):
        PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik")
        HUB = "hub", _("Kommunikationspunkt")
        CENTRE = "centre", _("Centrumanläggning")
        YOUTH_ENVIRONMENT = "youth_environment", _("Ungdomsmiljö")
        SCHOOL = "school", _("Skola")
        OTHER = "other", _("Annan plats")

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = KindField(_("typ"), max_length=30, choices=ActivityKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DONE
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("slut"), null=True, blank=True)
    districts = models.ManyToManyField(
        District, verbose_name=_("kommundelar"), related_name="activities", blank=True
    )
    place_type = models.CharField(
        _("typ av plats"), max_length=30, choices=PlaceType.choices, blank=True
    )
    venue = models.CharField(
        _("lokal eller adress"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "Var en trygghetsdialog hålls, t.ex. ”Stadsbiblioteket, Storgatan 1”. "
            "Visas publikt, också i kalendern. Aldrig för polisens insatser."
        ),
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("deltagande organisationer"),
        related_name="activities",
        blank=True,
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("åtaganden"),
        related_name="activities",
        blank=True,
        help_text=_(
            "De åtaganden i löftet som aktiviteten genomför. Bara dessa åtagandens "
            "mål räknar den."
        ),
    )
    title = models.CharField(
        _("publik rubrik"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    summary = BoundedTextField(
        _("publik sammanfattning"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    internal_notes = BoundedTextField(
        _("interna anteckningar"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Visas aldrig publikt. Skriv inga uppgifter om enskilda personer."),
    )
    participants = models.PositiveIntegerField(
        _("medverkande från organisationerna"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COUNT)],
    )
    residents_met = models.PositiveIntegerField(
        _("invånare som deltog eller mötts"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COUNT)],
        help_text=_("För en trygghetsdialog: antalet besökare."),
    )
    publication_level = models.CharField(
        _("publicering"),
        max_length=20,
        choices=PublicationLevel.choices,
        blank=True,
        help_text=_(
            "Lämna tomt för typens standard. Polisens insatser visas aldrig i detalj."
        ),
        default="",
    )
    # Kind-specific parts. The operational lägesbild lives in its own model
    # (OperationalPicture) so that only those with permission ever load it.
    not_friday_reason = models.CharField(
        _("skäl till annan dag än fredag"), max_length=300, blank=True
    )
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("prioritering"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Den prioriterade kommundel som aktiviteten svarar mot."),
    )
    district_reason = BoundedTextField(
        _("varför kommundelen valdes"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "För trygghetsinventeringar, t.ex. trygghetsmätningen. Visas publikt: "
            "inga detaljer ur den operativa lägesbilden."
        ),
    )
    residents_raised = BoundedTextField(
        _("vad invånarna tog upp"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=_("För trygghetsdialoger. Visas publikt."),
    )
    is_demo = models.BooleanField(_("demodata"), default=False, editable=False)

    objects = ActivityQuerySet.as_manager()
    municipality_path = "promise__municipality"
    history = HistoricalRecords(m2m_fields=[districts, organisations, commitments])

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-starts_at", "-id"]
        permissions = [
            (
                "log_any_activity_kind",
                _("Kan registrera alla typer av aktiviteter"),
            )
        ]
        indexes = [
            models.Index(
                fields=["promise", "kind", "status", "starts_at"],
                name="activity_progress_idx",
            ),
            # What the public pages count and list (public_activity(): status,
            # publication level, begun), with every column those queries read
            # (the kind and place type per quarter, the id to join the districts),
            # so that they read this index alone instead of the promise's rows in
            # the table (docs/performance.md).
            models.Index(
                fields=[
                    "promise",
                    "status",
                    "kind",
                    "publication_level",
                    "starts_at",
                    "place_type",
                    "id",
                ],
                name="activity_public_idx",
            ),
            # The admin's list in the default ordering: its first page reads 100
            # entries of this index instead of sorting every activity.
            models.Index(
                fields=["-starts_at", "-id"], name="activity_admin_ordering_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participants__isnull=True) | Q(participants__lte=MAX_COUNT)
                )
                & (Q(residents_met__isnull=True) | Q(residents_met__lte=MAX_COUNT)),
                name="activity_counts_plausible",
                violation_error_message=_("Antalet är orimligt stort: högst %(max)s.")
                % {"max": MAX_COUNT},
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("Sluttiden måste vara efter starttiden."),
            ),
            models.CheckConstraint(
                condition=Q(publication_level__in=PublicationLevel.values),
                name="activity_publication_level_valid",
            ),
            # Local weekday (TIME_ZONE): 23:30 on a Friday in Stockholm is a Friday.
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.DEPLOYMENT)
                | Q(starts_at__iso_week_day=5)
                | ~Q(not_friday_reason=""),
                name="activity_deployment_on_friday_or_reason",
                violation_error_message=_(
                    "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."
                ),
            ),
            # A municipality's own kind of police work: clean() (Kind.police_work).
            models.CheckConstraint(
                condition=~Q(
                    kind__in=[
                        kind
                        for kind, level in DEFAULT_PUBLICATION_LEVEL.items()
                        if level != PublicationLevel.DETAIL
                    ]
                )
                | ~Q(publication_level=PublicationLevel.DETAIL),
                name="activity_police_work_not_in_detail",
                violation_error_message=_(
                    "Den här typen av aktivitet får inte visas i detalj publikt."
                ),
            ),
            *length_checks(
                summary=SHORT_TEXT,
                internal_notes=LONG_TEXT,
                district_reason=SHORT_TEXT,
                residents_raised=SHORT_TEXT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localdate(self.starts_at):%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self._default_publication_level()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public page. Queries promise and municipality unless selected."""
        promise = self.promise
        return reverse(
            "public:activity", args=[promise.municipality.slug, promise.year, self.pk]
        )

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        """Remember the promise and time it was read with: moved, it changes the
        counts of the day it left too (promises/rollups.py)."""
        activity = super().from_db(db, field_names, values, *args, **kwargs)
        activity._stored_place = (
            activity.__dict__.get("promise_id"),
            activity.__dict__.get("starts_at"),
        )
        return activity

    @property
    def local_date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    def get_kind_display(self) -> str:
        """The kind's name, built in or the municipality's own (one query)."""
        return kind_label(self.kind)

    def _default_publication_level(self) -> None:
        if not self.publication_level and self.kind:
            self.publication_level = default_publication_level(self.kind) or ""

    def clean(self) -> None:
        super().clean()
        errors = {}
        if is_own_kind(self.kind) and self.promise_id:
            own = own_kinds([self.kind]).get(self.kind)
            if own is None or own.municipality_id != self.promise.municipality_id:
                raise ValidationError(
                    {"kind": _("Välj en typ av aktivitet i löftets kommun.")}
                )
        default = default_publication_level(self.kind) if self.kind else None
        if default and self.publication_level:
            allowed = list(PublicationLevel.values)
            if allowed.index(self.publication_level) < allowed.index(default):
                errors["publication_level"] = _(
                    "%(kind)s får som mest visas som ”%(level)s”."
                ) % {
                    "kind": kind_label(self.kind),
                    "level": PublicationLevel(default).label,
                }
        self._default_publication_level()
        if self.starts_at:
            day = self.local_date
            if self.promise_id and not self.promise.contains(day):
                errors["starts_at"] = _(
                    "Datumet ligger utanför löftets period (%(start)s–%(end)s)."
                ) % {"start": self.promise.starts_on, "end": self.promise.ends_on}
            if (
                self.kind == ActivityKind.DEPLOYMENT
                and day.isoweekday() != Target.Weekday.FRIDAY
                and not self.not_friday_reason.strip()
            ):
                errors["not_friday_reason"] = _(
                    "Utsättningen är inte på en fredag. Ange skälet till den andra dagen."
                )
            if self.ends_at and self.ends_at < self.starts_at:
                errors["ends_at"] = _("Sluttiden måste vara efter starttiden.")
            if self.status == self.Status.DONE and self.starts_at > timezone.now():
                errors["status"] = _(
                    "En aktivitet i framtiden kan inte vara genomförd. Välj ”Planerad”."
                )
        if errors:
            raise ValidationError(errors)


class OperationalPicture(models.Model):
    """The operational lägesbild shared at a deployment. Confidential, never public."""

    activity = models.OneToOneField(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="operational_picture",
    )
    text = BoundedTextField(
        _("operativ lägesbild"),
        max_length=LONG_TEXT,
        help_text=_("Sekretess. Visas aldrig publikt och bara för behöriga."),
    )

    municipality_path = "activity__promise__municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("operativ lägesbild")
        verbose_name_plural = _("operativa lägesbilder")
        ordering = ["-activity__starts_at"]
        constraints = length_checks(text=LONG_TEXT)

    def __str__(self) -> str:
        return str(_("Lägesbild %(date)s")) % {"date": self.activity.local_date}


class FridayDeploymentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ActivityKind.DEPLOYMENT)


class FridayDeployment(Activity):
    """The police liaison's quick form for the weekly Friday deployment."""

    objects = FridayDeploymentManager.from_queryset(ActivityQuerySet)()

    class Meta:
        proxy = True
        verbose_name = _("fredagsutsättning")
        verbose_name_plural = _("fredagsutsättningar")

    def save(self, *args, **kwargs):
        self.kind = ActivityKind.DEPLOYMENT
        super().save(*args, **kwargs)


def _as_activity(signal):
    def forward(sender, signal, **kwargs):
        signal.send(sender=Activity, **kwargs)

    return forward


# django-simple-history records saves of the concrete model only: send the quick
# form's saves on as the Activity's, so that they land in the history too.
for _signal in (
    models.signals.post_save,
    models.signals.pre_delete,
    models.signals.post_delete,
):
    _signal.connect(_as_activity(_signal), sender=FridayDeployment, weak=False)
FridayDeployment._meta.simple_history_manager_attribute = "history"
