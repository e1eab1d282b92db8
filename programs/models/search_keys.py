"""The search keys each searchable record stores: its text as search reads it, computed in Python.

Folding traditional characters (OpenCC), pinyin (pypinyin) and the orders of a person's name are
Python's work, which no generated column can do, so three plain columns hold what they give and
`SearchKeyField.pre_save` computes them from the record's own fields whenever it is saved:

- `search_names`: every form of the record's names, folded, one per line with a line break at
  each end (`\\n清华大学\\ntsinghua university\\nqinghuadaxue\\nqing hua da xue\\nqhdx\\n`), so that a
  whole line is an exact name and the start of one a prefix (programs/reads/search.py ranks by them);
- `search_words`: the Latin words of the names, the vocabulary typo tolerance corrects towards;
- `search_text`: the names' forms whose words a search looks for (not the spaced pinyin, nor the
  other order of a person's name: their words are in the joined pinyin and the name) and the
  record's other searched fields, folded. Every word of `search_names` is in it.

Every write path computes them: a save (admin, revert, `create()`) through `pre_save`, the bulk
inserts of imports and synthetic data (programs.models.bulk) and the importer's bulk updates
(`refresh()`); `loaddata` restores them as `dumpdata` wrote them. The read model copies them into
the listings (programs/reads/read_model/schema.py), adding a record's organizations' names.
A write by raw SQL is the one path that cannot compute them: `manage.py search_keys check` names
the records whose stored keys differ from what their fields give (`stale_records()`), `search_keys
rebuild` writes what they should be (`rebuild()`, also how migration 0020 filled them).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, models, transaction

from programs.models import text


@dataclass(frozen=True)
class SearchSpec:
    """Which fields of a model are its names (a line list or text each) and which are searched besides."""

    names: tuple[str, ...]
    other: tuple[str, ...] = ()
    person: bool = False  # a person's Latin name is found in either order

    @property
    def sources(self) -> tuple[str, ...]:
        return self.names + self.other


# By model name, so that migrations' historical models find them too.
SPECS = {
    "organization": SearchSpec(names=("name", "name_en", "short_name", "aliases")),
    "program": SearchSpec(names=("name", "name_en", "aliases"), other=("summary", "summary_en")),
    "person": SearchSpec(names=("name", "name_en"), other=("headline", "headline_en"), person=True),
    "project": SearchSpec(names=("title", "title_en"), other=("summary", "summary_en")),
    "source": SearchSpec(names=("title", "title_en"), other=("publisher", "publisher_en")),
    "researcharea": SearchSpec(names=("name", "name_en")),
}
KEYS = ("search_names", "search_words", "search_text")


def keys_from(spec: SearchSpec, values: dict[str, list[str]]) -> dict[str, str]:
    """The three keys of a record whose fields hold `values` (field → its values)."""
    names = [value for field in spec.names for value in values[field]]
    other = [text.search_fold(value) for field in spec.other for value in values[field]]
    return {
        "search_names": forms(names, person=spec.person),
        "search_words": " ".join(sorted({word for name in names for word in text.latin_words(name)})),
        "search_text": forms(names, searched=True) + "\n".join(filter(None, other)),
    }


def forms(names: list[str], **options) -> str:
    """The forms of `names` (`text.name_variants()` with `options`), one per line."""
    return lines(variant for name in names for variant in text.name_variants(name, **options))


def lines(forms) -> str:
    """Distinct forms, one per line, with a line break at each end (nothing when there is none)."""
    distinct = dict.fromkeys(forms)
    return "\n" + "\n".join(distinct) + "\n" if distinct else ""


def keys_of(record) -> dict[str, str]:
    """The keys of `record` as its fields are now (computed once per set of values)."""
    spec = SPECS[record._meta.model_name]
    values = {field: listed(getattr(record, field)) for field in spec.sources}
    signature = repr(values)
    cached = getattr(record, "_search_keys", None)
    if cached is None or cached[0] != signature:
        cached = (signature, keys_from(spec, values))
        record._search_keys = cached
    return cached[1]


def refresh_all(records) -> None:
    """`refresh()` each of `records`."""
    for record in records:
        refresh(record)


def refresh(record) -> None:
    """Set the record's keys from its fields, if it has any (for writes that bypass `save()`)."""
    if record._meta.model_name in SPECS:
        for key, value in keys_of(record).items():
            setattr(record, key, value)


