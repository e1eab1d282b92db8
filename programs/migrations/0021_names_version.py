"""The names' version: a number that a trigger increments in the transaction of every write to the
tables whose records the article workspace's matcher names (programmes, organizations, people,
projects), however the write is made: admin, import, bulk insert, raw SQL. The matcher reads it to
know whether the registry it holds is still the database's (programs/curation/workspace/matcher.py):
one row, where counting the four tables took hundreds of milliseconds at 100,000 programmes. Unlike
the data version (0003), citations and other writes leave it alone.

As for the data version, SQLite drops a table's triggers when a migration rebuilds it: the read
model makes them again after every migrate (programs.reads.read_model.sqlite_statements).
"""

from django.db import migrations

TABLES = ["programs_program", "programs_organization", "programs_person", "programs_project"]

BUMP = (
    "INSERT INTO programs_names_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = programs_names_version.version + 1"
)


def forwards(apps, schema_editor):
    execute = schema_editor.execute
    execute("CREATE TABLE IF NOT EXISTS programs_names_version (id integer PRIMARY KEY, version bigint NOT NULL)")
    execute("INSERT INTO programs_names_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING")
    if schema_editor.connection.vendor == "postgresql":
        execute(
            "CREATE FUNCTION programs_bump_names_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$;"
        )
        for table in TABLES:
            execute(
                f"CREATE TRIGGER {table}_names_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION programs_bump_names_version()"
            )
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_names_version_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def backwards(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            execute(f"DROP TRIGGER IF EXISTS {table}_names_version ON {table}")
        execute("DROP FUNCTION IF EXISTS programs_bump_names_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                execute(f"DROP TRIGGER IF EXISTS {table}_names_version_{event}")
    execute("DROP TABLE IF EXISTS programs_names_version")


class Migration(migrations.Migration):
    dependencies = [("programs", "0020_search_keys")]

    operations = [migrations.RunPython(forwards, backwards)]
