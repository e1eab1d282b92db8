"""The curation roles, defined once: the data migration, `set_role` and the tests all read them.

- **curators** see, add and change every record, but cannot publish, unpublish or delete;
- **editors** also publish and unpublish (`publish_<model>`) and delete.

A role is a group of the same name holding exactly these permissions on the models of this app
(history tables aside). When a model is added, add a data migration that runs
`role_groups_sync` again: `tests/curation/test_roles.py` fails until the groups match the models.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth import get_permission_codename
from django.db import DEFAULT_DB_ALIAS, transaction
from simple_history.models import HistoricalChanges

APP_LABEL = "programs"
PUBLISH_PREFIX = "publish_"


@dataclass(frozen=True)
class Role:
    name: str
    actions: tuple[str, ...]
    publishes: bool

    def codenames(self, models) -> set[str]:
        """The permission codenames of this role over `models`."""
        codenames = set()
        for model in models:
            opts = model._meta
            codenames.update(get_permission_codename(action, opts) for action in self.actions)
            if self.publishes:
                codenames.update(codename for codename, _ in opts.permissions if codename.startswith(PUBLISH_PREFIX))
        return codenames


CURATORS = Role("curators", actions=("view", "add", "change"), publishes=False)
EDITORS = Role("editors", actions=("view", "add", "change", "delete"), publishes=True)
ROLES = {role.name: role for role in (CURATORS, EDITORS)}


def curated_models(apps=global_apps):
    """The app's models that curators work on: every model of the app but simple-history's tables
    and the read model's (which the database keeps)."""
    return [
        model
        for model in apps.get_app_config(APP_LABEL).get_models()
        if model._meta.managed and not issubclass(model, HistoricalChanges)
    ]


def role_groups_sync(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create each role's group and give it exactly the role's permissions on this app's models.

    Permissions on other apps that someone granted a group by hand are left alone. The
    permissions must exist: on a fresh database run `create_permissions` first (the data
    migration does), since Django creates them only after all migrations have run.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    models = curated_models(apps)
    with transaction.atomic(using=using):
        for role in ROLES.values():
            group, _ = Group.objects.using(using).get_or_create(name=role.name)
            wanted = role.codenames(models)
            permissions = Permission.objects.using(using).filter(content_type__app_label=APP_LABEL)
            missing = wanted - set(permissions.filter(codename__in=wanted).values_list("codename", flat=True))
            if missing:
                raise LookupError(f"Permissions missing for the {role.name} role: {', '.join(sorted(missing))}")
            group.permissions.remove(
                *group.permissions.filter(content_type__app_label=APP_LABEL).exclude(codename__in=wanted)
            )
            group.permissions.add(*permissions.filter(codename__in=wanted))


def user_set_role(*, user, role: Role | None) -> bool:
    """Make `user` a member of `role`'s group only (no role: of neither); staff when given a role.

    Returns whether anything changed. Superusers keep every permission whatever their groups.
    """
    from django.contrib.auth.models import Group

    role_groups = Group.objects.filter(name__in=ROLES)
    current = set(user.groups.filter(pk__in=role_groups).values_list("name", flat=True))
    wanted = {role.name} if role else set()
    changed = current != wanted or (role is not None and not user.is_staff)
    if not changed:
        return False
    with transaction.atomic():
        user.groups.remove(*role_groups.exclude(name__in=wanted))
        if role:
            user.groups.add(Group.objects.get(name=role.name))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
    return True
