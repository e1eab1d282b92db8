"""The read model's models are derived data: no database migrates, dumps or loads them.

The listings, their live views and their counts (programs.models.listings) are computed from the
curated tables (programs.reads.read_model), so a backup made with `dumpdata` holds the curated data
only, and `loaddata` of it gives the read model back from the rows it loads (it would refuse rows
of these models, and SQLite has no tables for the counts at all). Django's `dumpdata` and
`loaddata` ask `allow_migrate_model` which models a database holds; unmanaged models are never
migrated anyway, so `migrate` does the same with this router as without it.
"""

from functools import cache

from django.apps import apps

from programs.models.listings import FacetCount, FacetPair, Listing

APP_LABEL = "programs"


@cache
def derived_models() -> frozenset[str]:
    """The names of the read model's models: the listings, their live views and the counts."""
    models = apps.get_app_config(APP_LABEL).get_models()
    return frozenset(model._meta.model_name for model in models if issubclass(model, Listing | FacetCount | FacetPair))


class ReadModelRouter:
    """Says no database holds the read model's models; leaves every other question to the next router."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == APP_LABEL and model_name in derived_models():
            return False
        return None
