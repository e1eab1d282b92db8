"""Every curated record's history: simple-history's records, with the index the changes feed walks.

The changes feed (programs/opendata/changes.py) reads each history table in (history_date,
history_id) order: a bulk import writes thousands of rows with one date, and simple-history's own
index on the date alone would sort all of them to find the next page. The index is declared on the
historical models, so that Django keeps it wherever it alters their tables: SQLite alters a table by
making it again, with the indexes its model declares and no others.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """`HistoricalRecords` whose table is indexed on (history_date, history_id)."""

    def get_meta_options(self, model) -> dict:
        options = super().get_meta_options(model)
        walk = models.Index(fields=("history_date", "history_id"), name=f"programs_walk_{model._meta.model_name}")
        options["indexes"] = (*options.get("indexes", ()), walk)
        return options
