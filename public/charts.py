"""Charts drawn on the server as accessible SVG; each page shows a table beside it."""

from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from reports.display import decimal_places, is_hidden, shown_value, unit_after_value

BAR_HEIGHT = 14
ROW_HEIGHT = 44
LABEL_WIDTH = 130
CHART_WIDTH = 300
TREND_BAR_WIDTH = 80  # the small bar beside each value of a district's trend


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


def indicator_trends(values) -> list[dict]:
    """A district's indicator values as one trend per indicator: its periods in
    order, each value written as the others of its series (2,3 and 2,0), with a
    small bar (templates/public/district.html: inline SVG, no JavaScript), and
    "from … to …" in words. A small count that is not shown has no bar."""
    by_indicator: dict = {}
    for value in values:
        by_indicator.setdefault(value.indicator, []).append(value)
    trends = []
    for indicator, series in by_indicator.items():
        hides = indicator.hides_small_counts
        shown = [v for v in series if not is_hidden(v.value, hides)]
        places = decimal_places(v.value for v in shown)
        largest = max((v.value for v in shown), default=Decimal(0))
        rows = [
            {
                "period": v.period,
                "text": shown_value(v.value, hides, places),
                "bar": int(TREND_BAR_WIDTH * v.value / largest)
                if v in shown and largest > 0 and v.value > 0
                else 0,
            }
            for v in series
        ]
        change = ""
        if len(shown) > 1:
            first, last = shown[0], shown[-1]
            change = _(
                "Från %(first)s (%(first_period)s) till %(last)s (%(last_period)s)."
            ) % {
                "first": shown_value(first.value, hides, places),
                "first_period": first.period,
                "last": shown_value(last.value, hides, places),
                "last_period": last.period,
            }
        unit = unit_after_value(indicator.unit)
        trends.append(
            {
                "indicator": indicator,
                "unit": unit,
                # "Antal", "Index": the column says what a bare number is.
                "heading": _("Värde")
                if unit or not indicator.unit
                else capfirst(indicator.unit),
                "rows": rows,
                "change": change,
            }
        )
    return trends


def written_alike(rows: list[dict], keys, hides: bool, plain=()) -> list[dict]:
    """The rows with each value of `keys` and `plain` as text ("<key>_text"), all
    with as many decimals as the most precise of them: a table reads 31,0 beside
    28,5. A value of `plain` (a change) is never a small count to hide."""
    values = [
        row[key]
        for row in rows
        for key in (*keys, *plain)
        if row[key] is not None and (key in plain or not is_hidden(row[key], hides))
    ]
    places = decimal_places(values)
    return [
        {
            **row,
            **{f"{key}_text": shown_value(row[key], hides, places) for key in keys},
            **{f"{key}_text": shown_value(row[key], False, places) for key in plain},
        }
        for row in rows
    ]
