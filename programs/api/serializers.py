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
from programs.models.querysets import DETAIL_LIMIT

# Summaries: how a record appears inside another one.


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Organization
        fields = ["slug", "name", "name_en", "name_is_descriptive", "kind"]


class ProgramSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Program
        fields = ["slug", "name", "name_en", "name_is_descriptive", "kind"]


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Person
        fields = ["slug", "name", "name_en"]


class ProjectSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Project
        fields = ["slug", "title", "title_en", "name_is_descriptive", "year"]


class ResearchAreaSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ResearchArea
        fields = ["slug", "name", "name_en"]


class EditionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Edition
        fields = ["slug", "year", "label", "label_en"]


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Source
        fields = ["slug", "title", "title_en", "name_is_descriptive", "publisher", "published_on", "url"]


class CitationSerializer(serializers.ModelSerializer):
    """A source supporting the record, with the sentence that says so."""

    source = SourceSummarySerializer()

    class Meta:
        model = models.Citation
        fields = ["source", "quote", "quote_repaired", "locator"]


class IdentifierSerializer(serializers.ModelSerializer):
    """The record's identifier in an external registry, in its scheme's canonical form."""

    url = serializers.URLField(help_text=_("The scheme's page of the identifier; blank when the scheme has none."))

    class Meta:
        model = models.Identifier
        fields = ["scheme", "value", "url"]


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


MONEY_FIELDS = ["amount", "amount_qualifier", "currency", "amount_basis"]
TIMESTAMPS = ["created_at", "updated_at"]


# Programmes


class ParticipantSerializer(serializers.ModelSerializer):
    """An organization's role in a programme."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = models.Participation
        fields = ["organization", "role"]


class ProgramListSerializer(LinkedModelSerializer):
    link_name = "program"
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    participants = ParticipantSerializer(many=True, source="linked_participations")
    research_areas = ResearchAreaSummarySerializer(many=True, source="linked_research_areas")
    identifiers = IdentifierSerializer(many=True)

    class Meta:
        model = models.Program
        fields = [
            "api_url",
            "page_url",
            "slug",
            "name",
            "name_en",
            "name_is_descriptive",
            "aliases",
            "kind",
            "lifecycle",
            "start_year",
            "end_year",
            "years_not_in_sources",
            *MONEY_FIELDS,
            "website",
            "participants",
            "participants_not_in_sources",
            "research_areas",
            "identifiers",
            *TIMESTAMPS,
        ]


class ProgramEditionSerializer(serializers.ModelSerializer):
    """One round of the programme, with its counts and money."""

    class Meta:
        model = models.Edition
        fields = [
            "slug",
            "year",
            "label",
            "label_en",
            *models.QUALIFIED_COUNT_FIELDS,
            *MONEY_FIELDS,
            "notes",
            "notes_en",
        ]


class ProgramInvolvementSerializer(serializers.ModelSerializer):
    """A person's part in the programme, in one edition or none."""

    person = PersonSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Involvement
        fields = ["person", "role", "year", "edition"]


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
        fields = [
            *ProgramListSerializer.Meta.fields[:8],
            "summary",
            "summary_en",
            *ProgramListSerializer.Meta.fields[8:-2],
            "parent",
            "children",
            "editions",
            "people",
            "projects",
            "citations",
            *TIMESTAMPS,
        ]


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
        fields = [
            "api_url",
            "page_url",
            "slug",
            "name",
            "name_en",
            "name_is_descriptive",
            "short_name",
            "aliases",
            "kind",
            "country",
            "city",
            "website",
            "parent",
            "program_count",
            "identifiers",
            *TIMESTAMPS,
        ]


class OrganizationProgramSerializer(serializers.ModelSerializer):
    """A programme the organization takes part in, with its role there."""

    program = ProgramSummarySerializer()

    class Meta:
        model = models.Participation
        fields = ["program", "role"]


class OrganizationPersonSerializer(serializers.ModelSerializer):
    """Someone who held a position at the organization."""

    person = PersonSummarySerializer()

    class Meta:
        model = models.Affiliation
        fields = ["person", "title", "title_en", "start_year", "end_year", "is_current"]


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
        fields = [
            *OrganizationListSerializer.Meta.fields[:-2],
            "description",
            "description_en",
            "units",
            "programs",
            "people",
            "people_count",
            "citations",
            *TIMESTAMPS,
        ]


# People


