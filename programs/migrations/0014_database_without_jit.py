"""Switch PostgreSQL's JIT compilation off for this database's sessions.

Every page reads through bounded, indexed statements that run in milliseconds, but the planner's
cost estimates of a few (a batch of 100 reconciliation lookups, a facet count over a broad search
at a million programmes) pass `jit_above_cost`, and compiling them then takes 300-500 ms, more than
running them. A database setting rather than a connection option, so that it holds behind PgBouncer,
which refuses connection options. Only the database's owner may change it: another role leaves it on
and is told so.
"""

from django.db import migrations


def database_setting(value: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            "DO $$ BEGIN "
            f"EXECUTE format('ALTER DATABASE %I {value}', current_database()); "
            "EXCEPTION WHEN insufficient_privilege THEN "
            "RAISE WARNING 'JIT compilation stays on: only the database owner can switch it off'; "
            "END $$",
            params=None,  # no placeholders: format()'s %I is PostgreSQL's own
        )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0013_reserved_slugs"),
    ]

    operations = [
        migrations.RunPython(database_setting("SET jit = off"), database_setting("RESET jit")),
    ]
