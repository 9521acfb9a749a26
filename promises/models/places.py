"""Where the work happens and who does it: police areas, municipalities, their
districts (kommundelar) and the organisations that take part."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tenancy import unique_name_per_municipality


class PoliceArea(models.Model):
    """A lokalpolisområde. It may serve several municipalities (Haninge and
    Nynäshamn share one): shared by design, so only superusers change it; the
    staff of the municipalities it serves see it."""

    name = models.CharField(
        _("namn"),
        max_length=150,
        unique=True,
        help_text=_("T.ex. ”Lokalpolisområde Södertälje”."),
    )

    municipality_path = None
    visible_through = ("municipalities",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.ensure_organisation()

    def ensure_organisation(self) -> "Organisation":
        """The police area as an organisation that takes part in activities: the
        police of the municipalities it serves. Created and renamed with it."""
        organisation, created = Organisation.objects.get_or_create(
            police_area=self,
            defaults={"name": self.name, "kind": Organisation.Kind.POLICE},
        )
        if not created and organisation.name != self.name:
            organisation.name = self.name
            organisation.save(update_fields=["name"])
        return organisation


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    police_area = models.ForeignKey(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
        help_text=_("Polisen i kommunens aktiviteter är lokalpolisområdet."),
    )
    # The accessibility statement's contact (lagen 2018:1937): a shared mailbox
    # and the switchboard, never a person's own address or number.
    accessibility_email = models.EmailField(
        _("e-post för synpunkter på tillgängligheten"),
        blank=True,
        help_text=_(
            "En funktionsbrevlåda, t.ex. kontaktcenter@kommunen.se. Visas publikt."
        ),
    )
    accessibility_phone = models.CharField(
        _("telefon för synpunkter på tillgängligheten"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[\d\s()-]{5,30}$")],
        help_text=_("Kommunens växel eller kontaktcenter. Visas publikt."),
    )
    accessibility_form_url = models.URLField(
        _("webbformulär för synpunkter"),
        blank=True,
        help_text=_("Om kommunen tar emot synpunkter i ett formulär. Visas publikt."),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        # A plural noun: the admin's two-list widget says "Välj alla användare".
        verbose_name=_("användare"),
        related_name="municipalities",
        blank=True,
        help_text=_("Användare som ser och redigerar kommunens uppgifter."),
    )

    municipality_path = ""
    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        permissions = [
            ("export_municipality", _("Kan exportera all data för kommunen"))
        ]

    def __str__(self) -> str:
        return self.name

    def own_parties(self) -> dict[str, "Organisation"]:
        """The municipality and its police as the parties of a promise:
        {"municipality": its first organisation of that kind, "police": its
        police area's}, those that exist. One query."""
        parties = {}
        for organisation in Organisation.objects.filter(
            Q(municipality=self, kind=Organisation.Kind.MUNICIPALITY)
            | Q(police_area=self.police_area_id, police_area__isnull=False)
        ).order_by("-kind", "pk"):
            parties.setdefault(organisation.kind, organisation)
        return parties


class District(models.Model):
    """A kommundel: the unit of the safety survey and of "in different parts"."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("kortnamn"), max_length=100, allow_unicode=True)

    municipality_path = "municipality"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommundel")
        verbose_name_plural = _("kommundelar")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="district_unique_name_per_municipality",
                violation_error_message=_(
                    "Kommunen har redan en kommundel med det namnet."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="district_unique_slug_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An organisation that takes part in activities or fixes findings: the
    municipality itself and its partners (housing companies, schools, security
    firms…), which belong to one municipality, or a police area's police, which
    belongs to the police area. One with neither is shared, e.g. Trafikverket:
    every municipality's staff choose it, superusers change it."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommunen")
        PARTNER = "partner", _("Samverkanspart")

    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_("Kommunen som organisationen samverkar med."),
    )
    police_area = models.OneToOneField(
        PoliceArea,
        verbose_name=_("lokalpolisområde"),
        on_delete=models.PROTECT,
        related_name="organisation",
        null=True,
        blank=True,
        editable=False,
    )

    municipality_path = "municipality"
    visible_through = ("police_area__municipalities",)
    shared = Q(municipality__isnull=True, police_area__isnull=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["kind", "name"]
        constraints = [
            *unique_name_per_municipality(
                "organisation",
                taken=_("Kommunen har redan en organisation med det namnet."),
                taken_shared=_("Det finns redan en organisation med det namnet."),
                shared_constraint="organisation_unique_name_unless_municipal",
            ),
            # The police are a police area's; everybody else is no police area's.
            models.CheckConstraint(
                condition=Q(kind="police", police_area__isnull=False, municipality=None)
                | (~Q(kind="police") & Q(police_area__isnull=True)),
                name="organisation_police_is_a_police_area",
                violation_error_message=_(
                    "Polisen läggs till som lokalpolisområde, inte som organisation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def takes_part_for(self, municipality: "Municipality") -> bool:
        """Whether the organisation may take part in the municipality's work: its
        own, its police area's, or a shared one."""
        if self.police_area_id is not None:
            return self.police_area_id == municipality.police_area_id
        return self.municipality_id in (None, municipality.pk)
