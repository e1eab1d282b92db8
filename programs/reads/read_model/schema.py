"""What the read model holds: one listing per public list, defined once and written out per database.

A listing has one row per published record, with the columns that lists sort and filter on and
`facets`: the record's facet tokens, `name:value` strings such as `kind:award`, `sponsor:12` or
`country:CN`, one per value the record has (a programme with two sponsors has two `sponsor:`
tokens). Only what is public reaches a token: an organization that is still a draft gives none.
A list filter is "has one of these tokens", a facet count is a count of tokens, and an unfiltered
count is kept in `programs_facet_count` (see programs/reads/read_model/postgresql.py).

Each listing is a view over the curated tables, `programs_<name>_live`, computed when read: that is
the whole read model on SQLite, and on PostgreSQL the definition from which the trigger-maintained
table `programs_<name>_listing` is refreshed. The SQL is the same on both databases but for how a
list of tokens or of names is aggregated (an array, or a JSON array on SQLite) and PostgreSQL's
`search_chars`, the Chinese characters of the searched text that its index of short words reads.
"""

from dataclasses import dataclass

from programs.models import OrganizationKind
from programs.models.querysets import PARTNER_ROLES, PUBLISHED, SPONSOR_ROLES

POSTGRESQL, SQLITE = "postgresql", "sqlite"


def sql_list(values) -> str:
    """A parenthesised list of SQL string literals (the values are the code's own constants)."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def sector_of(kind: str) -> str:
    """The SQL for the sector (academia, industry, other) of an organization kind expression."""
    academic = sql_list(kind.value for kind in OrganizationKind if kind.is_academic)
    industry = sql_list(kind.value for kind in OrganizationKind if kind.is_industry)
    return f"CASE WHEN {kind} IN {academic} THEN 'academia' WHEN {kind} IN {industry} THEN 'industry' ELSE 'other' END"


@dataclass(frozen=True)
class Listing:
    """A listing's definition. Token selects are correlated with the base table's alias, and each
    yields a column `t` (NULL tokens are dropped)."""

    name: str
    table: str
    alias: str
    where: str
    columns: tuple[tuple[str, str], ...]
    tokens: tuple[str, ...]
    repeated_tokens: tuple[str, ...] = ()  # kept once per occurrence, e.g. each career move
    indexes: tuple[tuple[str, str], ...] = ()  # PostgreSQL indexes: (name suffix, definition)
    # Pairs of facets whose tokens PostgreSQL counts together: (facet, the facets paired with it).
    pairs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Where the names of the record's published organizations are found, searched with its own text:
    # FROM and WHERE of a select of organizations `o`, correlated with the base table's alias.
    organizations: str = ""

    @property
    def live_view(self) -> str:
        return f"programs_{self.name}_live"

    @property
    def table_name(self) -> str:
        return f"programs_{self.name}_listing"

    def all_columns(self, vendor: str) -> tuple[tuple[str, str], ...]:
        """Every column but the facets: the listing's own, then its search keys (programs.models.search_keys)."""
        text = self.search_text_sql(vendor)
        searched = (
            ("search_names", f"{self.alias}.search_names"),
            ("search_words", f"{self.alias}.search_words"),
            ("search_text", text),
        )
        if vendor == POSTGRESQL:
            searched += (("search_chars", f"programs_cjk_chars({text})"),)
        return self.columns + searched

    def search_text_sql(self, vendor: str) -> str:
        """The record's searched text, then that of its organizations, their names (in a stable order
        on PostgreSQL)."""
        own = f"{self.alias}.search_text"
        if not self.organizations:
            return own
        joined = "string_agg(n.names, '' ORDER BY n.names)" if vendor == POSTGRESQL else "group_concat(n.names, '')"
        names = f"SELECT DISTINCT o.search_text AS names {self.organizations}"
        return f"({own} || coalesce((SELECT {joined} FROM ({names}) n), ''))"

    def column_names(self, vendor: str) -> list[str]:
        return [name for name, _expression in self.all_columns(vendor)] + ["facets"]

    def view_sql(self, vendor: str) -> str:
        selected = ",\n  ".join(f"{expression} AS {name}" for name, expression in self.all_columns(vendor))
        return (
            f"CREATE VIEW {self.live_view} AS\nSELECT\n  {selected},\n  {self.facets_sql(vendor)} AS facets\n"
            f"FROM {self.table} {self.alias}\nWHERE {self.where}"
        )

    def facets_sql(self, vendor: str) -> str:
        tokens = f"SELECT DISTINCT d.t FROM ({' UNION ALL '.join(self.tokens)}) d WHERE d.t IS NOT NULL"
        if self.repeated_tokens:
            tokens += " UNION ALL " + " UNION ALL ".join(self.repeated_tokens)
        if vendor == POSTGRESQL:
            return f"ARRAY(SELECT u.t FROM ({tokens}) u ORDER BY u.t)"
        return f"(SELECT json_group_array(o.t) FROM (SELECT u.t FROM ({tokens}) u ORDER BY u.t) o)"


