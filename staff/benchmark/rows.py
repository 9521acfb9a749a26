"""Rows written without model instances: the fast path for the big tables."""

from django.db import connection, models

BATCH_SIZE = 10_000


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows of a model without building model instances: the fast path for
    the big tables (activities, their districts and organisations, findings).

    A row is a dict of field attnames (``promise_id``) to values; a missing field
    gets its default. Only date and datetime values are converted for the database
    (text, numbers, booleans and choices need nothing), which is all these tables
    have. PostgreSQL reads the rows with COPY, other databases with executemany.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    adapters = {}
    for field in fields:
        if isinstance(field, models.DateTimeField):
            adapters[field.attname] = connection.ops.adapt_datetimefield_value
        elif isinstance(field, models.DateField):
            adapters[field.attname] = connection.ops.adapt_datefield_value

    def prepared(row: dict) -> list:
        values = {**defaults, **row}
        for name, adapt in adapters.items():
            values[name] = adapt(values[name])
        return list(values.values())

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                [prepared(row) for row in rows],
            )
