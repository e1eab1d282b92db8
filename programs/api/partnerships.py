"""/api/partnerships/<a>/<b>/: what two published organizations share (programs.reads.partnerships), in
either order of the slugs; the answer names the two in alphabetical order of their slugs."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from programs.api.schema import ERROR_SCHEMA, SLUG_REGEX
from programs.api.serializers import (
    OrganizationSummarySerializer,
    PersonSummarySerializer,
    ProgramSummarySerializer,
    ProjectSummarySerializer,
)
from programs.models import ParticipationRole
from programs.reads.partnerships import canonical, pair, partnership_of
from programs.serving.caching import cached


class SharedProgramSerializer(serializers.Serializer):
    program = ProgramSummarySerializer()
    start_year = serializers.IntegerField(source="program.start_year", allow_null=True)
    end_year = serializers.IntegerField(source="program.end_year", allow_null=True)
    first_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipationRole.choices), help_text=_("The first organization's roles.")
    )
    second_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipationRole.choices),
        help_text=_("The second organization's roles."),
    )


class SharedEditionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    program = serializers.CharField(source="program.slug", help_text=_("The programme's slug."))
    year = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    label_en = serializers.CharField(allow_blank=True)


class BridgeSerializer(serializers.Serializer):
    person = PersonSummarySerializer()
    first = serializers.ListField(
        child=serializers.CharField(), help_text=_("Positions at, and projects for, the first organization.")
    )
    second = serializers.ListField(
        child=serializers.CharField(), help_text=_("Positions at, and projects for, the second organization.")
    )


class PartnershipSerializer(serializers.Serializer):
    """Two organizations' shared programmes (the first `DETAIL_LIMIT` by start year), editions,
    projects, and the people connected to both."""

    organizations = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    program_count = serializers.IntegerField(help_text=_("Published programmes both take part in."))
    programs = SharedProgramSerializer(many=True)
    editions = SharedEditionSerializer(many=True)
    projects = ProjectSummarySerializer(many=True)
    people = BridgeSerializer(many=True)

    @extend_schema_field(OrganizationSummarySerializer(many=True))
    def get_organizations(self, partnership) -> list:
        return OrganizationSummarySerializer([partnership.first, partnership.second], many=True).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, partnership) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.context["request"].build_absolute_uri(partnership.url)


class PartnershipView(APIView):
    """Two organizations' partnership: what they share, as on its page."""

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, pattern=SLUG_REGEX)
            for name in ("first", "second")
        ],
        # Named in full: a schema given here replaces the one PublicApiSchema would complete.
        responses={200: PartnershipSerializer, 404: ERROR_SCHEMA, 429: ERROR_SCHEMA},
    )
    def get(self, request, first: str, second: str):
        slugs = canonical(first, second)
        organizations = pair(*slugs)
        if organizations is None:
            raise Http404
        key = (request.build_absolute_uri("/"), slugs, get_language())
        return Response(cached("api-partnership", key, lambda: self.data(request, organizations)))

    @staticmethod
    def data(request, organizations):
        partnership = partnership_of(*organizations)
        if partnership.empty:
            raise Http404
        return PartnershipSerializer(partnership, context={"request": request}).data
