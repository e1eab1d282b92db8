"""Public pages. Every view starts from `published()`; who may change a record may preview its draft.

Lists are thin: the list's FilterSet (programs/reads/filters.py) filters, sorts and counts facets, the
queryset's `for_list()` loads what a row shows, and `?format=csv|json` streams the same rows.
"""

from dataclasses import dataclass

from django.contrib.auth import get_permission_codename
from django.core.paginator import InvalidPage
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from programs.models import Organization, Person, Program, ProgramListing, Project, ResearchArea, Source
from programs.models.querysets import DETAIL_LIMIT
from programs.opendata import exports
from programs.reads import charts, insights, record_links, search
from programs.reads import facets as counting
from programs.reads.facets import listing_sizes
from programs.reads.filters import (
    OrganizationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
    ProjectFilterSet,
    SourceFilterSet,
    filter_errors,
)
from programs.reads.lists import BoundedPaginator, ListRows
from programs.reads.organization_figures import organization_figures
from programs.reads.partnerships import partnership_url
from programs.site.tables import columns_of, render_rows

PAGE_OUT_OF_RANGE = _("There is no page “%(page)s”; showing page %(shown)s of %(count)s.")
PAGES_BOUNDED = _(
    "Pages go as far as the first %(rows)s results: narrow the filters to reach the others, or download them all."
)


@dataclass(frozen=True)
class YearFields:
    """Year inputs of a list's filter form, in a fieldset: (filter name, label, or "" for the legend)."""

    legend: str
    fields: tuple[tuple[str, str], ...]


