"""External identifiers of organizations, people and programmes (programs.models.identifiers).

Writes to the new table bump the data version like every curated table (migration 0003), and
the roles get their permissions on it (programs.roles).
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

data_version = importlib.import_module("programs.migrations.0003_data_version_and_search_indexes")
role_groups = importlib.import_module("programs.migrations.0002_role_groups")
TABLE = "programs_identifier"


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(data_version.postgresql(TABLE))
    else:
        for statement in data_version.sqlite(TABLE):
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_data_version ON {TABLE}")
    else:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_data_version_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0007_iso_currency_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalIdentifier',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated')),
                ('scheme', models.CharField(choices=[('ror', 'ROR ID'), ('wikidata', 'Wikidata item'), ('isni', 'ISNI'), ('crossref_funder', 'Crossref Funder ID'), ('grid', 'GRID ID'), ('uscc', 'Unified Social Credit Code'), ('orcid', 'ORCID iD')], max_length=20, verbose_name='scheme')),
                ('value', models.CharField(max_length=100, verbose_name='value')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.organization', verbose_name='organization')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.person', verbose_name='person')),
                ('program', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.program', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'historical identifier',
                'verbose_name_plural': 'historical identifiers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Identifier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('scheme', models.CharField(choices=[('ror', 'ROR ID'), ('wikidata', 'Wikidata item'), ('isni', 'ISNI'), ('crossref_funder', 'Crossref Funder ID'), ('grid', 'GRID ID'), ('uscc', 'Unified Social Credit Code'), ('orcid', 'ORCID iD')], max_length=20, verbose_name='scheme')),
                ('value', models.CharField(max_length=100, verbose_name='value')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='identifiers', to='programs.organization', verbose_name='organization')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='identifiers', to='programs.person', verbose_name='person')),
                ('program', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='identifiers', to='programs.program', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'identifier',
                'verbose_name_plural': 'identifiers',
                'ordering': ['scheme', 'value'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'value'), name='programs_identifier_one_record', violation_error_message='This identifier already identifies another record.'), models.CheckConstraint(condition=models.Q(models.Q(('organization__isnull', False), ('person__isnull', True), ('program__isnull', True)), models.Q(('organization__isnull', True), ('person__isnull', False), ('program__isnull', True)), models.Q(('organization__isnull', True), ('person__isnull', True), ('program__isnull', False)), _connector='OR'), name='programs_identifier_one_owner', violation_error_message='An identifier identifies exactly one organization, person or programme.'), models.CheckConstraint(condition=models.Q(('organization__isnull', True), ('scheme__in', ('ror', 'wikidata', 'isni', 'crossref_funder', 'grid', 'uscc')), _connector='OR'), name='programs_identifier_organization_scheme', violation_error_message='This scheme does not identify this kind of record.'), models.CheckConstraint(condition=models.Q(('person__isnull', True), ('scheme__in', ('orcid', 'wikidata', 'isni')), _connector='OR'), name='programs_identifier_person_scheme', violation_error_message='This scheme does not identify this kind of record.'), models.CheckConstraint(condition=models.Q(('program__isnull', True), ('scheme__in', ('wikidata',)), _connector='OR'), name='programs_identifier_program_scheme', violation_error_message='This scheme does not identify this kind of record.')],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(role_groups.create_role_groups, migrations.RunPython.noop),
    ]
