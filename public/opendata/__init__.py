"""Open data: what the public pages show, as CSV, JSON and a calendar (.ics).

Each dataset is one entry in `DATASETS`: its columns, documented in Swedish for the
people who download it, and a function that yields one dict per row (keys are the
column names, values are JSON-ready: str, int, bool, list of str or None). Adding a
dataset is adding one entry; the index page, the downloads and the tests pick it up.

Every row function takes a *published* promise and reads only the public querysets
(`Activity.objects.public()` and friends, `Finding.objects.public()`, the computed
progress). Police work that is public only in aggregate appears as counts per
quarter and weeks held, never row by row. Large querysets are read with
`.iterator(chunk_size=CHUNK_SIZE)` and the writers yield the output in pieces, so a
download of 100 000 rows runs in flat memory.

The modules: `columns` (what a dataset is), `rows` (a function per dataset),
`datasets` (DATASETS, documented), `formats` (CSV, JSON, the calendar).
"""

from promises.csv_files import FORMULA_PREFIXES, LIST_SEPARATOR, csv_cell

from .columns import (
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    TEXT_LIST,
    TYPE_DOCS,
    YES_NO,
    Column,
    Dataset,
    Row,
)
from .datasets import DATASETS
from .formats import (
    PIECE_SIZE,
    csv_stream,
    dialogue_calendar,
    dialogue_event,
    json_stream,
)
from .rows import CHUNK_SIZE

__all__ = [
    "CHUNK_SIZE",
    "CODE",
    "DATASETS",
    "DATE",
    "DECIMAL",
    "FORMULA_PREFIXES",
    "INTEGER",
    "LIST_SEPARATOR",
    "PIECE_SIZE",
    "TEXT",
    "TEXT_LIST",
    "TYPE_DOCS",
    "YES_NO",
    "Column",
    "Dataset",
    "Row",
    "csv_cell",
    "csv_stream",
    "dialogue_calendar",
    "dialogue_event",
    "json_stream",
]