def english_sort(field: str, alias: str) -> str:
    """The order of English pages: the English value, lower-cased, falling back to the Chinese one."""
    return f"lower(coalesce(nullif({alias}.{field}_en, ''), {alias}.{field}))"


def common_columns(alias: str, name: str = "name") -> tuple[tuple[str, str], ...]:
    return (
        ("id", f"{alias}.id"),
        (name, f"{alias}.{name}"),
        (f"{name}_en_sort", english_sort(name, alias)),
        ("created_at", f"{alias}.created_at"),
        ("updated_at", f"{alias}.updated_at"),
    )


# The longest prefix of a form of a name that PostgreSQL indexes: the rows whose names start with a
# query (the best tiers of a search's relevance, programs/reads/search.py) are read from this index,
# a longer query's first PREFIX_LENGTH characters. Longer prefixes would make the index as large as
# the table for few rows fewer to check.
PREFIX_LENGTH = 6

# The prefixes of the forms of a row's names (one per line of `search_names`), for that index; an
# SQL function, so that the query names the index's expression. `left()` counts characters.
NAME_PREFIXES = f"""CREATE FUNCTION programs_name_prefixes(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT left(f, n)), '{{}}')
  FROM unnest(string_to_array($1, E'\\n')) AS f, generate_series(1, least(char_length(f), {PREFIX_LENGTH})) AS n
  WHERE f <> ''
$$"""

# The pairs of adjacent Chinese characters in a row's names (`programs_cjk_chars` is migration 0004's),
# for the index of the rows with a Chinese word of two characters or more in their names: no trigram
# index serves two characters, and the rows holding a word's characters apart are most rows when the
# characters are common ones (大, 学).
CJK = "(ascii({c}) BETWEEN 13312 AND 40959 OR ascii({c}) BETWEEN 63744 AND 64255 OR ascii({c}) >= 131072)"
NAME_BIGRAMS = f"""CREATE FUNCTION programs_cjk_bigrams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT p), '{{}}')
  FROM (SELECT substr($1, i, 2) AS p FROM generate_series(1, char_length($1) - 1) AS i) pairs
  WHERE {CJK.format(c="left(p, 1)")} AND {CJK.format(c="right(p, 1)")}
$$"""

SEARCH_INDEXES = (
    ("search_trgm", "USING gin (search_text gin_trgm_ops)"),
    # The rows with every word of a search in their names, relevance's best tiers (programs/reads/search.py):
    # its words of three letters or more, its Chinese words' pairs of characters, a lone character.
    ("names_trgm", "USING gin (search_names gin_trgm_ops)"),
    ("names_bigrams", "USING gin (programs_cjk_bigrams(search_names))"),
    ("names_chars", "USING gin (programs_cjk_chars(search_names))"),
    ("search_chars", "USING gin (search_chars)"),
    ("name_prefixes", "USING gin (programs_name_prefixes(search_names))"),
    # The rows in the sample that facet counts beyond their exact bound are estimated from
    # (programs/reads/facets.py: SAMPLE_BUCKETS).
    ("sample", "((id % 1024))"),
)
NEWEST_INDEXES = (("newest", "(created_at DESC, id DESC)"), ("modified", "(updated_at, id)"))


