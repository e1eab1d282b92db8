"""A citation says when its quote repairs the article's conversion noise (pinyin in brackets,
characters a converter garbled), so that a reader knows its text differs from the page's."""

from django.db import migrations, models

# SQLite adds a NOT NULL column by rebuilding the table, which drops the history walk index that
# migration 0011 made with SQL of its own: it is made again after the rebuild, either way.
WALK_INDEX = (
    "CREATE INDEX IF NOT EXISTS programs_historicalcitation_walk_idx "
    "ON programs_historicalcitation (history_date, history_id)"
)


def quote_repaired():
    return models.BooleanField(
        default=False,
        help_text=(
            "The quote repairs the article's conversion noise (pinyin in brackets, garbled characters), "
            "so its text differs from the page's."
        ),
        verbose_name="quote repaired",
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0015_program_amount_index")]

    operations = [
        migrations.RunSQL(migrations.RunSQL.noop, WALK_INDEX),  # its reverse runs last, after the rebuild
        migrations.AddField(model_name="citation", name="quote_repaired", field=quote_repaired()),
        migrations.AddField(model_name="historicalcitation", name="quote_repaired", field=quote_repaired()),
        migrations.RunSQL(WALK_INDEX, migrations.RunSQL.noop),
    ]