class FilteredListView(ListView):
    """A list of published records, filtered by its FilterSet over the list's listing, paginated, and downloadable.

    Subclasses set `model`, `filterset_class`, `export` (an exports.Export), `export_name` and
    `year_fields`; the table's columns are the model's (programs/site/tables.py).
    """

    template_name = "programs/list.html"
    paginator_class = BoundedPaginator
    filterset_class = None
    year_fields: tuple[YearFields, ...] = ()
    export = None
    export_name = ""
    paginate_by = 25
    title = ""
    description = ""

    def get(self, request, *args, **kwargs):
        self.notices = []
        self.filterset = self.filterset_class(request.GET, request=request)
        self.notices += self.filterset.notices
        fmt = request.GET.get("format", "")
        if fmt in exports.FORMATS and self.export:
            if not self.filterset.is_valid():
                return HttpResponse(
                    "\n".join(filter_errors(self.filterset)), status=400, content_type="text/plain; charset=utf-8"
                )
            return exports.export_response(self.rows(), self.export, request, fmt=fmt, filename=self.export_name)
        if fmt:
            self.notices.append(exports.UNKNOWN_FORMAT % {"format": fmt[:20]})
        return super().get(request, *args, **kwargs)

    def rows(self) -> ListRows:
        """The published records the filters select, in the order asked for."""
        return ListRows.of(self.filterset, self.model.objects.published().for_list())

    def get_queryset(self):
        return self.rows() if self.filterset.is_valid() else []

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a page number that is not a page shows a valid page with a notice, never a 404."""
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "")
        try:
            page = paginator.page(raw or 1)
        except InvalidPage:
            page = paginator.get_page(raw)
            self.notices.append(
                PAGE_OUT_OF_RANGE % {"page": raw[:20], "shown": page.number, "count": paginator.num_pages}
            )
        if paginator.bounded and page.number == paginator.num_pages:
            self.notices.append(PAGES_BOUNDED % {"rows": f"{paginator.num_pages * paginator.per_page:,}"})
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        facets = self.filterset.facets()  # first: counting the facets counts the rows too, for the paginator
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context.update(
            filterset=self.filterset,
            form=self.filterset.form,
            facets=facets,
            active_filters=self.filterset.active_filters(),
            errors=filter_errors(self.filterset),
            notices=self.notices,
            query=query.urlencode(),
            title=self.title,
            description=self.description,
            can_export=bool(self.export),
            sort_choices=self.sort_choices(),
            hidden_params=self.hidden_params(),
            year_fields=[
                (group.legend, [(name, label, self.request.GET.get(name, "")) for name, label in group.fields])
                for group in self.year_fields
            ],
            columns=columns_of(self.model),
            rows=render_rows(self.model, context["page_obj"].object_list, self.hints(context["page_obj"].object_list)),
            count_capped=context["paginator"].count > counting.MAX_COUNTED,
            max_counted=f"{counting.MAX_COUNTED:,}",
            estimated=any(not facet.exact for facet in facets),
        )
        return context

    def hints(self, records) -> list[str] | None:
        """What each row matched of the search, where its name as shown does not say it."""
        query = self.filterset.search_query if self.filterset.is_valid() else None
        return [search.hint(record, query) for record in records] if query else None

    def sort_choices(self) -> list[tuple]:
        choices = self.filterset.filters["sort"].extra["choices"]
        return [(value, label, value == self.filterset.sort_value) for value, label in choices]

    def hidden_params(self) -> list[tuple]:
        """Filters in force that the form has no input for (e.g. `?organization=` from a link), kept on submit."""
        shown = {
            "q",
            "sort",
            *self.filterset.facet_names,
            *(name for group in self.year_fields for name, _ in group.fields),
        }
        return [
            (name, value)
            for name in self.filterset.filters
            if name not in shown
            for value in self.request.GET.getlist(name)
        ]


class PublishedDetailView(DetailView):
    """A published record's page; users who may change the record (`change_<model>`) also see it as
    a draft, sent uncached so no cache keeps it. Anyone else gets the 404 a visitor gets.

    The page shows the record loaded with `for_detail()`, and what `body_context()` adds: each
    bounded by the record's own links, whatever the amount of data.
    """

    def get_queryset(self):
        records = self.model.objects.all()
        if not self.may_preview():
            records = records.published()
        return records.for_detail()

    def may_preview(self) -> bool:
        """Drafts are shown to those who may change them, as the admin would let them."""
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")

    list_label = ""  # the heading of the record's list, which the breadcrumbs lead back to

    def get_context_data(self, **kwargs):
        list_url = reverse(f"programs:{self.model._meta.model_name}-list")
        return super().get_context_data(
            list_label=self.list_label, list_url=list_url, **self.body_context(self.object), **kwargs
        )

    def body_context(self, record) -> dict:
        """What the page shows besides the record and what `for_detail()` loads with it."""
        return {}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


# Overview and insights


class OverviewView(TemplateView):
    template_name = "programs/overview.html"

    def get_context_data(self, **kwargs):
        counts = insights.program_counts(kind=None, organization=12, research_area=12)
        per_kind = insights.per_kind(counts["kind"])
        newest = ListRows.of(ProgramFilterSet({"sort": "newest"}), Program.objects.published().for_list())
        return super().get_context_data(
            **{f"{name}_count": size for name, size in listing_sizes().items()},
            kinds=per_kind,
            newest=render_rows(Program, newest[:6]),
            program_columns=columns_of(Program),
            organizations=insights.ranked(Organization, counts["organization"]),
            research_areas=insights.ranked(ResearchArea, counts["research_area"]),
            kind_chart=charts.hbar_chart(per_kind),
            **kwargs,
        )


class InsightsView(TemplateView):
    template_name = "programs/insights.html"

    def get_context_data(self, **kwargs):
        counts = insights.program_counts(kind=None, start_year=None, sponsor=10, organization=24)
        organizations, links = insights.collaboration_network(counts["organization"])
        moves = insights.career_moves()
        network = charts.circle_network(
            [
                (org.pk, org.display_name, org.get_absolute_url(), f"sector-{org.sector}", org.program_count)
                for org in organizations
            ],
            [
                (link.source.pk, link.target.pk, link.shared, partnership_url(link.source, link.target))
                for link in links
            ],
        )
        return super().get_context_data(
            kind_chart=charts.hbar_chart(insights.per_kind(counts["kind"])),
            year_chart=charts.column_chart(insights.by_start_year(counts["start_year"])),
            sponsor_chart=charts.hbar_chart(insights.sponsor_bars(counts["sponsor"]), label_width=180),
            move_chart=charts.hbar_chart(
                [
                    (move.label, move.count, "", f"move-{move.origin}-{move.destination}")
                    for move in moves
                    if move.count or "other" not in (move.origin, move.destination)
                ],
                label_width=220,
            ),
            network=network,
            links=links,
            **kwargs,
        )


# Programmes


class ProgramListView(FilteredListView):
    model = Program
    filterset_class = ProgramFilterSet
    export = exports.PROGRAMS
    export_name = "programmes"
    year_fields = (YearFields(_("Start year"), (("start_year_min", _("From")), ("start_year_max", _("To")))),)
    title = _("Programmes")
    description = _(
        "Joint labs, research funds, awards, scholarships and other academia-industry programmes, "
        "filtered by kind, organization, country, research area and year."
    )


class ProgramDetailView(PublishedDetailView):
    model = Program
    list_label = _("Programmes")
    template_name = "programs/program_detail.html"

    def body_context(self, record) -> dict:
        related = ListRows(ProgramListing.objects.all(), Program.objects.published().for_list())
        return {
            "related": render_rows(Program, related.load(record_links.related_programs(record))),
            "program_columns": columns_of(Program),
        }


# Organizations


class OrganizationListView(FilteredListView):
    model = Organization
    filterset_class = OrganizationFilterSet
    export = exports.ORGANIZATIONS
    export_name = "organizations"
    title = _("Organizations")
    description = _("Universities, companies, institutes and public bodies taking part in the programmes.")


class OrganizationDetailView(PublishedDetailView):
    model = Organization
    list_label = _("Organizations")
    template_name = "programs/organization_detail.html"

    def body_context(self, record) -> dict:
        record_links.attach_links(record)
        partners = record_links.partners_of(record)
        return {"partners": partners, "figures": organization_figures(record, partners)}


# People


class PersonListView(FilteredListView):
    model = Person
    filterset_class = PersonFilterSet
    export = exports.PEOPLE
    export_name = "people"
    title = _("People")
    description = _("Researchers, engineers and managers named by the sources, with their careers and programmes.")


class PersonDetailView(PublishedDetailView):
    model = Person
    list_label = _("People")
    template_name = "programs/person_detail.html"


# Projects


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    export = exports.PROJECTS
    export_name = "projects"
    year_fields = (YearFields(_("Year"), (("year_min", _("From")), ("year_max", _("To")))),)
    title = _("Projects")
    description = _("Research projects funded or run through the programmes.")


class ProjectDetailView(PublishedDetailView):
    model = Project
    list_label = _("Projects")
    template_name = "programs/project_detail.html"


# Sources


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    export = exports.SOURCES
    export_name = "sources"
    year_fields = (YearFields(_("Year published"), (("year", ""),)),)
    title = _("Sources")
    description = _("The articles every fact in the tracker comes from.")


class SourceDetailView(PublishedDetailView):
    model = Source
    list_label = _("Sources")
    template_name = "programs/source_detail.html"

    def body_context(self, record) -> dict:
        citations = record.listed_citations
        cited = [citation for citation in citations if citation.record is not None]
        return {
            "cited": [(describe(c.record), c) for c in cited],
            "truncated": len(citations) >= DETAIL_LIMIT,
            "limit": DETAIL_LIMIT,
        }


def describe(record) -> dict:
    """What a source page shows for a record citing it: its type, its name (as the model names it) and a link."""
    return {"type": record._meta.verbose_name, "text": record.display_name, "url": record.get_absolute_url()}
