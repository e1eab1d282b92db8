"""The changes feed walks the identifiers' history too (a record's identifiers are part of it):
the same (history_date, history_id) index as the other history tables (migration 0011)."""

from django.db import migrations

TABLE = "programs_historicalidentifier"


class Migration(migrations.Migration):
    dependencies = [("programs", "0011_history_walk_indexes")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {TABLE}_walk_idx ON {TABLE} (history_date, history_id)",
            f"DROP INDEX {TABLE}_walk_idx",
        )
    ]
