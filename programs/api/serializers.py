"""What the API returns for each record: a row of a list, a detail with nested summaries.

Serializers only read what the viewset's queryset (`for_list()` / `for_detail()`) has loaded:
the relations come from its prefetches, so a response costs the same number of queries
whatever the number of related rows. Related records are published ones only: the prefetches
filter them, and `public_parent` / `public_organization` hide a draft parent or organization.

Bilingual fields come in pairs: `name` (Simplified Chinese, always set) and `name_en` (English,
blank when the source gives none); no language negotiation. `name_is_descriptive` says that a name
describes a record the sources never name rather than giving its title; a count or amount comes
with its `<field>_qualifier` ("at_least", "about", or blank when exact). A citation's
`quote_repaired` says that its quote repairs the article's conversion noise, so it differs from the page.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs import models
from programs.models import kinds
from programs.models.kinds import Api
from programs.models.querysets import DETAIL_LIMIT

# Summaries: how a record appears inside another one.


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Organization
        fields = kinds.ORGANIZATION.api_fields(Api.SUMMARY)


class ProgramSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Program
        fields = kinds.PROGRAM.api_fields(Api.SUMMARY)


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Person
        fields = kinds.PERSON.api_fields(Api.SUMMARY)


class ProjectSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Project
        fields = kinds.PROJECT.api_fields(Api.SUMMARY)


class ResearchAreaSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ResearchArea
        fields = kinds.RESEARCH_AREA.api_fields(Api.SUMMARY)


class EditionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Edition
        fields = kinds.EDITION.api_fields(Api.SUMMARY)


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Source
        fields = kinds.SOURCE.api_fields(Api.SUMMARY)


class CitationSerializer(serializers.ModelSerializer):
    """A source supporting the record, with the sentence that says so."""

    source = SourceSummarySerializer()

    class Meta:
        model = models.Citation
        fields = kinds.CITATION.api_fields(Api.DETAIL)


class IdentifierSerializer(serializers.ModelSerializer):
    """The record's identifier in an external registry, in its scheme's canonical form."""

    url = serializers.URLField(help_text=_("The scheme's page of the identifier; blank when the scheme has none."))

    class Meta:
        model = models.Identifier
        fields = kinds.IDENTIFIER.api_fields(Api.DETAIL)


class LinkedModelSerializer(serializers.ModelSerializer):
    """A top-level record: its fields, plus `api_url` (the record in the API) and `page_url` (its
    public page, in the default language), both absolute."""

    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    link_name = ""  # the viewset's basename

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, record) -> str:
        return self._absolute(reverse(f"api:{self.link_name}-detail", kwargs={"slug": record.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, record) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self._absolute(record.get_absolute_url())


def linked_fields(kind: kinds.Kind, level: Api) -> list[str]:
    """A record's fields at `level` (a row of its list, its detail), after its addresses."""
    return ["api_url", "page_url", *kind.api_fields(level)]


# Programmes


class ParticipantSerializer(serializers.ModelSerializer):
    """An organization's role in a programme."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = models.Participation
        fields = kinds.PARTICIPATION.api_fields(Api.DETAIL, without=["program"])


class ProgramListSerializer(LinkedModelSerializer):
    link_name = "program"
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    participants = ParticipantSerializer(many=True, source="linked_participations")
    research_areas = ResearchAreaSummarySerializer(many=True, source="linked_research_areas")
    identifiers = IdentifierSerializer(many=True)

    class Meta:
        model = models.Program
        fields = linked_fields(kinds.PROGRAM, Api.LIST)


class ProgramEditionSerializer(serializers.ModelSerializer):
    """One round of the programme, with its counts and money."""

    class Meta:
        model = models.Edition
        fields = kinds.EDITION.api_fields(Api.DETAIL, without=["program", "created_at", "updated_at"], nested=False)


class ProgramInvolvementSerializer(serializers.ModelSerializer):
    """A person's part in the programme, in one edition or none."""

    person = PersonSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Involvement
        fields = kinds.INVOLVEMENT.api_fields(Api.DETAIL, without=["program"])


# A project as its programme's answer lists it: a fixed selection of its fields, not the kind's.
class ProgramProjectSerializer(serializers.ModelSerializer):
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Project
        fields = ["slug", "title", "title_en", "year", "edition"]


