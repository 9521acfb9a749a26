"""Writing the export: each table as a CSV file in the ZIP, row by row, and the
README.txt after them."""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable

from django.utils import timezone

from promises.csv_files import csv_cell

from .readme import readme
from .tables import Table, tables_for

CHUNK_SIZE = 2000  # rows per database round trip
SPOOL_SIZE = 16 * 1024 * 1024  # bytes of ZIP kept in memory before spilling to disk
DELIMITER = ";"
HISTORY_TYPES = {"+": "skapad", "~": "ändrad", "-": "borttagen"}


def _iso_date(value: datetime.date) -> str:
    return value.isoformat()


def _yes_no(value: bool) -> str:
    return csv_cell(bool(value))


# Values written as they are (None is an empty cell). Every other type goes through
# promises.csv_files.csv_cell, so that no text is ever read as a formula. (Not
# CsvWriter: per cell only the conversion its column needs, for speed.)
AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
}
CONVERTERS = {
    "DateField": _iso_date,
    "BooleanField": _yes_no,
}


def _converter(model, attname: str) -> Callable[[object], object] | None:
    """How a column's values are written; None: as they are."""
    if attname == "history_type":
        return HISTORY_TYPES.get
    try:
        kind = next(
            f for f in model._meta.concrete_fields if f.attname == attname
        ).get_internal_type()
    except StopIteration:  # an extra column, e.g. a user name
        return csv_cell
    if kind in AS_IS:
        return None
    if kind == "DateTimeField":  # local time, with its offset from UTC
        zone = timezone.get_current_timezone()
        return lambda value: value.astimezone(zone).isoformat()
    return CONVERTERS.get(kind, csv_cell)


def write_table(archive: zipfile.ZipFile, table: Table, municipality, beat=None) -> int:
    """Write one table into the ZIP, row by row; return the number of rows.

    Per cell only the conversion its column needs: at 100 000 activities the
    export writes millions of cells.
    """
    headers, lookups = zip(*table.columns, strict=True)
    converters = [
        (i, convert)
        for i, header in enumerate(headers)
        if (convert := _converter(table.model, header))
    ]
    rows = (
        table.rows(municipality)
        .order_by("pk")
        .values_list(*lookups)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    entry = archive.open(table.filename, "w", force_zip64=True)
    with io.TextIOWrapper(entry, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text, delimiter=DELIMITER)  # cells converted above
        writer.writerow(headers)
        count = 0
        for values in rows:
            row = list(values)
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            writer.writerow(row)
            count += 1
            if beat is not None and count % CHUNK_SIZE == 0:
                beat()  # the worker is alive (tasks.Heartbeat)
    return count


def write_export(file, municipality, user, exported_at=None, beat=None) -> None:
    """Write the municipality's export, as `user` may see it, as a ZIP into `file`;
    `beat()` is called now and then as it goes (the worker's heartbeat)."""
    exported_at = exported_at or timezone.now()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        counts = [
            (table, write_table(archive, table, municipality, beat))
            for table in tables_for(user)
        ]
        archive.writestr(
            "README.txt",
            readme(municipality, user, exported_at, counts).encode("utf-8-sig"),
        )
