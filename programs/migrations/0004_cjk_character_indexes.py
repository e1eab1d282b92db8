"""On PostgreSQL, GIN indexes on the Chinese characters of each `search_text`, for short queries.

A trigram index cannot serve a word of one or two characters (`LIKE '%院%'` has no trigram), and
such words are common in Chinese. `programs_cjk_chars(text)` is the set of distinct CJK
characters of a text; an index on it finds the rows holding every character of the word, and
`LIKE` then checks they stand together. The function compares code points (`ascii()` of a
character), never a collation, so it is truly immutable.
"""

from django.db import migrations

# The tables with a `search_text` column (as in migration 0003).
SEARCHED_TABLES = ["programs_organization", "programs_program", "programs_person", "programs_project"]

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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CJK_CHARS)
    for table in SEARCHED_TABLES:
        schema_editor.execute(f"CREATE INDEX {table}_search_cjk ON {table} USING gin (programs_cjk_chars(search_text))")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_cjk")
    schema_editor.execute("DROP FUNCTION IF EXISTS programs_cjk_chars(text)")


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_data_version_and_search_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
