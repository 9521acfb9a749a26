"""Text fields with a maximum length that holds everywhere: in the form (the
textarea's `maxlength` and the form field), in the model's validation before any
other validator runs (so that no pattern ever reads a text that is too long), and
in the database (`length_checks()` in the model's Meta)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# A summary, a reason, a comment, a partner's note.
SHORT_TEXT = 4_000
# An introduction, a quarterly report, an evaluation, internal notes.
LONG_TEXT = 20_000


class BoundedTextField(models.TextField):
    def __init__(self, *args, max_length: int = LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def run_validators(self, value):
        if value not in self.empty_values:
            MaxLengthValidator(self.max_length)(value)
        super().run_validators(value)


def length_checks(**limits: int) -> list[models.CheckConstraint]:
    """The database's check that each field is no longer than its limit:
    `length_checks(summary=SHORT_TEXT, internal_notes=LONG_TEXT)`."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit),
            name=f"%(app_label)s_%(class)s_{field}_max_length",
        )
        for field, limit in limits.items()
    ]
