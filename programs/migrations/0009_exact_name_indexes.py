"""Indexes of lower-cased names, for the exact-name lookups of reconciliation (programs.reconcile)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0008_identifiers'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(django.db.models.functions.text.Lower('name'), name='programs_org_lower_name_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(django.db.models.functions.text.Lower('name_en'), name='programs_org_lower_name_en_idx'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(django.db.models.functions.text.Lower('short_name'), name='programs_org_lower_short_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Lower('name'), name='programs_person_lower_name_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Lower('name_en'), name='programs_person_lower_en_idx'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(django.db.models.functions.text.Lower('name'), name='programs_prog_lower_name_idx'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(django.db.models.functions.text.Lower('name_en'), name='programs_prog_lower_en_idx'),
        ),
    ]
