"""How an indicator's value is shown to the public: the one place that formats it.

Counts from the confidential incident reports (an indicator with `hides_small_counts`)
under SMALL_COUNT_LIMIT are never shown as a number, only as "färre än 5", on
every page, chart, table and open-data file. The database keeps the real count
for staff.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

SMALL_COUNT_LIMIT = 5
MINUS = "\u2212"  # a real minus sign, as in "−2", for people to read
# Units that only say what kind of number it is: written as a heading, never after
# each value ("6", not "6 antal"; "2,3", not "2,3 index").
NOT_WRITTEN_AFTER_VALUES = {"antal", "st", "st.", "stycken", "index"}
SHORT_UNIT = 3  # "%", "‰", "kr": after each value; longer ones head the column


def is_hidden(value, hides_small_counts: bool) -> bool:
    """Whether the value is a small count the public may not see."""
    return (
        bool(hides_small_counts)
        and value is not None
        and Decimal(value) < SMALL_COUNT_LIMIT
    )


def format_number(value, places: int | None = None) -> str:
    """A measured value as people write it: 28,5 (not 28,500); with `places`
    decimals when given, so that a series reads 2,3 and 2,0, not 2,3 and 2."""
    value = Decimal(value)
    if places is None:
        value = value.normalize()
    else:
        value = value.quantize(Decimal(1).scaleb(-places))
    return f"{value:f}".replace(".", ",").replace("-", MINUS)


def decimal_places(values) -> int:
    """The decimals a series needs to write each of its values exactly (at most 3)."""
    exponents = [
        Decimal(v).normalize().as_tuple().exponent for v in values if v is not None
    ]
    return min(max([0, *(-exponent for exponent in exponents)]), 3)


def unit_after_value(unit: str) -> str:
    """What follows each value in a table: a short unit (" %"); nothing for
    "antal" or "index", nor for a long one ("per 1 000 invånare"), which the
    column's heading names instead (a phone's narrow column)."""
    unit = (unit or "").strip()
    if unit.lower() in NOT_WRITTEN_AFTER_VALUES or len(unit) > SHORT_UNIT:
        return ""
    return f" {unit}" if unit else ""


def small_count_text() -> str:
    return _("färre än %(limit)d") % {"limit": SMALL_COUNT_LIMIT}


def shown_value(
    value, hides_small_counts: bool = False, places: int | None = None
) -> str:
    """The value as the public sees it: "28,5", "−2", "färre än 5", or "saknas"."""
    if value is None:
        return _("saknas")
    if is_hidden(value, hides_small_counts):
        return small_count_text()
    return format_number(value, places)
