"""List table rows, rendered once per record, language and data version.

A record's row reads the same on every list, page, order and filter that shows it, so its HTML
is cached under the data version (programs/caching.py) like the counts and facets: a list page
whose rows were all rendered before loads only their ids, not the records with what their rows
show, and renders none of them. A write changes the version, and every row with it.

A model's row is `includes/_<model name>_row.html`, given the record (loaded with `for_list()`)
under the model's name.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from programs.caching import TIMEOUT, cache_key
from programs.models import Program


def rendered_rows(model, ids: list[int], loaded: dict | None = None) -> list[str]:
    """The rows of the published records `ids` of `model`, in that order.

    `loaded` maps ids to records already loaded with `for_list()`, which spares loading them
    again; any other record whose row is not cached is loaded here.
    """
    name = model._meta.model_name
    keys = {pk: cache_key("row", name, get_language(), pk) for pk in ids}
    rows = cache.get_many(keys.values())
    missing = [pk for pk in ids if keys[pk] not in rows]
    if missing:
        records = loaded or model.objects.published().for_list().in_bulk(missing)
        template = f"includes/_{name}_row.html"
        fresh = {keys[pk]: render_to_string(template, {name: records[pk]}) for pk in missing if pk in records}
        cache.set_many(fresh, TIMEOUT)
        rows |= fresh
    return [rows[keys[pk]] for pk in ids if keys[pk] in rows]


def rows_of(programs: list) -> list[str]:
    """The rows of programmes already loaded with `for_list()`."""
    return rendered_rows(Program, [program.pk for program in programs], {program.pk: program for program in programs})
