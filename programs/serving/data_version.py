"""The data version: a number a database trigger increments in the transaction of every write to
the curated tables (migration 0003), read here on one database (the primary, or a replica).

The names' version is its like for the tables of named records only (migration 0021): the article
workspace's matcher rebuilds when it changes, and citations, which bump the data version, leave it.
"""

from django.db import connections


def stored_version(alias: str) -> int:
    """The data version in the database `alias` now."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT version FROM programs_data_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


NAMED_TABLES = ("programs_program", "programs_organization", "programs_person", "programs_project")
NAMES_VERSION = "programs_names_version"
NAMES_BUMP = (
    "INSERT INTO programs_names_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = programs_names_version.version + 1"
)
