"""How PostgreSQL keeps the read model exact: listing tables refreshed by triggers, counts kept by deltas.

Every write to a curated table fires a statement-level trigger (with transition tables, so a bulk
insert of 5,000 rows is one refresh, not 5,000) that names the listing rows the write may have
changed: the programme of a new participation, the people of a programme that was unpublished,
and so on (`DEPENDENCIES`). `programs_read_refresh_<listing>(ids)` recomputes those rows from the
listing's live view and writes only the rows that differ, in the writing transaction: a reader
sees the listing change exactly when it sees the data change, and never sees a draft in it.

Each listing table has its own triggers that turn the rows it gained, lost or changed into deltas
of token counts (`programs_facet_count`: per listing, facet and value, plus the listing's size
under the empty facet) and of pairs of a row's tokens (`programs_facet_pair`, per `Listing.pairs`:
organizations sharing programmes, an organization's programmes per kind and start year, people
per sector and role);
an organization's `program_count` is its `organization:` token count, kept on its listing row so
that the organization list sorts by it. Deltas are applied in key order, so two writers never
wait for each other's count rows in opposite orders.

A session can set `programs.reads.read_model` to `off` (bulk loads that rebuild afterwards); nothing
else is ever skipped.
"""

from dataclasses import dataclass

from programs.reads.read_model.schema import (
    LISTINGS,
    NAME_BIGRAMS,
    NAME_PREFIXES,
    ORGANIZATIONS,
    PEOPLE,
    POSTGRESQL,
    PROGRAMS,
    PROJECTS,
    SOURCES,
    Listing,
)

COUNTS = "programs_facet_count"
PAIRS = "programs_facet_pair"


def pair_tokens(listing: Listing, rows: str) -> str:
    """The counted pairs (a, b) of tokens (`listing.pairs`) of each of `rows` (a relation with
    `facets` and `d`, +1 or -1), with its `d`."""
    facet_a, facet_b = split_token("a.t")[0], split_token("b.t")[0]
    wanted = " OR ".join(
        f"({facet_a} = '{first}' AND {facet_b} IN ({', '.join(repr(second) for second in seconds)}))"
        for first, seconds in listing.pairs
    )
    return (
        f"SELECT a.t AS a, b.t AS b, c.d FROM {rows} c, unnest(c.facets) a(t), unnest(c.facets) b(t) "
        f"WHERE ({wanted}) AND a.t <> b.t"
    )


def split_token(column: str) -> tuple[str, str]:
    return f"split_part({column}, ':', 1)", f"substr({column}, strpos({column}, ':') + 1)"


SYNC_SETTING = "programs.reads.read_model"


@dataclass(frozen=True)
class Dependency:
    """Listing rows a write to a curated table may change.

    `ids` selects them from `{rows}`, a relation of the written rows (old and new). `when` names
    the columns whose change matters: an update that leaves them alone does not reach the listing.
    """

    listing: Listing
    ids: str
    when: tuple[str, ...] = ()


def _of(listing: Listing, column: str = "id") -> Dependency:
    return Dependency(listing, f"SELECT r.{column} FROM {{rows}} r")


# Dependents come before the record's own listing: an organization's row recounts its programmes
# from the tables, so it is refreshed after the programmes' deltas have reached it.
DEPENDENCIES = {
    "programs_program": (
        Dependency(
            PEOPLE,
            "SELECT i.person_id FROM programs_involvement i WHERE i.program_id IN (SELECT r.id FROM {rows} r)",
            when=("status",),
        ),
        Dependency(
            PROJECTS,
            "SELECT pj.id FROM programs_project pj WHERE pj.program_id IN (SELECT r.id FROM {rows} r)",
            when=("status",),
        ),
        _of(PROGRAMS),
    ),
    "programs_participation": (_of(PROGRAMS, "program_id"),),
    "programs_program_research_areas": (_of(PROGRAMS, "program_id"),),
    "programs_researcharea": (
        Dependency(
            PROGRAMS,
            "SELECT pra.program_id FROM programs_program_research_areas pra "
            "WHERE pra.researcharea_id IN (SELECT r.id FROM {rows} r)",
            when=("status",),
        ),
    ),
    "programs_organization": (
        Dependency(
            PROGRAMS,
            "SELECT pa.program_id FROM programs_participation pa "
            "WHERE pa.organization_id IN (SELECT r.id FROM {rows} r)",
            when=("status", "kind", "country", "search_text"),
        ),
        Dependency(
            PEOPLE,
            "SELECT af.person_id FROM programs_affiliation af WHERE af.organization_id IN (SELECT r.id FROM {rows} r)",
            when=("status", "kind", "search_text"),
        ),
        _of(ORGANIZATIONS),
    ),
    "programs_person": (_of(PEOPLE),),
    "programs_affiliation": (_of(PEOPLE, "person_id"),),
    "programs_involvement": (_of(PEOPLE, "person_id"),),
    "programs_project": (_of(PROJECTS),),
    "programs_source": (_of(SOURCES),),
}

EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}

SYNC_OFF = f"IF current_setting('{SYNC_SETTING}', true) = 'off' THEN RETURN NULL; END IF;"


