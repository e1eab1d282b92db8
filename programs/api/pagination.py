"""Page-number pagination with the total count, strict about its parameters; or a cursor walk.

The rows are the list's ListRows (programs/reads/lists.py): counted from the counts the read model keeps
where it can, and loaded a page at a time.

`?cursor=*` walks the list instead, in the order the records were last modified, (updated_at,
id), each answer giving the signed cursor of the next one (programs/api/cursors.py): no offset
and no count, so the millionth row costs what the first does (the tables' (updated_at, id)
indexes serve it). A record changed during the walk moves to its end and comes again.
"""

import datetime

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from programs.api.cursors import START, cursor_decode, cursor_encode
from programs.reads import facets
from programs.reads.lists import BoundedPaginator

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

INVALID_PAGE = _(
    "There is no page “%(page)s”: pages are numbered from 1 to %(count)s (deeper rows: walk the list with `cursor`)."
)
INVALID_PAGE_SIZE = _("Give a whole number of rows per page between 1 and %(max)s.")


def read_page_size(raw: str | None, default: int, maximum: int) -> int:
    """The `page_size` parameter of a list: `default` when absent, a clear 400 unless 1…`maximum`."""
    if not raw:
        return default
    size = int(raw) if raw.isascii() and raw.isdigit() else 0
    if not 1 <= size <= maximum:
        raise ValidationError({"page_size": [INVALID_PAGE_SIZE % {"max": maximum}]})
    return size


NOT_WITH_CURSOR = _("A walk with a cursor goes in the order of modification, page by page: leave this out.")


class ApiPagination(PageNumberPagination):
    """`?page=N` (from 1) and `?page_size=N` (1 to MAX_PAGE_SIZE); a value outside those is a 400.

    An empty value counts as none, as it does for the filters.
    """

    django_paginator_class = BoundedPaginator
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def get_page_size(self, request):
        return read_page_size(request.query_params.get(self.page_size_query_param), self.page_size, self.max_page_size)

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor = None
        raw_cursor = request.query_params.get(self.cursor_query_param)
        if raw_cursor:
            return self.paginate_by_cursor(queryset, request, raw_cursor)
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param) or "1"
        try:
            if not raw.isascii() or not raw.isdigit():
                raise InvalidPage
            self.page = paginator.page(raw)
        except InvalidPage:
            raise ValidationError(
                {self.page_query_param: [INVALID_PAGE % {"page": raw[:20], "count": paginator.num_pages}]}
            ) from None
        return list(self.page)

    def paginate_by_cursor(self, rows, request, raw):
        for name in (self.page_query_param, "sort"):
            if request.query_params.get(name):
                raise ValidationError({name: [NOT_WITH_CURSOR]})
        page_size = self.get_page_size(request)
        scope = rows.records.model._meta.label_lower
        after = None
        if raw != START:
            moment, pk = cursor_decode(scope, raw, self.cursor_query_param)
            after = (datetime.datetime.fromisoformat(moment), pk)
        records, keys = rows.walk(after, page_size + 1)
        if len(keys) > page_size:
            moment, pk = keys[page_size - 1]
            self.cursor = cursor_encode(scope, [moment.isoformat(), pk])
        return records[:page_size]

    def get_paginated_response(self, data):
        if self.cursor_query_param in self.request.query_params:
            url = self.request.build_absolute_uri()
            next_url = replace_query_param(url, self.cursor_query_param, self.cursor) if self.cursor else None
            return Response({"next": next_url and remove_query_param(next_url, self.page_query_param), "results": data})
        response = super().get_paginated_response(data)
        # Beyond MAX_COUNTED matching records a list is not counted further: at least that many.
        response.data["exact"] = self.page.paginator.count <= facets.MAX_COUNTED
        response.data["count"] = min(self.page.paginator.count, facets.MAX_COUNTED)
        return response

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "results"]
        response["properties"]["count"]["description"] = (
            f"Records matching the filters (at least this many when `exact` is false: lists are counted up to "
            f"{facets.MAX_COUNTED:,}); absent in a cursor walk."
        )
        response["properties"]["exact"] = {
            "type": "boolean",
            "description": "Whether `count` is exact; absent in a cursor walk.",
        }
        response["properties"]["previous"]["description"] = "The previous page; absent in a cursor walk."
        response["properties"]["next"]["description"] = "The next page or the cursor walk's next step; null at the end."
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})."
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Walk the whole list in the order records were last modified (updated_at, then id): "
                    "`*` starts, then follow `next` (a signed cursor). Not with `page` or `sort`."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters
