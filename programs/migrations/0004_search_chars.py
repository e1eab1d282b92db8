"""On PostgreSQL, each searched table keeps the Chinese characters of its text, indexed, for short queries.

A trigram index cannot serve a word of one or two characters (`LIKE '%院%'` has no trigram), and
such words are common in Chinese. `search_chars` is a stored generated column holding the set of
distinct CJK characters of the fields `search_text` joins; a GIN index on it finds the rows
holding every character of a short word, and `LIKE` then checks they stand together. It is a
stored column, not an expression index, so that a query whose plan reads rows in another order
(by name, say) checks it for the price of reading an array rather than recomputing it per row.

`programs_cjk_chars()` compares code points (`ascii()` of a character), never a collation, so it
is truly immutable. A generated column cannot read another one, hence the fields spelled out
here, as in each model's `search_text`. The models do not declare the column (SQLite has no
arrays); `programs.filters.SearchChars` reads it. PostgreSQL refuses to change the type of a
column that `search_chars` reads: drop and re-add `search_chars` around such a change.
"""

from django.db import migrations

SEARCHED_FIELDS = {
    "programs_organization": ["name", "name_en", "short_name", "aliases"],
    "programs_program": ["name", "name_en", "aliases", "summary", "summary_en"],
    "programs_person": ["name", "name_en", "headline", "headline_en"],
    "programs_project": ["title", "title_en", "summary", "summary_en"],
}

CJK_CHARS = """
CREATE FUNCTION programs_cjk_chars(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT c), '{}')
  FROM unnest(string_to_array($1, NULL)) AS c
  WHERE ascii(c) BETWEEN 13312 AND 40959  -- CJK Unified Ideographs and Extension A
     OR ascii(c) BETWEEN 63744 AND 64255  -- CJK Compatibility Ideographs
     OR ascii(c) >= 131072                -- the supplementary ideographic planes
$$
"""


def chars_of(fields: list[str]) -> str:
    joined = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
    return f"programs_cjk_chars({joined})"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CJK_CHARS)
    for table, fields in SEARCHED_FIELDS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_chars text[] GENERATED ALWAYS AS ({chars_of(fields)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search_chars ON {table} USING gin (search_chars)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_FIELDS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_chars")
    schema_editor.execute("DROP FUNCTION programs_cjk_chars(text)")


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_data_version_and_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