def plpgsql(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n{body}\nRETURN NULL;\nEND\n$fn$"


def by_event(branches: dict[str, str]) -> str:
    """PL/pgSQL running the branch of the trigger's event (each may read only its own transition tables)."""
    return (
        "\n".join(
            f"{'IF' if index == 0 else 'ELSIF'} TG_OP = '{event}' THEN\n{branch}"
            for index, (event, branch) in enumerate(branches.items())
        )
        + "\nEND IF;"
    )


def triggers(table: str, function: str, prefix: str) -> list[str]:
    return [
        f"CREATE TRIGGER {prefix}_{event.lower()} AFTER {event} ON {table} {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for event, referencing in EVENTS.items()
    ]


# Refreshing listing rows


def refresh_function(listing: Listing) -> str:
    """Rewrite the listing rows `ids` from the live view: update those that differ, insert new ones,
    delete those no longer listed (the three touch different rows, so one statement does all)."""
    columns = listing.column_names(POSTGRESQL)
    assigned = ", ".join(columns)
    values = ", ".join(f"f.{column}" for column in columns)
    table = listing.table_name
    return f"""CREATE FUNCTION programs_read_refresh_{listing.name}(ids bigint[]) RETURNS void LANGUAGE sql AS $fn$
WITH fresh AS MATERIALIZED (SELECT * FROM {listing.live_view} WHERE id = ANY(ids)),
updated AS (
  UPDATE {table} l SET ({assigned}) = ({values}) FROM fresh f
  WHERE l.id = f.id AND (l.*) IS DISTINCT FROM (f.*)
  RETURNING l.id
),
deleted AS (
  DELETE FROM {table} l WHERE l.id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = l.id)
  RETURNING l.id
)
INSERT INTO {table} SELECT f.* FROM fresh f WHERE NOT EXISTS (SELECT 1 FROM {table} l WHERE l.id = f.id)
$fn$"""


def written_rows(event: str, when: tuple[str, ...]) -> str:
    """The written rows a dependency reads, for one trigger event."""
    if event == "INSERT":
        return "new_rows"
    if event == "DELETE":
        return "old_rows"
    if when:
        new = ", ".join(f"n.{column}" for column in when)
        old = ", ".join(f"o.{column}" for column in when)
        return f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ({new}) IS DISTINCT FROM ({old}))"
    return "(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)"


def changed_function(table: str) -> str:
    branches = {}
    for event in EVENTS:
        branches[event] = "\n".join(
            f"PERFORM programs_read_refresh_{dependency.listing.name}"
            f"(ARRAY({dependency.ids.format(rows=written_rows(event, dependency.when))}));"
            for dependency in DEPENDENCIES[table]
        )
    return plpgsql(f"programs_read_changed_{table}", SYNC_OFF + "\n" + by_event(branches))


def truncated_function() -> str:
    return plpgsql("programs_read_truncated", "PERFORM programs_read_rebuild();")


# Counts


# The listing's vocabulary, counted as the values of this facet: the Latin words of its records'
# names that typo tolerance corrects towards (programs/reads/search.py).
WORDS = "word"


def count_statement(listing: Listing, changes: str) -> str:
    """Apply the token count deltas of `changes` (rows of facets and search words, each with +1 or -1)."""
    facet, value = split_token("t")
    deltas = f"""WITH changes AS ({changes}),
delta AS (
  SELECT {facet} AS facet, {value} AS value, sum(c.d)::integer AS n
  FROM changes c, unnest(c.facets) t GROUP BY t
  UNION ALL
  SELECT '{WORDS}', w, sum(c.d)::integer FROM changes c, unnest(string_to_array(c.search_words, ' ')) w GROUP BY w
  UNION ALL
  SELECT '', '', sum(c.d)::integer FROM changes c
)"""
    count = f"""INSERT INTO {COUNTS} AS fc (listing, facet, value, n)
  SELECT '{listing.name}', d.facet, d.value, d.n FROM delta d WHERE d.n <> 0 ORDER BY d.facet, d.value
  ON CONFLICT (listing, facet, value) DO UPDATE SET n = fc.n + EXCLUDED.n"""
    writes = [count]
    if listing.pairs:
        writes.append(f"""INSERT INTO {PAIRS} AS fp (listing, facet_a, value_a, facet_b, value_b, n)
  SELECT '{listing.name}', {", ".join(split_token("d.a"))}, {", ".join(split_token("d.b"))}, d.n
  FROM (SELECT p.a, p.b, sum(p.d)::integer AS n FROM ({pair_tokens(listing, "changes")}) p GROUP BY p.a, p.b) d
  WHERE d.n <> 0 ORDER BY d.a, d.b
  ON CONFLICT (listing, facet_a, value_a, facet_b, value_b) DO UPDATE SET n = fp.n + EXCLUDED.n""")
    if listing is PROGRAMS:
        writes.append(f"""UPDATE {ORGANIZATIONS.table_name} o SET program_count = o.program_count + d.n
FROM delta d WHERE d.facet = 'organization' AND d.n <> 0 AND o.id = d.value::bigint""")
    # All but the last write run as data-modifying CTEs of the last: one statement, one scan of the changes.
    *first, last = writes
    ctes = "".join(f",\nwrite_{index} AS ({write}\n  RETURNING 1)" for index, write in enumerate(first))
    return f"{deltas}{ctes}\n{last};"


