"""The read model: what the public lists, facets, search, exports and figures read.

Its definition is in `schema` (the listings) and `postgresql` (how PostgreSQL keeps them). It is
derived data, like an index: it is installed after every `migrate` that changed something (or
when its definition changed), from the code, and rebuilt from the curated tables there and then.
Before such a migration it is dropped, so that no migration ever trips on a view that reads the
tables it alters (SQLite cannot even rename a table a view reads). Migrations that only add or
remove indexes and constraints, or create tables, leave a maintained read model in place (`leaves_alone`).

On PostgreSQL the listings are tables kept exact by triggers in the writing transaction, with
counts kept alongside (`maintained()` is true). On SQLite they are views computed when read: the
embedded default holds a small curated data set, and the same queries run on both.
"""

import contextlib
import hashlib

from django.db import connections, transaction
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader

from programs.models.listings import maintained
from programs.reads.read_model import postgresql
from programs.reads.read_model.schema import LISTINGS, SQLITE
from programs.serving.data_version import DATA_VERSION, NAMED_TABLES, NAMES_VERSION, bump

STATE = "programs_read_model"

# Where a write changes what the public may see: each bumps the data version (programs.serving.caching).
VERSIONED_TABLES = (
    *postgresql.DEPENDENCIES,
    "programs_edition",
    "programs_projectmember",
    "programs_citation",
    "programs_identifier",
)


def sqlite_statements() -> list[str]:
    """The listings as views, and the data version's and the names' version's triggers, which SQLite
    drops with any table that a migration rebuilds (migrations 0003 and 0021 made them once; here they
    are made again after each, replacing any of an older definition, with the names' version's table
    when a migration was reverted past it)."""
    created = []
    for listing in LISTINGS:
        created += [
            listing.view_sql(SQLITE),
            f"CREATE VIEW {listing.table_name} AS SELECT * FROM {listing.live_view}",
        ]
    created += version_triggers(DATA_VERSION, VERSIONED_TABLES)
    return created + names_version_statements()


def names_version_statements() -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {NAMES_VERSION} "
        "(id integer PRIMARY KEY, version bigint NOT NULL, changed_at bigint NOT NULL DEFAULT 0)",
        f"INSERT INTO {NAMES_VERSION} (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING",
        *version_triggers(NAMES_VERSION, NAMED_TABLES),
    ]


def version_triggers(version_table: str, tables) -> list[str]:
    """SQLite's triggers that bump `version_table` on every write to `tables` (`version_table` less its
    `programs_` is their suffix: `programs_program_data_version_insert`)."""
    suffix = version_table.removeprefix("programs_")
    statements = []
    for table in tables:
        for event in ("insert", "update", "delete"):
            trigger = f"{table}_{suffix}_{event}"
            statements += [
                f"DROP TRIGGER IF EXISTS {trigger}",
                f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {table} BEGIN {bump(version_table, SQLITE)}; END",
            ]
    return statements


def sqlite_drop_statements() -> list[str]:
    dropped = []
    for listing in LISTINGS:
        dropped += [f"DROP VIEW IF EXISTS {listing.table_name}", f"DROP VIEW IF EXISTS {listing.live_view}"]
    return dropped


def _statements(connection) -> tuple[list[str], list[str]]:
    if connection.vendor == "postgresql":
        return postgresql.statements(), postgresql.drop_statements()
    return sqlite_statements(), sqlite_drop_statements()


def fingerprint(connection) -> str:
    return hashlib.sha256("\n;\n".join(_statements(connection)[0]).encode()).hexdigest()


def installed_fingerprint(connection) -> str | None:
    if STATE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fingerprint FROM {STATE}")
        row = cursor.fetchone()
    return row[0] if row else None


def uninstall(using: str = "default") -> None:
    connection = connections[using]
    if installed_fingerprint(connection) is None:
        return  # never installed, or dropped already: the tables its triggers sit on may not exist yet
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in _statements(connection)[1]:
            cursor.execute(statement)
        cursor.execute(f"DROP TABLE IF EXISTS {STATE}")


def install(using: str = "default", *, force: bool = False) -> bool:
    """Create the read model from its definition and fill it; True when it was (re)made.

    Left alone when the installed definition is the current one, unless `force` (the data may
    have changed without it, e.g. while migrations ran).
    """
    connection = connections[using]
    current = fingerprint(connection)
    if not force and installed_fingerprint(connection) == current:
        return False
    uninstall(using)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in _statements(connection)[0]:
            cursor.execute(statement)
        cursor.execute(f"CREATE TABLE {STATE} (fingerprint varchar(64) NOT NULL)")
        cursor.execute(f"INSERT INTO {STATE} (fingerprint) VALUES (%s)", [current])
        if connection.vendor == "postgresql":
            rebuild_and_analyze(cursor)
    return True


def rebuild_and_analyze(cursor) -> None:
    """Fill the listings from the curated tables, and give the planner their statistics."""
    cursor.execute("SELECT programs_read_rebuild()")
    for listing in LISTINGS:
        cursor.execute(f"ANALYZE {listing.table_name}")


