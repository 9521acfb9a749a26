"""Validators that keep personal data out of text the public may read.

Every pattern here runs in time linear in the text: a pattern that may start at
every character of a long run starts only where the run starts (a lookbehind),
quantifiers are bounded or possessive, and the full-name check looks up words in
a set rather than trying hundreds of alternatives at each position. The text is
normalised first (NFKC, format characters such as the zero-width space removed,
Cyrillic and Greek look-alikes read as Latin letters), so that "anna＠haninge.se",
"07０-123 45 67" or "Аnna Andersson" with a Cyrillic А are caught like the plain
ones. A text longer than any text field allows is refused before any pattern runs.
"""

import functools
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .fields import LONG_TEXT

FIRST_NAMES_FILE = Path(__file__).parent / "data" / "first_names.txt"

# Swedish personal identity or coordination number: (YY)YYMMDD, optional - or +,
# then four digits. The month and day are checked loosely so that ordinary
# numbers such as "2026-03-15" (a date) do not match.
PERSONAL_IDENTITY_NUMBER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]|[6-8]\d|9[01])"
    r"\s?[-+]?\s?\d{4}(?!\d)"
)
# The local part starts where a run of its characters starts: otherwise a long
# run with no @ is tried from each of its characters (quadratic time).
EMAIL_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# Swedish phone numbers: 08-123 45 67, 070-123 45 67, +46 70 123 45 67, 0701234567;
# not the month of a date such as 2026-03-15.
PHONE_NUMBER = re.compile(
    r"(?<![\w+])(?<!\d[-/.])(?:\+46|0046|0)\s?\(?\d{1,3}\)?(?:[\s-]?\d){5,8}(?!\d)"
)

# "namn: Kim", "Namnet = …": a name given as such.
NAME_LABEL = re.compile(r"\bnamn(?:et)?\s*+[:=]\s*+\w", re.IGNORECASE)

UPPER = "A-ZÅÄÖÉÜ"
LOWER = "a-zåäöéèüæøá"
# A capitalised word, also double-barrelled (Berg-Olsson) or a surname of a
# particle (af, von, de).
SURNAME = rf"(?:(?:af|av|von|de|van)\s+)?[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
# What follows a first name in a place's or an organisation's name: "Gustav
# Adolfs torg", "Karl Johans väg", "Anna Whitlocks gymnasium".
PLACE_WORDS = re.compile(
    r"\s++(?:torg|väg|gata|gatan|plats|park|skola|gymnasium|kyrka|centrum|"
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
    # Words that follow a name in text written in capitals: "LARS OCH ANNA".
    "Och",
    "Eller",
    "Med",
    "Vid",
    "Från",
    "Till",
    "Som",
    "Har",
    "Var",
    "Kom",
    "Sa",
}


@functools.cache
def first_names() -> frozenset[str]:
    """The common Swedish first names of promises/data/first_names.txt."""
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    )


# A word (or two joined by a hyphen) followed by something shaped like a surname;
# the surname is looked ahead at, so that the next search starts at the next word.
_NAME_CANDIDATE = re.compile(
    rf"(?<![\w-])(\w++)(?:-(\w++))?(?=\s++({SURNAME})(?![\w-]))"
)


class _FullName:
    """A common first name followed by a capitalised word that is not a place:
    "Anna Andersson", "Karl-Erik von Platen"; not "Handens station",
    "Haninge Bostäder" or "Gustav Adolfs torg"."""

    def search(self, value: str):
        names = first_names()
        for match in _NAME_CANDIDATE.finditer(value):
            first, second, surname = match.groups()
            if first not in names or (second is not None and second not in names):
                continue
            surname = surname.split()[-1]
            if surname in NOT_SURNAMES or surname.lower().endswith(PLACE_SUFFIXES):
                continue
            if PLACE_WORDS.match(value, match.end(3)):
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


# Cyrillic and Greek letters that look like Latin ones.
LOOK_ALIKES = str.maketrans(
    "АВЕКМНОРСТХУаеорсухіјѕІЈЅԁһӏԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαινκρυ",
    "ABEKMHOPCTXYaeopcyxijsIJSdhlqwABEZHIKMNOPTYXoaivkpu",
)
# Characters that reverse the direction of the text around them ("trojan source").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ALL_CAPS_WORD = re.compile(r"\b[^\W\d_]{2,}\b")


def normalise(value: str) -> str:
    """The text as the checks read it: compatibility characters (fullwidth ＠ and
    digits, ligatures, non-breaking spaces) as their plain forms, format
    characters (zero-width spaces and joiners, soft hyphens) removed, Cyrillic and
    Greek look-alikes as Latin letters."""
    if value.isascii():
        return value
    text = unicodedata.normalize("NFKC", value)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.translate(LOOK_ALIKES)


def _title_case_capitals(text: str) -> str:
    """ "ANNA ANDERSSON" read as "Anna Andersson"."""
    return ALL_CAPS_WORD.sub(
        lambda word: word[0].capitalize() if word[0].isupper() else word[0], text
    )


def find_personal_data(value: str):
    """What in the text looks like personal data (the description of the first
    pattern that matched), or None. Linear in the length of the text."""
    text = normalise(value)
    folded = text.casefold()
    for pattern, description in PERSONAL_DATA_PATTERNS:
        if pattern is FULL_NAME:
            found = pattern.search(_title_case_capitals(text))
        else:
            found = pattern.search(folded)
        if found:
            return description
    return None


def reject_bidi_controls(value: str) -> None:
    """Refuse the characters that reverse the direction of text around them."""
    if value and BIDI_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Texten innehåller osynliga tecken som vänder skrivriktningen "
                "(till exempel U+202E). Ta bort dem och spara igen."
            ),
            code="bidi_control",
        )


def reject_personal_data(value: str) -> None:
    """Refuse public text that looks like it names or identifies an individual,
    or that holds characters which reverse the direction of the text."""
    if not value:
        return
    if len(value) > LONG_TEXT:
        raise ValidationError(
            _("Texten är för lång (högst %(limit)s tecken)."),
            code="max_length",
            params={"limit": LONG_TEXT},
        )
    reject_bidi_controls(value)
    description = find_personal_data(value)
    if description is not None:
        raise ValidationError(
            _(
                "Texten ser ut att innehålla %(what)s. Publik text får inte "
                "innehålla personuppgifter – ta bort uppgiften och spara igen."
            ),
            code="personal_data",
            params={"what": description},
        )