def count_function(listing: Listing) -> str:
    changes = {
        "INSERT": "SELECT r.facets, r.search_words, 1 AS d FROM new_rows r",
        "UPDATE": "SELECT r.facets, r.search_words, 1 AS d FROM new_rows r "
        "UNION ALL SELECT r.facets, r.search_words, -1 FROM old_rows r",
        "DELETE": "SELECT r.facets, r.search_words, -1 AS d FROM old_rows r",
    }
    body = by_event({event: count_statement(listing, source) for event, source in changes.items()})
    return plpgsql(f"programs_read_count_{listing.name}", body)


def rebuild_function() -> str:
    # Organizations last: their rows recount their programmes, which the programme rows' deltas
    # would otherwise add a second time.
    ordered = [listing for listing in LISTINGS if listing is not ORGANIZATIONS] + [ORGANIZATIONS]
    tables = ", ".join([listing.table_name for listing in LISTINGS] + [COUNTS, PAIRS])
    inserts = "\n".join(f"INSERT INTO {listing.table_name} SELECT * FROM {listing.live_view};" for listing in ordered)
    return f"""CREATE FUNCTION programs_read_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
TRUNCATE {tables};
{inserts}
END
$fn$"""


def statements() -> list[str]:
    """Everything the read model is on PostgreSQL, in the order it is created."""
    created = [
        NAME_PREFIXES,
        NAME_BIGRAMS,
        f"""CREATE TABLE {COUNTS} (
  listing varchar(20) NOT NULL, facet varchar(40) NOT NULL, value varchar(200) NOT NULL, n integer NOT NULL,
  PRIMARY KEY (listing, facet, value))""",
        f"CREATE INDEX {COUNTS}_busiest ON {COUNTS} (listing, facet, n DESC, value)",
        f"CREATE INDEX {COUNTS}_words ON {COUNTS} USING gin (value gin_trgm_ops) WHERE facet = '{WORDS}'",
        f"""CREATE TABLE {PAIRS} (
  listing varchar(20) NOT NULL, facet_a varchar(40) NOT NULL, value_a varchar(200) NOT NULL,
  facet_b varchar(40) NOT NULL, value_b varchar(200) NOT NULL, n integer NOT NULL,
  PRIMARY KEY (listing, facet_a, value_a, facet_b, value_b))""",
        f"CREATE INDEX {PAIRS}_busiest ON {PAIRS} (listing, facet_a, value_a, facet_b, n DESC, value_b)",
    ]
    for listing in LISTINGS:
        table = listing.table_name
        created += [
            listing.view_sql(POSTGRESQL),
            f"CREATE TABLE {table} AS SELECT * FROM {listing.live_view} WITH NO DATA",
            f"ALTER TABLE {table} ADD PRIMARY KEY (id)",
            *(f"CREATE INDEX {table}_{name} ON {table} {definition}" for name, definition in listing.indexes),
            refresh_function(listing),
            count_function(listing),
            *triggers(table, f"programs_read_count_{listing.name}", f"{table}_counts"),
        ]
    created.append(rebuild_function())
    created.append(truncated_function())
    for table in DEPENDENCIES:
        created.append(changed_function(table))
        created += triggers(table, f"programs_read_changed_{table}", f"{table}_read_model")
        created.append(
            f"CREATE TRIGGER {table}_read_model_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION programs_read_truncated()"
        )
    return created


def drop_statements() -> list[str]:
    """Everything `statements()` creates, dropped if it exists (the curated tables are untouched)."""
    dropped = []
    for table in DEPENDENCIES:
        dropped += [f"DROP TRIGGER IF EXISTS {table}_read_model_{event.lower()} ON {table}" for event in EVENTS]
        dropped.append(f"DROP TRIGGER IF EXISTS {table}_read_model_truncate ON {table}")
        dropped.append(f"DROP FUNCTION IF EXISTS programs_read_changed_{table}()")
    dropped += ["DROP FUNCTION IF EXISTS programs_read_truncated()", "DROP FUNCTION IF EXISTS programs_read_rebuild()"]
    for listing in LISTINGS:
        dropped += [
            f"DROP TABLE IF EXISTS {listing.table_name}",
            f"DROP FUNCTION IF EXISTS programs_read_count_{listing.name}()",
            f"DROP FUNCTION IF EXISTS programs_read_refresh_{listing.name}(bigint[])",
            f"DROP VIEW IF EXISTS {listing.live_view}",
        ]
    dropped += [f"DROP TABLE IF EXISTS {PAIRS}", f"DROP TABLE IF EXISTS {COUNTS}"]
    dropped += [f"DROP FUNCTION IF EXISTS {name}(text)" for name in ("programs_name_prefixes", "programs_cjk_bigrams")]
    return dropped
