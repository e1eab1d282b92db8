"""The rows of a filtered list, as pages, exports and the API read them.

The FilterSet selects and orders ids in the list's listing (programs/read_model); the records
themselves are loaded by id, a page or a chunk at a time, with the queryset that shows them
(`for_list()`). Counting reads the counts the read model keeps where it can (programs/facets.py).
"""

from collections.abc import Iterator
from itertools import islice

from programs.facets import count_rows


class ListRows:
    """The records a FilterSet selects, in its order: what a Paginator pages through.

    `records` loads records by id (e.g. `Program.objects.published().for_list()`): the status
    is checked again there, by primary key, so that a record unpublished between the two reads
    is left out rather than shown.
    """

    def __init__(self, filterset, records):
        self.filterset = filterset
        self.records = records
        self.ids = filterset.qs.values_list("id", flat=True)

    def count(self) -> int:
        return count_rows(self.filterset)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list:
        return self.load(list(self.ids[key]))

    def load(self, ids: list[int]) -> list:
        loaded = self.records.in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]

    def ordered_ids(self, chunk_size: int) -> Iterator[list[int]]:
        """Every selected id, in order, a chunk at a time (a server-side cursor on PostgreSQL)."""
        ids = self.ids.iterator(chunk_size=chunk_size)
        while chunk := list(islice(ids, chunk_size)):
            yield chunk
