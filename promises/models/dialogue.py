"""What residents raised at a safety dialogue, and what answers it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import reject_personal_data
from .activity import Activity, public_activity
from .inventory import Finding
from .kinds import ActivityKind
from .places import District
from .promise import Commitment


class DialogueTopicQuerySet(models.QuerySet):
    def public(self) -> "DialogueTopicQuerySet":
        """Topics of safety dialogues the public may see in detail."""
        return self.filter(public_activity("dialogue__", in_detail=True))


class DialogueTopic(models.Model):
    """Something residents raised at a safety dialogue ("ni sa"), and where; linked
    to the commitment or the inventory finding that answers it ("vi gjorde")."""

    dialogue = models.ForeignKey(
        Activity,
        verbose_name=_("trygghetsdialog"),
        on_delete=models.CASCADE,
        related_name="topics",
        limit_choices_to={"kind": ActivityKind.DIALOGUE},
    )
    text = models.CharField(
        _("vad invånarna tog upp"),
        max_length=300,
        validators=[reject_personal_data],
        help_text=_(
            "T.ex. ”Mörkt i gångtunneln”. Visas publikt. Inga personuppgifter."
        ),
    )
    districts = models.ManyToManyField(
        District,
        verbose_name=_("kommundelar"),
        related_name="dialogue_topics",
        blank=True,
    )
    place = models.CharField(
        _("plats"),
        max_length=200,
        blank=True,
        validators=[reject_personal_data],
        help_text=_("Valfritt, t.ex. ”gångtunneln vid stationen”. Visas publikt."),
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("åtagande"),
        on_delete=models.SET_NULL,
        related_name="dialogue_topics",
        null=True,
        blank=True,
        help_text=_("Åtagandet som svarar mot det invånarna tog upp."),
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("iakttagelse"),
        on_delete=models.SET_NULL,
        related_name="dialogue_topics",
        null=True,
        blank=True,
        help_text=_("Bristen från en trygghetsinventering som svarar mot det."),
    )

    objects = DialogueTopicQuerySet.as_manager()
    municipality_path = "dialogue__promise__municipality"
    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("ämne från trygghetsdialog")
        verbose_name_plural = _("ämnen från trygghetsdialogen")
        ordering = ["dialogue", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        errors = {}
        # On the admin's add page the dialogue is new and has no id yet.
        dialogue = DialogueTopic.dialogue.field.get_cached_value(self, None) or (
            self.dialogue if self.dialogue_id else None
        )
        if dialogue is not None:
            if dialogue.kind != ActivityKind.DIALOGUE:
                errors["dialogue"] = _("Ämnen hör bara till trygghetsdialoger.")
            municipality_id = (
                dialogue.promise.municipality_id if dialogue.promise_id else None
            )
            if (
                self.commitment_id
                and municipality_id
                and self.commitment.promise.municipality_id != municipality_id
            ):
                errors["commitment"] = _("Åtagandet hör till en annan kommun.")
            if (
                self.finding_id
                and municipality_id
                and self.finding.inventory.promise.municipality_id != municipality_id
            ):
                errors["finding"] = _("Iakttagelsen hör till en annan kommun.")
        if errors:
            raise ValidationError(errors)
