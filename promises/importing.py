"""The one import pipeline: a file is checked in full, shown, and saved all or nothing.

Every import (the indicator values of reports/importing.py, the incident reports
of incidents/importing.py) goes the same way:

1. the file is uploaded and kept in the database (`StagedUpload`), so that the
   request that confirms it may reach another app server;
2. it is decoded (`decode()`: at most MAX_BYTES, UTF-8 with or without BOM) and
   read: every row is checked against the database and nothing is saved. For a
   CSV file, `csv_rows()` checks the header row and hands over each row by its
   column names; the import's own function checks the values. Each error names
   its line (`ImportResult.error_lines()`);
3. the staff see the preview, or the errors, and confirm;
4. the file is read again and, when every row is right, saved in one transaction
   (`import_all_or_nothing()`).

The staff's page (the preview and the confirmation) is
`promises.admin.importing.CsvImportAdmin`, with the template
`admin/csv_import.html`; a command calls the import's function directly.
"""

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

MAX_BYTES = 5_000_000


@dataclass
class ImportResult:
    """What a file holds (`rows`, to be saved) or what is wrong with it (`errors`,
    by line), and whether it was saved."""

    rows: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [
            _("Rad %(line)d: %(message)s") % {"line": line, "message": message}
            for line, message in self.errors
        ]


def decode(data: bytes) -> str:
    """The file's text. Raises ValueError, with the message for the staff, when the
    file is too large or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise ValueError(_("Filen är för stor (högst 5 MB)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            _("Filen är inte UTF-8. Spara den som ”CSV UTF-8” i Excel.")
        ) from None


def csv_rows(
    text: str,
    result: ImportResult,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int | None = None,
) -> Iterator[tuple[int, dict[str, str]]] | None:
    """The rows of a CSV file with a header row, each as (line, {column: stripped
    value}); `;` or `,` between columns, as the first line has most of.

    None, with the error on line 1 in `result`, for a file that is empty, holds a
    NUL, lacks one of the `required` columns or has others than those and the
    `optional`. Blank rows are skipped; a row with another number of cells than
    the header is an error of its line. Past `max_rows` rows and errors, the file
    is refused at that line."""
    if "\x00" in text:
        result.errors.append((1, _("Filen innehåller otillåtna tecken (NUL).")))
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower().replace(" ", "_") for name in next(reader)]
    except StopIteration:
        result.errors.append((1, _("Filen är tom.")))
        return None
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in [*required, *optional]]
    if missing or unknown:
        message = _("Rubrikraden ska ha kolumnerna %(columns)s.") % {
            "columns": ", ".join(required)
        }
        if missing:
            message += " " + _("Saknas: %(missing)s.") % {"missing": ", ".join(missing)}
        if unknown:
            message += " " + _("Okända: %(unknown)s.") % {"unknown": ", ".join(unknown)}
        result.errors.append((1, message))
        return None
    return _rows(reader, header, result, max_rows)


def _rows(reader, header, result, max_rows) -> Iterator[tuple[int, dict[str, str]]]:
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if max_rows is not None and len(result.rows) + len(result.errors) >= max_rows:
            result.errors.append(
                (
                    line,
                    _("Filen har för många rader (högst %(max)d).") % {"max": max_rows},
                )
            )
            return
        if len(cells) != len(header):
            result.errors.append(
                (
                    line,
                    _("Raden har %(found)d kolumner, rubrikraden %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        yield (
            line,
            {name: cell.strip() for name, cell in zip(header, cells, strict=True)},
        )


def import_all_or_nothing[Result: ImportResult](
    data: bytes,
    *,
    read: Callable[[str], Result],
    save: Callable[[Result], None],
    dry_run: bool = False,
    result_class: type[Result] = ImportResult,
) -> Result:
    """Decode the file and `read()` it; when every row is right and not dry_run,
    `save()` all of it, in the same transaction as the reading."""
    try:
        text = decode(data)
    except ValueError as error:
        return result_class(errors=[(1, str(error))])
    with transaction.atomic():
        result = read(text)
        if result.ok and not dry_run:
            save(result)
            result.applied = True
    return result