# Each published participant of a programme gives four tokens: its role (sponsor or partner; a
# mere participant has neither), the organization itself, its kind and its country. One scan of
# the participations yields them all.
PARTICIPANT_TOKENS = f"""SELECT CASE v.k
    WHEN 1 THEN CASE WHEN pa.role IN {sql_list(SPONSOR_ROLES)} THEN 'sponsor:'
                     WHEN pa.role IN {sql_list(PARTNER_ROLES)} THEN 'partner:' END || o.id
    WHEN 2 THEN 'organization:' || o.id
    WHEN 3 THEN 'organization_kind:' || o.kind
    WHEN 4 THEN CASE WHEN o.country <> '' THEN 'country:' || o.country END
  END AS t
  FROM programs_participation pa
  JOIN programs_organization o ON o.id = pa.organization_id
  CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) v
  WHERE pa.program_id = p.id AND o.status = '{PUBLISHED}'"""

# The programme list's facets, and those of them with few values: the rows of one value of such a
# facet are often most of the list, so each value is counted with every facet's values (a page
# filtered by one of them reads its facets from these pairs instead of counting its rows).
PROGRAM_FACETS = ("kind", "lifecycle", "organization_kind", "country", "research_area", "sponsor", "partner")
BROAD_FACETS = ("kind", "lifecycle", "organization_kind", "country", "research_area", "start_year")

PROGRAMS = Listing(
    name="program",
    table="programs_program",
    alias="p",
    where=f"p.status = '{PUBLISHED}'",
    columns=(
        *common_columns("p"),
        ("start_year", "p.start_year"),
    ),
    organizations=(
        "FROM programs_participation pa JOIN programs_organization o ON o.id = pa.organization_id "
        f"WHERE pa.program_id = p.id AND o.status = '{PUBLISHED}'"
    ),
    tokens=(
        "SELECT 'kind:' || p.kind AS t",
        "SELECT 'lifecycle:' || p.lifecycle",
        "SELECT 'start_year:' || p.start_year WHERE p.start_year IS NOT NULL",
        PARTICIPANT_TOKENS,
        "SELECT 'research_area:' || a.id FROM programs_program_research_areas pra "
        "JOIN programs_researcharea a ON a.id = pra.researcharea_id "
        f"WHERE pra.program_id = p.id AND a.status = '{PUBLISHED}'",
    ),
    indexes=(
        ("name", "(name, id)"),
        ("name_en", "(name_en_sort, id)"),
        ("latest_start", "(start_year DESC NULLS LAST, name, id)"),
        ("earliest_start", "(start_year ASC NULLS LAST, name, id)"),
        *NEWEST_INDEXES,
        ("facets", "USING gin (facets)"),
        *SEARCH_INDEXES,
    ),
    # Organizations sharing programmes, an organization's programmes per kind and start year (its
    # page's figures), and the broad facets' values with every facet's.
    pairs=(
        ("organization", ("organization", "kind", "start_year")),
        *((facet, tuple(other for other in PROGRAM_FACETS if other != facet)) for facet in BROAD_FACETS),
    ),
)

ORGANIZATIONS = Listing(
    name="organization",
    table="programs_organization",
    alias="o",
    where=f"o.status = '{PUBLISHED}'",
    columns=(
        *common_columns("o"),
        (
            "program_count",
            "(SELECT count(DISTINCT pa.program_id) FROM programs_participation pa "
            "JOIN programs_program pr ON pr.id = pa.program_id "
            f"WHERE pa.organization_id = o.id AND pr.status = '{PUBLISHED}')",
        ),
    ),
    tokens=(
        "SELECT 'kind:' || o.kind AS t",
        "SELECT 'country:' || o.country WHERE o.country <> ''",
    ),
    indexes=(
        ("name", "(name, id)"),
        ("name_en", "(name_en_sort, id)"),
        ("busiest", "(program_count DESC, name, id)"),
        *NEWEST_INDEXES,
        ("facets", "USING gin (facets)"),
        *SEARCH_INDEXES,
    ),
)

