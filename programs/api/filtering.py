"""The API's filter backend: the list's FilterSet from programs/filters.py, unchanged.

django-filter's DRF backend builds the FilterSet from the query string, answers 400 with the
form's errors when a value cannot be read, and returns `filterset.qs`, which the FilterSet has
already sorted by its `sort` filter. One addition: a search longer than the FilterSet reads is
refused rather than cut, since an API client has no page to show the notice on.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from programs.filters import MAX_QUERY_LENGTH

QUERY_TOO_LONG = _("Search for at most %(max)s characters.")


class FilterSetBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if "q" in self.get_filterset_class(view, queryset).base_filters:
            query = request.query_params.get("q", "")
            if len(query) > MAX_QUERY_LENGTH:
                raise ValidationError({"q": [QUERY_TOO_LONG % {"max": MAX_QUERY_LENGTH}]})
        return super().filter_queryset(request, queryset, view)
