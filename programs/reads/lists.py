"""The rows of a filtered list, as pages, exports and the API read them.

The FilterSet selects and orders ids in the list's listing (programs/reads/read_model); the records
themselves are loaded by id, a page or a chunk at a time, with the queryset that shows them
(`for_list()`). Counting reads the counts the read model keeps where it can (programs/reads/facets.py).
"""

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from programs.reads.chunks import chunks
from programs.reads.facets import count_rows

# Rows a list pages through by number: an offset costs what it skips, so deeper rows are reached
# by narrowing the filters, downloading the list, or walking it with the API's cursor.
MAX_PAGED_ROWS = 10_000


class BoundedPaginator(Paginator):
    """A Paginator whose pages end at `MAX_PAGED_ROWS` rows, however many rows there are."""

    @property
    def num_pages(self) -> int:
        return min(super().num_pages, max(1, MAX_PAGED_ROWS // self.per_page))

    @property
    def bounded(self) -> bool:
        """Whether rows lie beyond the last page."""
        return self.count > self.num_pages * self.per_page


class ListRows:
    """The records of a listing's ordered rows `rows`: what a Paginator pages through.

    `records` loads records by id (e.g. `Program.objects.published().for_list()`): the status
    is checked again there, by primary key, so that a record unpublished between the two reads
    is left out rather than shown. `count` counts the rows (by default, counting them, once).
    `ranked(stop, count)`, when given, gives the ids of the first `stop` rows in their order,
    for a page, in fewer reads than `rows` would take (a search in order of relevance).
    """

    def __init__(self, rows, records, count=None, ranked=None):
        self.rows = rows
        self.ids = rows.values_list("id", flat=True)
        self.records = records
        self.counted = count or self.ids.count
        self.ranked = ranked

    @classmethod
    def of(cls, filterset, records) -> "ListRows":
        """The rows a FilterSet selects, counted from the read model's kept counts where it can."""
        ranked = filterset.ranked_ids if filterset.ranks() else None
        return cls(filterset.qs, records, count=lambda: count_rows(filterset), ranked=ranked)

    @cached_property
    def size(self) -> int:
        return self.counted()

    def count(self) -> int:
        return self.size

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list:
        if self.ranked is None or key.stop is None:
            return self.load(list(self.ids[key]))
        return self.load(self.ranked(key.stop, self.count())[key.start or 0 :])

    def load(self, ids: list[int]) -> list:
        loaded = self.records.in_bulk(ids)
        return [loaded[pk] for pk in ids if pk in loaded]

    def walk(self, after: tuple | None, size: int) -> tuple[list, list[tuple]]:
        """Up to `size` records in the order they were last modified, (updated_at, id), after the key
        `after` (None: from the start), with their keys. The (updated_at, id) index serves each step,
        so the millionth row costs what the first does."""
        rows = self.rows.order_by("updated_at", "id")
        if after is not None:
            moment, pk = after
            # The first condition alone bounds the index scan; the second drops the rows given already.
            rows = rows.filter(Q(updated_at__gt=moment) | Q(id__gt=pk), updated_at__gte=moment)
        keys = list(rows.values_list("updated_at", "id")[:size])
        return self.load([pk for _moment, pk in keys]), keys

    def ordered_ids(self, chunk_size: int) -> Iterator[list[int]]:
        """Every selected id, in order, a chunk at a time (a server-side cursor on PostgreSQL)."""
        return chunks(self.ids, chunk_size)
