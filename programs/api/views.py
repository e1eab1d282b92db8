"""The API's endpoints: a read-only viewset per kind of record, addressed by slug.

A list is filtered, sorted and counted by the page's FilterSet over the list's listing, and each
page's records loaded by id with `for_list()` (programs/reads/lists.py); a detail starts from
`published()` with `for_detail()`. Only GET (and HEAD, OPTIONS) are allowed: any other method is
a 405.
"""

from django.utils.translation import get_language
from rest_framework import viewsets
from rest_framework.response import Response

from programs import models
from programs.api import serializers
from programs.models.listings import Listing
from programs.reads import filters, record_links
from programs.serving.caching import looked_up

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Published records of `model`: a list (filtered, sorted, paginated) and a detail by slug."""

    model = None
    list_serializer_class = None
    detail_serializer_class = None
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    prefetch = ()  # what the serializers read besides `for_list()` / `for_detail()`

    def get_queryset(self):
        if self.action == "list" and self.reads_listing:
            return self.filterset_class._meta.model.objects.all()
        published = self.model.objects.published()
        return self.for_detail(published).prefetch_related(*self.prefetch) if self.action == "retrieve" else published

    @property
    def reads_listing(self) -> bool:
        return issubclass(self.filterset_class._meta.model, Listing)

    def for_detail(self, published):
        return published.for_detail()

    def filter_queryset(self, queryset):
        # Filters belong to lists: a detail ignores the query string.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def records_for_list(self):
        """How the list's records are loaded, a page at a time (programs.api.filtering)."""
        return self.model.objects.published().for_list().prefetch_related(*self.prefetch)

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.list_serializer_class

    # An answer's data is computed once per address, language and data version (programs.serving.caching);
    # throttling, conditional GET and the checks of the query string still run on every request.

    def list(self, request, *args, **kwargs):
        return self.answer_once(request, lambda: super(PublicViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.answer_once(request, lambda: super(PublicViewSet, self).retrieve(request, *args, **kwargs))

    @staticmethod
    def answer_once(request, respond):
        # Errors (400, 404) are raised, never cached. The answer's links are absolute: the host counts.
        data, hit = looked_up("api", (request.build_absolute_uri(), get_language()), lambda: respond().data)
        response = Response(data)
        response.from_cache = hit  # its stale copy was kept when it was computed (programs.serving.stale)
        return response


class ProgramViewSet(PublicViewSet):
    """Programmes: joint labs, research funds, awards, scholarships and other collaboration vehicles."""

    model = models.Program
    filterset_class = filters.ProgramFilterSet
    list_serializer_class = serializers.ProgramListSerializer
    detail_serializer_class = serializers.ProgramDetailSerializer
    prefetch = ("identifiers",)


class OrganizationViewSet(PublicViewSet):
    """Universities, companies, institutes and public bodies taking part in the programmes."""

    model = models.Organization
    filterset_class = filters.OrganizationFilterSet
    list_serializer_class = serializers.OrganizationListSerializer
    detail_serializer_class = serializers.OrganizationDetailSerializer
    prefetch = ("identifiers",)

    def get_object(self):
        organization = super().get_object()
        record_links.attach_links(organization)
        return organization


class PersonViewSet(PublicViewSet):
    """Researchers, engineers and managers named by the sources."""

    model = models.Person
    filterset_class = filters.PersonFilterSet
    list_serializer_class = serializers.PersonListSerializer
    detail_serializer_class = serializers.PersonDetailSerializer
    prefetch = ("identifiers",)


class ProjectViewSet(PublicViewSet):
    """Research projects funded or run through the programmes."""

    model = models.Project
    filterset_class = filters.ProjectFilterSet
    list_serializer_class = serializers.ProjectListSerializer
    detail_serializer_class = serializers.ProjectDetailSerializer


class EditionViewSet(PublicViewSet):
    """Rounds of the programmes, with their counts and money."""

    model = models.Edition
    filterset_class = filters.EditionFilterSet
    list_serializer_class = serializers.EditionListSerializer
    detail_serializer_class = serializers.EditionDetailSerializer


class ResearchAreaViewSet(PublicViewSet):
    """Research fields that the programmes fund or study."""

    model = models.ResearchArea
    filterset_class = filters.ResearchAreaFilterSet
    list_serializer_class = serializers.ResearchAreaListSerializer
    detail_serializer_class = serializers.ResearchAreaDetailSerializer


class SourceViewSet(PublicViewSet):
    """The articles every fact comes from."""

    model = models.Source
    filterset_class = filters.SourceFilterSet
    list_serializer_class = serializers.SourceListSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
