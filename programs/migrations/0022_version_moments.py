"""The data version and the names' version note the moment of the last write beside its count
(`changed_at`, microseconds since 1970), and the pair is the version (programs.serving.data_version):
a restored backup counts again from the dump's number, but its next write's moment is new, so no
version seen with other data comes back and the shared cache needs no flushing after a restore.

On PostgreSQL the triggers' functions are replaced. SQLite's triggers are the read model's, made
again after every migrate from the current definition (programs.reads.read_model.sqlite_statements);
here, going back, they are made in their former shape before the column they set is dropped.
"""

from django.db import migrations

TABLES = ["programs_data_version", "programs_names_version"]
FUNCTIONS = {"programs_data_version": "programs_bump_data_version", "programs_names_version": "programs_bump_names_version"}
NOW = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
SQLITE_NOW = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) * 1000"


def bump(table: str, now: str | None) -> str:
    """The triggers' statement: with the moment `now`, or as migrations 0003 and 0021 made it (None)."""
    if now is None:
        return (
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1"
        )
    return (
        f"INSERT INTO {table} (id, version, changed_at) VALUES (1, 1, {now}) "
        f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1, changed_at = excluded.changed_at"
    )


def replace_functions(execute, now: str | None) -> None:
    for table, function in FUNCTIONS.items():
        execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {bump(table, now)}; RETURN NULL; END $$;"
        )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in TABLES:
            columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            if "changed_at" not in columns:  # the read model makes the names' version with it
                schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN changed_at bigint NOT NULL DEFAULT 0")
            schema_editor.execute(f"UPDATE {table} SET changed_at = {NOW if postgresql else SQLITE_NOW}")
    if postgresql:
        replace_functions(schema_editor.execute, NOW)


def backwards(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        replace_functions(execute, None)
    else:
        former_sqlite_triggers(schema_editor)
    for table in TABLES:
        execute(f"ALTER TABLE {table} DROP COLUMN changed_at")


def former_sqlite_triggers(schema_editor) -> None:
    """Make SQLite's version triggers as they were, leaving `changed_at` (which SQLite will not drop
    while a trigger names it)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
    for name, table, sql in triggers:
        version_table = next((t for t in TABLES if f"INTO {t} " in sql), None)
        if version_table is None:
            continue
        event = name.rsplit("_", 1)[1].upper()
        schema_editor.execute(f"DROP TRIGGER {name}")
        schema_editor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump(version_table, None)}; END")


class Migration(migrations.Migration):
    dependencies = [("programs", "0021_names_version")]

    # Neither table is one the read model reads: a maintained read model stays in place.
    operations = [migrations.RunPython(forwards, backwards, hints={"touches_read_model": False})]