class CareerStepSerializer(serializers.ModelSerializer):
    """A position in a person's career."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = models.Affiliation
        fields = ["organization", "title", "title_en", "start_year", "end_year", "is_current"]


class PersonListSerializer(LinkedModelSerializer):
    link_name = "person"
    affiliations = serializers.SerializerMethodField()
    identifiers = IdentifierSerializer(many=True)

    class Meta:
        model = models.Person
        fields = [
            "api_url",
            "page_url",
            "slug",
            "name",
            "name_en",
            "headline",
            "headline_en",
            "homepage",
            "affiliations",
            "identifiers",
            *TIMESTAMPS,
        ]

    @extend_schema_field(CareerStepSerializer(many=True))
    def get_affiliations(self, person):
        """The career steps in order (undated first, then by start year)."""
        return CareerStepSerializer(person.career(), many=True, context=self.context).data


class PersonInvolvementSerializer(serializers.ModelSerializer):
    program = ProgramSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Involvement
        fields = ["program", "role", "year", "edition"]


class PersonProjectSerializer(serializers.ModelSerializer):
    """A project the person worked on, with the organization they represented (when published)."""

    project = ProjectSummarySerializer()
    program = ProgramSummarySerializer(source="project.program")
    organization = OrganizationSummarySerializer(source="public_organization", allow_null=True)

    class Meta:
        model = models.ProjectMember
        fields = ["project", "program", "role", "organization"]


class PersonDetailSerializer(PersonListSerializer):
    involvements = PersonInvolvementSerializer(many=True)
    projects = PersonProjectSerializer(many=True, source="project_memberships")
    citations = CitationSerializer(many=True)

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields[:-2],
            "bio",
            "bio_en",
            "involvements",
            "projects",
            "citations",
            *TIMESTAMPS,
        ]


# Projects


class ProjectListSerializer(LinkedModelSerializer):
    link_name = "project"
    program = ProgramSummarySerializer()
    edition = EditionSummarySerializer(allow_null=True)

    class Meta:
        model = models.Project
        fields = [
            "api_url",
            "page_url",
            "slug",
            "title",
            "title_en",
            "name_is_descriptive",
            "year",
            "years_not_in_sources",
            "program",
            "edition",
            *TIMESTAMPS,
        ]


class ProjectMemberSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer()
    organization = OrganizationSummarySerializer(source="public_organization", allow_null=True)

    class Meta:
        model = models.ProjectMember
        fields = ["person", "role", "organization"]


class ProjectDetailSerializer(ProjectListSerializer):
    members = ProjectMemberSerializer(many=True, source="memberships")
    citations = CitationSerializer(many=True)

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields[:-2],
            "summary",
            "summary_en",
            "outcomes",
            "outcomes_en",
            "members",
            "citations",
            *TIMESTAMPS,
        ]


# Editions


class EditionListSerializer(LinkedModelSerializer):
    link_name = "edition"
    program = ProgramSummarySerializer()

    class Meta:
        model = models.Edition
        fields = [
            "api_url",
            "page_url",
            "slug",
            "program",
            "year",
            "label",
            "label_en",
            *models.QUALIFIED_COUNT_FIELDS,
            *MONEY_FIELDS,
            *TIMESTAMPS,
        ]


class EditionInvolvementSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer()

    class Meta:
        model = models.Involvement
        fields = ["person", "role", "year"]


class EditionDetailSerializer(EditionListSerializer):
    people = EditionInvolvementSerializer(many=True, source="involvements")
    projects = ProjectSummarySerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta(EditionListSerializer.Meta):
        fields = [
            *EditionListSerializer.Meta.fields[:-2],
            "notes",
            "notes_en",
            "people",
            "projects",
            "citations",
            *TIMESTAMPS,
        ]


# Research areas


class ResearchAreaListSerializer(LinkedModelSerializer):
    link_name = "research-area"
    program_count = serializers.IntegerField(help_text=_("Published programmes in this area."))

    class Meta:
        model = models.ResearchArea
        fields = ["api_url", "page_url", "slug", "name", "name_en", "program_count", *TIMESTAMPS]


class ResearchAreaDetailSerializer(ResearchAreaListSerializer):
    programs = ProgramSummarySerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta(ResearchAreaListSerializer.Meta):
        fields = [
            *ResearchAreaListSerializer.Meta.fields[:-2],
            "description",
            "description_en",
            "programs",
            "citations",
            *TIMESTAMPS,
        ]


# Sources


class SourceListSerializer(LinkedModelSerializer):
    link_name = "source"

    class Meta:
        model = models.Source
        fields = [
            "api_url",
            "page_url",
            "slug",
            "title",
            "title_en",
            "name_is_descriptive",
            "publisher",
            "publisher_en",
            "author",
            "published_on",
            "url",
            "language",
            *TIMESTAMPS,
        ]


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
        fields = [
            *SourceListSerializer.Meta.fields[:-2],
            "summary",
            "summary_en",
            "citations",
            *TIMESTAMPS,
        ]

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
