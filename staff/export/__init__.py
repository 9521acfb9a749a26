"""The staff export: all of one municipality's data as a ZIP of CSV files.

Records are kept (arkivlagen), and a municipality must be able to take its data
out: to archive it, to move to another system or to answer a request. Unlike the
open data (public/opendata.py, public only), this export holds every field,
internal ones included, with the ids and foreign-key ids that link the rows, the
many-to-many links as tables of their own, and the history of every change.

One CSV per table, as Swedish Excel reads it: UTF-8 with BOM, `;` between the
columns, a header row of the field names. A README.txt in the ZIP describes each
file and its columns. Each table is read with `.iterator(chunk_size=CHUNK_SIZE)`
and its rows are written straight into the ZIP entry, which is built in a
SpooledTemporaryFile: memory stays flat whatever the number of rows, and the
number of queries is one per table.

Each table needs the permission to read its model: the lägesbild
(OperationalPicture) is confidential and exported only to users with
promises.view_operationalpicture (not the coordinator role). What is left out,
and why, is on the page and in README.txt.

The package: `tables` (which tables there are, and each one's rows of a
municipality), `writer` (the CSV files in the ZIP), `readme` (README.txt),
`download` (the built ZIP to the one who asked, and the security log).
"""

from .download import download_response, filename, log_export
from .tables import (
    HISTORY_NOT_EXPORTED,
    LAGESBILD_PERMISSION,
    NOT_EXPORTED,
    PERMISSION,
    TABLES,
    includes_lagesbild,
    left_out_for,
    tables_for,
)
from .writer import SPOOL_SIZE, write_export

__all__ = [
    "HISTORY_NOT_EXPORTED",
    "LAGESBILD_PERMISSION",
    "NOT_EXPORTED",
    "PERMISSION",
    "SPOOL_SIZE",
    "TABLES",
    "download_response",
    "filename",
    "includes_lagesbild",
    "left_out_for",
    "log_export",
    "tables_for",
    "write_export",
]
