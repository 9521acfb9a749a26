"""Validators that keep personal data out of text the public may read."""

import functools
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_NAMES_FILE = Path(__file__).parent / "data" / "first_names.txt"

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

# "namn: Kim", "Namnet = …": a name given as such.
NAME_LABEL = re.compile(r"\bnamn(?:et)?\s*[:=]\s*\w", re.IGNORECASE)

UPPER = "A-ZÅÄÖÉÜ"
LOWER = "a-zåäöéèüæøá"
# A capitalised word, also double-barrelled (Berg-Olsson) or a surname of a
# particle (af, von, de).
SURNAME = rf"(?:(?:af|av|von|de|van)\s+)?[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
# What follows a first name in a place's or an organisation's name: "Gustav
# Adolfs torg", "Karl Johans väg", "Anna Whitlocks gymnasium".
PLACE_WORDS = re.compile(
    r"\s+(?:torg|väg|gata|gatan|plats|park|skola|gymnasium|kyrka|centrum|"
    r"station|gård|backe|allé|stig|bro|hus|hall|huset|hallen|skolan)\b"
)
# A capitalised word after a first name that is a place or an organisation, not
# a surname: "Erik Dahlbergsgatan", "Anna Skolan".
PLACE_SUFFIXES = (
    "vägen",
    "gatan",
    "gränd",
    "torget",
    "platsen",
    "parken",
    "skolan",
    "gården",
    "backen",
    "stigen",
    "stationen",
    "kyrkan",
    "hallen",
    "huset",
    "centrum",
    "allén",
    "bron",
    "dagen",
    "veckan",
)
NOT_SURNAMES = {
    "Centrum",
    "Station",
    "Skola",
    "Park",
    "Torg",
    "Kommun",
    "Bostäder",
    "Fastigheter",
}


@functools.cache
def first_names() -> frozenset[str]:
    """The common Swedish first names of promises/data/first_names.txt."""
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    )


@functools.cache
def _full_name() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, first_names()), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{names})(?:-(?:{names}))?\s+({SURNAME})(?![\w-])")


class _FullName:
    """A common first name followed by a capitalised word that is not a place:
    "Anna Andersson", "Karl-Erik von Platen"; not "Handens station",
    "Haninge Bostäder" or "Gustav Adolfs torg"."""

    def search(self, value: str):
        for match in _full_name().finditer(value):
            surname = match.group(1).split()[-1]
            if surname in NOT_SURNAMES or surname.lower().endswith(PLACE_SUFFIXES):
                continue
            if PLACE_WORDS.match(value, match.end()):
                continue
            return match
        return None


FULL_NAME = _FullName()

PERSONAL_DATA_PATTERNS = [
    (PERSONAL_IDENTITY_NUMBER, _("ett personnummer")),
    (EMAIL_ADDRESS, _("en e-postadress")),
    (PHONE_NUMBER, _("ett telefonnummer")),
    (NAME_LABEL, _("ett namn")),
    (FULL_NAME, _("ett namn på en person")),
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
