"""Fast inserts for large writes (imports, synthetic data): ids allocated up front, rows streamed.

Django's bulk_create compiles SQL for every batch and prepares every value through the field
API; for hundreds of thousands of rows that costs more than the database's own work. Here the
primary keys are drawn from the table's sequence first (so related rows can point at them), each
value goes through a converter chosen once per field, and rows travel by COPY on PostgreSQL and
executemany on SQLite. History rows are written the same way, in the shape simple-history reads.

Everything runs on the caller's connection and transaction.
"""

import operator
from collections.abc import Callable, Iterable, Sequence
from functools import cache

from django.db import connections, models
from django.utils import timezone

from programs.models import search_keys
from programs.models.fields import LinesField

CHUNK = 5000


def allocate_ids(model, count: int, *, using="default", column: str | None = None) -> list[int]:
    """`count` fresh primary keys for `model`'s table, taken from its sequence."""
    if count == 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    column = column or model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608 - names from model meta
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def unchanged(value):
    return value


@cache
def converter(field: models.Field, vendor: str) -> Callable:
    """How one field's Python value becomes the value sent to the database."""
    if field.many_to_one:
        return unchanged  # the attname: an id already
    if isinstance(field, LinesField):
        return lambda value: "\n".join(value or [])
    if field.get_internal_type() in {"CharField", "TextField", "SlugField", "URLField"}:
        # TextChoices members and django-countries' Country become plain strings.
        return lambda value: value if value is None or type(value) is str else str(value)
    if vendor == "postgresql" and field.get_internal_type() != "JSONField":
        return unchanged  # psycopg adapts ints, decimals, dates and datetimes itself
    connection = connections["default"]
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model, fields: Sequence[models.Field], rows: Iterable[Sequence], *, using="default") -> int:
    """Insert raw rows (values in `fields` order, as Python values) into `model`'s table."""
    connection = connections[using]
    conversions = [
        (index, convert)
        for index, convert in enumerate(converter(field, connection.vendor) for field in fields)
        if convert is not unchanged
    ]

    def prepared(rows):
        for row in rows:
            row = list(row)
            for index, convert in conversions:
                row[index] = convert(row[index])
            yield row

    quoted = connection.ops.quote_name
    table = quoted(model._meta.db_table)
    columns = ", ".join(quoted(field.column) for field in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared(rows):
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        batch = []
        for row in prepared(rows):
            batch.append(row)
            if len(batch) == CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_instances(model, instances: list[models.Model], *, now=None, using="default") -> None:
    """Insert new instances, giving each its primary key and timestamps (set on the instance too)."""
    if not instances:
        return
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    ids = allocate_ids(model, len(instances), using=using)
    mark_saved(instances, ids, fields, now=now or timezone.now(), using=using)
    search_keys.refresh_all(instances)  # what save() would compute
    values = operator.attrgetter(*(field.attname for field in fields))
    insert_rows(model, fields, map(values, instances), using=using)


def mark_saved(instances: list[models.Model], ids: list[int], fields: list[models.Field], *, now, using: str) -> None:
    """Give each instance what a save would: its primary key, `now` in its timestamp fields, and
    the ids of the related records it holds."""
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    relations = [field for field in fields if field.many_to_one]
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        for field in stamped:
            setattr(instance, field.attname, now)
        copy_related_ids(instance, relations)
        instance._state.adding = False
        instance._state.db = using


def copy_related_ids(instance: models.Model, relations: list[models.Field]) -> None:
    """Set each relation's id column from the related record the instance holds: one saved earlier
    in the same write got its id after it was assigned."""
    for field in relations:
        if field.is_cached(instance):
            related = field.get_cached_value(instance)
            setattr(instance, field.attname, related.pk if related is not None else None)


def insert_history(
    model, instances: list[models.Model], *, history_type: str, user=None, reason="", date=None, using="default"
) -> list[int]:
    """simple-history rows for the instances as they are now; returns the history ids, in order."""
    history_model = model.history.model
    tracked = list(history_model.tracked_fields)
    meta = ["history_id", "history_date", "history_change_reason", "history_type", "history_user"]
    fields = [history_model._meta.get_field(field.attname if field.many_to_one else field.name) for field in tracked]
    fields += [history_model._meta.get_field(name) for name in meta]
    ids = allocate_ids(history_model, len(instances), using=using)
    meta_values = (date or timezone.now(), reason, history_type, user.pk if user is not None else None)
    values = operator.attrgetter(*(field.attname for field in tracked))
    insert_rows(
        history_model,
        fields,
        ((*values(obj), history_id, *meta_values) for obj, history_id in zip(instances, ids, strict=True)),
        using=using,
    )
    return ids
