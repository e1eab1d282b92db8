"""Programme table rows, rendered once per programme, language and data version.

A programme's row reads the same on every list, page, order and filter that shows it, so its
HTML is cached under the data version (programs/caching.py) like the counts and facets: a list
page whose rows were all rendered before loads only their ids, not the programmes with their
participants, and renders none of them. A write changes the version, and every row with it.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from programs.caching import TIMEOUT, cache_key
from programs.models import Program

ROW_TEMPLATE = "includes/_program_row.html"


def program_rows(ids: list[int], loaded: dict | None = None) -> list[str]:
    """The rows of the published programmes `ids`, in that order.

    `loaded` maps ids to programmes already loaded with `for_list()`, which spares loading them
    again; any other programme whose row is not cached is loaded here.
    """
    keys = {pk: cache_key("program-row", get_language(), pk) for pk in ids}
    rows = cache.get_many(keys.values())
    missing = [pk for pk in ids if keys[pk] not in rows]
    if missing:
        programs = loaded or Program.objects.published().for_list().in_bulk(missing)
        fresh = {
            keys[pk]: render_to_string(ROW_TEMPLATE, {"program": programs[pk]}) for pk in missing if pk in programs
        }
        cache.set_many(fresh, TIMEOUT)
        rows |= fresh
    return [rows[keys[pk]] for pk in ids if keys[pk] in rows]


def rows_of(programs: list) -> list[str]:
    """The rows of programmes already loaded with `for_list()`."""
    return program_rows([program.pk for program in programs], {program.pk: program for program in programs})
