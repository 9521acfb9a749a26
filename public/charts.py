"""Charts drawn on the server as accessible SVG; each page shows a table beside it."""

from decimal import Decimal

from django.utils.translation import gettext as _

from reports.display import is_hidden, shown_value

BAR_HEIGHT = 14
ROW_HEIGHT = 44
LABEL_WIDTH = 130
CHART_WIDTH = 300


def number(value: Decimal | None, hides_small_counts: bool = False) -> str:
    return shown_value(value, hides_small_counts)


def before_after_chart(indicator, rows: list[dict], before: int, after: int) -> dict:
    """Paired bars per place: the year before the promise and its year.

    Returns what templates/reports/includes/chart.svg needs; no JavaScript. A
    small count that is not shown (reports.display) has no bar, so that its
    length does not tell the number either.
    """
    hides = getattr(indicator, "hides_small_counts", False)

    def drawn(value):
        return None if is_hidden(value, hides) else value

    values = [row[y] for row in rows for y in ("before", "after")]
    values = [value for value in values if drawn(value) is not None]
    largest = max(values, default=Decimal(1)) or Decimal(1)
    bars = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT
        for offset, key, year in [
            (0, "before", before),
            (BAR_HEIGHT + 2, "after", after),
        ]:
            value = row[key]
            width = 0 if drawn(value) is None else int(CHART_WIDTH * value / largest)
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": top + offset,
                    "width": width,
                    "height": BAR_HEIGHT,
                    "kind": key,
                    "label": f"{year}: {number(value, hides)}",
                    "text_x": LABEL_WIDTH + width + 4,
                    "text_y": top + offset + BAR_HEIGHT - 3,
                }
            )
    return {
        "title": indicator.name,
        "description": _(
            "Stapeldiagram per kommundel: värdet %(before)d och %(after)d. "
            "Samma siffror finns i tabellen under diagrammet."
        )
        % {"before": before, "after": after},
        "labels": [
            {"text": row["place"], "y": i * ROW_HEIGHT + BAR_HEIGHT + 4}
            for i, row in enumerate(rows)
        ],
        "bars": bars,
        "width": LABEL_WIDTH + CHART_WIDTH + 80,
        "height": max(len(rows), 1) * ROW_HEIGHT,
    }
