"""Suggestions from the public (programs.models.suggestions), which curators review.

Not curated data: the table gets no data-version trigger and no place in the read model. The roles
get their permissions on it (programs.roles): those who may change records review suggestions.
"""

import importlib

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import programs.models.suggestions
from django.conf import settings
from django.db import migrations, models

role_groups = importlib.import_module("programs.migrations.0002_role_groups")


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0017_program_name_en_is_official'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.CharField(default=programs.models.suggestions.new_public_id, editable=False, max_length=32, unique=True)),
                ('record_type', models.CharField(choices=[('program', 'programme'), ('organization', 'organization'), ('person', 'person')], max_length=20, verbose_name='record type')),
                ('is_new', models.BooleanField(default=False, verbose_name='new record')),
                ('record_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='record')),
                ('record_label', models.CharField(blank=True, editable=False, max_length=300, verbose_name="record's name when suggested")),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name of the new record')),
                ('field', models.CharField(blank=True, max_length=30, verbose_name='field')),
                ('value', models.CharField(blank=True, max_length=300, verbose_name='proposed value')),
                ('role', models.CharField(blank=True, choices=[('sponsor', 'Sponsor'), ('host', 'Host'), ('partner', 'Partner'), ('funder', 'Funder'), ('co_founder', 'Co-founder'), ('participant', 'Participant')], max_length=20, verbose_name='role')),
                ('message', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='message')),
                ('evidence_url', models.URLField(blank=True, max_length=1000, validators=[django.core.validators.URLValidator(message='Give a web address starting with http:// or https://.', schemes=['http', 'https'])], verbose_name='evidence (web address)')),
                ('quote', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(1000)], verbose_name='evidence (the sentence)')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail address')),
                ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], default='zh-hans', max_length=10, verbose_name='language')),
                ('state', models.CharField(choices=[('received', 'received'), ('accepted', 'accepted'), ('declined', 'declined'), ('duplicate', 'duplicate')], db_index=True, default='received', max_length=20, verbose_name='state')),
                ('reason', models.TextField(blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='reason')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed')),
                ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied to the record')),
                ('digested_at', models.DateTimeField(blank=True, null=True, verbose_name='sent in a digest')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='received')),
                ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programs.suggestion', verbose_name='duplicate of')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['-created_at', '-id'], name='programs_suggestion_newest_idx'), models.Index(fields=['state', '-created_at'], name='programs_suggestion_state_idx'), models.Index(fields=['record_type', 'record_id'], name='programs_suggestion_record_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('state', 'received'), ('email', ''), _connector='OR'), name='programs_suggestion_closed_without_email', violation_error_message='A closed suggestion keeps no e-mail address.'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'declined'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='programs_suggestion_declined_with_reason', violation_error_message='A declined suggestion says why.'), models.CheckConstraint(condition=models.Q(('is_new', True), ('record_id__isnull', False), _connector='OR'), name='programs_suggestion_correction_names_record', violation_error_message='A correction names the record it corrects.')],
            },
        ),
        # Permissions only: the read model reads none of it (programs.reads.read_model.leaves_alone).
        migrations.RunPython(
            role_groups.create_role_groups, migrations.RunPython.noop, hints={"touches_read_model": False}
        ),
    ]
