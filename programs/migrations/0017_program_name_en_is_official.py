"""A programme says when its English name is the organiser's own, kept verbatim, rather than a
translation the curators wrote (in British spelling)."""

from django.db import migrations, models

# SQLite adds a NOT NULL column by rebuilding the table, which drops the history walk index that
# migration 0011 made with SQL of its own: it is made again after the rebuild, either way.
WALK_INDEX = (
    "CREATE INDEX IF NOT EXISTS programs_historicalprogram_walk_idx "
    "ON programs_historicalprogram (history_date, history_id)"
)


def name_en_is_official():
    return models.BooleanField(
        default=False,
        help_text=(
            "The English name is the organiser's own, kept verbatim (its spelling too), not a translation "
            "written for the tracker."
        ),
        verbose_name="official English name",
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0016_citation_quote_repaired")]

    operations = [
        migrations.RunSQL(migrations.RunSQL.noop, WALK_INDEX),  # its reverse runs last, after the rebuild
        migrations.AddField(model_name="program", name="name_en_is_official", field=name_en_is_official()),
        migrations.AddField(model_name="historicalprogram", name="name_en_is_official", field=name_en_is_official()),
        migrations.RunSQL(WALK_INDEX, migrations.RunSQL.noop),
    ]