class ProgramDetailSerializer(ProgramListSerializer):
    parent = ProgramSummarySerializer(source="public_parent", allow_null=True)
    children = ProgramSummarySerializer(many=True)
    editions = ProgramEditionSerializer(many=True)
    people = ProgramInvolvementSerializer(many=True, source="involvements")
    projects = ProgramProjectSerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta(ProgramListSerializer.Meta):
        fields = linked_fields(kinds.PROGRAM, Api.DETAIL)


# Organizations


class OrganizationListSerializer(LinkedModelSerializer):
    link_name = "organization"
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    country = serializers.CharField(source="country.code", help_text=_("ISO 3166-1 alpha-2 code, or blank."))
    parent = OrganizationSummarySerializer(source="public_parent", allow_null=True)
    program_count = serializers.IntegerField(help_text=_("Published programmes it takes part in, in any role."))
    identifiers = IdentifierSerializer(many=True)

    class Meta:
        model = models.Organization
        fields = linked_fields(kinds.ORGANIZATION, Api.LIST)


class OrganizationProgramSerializer(serializers.ModelSerializer):
    """A programme the organization takes part in, with its role there."""

    program = ProgramSummarySerializer()

    class Meta:
        model = models.Participation
        fields = kinds.PARTICIPATION.api_fields(Api.DETAIL, without=["organization"])


class OrganizationPersonSerializer(serializers.ModelSerializer):
    """Someone who held a position at the organization."""

    person = PersonSummarySerializer()

    class Meta:
        model = models.Affiliation
        fields = kinds.AFFILIATION.api_fields(Api.DETAIL, without=["organization"])


class OrganizationDetailSerializer(OrganizationListSerializer):
    """An organization with the first `DETAIL_LIMIT` programmes and people (by name), as its page.

    `program_count` and `people_count` give the totals; the filtered lists give the rest.
    """

    units = OrganizationSummarySerializer(many=True)
    programs = OrganizationProgramSerializer(
        many=True,
        source="listed_participations",
        help_text=format_lazy(_("Its published participations, the first {} by programme name."), DETAIL_LIMIT),
    )
    people = OrganizationPersonSerializer(
        many=True,
        source="listed_affiliations",
        help_text=format_lazy(_("Published positions here, the first {} by name."), DETAIL_LIMIT),
    )
    people_count = serializers.IntegerField(help_text=_("People with a published position here."))
    citations = CitationSerializer(many=True)

    class Meta(OrganizationListSerializer.Meta):
        fields = linked_fields(kinds.ORGANIZATION, Api.DETAIL)


# People


