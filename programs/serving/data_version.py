"""The data version: a database trigger counts the writes to the curated tables in the transaction
of each (migration 0003) and notes the moment of the last one (migration 0022); read here on one
database (the primary, or a replica).

The version is the pair. The count alone is not enough: a restored backup (`pg_restore`,
`loaddata`, a copy of the SQLite file) counts again from the dump's number, and its next writes
reach numbers the shared cache has seen with other data. The moment makes such a version new: a
restored database that has not been written to has the very pair it was dumped with, so what was
cached under that pair was computed from the same data and stays right; its next write notes a
moment no pair has had. Nothing has to be flushed after a restore.

The names' version is its like for the tables of named records only (migration 0021): the article
workspace's matcher rebuilds when it changes, and citations, which bump the data version, leave it.
"""

from typing import NamedTuple

from django.db import connections

DATA_VERSION = "programs_data_version"
NAMED_TABLES = ("programs_program", "programs_organization", "programs_person", "programs_project")
NAMES_VERSION = "programs_names_version"

# The moment of a write, in microseconds since 1970: PostgreSQL's clock at the statement (it moves
# within a transaction), SQLite's to the millisecond.
NOW = {
    "postgresql": "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint",
    "sqlite": "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER) * 1000",
}


def bump(table: str, vendor: str) -> str:
    """The statement a trigger runs on each write: one more write, made now."""
    return (
        f"INSERT INTO {table} (id, version, changed_at) VALUES (1, 1, {NOW[vendor]}) "  # noqa: S608 - constants
        f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1, changed_at = excluded.changed_at"
    )


class Version(NamedTuple):
    """A data version: how many writes, and the moment of the last (microseconds since 1970)."""

    count: int
    changed_at: int

    def __str__(self) -> str:
        return f"{self.count}.{self.changed_at}"  # as cache keys carry it

    def holds(self, other: "Version") -> bool:
        """Whether a copy at this version has every write one at `other` had: as many writes or
        more, the last no earlier. A copy still holding the writes a restore undid counts more
        writes than the restored database, but its last is earlier than the restored one's next."""
        return self.count >= other.count and self.changed_at >= other.changed_at


def stored_version(alias: str) -> Version:
    """The data version in the database `alias` now."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {DATA_VERSION} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    return Version(*row) if row else Version(0, 0)
