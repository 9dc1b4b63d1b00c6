"""Inserting many rows at once: PostgreSQL's COPY, else bulk_create (an import's thousands of
projects, events and change records).

`bulk_create` of tens of thousands of rows spends most of its time building one huge INSERT in
Python (every value prepared, then quoted into the SQL text by the client) and the server most of
its time parsing it. COPY streams the rows in psycopg's own format. The primary keys are taken
from the table's sequence first, so the inserted objects carry their ids as bulk_create's do; the
auto_now fields are filled by the fields themselves (`pre_save`), as on any save."""

import json

from django.db import connection, models

BATCH = 2000


def bulk_insert(model, objects: list) -> None:
    """Insert `objects` (unsaved instances of `model`) and give them their primary keys."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if isinstance(meta.pk, models.AutoField | models.BigAutoField) and any(o.pk is None for o in objects):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                obj._prepare_related_fields_for_save(operation_name="insert")
                copy.write_row([_value(field, obj) for field in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _value(field, obj):
    value = field.pre_save(obj, add=True)
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder, ensure_ascii=False)
    return value
