"""A source keeps its article's text for curators (the article workspace), and the workspace's
proposals a curator dismissed. Neither is public; the dismissals have no history."""

import django.core.validators
import programs.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0015_program_amount_index'),
    ]

    operations = [
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
    ]
