"""A source keeps its article's text for curators (the article workspace), and the workspace's
proposals a curator dismissed. Neither is public; the dismissals have no history.

SQLite adds these columns by copying the tables, which drops the index migration 0011 made on the
source's history table: it is made again afterwards (and after reverting).
"""

import django.core.validators
import programs.fields
from django.db import migrations, models

WALK_INDEX = "CREATE INDEX IF NOT EXISTS programs_historicalsource_walk_idx ON programs_historicalsource (history_date, history_id)"


def restore_walk_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(WALK_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0018_suggestions'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_walk_index),
        migrations.AddField(
            model_name='historicalsource',
            name='text',
            field=models.TextField(blank=True, help_text="The article's text, for curators only (never shown to the public).", validators=[django.core.validators.MaxLengthValidator(300000)], verbose_name='full text'),
        ),
        migrations.AddField(
            model_name='source',
            name='dismissed_proposals',
            field=programs.fields.LinesField(blank=True, default=list, editable=False, verbose_name='dismissed proposals'),
        ),
        migrations.AddField(
            model_name='source',
            name='text',
            field=models.TextField(blank=True, help_text="The article's text, for curators only (never shown to the public).", validators=[django.core.validators.MaxLengthValidator(300000)], verbose_name='full text'),
        ),
        migrations.RunPython(restore_walk_index, migrations.RunPython.noop),
    ]