class CareerStepSerializer(serializers.ModelSerializer):
    """A position in a person's career."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = models.Affiliation
        fields = kinds.AFFILIATION.api_fields(Api.DETAIL, without=["person"])


class PersonListSerializer(LinkedModelSerializer):
    link_name = "person"
    affiliations = serializers.SerializerMethodField()
    identifiers = IdentifierSerializer(many=True)

    class Meta:
        model = models.Person
        fields = linked_fields(kinds.PERSON, Api.LIST)

    @extend_schema_field(CareerStepSerializer(many=True))
    def get_affiliations(self, person):
        """The career steps in order (undated first, then by start year)."""
        return CareerStepSerializer(person.career(), many=True, context=self.context).data


class PersonInvolvementSerializer(serializers.ModelSerializer):
    program = ProgramSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Involvement
        fields = kinds.INVOLVEMENT.api_fields(Api.DETAIL, without=["person"])


class PersonProjectSerializer(serializers.ModelSerializer):
    """A project the person worked on, with the organization they represented (when published)."""

    project = ProjectSummarySerializer()
    program = ProgramSummarySerializer(source="project.program")
    organization = OrganizationSummarySerializer(source="public_organization", allow_null=True)

    class Meta:
        model = models.ProjectMember
        fields = ["project", "program", *kinds.PROJECT_MEMBER.api_fields(Api.DETAIL, without=["project", "person"])]


class PersonDetailSerializer(PersonListSerializer):
    involvements = PersonInvolvementSerializer(many=True)
    projects = PersonProjectSerializer(many=True, source="project_memberships")
    citations = CitationSerializer(many=True)

    class Meta(PersonListSerializer.Meta):
        fields = linked_fields(kinds.PERSON, Api.DETAIL)


# Projects


class ProjectListSerializer(LinkedModelSerializer):
    link_name = "project"
    program = ProgramSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Project
        fields = linked_fields(kinds.PROJECT, Api.LIST)


class ProjectMemberSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer()
    organization = OrganizationSummarySerializer(source="public_organization", allow_null=True)

    class Meta:
        model = models.ProjectMember
        fields = kinds.PROJECT_MEMBER.api_fields(Api.DETAIL, without=["project"])


class ProjectDetailSerializer(ProjectListSerializer):
    members = ProjectMemberSerializer(many=True, source="memberships")
    citations = CitationSerializer(many=True)

    class Meta(ProjectListSerializer.Meta):
        fields = linked_fields(kinds.PROJECT, Api.DETAIL)


# Editions


class EditionListSerializer(LinkedModelSerializer):
    link_name = "edition"
    program = ProgramSummarySerializer()

    class Meta:
        model = models.Edition
        fields = linked_fields(kinds.EDITION, Api.LIST)


class EditionInvolvementSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer()

    class Meta:
        model = models.Involvement
        fields = kinds.INVOLVEMENT.api_fields(Api.DETAIL, without=["program", "edition"])


class EditionDetailSerializer(EditionListSerializer):
    people = EditionInvolvementSerializer(many=True, source="involvements")
    projects = ProjectSummarySerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta(EditionListSerializer.Meta):
        fields = linked_fields(kinds.EDITION, Api.DETAIL)


# Research areas


class ResearchAreaListSerializer(LinkedModelSerializer):
    link_name = "research-area"
    program_count = serializers.IntegerField(help_text=_("Published programmes in this area."))

    class Meta:
        model = models.ResearchArea
        fields = linked_fields(kinds.RESEARCH_AREA, Api.LIST)


class ResearchAreaDetailSerializer(ResearchAreaListSerializer):
    programs = ProgramSummarySerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta(ResearchAreaListSerializer.Meta):
        fields = linked_fields(kinds.RESEARCH_AREA, Api.DETAIL)


# Sources


class SourceListSerializer(LinkedModelSerializer):
    link_name = "source"

    class Meta:
        model = models.Source
        fields = linked_fields(kinds.SOURCE, Api.LIST)


CITED_TYPES = [(name, name) for name in models.CITABLE_MODELS]


class CitedRecordSerializer(serializers.Serializer):
    """A published record citing the source: its type, its slug (none for a link between two records) and names.

    Named as its page names it (the models' `name_in()`): a link (participation, affiliation,
    involvement, project member) after the records it joins and its role, e.g. "腾讯 · 出资方 ·
    清华大学联合实验室", an edition after its programme. `name_en` is the English name, each part
    falling back to Chinese where it has no English.
    """

    type = serializers.ChoiceField(choices=CITED_TYPES)
    slug = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


class SourceCitationSerializer(serializers.Serializer):
    record = CitedRecordSerializer()
    quote = serializers.CharField()
    quote_repaired = serializers.BooleanField()
    locator = serializers.CharField(allow_blank=True)


def cited_record(record) -> dict:
    """The type, slug and names of a record citing a source (see CitedRecordSerializer)."""
    return {
        "type": record._meta.model_name,
        "slug": getattr(record, "slug", None),
        "name": record.name_in(english=False),
        "name_en": record.name_in(english=True),
    }


class SourceDetailSerializer(SourceListSerializer):
    citations = serializers.SerializerMethodField()

    class Meta(SourceListSerializer.Meta):
        fields = linked_fields(kinds.SOURCE, Api.DETAIL)

    @extend_schema_field(SourceCitationSerializer(many=True))
    def get_citations(self, source):
        """The published records citing this source (drafts left out), the first `DETAIL_LIMIT` citations."""
        return [
            {
                "record": cited_record(citation.record),
                "quote": citation.quote,
                "quote_repaired": citation.quote_repaired,
                "locator": citation.locator,
            }
            for citation in source.listed_citations
            if citation.record is not None
        ]
