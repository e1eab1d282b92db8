"""Indexes for the changes feed (programs/changes.py), which walks each history table in
(history_date, history_id) order: a bulk import writes thousands of rows with one date, and
simple-history's own index on the date alone would sort all of them to find the next page."""

from django.db import migrations

TABLES = [
    "programs_historicalprogram",
    "programs_historicalorganization",
    "programs_historicalperson",
    "programs_historicalproject",
    "programs_historicaledition",
    "programs_historicalresearcharea",
    "programs_historicalsource",
    "programs_historicalparticipation",
    "programs_historicalaffiliation",
    "programs_historicalinvolvement",
    "programs_historicalprojectmember",
    "programs_historicalcitation",
]


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_modified_indexes")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_walk_idx ON {table} (history_date, history_id)",
            f"DROP INDEX {table}_walk_idx",
        )
        for table in TABLES
    ]
