"""Search keys computed in Python (programs/models/search_keys.py) replace the generated search columns.

`search_text` was a generated column, lower-cased in SQL; folding traditional characters, pinyin
and name orders need Python, so it becomes a plain column beside `search_names` and `search_words`,
filled here for every record and kept by every write path from now on. Search reads the read
model's listings only, which index these keys themselves: the curated tables' trigram indexes and
their `search_chars` columns (migrations 0003 and 0004) go.
"""

import importlib

from django.db import migrations

from programs.models import search_keys
from programs.models.search_keys import SPECS, SearchKeyField

SEARCH_CHARS = importlib.import_module("programs.migrations.0004_search_chars")
REPLACED = ("organization", "program", "person", "project")


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
    models = [apps.get_model("programs", name) for name in SPECS]
    search_keys.rebuild(models, schema_editor.connection.alias)


def key_field():
    return SearchKeyField(blank=True, default="", editable=False)


class Migration(migrations.Migration):
    dependencies = [("programs", "0019_source_text")]

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
