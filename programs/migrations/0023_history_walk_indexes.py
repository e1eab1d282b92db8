"""The history walk index, (history_date, history_id), declared on the historical models
(programs/models/history.py) instead of made by hand (migrations 0011 and 0012): SQLite alters a
table by making it again, keeping the indexes its model declares only, so each migration that
altered a history table had to make the hand-made one again (0016, 0017, 0019)."""

import importlib

from django.db import migrations, models

HAND_MADE = [
    *importlib.import_module("programs.migrations.0011_history_walk_indexes").TABLES,
    "programs_historicalidentifier",
]


def hand_made(create: bool) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_walk_idx ON {table} (history_date, history_id)"
        if create
        else f"DROP INDEX IF EXISTS {table}_walk_idx"
        for table in HAND_MADE
    ]


class Migration(migrations.Migration):
    dependencies = [("programs", "0022_version_moments")]

    operations = [
        migrations.RunSQL(hand_made(create=False), hand_made(create=True), hints={"touches_read_model": False}),
        migrations.AddIndex(
            model_name="historicalaffiliation",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_affiliation"),
        ),
        migrations.AddIndex(
            model_name="historicalcitation",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_citation"),
        ),
        migrations.AddIndex(
            model_name="historicaledition",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_edition"),
        ),
        migrations.AddIndex(
            model_name="historicalidentifier",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_identifier"),
        ),
        migrations.AddIndex(
            model_name="historicalinvolvement",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_involvement"),
        ),
        migrations.AddIndex(
            model_name="historicalorganization",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_organization"),
        ),
        migrations.AddIndex(
            model_name="historicalparticipation",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_participation"),
        ),
        migrations.AddIndex(
            model_name="historicalperson",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_person"),
        ),
        migrations.AddIndex(
            model_name="historicalprogram",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_program"),
        ),
        migrations.AddIndex(
            model_name="historicalproject",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_project"),
        ),
        migrations.AddIndex(
            model_name="historicalprojectmember",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_projectmember"),
        ),
        migrations.AddIndex(
            model_name="historicalresearcharea",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_researcharea"),
        ),
        migrations.AddIndex(
            model_name="historicalsource",
            index=models.Index(fields=["history_date", "history_id"], name="programs_walk_source"),
        ),
    ]
