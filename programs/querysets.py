"""QuerySets of the domain models: one definition of "public", and the loading each page needs.

`published()` is the only way public code reaches records. A link row (participation,
affiliation, involvement, membership) and an edition or citation are public only when every
record it joins is: a draft never shows up through something that points at it.

`for_list()` / `for_detail()` carry the select_related / Prefetch of the page they serve, so
that a page runs a fixed number of queries whatever the amount of data.
"""

from django.apps import apps
from django.db import models
from django.db.models import Prefetch

PUBLISHED = "published"


def _model(name: str):
    # Models import this module, so the related models are looked up when a query is built.
    return apps.get_model("programs", name)


def published_citations():
    """Citations of published sources, with their source, in source order."""
    return Prefetch("citations", queryset=_model("Citation").objects.published().select_related("source"))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)


class ResearchAreaQuerySet(PublishableQuerySet):
    pass


class OrganizationQuerySet(PublishableQuerySet):
    def for_list(self):
        """Organizations with their parent, for list pages and tables."""
        return self.select_related("parent")

    def for_detail(self):
        """An organization with its parent, published units and citations."""
        return self.select_related("parent").prefetch_related(
            Prefetch("units", queryset=self.model.objects.published()),
            published_citations(),
        )


class ProgramQuerySet(PublishableQuerySet):
    def for_list(self):
        """Programmes with their published participants and research areas, for list pages."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=_model("Participation").objects.published().select_related("organization"),
            ),
            Prefetch("research_areas", queryset=_model("ResearchArea").objects.published()),
        )

    def for_detail(self):
        """A programme with every published relation its page shows."""
        return (
            self.for_list()
            .select_related("parent")
            .prefetch_related(
                Prefetch("children", queryset=self.model.objects.published()),
                Prefetch("editions", queryset=_model("Edition").objects.order_by("year", "label")),
                Prefetch(
                    "involvements",
                    queryset=_model("Involvement").objects.published().select_related("person", "edition"),
                ),
                Prefetch("projects", queryset=_model("Project").objects.published()),
                published_citations(),
            )
        )


class ParticipationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__status=PUBLISHED, organization__status=PUBLISHED)


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__status=PUBLISHED)


class PersonQuerySet(PublishableQuerySet):
    def for_detail(self):
        """A person with their career steps and published programme involvements."""
        return self.prefetch_related(
            Prefetch(
                "affiliations",
                queryset=_model("Affiliation").objects.published().select_related("organization"),
            ),
            Prefetch(
                "involvements",
                queryset=_model("Involvement").objects.published().select_related("program", "edition"),
            ),
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
    pass


class CitationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(source__status=PUBLISHED)
