"""The public REST API under /api/: read-only JSON of published records, with an OpenAPI schema.

The lists filter and sort through the site's FilterSets (programs/reads/filters.py) and load through
the querysets' `for_list()` / `for_detail()`, so the API, the pages and the exports share one
definition of what is public, of every filter and of every sort order.
"""