def key_fields_changed(model, changed) -> list[str]:
    """The key columns to write along with `changed` fields of `model` (none if no source changed)."""
    spec = SPECS.get(model._meta.model_name)
    return list(KEYS) if spec is not None and set(changed) & set(spec.sources) else []


class SearchKeyField(models.TextField):
    """One of a record's search keys (`KEYS`), computed from its fields when it is saved; never edited."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = keys_of(model_instance)[self.attname]
        setattr(model_instance, self.attname, value)
        return value


def search_key_fields() -> tuple[SearchKeyField, SearchKeyField, SearchKeyField]:
    """The three key columns, for a searchable model to declare."""
    return SearchKeyField(), SearchKeyField(), SearchKeyField()


# Checking and rewriting the stored keys (manage.py search_keys; migration 0020_search_keys)

BATCH = 2000  # rows read, compared and written at a time


def listed(value) -> list[str]:
    """A field's value as the list of its non-empty values (a lines field is a list already)."""
    return [item for item in (value if isinstance(value, list) else [value]) if item]


def stale_rows(model, using: str = "default") -> Iterator[list[tuple[int, dict[str, str]]]]:
    """Batches of (pk, keys) of the rows of `model` (a searchable model, or its historical version in
    a migration) whose stored keys differ from the keys their fields give, read in one transaction
    (a server-side cursor on PostgreSQL must be read in the transaction that declared it)."""
    spec = SPECS[model._meta.model_name]
    rows = model._base_manager.using(using).order_by("pk").values_list("pk", *spec.sources, *KEYS)
    batch = []
    with transaction.atomic(using=using, savepoint=False):
        for pk, *values in rows.iterator(chunk_size=BATCH):
            sources, stored = values[: len(spec.sources)], values[len(spec.sources) :]
            computed = keys_from(spec, dict(zip(spec.sources, map(listed, sources), strict=True)))
            if [computed[key] for key in KEYS] != stored:
                batch.append((pk, computed))
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def stale_records(models_, using: str = "default") -> dict[str, list[int]]:
    """{table: ids} of the rows of `models_` whose stored keys are stale (a table whose keys are all
    exact is left out)."""
    found = {}
    for model in models_:
        ids = [pk for batch in stale_rows(model, using) for pk, _keys in batch]
        if ids:
            found[model._meta.db_table] = ids
    return found


def rebuild(models_, using: str = "default") -> dict[str, int]:
    """Write the keys of every row of `models_` whose stored keys are stale, in one transaction:
    {table: rows rewritten}. Only the stale rows are written, so the read model's triggers refresh
    only their listing rows."""
    written = {}
    with transaction.atomic(using=using):
        for model in models_:
            count = 0
            for batch in stale_rows(model, using):
                write_keys(model._meta.db_table, batch, using)
                count += len(batch)
            written[model._meta.db_table] = count
    return written


def write_keys(table: str, batch: list[tuple[int, dict[str, str]]], using: str = "default") -> None:
    """Set the keys of a batch of rows without `save()` (neither history nor timestamps change: the
    keys are derived from fields that did not change). On PostgreSQL the batch is copied into a
    scratch table and written by one UPDATE (row by row, a million records would take hours);
    elsewhere row by row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assigned = ", ".join(f"{key} = %s" for key in KEYS)
            sql = f"UPDATE {table} SET {assigned} WHERE id = %s"  # noqa: S608 (the model's own table)
            cursor.executemany(sql, [[*(keys[key] for key in KEYS), pk] for pk, keys in batch])
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS programs_search_keys_fill "
            "(id bigint, search_names text, search_words text, search_text text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY programs_search_keys_fill FROM STDIN") as copy:
            for pk, keys in batch:
                copy.write_row([pk, *(keys[key] for key in KEYS)])
        assigned = ", ".join(f"{key} = k.{key}" for key in KEYS)
        cursor.execute(f"UPDATE {table} t SET {assigned} FROM programs_search_keys_fill k WHERE t.id = k.id")  # noqa: S608
        cursor.execute("TRUNCATE programs_search_keys_fill")


def searchable_models() -> list:
    """The searchable models of the app, in SPECS' order."""
    return [apps.get_model("programs", name) for name in SPECS]
