"""What a curator knows about a record beyond its values.

- `name_is_descriptive` (organizations, programmes, projects, sources): the name describes a record
  the sources never name (or an article without a headline), rather than giving its title.
- `<figure>_qualifier` (an edition's counts, every amount): "at least" or "about" where the source
  gives no exact figure; blank when it does. A qualifier without its figure is refused.
- `years_not_in_sources` (programmes, projects), `participants_not_in_sources` (programmes): no
  source gives them, so they are blank on purpose.
- The participation role `participant`: takes part without running the programme.

SQLite applies a new constraint by copying the table, which drops its triggers: the data-version
triggers of migration 0003 are created again afterwards (and after reverting).
"""

import importlib

import programs.fields
from django.db import migrations, models

data_version = importlib.import_module("programs.migrations.0003_data_version_and_search_indexes")


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in data_version.TABLES:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
        for statement in data_version.sqlite(table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_search_chars"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="edition",
            name="amount_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="amount qualifier",
            ),
        ),
        migrations.AddField(
            model_name="edition",
            name="application_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="applications qualifier",
            ),
        ),
        migrations.AddField(
            model_name="edition",
            name="project_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="projects qualifier",
            ),
        ),
        migrations.AddField(
            model_name="edition",
            name="recipient_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="recipients qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicaledition",
            name="amount_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="amount qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicaledition",
            name="application_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="applications qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicaledition",
            name="project_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="projects qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicaledition",
            name="recipient_count_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="recipients qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive name",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogram",
            name="amount_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="amount qualifier",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogram",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive name",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogram",
            name="participants_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source names an organization taking part: the programme has no participants on purpose.",
                verbose_name="no organization in the sources",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogram",
            name="years_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source says when it started or ended: its years are left blank on purpose.",
                verbose_name="no year in the sources",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive title",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="years_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source says when it started or ended: its years are left blank on purpose.",
                verbose_name="no year in the sources",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive title",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive name",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="amount_qualifier",
            field=models.CharField(
                blank=True,
                choices=[("at_least", "at least"), ("about", "about")],
                help_text="“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400).",
                max_length=10,
                verbose_name="amount qualifier",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive name",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="participants_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source names an organization taking part: the programme has no participants on purpose.",
                verbose_name="no organization in the sources",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="years_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source says when it started or ended: its years are left blank on purpose.",
                verbose_name="no year in the sources",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive title",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="years_not_in_sources",
            field=models.BooleanField(
                default=False,
                help_text="No source says when it started or ended: its years are left blank on purpose.",
                verbose_name="no year in the sources",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="name_is_descriptive",
            field=models.BooleanField(
                default=False,
                help_text="The sources describe this record without naming it: its name is a description written for the tracker, not an official title.",
                verbose_name="descriptive title",
            ),
        ),
        migrations.AlterField(
            model_name="edition",
            name="application_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Applications, nominations or registered teams.",
                null=True,
                verbose_name="applications",
            ),
        ),
        migrations.AlterField(
            model_name="historicaledition",
            name="application_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Applications, nominations or registered teams.",
                null=True,
                verbose_name="applications",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipation",
            name="role",
            field=models.CharField(
                choices=[
                    ("sponsor", "Sponsor"),
                    ("host", "Host"),
                    ("partner", "Partner"),
                    ("funder", "Funder"),
                    ("co_founder", "Co-founder"),
                    ("participant", "Participant"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="historicalprogram",
            name="aliases",
            field=programs.fields.LinesField(
                blank=True,
                default=list,
                help_text="Other names the sources give, one per line.",
                verbose_name="aliases",
            ),
        ),
        migrations.AlterField(
            model_name="participation",
            name="role",
            field=models.CharField(
                choices=[
                    ("sponsor", "Sponsor"),
                    ("host", "Host"),
                    ("partner", "Partner"),
                    ("funder", "Funder"),
                    ("co_founder", "Co-founder"),
                    ("participant", "Participant"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="program",
            name="aliases",
            field=programs.fields.LinesField(
                blank=True,
                default=list,
                help_text="Other names the sources give, one per line.",
                verbose_name="aliases",
            ),
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", False), ("amount_qualifier", ""), _connector="OR"),
                name="programs_edition_amount_qualifier_has_figure",
                violation_error_message="A qualifier needs the figure it qualifies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("recipient_count__isnull", False), ("recipient_count_qualifier", ""), _connector="OR"
                ),
                name="programs_edition_recipient_count_qualifier_has_figure",
                violation_error_message="A qualifier needs the figure it qualifies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.CheckConstraint(
                condition=models.Q(("project_count__isnull", False), ("project_count_qualifier", ""), _connector="OR"),
                name="programs_edition_project_count_qualifier_has_figure",
                violation_error_message="A qualifier needs the figure it qualifies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("application_count__isnull", False), ("application_count_qualifier", ""), _connector="OR"
                ),
                name="programs_edition_application_count_qualifier_has_figure",
                violation_error_message="A qualifier needs the figure it qualifies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("years_not_in_sources", False),
                    models.Q(("start_year__isnull", True), ("end_year__isnull", True)),
                    _connector="OR",
                ),
                name="programs_program_no_years_when_not_in_sources",
                violation_error_message="A record whose sources give no year cannot have one.",
            ),
        ),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", False), ("amount_qualifier", ""), _connector="OR"),
                name="programs_program_amount_qualifier_has_figure",
                violation_error_message="A qualifier needs the figure it qualifies.",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(("years_not_in_sources", False), ("year__isnull", True), _connector="OR"),
                name="programs_project_no_years_when_not_in_sources",
                violation_error_message="A record whose sources give no year cannot have one.",
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
