"""The data version every write bumps, and trigram indexes for free-text search on PostgreSQL.

`programs_data_version` holds one number. A trigger on every table of curated data increments
it in the writing transaction (statement-level on PostgreSQL, row-level on SQLite), so any
write — admin, import, bulk insert, raw SQL — changes it, and readers see the new number only
once the data they read is committed. Caches key on it (programs/caching.py).

On PostgreSQL, GIN trigram indexes on each `search_text` column serve `LIKE '%word%'`. pg_trgm
reads Chinese only in a database whose LC_CTYPE is a UTF-8 locale (see README).
"""

from django.db import migrations

# Curated tables whose writes change what the public sees (history tables change with them).
TABLES = [
    "programs_organization",
    "programs_researcharea",
    "programs_program",
    "programs_program_research_areas",
    "programs_participation",
    "programs_edition",
    "programs_person",
    "programs_affiliation",
    "programs_involvement",
    "programs_project",
    "programs_projectmember",
    "programs_source",
    "programs_citation",
]
SEARCHED = ["programs_organization", "programs_program", "programs_person", "programs_project"]

BUMP = (
    "INSERT INTO programs_data_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = programs_data_version.version + 1"
)


def postgresql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION programs_bump_data_version();"
    )


def sqlite(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} BEGIN {BUMP}; END;"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def forwards(apps, schema_editor):
    execute = schema_editor.execute
    execute("CREATE TABLE programs_data_version (id integer PRIMARY KEY, version bigint NOT NULL)")
    execute("INSERT INTO programs_data_version (id, version) VALUES (1, 1)")
    if schema_editor.connection.vendor == "postgresql":
        execute(
            "CREATE FUNCTION programs_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$;"
        )
        for table in TABLES:
            execute(postgresql(table))
        execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in SEARCHED:
            execute(f"CREATE INDEX {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)")
    else:
        for table in TABLES:
            for statement in sqlite(table):
                execute(statement)


def backwards(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in SEARCHED:
            execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
        for table in TABLES:
            execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        execute("DROP FUNCTION IF EXISTS programs_bump_data_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
    execute("DROP TABLE programs_data_version")


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