# A person's published positions, in career order (undated ones first, as Person.career() does).
CAREER = f"""FROM programs_affiliation af
      JOIN programs_organization o ON o.id = af.organization_id
      WHERE af.person_id = pe.id AND o.status = '{PUBLISHED}'"""

PEOPLE = Listing(
    name="person",
    table="programs_person",
    alias="pe",
    where=f"pe.status = '{PUBLISHED}'",
    columns=common_columns("pe"),
    organizations=CAREER,
    tokens=(
        f"SELECT 'organization:' || o.id AS t {CAREER}",
        f"SELECT 'sector:' || {sector_of('o.kind')} {CAREER}",
        "SELECT 'program:' || i.program_id FROM programs_involvement i "
        f"JOIN programs_program pr ON pr.id = i.program_id WHERE i.person_id = pe.id AND pr.status = '{PUBLISHED}'",
        "SELECT 'role:' || i.role FROM programs_involvement i "
        f"JOIN programs_program pr ON pr.id = i.program_id WHERE i.person_id = pe.id AND pr.status = '{PUBLISHED}'",
    ),
    # Each move between two organizations of a career, from one sector to another, counts once.
    repeated_tokens=(
        f"""SELECT 'move:' || {sector_of("s.previous_kind")} || '>' || {sector_of("s.kind")} AS t FROM (
      SELECT o.id AS organization, o.kind,
        LAG(o.id) OVER (ORDER BY af.start_year ASC NULLS FIRST, af.id) AS previous_organization,
        LAG(o.kind) OVER (ORDER BY af.start_year ASC NULLS FIRST, af.id) AS previous_kind
      {CAREER}
    ) s WHERE s.previous_organization <> s.organization""",
    ),
    indexes=(
        ("name", "(name, id)"),
        ("name_en", "(name_en_sort, id)"),
        *NEWEST_INDEXES,
        ("facets", "USING gin (facets)"),
        *SEARCH_INDEXES,
    ),
    # A sector or a role holds about half the people: a list filtered by one reads its other
    # facets from these pairs instead of counting its rows.
    pairs=(("sector", ("role", "organization")), ("role", ("sector", "organization"))),
)

PROJECTS = Listing(
    name="project",
    table="programs_project",
    alias="pj",
    where=(
        f"pj.status = '{PUBLISHED}' AND EXISTS "
        f"(SELECT 1 FROM programs_program pr WHERE pr.id = pj.program_id AND pr.status = '{PUBLISHED}')"
    ),
    columns=(
        *common_columns("pj", "title"),
        ("year", "pj.year"),
    ),
    tokens=("SELECT 'program:' || pj.program_id AS t",),
    indexes=(
        ("title", "(title, id)"),
        ("title_en", "(title_en_sort, id)"),
        ("latest", "(year DESC NULLS LAST, title, id)"),
        *NEWEST_INDEXES,
        ("facets", "USING gin (facets)"),
        *SEARCH_INDEXES,
    ),
)

SOURCES = Listing(
    name="source",
    table="programs_source",
    alias="s",
    where=f"s.status = '{PUBLISHED}'",
    columns=(
        *common_columns("s", "title"),
        ("published_on", "s.published_on"),
    ),
    tokens=("SELECT 'language:' || s.language AS t",),
    indexes=(
        ("latest", "(published_on DESC NULLS LAST, title, id)"),
        ("title_en", "(title_en_sort, id)"),
        ("modified", "(updated_at, id)"),
        ("facets", "USING gin (facets)"),
        *SEARCH_INDEXES,
    ),
)

LISTINGS = (PROGRAMS, ORGANIZATIONS, PEOPLE, PROJECTS, SOURCES)
BY_NAME = {listing.name: listing for listing in LISTINGS}
