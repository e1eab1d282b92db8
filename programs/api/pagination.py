"""Page-number pagination with the total count, strict about its parameters.

The rows are the list's ListRows (programs/lists.py): counted from the counts the read model keeps
where it can, and loaded a page at a time.
"""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

INVALID_PAGE = _("There is no page “%(page)s”: pages are numbered from 1 to %(count)s.")
INVALID_PAGE_SIZE = _("Give a whole number of rows per page between 1 and %(max)s.")


class ApiPagination(PageNumberPagination):
    """`?page=N` (from 1) and `?page_size=N` (1 to MAX_PAGE_SIZE); a value outside those is a 400.

    An empty value counts as none, as it does for the filters.
    """

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [INVALID_PAGE_SIZE % {"max": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})."
        return parameters
