"""The one way the app writes CSV: every cell through `csv_cell`, so that no text
a user typed (a name, a reason, a note) is ever read as a formula by a
spreadsheet (CSV injection). The open data, the municipality export and the
staff's lägesbild files all write with it."""

import csv

LIST_SEPARATOR = "; "  # between the items of a list in a CSV cell
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value as CSV text, never read as a formula by a spreadsheet. Numbers
    are written as numbers (-3 stays -3); only text is ever prefixed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(map(str, value))
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class CsvWriter:
    """csv.writer whose rows go through csv_cell, cell by cell."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
