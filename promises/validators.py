"""Validators that keep personal data out of text the public may read."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Swedish personal identity or coordination number: (YY)YYMMDD, optional - or +,
# then four digits. The month and day are checked loosely so that ordinary
# numbers such as "2026-03-15" (a date) do not match.
PERSONAL_IDENTITY_NUMBER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]|[6-8]\d|9[01])"
    r"\s?[-+]?\s?\d{4}(?!\d)"
)
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish phone numbers: 08-123 45 67, 070-123 45 67, +46 70 123 45 67, 0701234567;
# not the month of a date such as 2026-03-15.
PHONE_NUMBER = re.compile(
    r"(?<![\w+])(?<!\d[-/.])(?:\+46|0046|0)\s?\(?\d{1,3}\)?(?:[\s-]?\d){5,8}(?!\d)"
)

PERSONAL_DATA_PATTERNS = [
    (PERSONAL_IDENTITY_NUMBER, _("ett personnummer")),
    (EMAIL_ADDRESS, _("en e-postadress")),
    (PHONE_NUMBER, _("ett telefonnummer")),
]


def reject_personal_data(value: str) -> None:
    """Refuse public text that looks like it names or identifies an individual."""
    for pattern, description in PERSONAL_DATA_PATTERNS:
        if pattern.search(value or ""):
            raise ValidationError(
                _(
                    "Texten ser ut att innehålla %(what)s. Publik text får inte "
                    "innehålla personuppgifter – ta bort uppgiften och spara igen."
                ),
                code="personal_data",
                params={"what": description},
            )
