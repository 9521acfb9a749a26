"""Safety inventories' findings: problems found on a walk, tracked until fixed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import SHORT_TEXT, BoundedTextField, length_checks
from ..validators import reject_personal_data
from .activity import Activity, public_activity
from .kinds import ActivityKind
from .places import District, Organisation
from .publishing import PUBLIC_TEXT_HELP


class FindingQuerySet(models.QuerySet):
    def public(self) -> "FindingQuerySet":
        """Findings of inventories the public may see in detail."""
        return self.filter(public_activity("inventory__", in_detail=True))


class Finding(models.Model):
    """A problem found on a safety inventory, tracked until it is fixed."""

    class Category(models.TextChoices):
        LIGHTING = "lighting", _("Belysning")
        VEGETATION = "vegetation", _("Växtlighet och sikt")
        GRAFFITI = "graffiti", _("Klotter och skadegörelse")
        TRAFFIC = "traffic", _("Trafik och övergångsställen")
        LITTER = "litter", _("Nedskräpning")
        OTHER = "other", _("Övrigt")

    class Status(models.TextChoices):
        """The outcome: still open, or what was decided. Each decided outcome has
        its own required field (`OUTCOME_FIELDS`)."""

        OPEN = "open", _("Ej åtgärdat")
        PLANNED = "planned", _("Planerat")
        REFERRED = "referred", _("Överlämnat")
        NOT_FIXED = "not_fixed", _("Åtgärdas inte")
        FIXED = "fixed", _("Åtgärdat")

    inventory = models.ForeignKey(
        Activity,
        verbose_name=_("trygghetsinventering"),
        on_delete=models.CASCADE,
        related_name="findings",
        limit_choices_to={"kind": ActivityKind.INVENTORY},
    )
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("kommundel"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    place = models.CharField(
        _("plats"),
        max_length=200,
        validators=[reject_personal_data],
        help_text=_("T.ex. ”gångtunneln vid stationen”. Visas publikt."),
    )
    description = BoundedTextField(
        _("beskrivning"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=PUBLIC_TEXT_HELP,
    )
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("ansvarig organisation"),
        on_delete=models.PROTECT,
        related_name="findings",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("utfall"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    fixed_on = models.DateField(_("åtgärdat datum"), null=True, blank=True)
    planned_on = models.DateField(
        _("planerat datum"),
        null=True,
        blank=True,
        help_text=_("När åtgärden är planerad. Bara för ”Planerat”."),
    )
    referred_to = models.CharField(
        _("överlämnat till"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_(
            "Vem som äger frågan, t.ex. fastighetsägaren eller Trafikverket. "
            "Bara för ”Överlämnat”. Visas publikt: en organisation, aldrig en "
            "privatperson."
        ),
    )
    not_fixed_reason = BoundedTextField(
        _("varför det inte åtgärdas"),
        max_length=SHORT_TEXT,
        blank=True,
        validators=[reject_personal_data],
        help_text=_("Bara för ”Åtgärdas inte”. Visas publikt. Inga personuppgifter."),
    )
    reopened_on = models.DateField(
        _("återöppnad"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Senaste dagen problemet kom tillbaka och iakttagelsen öppnades."),
    )
    times_reopened = models.PositiveSmallIntegerField(
        _("antal gånger återöppnad"), default=0, editable=False
    )

    objects = FindingQuerySet.as_manager()
    municipality_path = "inventory__promise__municipality"
    history = HistoricalRecords()

    # The field each decided outcome requires, and only it: {status: (the field,
    # its empty value, the form's message when it is missing)}.
    OUTCOME_FIELDS = {
        Status.FIXED: ("fixed_on", None, _("Ange när iakttagelsen åtgärdades.")),
        Status.PLANNED: (
            "planned_on",
            None,
            _("Ange när åtgärden är planerad."),
        ),
        Status.REFERRED: (
            "referred_to",
            "",
            _("Ange vem iakttagelsen har lämnats över till."),
        ),
        Status.NOT_FIXED: (
            "not_fixed_reason",
            "",
            _("Ange varför bristen inte åtgärdas. Skälet visas publikt."),
        ),
    }

    class Meta:
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")
        ordering = ["inventory", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="fixed", fixed_on__isnull=False)
                | (~Q(status="fixed") & Q(fixed_on__isnull=True)),
                name="finding_fixed_has_date",
                violation_error_message=_(
                    "Ange datum när iakttagelsen åtgärdades, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="planned", planned_on__isnull=False)
                | (~Q(status="planned") & Q(planned_on__isnull=True)),
                name="finding_planned_has_date",
                violation_error_message=_(
                    "Ange planerat datum när åtgärden är planerad, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="referred") & ~Q(referred_to=""))
                | (~Q(status="referred") & Q(referred_to="")),
                name="finding_referred_has_owner",
                violation_error_message=_(
                    "Ange vem iakttagelsen har lämnats över till, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="not_fixed") & ~Q(not_fixed_reason=""))
                | (~Q(status="not_fixed") & Q(not_fixed_reason="")),
                name="finding_not_fixed_has_reason",
                violation_error_message=_(
                    "Ange varför bristen inte åtgärdas, och bara då."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["open", "planned", "referred", "not_fixed", "fixed"]
                ),
                name="finding_status_valid",
                violation_error_message=_("Välj ett av utfallen i listan."),
            ),
            *length_checks(description=SHORT_TEXT, not_fixed_reason=SHORT_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.place}"

    def save(self, *args, **kwargs):
        # The inventory's district when it walked one: not asked again per finding.
        if self.district_id is None and self.inventory_id is not None:
            districts = list(self.inventory.districts.all()[:2])
            if len(districts) == 1:
                self.district = districts[0]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        for status, (field, empty, missing) in self.OUTCOME_FIELDS.items():
            value = getattr(self, field)
            if isinstance(value, str):
                value = value.strip()
                setattr(self, field, value)
            if self.status == status and value == empty:
                errors[field] = missing
            elif self.status != status and value != empty:
                errors[field] = _(
                    "Fyll bara i det här när utfallet är ”%(outcome)s”."
                ) % {"outcome": status.label}
        if self.fixed_on and self.fixed_on > timezone.localdate():
            errors["fixed_on"] = _("Datumet kan inte ligga i framtiden.")
        # On the admin's add page the inventory is new and has no id yet.
        inventory = Finding.inventory.field.get_cached_value(self, None) or (
            self.inventory if self.inventory_id else None
        )
        if inventory is not None:
            if inventory.kind != ActivityKind.INVENTORY:
                errors["inventory"] = _(
                    "Iakttagelser hör bara till trygghetsinventeringar."
                )
            if (
                self.fixed_on
                and inventory.starts_at
                and self.fixed_on < inventory.local_date
            ):
                errors["fixed_on"] = _(
                    "Iakttagelsen kan inte åtgärdas före inventeringen."
                )
            if (
                self.planned_on
                and inventory.starts_at
                and self.planned_on < inventory.local_date
            ):
                errors["planned_on"] = _(
                    "Åtgärden kan inte planeras till före inventeringen."
                )
            if (
                self.district_id
                and inventory.promise_id
                and self.district.municipality_id != inventory.promise.municipality_id
            ):
                errors["district"] = _("Kommundelen hör till en annan kommun.")
            if (
                self.responsible_id
                and inventory.promise_id
                and not self.responsible.takes_part_for(inventory.promise.municipality)
            ):
                errors["responsible"] = _(
                    "Organisationen samverkar inte med den här kommunen."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        """Nothing decided yet: the resident still waits for an answer."""
        return self.status == self.Status.OPEN

    def days_to_fix(self) -> int | None:
        """Days from the inventory to the fix; None unless fixed. Queries the
        inventory unless selected."""
        if self.status != self.Status.FIXED or not self.fixed_on:
            return None
        return (self.fixed_on - self.inventory.local_date).days

    def reopen(self, *, on: datetime.date | None = None) -> None:
        """The problem came back: open again, the earlier outcome cleared (its
        history keeps it), the day and the count recorded. Saves."""
        for field, empty, _missing in self.OUTCOME_FIELDS.values():
            setattr(self, field, empty)
        self.status = self.Status.OPEN
        self.reopened_on = on or timezone.localdate()
        self.times_reopened += 1
        self.save()
