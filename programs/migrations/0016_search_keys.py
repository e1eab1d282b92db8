"""Search keys computed in Python (programs/models/search_keys.py) replace the generated search columns.

`search_text` was a generated column, lower-cased in SQL; folding traditional characters, pinyin
and name orders need Python, so it becomes a plain column beside `search_names` and `search_words`,
filled here for every record and kept by every write path from now on. Search reads the read
model's listings only, which index these keys themselves: the curated tables' trigram indexes and
their `search_chars` columns (migrations 0003 and 0004) go.
"""

import importlib

from django.db import migrations

from programs.models.search_keys import KEYS, SPECS, SearchKeyField, keys_from

SEARCH_CHARS = importlib.import_module("programs.migrations.0004_search_chars")
REPLACED = ("organization", "program", "person", "project")
BATCH = 2000


def drop_search_chars(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in SEARCH_CHARS.SEARCHED_FIELDS:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_chars")


def add_search_chars(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, fields in SEARCH_CHARS.SEARCHED_FIELDS.items():
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN search_chars text[] "
                f"GENERATED ALWAYS AS ({SEARCH_CHARS.chars_of(fields)}) STORED"
            )
            schema_editor.execute(f"CREATE INDEX {table}_search_chars ON {table} USING gin (search_chars)")


def fill_keys(apps, schema_editor):
    connection = schema_editor.connection
    for name, spec in SPECS.items():
        model = apps.get_model("programs", name)
        rows = model.objects.order_by("pk").values_list("pk", *spec.sources)
        batch = []
        for pk, *values in rows.iterator(chunk_size=BATCH):
            found = keys_from(spec, dict(zip(spec.sources, map(listed, values), strict=True)))
            batch.append([pk, *(found[key] for key in KEYS)])
            if len(batch) == BATCH:
                write(connection, model._meta.db_table, batch)
                batch = []
        write(connection, model._meta.db_table, batch)


def listed(value) -> list[str]:
    """A field's value as the list of its non-empty values (a lines field is a list already)."""
    return [item for item in (value if isinstance(value, list) else [value]) if item]


def write(connection, table: str, batch: list) -> None:
    """Set the keys of a batch of rows: on PostgreSQL copied into a scratch table and written by one
    UPDATE (row by row, a million records would take hours), elsewhere row by row."""
    if not batch:
        return
    assigned = ", ".join(f"{key} = k.{key}" for key in KEYS)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = f"UPDATE {table} SET {', '.join(f'{key} = %s' for key in KEYS)} WHERE id = %s"  # noqa: S608
            cursor.executemany(sql, [[*row[1:], row[0]] for row in batch])
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS programs_search_keys_fill "
            "(id bigint, search_names text, search_words text, search_text text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY programs_search_keys_fill FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} t SET {assigned} FROM programs_search_keys_fill k WHERE t.id = k.id")  # noqa: S608
        cursor.execute("TRUNCATE programs_search_keys_fill")


def key_field():
    return SearchKeyField(blank=True, default="", editable=False)


class Migration(migrations.Migration):
    dependencies = [("programs", "0015_program_amount_index")]

    operations = [
        migrations.RunPython(drop_search_chars, add_search_chars),
        *(migrations.RemoveField(model_name=name, name="search_text") for name in REPLACED),
        *(
            migrations.AddField(model_name=name, name=key, field=key_field())
            for name in SPECS
            for key in ("search_names", "search_words", "search_text")
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
