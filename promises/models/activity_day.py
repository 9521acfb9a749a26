"""The activities' days: what progress counts, kept by promises/rollups.py."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import ActivityKind
from .promise import Commitment, Promise


class ActivityDay(models.Model):
    """Done activities of a promise on one local day, linked to one of its
    commitments, of one kind, with the same organisations and the same districts:
    how many, whether joint (the police and the municipality both took part). (An
    activity linked to two commitments is in a row of each; one linked to none in
    no row: no target counts it.) What progress counts, kept as the activities are
    written (promises/rollups.py), so that a page reads a few thousand rows instead
    of grouping every activity of the year. Never typed; no history."""

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="activity_days"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="activity_days"
    )
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    day = models.DateField()
    joint = models.BooleanField()
    count = models.PositiveIntegerField()
    districts = models.JSONField(default=list)
    organisations = models.JSONField(default=list)

    class Meta:
        verbose_name = _("aktivitetsdag")
        verbose_name_plural = _("aktivitetsdagar")
        # What a page reads: a promise's days of the kinds its targets count.
        indexes = [
            models.Index(fields=["promise", "kind", "day"], name="activity_day_read")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gt=0), name="activity_day_counts_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.kind} {self.day:%Y-%m-%d}: {self.count}"
