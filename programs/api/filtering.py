"""The API's filter backend: the list's FilterSet from programs/reads/filters.py, unchanged.

django-filter's DRF backend builds the FilterSet from the query string and answers 400 with the
form's errors when a value cannot be read. The rows are then the page's: the list's ListRows (ids
from the listing, records loaded a page at a time) or, for the small tables without a listing,
the FilterSet's queryset loaded with `for_list()`. One addition: a search longer than the
FilterSet reads is refused rather than cut, since an API client has no page to show the notice on.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from programs.models.listings import Listing
from programs.reads.filters import MAX_QUERY_LENGTH
from programs.reads.lists import ListRows

QUERY_TOO_LONG = _("Search for at most %(max)s characters.")


class FilterSetBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if "q" in self.get_filterset_class(view, queryset).base_filters:
            query = request.query_params.get("q", "")
            if len(query) > MAX_QUERY_LENGTH:
                raise ValidationError({"q": [QUERY_TOO_LONG % {"max": MAX_QUERY_LENGTH}]})
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        if issubclass(filterset._meta.model, Listing):
            return ListRows.of(filterset, view.records_for_list())
        return ListRows(filterset.qs, view.records_for_list())
