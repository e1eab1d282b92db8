"""The curators and editors groups, with the permissions programs/roles.py gives them.

Django creates permissions after the last migration (post_migrate), so on a fresh database they do
not exist yet here: create this app's content types and permissions first, then the groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from programs.roles import ROLES, role_groups_sync


def create_role_groups(apps, schema_editor):
    app_config = apps.get_app_config("programs")
    # The migration state's app config has no models module; create_permissions skips such apps.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None
    role_groups_sync(apps=apps, using=schema_editor.connection.alias)


def delete_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_role_groups, delete_role_groups),
    ]
