"""How an indicator's value is shown to the public: the one place that formats it.

Counts from the confidential incident reports (an indicator with `hides_small_counts`)
under SMALL_COUNT_LIMIT are never shown as a number, only as "färre än 5", on
every page, chart, table and open-data file. The database keeps the real count
for staff.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

SMALL_COUNT_LIMIT = 5


def is_hidden(value, hides_small_counts: bool) -> bool:
    """Whether the value is a small count the public may not see."""
    return (
        bool(hides_small_counts)
        and value is not None
        and Decimal(value) < SMALL_COUNT_LIMIT
    )


def format_number(value) -> str:
    """A measured value as people write it: 28,5 (not 28,500)."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def small_count_text() -> str:
    return _("färre än %(limit)d") % {"limit": SMALL_COUNT_LIMIT}


def shown_value(value, hides_small_counts: bool = False) -> str:
    """The value as the public sees it: "28,5", "färre än 5", or "saknas"."""
    if value is None:
        return _("saknas")
    if is_hidden(value, hides_small_counts):
        return small_count_text()
    return format_number(value)
