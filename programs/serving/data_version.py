"""The data version: a number a database trigger increments in the transaction of every write to
the curated tables (migration 0003), read here on one database (the primary, or a replica)."""

from django.db import connections


def stored_version(alias: str) -> int:
    """The data version in the database `alias` now."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT version FROM programs_data_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0
