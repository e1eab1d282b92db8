"""The curators and editors groups: created by migration, defined once, assigned by command."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from programs.curation.roles import APP_LABEL, CURATORS, EDITORS, ROLES, curated_models, role_groups_sync, user_set_role

pytestmark = pytest.mark.django_db


def group_codenames(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return set(group.permissions.filter(content_type__app_label=APP_LABEL).values_list("codename", flat=True))


def test_curated_models_are_the_admins_models():
    registered = {model for model in admin.site._registry if model._meta.app_label == APP_LABEL}
    assert set(curated_models()) == registered


@pytest.mark.parametrize("role", ROLES.values(), ids=lambda role: role.name)
def test_migrated_groups_hold_exactly_the_role_permissions(role):
    """The data migration created the group on this fresh test database, in step with the models.

    A new model fails this until a migration runs `role_groups_sync` again.
    """
    assert group_codenames(role.name) == role.codenames(curated_models())


def test_curators_add_and_change_but_neither_delete_nor_publish():
    codenames = group_codenames(CURATORS.name)
    assert {"view_program", "add_program", "change_program", "add_citation", "change_source"} <= codenames
    assert not {codename for codename in codenames if codename.startswith(("delete_", "publish_"))}


def test_editors_also_delete_and_publish_every_publishable_model():
    codenames = group_codenames(EDITORS.name)
    assert group_codenames(CURATORS.name) < codenames
    publishable = {"organization", "program", "researcharea", "person", "project", "source"}
    assert {f"publish_{name}" for name in publishable} <= codenames
    assert {f"delete_{model._meta.model_name}" for model in curated_models()} <= codenames


def test_sync_restores_the_definition_and_keeps_other_apps_permissions():
    group = Group.objects.get(name=CURATORS.name)
    group.permissions.remove(Permission.objects.get(codename="change_program"))
    group.permissions.add(
        Permission.objects.get(codename="delete_program"), Permission.objects.get(codename="view_user")
    )

    role_groups_sync()

    assert group_codenames(CURATORS.name) == CURATORS.codenames(curated_models())
    assert group.permissions.filter(codename="view_user").exists()


def test_sync_recreates_missing_groups():
    Group.objects.filter(name__in=ROLES).delete()
    role_groups_sync()
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_role_migration_is_reversible():
    call_command("migrate", APP_LABEL, "0001", verbosity=0)
    assert not Group.objects.filter(name__in=ROLES).exists()
    call_command("migrate", APP_LABEL, verbosity=0)
    assert group_codenames(EDITORS.name) == EDITORS.codenames(curated_models())


def test_user_set_role_moves_the_user_between_roles(django_user_model):
    user = django_user_model.objects.create_user("someone")
    other = Group.objects.create(name="newsletter")
    user.groups.add(other)

    assert user_set_role(user=user, role=CURATORS) is True
    user.refresh_from_db()
    assert user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == {"curators", "newsletter"}
    assert user_set_role(user=user, role=CURATORS) is False

    user_set_role(user=user, role=EDITORS)
    assert set(user.groups.values_list("name", flat=True)) == {"editors", "newsletter"}
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("programs.publish_program")
    assert user.has_perm("programs.delete_citation")

    user_set_role(user=user, role=None)
    assert set(user.groups.values_list("name", flat=True)) == {"newsletter"}


def test_set_role_command(django_user_model, capsys):
    user = django_user_model.objects.create_user("wang")

    call_command("set_role", "wang", "editors")
    assert "wang is now in editors." in capsys.readouterr().out
    assert user.groups.get().name == "editors"

    call_command("set_role", "wang", "editors")
    assert "Nothing to do." in capsys.readouterr().out

    call_command("set_role", "wang", "none")
    assert "wang now has no curation role." in capsys.readouterr().out
    assert not user.groups.exists()


def test_set_role_command_refuses_unknown_users_and_roles(django_user_model):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("set_role", "nobody", "curators")
    django_user_model.objects.create_user("li")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("set_role", "li", "publishers")
