"""The admin's change lists on a phone: each cell knows its column's name.

static/css/admin.css shows a change list as one block per row on a narrow screen,
each value after its column's name, from the cell's data-label.
"""

from itertools import zip_longest

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString
from django.utils.text import capfirst

register = template.Library()


@register.filter
def labelled(cells, headers):
    """The cells of a change list row (as admin_list.items_for_result renders
    them) with their column's name as data-label; the row's header cell (the
    link to the object) with scope="row". A column named by markup only (the
    action checkbox) gets no label."""
    labelled_cells = []
    for cell, header in zip_longest(cells, headers or []):
        if cell is None or not cell.startswith(("<td", "<th")):
            labelled_cells.append(cell)
            continue
        tag = cell[1:3]
        label = capfirst(strip_tags(str(header["text"])).strip()) if header else ""
        attributes = format_html(' data-label="{}"', label) if label else ""
        if tag == "th":
            attributes += ' scope="row"'
        labelled_cells.append(SafeString(f"<{tag}{attributes}{cell[3:]}"))
    return labelled_cells
