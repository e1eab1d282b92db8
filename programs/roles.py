"""An import path the migrations name: the code lives in `programs.curation.roles`; nothing else imports it."""

from programs.curation.roles import ROLES, role_groups_sync

__all__ = ["ROLES", "role_groups_sync"]
