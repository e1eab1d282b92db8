"""QuerySets of the domain models: one definition of "public", and the loading each page needs.

`published()` is the only way public code reaches records. A link row (participation,
affiliation, involvement, membership) and an edition or citation are public only when every
record it joins is: a draft never shows up through something that points at it.

`for_list()` / `for_detail()` carry the select_related / Prefetch of the page they serve, so
that a page runs a fixed number of queries whatever the amount of data.
"""

from django.apps import apps
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf

from programs.models.base import Status, is_english

PUBLISHED = Status.PUBLISHED  # for lookups across relations, e.g. program__status=PUBLISHED

# Participation roles read as "sponsor" (who pays) and as "partner" (who takes part) by the filters,
# the facets and the charts.
SPONSOR_ROLES = ("sponsor", "funder")
PARTNER_ROLES = ("partner", "host", "co_founder")


def _model(name: str):
    # Models import this module, so the related models are looked up when a query is built.
    return apps.get_model("programs", name)


def links(model, other: str):
    """Link rows (e.g. participations) whose `other` side is published.

    Where the rows' counted side is already known to be published (a list starting from
    `published()`), checking only the other side spares a join on a large table.
    """
    return model.objects.filter(**{f"{other}__status": PUBLISHED})


# What a source keeps for curators only (programs.models.sources): never read for a public page.
SOURCE_TEXT_FIELDS = ("text", "dismissed_proposals")
SOURCE_PRIVATE = tuple(f"source__{name}" for name in SOURCE_TEXT_FIELDS)


def published_citations():
    """Citations of published sources, with their source (not its curators-only text), in source order."""
    citations = _model("Citation").objects.published().select_related("source").defer(*SOURCE_PRIVATE)
    return Prefetch("citations", queryset=citations)


def count_of(queryset, group: str, field: str = "pk"):
    """A correlated `COUNT(DISTINCT field)` of `queryset`, filtered on `group=OuterRef(...)`; 0 when empty.

    A subquery rather than `Count()` over joins, so that several counts on one row never
    multiply each other.
    """
    counted = queryset.order_by().values(group).annotate(n=Count(field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def display_order(field: str):
    """Order by the name a visitor reads: English (falling back to Chinese) on English pages."""
    if is_english():
        return Lower(Coalesce(NullIf(f"{field}_en", Value("")), field))
    return models.F(field)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def newest(self):
        """The most recently added records first."""
        return self.order_by("-created_at", "-pk")


def research_area_program_count():
    """The published programmes in a research area (the outer row): kept by the read model on
    PostgreSQL, counted from the link table otherwise."""
    from programs.models.listings import maintained

    if maintained():
        kept = _model("FacetCount").objects.filter(
            listing="program", facet="research_area", value=Cast(OuterRef("pk"), models.CharField())
        )
        return Coalesce(Subquery(kept.values("n")[:1]), 0)
    through = _model("Program").research_areas.through
    return count_of(
        through.objects.filter(researcharea=OuterRef("pk"), program__status=PUBLISHED), "researcharea", "program"
    )


class ResearchAreaQuerySet(PublishableQuerySet):
    def for_list(self):
        """Research areas with `program_count`, the published programmes in each, for the API's list."""
        return self.annotate(program_count=research_area_program_count())

    def for_detail(self):
        """A research area with its programme count, its published programmes and its citations."""
        return self.for_list().prefetch_related(
            Prefetch("programs", queryset=_model("Program").objects.published().order_by("name", "pk")),
            published_citations(),
        )


# Rows of one relation a detail page lists at most; the filtered lists and exports give the rest.
DETAIL_LIMIT = 100


class OrganizationQuerySet(PublishableQuerySet):
    def with_program_count(self):
        """Each organization with `program_count`: the published programmes it takes part in, in any
        role, as its listing row keeps it (0 for a draft)."""
        counts = _model("OrganizationListing").objects.filter(pk=OuterRef("pk")).values("program_count")
        return self.annotate(program_count=Coalesce(Subquery(counts[:1]), 0))

    def for_list(self):
        """Organizations with their parent and programme count, for list pages and tables."""
        return self.select_related("parent").with_program_count()

    def for_detail(self):
        """An organization with its parent, published units, identifiers and citations.

        Its programmes and people, which may be thousands, are programs.reads.record_links.attach_links()'s.
        """
        return self.select_related("parent").prefetch_related(
            Prefetch("units", queryset=self.model.objects.published()), "identifiers", published_citations()
        )


# What no list, export or API row reads from a programme, and what a link to an organization does.
LIST_DEFERRED = ("search_text",)
ORGANIZATION_LINK_FIELDS = ("slug", "name", "name_en", "name_is_descriptive", "kind", "status")
PROGRAM_LINK_FIELDS = ("slug", "name", "name_en", "name_is_descriptive", "kind", "status", "start_year")


class ProgramQuerySet(PublishableQuerySet):
    def with_links(self):
        """Programmes with their published participants (each organization's name and address) and research areas.

        Read as the lists `linked_participations` and `linked_research_areas`: a prefetch into an
        attribute spares a related manager and a queryset per programme, which on a page of 25
        rows costs more than the prefetch queries themselves. The programmes' own status is the
        outer queryset's business (a curator's preview shows a draft's participants too).
        """
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=links(_model("Participation"), "organization")
                .select_related("organization")
                .only("program_id", "role", *(f"organization__{name}" for name in ORGANIZATION_LINK_FIELDS))
                .order_by("role", "organization__name", "pk"),
                to_attr="linked_participations",
            ),
            Prefetch(
                "research_areas",
                queryset=_model("ResearchArea").objects.published().only("slug", "name", "name_en", "status"),
                to_attr="linked_research_areas",
            ),
        )

    def for_list(self):
        """Programmes for list pages, exports and the API, with their participants and research areas,
        without the search column (the longest, and read by no row)."""
        return self.defer(*LIST_DEFERRED).with_links()

    def for_detail(self):
        """A programme with every published relation its page shows."""
        return (
            self.with_links()
            .select_related("parent")
            .prefetch_related(
                Prefetch("children", queryset=self.model.objects.published()),
                Prefetch("editions", queryset=_model("Edition").objects.order_by("year", "label")),
                Prefetch(
                    "involvements",
                    queryset=_model("Involvement")
                    .objects.published()
                    .select_related("person", "edition")
                    .order_by("year", "person__name"),
                ),
                Prefetch("projects", queryset=_model("Project").objects.published().select_related("edition")),
                "identifiers",
                published_citations(),
            )
        )


class ParticipationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__status=PUBLISHED, organization__status=PUBLISHED)


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__status=PUBLISHED)

    def for_list(self):
        """Editions with their programme, for the API's list."""
        return self.select_related("program")

    def for_detail(self):
        """An edition with its programme, the published people and projects of the round, and its citations."""
        return self.for_list().prefetch_related(
            Prefetch(
                "involvements",
                queryset=_model("Involvement").objects.published().select_related("person").order_by("person__name"),
            ),
            Prefetch("projects", queryset=_model("Project").objects.published().order_by("title", "pk")),
            published_citations(),
        )


class PersonQuerySet(PublishableQuerySet):
    def for_list(self):
        """People with their published career steps (to show where they work), for list pages."""
        return self.prefetch_related(
            Prefetch(
                "affiliations",
                queryset=_model("Affiliation").objects.published().select_related("organization"),
            ),
        )

    def for_detail(self):
        """A person with their career steps, published programme involvements, projects and citations."""
        return self.prefetch_related(
            Prefetch(
                "affiliations",
                queryset=_model("Affiliation").objects.published().select_related("organization"),
            ),
            Prefetch(
                "involvements",
                queryset=_model("Involvement")
                .objects.published()
                .select_related("program", "edition")
                .order_by("year", "program__name"),
            ),
            Prefetch(
                "project_memberships",
                queryset=_model("ProjectMember")
                .objects.published()
                .select_related("project", "project__program", "organization"),
            ),
            "identifiers",
            published_citations(),
        )


class AffiliationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(person__status=PUBLISHED, organization__status=PUBLISHED)


class InvolvementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(person__status=PUBLISHED, program__status=PUBLISHED)


class ProjectQuerySet(PublishableQuerySet):
    def published(self):
        return super().published().filter(program__status=PUBLISHED)

    def for_list(self):
        """Projects with their programme and edition, for list pages."""
        return self.select_related("program", "edition")

    def for_detail(self):
        """A project with its programme, edition, published members and citations."""
        return self.select_related("program", "edition").prefetch_related(
            Prefetch(
                "memberships",
                queryset=_model("ProjectMember").objects.published().select_related("person", "organization"),
            ),
            published_citations(),
        )


class ProjectMemberQuerySet(models.QuerySet):
    def published(self):
        # The member's organization is optional; pages show it through `public_organization`.
        return self.filter(project__status=PUBLISHED, project__program__status=PUBLISHED, person__status=PUBLISHED)


class SourceQuerySet(PublishableQuerySet):
    def for_list(self):
        """Sources for list pages: everything shown is on the row itself (the text is not shown)."""
        return self.defer(*SOURCE_TEXT_FIELDS)

    def for_detail(self):
        """A source with its first `DETAIL_LIMIT` citations, each with the published record it
        supports (None for a draft).

        One query per kind of cited record (at most the ten citable models), whatever their number.
        """
        return self.defer(*SOURCE_TEXT_FIELDS).prefetch_related(
            Prefetch(
                "citations",
                queryset=_model("Citation")
                .objects.select_related("content_type")
                .prefetch_related(GenericPrefetch("record", citable_querysets()))
                .order_by("content_type__model", "pk")[:DETAIL_LIMIT],
                to_attr="listed_citations",
            )
        )


def citable_querysets():
    """For each citable model, its published records with what their description on a page needs."""
    return [
        _model("Organization").objects.published(),
        _model("Program").objects.published(),
        _model("ResearchArea").objects.published(),
        _model("Participation").objects.published().select_related("program", "organization"),
        _model("Edition").objects.published().select_related("program"),
        _model("Person").objects.published(),
        _model("Affiliation").objects.published().select_related("person", "organization"),
        _model("Involvement").objects.published().select_related("person", "program"),
        _model("Project").objects.published(),
        _model("ProjectMember").objects.published().select_related("person", "project"),
    ]


class CitationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(source__status=PUBLISHED)