@contextlib.contextmanager
def bulk_load(using: str = "default"):
    """A transaction for writing a great many rows at once (a synthetic data set): the read model is
    not kept row by row while it runs but rebuilt once at its end, from fresh statistics, in the
    same transaction, so no reader ever sees the rows without their listings."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if not maintained(using):
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {postgresql.SYNC_SETTING} = 'off'")
        yield
        with connection.cursor() as cursor:
            for table in postgresql.DEPENDENCIES:
                cursor.execute(f"ANALYZE {table}")
            rebuild_and_analyze(cursor)
            cursor.execute(f"SET LOCAL {postgresql.SYNC_SETTING} = 'on'")


def rebuild(using: str = "default") -> None:
    """Recompute every listing and count from the curated tables (PostgreSQL; SQLite computes them when read)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT programs_read_rebuild()")


def differences(using: str = "default") -> list[str]:
    """Where the maintained read model differs from what its definition computes from the curated
    tables now: an empty list when it is exact (PostgreSQL; SQLite computes it when read)."""
    if not maintained(using):
        return []
    problems = []
    with connections[using].cursor() as cursor:
        for where, kept, computed, (extra, missing) in _comparisons():
            for label, first, second in ((extra, kept, computed), (missing, computed, kept)):
                cursor.execute(f"SELECT count(*) FROM (({first}) EXCEPT ALL ({second})) d")
                if count := cursor.fetchone()[0]:
                    problems.append(f"{where}: {count} {label}")
    return problems


def _comparisons():
    """What `differences` compares, as queries: (what, its kept rows, the rows its definition
    computes, (what rows only kept are, what rows only computed are)) for each listing's rows and
    counts, then for the counted pairs."""
    for listing in LISTINGS:
        kept, computed = f"SELECT * FROM {listing.table_name}", f"SELECT * FROM {listing.live_view}"
        yield listing.table_name, kept, computed, ("stale or extra row(s)", "missing row(s)")
        counts = (
            f"SELECT {', '.join(postgresql.split_token('t'))}, count(*)::integer "
            f"FROM {listing.live_view}, unnest(facets) t GROUP BY t "
            f"UNION ALL SELECT '{postgresql.WORDS}', w, count(*)::integer "
            f"FROM {listing.live_view}, unnest(string_to_array(search_words, ' ')) w GROUP BY w "
            f"UNION ALL SELECT '', '', count(*)::integer FROM {listing.live_view} HAVING count(*) > 0"
        )
        kept = f"SELECT facet, value, n FROM {postgresql.COUNTS} WHERE listing = '{listing.name}' AND n <> 0"
        yield f"{postgresql.COUNTS} of {listing.name}", kept, counts, ("wrong count(s)", "missing count(s)")
    first, second = postgresql.split_token("p.a"), postgresql.split_token("p.b")
    pairs = " UNION ALL ".join(
        f"SELECT '{listing.name}', {', '.join(first)}, {', '.join(second)}, count(*)::integer "
        f"FROM ({postgresql.pair_tokens(listing, f'(SELECT facets, 1 AS d FROM {listing.live_view})')}) p "
        "GROUP BY p.a, p.b"
        for listing in LISTINGS
        if listing.pairs
    )
    kept = f"SELECT listing, facet_a, value_a, facet_b, value_b, n FROM {postgresql.PAIRS} WHERE n <> 0"
    yield postgresql.PAIRS, kept, pairs, ("wrong pair count(s)", "missing pair count(s)")


def programs_migrated(using: str) -> bool:
    loader = MigrationLoader(connections[using])
    return set(loader.graph.leaf_nodes("programs")) <= loader.applied_migrations.keys()


# Operations that neither touch a column the listings' views read nor write rows: migrations made
# only of these leave a maintained read model in place, since dropping it would leave the public
# lists nothing to read until its rebuild ends (minutes at a million programmes).
SCHEMA_ONLY = (
    operations.AddIndex,
    operations.RemoveIndex,
    operations.RenameIndex,
    operations.AddConstraint,
    operations.RemoveConstraint,
    operations.AlterModelOptions,
    operations.AlterModelManagers,
)


# The hint a migration's RunPython or RunSQL gives when it writes no table the read model reads
# (e.g. the role groups' permissions): `RunPython(..., hints={READ_MODEL_HINT: False})`.
READ_MODEL_HINT = "touches_read_model"


def leaves_alone(operation) -> bool:
    """Whether an operation cannot change what the read model reads: an index or constraint, a new
    table (the installed read model reads none; a definition that does has another fingerprint and
    is installed anew), or code that says so."""
    if isinstance(operation, (*SCHEMA_ONLY, operations.CreateModel)):
        return True
    return getattr(operation, "hints", {}).get(READ_MODEL_HINT, True) is False


def leaves_read_model_alone(plan, using: str) -> bool:
    """Whether every migration of `plan` (forwards or backwards) leaves the read model alone, on a
    database whose read model is maintained (SQLite remakes a table to add a constraint)."""
    return maintained(using) and all(
        leaves_alone(operation) for migration, _backwards in plan for operation in migration.operations
    )


def before_migrate(sender, using="default", plan=None, **kwargs):
    """pre_migrate: drop the read model before migrations change the tables it reads."""
    if plan and not leaves_read_model_alone(plan, using):
        uninstall(using)


def after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate: install the read model, and fill it again after migrations changed its tables."""
    if programs_migrated(using):
        install(using, force=bool(plan) and not leaves_read_model_alone(plan, using))
